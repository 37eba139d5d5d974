package repl_test

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/sys/unix"

	"github.com/moonpin/moonpin/internal/inotifytest"
	fslib "github.com/moonpin/moonpin/interp/lib/fs"
)

func writeFiles(t *testing.T, root string, files map[string]string) {
	t.Helper()
	for name, body := range files {
		p := filepath.Join(root, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// TestStaleTempsWithoutAWalk: at start and at a soft reset the temporary
// files that writes never finished are removed from the root's temporary
// directory and from the root itself, and the tree under the root is not
// read (a root of / took a second to walk, at every soft reset): a
// temporary file deeper down, such as an upload under way to another
// moonpin serving that directory, stays.
func TestStaleTempsWithoutAWalk(t *testing.T) {
	root := t.TempDir()
	stale := func() map[string]string {
		return map[string]string{fslib.TempDir + "/.~moonpin-1": "half an upload", ".~moonpin-2": "half a write"}
	}
	writeFiles(t, root, stale())
	other := "sub/.~moonpin-3"
	writeFiles(t, root, map[string]string{other: "another moonpin's upload", "sub/deep/x.lua": "return 1\n"})
	opened := inotifytest.New(t, filepath.Join(root, "sub"), unix.IN_OPEN)
	check := func(when string) {
		t.Helper()
		for name := range stale() {
			if _, err := os.Stat(filepath.Join(root, name)); !errors.Is(err, fs.ErrNotExist) {
				t.Errorf("%s: %s stayed (%v)", when, name, err)
			}
		}
		if _, err := os.Stat(filepath.Join(root, other)); err != nil {
			t.Errorf("%s: another moonpin's temporary file %s went: %v", when, other, err)
		}
		if ev := opened.Events(); ev != nil {
			t.Errorf("%s: the directory under the root was read (opened: %q)", when, ev)
		}
	}

	d := startDeviceIn(t, root, quickOpts())
	d.Expect("> ")
	check("at start")
	writeFiles(t, root, stale())
	d.Send("\x04")
	d.Expect("soft reboot\r\n")
	d.Expect("> ")
	check("at a soft reset")
}

// TestPutUsesTheRootsTempDir: an upload (moonctl cp) is written in the
// root's temporary directory, not beside its file, and list hides that
// directory (TestFileChannelBadFrames and TestInterruptedPutKeepsOldFile
// see that an upload that fails leaves nothing in it). Where the
// directory cannot be made, the upload goes beside its file.
func TestPutUsesTheRootsTempDir(t *testing.T) {
	d := startDevice(t, nil, quickOpts())
	d.Expect("> ")
	sub := filepath.Join(d.root, "sub")
	if err := os.Mkdir(sub, 0o755); err != nil {
		t.Fatal(err)
	}
	created := inotifytest.New(t, sub, unix.IN_CREATE)
	c, ctx := d.rawClient(t)
	if err := c.Put(ctx, "sub/f.txt", strings.NewReader("hello"), 5, nil); err != nil {
		t.Fatal(err)
	}
	if ev := created.Events(); ev != nil {
		t.Fatalf("the upload created %q beside its file", ev)
	}
	if fi, err := os.Lstat(filepath.Join(d.root, fslib.TempDir)); err != nil || !fi.IsDir() {
		t.Fatalf("the root's temporary directory: %v, %v", fi, err)
	}
	list, err := c.List(ctx, ".")
	if err != nil || len(list) != 1 || list[0].Name != "sub" {
		t.Fatalf("list of the root: %+v, %v; want sub alone", list, err)
	}
	assertFile(t, d.root, "sub/f.txt", "hello")

	if err := os.Remove(filepath.Join(d.root, fslib.TempDir)); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(d.root, fslib.TempDir), []byte("not a directory"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := c.Put(ctx, "sub/f.txt", strings.NewReader("again"), 5, nil); err != nil {
		t.Fatal(err)
	}
	if ev := created.Events(); len(ev) != 1 || !strings.HasPrefix(ev[0], fslib.TempPrefix) {
		t.Fatalf("the upload created %q beside its file, want its temporary file", ev)
	}
	if err := c.ExitRaw(ctx); err != nil {
		t.Fatal(err)
	}
	if got, err := os.ReadFile(filepath.Join(sub, "f.txt")); err != nil || string(got) != "again" {
		t.Fatalf("sub/f.txt = %q, %v", got, err)
	}
}
