package repl

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io/fs"
	"math"
	"sync"
	"sync/atomic"
	"time"

	"github.com/moonpin/moonpin/repl/internal/wire"
)

// A mount is moonctl mount from the device's side: while it lasts, the
// runtime's script root is the computer's directory, and every file read
// Lua makes becomes a request (wire.MStat, MRead, MList) that the device
// writes among the REPL's output, escaped, and that the computer answers
// among what it sends. It belongs to the connection that asked for it: a
// new connection, or the end of this one, ends it, and the board has its
// own root back.
//
// The device's output is escaped while the mount lasts (see wire.Escape),
// and the connection's input is taken apart by demux before anything else
// sees it, so replies never reach the REPL and Ctrl-C still does.
type mount struct {
	d       *Device
	dir     string // the computer's directory, for messages
	rw      bool   // writes allowed (moonctl mount --rw)
	inGen   uint64 // the connection's, for receive
	outGen  uint64
	timeout time.Duration

	done    chan struct{} // closed when the mount ends
	endOnce sync.Once
	endedAt atomic.Int64 // when it ended, in Unix nanoseconds; 0 while it lasts
	keep    atomic.Bool  // the computer announced its next raw REPL request (wire.MKeep)

	callMu sync.Mutex // one request at a time
	mu     sync.Mutex
	nextID uint64
	want   uint64          // the id of the request awaiting its reply; 0 none
	reply  chan wire.Frame // capacity 1

	// demux's state; the connection's Serve goroutine only.
	state     int
	frame     []byte
	need      int
	lastByte  time.Time     // when the frame's last bytes came
	frameGone time.Duration // a frame quiet this long was cut short
}

// errMountEnded: the mount ended while a read waited for the computer.
var errMountEnded = errors.New("the mount ended (moonctl left or the link dropped); the board has its own script root back")

// Demux states.
const (
	inText = iota
	afterEscape
	inFrame
)

const frameHeader = 6 // Sync, type, length

// startMount makes the connection that sent the request the mount's, and
// the computer's directory dir the script root. The reply to the request
// is the first thing escaped.
func (d *Device) startMount(dir string, rw bool) {
	if old := d.mnt.Load(); old != nil {
		d.endMount(old, mountAsked)
	}
	d.attachMu.Lock()
	if !d.in.clientHere() {
		// The connection that asked has gone: the next one's input is
		// its own, not the mount's.
		d.attachMu.Unlock()
		return
	}
	m := &mount{
		d: d, dir: dir, rw: rw, inGen: d.in.generation(), outGen: d.out.generation(),
		timeout: d.opts.MountTimeout, frameGone: d.opts.FrameTimeout,
		done: make(chan struct{}), reply: make(chan wire.Frame, 1),
	}
	d.out.setEscape(m.outGen, true)
	d.mnt.Store(m)
	d.demuxer.Store(m)
	d.attachMu.Unlock()
	d.rt.SetMount(m)
	d.sendFrame(wire.OK, nil)
}

// stopMount answers the computer's Unmount: its reply is the last thing
// escaped.
func (d *Device) stopMount() {
	m := d.mnt.Load()
	if m != nil {
		d.endMount(m, mountAsked)
		d.unmountReset.Store(true)
	}
	d.sendFrame(wire.OK, nil)
	if m != nil {
		d.out.setEscape(m.outGen, false)
	}
}

// How a mount ends.
const (
	mountAsked  = iota // the computer unmounted, and resets the device itself (client.Unmount; else resetAfterUnmount)
	mountLost          // the link dropped or another client took the session
	mountSilent        // the computer stopped answering
)

// endMount ends m: the board has its own root back, and a read waiting for
// the computer fails. The connection's output stops being escaped when it
// detaches (or at stopMount). A mount that ends without the computer
// asking has the REPL soft-reset at its next wait for input, so that
// nothing loaded from the computer stays; a lost one also interrupts what
// runs (a silent one fails the read that waited, which says why).
func (d *Device) endMount(m *mount, how int) {
	m.endOnce.Do(func() {
		m.endedAt.Store(time.Now().UnixNano())
		d.mnt.CompareAndSwap(m, nil)
		m.abandon() // a late reply is dropped (see Device.demuxer)
		if d.rt.Mount() == m {
			d.rt.SetMount(nil)
		}
		close(m.done)
		if how == mountAsked || d.closing.Load() {
			return
		}
		d.mountReset.Store(true)
		if how == mountLost {
			d.rt.Interrupt()
		}
		d.in.callbackEnd()
	})
}

// rawRequested is told that a host asked for the raw REPL (Ctrl-A at the
// friendly prompt or in the raw REPL). Unless the mount's computer said
// the request was its own, a new host has come on the same connection
// unseen (a serial line, a pty reopened at once): the mount ends as if the
// link had dropped, and the new host finds the board's own root.
func (d *Device) rawRequested() {
	if m := d.mnt.Load(); m != nil && !m.keep.Swap(false) {
		d.endMount(m, mountLost)
	}
}

// mountOf returns the mount of the connection gen, if it has one.
func (d *Device) mountOf(inGen uint64) *mount {
	if m := d.mnt.Load(); m != nil && m.inGen == inGen {
		return m
	}
	return nil
}

