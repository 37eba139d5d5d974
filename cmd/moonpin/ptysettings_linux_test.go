package main

import (
	"os"
	"testing"

	"golang.org/x/sys/unix"
)

// TestPtyClientSettingsDoNotPass: terminal settings a client left on the
// pty are undone once it has gone. A client that left it cooked, with echo
// (as `stty sane` does), made the pty echo moonpin's output back as typed
// input for the next client: an endless flood of its banner run as Lua.
func TestPtyClientSettingsDoNotPass(t *testing.T) {
	p, err := openPTY()
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	termios := func(f *os.File) *unix.Termios {
		t.Helper()
		tio, err := unix.IoctlGetTermios(int(f.Fd()), unix.TCGETS)
		if err != nil {
			t.Fatal(err)
		}
		return tio
	}
	f, err := os.OpenFile(p.path, os.O_RDWR|unix.O_NOCTTY, 0)
	if err != nil {
		t.Fatal(err)
	}
	tio := termios(f)
	tio.Lflag |= unix.ECHO | unix.ICANON | unix.ISIG
	tio.Iflag |= unix.ICRNL
	tio.Oflag |= unix.OPOST | unix.ONLCR
	if err := unix.IoctlSetTermios(int(f.Fd()), unix.TCSETS, tio); err != nil {
		t.Fatal(err)
	}
	f.Close()
	p.flushOutput() // as when the transport sees the client has gone
	f, err = os.OpenFile(p.path, os.O_RDWR|unix.O_NOCTTY, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if tio := termios(f); tio.Lflag&(unix.ECHO|unix.ICANON|unix.ISIG) != 0 || tio.Iflag&unix.ICRNL != 0 || tio.Oflag&unix.OPOST != 0 {
		t.Fatalf("the next client found the pty as the last one left it: lflag %#x iflag %#x oflag %#x", tio.Lflag, tio.Iflag, tio.Oflag)
	}
}
