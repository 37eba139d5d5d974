package main

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/creack/pty"
	"github.com/moonpin/moonpin/internal/serialport"
	"go.bug.st/serial"
	"golang.org/x/sys/unix"
	"golang.org/x/term"
)

// ptyTransport serves the REPL on a pseudo-terminal, for trying moonpin from
// a host tool without hardware. Clients open the slave path; they may close
// it and come back any number of times.
type ptyTransport struct {
	master *os.File
	path   string
	watch  *clientWatch // nil where inotify is not available

	// tests: a client comes at the worst moments of clientPresent, just
	// after its first look and just after its drain
	afterLook, afterDrain func()
}

// openPTY makes the pty pair. The slave is set raw before anything is
// written, or the line discipline would echo the device's output back to it
// as input. Then moonpin closes its own slave descriptor on purpose (the
// settings stay with the pty): with no descriptor of ours holding it open,
// master reads fail with EIO exactly while no client has the slave open,
// which is how the transport knows to drop output and to greet the next
// client. Until then the *os.File stays referenced, so the garbage collector
// cannot close it behind our back.
func openPTY() (*ptyTransport, error) {
	master, slave, err := pty.Open()
	if err != nil {
		return nil, fmt.Errorf("--pty: %w; are /dev/ptmx and /dev/pts available?", err)
	}
	if _, err := term.MakeRaw(int(slave.Fd())); err != nil {
		master.Close()
		slave.Close()
		return nil, fmt.Errorf("--pty: making %s raw: %w", slave.Name(), err)
	}
	path := slave.Name()
	if err := slave.Close(); err != nil {
		master.Close()
		return nil, fmt.Errorf("--pty: %w", err)
	}
	m, err := pollable(master)
	if err != nil {
		return nil, fmt.Errorf("--pty: %w", err)
	}
	p := &ptyTransport{master: m, path: path}
	// Without the watch, clients are found by polling alone.
	p.watch, _ = newClientWatch(path)
	return p, nil
}

// pollable returns f as a non-blocking *os.File in Go's poller, closing f.
// creack/pty hands out the master in blocking mode (its ioctls call Fd),
// and a blocked read on it would survive Close: shutdown would hang while a
// client sits idle on the pty.
func pollable(f *os.File) (*os.File, error) {
	defer f.Close()
	fd, err := unix.Dup(int(f.Fd()))
	if err != nil {
		return nil, fmt.Errorf("dup %s: %w", f.Name(), err)
	}
	unix.CloseOnExec(fd)
	if err := unix.SetNonblock(fd, true); err != nil {
		unix.Close(fd)
		return nil, fmt.Errorf("%s: %w", f.Name(), err)
	}
	return os.NewFile(uintptr(fd), f.Name()), nil
}

// clientWait is how often the transport looks for a client while none has
// the pty open; with the inotify watch, which tells it when one opens the
// pty, it looks only every clientRecheck in case an open went unseen, so
// that an idle board without a client does not wake 50 times a second.
const (
	clientWait    = 20 * time.Millisecond
	clientRecheck = time.Second
)

// serve hands each client's session to the device until stop closes. A
// client whose session another transport took over keeps the pty open; what
// it types next takes the session back.
func (p *ptyTransport) serve(ss *sessions, stop <-chan struct{}) {
	var early []byte
	for {
		if early == nil {
			var ok bool
			if early, ok = p.waitClient(stop); !ok {
				return
			}
		}
		conn := &ptyConn{f: p.master}
		took, _ := ss.serve(&primed{rw: conn, early: early}, func() {
			// Its output stops where it is, as when the client goes.
			conn.end()
			_ = p.master.SetReadDeadline(time.Now())
		})
		_ = p.master.SetReadDeadline(time.Time{})
		_ = p.master.SetWriteDeadline(time.Time{})
		if took != nil {
			if p.clientOpen() {
				_ = p.master.SetWriteDeadline(time.Now().Add(noticeWait))
				_, _ = p.master.Write(takeoverNotice(comeBackByTyping))
				_ = p.master.SetWriteDeadline(time.Time{})
			}
			// What the client sent takes the session back; not what it
			// sent just before it closed the pty, though, nor the rest of
			// what it was sending.
			early = took.unread
			if took.midway {
				early = nil
				_ = dropStream(func(b []byte) (int, error) {
					_ = p.master.SetReadDeadline(time.Now().Add(streamPause))
					return p.master.Read(b)
				})
				_ = p.master.SetReadDeadline(time.Time{})
			}
			if len(early) > 0 && p.clientOpen() {
				continue
			}
			if early = p.waitInput(); early != nil && p.clientOpen() {
				continue
			}
		}
		early = nil
		// Output queued for the client that left must not greet the next
		// one. The session's writes have stopped (see ptyConn), so nothing
		// of it lands after the flush.
		p.flushOutput()
	}
}

