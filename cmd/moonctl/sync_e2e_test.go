package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestSync: sync uploads what changed (not hidden or backup files) and says
// when nothing did; files the device has beyond DIR stay unless --delete.
func TestSync(t *testing.T) {
	b, sock := startSocketBoard(t, map[string]string{"stale.lua": "-- old\n", "old/x.lua": "-- old\n", "lib/util.lua": "return 0\n"})
	n := b.via("unix://" + sock)
	local := t.TempDir()
	writeTree(t, local, map[string]string{"main.lua": "print('hi')\n", "lib/util.lua": "return 1\n", "lib/deep/d.lua": "return 2\n",
		".git/config": "", ".main.lua.swp": "", "lib/util.lua~": ""})

	out := n.ok("sync", local)
	for _, want := range []string{"main.lua -> :main.lua", "util.lua -> :lib/util.lua", "d.lua -> :lib/deep/d.lua"} {
		if !strings.Contains(out, want) {
			t.Fatalf("sync printed %q; want %q in it", out, want)
		}
	}
	for name, want := range map[string]string{"main.lua": "print('hi')\n", "lib/util.lua": "return 1\n", "lib/deep/d.lua": "return 2\n", "stale.lua": "-- old\n"} {
		if got := string(readFile(t, filepath.Join(b.root, name))); got != want {
			t.Fatalf("%s on the device: %q, want %q", name, got, want)
		}
	}
	for _, left := range []string{".git", ".main.lua.swp", "lib/util.lua~"} {
		if _, err := os.Stat(filepath.Join(b.root, left)); err == nil {
			t.Fatalf("sync copied %s; hidden and backup files stay out", left)
		}
	}
	if out := n.ok("sync", local); !strings.Contains(out, "up to date") || strings.Contains(out, "->") {
		t.Fatalf("sync with nothing changed printed %q", out)
	}
	out = n.ok("sync", "--delete", local)
	if !strings.Contains(out, "removed :stale.lua") || !strings.Contains(out, "removed :old") {
		t.Fatalf("sync --delete printed %q", out)
	}
	for _, gone := range []string{"stale.lua", "old"} {
		if _, err := os.Stat(filepath.Join(b.root, gone)); err == nil {
			t.Fatalf("sync --delete left %s", gone)
		}
	}
	if _, err := os.Stat(filepath.Join(b.root, "lib/deep/d.lua")); err != nil {
		t.Fatalf("sync --delete removed what DIR has: %v", err)
	}
	n.fails("not a directory", "sync", filepath.Join(local, "main.lua"))
}

// TestSyncWatch: sync --reset --watch uploads each saved change, resets,
// and shows main.lua's new output; Ctrl-C ends it.
func TestSyncWatch(t *testing.T) {
	b, sock := startSocketBoard(t, nil)
	local := t.TempDir()
	writeTree(t, local, map[string]string{"main.lua": "print('main says ' .. 'v1')\n"})
	w := b.via("unix://"+sock).start("sync", "--reset", "--watch", local)
	w.stdout.Expect("main says v1")
	for i := 2; i <= 4; i++ {
		want := "main says v" + string(rune('0'+i))
		saved := time.Now()
		// As an editor saves: a new file renamed over the old one.
		tmp := filepath.Join(local, ".main.lua.swp")
		if err := os.WriteFile(tmp, []byte("print('main says ' .. 'v"+string(rune('0'+i))+"')\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		if err := os.Rename(tmp, filepath.Join(local, "main.lua")); err != nil {
			t.Fatal(err)
		}
		w.stdout.Expect(want)
		t.Logf("save to %q on the board's output: %v", want, time.Since(saved))
	}
	// A directory made while watching is watched too: a change to a module
	// in it alone is seen.
	writeTree(t, local, map[string]string{"lib/m.lua": "return 'from m v1'\n"})
	writeTree(t, local, map[string]string{"main.lua": "print(require('m'))\n"})
	w.stdout.Expect("from m v1")
	writeTree(t, local, map[string]string{"lib/m.lua": "return 'from m v2'\n"})
	w.stdout.Expect("from m v2")
	if err := w.cmd.Process.Signal(os.Interrupt); err != nil {
		t.Fatal(err)
	}
	if code := w.wait(); code != 0 {
		t.Fatalf("sync --watch after Ctrl-C: exit %d; stderr %s", code, w.stderr.String())
	}
}
