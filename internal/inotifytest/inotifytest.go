//go:build linux

// Package inotifytest watches a directory for file events (inotify), so
// that a test sees what a call did to it, or did not do, without sleeping:
// the kernel queues an event as the call that causes it runs, so the events
// of a call that has returned are there to read.
package inotifytest

import (
	"errors"
	"strings"
	"testing"
	"unsafe"

	"golang.org/x/sys/unix"
)

// Watch is a watch on one directory, closed at the end of the test.
type Watch struct {
	t  testing.TB
	fd int
}

// New watches dir for the events in mask (unix.IN_CREATE, IN_OPEN, ...).
func New(t testing.TB, dir string, mask uint32) *Watch {
	t.Helper()
	fd, err := unix.InotifyInit1(unix.IN_NONBLOCK | unix.IN_CLOEXEC)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { unix.Close(fd) })
	if _, err := unix.InotifyAddWatch(fd, dir, mask); err != nil {
		t.Fatal(err)
	}
	return &Watch{t: t, fd: fd}
}

// Events returns the names of the events queued since the last call ("" for
// the directory itself), without waiting.
func (w *Watch) Events() []string {
	var names []string
	buf := make([]byte, 64<<10)
	for {
		n, err := unix.Read(w.fd, buf)
		if errors.Is(err, unix.EAGAIN) {
			return names
		}
		if err != nil {
			w.t.Fatal(err)
		}
		for off := 0; off+unix.SizeofInotifyEvent <= n; {
			ev := (*unix.InotifyEvent)(unsafe.Pointer(&buf[off]))
			name := buf[off+unix.SizeofInotifyEvent : off+unix.SizeofInotifyEvent+int(ev.Len)]
			names = append(names, strings.TrimRight(string(name), "\x00"))
			off += unix.SizeofInotifyEvent + int(ev.Len)
		}
	}
}
