package client

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"time"
	"unicode"

	"github.com/moonpin/moonpin/internal/serialport"
	"github.com/moonpin/moonpin/repl/internal/wire"
	"go.bug.st/serial"
)

// Protocol strings, as MicroPython sends them.
const (
	rawHeader   = "raw REPL; CTRL-B to exit\r\n"
	softReboot  = "soft reboot\r\n"
	rawPasteReq = "\x05A\x01"
)

// TakeoverNotice starts the line moonpin sends a client whose session
// another client took over (moonpin attach, or moonctl on another of its
// transports): a serial or pty client is no longer read until it types
// again, a socket client is disconnected after it.
const TakeoverNotice = "moonpin: another client took over this REPL"

// Errors a Client returns. Timeouts wrap ErrTimeout; a closed or failed
// connection wraps ErrClosed.
var (
	ErrTimeout = errors.New("client: timed out waiting for the device")
	ErrClosed  = errors.New("client: connection closed")
	// ErrTakenOver: another client took the device's session over while
	// this one waited (see TakenOver).
	ErrTakenOver = errors.New("client: another client took over the device's REPL")
)

// ExecError is code that ran on the device and failed: Stderr holds the
// device's error text (a Lua error and traceback), Stdout what it printed
// before failing.
type ExecError struct {
	Stdout string
	Stderr string
}

func (e *ExecError) Error() string { return strings.TrimRight(e.Stderr, "\n") }

// Options configure a Client.
type Options struct {
	// Timeout is how long the client waits for the device to say anything
	// when it expects a reply; 0 means 10 s (mpremote's).
	Timeout time.Duration
	// NoRawPaste sends code with the plain raw REPL even where raw-paste is
	// offered.
	NoRawPaste bool
	// Exclusive makes Open lock the port (flock, as pyserial's exclusive
	// mode and picocom do) for as long as the client has it; a port that
	// another process has locked fails with ErrBusy.
	Exclusive bool
}

// Client talks to one device. Its methods must not be called concurrently,
// except Interrupt, which may stop an ExecTo running on another goroutine,
// and Write, which may send keys while Copy runs.
type Client struct {
	rw   io.ReadWriteCloser
	opts Options

	mu     sync.Mutex
	buf    []byte
	head   int
	recent []byte        // the last bytes received, kept for TakenOver
	err    error         // why reading stopped
	more   chan struct{} // has room for one wake-up
	closed chan struct{}
	done   chan struct{}

	stuck atomic.Bool  // a write timed out
	wmu   sync.Mutex   // a write goes whole: a mount's reply never lands inside another
	mnt   *mountServer // serving a mount; changed under mu

	inRaw    bool
	inFiles  bool
	rawPaste int // 0 unknown, 1 offered, -1 refused
	window   int // data frames in flight in a put
	scratch  []byte
}

// New starts a client on a connection to a device; Close closes rw.
func New(rw io.ReadWriteCloser, opts Options) *Client {
	if opts.Timeout <= 0 {
		opts.Timeout = 10 * time.Second
	}
	c := &Client{rw: rw, opts: opts, more: make(chan struct{}, 1), closed: make(chan struct{}), done: make(chan struct{})}
	go c.read()
	return c
}

// ErrBusy is a port that another process holds; the error names it where
// it can.
var ErrBusy = errors.New("port busy")

// Open opens a serial port (or a pty path, as printed by `moonpin --pty`)
// and starts a client on it. baud is ignored by ptys. A serial port that
// another process holds exclusively, or with opts.Exclusive one that it has
// locked, fails with ErrBusy.
func Open(path string, baud int, opts Options) (*Client, error) {
	if !opts.Exclusive {
		rw, err := openPort(path, baud)
		if err != nil {
			return nil, err
		}
		return New(rw, opts), nil
	}
	lock, err := lockPort(path)
	if err != nil {
		return nil, err
	}
	rw, err := openPort(path, baud)
	if err != nil {
		lock.Close()
		return nil, err
	}
	return New(lockedPort{rw, lock}, opts), nil
}

