package fs_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/sys/unix"

	"github.com/moonpin/moonpin/internal/inotifytest"
	"github.com/moonpin/moonpin/interp"
	"github.com/moonpin/moonpin/interp/interptest"
	fslib "github.com/moonpin/moonpin/interp/lib/fs"
)

// tempFiles lists the files under root whose names start with TempPrefix
// (the temporary directory itself is no file).
func tempFiles(t *testing.T, root string) []string {
	t.Helper()
	var out []string
	filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && strings.HasPrefix(d.Name(), fslib.TempPrefix) {
			out = append(out, p)
		}
		return nil
	})
	return out
}

// TestWritesUseTheRootsTempDir: fs.write's temporary file is made in the
// root's TempDir, not beside the file, where RemoveStaleTemps would have
// to walk the tree to find it; fs.list hides that directory, and a write,
// done or interrupted, leaves nothing in it.
func TestWritesUseTheRootsTempDir(t *testing.T) {
	root := t.TempDir()
	sub := filepath.Join(root, "sub")
	if err := os.Mkdir(sub, 0o755); err != nil {
		t.Fatal(err)
	}
	created := inotifytest.New(t, sub, unix.IN_CREATE).Events
	rt, _ := interptest.New(t, &interp.Options{Root: root})
	err := rt.Exec("t", `
fs.write("sub/f", "one")
fs.write("sub/f", "two")
assert(fs.read("sub/f") == "two")
local names = fs.list()
assert(#names == 1 and names[1] == "sub", table.concat(names, " "))
`)
	if err != nil {
		t.Fatal(err)
	}
	if names := created(); names != nil {
		t.Fatalf("fs.write created %v beside the file", names)
	}
	fi, err := os.Lstat(filepath.Join(root, fslib.TempDir))
	if err != nil || !fi.IsDir() || fi.Mode().Perm() != 0o700 {
		t.Fatalf("the root's temporary directory: %v, %v; want a directory, mode 0700", fi, err)
	}
	if files := tempFiles(t, root); files != nil {
		t.Fatalf("fs.write left %v", files)
	}

	target := fslib.Target{Path: filepath.Join(sub, "f"), Root: root}
	err = target.WriteFile(&cancelAfter{context.Background(), 2}, bytes.Repeat([]byte("x"), 3<<20), false)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("interrupted write: %v, want the context's error", err)
	}
	if got, _ := os.ReadFile(target.Path); string(got) != "two" {
		t.Fatalf("an interrupted write left %d bytes, want the old file", len(got))
	}
	if files := tempFiles(t, root); files != nil {
		t.Fatalf("an interrupted write left %v", files)
	}
}

// TestWritesFallBesideTheFile: where the root's TempDir cannot be made, a
// write's temporary file goes beside the file, as it always did, and the
// write succeeds.
func TestWritesFallBesideTheFile(t *testing.T) {
	check := func(t *testing.T, root string) {
		t.Helper()
		sub := filepath.Join(root, "sub")
		created := inotifytest.New(t, sub, unix.IN_CREATE).Events
		rt, _ := interptest.New(t, &interp.Options{Root: root})
		if err := rt.Exec("t", `fs.write("sub/f", "x") assert(fs.read("sub/f") == "x")`); err != nil {
			t.Fatal(err)
		}
		if names := created(); len(names) != 1 || !strings.HasPrefix(names[0], fslib.TempPrefix) {
			t.Fatalf("the write created %v beside the file, want its temporary file", names)
		}
		entries, _ := os.ReadDir(sub)
		if len(entries) != 1 || entries[0].Name() != "f" {
			t.Fatalf("the write left %v beside the file", entries)
		}
	}
	t.Run("a file in its place", func(t *testing.T) {
		root := t.TempDir()
		if err := os.Mkdir(filepath.Join(root, "sub"), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(root, fslib.TempDir), []byte("not a directory"), 0o644); err != nil {
			t.Fatal(err)
		}
		check(t, root)
	})
	t.Run("a read-only root", func(t *testing.T) {
		if os.Geteuid() == 0 {
			t.Skip("running as root, whom a directory's mode does not stop from making the temporary directory in it")
		}
		root := t.TempDir()
		if err := os.Mkdir(filepath.Join(root, "sub"), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.Chmod(root, 0o555); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { os.Chmod(root, 0o755) })
		check(t, root)
	})
}

