package fs_test

import (
	"errors"
	"os"
	"path/filepath"
	"testing"

	fslib "github.com/moonpin/moonpin/interp/lib/fs"
)

// TestRemoveStaleTemps: the temporary files in the root's TempDir and
// beside the root's files go; those deeper down (another moonpin's,
// serving a directory under this root, may be writing them) and the rest
// stay.
func TestRemoveStaleTemps(t *testing.T) {
	root := t.TempDir()
	files := map[string]bool{ // whether it stays
		fslib.TempDir + "/.~moonpin-1":  false,
		".~moonpin-2":                   false,
		"sub/.~moonpin-3":               true,
		"sub/" + fslib.TempDir + "/.~4": true,
		"keep.lua":                      true,
		".~moonpin-dir/x":               true,
	}
	for name := range files {
		p := filepath.Join(root, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte("x"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	fslib.RemoveStaleTemps(root)
	for name, stays := range files {
		_, err := os.Stat(filepath.Join(root, name))
		if stays && err != nil {
			t.Errorf("%s was removed: %v", name, err)
		}
		if !stays && !errors.Is(err, os.ErrNotExist) {
			t.Errorf("%s stayed: %v", name, err)
		}
	}
}