// lockedPort releases the port's lock when it closes.
type lockedPort struct {
	io.ReadWriteCloser
	lock io.Closer
}

func (p lockedPort) Close() error {
	err := p.ReadWriteCloser.Close()
	p.lock.Close()
	return err
}

func openSerial(path string, baud int) (io.ReadWriteCloser, error) {
	p, err := serial.Open(path, &serial.Mode{BaudRate: baud})
	if err != nil {
		var pe *serial.PortError
		if errors.As(err, &pe) && pe.Code() == serial.PermissionDenied {
			return nil, fmt.Errorf("open %s: %w; is the user in group dialout?", path, err)
		}
		if errors.As(err, &pe) && pe.Code() == serial.PortBusy {
			return nil, busyError(path)
		}
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	return serialport.WholeWrites{Port: p}, nil
}

// PortHolders names the other processes that have the serial port path
// open ("screen (pid 812)"), where they can be found: a terminal that
// takes the device's answers before moonctl sees them.
func PortHolders(path string) []string {
	if real, err := filepath.EvalSymlinks(path); err == nil {
		path = real
	}
	return portHolders(path)
}

// busyError names the processes holding path, where they can be found.
func busyError(path string) error {
	holders := PortHolders(path)
	if len(holders) == 0 {
		return fmt.Errorf("%s: %w: another program (a terminal, mpremote, moonctl) has it open; close it first", path, ErrBusy)
	}
	return fmt.Errorf("%s: %w: held by %s; close it first", path, ErrBusy, strings.Join(holders, ", "))
}

// Close closes the connection. It leaves the device in whatever mode it is;
// call ExitRaw first to hand it back to a person.
func (c *Client) Close() error {
	select {
	case <-c.closed:
		return nil
	default:
	}
	close(c.closed)
	err := c.rw.Close()
	<-c.done
	c.stopMount()
	return err
}

// read collects everything the device sends.
func (c *Client) read() {
	defer close(c.done)
	p := make([]byte, 64<<10)
	for {
		n, err := c.rw.Read(p)
		c.mu.Lock()
		if c.head > 0 && c.head == len(c.buf) {
			c.buf, c.head = c.buf[:0], 0
		}
		got := p[:n]
		if c.mnt != nil {
			got = c.mnt.demux(got)
		}
		c.buf = append(c.buf, got...)
		// only the tail: a file's 64 KB reads are not copied again
		c.recent = append(c.recent, got[max(len(got)-recentMax, 0):]...)
		if over := len(c.recent) - recentMax; over > 0 {
			c.recent = append(c.recent[:0], c.recent[over:]...)
		}
		if err != nil {
			c.err = err
		}
		c.mu.Unlock()
		select {
		case c.more <- struct{}{}:
		default:
		}
		if err != nil {
			return
		}
	}
}

// recentMax is how many of the last bytes received TakenOver looks at.
const recentMax = 256

// TakenOver reports whether the last bytes the device sent hold its
// TakeoverNotice: a wait that then timed out, or a connection that closed,
// ended because another client took the session, not because the device
// stopped. It is asked only then: the notice's words in a file or in a
// script's output do not end anything.
func (c *Client) TakenOver() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return bytes.Contains(c.recent, []byte(TakeoverNotice))
}

// writeChunk bounds what one timed write sends, so that even a slow line
// (a UART at 115200 baud moves about 11 KB/s) takes each well within the
// timeout.
const writeChunk = 4 << 10

// write sends p, giving up with ErrTimeout when the device takes none of a
// chunk for the timeout: it has stopped reading.
func (c *Client) write(p []byte) error {
	c.wmu.Lock()
	defer c.wmu.Unlock()
	for len(p) > 0 {
		n := min(len(p), writeChunk)
		if err := c.writeChunk(p[:n]); err != nil {
			return err
		}
		p = p[n:]
	}
	return nil
}

