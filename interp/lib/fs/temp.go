package fs

import (
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"syscall"

	"github.com/moonpin/moonpin/internal/fsync"
)

// TempDir is the directory under the script root that holds the temporary
// files of atomic writes (fs.write, moonctl cp) until they are renamed over
// their files. Its name starts with TempPrefix, so listings hide it. The
// stale files of writes that never finished are all in it, where
// RemoveStaleTemps finds them without walking the tree under the root.
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

// RemoveStaleTemps removes the temporary files of writes that never
// finished (moonpin killed during an upload or an fs.write), which
// listings hide, so nothing else would: those in root's TempDir, and those
// beside files in the root itself (where a write put them when TempDir
// could not be used). It reads those two directories only, not the tree
// under the root, which may be a whole disk (--root defaults to the
// directory moonpin starts in): a temporary file that CreateTemp put
// beside a file deeper down stays, and so do those of another moonpin
// serving a directory under root, whose writes may be under way. It must
// run when no write of this process's to root can be under way; another
// moonpin serving the same root (a second service, a script run by hand)
// may be writing, and then nothing is removed: each moonpin holds a shared
// lock (flock) on the root from its first call on, made exclusive for the
// removal only.
func RemoveStaleTemps(root string) {
	unlock, ok := lockRoot(root)
	if !ok {
		return
	}
	defer unlock()
	tmpDir := filepath.Join(root, TempDir)
	if fi, err := os.Lstat(tmpDir); err == nil && fi.IsDir() {
		removeTemps(tmpDir)
	}
	removeTemps(root)
}

// rootLocks holds, for each root RemoveStaleTemps was called on, the open
// directory this process's shared lock on it is held through, for as long
// as the process runs.
var rootLocks = struct {
	sync.Mutex
	dirs map[string]*os.File
}{dirs: map[string]*os.File{}}

// lockRoot makes this process's lock on root exclusive, and reports
// whether it could: not while another process holds one. unlock makes it
// shared again. Where root cannot be opened or locked (a file system
// without flock), there is no telling, and the removal goes ahead as it
// did before there was a lock.
func lockRoot(root string) (unlock func(), ok bool) {
	rootLocks.Lock()
	defer rootLocks.Unlock()
	d := rootLocks.dirs[root]
	if d == nil {
		var err error
		if d, err = os.Open(root); err != nil {
			return func() {}, true
		}
		rootLocks.dirs[root] = d
	}
	fd := int(d.Fd())
	// Linux makes a shared lock exclusive by dropping it and then asking,
	// so the shared one is asked for again whatever came of that.
	shared := func() { _ = syscall.Flock(fd, syscall.LOCK_SH) }
	err := syscall.Flock(fd, syscall.LOCK_EX|syscall.LOCK_NB)
	if errors.Is(err, syscall.EWOULDBLOCK) {
		shared()
		return nil, false
	}
	return shared, true
}

// removeTemps removes the files in dir whose names start with TempPrefix,
// reading dir a batch of entries at a time.
func removeTemps(dir string) {
	f, err := os.Open(dir)
	if err != nil {
		return
	}
	defer f.Close()
	for {
		entries, err := f.ReadDir(256)
		for _, e := range entries {
			if !e.IsDir() && strings.HasPrefix(e.Name(), TempPrefix) {
				_ = os.Remove(filepath.Join(dir, e.Name()))
			}
		}
		if err != nil {
			return
		}
	}
}

// Rename renames from to to, as os.Rename, and then flushes the directory
// (or both, when they differ) to the disk: without that a power cut in the
// next seconds could still bring back the old name after moonctl mv or
// fs.rename reported success.
func Rename(from, to string) error {
	if err := os.Rename(from, to); err != nil {
		return err
	}
	err := fsync.Dir(filepath.Dir(to))
	if fromDir := filepath.Dir(from); err == nil && fromDir != filepath.Dir(to) {
		err = fsync.Dir(fromDir)
	}
	return fsync.NotSynced(err)
}

// Replace renames the temporary file tmp, written and synced, over path
// and flushes path's directory to the disk: without that a power cut in
// the next seconds could still bring back the old file after an upload or
// an fs.write reported success. tmp's directory is left as it is: a
// temporary file that comes back is a stale one, which RemoveStaleTemps
// removes.
//
// Where the rename is refused because path is on another mount (EXDEV:
// CreateTemp could not tell, as on a kernel without mount ids), tmp is
// copied to a temporary file beside path, which is renamed in its place,
// and tmp is removed.
func Replace(tmp, path string) error {
	err := os.Rename(tmp, path)
	if errors.Is(err, syscall.EXDEV) {
		err = copyOver(tmp, path)
	}
	if err != nil {
		return err
	}
	return fsync.NotSynced(fsync.Dir(filepath.Dir(path)))
}

// copyOver puts a copy of the synced file tmp, with its mode, in place of
// path (writeBeside), and removes tmp.
func copyOver(tmp, path string) error {
	src, err := os.Open(tmp)
	if err != nil {
		return err
	}
	defer src.Close()
	fi, err := src.Stat()
	if err != nil {
		return err
	}
	if err := writeBeside(path, src, fi.Mode().Perm()); err != nil {
		return err
	}
	os.Remove(tmp)
	return nil
}

// WriteBeside puts what r holds in place of path, whole or not at all:
// through a temporary file beside it, with mode, synced and renamed over
// path, and then path's directory synced (see Replace). For files outside
// a script root (moonpin install's unit file).
func WriteBeside(path string, r io.Reader, mode fs.FileMode) error {
	if err := writeBeside(path, r, mode); err != nil {
		return err
	}
	return fsync.NotSynced(fsync.Dir(filepath.Dir(path)))
}

// writeBeside is WriteBeside without the directory's sync.
func writeBeside(path string, r io.Reader, mode fs.FileMode) error {
	dst, err := os.CreateTemp(filepath.Dir(path), TempPrefix+"*")
	if err != nil {
		return err
	}
	return fsync.WriteOver(dst, path, mode, func(w io.Writer) error {
		_, err := io.Copy(w, r)
		return err
	})
}
