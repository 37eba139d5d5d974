package main

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
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
	// The mount escapes the Escape byte in the board's output (and undoes it).
	out = b.ok("mount", dir, "+", "exec", `io.write("\24x\24\24", require("greet").hi())`)
	if out != "\x18x\x18\x18hi from the computer" {
		t.Fatalf("output with 0x18 under a mount came out as %q", out)
	}
	r := b.moonctl("mount", dir, "+", "run", "--no-follow", dir+"/main.lua")
	if r.code != 2 || !strings.Contains(r.stderr, "run --no-follow") {
		t.Fatalf("run --no-follow under a mount: exit %d, stderr %q", r.code, r.stderr)
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

// Every route by which Lua reads a file sees the mount, and none the
// board's own root; every route that writes there is refused.
func TestMountEveryReadPath(t *testing.T) {
	b := startBoard(t, map[string]string{"onboard.lua": "return 'board'", "data.txt": "the board's"})
	dir := t.TempDir()
	writeTree(t, dir, map[string]string{
		"data.txt":    "line one\nline two\n",
		"chunk.lua":   "return ...",
		"sub/mod.lua": "return 'sub'",
	})
	code := `
print(dofile("chunk.lua"))
print(loadfile("chunk.lua")("via loadfile"))
print(require("sub.mod"))
local f = assert(io.open("data.txt"))
print(f:read("*l"), f:seek("end"), f:seek("set", 5), f:read("*a"))
f:close()
for l in io.lines("data.txt") do io.write("[", l, "]") end print()
print(fs.read("data.txt") == "line one\nline two\n")
print(table.concat(fs.list(), ","), table.concat(fs.list("sub"), ","))
local st = fs.stat("data.txt") print(st.type, st.size, fs.stat("sub").type)
print(fs.exists("data.txt"), fs.exists("onboard.lua"), fs.stat("onboard.lua"))
print(io.open("missing.txt"))
print(pcall(require, "onboard"))
`
	out := b.ok("mount", dir, "+", "exec", code)
	want := "\nvia loadfile\nsub\n" +
		"line one\t18\t5\tone\nline two\n\n" +
		"[line one][line two]\n" +
		"true\n" +
		"chunk.lua,data.txt,sub\tmod.lua\n" +
		"file\t18\tdir\n" +
		"true\tfalse\tnil\tonboard.lua: no such file or directory\n" +
		"nil\tmissing.txt: No such file or directory\t2\n"
	if !strings.HasPrefix(out, want) || !strings.Contains(out, "false\tmodule 'onboard' not found") {
		t.Fatalf("mounted reads printed\n%s\nwant\n%s(and require of a board module failing)", out, want)
	}

	for _, write := range []string{
		`fs.write("new.txt", "x")`,
		`fs.remove("data.txt")`,
		`fs.mkdir("d")`,
		`assert(io.open("data.txt", "w"))`,
		`assert(os.remove("data.txt"))`,
	} {
		r := b.moonctl("mount", dir, "+", "exec", write)
		if r.code != 1 || !strings.Contains(r.stderr, "mounted read-only by moonctl mount") {
			t.Errorf("%s under a mount: exit %d, stderr %q; want the read-only refusal", write, r.code, r.stderr)
		}
	}
	if got := treeSums(t, dir); len(got) != 3 {
		t.Errorf("the mounted directory changed: %v", got)
	}
	if got, _ := os.ReadFile(filepath.Join(b.root, "data.txt")); string(got) != "the board's" {
		t.Errorf("the board's data.txt is %q", got)
	}
}

// A file many frames long arrives whole.
func TestMountLargeFile(t *testing.T) {
	b := startBoard(t, nil)
	dir := t.TempDir()
	data := make([]byte, 300<<10)
	for i := range data {
		data[i] = byte(i*7 + i>>11)
	}
	if err := os.WriteFile(filepath.Join(dir, "blob.bin"), data, 0o644); err != nil {
		t.Fatal(err)
	}
	// A module bigger than a frame, too.
	var mod strings.Builder
	mod.WriteString("local t = {}\n")
	for i := 0; i < 5000; i++ {
		fmt.Fprintf(&mod, "t[%d] = %q\n", i, strings.Repeat("x", i%17))
	}
	mod.WriteString("return t\n")
	writeTree(t, dir, map[string]string{"big.lua": mod.String()})
	out := b.ok("mount", dir, "+", "exec", `
local s = fs.read("blob.bin")
local sum = 0
for i = 1, #s, 997 do sum = (sum * 31 + s:byte(i)) % 1000003 end
print(#s, sum, #require("big"))`)
	sum := 0
	for i := 0; i < len(data); i += 997 {
		sum = (sum*31 + int(data[i])) % 1000003
	}
	if want := fmt.Sprintf("%d\t%d\t%d\n", len(data), sum, 4999); out != want {
		t.Fatalf("large reads printed %q, want %q", out, want)
	}

	// A directory whose listing takes several frames is listed whole (it
	// stopped at its first frame's 32 KB, silently: 2063 of 5000 names).
	many := filepath.Join(dir, "many")
	if err := os.Mkdir(many, 0o755); err != nil {
		t.Fatal(err)
	}
	for i := range 5000 {
		if err := os.WriteFile(filepath.Join(many, fmt.Sprintf("file%04d", i)), nil, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	out = b.ok("mount", dir, "+", "exec", `local l = fs.list("many") print(#l, l[1], l[#l])`)
	if want := "5000\tfile0000\tfile4999\n"; out != want {
		t.Fatalf("a listing of 5000 names printed %q, want %q", out, want)
	}
}

// The computer serves nothing outside the directory: not through "..",
// not through an absolute path, not through a symlink.
func TestMountStaysInDirectory(t *testing.T) {
	b := startBoard(t, nil)
	outside := t.TempDir()
	writeTree(t, outside, map[string]string{"secret.lua": "return 'secret'"})
	dir := t.TempDir()
	writeTree(t, dir, map[string]string{"ok.lua": "return 'ok'"})
	for name, target := range map[string]string{"leak.lua": filepath.Join(outside, "secret.lua"), "up": outside, "passwd": "/etc/passwd"} {
		if err := os.Symlink(target, filepath.Join(dir, name)); err != nil {
			t.Fatal(err)
		}
	}
	out := b.ok("mount", dir, "+", "exec", `
print(require("ok"))
for _, p in ipairs{"leak.lua", "up/secret.lua", "passwd", "../`+filepath.Base(outside)+`/secret.lua", "/etc/passwd"} do
  local ok, err = pcall(fs.read, p)
  print(p, ok, ok and "READ" or err)
end
print(pcall(require, "leak"))
print(pcall(require, "../../etc/passwd"))
print(table.concat(fs.list(), ","))`)
	if strings.Contains(out, "READ") || strings.Contains(out, "secret\n") || strings.Contains(out, "root:") {
		t.Fatalf("a read left the mounted directory:\n%s", out)
	}
	for _, want := range []string{
		"leak.lua\tfalse\tfs.read: leak.lua: outside the mounted directory",
		"up/secret.lua\tfalse\tfs.read: up/secret.lua: outside the mounted directory",
		"passwd\tfalse\tfs.read: passwd: outside the mounted directory",
		"path leaves the script root",
		"/etc/passwd\tfalse\tfs.read: /etc/passwd: absolute paths are not allowed",
		"\nok.lua\n",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("missing %q in\n%s", want, out)
		}
	}
}

// bigBlob writes a file of n bytes into dir.
func bigBlob(t *testing.T, dir string, n int) {
	t.Helper()
	if err := os.WriteFile(filepath.Join(dir, "blob.bin"), bytes.Repeat([]byte("0123456789abcdef"), n/16), 0o644); err != nil {
		t.Fatal(err)
	}
}

// mount DIR alone opens the REPL on the mount; Ctrl-C stops code that is
// reading from the computer, the mount carries on, and Ctrl-] leaves it
// with the board's root back and nothing of the computer's loaded.
func TestMountREPLInterrupt(t *testing.T) {
	b := startBoard(t, map[string]string{"onboard.lua": "return 'board'"})
	dir := t.TempDir()
	writeTree(t, dir, computerFiles)
	bigBlob(t, dir, 100<<10)
	p := b.start("mount", dir)
	p.stdout.Expect("\r\n> ")
	p.stdin.Write([]byte("n = 0 print('reading') while true do n = n + #fs.read('blob.bin') end\r"))
	p.stdout.Expect("reading\r\n")
	p.stdin.Write([]byte("\x03"))
	p.stdout.Expect("interrupted")
	p.stdout.Expect("> ")
	p.stdin.Write([]byte("print(require('greet').hi(), n % 102400)\r"))
	p.stdout.Expect("hi from the computer\t0\r\n")
	p.stdin.Write([]byte("\x1d"))
	if code := p.wait(); code != 0 {
		t.Fatalf("moonctl mount: exit %d, stderr %q", code, p.stderr.String())
	}
	if out := b.ok("exec", `print(fs.exists("onboard.lua"), package.loaded.greet, n)`); out != "true\tnil\tnil\n" {
		t.Fatalf("after the mount the board printed %q; want its own root and a fresh state", out)
	}
}

// A moonctl killed while the board reads from its mount (the pty closes
// under the board) leaves a board with its own root and a fresh state for
// the next client, whether it was running code or at the REPL.
func TestMountLinkDrops(t *testing.T) {
	b := startBoard(t, map[string]string{"onboard.lua": "return 'board'"})
	dir := t.TempDir()
	writeTree(t, dir, computerFiles)
	bigBlob(t, dir, 100<<10)

	// Ctrl-C (SIGINT) to moonctl: it stops the code and unmounts.
	stopped := b.start("mount", dir, "+", "exec", "require('greet') print('reading') while true do fs.read('blob.bin') end")
	stopped.stdout.Expect("reading\n")
	stopped.cmd.Process.Signal(os.Interrupt)
	if code := stopped.wait(); code != exitInterrupted {
		t.Fatalf("moonctl mount + exec after SIGINT: exit %d, stderr %q", code, stopped.stderr.String())
	}
	if out := b.ok("exec", `print(fs.exists("onboard.lua"), package.loaded.greet)`); out != "true\tnil\n" {
		t.Fatalf("after moonctl was interrupted the board printed %q; moonctl's stderr: %q", out, stopped.stderr.String())
	}

	running := b.start("mount", dir, "+", "exec", "require('greet') print('reading') while true do fs.read('blob.bin') end")
	running.stdout.Expect("reading\n")
	running.cmd.Process.Kill()
	running.wait()
	if out := b.ok("exec", `print(fs.exists("onboard.lua"), package.loaded.greet)`); out != "true\tnil\n" {
		t.Fatalf("after moonctl was killed mid-run the board printed %q", out)
	}

	idle := b.start("mount", dir)
	idle.stdout.Expect("\r\n> ")
	idle.stdin.Write([]byte("g = require('greet').hi() print(g)\r"))
	idle.stdout.Expect("hi from the computer\r\n")
	idle.cmd.Process.Kill()
	idle.wait()
	if out := b.ok("exec", `print(fs.exists("onboard.lua"), package.loaded.greet, g)`); out != "true\tnil\tnil\n" {
		t.Fatalf("after moonctl was killed at the REPL the board printed %q", out)
	}
	// And the next mount works as the first did.
	if out := b.ok("mount", dir, "+", "exec", `print(require("greet").hi())`); out != "hi from the computer\n" {
		t.Fatalf("a second mount printed %q", out)
	}
}

// mount --rw: the board's writes in its root land in the computer's
// directory, a file many frames long whole, and none outside it.
func TestMountWritable(t *testing.T) {
	b := startBoard(t, map[string]string{"onboard.lua": "return 'board'"})
	outside := t.TempDir()
	writeTree(t, outside, map[string]string{"secret.txt": "secret"})
	dir := t.TempDir()
	writeTree(t, dir, map[string]string{"old.txt": "old"})
	if err := os.Symlink(filepath.Join(outside, "secret.txt"), filepath.Join(dir, "leak.txt")); err != nil {
		t.Fatal(err)
	}
	out := b.ok("mount", "--rw", dir, "+", "exec", `
fs.write("big.bin", string.rep("0123456789abcdef", 100 * 1024 / 16))
fs.write("a.txt", "one") fs.append("a.txt", "+two")
local f = assert(io.open("log.txt", "w"))
for i = 1, 3 do f:write("line ", i, "\n") f:flush() end
f:close()
fs.mkdir("sub/deeper") fs.rename("old.txt", "sub/old.txt") os.remove("a.txt")
print(pcall(fs.append, "leak.txt", "x"))
print(pcall(fs.rename, "sub/old.txt", "../old.txt"))
print(#fs.read("big.bin"), fs.exists("a.txt"), table.concat(fs.list("sub"), ","))`)
	if !strings.Contains(out, "false\tfs.append: leak.txt: outside the mounted directory\n") ||
		!strings.Contains(out, "false\tfs.rename: ../old.txt: path leaves the script root") ||
		!strings.HasSuffix(out, "102400\tfalse\tdeeper,old.txt\n") {
		t.Fatalf("writes over the mount printed\n%s", out)
	}
	want := map[string]string{"big.bin": strings.Repeat("0123456789abcdef", 100*1024/16), "log.txt": "line 1\nline 2\nline 3\n", "sub/old.txt": "old", "leak.txt": ""}
	got := map[string]string{}
	filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			rel, _ := filepath.Rel(dir, p)
			data, _ := os.ReadFile(p)
			got[filepath.ToSlash(rel)] = string(data)
		}
		return nil
	})
	got["leak.txt"] = ""
	for name, w := range want {
		if got[name] != w {
			t.Errorf("%s on the computer holds %d bytes %.40q, want %.40q", name, len(got[name]), got[name], w)
		}
	}
	if len(got) != len(want) {
		t.Errorf("the computer's directory holds %v, want %v", len(got), len(want))
	}
	if data, _ := os.ReadFile(filepath.Join(outside, "secret.txt")); string(data) != "secret" {
		t.Errorf("the file outside holds %q", data)
	}
	if entries, _ := os.ReadDir(b.root); len(entries) != 1 {
		t.Errorf("the board's root holds %d entries", len(entries))
	}
}

