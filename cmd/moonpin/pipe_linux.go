package main

import (
	"os"

	"golang.org/x/sys/unix"
)

// ttyRoom is the room a terminal's output is taken to have: tty drivers
// buffer at least this much (a UART's is 4 KB, a pty's far more), so a
// write that fits it, with what the terminal holds (TIOCOUTQ), does not
// wait.
const ttyRoom = 1024

// outputRoom returns how much a pipe, FIFO or terminal holds and how to
// ask how much of that is taken; a size of 0 for other files.
func outputRoom(fd int, mode os.FileMode) (size int, held func() (int, error)) {
	switch {
	case mode&os.ModeNamedPipe != 0:
		n, err := unix.FcntlInt(uintptr(fd), unix.F_GETPIPE_SZ, 0)
		if err != nil {
			return 0, nil
		}
		return n, func() (int, error) { return unix.IoctlGetInt(fd, unix.TIOCINQ) } // FIONREAD
	case mode&os.ModeCharDevice != 0:
		if _, err := unix.IoctlGetTermios(fd, unix.TCGETS); err != nil {
			return 0, nil // not a terminal
		}
		return ttyRoom, func() (int, error) { return unix.IoctlGetInt(fd, unix.TIOCOUTQ) }
	}
	return 0, nil
}
