package fs

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
)

// TempDir is the directory under the script root that holds the temporary
// files of atomic writes (fs.write, moonctl cp) until they are renamed over
// their files. Its name starts with TempPrefix, so listings hide it. The
// stale files of writes that never finished are all in it, where they can
// be found without walking the tree under the root.
const TempDir = TempPrefix + "tmp"

// CreateTemp creates the temporary file for an atomic write of path, to be
// renamed over it: in root's TempDir, made on demand, or beside path where
// that cannot be made or written (a read-only root, a TempDir of another
// user's) or is on another mount than path's directory (a mount under the
// root, or path granted elsewhere), where the rename would fail with
// EXDEV. An empty root puts it beside path.
func CreateTemp(root, path string) (*os.File, error) {
	dir := filepath.Dir(path)
	if root != "" {
		tmpDir := filepath.Join(root, TempDir)
		if err := os.Mkdir(tmpDir, 0o700); err == nil || errors.Is(err, fs.ErrExist) {
			// A symlink there could lead the file being written out of
			// the root.
			fi, err := os.Lstat(tmpDir)
			if err == nil && fi.IsDir() && sameMount(tmpDir, dir) {
				if f, err := os.CreateTemp(tmpDir, TempPrefix+"*"); err == nil {
					return f, nil
				}
			}
		}
	}
	return os.CreateTemp(dir, TempPrefix+"*")
}
