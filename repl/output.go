package repl

import (
	"bytes"
	"io"
	"sync"
	"time"

	"github.com/moonpin/moonpin/repl/internal/wire"
)

// output is the one ordered byte stream from the device to the attached
// connection. The REPL and the Lua runtime both write to it; a goroutine per
// connection copies it to the connection, so a slow or absent client never
// blocks Lua for long:
//   - with no connection attached, writes are dropped;
//   - when the pending bytes reach limit, a writer waits for the connection to
//     take some; if it takes nothing for stall (lossyStall for Lua's output,
//     which runs on the loop), output is dropped until it takes something
//     again (a client that opened the port and stopped reading);
//   - while quiet, writes marked lossy (print from Lua) are dropped: the raw REPL
//     keeps callback output out of its replies between commands.
//
// lossyStall is how long Lua's output waits for a client to take some of a
// full buffer before it is dropped: timers keep their schedule within it.
const lossyStall = 10 * time.Millisecond

type output struct {
	limit int
	stall time.Duration

	mu      sync.Mutex
	w       io.Writer // nil when no connection is attached
	gen     uint64
	pending []byte
	wake    chan struct{} // the current copier's, with room for one wake-up
	space   chan struct{} // closed (and replaced) when pending shrinks or the connection changes
	stalled bool
	// lossyStalled: Lua's output found the buffer full for lossyStall; it
	// is dropped until the copier writes something
	lossyStalled bool
	quiet        bool
	escape       bool   // a mount lasts: Escape bytes are doubled (see wire.Escape)
	cut          uint64 // counts discards: the copier drops the rest of its buffer
	// frames are the spans of pending that are a protocol's framing (the
	// raw REPL's replies), which a discard keeps
	frames   []span
	progress uint64        // counts the pieces the copier has written
	idle     chan struct{} // closed (and replaced) when the copier has written everything
	busy     bool
}

func newOutput(limit int, stall time.Duration) *output {
	return &output{
		limit: limit,
		stall: stall,
		wake:  make(chan struct{}, 1),
		space: make(chan struct{}),
		idle:  make(chan struct{}),
	}
}

// attach makes w the connection, replacing any other, and starts copying to
// it; detach takes the returned generation. Any goroutine.
func (o *output) attach(w io.Writer) uint64 {
	o.mu.Lock()
	if o.w != nil {
		o.wakeCopier()
	}
	o.gen++
	gen := o.gen
	o.w = w
	o.pending = o.pending[:0]
	o.frames = nil
	o.stalled, o.lossyStalled = false, false
	o.escape = false
	o.wake = make(chan struct{}, 1)
	o.signalSpace()
	wake := o.wake
	o.mu.Unlock()
	go o.copy(w, gen, wake)
	return gen
}

// detach drops the connection attached as gen, if it still is. Any goroutine.
func (o *output) detach(gen uint64) {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.gen != gen || o.w == nil {
		return
	}
	o.w = nil
	o.gen++
	o.pending = o.pending[:0]
	o.frames = nil
	o.escape = false
	o.signalSpace()
	o.wakeCopier()
}

// setEscape starts or stops escaping the output of connection gen, if it
// is still attached, for a mount (see wire.Escape).
func (o *output) setEscape(gen uint64, on bool) {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.gen == gen {
		o.escape = on
	}
}

// request writes a mount's request, p, as it is (not escaped, never quiet)
// to the connection gen only.
func (o *output) request(gen uint64, p []byte) { o.queue(p, pinnedFlag|asIsFlag, gen) }

// writeFlags say how queue treats a write.
type writeFlags uint8

const (
	lossyFlag   writeFlags = 1 << iota // Lua's output: see output
	pinnedFlag                         // for one connection only: see writeTo
	asIsFlag                           // not escaped while a mount lasts: see request
	framingFlag                        // kept by a discard: see frame
)

// span is [start, end) of a buffer.
type span struct{ start, end int }

// wakeCopier nudges the current connection's copier. Caller holds mu.
func (o *output) wakeCopier() {
	select {
	case o.wake <- struct{}{}:
	default:
	}
}

// signalSpace wakes writers waiting for room. Caller holds mu.
func (o *output) signalSpace() {
	close(o.space)
	o.space = make(chan struct{})
}

