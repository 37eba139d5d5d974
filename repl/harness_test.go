package repl_test

import (
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/moonpin/moonpin/internal/expect"
	"github.com/moonpin/moonpin/repl"
)

// device is a device under test with the test's end of a connection to it,
// which collects what the device writes and waits for expected bytes.
type device struct {
	*repl.Device
	root string
	t    testing.TB
	*expect.Stream
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
	return startDeviceIn(t, root, opts)
}

// startDeviceIn is startDevice on a root the test has made.
func startDeviceIn(t testing.TB, root string, opts *repl.Options) *device {
	t.Helper()
	o := repl.Options{Version: "test", Board: "sim"}
	if opts != nil {
		o = *opts
	}
	o.Runtime.Root = root
	d, err := repl.New(o)
	if err != nil {
		t.Fatal(err)
	}
	dev := &device{Device: d, root: root, t: t, serveErr: make(chan error, 1)}
	dev.connect(t)
	t.Cleanup(func() {
		if dev.Stream != nil {
			dev.Stream.Close()
		}
		<-dev.serveErr
		d.Close()
	})
	return dev
}

// connect attaches a new connection, closing the old one.
func (d *device) connect(t testing.TB) {
	d.Stream = expect.New(t, d.dial())
}

// dial closes the current connection and attaches a new one, returning the
// host's end.
func (d *device) dial() net.Conn {
	if d.Stream != nil {
		d.Stream.Close()
		<-d.serveErr
		d.Stream = nil
	}
	host, dev := net.Pipe()
	go func() { d.serveErr <- d.Serve(dev) }()
	return host
}

func lines(s string) string { return strings.ReplaceAll(s, "\r\n", "\n") }