// writeChunk writes on a goroutine of its own, as neither serial ports nor
// io.ReadWriteClosers in general have write deadlines. A write that times
// out is left pending until Close (it has a copy of p), and every later
// write fails at once.
func (c *Client) writeChunk(p []byte) error {
	if c.stuck.Load() {
		return fmt.Errorf("%w: an earlier write is still pending", ErrTimeout)
	}
	done := make(chan error, 1)
	buf := bytes.Clone(p)
	go func() {
		_, err := c.rw.Write(buf)
		done <- err
	}()
	timer := time.NewTimer(c.opts.Timeout)
	defer timer.Stop()
	select {
	case err := <-done:
		if err != nil {
			return fmt.Errorf("%w: %v", ErrClosed, err)
		}
		return nil
	case <-timer.C:
		c.stuck.Store(true)
		return fmt.Errorf("sending: %w", ErrTimeout)
	}
}

func (c *Client) writeString(s string) error { return c.write([]byte(s)) }

// drain discards what the device has sent so far.
func (c *Client) drain() {
	c.mu.Lock()
	c.buf, c.head = c.buf[:0], 0
	c.mu.Unlock()
}

// wait blocks until more input may have come, the device has been silent for
// the timeout, or ctx ends.
func (c *Client) wait(ctx context.Context, timer *time.Timer) error {
	select {
	case <-c.more:
		if !timer.Stop() {
			<-timer.C
		}
		timer.Reset(c.opts.Timeout)
		return nil
	case <-timer.C:
		return ErrTimeout
	case <-ctx.Done():
		return ctx.Err()
	}
}

// readUntil returns what the device sends up to and including suffix. The
// timeout counts the device's silence, not the whole wait.
func (c *Client) readUntil(ctx context.Context, suffix string) ([]byte, error) {
	var got []byte
	err := c.readUntilFunc(ctx, suffix, func(p []byte) { got = append(got, p...) })
	return got, err
}

// readUntilFunc passes what the device sends to consume until suffix has
// been passed too.
func (c *Client) readUntilFunc(ctx context.Context, suffix string, consume func([]byte)) error {
	timer := time.NewTimer(c.opts.Timeout)
	defer timer.Stop()
	var tail []byte // the last len(suffix)-1 bytes passed on, for a suffix split across reads
	for {
		c.mu.Lock()
		avail := c.buf[c.head:]
		if len(avail) > 0 {
			probe := append(tail, avail...)
			if i := bytes.Index(probe, []byte(suffix)); i >= 0 {
				end := i + len(suffix) - len(tail)
				out := bytes.Clone(avail[:end])
				c.head += end
				c.mu.Unlock()
				consume(out)
				return nil
			}
			out := bytes.Clone(avail)
			c.head = len(c.buf)
			c.mu.Unlock()
			consume(out)
			keep := min(len(suffix)-1, len(probe))
			tail = append([]byte(nil), probe[len(probe)-keep:]...)
			continue
		}
		err := c.err
		c.mu.Unlock()
		if err != nil {
			return fmt.Errorf("%w while waiting for %q: %v", ErrClosed, suffix, err)
		}
		if err := c.wait(ctx, timer); err != nil {
			return fmt.Errorf("waiting for %q: %w", suffix, err)
		}
	}
}

// readFull reads exactly len(p) bytes.
func (c *Client) readFull(ctx context.Context, p []byte) error {
	timer := time.NewTimer(c.opts.Timeout)
	defer timer.Stop()
	got := 0
	for got < len(p) {
		c.mu.Lock()
		n := copy(p[got:], c.buf[c.head:])
		c.head += n
		err := c.err
		c.mu.Unlock()
		got += n
		if got == len(p) {
			return nil
		}
		if n > 0 {
			continue
		}
		if err != nil {
			return fmt.Errorf("%w: %v", ErrClosed, err)
		}
		if err := c.wait(ctx, timer); err != nil {
			return err
		}
	}
	return nil
}

func (c *Client) readByte(ctx context.Context) (byte, error) {
	var b [1]byte
	err := c.readFull(ctx, b[:])
	return b[0], err
}

