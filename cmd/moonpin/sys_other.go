//go:build darwin || freebsd || netbsd || openbsd

package main

import (
	"time"

	"golang.org/x/sys/unix"
)

// bootID is empty where the OS does not name its boots: every start then
// counts, and the wall clock tells how recent it was.
func bootID() string { return "" }

func sinceBoot() time.Duration { return time.Duration(time.Now().UnixNano()) }

// syncFS flushes every file system: one cannot be picked here.
func syncFS(string) error {
	unix.Sync()
	return nil
}

// flushOutput drops what was written to the terminal fd and not yet read
// by the other side: TIOCFLUSH with FWRITE (2) is the BSDs' tcflush
// TCOFLUSH.
func flushOutput(fd int) error { return unix.IoctlSetPointerInt(fd, unix.TIOCFLUSH, 2) }

// flushInput drops what the other side wrote to the terminal fd and was
// not yet read: TIOCFLUSH with FREAD (1) is the BSDs' tcflush TCIFLUSH.
func flushInput(fd int) error { return unix.IoctlSetPointerInt(fd, unix.TIOCFLUSH, 1) }