// TestWritesToAnotherMountGoBesideThem: a file on another mount than the
// root (a mount under the root, or a place --allow-write grants) cannot be
// renamed into from the root's TempDir (EXDEV): its temporary file goes
// beside it.
func TestWritesToAnotherMountGoBesideThem(t *testing.T) {
	write := func(t *testing.T, root, other string) {
		t.Helper()
		created := inotifytest.New(t, other, unix.IN_CREATE).Events
		rt, _ := interptest.New(t, &interp.Options{Root: root, AllowWrite: []string{other}})
		f := filepath.Join(other, "f")
		if err := rt.Exec("t", fmt.Sprintf(`fs.write(%q, "x") assert(fs.read(%q) == "x")`, f, f)); err != nil {
			t.Fatal(err)
		}
		if names := created(); len(names) != 1 || !strings.HasPrefix(names[0], fslib.TempPrefix) {
			t.Fatalf("the write created %v beside the file, want its temporary file", names)
		}
		if files := tempFiles(t, other); files != nil {
			t.Fatalf("the write left %v", files)
		}
	}
	t.Run("another file system", func(t *testing.T) {
		root := t.TempDir()
		other, err := os.MkdirTemp("/dev/shm", "moonpin-test-")
		if err != nil {
			t.Skipf("no directory on another file system: %v", err)
		}
		t.Cleanup(func() { os.RemoveAll(other) })
		if sameDevice(t, root, other) {
			t.Skipf("%s and %s are on one file system", root, other)
		}
		write(t, root, other)
	})
	t.Run("a bind mount", func(t *testing.T) {
		// One file system, so one device number; the kernel still
		// refuses a rename from one mount to the other.
		root, src := t.TempDir(), t.TempDir()
		other := filepath.Join(root, "bound")
		if err := os.Mkdir(other, 0o755); err != nil {
			t.Fatal(err)
		}
		if err := unix.Mount(src, other, "", unix.MS_BIND, ""); err != nil {
			t.Skipf("cannot bind-mount (a bind mount needs CAP_SYS_ADMIN): %v", err)
		}
		t.Cleanup(func() { unix.Unmount(other, unix.MNT_DETACH) })
		if !sameDevice(t, root, other) {
			t.Fatalf("a bind mount of %s under %s has another device", src, root)
		}
		write(t, root, other)
	})
}

func sameDevice(t *testing.T, a, b string) bool {
	t.Helper()
	var sa, sb unix.Stat_t
	if err := unix.Stat(a, &sa); err != nil {
		t.Fatal(err)
	}
	if err := unix.Stat(b, &sb); err != nil {
		t.Fatal(err)
	}
	return sa.Dev == sb.Dev
}

// TestStaleTempsOfAnotherMoonpinStay: while another moonpin serves the same
// root (it holds its shared lock there), its temporary files may be writes
// under way: a soft reset here removed them, and its upload failed at the
// rename. Once it is gone they go; and after the first call this process
// holds its own lock, which the other finds.
func TestStaleTempsOfAnotherMoonpinStay(t *testing.T) {
	root := t.TempDir()
	temp := filepath.Join(root, fslib.TempDir, ".~moonpin-1")
	if err := os.MkdirAll(filepath.Dir(temp), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(temp, []byte("half an upload"), 0o600); err != nil {
		t.Fatal(err)
	}
	other, err := os.Open(root) // another moonpin: its own open of the root
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	if err := unix.Flock(int(other.Fd()), unix.LOCK_SH); err != nil {
		t.Fatal(err)
	}
	fslib.RemoveStaleTemps(root)
	if _, err := os.Stat(temp); err != nil {
		t.Fatalf("another moonpin's temporary file was removed: %v", err)
	}
	if err := unix.Flock(int(other.Fd()), unix.LOCK_UN); err != nil {
		t.Fatal(err)
	}
	fslib.RemoveStaleTemps(root)
	if _, err := os.Stat(temp); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("the stale temporary file stayed once no one else served the root: %v", err)
	}
	if err := unix.Flock(int(other.Fd()), unix.LOCK_EX|unix.LOCK_NB); !errors.Is(err, unix.EWOULDBLOCK) {
		t.Fatalf("another moonpin could take the root for itself while this one serves it: %v", err)
	}
}

// TestReplaceAcrossMounts: where a temporary file cannot be renamed over
// its file (EXDEV: another mount, which a kernel without mount ids, or
// qemu-user, does not tell from the root's for a bind mount), Replace
// copies it beside the file, with its mode, renames that in place and
// removes the temporary file.
func TestReplaceAcrossMounts(t *testing.T) {
	other, err := os.MkdirTemp("/dev/shm", "moonpin-test-")
	if err != nil {
		t.Skipf("no directory on another file system: %v", err)
	}
	t.Cleanup(func() { os.RemoveAll(other) })
	dir := t.TempDir()
	if sameDevice(t, dir, other) {
		t.Skipf("%s and %s are on one file system", dir, other)
	}
	tmp := filepath.Join(dir, fslib.TempPrefix+"1")
	if err := os.WriteFile(tmp, []byte("new"), 0o640); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(other, "f")
	if err := os.WriteFile(path, []byte("old"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := fslib.Replace(tmp, path); err != nil {
		t.Fatal(err)
	}
	if got, err := os.ReadFile(path); err != nil || string(got) != "new" {
		t.Fatalf("the file holds %q, %v; want new", got, err)
	}
	if fi, err := os.Stat(path); err != nil || fi.Mode().Perm() != 0o640 {
		t.Fatalf("the file's mode: %v, %v; want 0640", fi, err)
	}
	if _, err := os.Stat(tmp); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("the temporary file stayed: %v", err)
	}
	if files := tempFiles(t, other); files != nil {
		t.Fatalf("the copy left %v", files)
	}
}
