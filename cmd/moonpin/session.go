package main

import (
	"errors"
	"io"
	"os"
	"sync"
	"sync/atomic"
	"time"

	"github.com/moonpin/moonpin/repl"
	"github.com/moonpin/moonpin/repl/client"
)

// sessions keeps the REPL to one client across transports (serial port,
// pty, socket): a client that connects on any of them takes the session
// over, as a new client on the serial line always has. The device starts
// the newcomer clean (queued input and unread output dropped, back in the
// friendly REPL); the one taken over from stops being read: a socket client
// is disconnected, and a serial or pty client gets the session back by
// typing. Not by the rest of what it was sending when it was taken over,
// though (a file moonctl cp had on its way): that is dropped until the
// client pauses (see dropStream).
type sessions struct {
	d   *repl.Device
	mu  sync.Mutex
	cur *sessionConn // guarded by mu
}

// sessionConn is one client's connection. Once displaced, its reads end in
// io.EOF, which ends its Serve; what the read under way brought is kept in
// unread, for the transport: the client typed after all.
type sessionConn struct {
	rw        io.ReadWriter
	cut       func() // makes a read under way return
	displaced atomic.Bool
	unread    []byte // set by Read once displaced
	// midway: when displaced, the client was in the middle of sending
	// something (see repl.Device.AtRest). Set before displaced.
	midway bool
}

func (c *sessionConn) Read(p []byte) (int, error) {
	for {
		n, err := c.rw.Read(p)
		if c.displaced.Load() {
			c.unread = append([]byte(nil), p[:n]...)
			return 0, io.EOF
		}
		if n == 0 && err == nil {
			// A serial port's read timeout: look again.
			continue
		}
		if err != nil && errors.Is(err, os.ErrDeadlineExceeded) {
			continue
		}
		return n, err
	}
}

func (c *sessionConn) Write(p []byte) (int, error) { return c.rw.Write(p) }

// takeover is how a session ended that another client took over.
type takeover struct {
	// unread is what the connection read meanwhile: the start of its
	// client taking the session back (serial and pty clients do, by
	// typing), unless midway.
	unread []byte
	// midway: the client was in the middle of sending something, a line,
	// code or a file (moonctl cp). What it sends next is the rest of that,
	// not the client coming back (see dropStream).
	midway bool
}

// takeoverNotice is the line a client whose session was taken over gets,
// after what the session had written, with what it can do (comeBack): a
// person sees why the prompt went quiet, and moonctl says what happened
// rather than that the board stopped answering (client.TakeoverNotice).
func takeoverNotice(comeBack string) []byte {
	return []byte("\r\n" + client.TakeoverNotice + comeBack + "\r\n")
}

// comeBackByTyping is what a serial or pty client taken over from can do.
const comeBackByTyping = "; type here to take it back"

// noticeWait is how long a takeover notice may wait for a client that does
// not read.
const noticeWait = 200 * time.Millisecond

// serve makes conn the session's connection, taking it over from whichever
// client had it, and serves it until it ends or is taken over; then it
// returns how (nil if it ended). cut must make a read of conn under way
// return.
func (s *sessions) serve(conn io.ReadWriter, cut func()) (*takeover, error) {
	sc := &sessionConn{rw: conn, cut: cut}
	s.mu.Lock()
	if prev := s.cur; prev != nil {
		// The device is still prev's: what it waits for is prev's.
		prev.midway = !s.d.AtRest()
		prev.displaced.Store(true)
		prev.cut()
	}
	s.cur = sc
	s.mu.Unlock()
	err := s.d.Serve(sc)
	s.mu.Lock()
	if s.cur == sc {
		s.cur = nil
	}
	s.mu.Unlock()
	if !sc.displaced.Load() {
		return nil, err
	}
	return &takeover{unread: sc.unread, midway: sc.midway}, err
}
