package main

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/moonpin/moonpin/internal/stracetest"
)

// TestComputerWritesReachTheDisk runs moonctl under strace. What it writes
// on the computer is on the disk when the device is told it is done, as on
// the device: a file that fs.write writes in a mounted directory, and one
// that cp copies from the device, is synced before it is renamed into
// place, and the directory after; fs.rename in a mount syncs both
// directories. Before, none of these was synced.
func TestComputerWritesReachTheDisk(t *testing.T) {
	b := startBoard(t, map[string]string{"board.txt": "from the board"})
	dir := t.TempDir()
	if err := os.Mkdir(filepath.Join(dir, "sub"), 0o755); err != nil {
		t.Fatal(err)
	}
	d, _ := filepath.EvalSymlinks(dir)
	calls := stracetest.Run(t, moonctlBin, "-p", b.path, "mount", "--rw", dir, "+", "exec",
		`fs.write("a.txt", "x") fs.rename("a.txt", "sub/b.txt") fs.write("sub/c.txt", "y")`)
	calls.Durable(t, filepath.Join(d, "a.txt"), true, d)
	calls.Durable(t, filepath.Join(d, "sub", "b.txt"), false, filepath.Join(d, "sub"), d)
	calls.Durable(t, filepath.Join(d, "sub", "c.txt"), true, filepath.Join(d, "sub"))

	calls = stracetest.Run(t, moonctlBin, "-p", b.path, "cp", ":board.txt", filepath.Join(dir, "copy.txt"))
	calls.Durable(t, filepath.Join(d, "copy.txt"), true, d)
	if data, err := os.ReadFile(filepath.Join(dir, "copy.txt")); string(data) != "from the board" {
		t.Errorf("copy.txt holds %q (%v)", data, err)
	}
}