// pendingByte returns a byte the device has already sent, if any.
func (c *Client) pendingByte() (byte, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.head < len(c.buf) {
		b := c.buf[c.head]
		c.head++
		return b, true
	}
	return 0, false
}

// ctxReader reads the device's bytes for the frame decoder.
type ctxReader struct {
	ctx context.Context
	c   *Client
}

func (r ctxReader) Read(p []byte) (int, error) {
	if len(p) == 0 {
		return 0, nil
	}
	if err := r.c.readFull(r.ctx, p[:1]); err != nil {
		return 0, err
	}
	r.c.mu.Lock()
	n := copy(p[1:], r.c.buf[r.c.head:])
	r.c.head += n
	r.c.mu.Unlock()
	return 1 + n, nil
}

// EnterRaw puts the device in the raw REPL as mpremote does: Ctrl-C to stop
// whatever runs, Ctrl-A for the raw REPL and, with softReset, Ctrl-D for a
// fresh Lua state (boot.lua runs, main.lua does not).
func (c *Client) EnterRaw(ctx context.Context, softReset bool) error {
	c.inRaw, c.inFiles = false, false
	if err := c.writeString("\r\x03"); err != nil {
		return err
	}
	c.drain()
	if err := c.requestRaw(ctx); err != nil {
		return fmt.Errorf("could not enter the raw REPL: %w", err)
	}
	if softReset {
		if err := c.writeString("\x04"); err != nil {
			return err
		}
		if _, err := c.readUntil(ctx, softReboot); err != nil {
			return fmt.Errorf("soft reset: %w", err)
		}
		if _, err := c.readUntil(ctx, rawHeader+">"); err != nil {
			return fmt.Errorf("soft reset: %w", err)
		}
	}
	c.inRaw = true
	return nil
}

// resyncAfter is how long EnterRaw waits for the raw REPL before asking
// again: a little longer than moonpin's file-channel frame timeout (2 s).
const resyncAfter = 2500 * time.Millisecond

// requestRaw asks for the raw REPL until it comes or the timeout passes. A
// device left in the middle of a file-channel frame (by a moonctl killed
// during cp) takes the first request as the rest of that frame, and drops
// the frame once the line has been quiet for its frame timeout; the next
// request then gets through.
func (c *Client) requestRaw(ctx context.Context) error {
	deadline := time.Now().Add(c.opts.Timeout)
	for first := true; ; first = false {
		msg := "\r\x01"
		if !first {
			msg = "\r\x03\r\x01"
		}
		if c.mnt != nil {
			msg = string(keepFrame()) + msg
		}
		if err := c.writeString(msg); err != nil {
			return err
		}
		attempt, cancel := context.WithTimeout(ctx, min(time.Until(deadline), resyncAfter))
		_, err := c.readUntil(attempt, rawHeader+">")
		if err == nil {
			err = c.syncRaw(attempt)
		}
		cancel()
		switch {
		case err == nil:
			return nil
		case ctx.Err() != nil || !errors.Is(err, context.DeadlineExceeded):
			return err
		case !time.Now().Before(deadline):
			return fmt.Errorf("waiting for the raw REPL: %w", ErrTimeout)
		}
	}
}

// syncRaw makes sure the raw REPL's reply just read is the answer to this
// client's request and not one of the same text that an earlier client's
// leftover bytes brought on (a "\r\x01" it sent before going): it sends
// code holding a fresh nonce and skips everything up to the device's answer
// to it.
//
// The code is a syntax error whose message the compiler makes, echoing the
// nonce: no Lua runs, so nothing a script did to the globals (print
// redefined or gone, a metatable on _G) can change the answer or see it.
// The message quotes the token ("near 'sync_NONCE'") where the code does
// not, so an echo of the code is not taken for the answer.
func (c *Client) syncRaw(ctx context.Context) error {
	nonce := fmt.Sprintf("sync_%016x", rand.Uint64())
	if err := c.writeString("sync " + nonce + "\x04"); err != nil {
		return err
	}
	if _, err := c.readUntil(ctx, "'"+nonce+"'"); err != nil {
		return err
	}
	_, err := c.readUntil(ctx, "\x04>")
	return err
}

