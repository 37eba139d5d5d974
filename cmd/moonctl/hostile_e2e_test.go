package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestUserGlobalsCannotBlockHostTools: whatever boot.lua does to the
// globals (a print that logs to a file, print or tostring gone, every
// global read looping forever), moonctl still lists, copies and runs code,
// so the user can copy a fixed boot.lua. The handshake runs no Lua that
// reads a global.
func TestUserGlobalsCannotBlockHostTools(t *testing.T) {
	for name, boot := range map[string]string{
		"print logs": `function print(...) fs.append("log.txt", table.concat({...}, "\t") .. "\n") end`,
		"globals gone": `print, tostring, string, io, error, table, select, type, pcall, loadstring, repr = nil
setmetatable(_G, {__index = function() while true do end end, __newindex = function() while true do end end})
_G = nil`,
	} {
		t.Run(name, func(t *testing.T) {
			b := startBoard(t, map[string]string{"boot.lua": boot, "keep.txt": "keep"})
			if got := b.ok("ls"); !strings.Contains(got, " keep.txt\n") {
				t.Fatalf("ls printed %q", got)
			}
			b.ok("exec", "local x = 1")
			host := t.TempDir()
			writeTree(t, host, map[string]string{"boot.lua": "booted = true\n"})
			b.ok("cp", filepath.Join(host, "boot.lua"), ":boot.lua")
			b.ok("reset")
			if got := b.ok("eval", "booted"); got != "true\n" {
				t.Fatalf("eval after the fixed boot.lua printed %q", got)
			}
			if log, err := os.ReadFile(filepath.Join(b.root, "log.txt")); err == nil && len(log) > 0 {
				t.Fatalf("the handshake ran the user's print: log.txt holds %q", log)
			}
		})
	}
}
