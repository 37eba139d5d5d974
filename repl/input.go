package repl

import (
	"bytes"
	"errors"
	"fmt"
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
	// errCallbackEnd: a callback called os.exit or board.reset() while the
	// REPL waited for input.
	errCallbackEnd = errors.New("repl: a callback asked for a soft reset")
)

// input queues the bytes read from the connection for the REPL goroutine.
// Beyond limit queued bytes, the reader waits for the REPL (or Lua's read)
// to take some, and so stops reading the connection: serial lines, ptys and
// sockets hold the rest. Not while code runs without reading, though: then
// the reader must go on to see Ctrl-C, and what does not fit is dropped,
// which the reads say where it happened (see lostError).
type input struct {
	limit int

	mu      sync.Mutex
	room    *sync.Cond // pushers wait on it for room
	waiting int        // pushers waiting for room
	buf     []byte     // queued bytes are buf[head:]
	head    int
	// lostAt is how many queued bytes come before input that was dropped
	// (-1: none was), and lost how much was.
	lostAt int
	lost   int
	gen    uint64
	fresh  bool
	// attached: gen is a connection, not the gap after one.
	attached bool
	// reader is the connection whose input Lua's reads take (see
	// bindReader); 0 until a connection is attached.
	reader uint64
	// client is the connection the REPL serves: the one whose bytes it
	// read last, or that it greeted since; 0 before either. clientOut is
	// its output's generation, for the REPL's replies (see clientOutput),
	// and connOut that of the connection attached now.
	client, clientOut, connOut uint64
	ended                      bool // see errCallbackEnd
	closed                     bool
	wake                       chan struct{} // has room for one wake-up
}

func newInput(limit int) *input {
	in := &input{limit: limit, lostAt: -1, wake: make(chan struct{}, 1)}
	in.room = sync.NewCond(&in.mu)
	return in
}

// lostError is what a read gets where input was dropped, once: what comes
// before and after does not belong together.
type lostError struct{ n int }

func (e *lostError) Error() string {
	return fmt.Sprintf("input lost: %d bytes sent while code ran, past the %d MB the input queue holds", e.n, maxQueued>>20)
}

// clear empties the queue. Caller holds mu.
func (in *input) clear() {
	in.buf, in.head = in.buf[:0], 0
	in.lostAt, in.lost = -1, 0
	in.room.Broadcast()
}

// wakePushers makes pushers waiting for room look again whether they may
// wait: the device calls it when no one takes input any more (a command
// begins, Lua stops reading). Any goroutine.
func (in *input) wakePushers() {
	in.mu.Lock()
	in.room.Broadcast()
	in.mu.Unlock()
}

// attach starts a new connection, whose output is generation outGen:
// queued input is discarded and the REPL is told with errFresh. It returns
// the connection's generation for push.
func (in *input) attach(outGen uint64) uint64 {
	in.mu.Lock()
	defer in.mu.Unlock()
	in.gen++
	in.connOut = outGen
	in.clear()
	in.fresh = true
	in.attached = true
	if in.reader == 0 {
		in.reader = in.gen
	}
	in.signal()
	return in.gen
}

// generation names the connection attached now. Caller holds the
// device's attachMu.
func (in *input) generation() uint64 {
	in.mu.Lock()
	defer in.mu.Unlock()
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
	in.clear()
	in.fresh = true
	in.attached = false
	in.signal()
}

// bindReader gives Lua's reads from now on (a command's io.read and
// input) to the client whose bytes made the command: the one the REPL
// serves. Before the REPL has served any (the boot), it is the connection
// attached now, or the next to come if none is. A read never takes the
// input of a client that came after its command: not even one that came
// between the line's last byte and the command's start, which would wait
// for the command's read while the command waited for its line. Any
// goroutine.
func (in *input) bindReader() {
	in.mu.Lock()
	defer in.mu.Unlock()
	in.reader = in.client
	if in.reader == 0 && in.attached {
		in.reader = in.gen
	}
}

// clientHere reports whether the client the REPL serves (see bindReader)
// is the connection attached now: a request it read may be answered, and
// bound to the connection (a file channel, a mount). Caller holds the
// device's attachMu, so that the connection stays until it is bound.
func (in *input) clientHere() bool {
	in.mu.Lock()
	defer in.mu.Unlock()
	return in.attached && in.client == in.gen
}

// clientOutput is the output generation of the client the REPL serves
// (see bindReader): the raw REPL's and the file channel's replies go to it
// and to no other, not even to a client that came as its request was read
// (it got the raw REPL's header before its greeting). Any goroutine.
func (in *input) clientOutput() uint64 {
	in.mu.Lock()
	defer in.mu.Unlock()
	return in.clientOut
}

// readerGen names the connection Lua's reads belong to; 0 if none has come
// since they were bound.
func (in *input) readerGen() uint64 {
	in.mu.Lock()
	defer in.mu.Unlock()
	return in.reader
}