// ExitRaw returns the device to the friendly REPL.
func (c *Client) ExitRaw(ctx context.Context) error {
	if err := c.leaveFiles(ctx); err != nil {
		return err
	}
	c.inRaw = false
	return c.writeString("\r\x02")
}

// Interrupt sends Ctrl-C: running code stops.
func (c *Client) Interrupt() error { return c.writeString("\x03") }

// SoftReset resets the device from the raw REPL: a fresh Lua state, boot.lua
// runs and main.lua does not.
func (c *Client) SoftReset(ctx context.Context) error {
	if err := c.ensureRaw(ctx); err != nil {
		return err
	}
	if err := c.writeString("\x04"); err != nil {
		return err
	}
	if _, err := c.readUntil(ctx, softReboot); err != nil {
		return err
	}
	_, err := c.readUntil(ctx, rawHeader+">")
	return err
}

// Reset soft-resets the device as Ctrl-D at the friendly prompt does: a
// fresh Lua state runs boot.lua and then main.lua. It returns once the
// device has said "soft reboot"; the device is left in the friendly REPL,
// running main.lua, whose output follows (read it with Copy).
func (c *Client) Reset(ctx context.Context) error {
	if err := c.leaveFiles(ctx); err != nil {
		return err
	}
	c.inRaw = false
	c.drain()
	// Ctrl-C stops running code, Ctrl-B makes either REPL the friendly one,
	// and there Ctrl-D on an empty line resets.
	if err := c.writeString("\r\x03\r\x02\x04"); err != nil {
		return err
	}
	if _, err := c.readUntil(ctx, softReboot); err != nil {
		return fmt.Errorf("soft reset: %w", err)
	}
	return nil
}

// Write sends p to the device as it is: keys typed at a terminal. It may be
// called while Copy runs on another goroutine.
func (c *Client) Write(p []byte) (int, error) {
	c.mu.Lock()
	mounted := c.mnt != nil
	c.mu.Unlock()
	keys := p
	if mounted && bytes.IndexByte(p, 0x01) >= 0 {
		// Ctrl-A typed during a mount is this host's (see wire.MKeep).
		keys = append(bytes.Clone(keepFrame()), p...)
	}
	if err := c.write(keys); err != nil {
		return 0, err
	}
	return len(p), nil
}

// Copy passes what the device sends to w as it comes, until ctx ends
// (returning nil) or the connection fails: a terminal session, with Write
// for the keys. What is typed may change the device's mode, so the next
// call that needs the raw REPL enters it afresh.
func (c *Client) Copy(ctx context.Context, w io.Writer) error {
	c.inRaw, c.inFiles = false, false
	for {
		c.mu.Lock()
		out := bytes.Clone(c.buf[c.head:])
		c.head = len(c.buf)
		err := c.err
		c.mu.Unlock()
		if len(out) > 0 {
			if _, werr := w.Write(out); werr != nil {
				return werr
			}
			continue
		}
		if err != nil {
			return fmt.Errorf("%w: %v", ErrClosed, err)
		}
		select {
		case <-c.more:
		case <-ctx.Done():
			return nil
		}
	}
}

func (c *Client) ensureRaw(ctx context.Context) error {
	if err := c.leaveFiles(ctx); err != nil {
		return err
	}
	if c.inRaw {
		return nil
	}
	return c.EnterRaw(ctx, false)
}

// Named returns code that moonpin runs as the chunk called name, so that
// its errors read "name:2: ..." (see wire.ChunkName). Other devices take the
// added first line for a comment. A name that could not be sent on one line
// is left out.
func Named(name, code string) string {
	if name == "" || strings.ContainsFunc(name, unicode.IsControl) {
		return code
	}
	return wire.ChunkName + name + "\n" + code
}

