package main

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/moonpin/moonpin/internal/stracetest"
)

// TestRenamesReachTheDisk runs the real binary under strace: fs.write's
// rename of its synced temporary file over the file, and fs.rename, are
// each followed by an fsync of the directory the name is in (for a move,
// of both), so that a power cut right after them cannot bring back the
// old file or name. Before, neither synced a directory.
func TestRenamesReachTheDisk(t *testing.T) {
	root := t.TempDir()
	if err := os.Mkdir(filepath.Join(root, "sub"), 0o755); err != nil {
		t.Fatal(err)
	}
	calls := stracetest.Run(t, moonpinBin, "--root", root, "-e", `fs.write("a.txt", "x") fs.rename("a.txt", "sub/b.txt")`)
	r, _ := filepath.EvalSymlinks(root)
	calls.Durable(t, filepath.Join(r, "a.txt"), true, r)
	calls.Durable(t, filepath.Join(r, "sub", "b.txt"), false, filepath.Join(r, "sub"), r)
}
