package main

import (
	"os"
	"path/filepath"
	"strconv"
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
			// eval shows its values with the device's own code.
			if got := b.ok("eval", `1 + 1, "two", {3}`); got != "2, two, {3}\n" {
				t.Fatalf("eval printed %q", got)
			}
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

// TestCopyRefusesDeviceNamesThatLeave: cp -r takes the names in a device's
// listing as file names in the destination directory. A name that is not
// one (a hostile device's "../../x", "x/y", "." that lists the same
// directory for ever) is refused with an error naming it, and nothing is
// written outside the destination. rm -r and ls refuse it too.
func TestCopyRefusesDeviceNamesThatLeave(t *testing.T) {
	for _, e := range []fakeEntry{
		{"../../pwned.txt", false}, {"..", false}, {"..", true}, {".", true}, {".", false},
		{"", false}, {"a/b", false}, {"/abs", false}, {"nul\x00byte", false},
	} {
		dev := startFakeDevice(t, func(dir string) []fakeEntry {
			if dir == "d" {
				return []fakeEntry{{"fine.txt", false}, e}
			}
			return nil
		})
		victim := t.TempDir()
		dl := filepath.Join(victim, "a", "dl")
		if err := os.MkdirAll(dl, 0o755); err != nil {
			t.Fatal(err)
		}
		r := dev.moonctl("cp", "-r", ":d", dl)
		quoted := strconv.Quote(e.name)
		if r.code != 1 || !strings.Contains(r.stderr, quoted) || strings.Count(r.stderr, "\n") != 1 || strings.ContainsRune(r.stderr, 0) {
			t.Errorf("cp -r of a listing with %s: %+v; want exit 1 and one line naming %s", quoted, r, quoted)
		}
		if got := treeSums(t, victim); len(got) != 0 {
			t.Errorf("cp -r of a listing with %s wrote %v", quoted, keys(got))
		}
		if n := dev.lists.Load(); n > 2 {
			t.Errorf("cp -r of a listing with %s asked for %d listings", quoted, n)
		}
		// rm -r and ls go by the same listing.
		for _, args := range [][]string{{"rm", "-r", ":d"}, {"ls", ":d"}} {
			if r := dev.moonctl(args...); r.code != 1 || !strings.Contains(r.stderr, quoted) {
				t.Errorf("moonctl %q of a listing with %s: %+v", args, quoted, r)
			}
		}
	}
}

// TestCopyBoundsDepth: a device whose every directory holds another (a
// hostile one, or a symlink loop) does not keep cp -r going until the
// host's paths are too long.
func TestCopyBoundsDepth(t *testing.T) {
	dev := startFakeDevice(t, func(string) []fakeEntry { return []fakeEntry{{"a", true}} })
	r := dev.moonctl("cp", "-r", ":d", t.TempDir())
	if r.code != 1 || !strings.Contains(r.stderr, "levels deep") || dev.lists.Load() > 200 {
		t.Fatalf("cp -r of an endless tree: %+v after %d listings", r, dev.lists.Load())
	}
}

// TestDeviceNamesEscaped: moonctl prints the names a device gives, and its
// error messages, with control bytes escaped (as ls does), so that a file
// named with an ESC cannot send commands to the terminal.
func TestDeviceNamesEscaped(t *testing.T) {
	const evil = "x\x1b]0;owned\x07y.txt"
	dev := startFakeDevice(t, func(dir string) []fakeEntry {
		if dir == "d" {
			return []fakeEntry{{evil, false}}
		}
		return nil
	})
	dl := t.TempDir()
	for _, args := range [][]string{{"cp", "-r", ":d", dl}, {"ls", ":d"}, {"mkdir", ":" + evil}} {
		r := dev.moonctl(args...)
		if strings.ContainsAny(r.stdout+r.stderr, "\x1b\x07") {
			t.Errorf("moonctl %q printed a control byte: %+v", args, r)
		}
		if !strings.Contains(r.stdout+r.stderr, `x\x1b]0;owned\ay.txt`) {
			t.Errorf("moonctl %q: %+v; want the name with its control bytes escaped", args, r)
		}
	}
	if got, err := os.ReadFile(filepath.Join(dl, "d", evil)); err != nil || string(got) != fakeData {
		t.Fatalf("cp -r of a name with control bytes: %q, %v", got, err)
	}
}
