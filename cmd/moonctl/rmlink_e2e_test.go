package main

import (
	"os"
	"path/filepath"
	"testing"
)

// TestRmSymlink: rm removes a symlink itself, wherever it points (out of
// the root, into it, nowhere), and never what it points to; rm -r of a link
// to a directory does not empty the directory.
func TestRmSymlink(t *testing.T) {
	b := startBoard(t, nil)
	outside := t.TempDir()
	writeTree(t, outside, map[string]string{"secret": "s"})
	writeTree(t, b.root, map[string]string{"ok.txt": "ok", "lib/x.lua": "x"})
	links := map[string]string{
		"escape": outside, "secret-link": filepath.Join(outside, "secret"),
		"inside-link": "ok.txt", "lib-link": "lib", "dangling": "nowhere",
	}
	for link, target := range links {
		if err := os.Symlink(target, filepath.Join(b.root, link)); err != nil {
			t.Fatal(err)
		}
	}
	b.ok("rm", ":secret-link", ":inside-link", ":dangling", ":escape")
	b.ok("rm", "-r", ":lib-link")
	for link := range links {
		if _, err := os.Lstat(filepath.Join(b.root, link)); err == nil {
			t.Errorf("rm left %s", link)
		}
	}
	for _, kept := range []string{filepath.Join(outside, "secret"), filepath.Join(b.root, "ok.txt"), filepath.Join(b.root, "lib", "x.lua")} {
		if _, err := os.Stat(kept); err != nil {
			t.Errorf("rm of a link removed its target: %v", err)
		}
	}
	if err := os.Symlink(outside, filepath.Join(b.root, "escape")); err != nil {
		t.Fatal(err)
	}
	b.fails("out of the script root", "rm", ":escape/secret")
	if _, err := os.Stat(filepath.Join(outside, "secret")); err != nil {
		t.Fatal("rm reached through a link out of the root")
	}
}