// waitInput waits for a client whose session was taken over to type, and
// returns what it typed; nil when it closed the pty instead (or moonpin is
// stopping).
func (p *ptyTransport) waitInput() []byte {
	buf := make([]byte, 4096)
	n, err := p.master.Read(buf)
	if n == 0 || err != nil {
		return nil
	}
	return buf[:n]
}

// clientOpen reports whether a client has the slave open.
func (p *ptyTransport) clientOpen() bool {
	rc, err := p.master.SyscallConn()
	if err != nil {
		return false
	}
	open := false
	_ = rc.Control(func(fd uintptr) { open = slaveOpen(int(fd)) })
	return open
}

// waitClient waits until a client has the slave open, or stop closes (then
// false). It returns what the client wrote while the transport looked.
func (p *ptyTransport) waitClient(stop <-chan struct{}) ([]byte, bool) {
	every := clientWait
	if p.watch != nil {
		every = clientRecheck
	}
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		var changed <-chan struct{} // nil: wait for the ticker only
		if p.watch != nil {
			changed = p.watch.next()
		}
		select {
		case <-stop:
			return nil, false
		default:
		}
		if early, ok := p.clientPresent(); ok {
			return early, true
		}
		select {
		case <-stop:
			return nil, false
		case <-changed:
		case <-t.C:
		}
	}
}

// clientPresent polls the master: POLLHUP means no slave descriptor is open.
// Then whatever is waiting to be read was written by clients that have
// gone (one that opened, wrote and closed between two looks): it is
// dropped, or the next client would get the REPL in the state those bytes
// leave it in (the raw REPL, half a frame). Those bytes are read out and
// the master polled again: a client that opened the pty and wrote at once,
// between the two looks, keeps what it wrote (returned, for its session)
// rather than losing its first command.
func (p *ptyTransport) clientPresent() ([]byte, bool) {
	rc, err := p.master.SyscallConn()
	if err != nil {
		return nil, false
	}
	var read []byte
	present := false
	_ = rc.Control(func(fd uintptr) {
		if present = slaveOpen(int(fd)); present {
			return
		}
		if p.afterLook != nil {
			p.afterLook()
		}
		// Read, never flush: a flush after the read dropped what a client
		// that had just opened wrote between the two (mpremote's "\r\x03"
		// once, under load, and main.lua was never interrupted), and one
		// before it what a client wrote between the look and the flush
		// (a test's first command, once in a CI run). Reading is enough:
		// a non-blocking read of the master waits for the bytes still in
		// the pty's flip buffers (n_tty_read flushes its work) before it
		// says EAGAIN, so nothing a gone client wrote is left behind.
		buf := make([]byte, 4096)
		for {
			n, err := unix.Read(int(fd), buf)
			if n <= 0 || err != nil {
				break
			}
			read = append(read, buf[:n]...)
		}
		if p.afterDrain != nil {
			p.afterDrain()
		}
		present = slaveOpen(int(fd))
	})
	if !present {
		return nil, false
	}
	return read, true
}

// slaveOpen polls the master fd: POLLHUP means no slave descriptor is open.
func slaveOpen(fd int) bool {
	fds := []unix.PollFd{{Fd: int32(fd), Events: unix.POLLIN}}
	_, err := unix.Poll(fds, 0)
	return err == nil && fds[0].Revents&unix.POLLHUP == 0
}

