package repl

import (
	"errors"
	"sync"
	"time"
)

var (
	// errClosed: the device is shutting down.
	errClosed = errors.New("repl: device closed")
	// errFresh: a connection came or went; whatever was being read belongs to
	// the old one.
	errFresh = errors.New("repl: connection changed")
	// errTimeout: the line went quiet in the middle of a frame.
	errTimeout = errors.New("repl: timed out waiting for input")
)

// input queues the bytes read from the connection for the REPL goroutine.
// The reader never blocks on it, so Ctrl-C is seen while code runs; beyond
// limit queued bytes, input is dropped (no protocol sends that much without
// waiting for a reply).
type input struct {
	limit int

	mu      sync.Mutex
	buf     []byte // queued bytes are buf[head:]
	head    int
	gen     uint64
	fresh   bool
	closed  bool
	dropped int
	wake    chan struct{} // has room for one wake-up
}

func newInput(limit int) *input {
	return &input{limit: limit, wake: make(chan struct{}, 1)}
}

// attach starts a new connection: queued input is discarded and the REPL is
// told with errFresh. It returns the connection's generation for push.
func (in *input) attach() uint64 {
	in.mu.Lock()
	defer in.mu.Unlock()
	in.gen++
	in.buf, in.head = in.buf[:0], 0
	in.fresh = true
	in.signal()
	return in.gen
}

// detach ends the connection gen, if it is current.
func (in *input) detach(gen uint64) {
	in.mu.Lock()
	defer in.mu.Unlock()
	if in.gen != gen {
		return
	}
	in.gen++
	in.buf, in.head = in.buf[:0], 0
	in.fresh = true
	in.signal()
}

func (in *input) signal() {
	select {
	case in.wake <- struct{}{}:
	default:
	}
}

// push queues p from connection gen. Any goroutine.
func (in *input) push(gen uint64, p []byte) {
	in.mu.Lock()
	defer in.mu.Unlock()
	if in.gen != gen || in.closed {
		return
	}
	if in.head > 0 && in.head == len(in.buf) {
		in.buf, in.head = in.buf[:0], 0
	} else if in.head > 64<<10 && in.head > len(in.buf)/2 {
		in.buf = in.buf[:copy(in.buf, in.buf[in.head:])]
		in.head = 0
	}
	room := in.limit - (len(in.buf) - in.head)
	if len(p) > room {
		in.dropped += len(p) - max(room, 0)
		p = p[:max(room, 0)]
	}
	in.buf = append(in.buf, p...)
	in.signal()
}

// ackFresh clears the connection-changed condition: the REPL has greeted the
// new connection.
func (in *input) ackFresh() {
	in.mu.Lock()
	in.fresh = false
	in.mu.Unlock()
}

// unread puts b back at the front of the queue.
func (in *input) unread(b byte) {
	in.mu.Lock()
	defer in.mu.Unlock()
	if in.head > 0 {
		in.head--
		in.buf[in.head] = b
		return
	}
	in.buf = append(in.buf, 0)
	copy(in.buf[1:], in.buf)
	in.buf[0] = b
}

func (in *input) close() {
	in.mu.Lock()
	in.closed = true
	in.signal()
	in.mu.Unlock()
}

// pending reports how many bytes are queued.
func (in *input) pending() int {
	in.mu.Lock()
	defer in.mu.Unlock()
	return len(in.buf) - in.head
}

// read copies queued bytes into p, waiting for at least one. A zero timeout
// waits for ever. It fails with errFresh while a connection change is
// unacknowledged, errClosed after close and errTimeout after timeout.
func (in *input) read(p []byte, timeout time.Duration) (int, error) {
	var deadline <-chan time.Time
	for {
		in.mu.Lock()
		switch {
		case in.closed:
			in.mu.Unlock()
			return 0, errClosed
		case in.fresh:
			in.mu.Unlock()
			return 0, errFresh
		case in.head < len(in.buf):
			n := copy(p, in.buf[in.head:])
			in.head += n
			if in.head == len(in.buf) {
				in.buf, in.head = in.buf[:0], 0
			}
			in.mu.Unlock()
			return n, nil
		}
		in.mu.Unlock()
		if timeout > 0 && deadline == nil {
			t := time.NewTimer(timeout)
			defer t.Stop()
			deadline = t.C
		}
		select {
		case <-in.wake:
		case <-deadline:
			return 0, errTimeout
		}
	}
}

// readByte reads one byte; see read.
func (in *input) readByte(timeout time.Duration) (byte, error) {
	var b [1]byte
	_, err := in.read(b[:], timeout)
	return b[0], err
}

// discardQuiet throws input away until none has come for quiet, or for at
// most limit in all: after a broken frame, the rest of it.
func (in *input) discardQuiet(quiet, limit time.Duration) {
	end := time.Now().Add(limit)
	var scratch [4096]byte
	for time.Now().Before(end) {
		if _, err := in.read(scratch[:], quiet); err != nil {
			return
		}
	}
}

// timedReader reads from the queue with a timeout per read: frames and
// raw-paste data must keep coming once started.
type timedReader struct {
	in      *input
	timeout time.Duration
}

func (r timedReader) Read(p []byte) (int, error) { return r.in.read(p, r.timeout) }
