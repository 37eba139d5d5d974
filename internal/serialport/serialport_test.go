package serialport

import (
	"bytes"
	"syscall"
	"testing"

	"go.bug.st/serial"
)

// shortPort takes at most 3 bytes a write and is interrupted every other
// time, as a tty write waiting for room is when a signal comes.
type shortPort struct {
	serial.Port
	got   bytes.Buffer
	calls int
}

func (p *shortPort) Write(b []byte) (int, error) {
	p.calls++
	if p.calls%2 == 0 {
		return -1, syscall.EINTR
	}
	n := min(len(b), 3)
	p.got.Write(b[:n])
	return n, nil
}

// TestWholeWrites: a serial port's short and interrupted writes are carried
// on until every byte is written; a big copy over a real line lost the rest.
func TestWholeWrites(t *testing.T) {
	p := &shortPort{}
	msg := []byte("a frame that takes several writes")
	n, err := WholeWrites{p}.Write(msg)
	if n != len(msg) || err != nil || !bytes.Equal(p.got.Bytes(), msg) {
		t.Fatalf("wrote %d, %v; the port got %q", n, err, p.got.Bytes())
	}
}