// flushOutput drops what was written for a client that has gone, and
// undoes the terminal settings it left. Flushing the master's output empties
// the pty's buffers in flight, but not the slave's line discipline, which
// may already hold up to 4 KB of it (Linux's pty_flush_buffer leaves the
// ldisc alone): that takes a flush of the slave's input, on a descriptor of
// the slave opened for the moment. The settings stay with the pty from one
// client to the next: one that left echo on (`stty sane`) made the pty echo
// moonpin's output back to it as typed input, without end. The pty is made
// raw again, as openPTY made it.
func (p *ptyTransport) flushOutput() {
	if rc, err := p.master.SyscallConn(); err == nil {
		_ = rc.Control(func(fd uintptr) { _ = flushOutput(int(fd)) })
	}
	if fd, err := unix.Open(p.path, unix.O_RDWR|unix.O_NOCTTY|unix.O_NONBLOCK|unix.O_CLOEXEC, 0); err == nil {
		_, _ = term.MakeRaw(fd)
		_ = flushInput(fd)
		unix.Close(fd)
	}
}

func (p *ptyTransport) Close() error {
	err := p.master.Close()
	if p.watch != nil {
		p.watch.Close()
	}
	return err
}

// ptyConn is one client's session on the master: EIO, the client closing
// the slave, ends it like EOF. From then on its writes fail: one waiting
// for room in the pty (no one reads it now) is cut short by a deadline,
// rather than finishing into the next client's view.
type ptyConn struct {
	f     *os.File
	mu    sync.RWMutex // held for reading by each write, for writing to end them
	ended bool         // guarded by mu
}

// errSessionEnded is what writes get once the client has gone.
var errSessionEnded = errors.New("pty: the client has gone")

func (c *ptyConn) Read(p []byte) (int, error) {
	n, err := c.f.Read(p)
	if errors.Is(err, syscall.EIO) {
		c.end()
		return n, io.EOF
	}
	return n, err
}

// end stops the session's writes and waits for any under way to give up.
func (c *ptyConn) end() {
	_ = c.f.SetWriteDeadline(time.Now())
	c.mu.Lock()
	c.ended = true
	c.mu.Unlock()
}

func (c *ptyConn) Write(p []byte) (int, error) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	if c.ended {
		return 0, errSessionEnded
	}
	return c.f.Write(p)
}

// servePort serves the REPL on a serial port (a USB gadget's /dev/ttyGS0, a
// UART), opening it again whenever it fails (the cable was unplugged) until
// stop closes. main.lua runs on meanwhile.
func servePort(ss *sessions, dev string, baud int, stop <-chan struct{}, stderr io.Writer) {
	const maxWait = 2 * time.Second
	wait := 50 * time.Millisecond
	reported := false
	for {
		port, err := serial.Open(dev, &serial.Mode{BaudRate: baud})
		if err != nil {
			if !reported {
				fmt.Fprintf(stderr, "moonpin: waiting for %s: %v%s\n", dev, err, portHint(dev, err))
				reported = true
			}
			t := time.NewTimer(wait)
			select {
			case <-stop:
				t.Stop()
				return
			case <-t.C:
			}
			wait = min(2*wait, maxWait)
			continue
		}
		if reported {
			fmt.Fprintf(stderr, "moonpin: %s is here; serving the REPL on it\n", dev)
		}
		wait, reported = 50*time.Millisecond, false
		ended := make(chan struct{})
		go func() {
			select {
			case <-stop:
				port.Close()
			case <-ended:
			}
		}()
		err = servePortSessions(ss, port, stop)
		close(ended)
		port.Close()
		select {
		case <-stop:
			return
		default:
		}
		if err != nil {
			fmt.Fprintf(stderr, "moonpin: %s: %v; opening it again when it comes back\n", dev, err)
		}
	}
}

// portPoll is how often a read of the serial port returns to see whether
// its session was taken over by another transport.
const portPoll = 100 * time.Millisecond