// setQuiet sets whether lossy writes are dropped and returns the old setting.
func (o *output) setQuiet(q bool) bool {
	o.mu.Lock()
	defer o.mu.Unlock()
	old := o.quiet
	o.quiet = q
	return old
}

// write queues p for the connection; see output for when it is dropped
// instead. It never fails: a device has nowhere to report lost output.
func (o *output) write(p []byte, lossy bool) {
	if lossy {
		o.queue(p, lossyFlag, 0)
	} else {
		o.queue(p, 0, 0)
	}
}

// generation names the connection attached now, for writeTo.
func (o *output) generation() uint64 {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.gen
}

// writeTo is write for the connection of generation gen only: once another
// has been attached, or this one detached, p is dropped.
func (o *output) writeTo(gen uint64, p []byte) { o.queue(p, pinnedFlag, gen) }

// frame is writeTo for a protocol's framing, which a discard keeps: the
// raw REPL's "OK" and "\x04\x04>" reach the client whatever Ctrl-C drops
// of the output between them.
func (o *output) frame(gen uint64, p []byte) { o.queue(p, pinnedFlag|framingFlag, gen) }

// queue is write, writeTo, frame and request, as flags say. A write
// longer than limit goes in as room is made: the writer waits for the client
// to take the output (up to stall without any progress), so that one write
// never holds far more than limit. A discard (Ctrl-C) or a new
// connection drops the rest of a write under way (a discard not of a
// frame's: a raw REPL reply with a long error), and a discard drops Lua's
// output that was waiting for room.
func (o *output) queue(p []byte, flags writeFlags, gen uint64) {
	lossy, pinned := flags&lossyFlag != 0, flags&pinnedFlag != 0
	o.mu.Lock()
	defer o.mu.Unlock()
	cut, conn := o.cut, o.gen
	for first := true; first || len(p) > 0; first = false {
		for {
			if o.w == nil || o.stalled || (lossy && (o.quiet || o.lossyStalled)) || (pinned && o.gen != gen) {
				return
			}
			if o.cut != cut && flags&framingFlag == 0 && (lossy || !first) || !first && o.gen != conn {
				return
			}
			if len(o.pending) < o.limit {
				break
			}
			space, gen := o.space, o.gen
			wait := o.stall
			if lossy && first {
				// Lua's output waits only briefly: it runs on the loop, and a
				// client that has stopped reading must not hold up its timers.
				// The rest of a write bigger than the buffer waits as long as
				// the client takes output, though, however slowly (a serial
				// line): a print of a megabyte arrives whole, as from a UART.
				wait = min(wait, lossyStall)
			}
			progress := o.progress
			o.mu.Unlock()
			t := time.NewTimer(wait)
			timedOut := false
			select {
			case <-space:
				t.Stop()
			case <-t.C:
				timedOut = true
			}
			o.mu.Lock()
			if !timedOut || o.progress != progress {
				// Room, or a client that takes output, however slowly:
				// it is not stalled.
				continue
			}
			if lossy {
				// Lua's output is dropped until the client takes some;
				// the REPL's own (the prompt after Ctrl-C) still waits
				// its turn: a slow reader (a serial line) gets it.
				if o.gen == gen {
					o.lossyStalled = true
				}
				return
			}
			if o.gen == gen && len(o.pending) >= o.limit {
				o.stalled = true
			}
		}
		// A write that fits the buffer goes in whole, as it always has
		// (at most twice the limit is held); a bigger one in pieces.
		n := len(p)
		if n > o.limit {
			n = o.limit - len(o.pending)
		}
		start := len(o.pending)
		if o.escape && flags&asIsFlag == 0 {
			o.pending = appendEscaped(o.pending, p[:n])
		} else {
			o.pending = append(o.pending, p[:n]...)
		}
		if flags&framingFlag != 0 {
			o.frames = append(o.frames, span{start, len(o.pending)})
		}
		p = p[n:]
		o.busy = true
		o.wakeCopier()
	}
}

// appendEscaped appends p to dst with each Escape byte doubled.
func appendEscaped(dst, p []byte) []byte {
	for {
		i := bytes.IndexByte(p, wire.Escape)
		if i < 0 {
			return append(dst, p...)
		}
		dst = append(dst, p[:i+1]...)
		dst = append(dst, wire.Escape)
		p = p[i+1:]
	}
}