// over reports whether an ended mount's demultiplexing is over: a reply
// sent as the mount ended has had the frame timeout to come, and none is
// under way. What the connection sends from then on is the next host's
// own, a file's bytes too (on a serial line, where the connection stays,
// an upload after a mount lost its Escape and Sync bytes until moonpin was
// restarted). The connection's Serve goroutine only.
func (m *mount) over() bool {
	ended := m.endedAt.Load()
	return ended != 0 && time.Since(time.Unix(0, ended)) > m.frameGone && m.state == inText
}

// demux takes the computer's replies out of p, what the connection sent,
// and returns the rest (keys, REPL input). A reply may span reads.
func (m *mount) demux(p []byte) []byte {
	if m.state == inFrame {
		// A reply comes whole from a live computer. One that stopped in
		// the middle (moonctl killed as it answered) would take what a
		// new host sends, unseen on a serial line or a reopened pty, for
		// its rest: as the file channel does, a frame quiet for the frame
		// timeout is dropped, and the host's next request for the raw
		// REPL (moonctl asks again after 2.5 s) gets through.
		now := time.Now()
		if now.Sub(m.lastByte) > m.frameGone {
			m.state = inText
		}
		m.lastByte = now
	}
	if m.state == inText && bytes.IndexByte(p, wire.Escape) < 0 {
		return p
	}
	out := make([]byte, 0, len(p))
	for i := 0; i < len(p); i++ {
		c := p[i]
		switch m.state {
		case inText:
			if c == wire.Escape {
				m.state = afterEscape
				continue
			}
			out = append(out, c)
		case afterEscape:
			switch c {
			case wire.Sync:
				m.state, m.frame, m.need = inFrame, append(m.frame[:0], c), frameHeader
				m.lastByte = time.Now()
			case wire.Escape:
				out = append(out, c)
			default:
				// A key (Ctrl-X), not a reply.
				m.state = inText
				out = append(out, wire.Escape, c)
			}
		case inFrame:
			take := min(m.need-len(m.frame), len(p)-i)
			m.frame = append(m.frame, p[i:i+take]...)
			i += take - 1
			if len(m.frame) == frameHeader && m.need == frameHeader {
				n := int(binary.LittleEndian.Uint32(m.frame[2:]))
				if n > wire.MaxPayload+64 {
					// Not a reply after all; what follows is input.
					m.state = inText
					continue
				}
				m.need = frameHeader + n + 4
			}
			if len(m.frame) == m.need {
				m.state = inText
				m.deliver(m.frame)
			}
		}
	}
	return out
}

// deliver hands a reply to the request waiting for it; a late reply (to a
// request that an interrupt abandoned) is dropped.
func (m *mount) deliver(raw []byte) {
	f, err := wire.NewReader(bytes.NewReader(raw), wire.MaxPayload+64).ReadFrame()
	if err != nil {
		return
	}
	if f.Type == wire.MKeep {
		m.keep.Store(true)
		return
	}
	id := (&wire.Decoder{B: f.Payload}).Uint()
	m.mu.Lock()
	defer m.mu.Unlock()
	if id == 0 || id != m.want {
		return
	}
	m.want = 0
	m.reply <- wire.Frame{Type: f.Type, Payload: bytes.Clone(f.Payload)}
}

// call sends a request whose payload (after the id) is args and waits for
// the OK reply's payload (after the id). An interrupt (ctx), the end of
// the mount or the computer's silence for the timeout ends the wait; the
// silence ends the mount too.
func (m *mount) call(ctx context.Context, typ byte, name string, args func(*wire.Encoder)) (*wire.Decoder, error) {
	m.callMu.Lock()
	defer m.callMu.Unlock()
	select {
	case <-m.done:
		return nil, fmt.Errorf("%s: %w", name, errMountEnded)
	default:
	}
	m.mu.Lock()
	m.nextID++
	id := m.nextID
	m.want = id
	select {
	case <-m.reply:
	default:
	}
	m.mu.Unlock()
	e := new(wire.Encoder).Uint(id)
	args(e)
	req := wire.AppendFrame([]byte{wire.Escape}, typ, e.B)
	m.d.out.request(m.outGen, req)
	timer := time.NewTimer(m.timeout)
	defer timer.Stop()
	select {
	case f := <-m.reply:
		dec := &wire.Decoder{B: f.Payload}
		dec.Uint()
		if f.Type == wire.Fail {
			code, msg := dec.Byte(), dec.String()
			return nil, &mountError{code: code, msg: msg}
		}
		return dec, nil
	case <-ctx.Done():
		m.abandon()
		return nil, context.Cause(ctx)
	case <-m.done:
		return nil, fmt.Errorf("%s: %w", name, errMountEnded)
	case <-timer.C:
		m.abandon()
		m.d.endMount(m, mountSilent)
		err := fmt.Errorf("%s: the computer did not answer in %v, so the mount has ended and the board has its own script root back", name, m.timeout)
		// The code running stops with it, pcall or not: what it went on
		// to read would come from the board's own root, which may hold
		// an older copy of what it was reading from the computer.
		m.d.rt.Abort(err)
		return nil, err
	}
}

