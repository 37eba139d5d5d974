package main

import (
	"errors"
	"fmt"
	"os"
	"sync"
	"unsafe"

	"golang.org/x/sys/unix"
)

// clientWatch wakes the pty transport when a client opens the slave, where
// the master offers no event for it: Linux reports each open (and close) of
// the slave's device node through inotify. The transport still asks the
// master whether a client is there; the watch only tells it when to ask.
type clientWatch struct {
	f    *os.File
	done chan struct{} // closed when run returns

	mu      sync.Mutex
	changed chan struct{} // closed (and replaced) at each open or close
}

// newClientWatch watches path, the slave's device node.
func newClientWatch(path string) (*clientWatch, error) {
	fd, err := unix.InotifyInit1(unix.IN_CLOEXEC | unix.IN_NONBLOCK)
	if err != nil {
		return nil, fmt.Errorf("inotify: %w", err)
	}
	if _, err := unix.InotifyAddWatch(fd, path, unix.IN_OPEN|unix.IN_CLOSE); err != nil {
		unix.Close(fd)
		return nil, fmt.Errorf("inotify %s: %w", path, err)
	}
	w := &clientWatch{
		f:       os.NewFile(uintptr(fd), "inotify:"+path),
		done:    make(chan struct{}),
		changed: make(chan struct{}),
	}
	go w.run()
	return w, nil
}

// run applies events as they come until Close.
func (w *clientWatch) run() {
	defer close(w.done)
	rc, err := w.f.SyscallConn()
	if err != nil {
		return
	}
	// The poller calls the function whenever the descriptor is readable;
	// returning false waits for the next time.
	_ = rc.Read(func(fd uintptr) bool {
		w.mu.Lock()
		defer w.mu.Unlock()
		return w.drain(int(fd)) != nil
	})
}

// drain reads and applies queued events until none is left. It returns nil
// when the queue is empty, or the error that ended reading. Caller holds mu.
func (w *clientWatch) drain(fd int) error {
	var buf [4096]byte
	for {
		n, err := unix.Read(fd, buf[:])
		if errors.Is(err, unix.EINTR) {
			continue
		}
		if errors.Is(err, unix.EAGAIN) {
			return nil
		}
		if err != nil {
			return err
		}
		if n <= 0 {
			return errors.New("inotify: end of events")
		}
		for off := 0; off+unix.SizeofInotifyEvent <= n; {
			ev := (*unix.InotifyEvent)(unsafe.Pointer(&buf[off]))
			w.apply(ev.Mask)
			off += unix.SizeofInotifyEvent + int(ev.Len)
		}
	}
}

// apply takes one event. Caller holds mu.
func (w *clientWatch) apply(mask uint32) {
	if mask&(unix.IN_OPEN|unix.IN_CLOSE|unix.IN_Q_OVERFLOW) == 0 {
		return
	}
	close(w.changed)
	w.changed = make(chan struct{})
}

// next returns a channel closed at the next open or close of the slave.
func (w *clientWatch) next() <-chan struct{} {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.changed
}

func (w *clientWatch) Close() error {
	err := w.f.Close()
	<-w.done
	return err
}