// copy moves pending output to w until the connection is detached or a write
// fails.
func (o *output) copy(w io.Writer, gen uint64, wake <-chan struct{}) {
	for {
		o.mu.Lock()
		for len(o.pending) == 0 {
			// A copier whose connection has been replaced must not report
			// idle: the new connection's copier may be writing bytes a
			// flush waits for.
			if o.gen != gen {
				o.mu.Unlock()
				return
			}
			if o.busy {
				o.busy = false
				close(o.idle)
				o.idle = make(chan struct{})
			}
			o.mu.Unlock()
			<-wake
			o.mu.Lock()
		}
		if o.gen != gen {
			o.mu.Unlock()
			return
		}
		buf, frames := o.pending, o.frames
		// A fresh buffer, not a recycled one: a copier of an earlier
		// connection may still be writing the old one.
		o.pending, o.frames = nil, nil
		cut := o.cut
		o.signalSpace()
		o.mu.Unlock()

		// In pieces, so that a discard stops it within one (see discard).
		var err error
		for done := 0; len(buf) > done && err == nil; {
			n := min(len(buf)-done, copyPiece)
			_, err = w.Write(buf[done : done+n])
			done += n
			o.mu.Lock()
			if o.cut != cut {
				buf, frames = keepFrames(buf, frames, done)
				done, cut = 0, o.cut
			}
			o.progress++
			o.mu.Unlock()
		}

		o.mu.Lock()
		o.stalled, o.lossyStalled = false, false
		if err != nil && o.gen == gen {
			// The reader sees the failure too and ends the connection; until
			// then there is no point queueing more.
			o.w = nil
			o.gen++
			o.pending = o.pending[:0]
			o.frames = nil
			o.signalSpace()
		}
		o.mu.Unlock()
	}
}

// copyPiece is how much the copier writes at a time: a third of a second
// at 115200 baud.
const copyPiece = 4 << 10

// discard drops the output the connection has not been given yet, what is
// queued and the rest of what the copier is writing, as a terminal's
// interrupt key flushes its output: Ctrl-C during a flood of output brings
// the prompt at once, not after minutes of backlog on a serial line. It
// keeps framing (see frame), and does nothing while a mount lasts, whose
// requests are framed in the stream. Any goroutine.
func (o *output) discard() {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.escape {
		return
	}
	o.pending, o.frames = keepFrames(o.pending, o.frames, 0)
	o.cut++
	o.stalled, o.lossyStalled = false, false
	o.signalSpace()
}

// keepFrames returns the bytes of buf's frames from offset from on, as
// one frame: what a discard keeps.
func keepFrames(buf []byte, frames []span, from int) ([]byte, []span) {
	var kept []byte
	for _, f := range frames {
		if f.end > from {
			kept = append(kept, buf[max(f.start, from):f.end]...)
		}
	}
	if len(kept) == 0 {
		return buf[:0], nil
	}
	return kept, []span{{0, len(kept)}}
}

// flush waits until everything written so far has been handed to the
// connection, or until timeout.
func (o *output) flush(timeout time.Duration) {
	o.mu.Lock()
	if !o.busy || o.w == nil {
		o.mu.Unlock()
		return
	}
	idle := o.idle
	o.mu.Unlock()
	t := time.NewTimer(timeout)
	defer t.Stop()
	select {
	case <-idle:
	case <-t.C:
	}
}

// crlfWriter turns "\n" into "\r\n" (the line is raw: the terminal does not
// add the carriage return) and writes lossily: it is Lua's print.
type crlfWriter struct{ o *output }

func (w crlfWriter) Write(p []byte) (int, error) {
	w.o.write(crlf(p), true)
	return len(p), nil
}

// crlf returns p with each "\n" preceded by "\r".
func crlf(p []byte) []byte {
	n := 0
	for _, c := range p {
		if c == '\n' {
			n++
		}
	}
	if n == 0 {
		return p
	}
	out := make([]byte, 0, len(p)+n)
	for _, c := range p {
		if c == '\n' {
			out = append(out, '\r')
		}
		out = append(out, c)
	}
	return out
}