// servePortSessions serves the port's client until reading fails or stop
// closes. A serial line has no "connect": its client is whoever types, so
// after another transport takes the session over, the next bytes from the
// port take it back.
func servePortSessions(ss *sessions, port serial.Port, stop <-chan struct{}) error {
	if err := port.SetReadTimeout(portPoll); err != nil {
		return err
	}
	var early []byte
	var noticing atomic.Bool
	stopped := func() bool {
		select {
		case <-stop:
			return true
		default:
			return false
		}
	}
	for {
		took, err := ss.serve(&primed{rw: serialport.WholeWrites{Port: port}, early: early}, func() {})
		if took == nil {
			return err
		}
		notifyPort(port, &noticing)
		if early = took.unread; took.midway {
			early = nil
			err := dropStream(func(b []byte) (int, error) {
				if stopped() {
					return 0, errStopped
				}
				return port.Read(b)
			})
			if errors.Is(err, errStopped) {
				return nil
			}
			if err != nil {
				return err
			}
		}
		if len(early) > 0 {
			continue
		}
		buf := make([]byte, 4096)
		for {
			if stopped() {
				return nil
			}
			n, err := port.Read(buf)
			if err != nil {
				return err
			}
			if n > 0 {
				early = buf[:n]
				break
			}
		}
	}
}

// notifyPort writes the takeover notice on a serial port, on a goroutine
// of its own: a serial port has no write deadline, and a line whose host
// does not read (a USB gadget with no one at the other end) would hold the
// write, and the port's reads with it. noticing keeps it to one such
// goroutine per port, however often its session is taken over.
func notifyPort(port serial.Port, noticing *atomic.Bool) {
	if !noticing.CompareAndSwap(false, true) {
		return
	}
	go func() {
		defer noticing.Store(false)
		_, _ = serialport.WholeWrites{Port: port}.Write(takeoverNotice(comeBackByTyping))
	}()
}

// streamPause is how long a client whose session was taken over in the
// middle of sending something (a line, code, a file moonctl cp had on its
// way) must be quiet before what it sends counts as the client coming back:
// the rest of a stream comes without a pause, and moonctl waits seconds
// before it asks again for a session it lost.
const streamPause = 250 * time.Millisecond

// errStopped: moonpin is stopping.
var errStopped = errors.New("moonpin is stopping")

// dropStream reads and drops what a client sends on after its session was
// taken over in the middle of a stream, until the client has been quiet
// for streamPause. Each read must return within streamPause, with nothing
// (n == 0, or a deadline error) if nothing came; any other error ends the
// wait (the client went) and is returned.
func dropStream(read func(b []byte) (int, error)) error {
	buf := make([]byte, 4096)
	last := time.Now()
	for time.Since(last) < streamPause {
		n, err := read(buf)
		if n > 0 {
			last = time.Now()
		}
		if err != nil && !errors.Is(err, os.ErrDeadlineExceeded) {
			return err
		}
	}
	return nil
}

// primed reads early, what a client sent before its session began (the
// bytes a transport read to see it come, or to take the session back),
// before what rw reads.
type primed struct {
	rw    io.ReadWriter
	early []byte
}

func (p *primed) Read(b []byte) (int, error) {
	if len(p.early) > 0 {
		n := copy(b, p.early)
		p.early = p.early[n:]
		return n, nil
	}
	return p.rw.Read(b)
}

func (p *primed) Write(b []byte) (int, error) { return p.rw.Write(b) }

func portHint(dev string, err error) string {
	var pe *serial.PortError
	if errors.As(err, &pe) && pe.Code() == serial.PermissionDenied {
		return "; is the user in group dialout?"
	}
	if _, statErr := os.Stat(dev); errors.Is(statErr, fs.ErrNotExist) {
		if strings.HasPrefix(filepath.Base(dev), "ttyGS") {
			return "; it appears once the USB gadget is up (dtoverlay=dwc2 and g_serial, see deploy/usb-gadget.md) and the cable is in the board's USB data port"
		}
		return "; it does not exist (yet)"
	}
	return ""
}

// terminalConn is the REPL on the controlling terminal, put in raw mode so
// that control keys reach the REPL as bytes.
type terminalConn struct {
	in    *os.File
	out   io.Writer
	state *term.State
}

func openTerminal(in *os.File, out io.Writer) (*terminalConn, error) {
	state, err := term.MakeRaw(int(in.Fd()))
	if err != nil {
		return nil, fmt.Errorf("terminal: %w", err)
	}
	return &terminalConn{in: in, out: out, state: state}, nil
}

func (t *terminalConn) Read(p []byte) (int, error)  { return t.in.Read(p) }
func (t *terminalConn) Write(p []byte) (int, error) { return t.out.Write(p) }

// restore puts the terminal back as it was.
func (t *terminalConn) restore() { _ = term.Restore(int(t.in.Fd()), t.state) }
