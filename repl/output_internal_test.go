package repl

import (
	"bytes"
	"strings"
	"sync"
	"testing"
	"time"
)

type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// TestWriteToKeepsToItsConnection: output meant for the connection of one
// generation (a greeting decided before a client came, generation 0 when
// none ever had) never reaches another.
func TestWriteToKeepsToItsConnection(t *testing.T) {
	o := newOutput(1<<10, time.Second)
	none := o.generation()
	var first, second lockedBuffer
	gen := o.attach(&first)
	o.writeTo(none, []byte("decided before anyone came "))
	o.writeTo(gen, []byte("for the first"))
	o.flush(time.Second)
	next := o.attach(&second)
	o.writeTo(gen, []byte("for the first, too late"))
	o.write([]byte("for whoever is there"), false)
	o.flush(time.Second)
	o.detach(next)
	if got := first.String(); got != "for the first" {
		t.Errorf("the first connection got %q", got)
	}
	if got := second.String(); got != "for whoever is there" {
		t.Errorf("the second connection got %q", got)
	}
}

// gatedWriter's Write says it has begun, then waits for release.
type gatedWriter struct {
	lockedBuffer
	started, release chan struct{}
}

func (g *gatedWriter) Write(p []byte) (int, error) {
	close(g.started)
	<-g.release
	return g.lockedBuffer.Write(p)
}

// TestFlushWaitsForTheNewConnection: the copier of a replaced connection,
// finishing its last write, reported the output idle while the new
// connection's copier was still writing, and flush returned before the
// bytes it waits for were written (CI: TestWriteToKeepsToItsConnection saw
// the second connection get nothing).
func TestFlushWaitsForTheNewConnection(t *testing.T) {
	o := newOutput(1<<10, time.Second)
	first := &gatedWriter{started: make(chan struct{}), release: make(chan struct{})}
	o.attach(first)
	o.write([]byte("for the first"), false)
	<-first.started
	second := &gatedWriter{started: make(chan struct{}), release: make(chan struct{})}
	next := o.attach(second)
	o.write([]byte("for the second"), false)
	<-second.started
	flushed := make(chan struct{})
	go func() { o.flush(10 * time.Second); close(flushed) }()
	close(first.release) // the first copier ends its write and sees the change
	select {
	case <-flushed:
		t.Fatal("flush returned while the second connection's write was under way")
	case <-time.After(100 * time.Millisecond):
	}
	close(second.release)
	<-flushed
	o.detach(next)
	if got := second.String(); got != "for the second" {
		t.Fatalf("the second connection got %q", got)
	}
}

// blockedWriter is a client that takes nothing until released.
type blockedWriter struct {
	lockedBuffer
	once             sync.Once
	started, release chan struct{}
}

func (b *blockedWriter) Write(p []byte) (int, error) {
	b.once.Do(func() { close(b.started) })
	<-b.release
	return b.lockedBuffer.Write(p)
}

// TestOneWriteKeepsToTheLimit: a write far longer than the limit is not
// queued whole (print of 1 MB held all of it for a client that takes
// 40 KB/s): its writer waits for room, and a discard (Ctrl-C) or a client
// that stops taking output ends the wait and drops the rest.
func TestOneWriteKeepsToTheLimit(t *testing.T) {
	const limit = 1 << 10
	for _, end := range []string{"discard", "stall"} {
		stall := 10 * time.Second
		if end == "stall" {
			stall = 50 * time.Millisecond
		}
		o := newOutput(limit, stall)
		w := &blockedWriter{started: make(chan struct{}), release: make(chan struct{})}
		gen := o.attach(w)
		wrote := make(chan struct{})
		go func() {
			o.write(bytes.Repeat([]byte("x"), 64<<10), false)
			close(wrote)
		}()
		<-w.started
		if end == "discard" {
			o.discard()
		}
		select {
		case <-wrote:
		case <-time.After(5 * time.Second):
			t.Fatalf("%s: the write still waits", end)
		}
		close(w.release)
		o.flush(5 * time.Second)
		o.detach(gen)
		if n := len(w.String()); n > 2*limit {
			t.Errorf("%s: the client got %d bytes of the write, want at most %d (the limit, twice)", end, n, 2*limit)
		}
	}
}

// steppedWriter holds the writes whose numbers (from 1) are in hold: each
// says it has arrived and waits until the test releases it.
type steppedWriter struct {
	lockedBuffer
	hold    map[int]bool
	n       int // writes so far; the copier's goroutine only
	arrived chan struct{}
	release chan struct{}
}

func (g *steppedWriter) Write(p []byte) (int, error) {
	g.n++
	if g.hold[g.n] {
		g.arrived <- struct{}{}
		<-g.release
	}
	return g.lockedBuffer.Write(p)
}

// TestDiscardKeepsFraming: a discard drops the output queued and the rest
// of what the copier is writing, but not the framing in either: the rest
// of a frame the copier has begun, and every frame after it.
func TestDiscardKeepsFraming(t *testing.T) {
	o := newOutput(64<<10, time.Second)
	// Held: "a", the first piece of the x's, and "b".
	g := &steppedWriter{hold: map[int]bool{1: true, 2: true, 4: true}, arrived: make(chan struct{}), release: make(chan struct{})}
	gen := o.attach(g)
	o.write([]byte("a"), false)
	<-g.arrived // the copier writes "a"
	o.frame(gen, []byte("OK"))
	o.write(bytes.Repeat([]byte("x"), 20<<10), false)
	o.frame(gen, []byte("\x04\x04>"))
	g.release <- struct{}{}
	<-g.arrived // the copier writes its first piece: "OK" and x's
	o.discard()
	g.release <- struct{}{}
	o.flush(5 * time.Second)
	want := "a" + "OK" + strings.Repeat("x", copyPiece-2) + "\x04\x04>"
	if got := g.String(); got != want {
		t.Errorf("a discard while the copier writes: got %d bytes ending %q, want %d ending %q", len(got), got[max(0, len(got)-10):], len(want), want[len(want)-10:])
	}

	o.write([]byte("b"), false)
	<-g.arrived // the copier writes "b"
	o.frame(gen, []byte("\x04"))
	o.write([]byte("y"), false)
	o.frame(gen, []byte(">"))
	o.discard()
	g.release <- struct{}{}
	o.flush(5 * time.Second)
	o.detach(gen)
	if got := strings.TrimPrefix(g.String(), want); got != "b\x04>" {
		t.Errorf("a discard of queued output: got %q, want %q", got, "b\x04>")
	}
}

// TestDiscardKeepsALongFrame: a frame longer than the buffer (a raw REPL
// reply with a long error message) goes in pieces, and a discard while it
// waits for room does not drop the rest of it: the client would wait for
// its "\x04>" for ever.
func TestDiscardKeepsALongFrame(t *testing.T) {
	const limit = 1 << 10
	o := newOutput(limit, 10*time.Second)
	w := &blockedWriter{started: make(chan struct{}), release: make(chan struct{})}
	gen := o.attach(w)
	long := strings.Repeat("e", 8*limit) + "\x04>"
	wrote := make(chan struct{})
	go func() {
		o.frame(gen, []byte(long))
		close(wrote)
	}()
	<-w.started
	o.discard()
	close(w.release)
	select {
	case <-wrote:
	case <-time.After(5 * time.Second):
		t.Fatal("the frame's write still waits")
	}
	o.flush(5 * time.Second)
	o.detach(gen)
	if got := w.String(); got != long {
		t.Errorf("the client got %d bytes of a %d-byte frame, ending %q", len(got), len(long), got[max(0, len(got)-10):])
	}
}