func (in *input) signal() {
	select {
	case in.wake <- struct{}{}:
	default:
	}
}

// push queues p from connection gen and returns what it could not queue
// yet. With the queue full, it waits for room while mayWait reports that
// the REPL or Lua takes input, and returns the rest after each wait, for
// the caller to look at again (a command may have begun, making a Ctrl-C in
// it an interrupt); otherwise what does not fit is dropped. Any goroutine.
func (in *input) push(gen uint64, p []byte, mayWait func() bool) []byte {
	in.mu.Lock()
	defer in.mu.Unlock()
	if in.gen != gen || in.closed {
		return nil
	}
	if in.head > 0 && in.head == len(in.buf) {
		in.buf, in.head = in.buf[:0], 0
	} else if in.head > 64<<10 && in.head > len(in.buf)/2 {
		in.buf = in.buf[:copy(in.buf, in.buf[in.head:])]
		in.head = 0
	}
	queued := len(in.buf) - in.head
	n := min(len(p), max(in.limit-queued, 0))
	in.buf = append(in.buf, p[:n]...)
	p = p[n:]
	if n > 0 {
		in.signal()
	}
	if len(p) == 0 {
		return nil
	}
	if !mayWait() {
		if in.lostAt < 0 {
			in.lostAt = queued + n
		}
		in.lost += len(p)
		return nil
	}
	in.waiting++
	in.room.Wait()
	in.waiting--
	return p
}

// ackFresh clears the connection-changed condition: the REPL has greeted the
// new connection.
func (in *input) ackFresh() {
	in.mu.Lock()
	in.fresh = false
	in.client, in.clientOut = 0, 0
	if in.attached {
		in.client, in.clientOut = in.gen, in.connOut
	}
	in.mu.Unlock()
}

// callbackEnd makes reads fail with errCallbackEnd until ackCallbackEnd.
// Any goroutine.
func (in *input) callbackEnd() {
	in.mu.Lock()
	in.ended = true
	in.signal()
	in.mu.Unlock()
}

func (in *input) ackCallbackEnd() {
	in.mu.Lock()
	in.ended = false
	in.mu.Unlock()
}

// unread puts b back at the front of the queue: a byte the REPL read and
// leaves for what comes next. Unless another client came since: the byte
// was the last one's, and the next client's line is its own.
func (in *input) unread(b byte) {
	in.mu.Lock()
	defer in.mu.Unlock()
	if in.gen != in.client {
		return
	}
	if in.lostAt >= 0 {
		in.lostAt++
	}
	if in.head > 0 {
		in.head--
		in.buf[in.head] = b
		return
	}
	in.buf = append(in.buf, 0)
	copy(in.buf[1:], in.buf)
	in.buf[0] = b
}

// takeCtrlC removes the first Ctrl-C queued, before any lost input, and
// reports whether there was one.
func (in *input) takeCtrlC() bool {
	in.mu.Lock()
	defer in.mu.Unlock()
	q := in.buf[in.head:]
	if in.lostAt >= 0 {
		q = q[:in.lostAt]
	}
	i := bytes.IndexByte(q, ctrlC)
	if i < 0 {
		return false
	}
	copy(in.buf[in.head+i:], in.buf[in.head+i+1:])
	in.buf = in.buf[:len(in.buf)-1]
	if in.lostAt >= 0 {
		in.lostAt--
	}
	in.room.Broadcast()
	return true
}

// unreadAll puts b back at the front of the queue.
func (in *input) unreadAll(b []byte) {
	for i := len(b) - 1; i >= 0; i-- {
		in.unread(b[i])
	}
}