// A mount over the socket works as over the pty, and a client that takes
// the session over from a mounted one (here a socket client from a pty
// client at the REPL) finds the board's own root and a fresh state. And
// mount + reset boots the computer's main.lua.
func TestMountHandOverAndReset(t *testing.T) {
	b, sock := startSocketBoard(t, map[string]string{"onboard.lua": "return 'board'"})
	viaSocket := b.via("unix://" + sock)
	dir := t.TempDir()
	writeTree(t, dir, computerFiles)

	if out := viaSocket.ok("mount", dir, "+", "exec", `print(require("greet").hi())`); out != "hi from the computer\n" {
		t.Fatalf("a mount over the socket printed %q", out)
	}

	p := b.start("mount", dir, "+", "reset", "+", "repl")
	p.stdout.Expect("hi from the computer\t42\r\nboard file seen:\tfalse\r\n")
	p.stdin.Write([]byte("g = require('greet') print('got', g.hi())\r"))
	p.stdout.Expect("got\thi from the computer\r\n")
	if out := viaSocket.ok("exec", `print(fs.exists("onboard.lua"), package.loaded.greet, g)`); out != "true\tnil\tnil\n" {
		t.Fatalf("the client that took the session over found %q", out)
	}
	p.cmd.Process.Kill()
	p.wait()
}
