package main

import (
	"strings"
	"testing"
)

// computerFiles are the files of the directory a test mounts.
var computerFiles = map[string]string{
	"greet.lua":    "return {hi = function() return 'hi from the computer' end}",
	"lib/util.lua": "return {twice = function(x) return 2 * x end}",
	"main.lua": `local g = require "greet"
print(g.hi(), require("util").twice(21))
print("board file seen:", fs.exists("onboard.lua"))
`,
}

func TestMountRequiresFromComputer(t *testing.T) {
	b := startBoard(t, map[string]string{"onboard.lua": "return 'board'"})
	dir := t.TempDir()
	writeTree(t, dir, computerFiles)

	out := b.ok("mount", dir, "+", "exec", `print(require("greet").hi())`)
	if out != "hi from the computer\n" {
		t.Fatalf("require over the mount printed %q", out)
	}
	out = b.ok("mount", dir, "+", "run", dir+"/main.lua")
	if want := "hi from the computer\t42\nboard file seen:\tfalse\n"; out != want {
		t.Fatalf("run main.lua from the mount printed %q, want %q", out, want)
	}
	// moonctl has gone: the board has its own root back.
	out = b.ok("exec", `print(fs.exists("onboard.lua"), (pcall(require, "greet")))`)
	if out != "true\tfalse\n" {
		t.Fatalf("after the mount the board printed %q, want its own root", out)
	}
	if strings.Contains(out, "computer") {
		t.Fatal("the computer's module stayed loaded")
	}
}
