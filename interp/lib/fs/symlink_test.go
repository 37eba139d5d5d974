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
	// A dangling link on the way is refused without naming where it
	// leads on the host.
	os.Symlink(filepath.Join(outside, "missing", "dir"), filepath.Join(root, "dangling"))
	for _, code := range []string{`fs.write("dangling/x/y", "x")`, `fs.list("dangling")`} {
		err := rt.Exec("t", code)
		if err == nil || !strings.Contains(err.Error(), ": a symlink on the way leads nowhere: no such file or directory") || strings.Contains(err.Error(), outside) {
			t.Errorf("%s: %v", code, err)
		}
	}
}

func TestWriteAtomicLeavesNoTempFiles(t *testing.T) {
	root := t.TempDir()
	target := filepath.Join(root, "f")
	if err := fs.WriteAtomic(root, target, []byte("one")); err != nil {
		t.Fatal(err)
	}
	if err := fs.WriteAtomic(root, target, []byte("two")); err != nil {
		t.Fatal(err)
	}
	entries, _ := os.ReadDir(root)
	if len(entries) != 2 || entries[0].Name() != fs.TempDir || entries[1].Name() != "f" {
		t.Fatalf("the root has %v, want the temporary directory and the file", entries)
	}
	if entries, _ := os.ReadDir(filepath.Join(root, fs.TempDir)); len(entries) != 0 {
		t.Fatalf("the temporary directory has %v, want nothing", entries)
	}
	if b, _ := os.ReadFile(target); string(b) != "two" {
		t.Fatalf("content %q", b)
	}
}

// TestRemoveAndRenameTakeTheLinkItself: removing or renaming a symlink acts
// on the link, wherever it points (out of the root too), and never on what
// it points to; what lies beyond a link out stays out of reach.
func TestRemoveAndRenameTakeTheLinkItself(t *testing.T) {
	root, outside := t.TempDir(), t.TempDir()
	os.WriteFile(filepath.Join(outside, "secret"), []byte("s"), 0o644)
	os.WriteFile(filepath.Join(root, "ok.txt"), []byte("ok"), 0o644)
	os.Mkdir(filepath.Join(root, "lib"), 0o755)
	os.WriteFile(filepath.Join(root, "lib", "x.lua"), []byte("x"), 0o644)
	for link, target := range map[string]string{
		"escape": outside, "secret-link": filepath.Join(outside, "secret"), "secret-link2": filepath.Join(outside, "secret"),
		"inside-link": "ok.txt", "inside-link2": "ok.txt", "lib-link": "lib", "dangling": "nowhere",
	} {
		if err := os.Symlink(target, filepath.Join(root, link)); err != nil {
			t.Fatal(err)
		}
	}
	rt, _ := interptest.New(t, &interp.Options{Root: root})
	for _, code := range []string{
		`fs.remove("secret-link")`, `assert(os.remove("inside-link"))`, `fs.remove("dangling")`,
		`fs.rename("escape", "escape2")`, `assert(os.rename("lib-link", "lib-link2"))`,
		`fs.rename("ok.txt", "inside-link2")`, `assert(os.remove("secret-link2"))`,
	} {
		if err := rt.Exec("t", code); err != nil {
			t.Errorf("%s: %v", code, err)
		}
	}
	for _, gone := range []string{"secret-link", "secret-link2", "inside-link", "dangling", "escape", "lib-link"} {
		if _, err := os.Lstat(filepath.Join(root, gone)); err == nil {
			t.Errorf("%s is still there", gone)
		}
	}
	for _, kept := range []string{filepath.Join(outside, "secret"), filepath.Join(root, "lib", "x.lua"), filepath.Join(root, "inside-link2")} {
		if fi, err := os.Lstat(kept); err != nil || !fi.Mode().IsRegular() {
			t.Errorf("%s: %v, want the file kept", kept, err)
		}
	}
	for _, l := range []string{"escape2", "lib-link2"} {
		if fi, err := os.Lstat(filepath.Join(root, l)); err != nil || fi.Mode()&os.ModeSymlink == 0 {
			t.Errorf("%s: %v, want the renamed link", l, err)
		}
	}
	for _, code := range []string{`fs.remove("escape2/secret")`, `fs.rename("escape2/secret", "mine")`, `fs.remove("..")`, `fs.remove("lib/..")`} {
		if err := rt.Exec("t", code); err == nil {
			t.Errorf("%s went through", code)
		}
	}
}