func (in *input) close() {
	in.mu.Lock()
	in.closed = true
	in.room.Broadcast()
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
// unacknowledged, errCallbackEnd likewise, errClosed after close and
// errTimeout after timeout.
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
		case in.ended:
			in.mu.Unlock()
			return 0, errCallbackEnd
		case in.lostAt == 0:
			err := &lostError{in.lost}
			in.lostAt, in.lost = -1, 0
			in.mu.Unlock()
			return 0, err
		case in.head < len(in.buf):
			n := copy(p, in.take(len(p)))
			in.client, in.clientOut = in.gen, in.connOut
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

// take removes up to n queued bytes, none past a loss, and returns them;
// they stay valid until the next push. Caller holds mu.
func (in *input) take(n int) []byte {
	if in.lostAt >= 0 {
		n = min(n, in.lostAt)
		in.lostAt -= n
	}
	b := in.buf[in.head:min(in.head+n, len(in.buf))]
	in.head += len(b)
	if in.head == len(in.buf) {
		in.buf, in.head = in.buf[:0], 0
	}
	if in.waiting > 0 {
		in.room.Broadcast()
	}
	return b
}

// readByte reads one byte; see read.
func (in *input) readByte(timeout time.Duration) (byte, error) {
	var b [1]byte
	_, err := in.read(b[:], timeout)
	return b[0], err
}

// frameInput reads a file-channel frame from the queue. A frame comes whole
// from a live host, so a line quiet for timeout inside one is a truncated
// frame (errTimeout). One thing ends it sooner: a host's request for the raw
// REPL (Ctrl-C then Ctrl-A, as moonctl and mpremote connect) among the
// frame's bytes, followed by nothing but what a host sends the raw REPL
// (text, Ctrl-A to Ctrl-E), then quiet. The host that began the frame has
// gone without a hang-up being seen (a serial line, a pty reopened at once)
// and a new one is waiting for an answer: errResync, with the request and
// what followed it put back for the raw REPL.
type frameInput struct {
	in      *input
	timeout time.Duration
	req     []byte // a raw REPL request in the frame and what came after it; nil if none
	tail    []byte // the frame's last few bytes, where a request may end
}

// errResync: a host asked for the raw REPL in the middle of a frame.
var errResync = errors.New("repl: a host asked for the raw REPL inside a frame")

const (
	// resyncQuiet is how long the line must be quiet after a raw REPL
	// request inside a frame before the frame is dropped for it: a host
	// that asks waits for the answer, while frame data that holds those
	// bytes, then only text, then pauses is vanishingly rare.
	resyncQuiet = 30 * time.Millisecond
	// resyncText bounds what a host sends after its request before it
	// waits for an answer (moonctl's check that the raw REPL is its own).
	resyncText = 4096
)

// start begins a frame.
func (r *frameInput) start() { r.req, r.tail = nil, r.tail[:0] }

func (r *frameInput) Read(p []byte) (int, error) {
	wait := r.timeout
	if r.req != nil {
		wait = resyncQuiet
	}
	n, err := r.in.read(p, wait)
	if errors.Is(err, errTimeout) && r.req != nil {
		r.putBack()
		return 0, errResync
	}
	r.note(p[:n])
	return n, err
}

// resync reports whether the frame's bytes hold a raw REPL request, and if
// so puts it back for the raw REPL: a bad frame it completed is that
// request, not an error to answer.
func (r *frameInput) resync() bool {
	if r.req == nil {
		return false
	}
	r.putBack()
	return true
}

func (r *frameInput) putBack() {
	r.in.unreadAll(r.req)
	r.req = nil
}

// note follows the frame's bytes for a raw REPL request. Frame data is
// skipped a Ctrl-A at a time: note runs on every byte of every copy.
func (r *frameInput) note(p []byte) {
	for len(p) > 0 {
		if r.req == nil {
			i := bytes.IndexByte(p, ctrlA)
			if i < 0 {
				r.keep(p)
				return
			}
			r.keep(p[:i+1])
			p = p[i+1:]
			if req := rawRequest(r.tail); req != nil {
				r.req = append([]byte(nil), req...)
			}
			continue
		}
		c := p[0]
		r.keep(p[:1])
		p = p[1:]
		switch {
		case c == ctrlA && rawRequest(r.tail) != nil:
			r.req = append(r.req[:0], rawRequest(r.tail)...)
		case len(r.req) < resyncText && (c >= 0x20 && c < 0x7f || c >= ctrlA && c <= ctrlE || c == '\r' || c == '\n' || c == '\t'):
			r.req = append(r.req, c)
		default:
			r.req = nil
		}
	}
}

// keep adds p to the frame's last few bytes.
func (r *frameInput) keep(p []byte) {
	const n = 16
	if len(p) >= n {
		r.tail = append(r.tail[:0], p[len(p)-n:]...)
		return
	}
	if len(r.tail)+len(p) > n {
		r.tail = r.tail[:copy(r.tail, r.tail[len(r.tail)+len(p)-n:])]
	}
	r.tail = append(r.tail, p...)
}

// discard throws the rest of an oversized frame away until the line has
// been quiet for quiet, or for at most limit in all; a raw REPL request in
// it ends it with errResync, as in Read.
func (r *frameInput) discard(quiet, limit time.Duration) error {
	saved := r.timeout
	r.timeout = quiet
	defer func() { r.timeout = saved }()
	end := time.Now().Add(limit)
	var scratch [4096]byte
	for time.Now().Before(end) {
		if _, err := r.Read(scratch[:]); err != nil {
			if errors.Is(err, errTimeout) {
				return nil
			}
			return err
		}
	}
	return nil
}

// rawRequest returns the raw REPL request that b ends with ("\r", Ctrl-Cs,
// an optional "\r", then Ctrl-A), or nil.
func rawRequest(b []byte) []byte {
	i := len(b) - 1
	if i < 0 || b[i] != ctrlA {
		return nil
	}
	i--
	if i >= 0 && b[i] == '\r' {
		i--
	}
	if i < 0 || b[i] != ctrlC {
		return nil
	}
	for i > 0 && b[i-1] == ctrlC {
		i--
	}
	if i == 0 || b[i-1] != '\r' {
		return nil
	}
	return b[i-1:]
}
