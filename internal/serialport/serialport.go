// Package serialport holds what moonpin (device) and moonctl (host) both
// need around go.bug.st/serial's ports.
package serialport

import (
	"errors"
	"syscall"

	"go.bug.st/serial"
)

// WholeWrites completes the short writes of a serial port: go.bug.st/serial
// returns what one write(2) took, and a tty write that blocks for room (the
// other side reads slower than this one writes, as in a big copy) is cut
// short whenever a signal, Go's preemption among them, interrupts it. The
// rest would be lost and the file channel's frames broken.
type WholeWrites struct{ serial.Port }

func (w WholeWrites) Write(p []byte) (int, error) {
	done := 0
	for done < len(p) {
		n, err := w.Port.Write(p[done:])
		done += max(n, 0)
		if err != nil && !errors.Is(err, syscall.EINTR) && !errors.Is(err, syscall.EAGAIN) {
			return done, err
		}
	}
	return done, nil
}
