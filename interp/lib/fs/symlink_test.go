package fs_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/moonpin/moonpin/interp"
	"github.com/moonpin/moonpin/interp/interptest"
	"github.com/moonpin/moonpin/interp/lib/fs"
)

func TestSymlinksOutOfTheRootAreRefused(t *testing.T) {
	root, outside := t.TempDir(), t.TempDir()
	os.WriteFile(filepath.Join(outside, "secret"), []byte("s"), 0o644)
	os.WriteFile(filepath.Join(root, "ok.txt"), []byte("ok"), 0o644)
	os.Symlink(outside, filepath.Join(root, "escape"))
	os.Symlink(filepath.Join(outside, "secret"), filepath.Join(root, "secret-link"))
	os.Symlink("ok.txt", filepath.Join(root, "inside-link"))
	rt, _ := interptest.New(t, &interp.Options{Root: root})
	for _, code := range []string{`fs.read("escape/secret")`, `fs.read("secret-link")`, `fs.write("escape/new", "x")`, `fs.list("escape")`} {
		err := rt.Exec("t", code)
		if err == nil || !strings.Contains(err.Error(), "out of the script root") {
			t.Errorf("%s: %v, want a refusal", code, err)
		}
	}
	if _, err := os.Stat(filepath.Join(outside, "new")); err == nil {
		t.Error("a write went through a symlink out of the root")
	}
	if err := rt.Exec("t", `assert(fs.read("inside-link") == "ok")`); err != nil {
		t.Fatal(err)
	}
}

func TestWriteAtomicLeavesNoTempFiles(t *testing.T) {
	dir := t.TempDir()
	target := filepath.Join(dir, "f")
	if err := fs.WriteAtomic(target, []byte("one")); err != nil {
		t.Fatal(err)
	}
	if err := fs.WriteAtomic(target, []byte("two")); err != nil {
		t.Fatal(err)
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Fatalf("dir has %d entries, want only the file", len(entries))
	}
	if b, _ := os.ReadFile(target); string(b) != "two" {
		t.Fatalf("content %q", b)
	}
}