func (m *mount) abandon() {
	m.mu.Lock()
	m.want = 0
	m.mu.Unlock()
}

// mountError is a request the computer refused; it wraps the errno that
// says why, where one does, so that errors.Is(err, fs.ErrNotExist) works
// and io.open returns the message and number it gives for the board's
// files.
type mountError struct {
	code byte
	msg  string
}

func (e *mountError) Error() string { return e.msg }

func (e *mountError) Unwrap() error {
	if errno := wire.Errno(e.code); errno != 0 {
		return errno
	}
	return nil
}

// Where names the mount in messages.
func (m *mount) Where() string { return "the computer's " + m.dir }

// Writable reports whether the computer allowed writes (--rw).
func (m *mount) Writable() bool { return m.rw }

// WriteFile replaces or appends to a file of the mount, a frame at a
// time; the computer puts a replaced file in place only once it has all
// of it.
func (m *mount) WriteFile(ctx context.Context, name string, data []byte, appendTo bool) error {
	for first := true; first || len(data) > 0; first = false {
		n := min(len(data), wire.ChunkSize)
		var flags uint64
		if appendTo {
			flags = wire.WriteAppend
		}
		if !first {
			flags |= wire.WriteNext
		}
		if n < len(data) {
			flags |= wire.WriteMore
		}
		piece := data[:n]
		if _, err := m.call(ctx, wire.MWrite, name, func(e *wire.Encoder) { e.String(name).Uint(flags).Bytes(piece) }); err != nil {
			return err
		}
		data = data[n:]
	}
	return nil
}

// Mkdir makes a directory of the mount and its parents.
func (m *mount) Mkdir(ctx context.Context, name string) error {
	_, err := m.call(ctx, wire.MMkdir, name, func(e *wire.Encoder) { e.String(name) })
	return err
}

// Remove removes an entry of the mount.
func (m *mount) Remove(ctx context.Context, name string) error {
	_, err := m.call(ctx, wire.MRemove, name, func(e *wire.Encoder) { e.String(name) })
	return err
}

// Rename renames an entry of the mount.
func (m *mount) Rename(ctx context.Context, from, to string) error {
	_, err := m.call(ctx, wire.MRename, from, func(e *wire.Encoder) { e.String(from).String(to) })
	return err
}

// Stat is os.Stat in the mount.
func (m *mount) Stat(ctx context.Context, name string) (fs.FileInfo, error) {
	dec, err := m.call(ctx, wire.MStat, name, func(e *wire.Encoder) { e.String(name) })
	if err != nil {
		return nil, err
	}
	en := wire.ReadEntry(dec)
	if dec.Err() != nil {
		return nil, fmt.Errorf("%s: malformed reply from the computer", name)
	}
	return entryInfo{en}, nil
}

// ReadFile reads a regular file of the mount, a frame at a time.
func (m *mount) ReadFile(ctx context.Context, name string, room func(size int64)) ([]byte, error) {
	var data []byte
	checked := uint64(0)
	for {
		dec, err := m.call(ctx, wire.MRead, name, func(e *wire.Encoder) { e.String(name).Uint(uint64(len(data))) })
		if err != nil {
			return nil, err
		}
		size := dec.Uint()
		if dec.Err() != nil {
			return nil, fmt.Errorf("%s: malformed reply from the computer", name)
		}
		if size > checked {
			room(int64(min(size, math.MaxInt64)))
			checked = size
		}
		if data == nil {
			data = make([]byte, 0, min(size, 64<<20))
		}
		data = append(data, dec.B...)
		if len(dec.B) == 0 || uint64(len(data)) >= size {
			return data, nil
		}
	}
}

// ReadDir lists a directory of the mount, a frame of entries at a time.
func (m *mount) ReadDir(ctx context.Context, name string) ([]fs.DirEntry, error) {
	var entries []fs.DirEntry
	for {
		dec, err := m.call(ctx, wire.MList, name, func(e *wire.Encoder) { e.String(name).Uint(uint64(len(entries))) })
		if err != nil {
			return nil, err
		}
		more := dec.Byte() == 1
		for len(dec.B) > 0 && dec.Err() == nil {
			entries = append(entries, fs.FileInfoToDirEntry(entryInfo{wire.ReadEntry(dec)}))
		}
		if dec.Err() != nil {
			return nil, fmt.Errorf("%s: malformed reply from the computer", name)
		}
		if !more {
			return entries, nil
		}
	}
}

// entryInfo is a wire entry as an fs.FileInfo.
type entryInfo struct{ e wire.Entry }

func (i entryInfo) Name() string       { return i.e.Name }
func (i entryInfo) Size() int64        { return i.e.Size }
func (i entryInfo) ModTime() time.Time { return time.Unix(i.e.Mtime, 0) }
func (i entryInfo) IsDir() bool        { return i.e.Dir }
func (i entryInfo) Sys() any           { return nil }
func (i entryInfo) Mode() fs.FileMode {
	if i.e.Dir {
		return fs.ModeDir | 0o555
	}
	return 0o444
}
