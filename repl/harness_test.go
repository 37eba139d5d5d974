package repl_test

import (
	"bytes"
	"net"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/moonpin/moonpin/interp"
	"github.com/moonpin/moonpin/repl"
)

// link is the test's end of a connection to a device: it collects what the
// device writes and waits for expected bytes with a deadline.
type link struct {
	t    testing.TB
	conn net.Conn

	mu   sync.Mutex
	buf  []byte
	more chan struct{}
	done chan struct{}
}

func newLink(t testing.TB, conn net.Conn) *link {
	w := &link{t: t, conn: conn, more: make(chan struct{}, 1), done: make(chan struct{})}
	go func() {
		defer close(w.done)
		p := make([]byte, 64<<10)
		for {
			n, err := conn.Read(p)
			w.mu.Lock()
			w.buf = append(w.buf, p[:n]...)
			w.mu.Unlock()
			select {
			case w.more <- struct{}{}:
			default:
			}
			if err != nil {
				return
			}
		}
	}()
	return w
}

func (w *link) send(s string) {
	w.t.Helper()
	if _, err := w.conn.Write([]byte(s)); err != nil {
		w.t.Fatalf("send %q: %v", s, err)
	}
}

// expect waits for want and returns everything received up to and including
// it, consuming it.
func (w *link) expect(want string) string {
	w.t.Helper()
	deadline := time.NewTimer(10 * time.Second)
	defer deadline.Stop()
	for {
		w.mu.Lock()
		if i := bytes.Index(w.buf, []byte(want)); i >= 0 {
			got := string(w.buf[:i+len(want)])
			w.buf = w.buf[i+len(want):]
			w.mu.Unlock()
			return got
		}
		w.mu.Unlock()
		select {
		case <-w.more:
		case <-w.done:
			w.mu.Lock()
			got := string(w.buf)
			w.mu.Unlock()
			w.t.Fatalf("connection closed waiting for %q; got %q", want, got)
		case <-deadline.C:
			w.mu.Lock()
			got := string(w.buf)
			w.mu.Unlock()
			w.t.Fatalf("timed out waiting for %q; got %q", want, got)
		}
	}
}

// exact waits for want and fails unless it is exactly what came.
func (w *link) exact(want string) {
	w.t.Helper()
	if got := w.expect(want); got != want {
		w.t.Fatalf("got %q, want exactly %q", got, want)
	}
}

type device struct {
	*repl.Device
	root string
	*link
	serveErr chan error
}

// startDevice writes files into a fresh root, starts a device on it and
// connects to it. The device and the connection end with the test.
func startDevice(t testing.TB, files map[string]string, opts *repl.Options) *device {
	t.Helper()
	root := t.TempDir()
	for name, body := range files {
		if err := os.WriteFile(filepath.Join(root, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	o := repl.Options{Version: "test", Board: "sim"}
	if opts != nil {
		o = *opts
	}
	o.Runtime = interp.Options{Root: root}
	d, err := repl.New(o)
	if err != nil {
		t.Fatal(err)
	}
	dev := &device{Device: d, root: root, serveErr: make(chan error, 1)}
	dev.connect(t)
	t.Cleanup(func() {
		if dev.link != nil {
			dev.conn.Close()
			<-dev.link.done
		}
		<-dev.serveErr
		d.Close()
	})
	return dev
}

// connect attaches a new connection, closing the old one.
func (d *device) connect(t testing.TB) {
	d.link = newLink(t, d.dial())
}

// dial closes the current connection and attaches a new one, returning the
// host's end.
func (d *device) dial() net.Conn {
	if d.link != nil {
		d.conn.Close()
		<-d.serveErr
		<-d.link.done
		d.link = nil
	}
	host, dev := net.Pipe()
	go func() { d.serveErr <- d.Serve(dev) }()
	return host
}

func lines(s string) string { return strings.ReplaceAll(s, "\r\n", "\n") }
