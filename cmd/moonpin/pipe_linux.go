package main

import "golang.org/x/sys/unix"

// pipeSize is the capacity of the pipe fd, 0 if unknown.
func pipeSize(fd int) int {
	n, err := unix.FcntlInt(uintptr(fd), unix.F_GETPIPE_SZ, 0)
	if err != nil {
		return 0
	}
	return n
}

// pipeHeld is how many bytes the pipe fd holds unread (FIONREAD).
func pipeHeld(fd int) (int, error) { return unix.IoctlGetInt(fd, unix.TIOCINQ) }
