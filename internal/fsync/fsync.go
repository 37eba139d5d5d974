// Package fsync puts files in place so that they survive a power cut, and
// flushes a directory's entries to the disk after a rename into it, for
// the device (fs.write, uploads, moonpin install) and the computer (what
// moonctl copies or a mount writes) alike.
package fsync

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"syscall"
)

// WriteOver puts tmp, a temporary file just made beside path, in place of
// path, whole or not at all: write fills it, and it is given mode, synced,
// closed and renamed over path; on any failure it is removed. path's
// directory is not synced (see Dir).
func WriteOver(tmp *os.File, path string, mode fs.FileMode, write func(io.Writer) error) error {
	err := write(tmp)
	if err == nil {
		err = tmp.Chmod(mode)
	}
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp.Name(), path)
	}
	if err != nil {
		os.Remove(tmp.Name())
	}
	return err
}

// NotSynced says, of err from Dir after a rename, that the rename was made
// but may not survive a power cut; nil stays nil.
func NotSynced(err error) error {
	if err != nil {
		return fmt.Errorf("renamed, but the directory may not be on the disk yet: %w", err)
	}
	return nil
}

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