// Exec runs code on the device and returns what it printed, with "\r\n" made
// "\n". A Lua error comes back as an *ExecError.
func (c *Client) Exec(ctx context.Context, code string) (string, error) {
	var out bytes.Buffer
	err := c.ExecTo(ctx, code, &out)
	var ee *ExecError
	if errors.As(err, &ee) {
		ee.Stdout = out.String()
	}
	return out.String(), err
}

// Eval returns the value of a Lua expression as moonpin's prompt shows it,
// a string as it is.
func (c *Client) Eval(ctx context.Context, expr string) (string, error) {
	code, _ := ShowCode("("+expr+")", false)
	out, err := c.Exec(ctx, code)
	return strings.TrimSuffix(out, "\n"), err
}

// ShowCode returns code that prints the values of the Lua expression list
// exprs as moonpin's prompt shows them: separated by ", ", a string as it
// is (with quote, quoted if it holds control bytes that a terminal would
// take for commands), nothing for no values. It also returns the column
// (from 0) where exprs begins on the code's first line; exprs's lines are
// the code's.
//
// moonpin shows the values with Go code of its own (see wire.Show), which
// nothing a script did to the globals changes; an older moonpin, which
// passes the code no function, gets the same done in Lua.
func ShowCode(exprs string, quote bool) (code string, column int) {
	prefix := "(... or " + showInLua + ")(" + fmt.Sprint(quote) + ", "
	// The end has lines of its own, out of reach of a comment at the end
	// of exprs.
	return prefix + exprs + "\n)\n" + wire.Show + "\n", len(prefix)
}

// showInLua is what wire.Show's function does, for a moonpin older than it.
const showInLua = `function(q, ...) local t = {} for i = 1, select("#", ...) do local v = select(i, ...) t[i] = type(v) == "string" and (not q or not v:find("[%z\1-\8\11-\31\127]")) and v or repr(v) end if select("#", ...) > 0 then print(table.concat(t, ", ")) end end`

// ExecTo runs code, passing its output to stdout as it comes ("\r\n" made
// "\n"). The code may run for as long as it likes; ctx (or Interrupt from
// another goroutine) stops the wait. A Lua error is an *ExecError.
func (c *Client) ExecTo(ctx context.Context, code string, stdout io.Writer) error {
	if err := c.ensureRaw(ctx); err != nil {
		return err
	}
	if err := c.send(ctx, []byte(code)); err != nil {
		return err
	}
	w := &lfWriter{w: stdout}
	if err := c.follow(ctx, "\x04", w.Write); err != nil {
		return fmt.Errorf("reading the output: %w", err)
	}
	w.flush()
	errText, err := c.readUntil(ctx, "\x04")
	if err != nil {
		return fmt.Errorf("reading the error: %w", err)
	}
	if _, err := c.readUntil(ctx, ">"); err != nil {
		return err
	}
	if len(errText) > 1 {
		return &ExecError{Stderr: strings.ReplaceAll(string(errText[:len(errText)-1]), "\r\n", "\n")}
	}
	return nil
}

// Start sends code to run and returns once the device has accepted it,
// without waiting for it to finish or reading its output. The next call
// that needs the raw REPL interrupts it.
func (c *Client) Start(ctx context.Context, code string) error {
	if err := c.ensureRaw(ctx); err != nil {
		return err
	}
	if err := c.send(ctx, []byte(code)); err != nil {
		return err
	}
	c.inRaw = false
	return nil
}

// follow passes output to consume until end, which it drops. Running code
// may be silent for long, so only ctx bounds the wait.
func (c *Client) follow(ctx context.Context, end string, consume func([]byte) (int, error)) error {
	for {
		err := c.readUntilFunc(ctx, end, func(p []byte) {
			if bytes.HasSuffix(p, []byte(end)) {
				p = p[:len(p)-len(end)]
			}
			_, _ = consume(p)
		})
		if errors.Is(err, ErrTimeout) {
			continue
		}
		return err
	}
}

