// Package fsync flushes a directory's entries to the disk, after a rename
// into it, for the device (fs.write, uploads) and the computer (what
// moonctl copies or a mount writes) alike.
package fsync

import (
	"errors"
	"os"
	"syscall"
)

// Dir flushes dir's entries to the disk.
func Dir(dir string) error {
	return done(os.Open(dir))
}

// DirIn flushes the entries of dir, a directory in root, to the disk.
func DirIn(root *os.Root, dir string) error {
	return done(root.Open(dir))
}

// done syncs and closes d. A file system that cannot sync a directory
// (EINVAL: some FUSE and network ones) has nothing more to flush for it.
func done(d *os.File, err error) error {
	if err != nil {
		return err
	}
	err = d.Sync()
	if cerr := d.Close(); err == nil {
		err = cerr
	}
	if errors.Is(err, syscall.EINVAL) || errors.Is(err, syscall.ENOTSUP) {
		return nil
	}
	return err
}
