// Package expect is for tests that talk to a device, or watch a process, the
// way a person or a tool would: send bytes, then wait for the bytes expected
// back. Nothing sleeps: each wait reads until what it looks for has come,
// with a deadline, and a test that fails shows what came instead.
//
// Only tests import it.
package expect

import (
	"bytes"
	"errors"
	"io"
	"strconv"
	"sync"
	"testing"
	"time"
)

// DefaultTimeout is how long a wait lasts unless Timeout says otherwise.
const DefaultTimeout = 10 * time.Second

var errTimeout = errors.New("timed out")

// Buffer collects what is written to it (as an exec.Cmd's Stdout, say) and
// lets a test wait for bytes in it. A wait consumes what it matched, and
// everything before, so the next one looks only at what came after.
type Buffer struct {
	// Timeout is how long each wait lasts; NewBuffer and New set it to
	// DefaultTimeout.
	Timeout time.Duration
	// Tail, when not 0, limits what a failure shows of the bytes not yet
	// consumed to the last Tail of them; 0 shows them all.
	Tail int

	t    testing.TB
	mu   sync.Mutex
	buf  []byte        // everything written
	off  int           // buf[:off] is consumed
	more chan struct{} // a token after each write
	end  chan struct{} // closed when no more bytes will come (a Stream's)
}

// NewBuffer returns an empty Buffer that fails t when a wait fails.
func NewBuffer(t testing.TB) *Buffer {
	return &Buffer{
		Timeout: DefaultTimeout,
		t:       t,
		more:    make(chan struct{}, 1),
		end:     make(chan struct{}),
	}
}

// Write adds p to what came; it never fails.
func (b *Buffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	b.buf = append(b.buf, p...)
	b.mu.Unlock()
	select {
	case b.more <- struct{}{}:
	default:
	}
	return len(p), nil
}

// String is everything that came so far, consumed or not.
func (b *Buffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return string(b.buf)
}

// wait waits up to d until match, given the bytes not yet consumed, returns
// how many of them to consume (-1 while what it wants has not come), then
// consumes and returns them. Its error is errTimeout or, when the bytes
// have ended without a match, io.EOF.
func (b *Buffer) wait(d time.Duration, match func(rest []byte) int) (string, error) {
	deadline := time.NewTimer(d)
	defer deadline.Stop()
	ended := false
	for {
		b.mu.Lock()
		rest := b.buf[b.off:]
		if n := match(rest); n >= 0 {
			got := string(rest[:n])
			b.off += n
			b.mu.Unlock()
			return got, nil
		}
		b.mu.Unlock()
		if ended {
			return "", io.EOF
		}
		select {
		case <-b.more:
		case <-b.end:
			ended = true // all that will come is in: one more look
		case <-deadline.C:
			return "", errTimeout
		}
	}
}

// failed fails the test after a wait for what failed.
func (b *Buffer) failed(err error, what string) {
	b.t.Helper()
	why := "timed out"
	if err == io.EOF {
		why = "connection closed"
	}
	b.mu.Lock()
	got := b.buf[b.off:]
	if b.Tail > 0 && len(got) > b.Tail {
		got = append([]byte("..."), got[len(got)-b.Tail:]...)
	}
	shown := string(got)
	b.mu.Unlock()
	b.t.Fatalf("%s waiting for %s; got %q", why, what, shown)
}

func index(want string) func([]byte) int {
	return func(rest []byte) int {
		if i := bytes.Index(rest, []byte(want)); i >= 0 {
			return i + len(want)
		}
		return -1
	}
}

// Expect waits for want and returns everything up to and including it,
// consuming it. It fails the test, showing what came, if want has not come
// within Timeout or the connection closes first.
func (b *Buffer) Expect(want string) string {
	b.t.Helper()
	got, err := b.wait(b.Timeout, index(want))
	if err != nil {
		b.failed(err, strconv.Quote(want))
	}
	return got
}

// Exact is Expect that also fails unless nothing else came before want.
func (b *Buffer) Exact(want string) {
	b.t.Helper()
	if got := b.Expect(want); got != want {
		b.t.Fatalf("got %q, want exactly %q", got, want)
	}
}

// Next waits for the next n bytes and returns them.
func (b *Buffer) Next(n int) string {
	b.t.Helper()
	got, err := b.wait(b.Timeout, func(rest []byte) int {
		if len(rest) >= n {
			return n
		}
		return -1
	})
	if err != nil {
		b.failed(err, strconv.Itoa(n)+" bytes")
	}
	return got
}

// WaitFor is Expect that waits d and reports whether want came, rather than
// failing the test.
func (b *Buffer) WaitFor(want string, d time.Duration) bool {
	_, err := b.wait(d, index(want))
	return err == nil
}

// Read reads what came and is not yet consumed, waiting up to Timeout for
// a first byte. At the end of a connection it returns io.EOF; it never
// fails the test.
func (b *Buffer) Read(p []byte) (int, error) {
	if len(p) == 0 {
		return 0, nil
	}
	got, err := b.wait(b.Timeout, func(rest []byte) int {
		if len(rest) == 0 {
			return -1
		}
		return min(len(rest), len(p))
	})
	if err == errTimeout {
		err = errors.New("expect: nothing came in " + b.Timeout.String())
	}
	return copy(p, got), err
}

// Stream is a test's end of a connection: Send and Write write to it, and
// one goroutine reads what comes into the Buffer's waits (and Read).
type Stream struct {
	*Buffer
	rw   io.ReadWriteCloser
	once sync.Once
	err  error
}

// New starts reading rw. The Stream is closed when the test ends, if not
// before.
func New(t testing.TB, rw io.ReadWriteCloser) *Stream {
	s := &Stream{Buffer: NewBuffer(t), rw: rw}
	go s.receive()
	t.Cleanup(func() { s.Close() })
	return s
}

// receive keeps what it reads, even with an error, until the first error.
func (s *Stream) receive() {
	defer close(s.end)
	p := make([]byte, 64<<10)
	for {
		n, err := s.rw.Read(p)
		s.Buffer.Write(p[:n])
		if err != nil {
			return
		}
	}
}

// Write writes p to the connection.
func (s *Stream) Write(p []byte) (int, error) { return s.rw.Write(p) }

// Send writes str to the connection, failing the test if it cannot.
func (s *Stream) Send(str string) {
	s.t.Helper()
	if _, err := s.rw.Write([]byte(str)); err != nil {
		s.t.Fatalf("send %q: %v", str, err)
	}
}

// Close closes the connection and waits for the reading goroutine to end.
// Later calls only wait.
func (s *Stream) Close() error {
	s.once.Do(func() { s.err = s.rw.Close() })
	<-s.end
	return s.err
}