// send transfers code and Ctrl-D, by raw-paste where the device offers it,
// and reads the "OK" (or raw-paste's "\x04") that says it will run.
func (c *Client) send(ctx context.Context, code []byte) error {
	if c.rawPaste >= 0 && !c.opts.NoRawPaste {
		if err := c.writeString(rawPasteReq); err != nil {
			return err
		}
		var reply [2]byte
		if err := c.readFull(ctx, reply[:]); err != nil {
			return fmt.Errorf("raw-paste request: %w", err)
		}
		switch string(reply[:]) {
		case "R\x01":
			c.rawPaste = 1
			return c.pasteWrite(ctx, code)
		case "R\x00":
			// Understood but refused; the raw REPL carries on after its ">".
			c.rawPaste = -1
			if _, err := c.readUntil(ctx, ">"); err != nil {
				return err
			}
		default:
			// A device that does not know raw-paste reprints the header.
			c.rawPaste = -1
			if _, err := c.readUntil(ctx, rawHeader+">"); err != nil {
				return fmt.Errorf("could not enter the raw REPL: %w", err)
			}
		}
	}
	if err := c.write(append(bytes.Clone(code), 0x04)); err != nil {
		return err
	}
	var ok [2]byte
	if err := c.readFull(ctx, ok[:]); err != nil {
		return err
	}
	if string(ok[:]) != "OK" {
		return fmt.Errorf("could not run the code: the device answered %q instead of \"OK\"", ok[:])
	}
	return nil
}

// pasteWrite sends code in raw-paste mode: the window size comes first, and
// each "\x01" from the device grants another window.
func (c *Client) pasteWrite(ctx context.Context, code []byte) error {
	var hdr [2]byte
	if err := c.readFull(ctx, hdr[:]); err != nil {
		return err
	}
	window := int(hdr[0]) | int(hdr[1])<<8
	if window == 0 {
		return errors.New("raw-paste: the device offered a window of 0 bytes")
	}
	remain := window
	for len(code) > 0 {
		for {
			b, ok := c.pendingByte()
			if !ok && remain > 0 {
				break
			}
			if !ok {
				var err error
				if b, err = c.readByte(ctx); err != nil {
					return fmt.Errorf("raw-paste: %w", err)
				}
			}
			switch b {
			case 0x01:
				remain += window
			case 0x04:
				// The device ended the paste early; acknowledge it.
				return c.writeString("\x04")
			default:
				return fmt.Errorf("raw-paste: unexpected byte %q from the device", b)
			}
		}
		n := min(remain, len(code))
		if err := c.write(code[:n]); err != nil {
			return err
		}
		code, remain = code[n:], remain-n
	}
	if err := c.writeString("\x04"); err != nil {
		return err
	}
	// Window grants may still arrive before the acknowledgement.
	for {
		b, err := c.readByte(ctx)
		if err != nil {
			return fmt.Errorf("raw-paste: waiting for the end to be acknowledged: %w", err)
		}
		switch b {
		case 0x04:
			return nil
		case 0x01:
		default:
			return fmt.Errorf("raw-paste: unexpected byte %q from the device", b)
		}
	}
}

// lfWriter turns "\r\n" into "\n", holding back a "\r" at the end of a write
// until the next shows what follows it.
type lfWriter struct {
	w  io.Writer
	cr bool
}

func (l *lfWriter) Write(p []byte) (int, error) {
	var out []byte
	if l.cr {
		if len(p) == 0 || p[0] != '\n' {
			out = append(out, '\r')
		}
		l.cr = false
	}
	for i := 0; i < len(p); i++ {
		if p[i] == '\r' {
			if i+1 == len(p) {
				l.cr = true
				continue
			}
			if p[i+1] == '\n' {
				continue
			}
		}
		out = append(out, p[i])
	}
	if _, err := l.w.Write(out); err != nil {
		return 0, err
	}
	return len(p), nil
}

func (l *lfWriter) flush() {
	if l.cr {
		l.cr = false
		_, _ = l.w.Write([]byte{'\r'})
	}
}
