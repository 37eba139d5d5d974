package repl_test

import (
	"bytes"
	"net"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/moonpin/moonpin/internal/expect"
	"github.com/moonpin/moonpin/repl/internal/wire"
)

// TestGetEndsWithItsClient: a client that asks for a big file and goes
// quiet (moonctl killed mid-cp) takes the rest of the file with it. The
// get's frames went on to the next client, which saw megabytes of a file it
// never asked for before its own answer (CI: "no answer in 5s" after a
// SIGHUP during a 64 MB get).
func TestGetEndsWithItsClient(t *testing.T) {
	const marker = "FILE-DATA-"
	body := strings.Repeat(marker, (16<<20)/len(marker))
	d := startDevice(t, map[string]string{"big.bin": body}, quickOpts())
	d.Expect("> ")
	first := d.dial()
	defer first.Close()
	send := func(s string) {
		if _, err := first.Write([]byte(s)); err != nil {
			t.Fatal(err)
		}
	}
	// readUntil reads the first connection until want has come, and no
	// further: after it the first client reads nothing more.
	readUntil := func(want string) {
		t.Helper()
		first.SetReadDeadline(time.Now().Add(5 * time.Second))
		var got []byte
		buf := make([]byte, 1)
		for !bytes.Contains(got, []byte(want)) {
			if _, err := first.Read(buf); err != nil {
				t.Fatalf("waiting for %q: %v; got %q", want, err, got)
			}
			got = append(got, buf[0])
		}
	}
	send("\r\x03\r\x01")
	readUntil("raw REPL; CTRL-B to exit\r\n>")
	send(wire.Enter)
	send(frame(wire.Get, new(wire.Encoder).String("big.bin").B))
	readUntil(marker) // the get is under way

	// A second client takes the session over without the first hanging
	// up, as a new serial client does.
	host, dev := net.Pipe()
	served := make(chan error, 1)
	go func() { served <- d.Serve(dev) }()
	second := expect.New(t, host)
	defer func() { second.Close(); <-served }()
	second.Send("\r\x03\r\x02")
	second.Send("='second'\r")
	got := second.Expect("\r\nsecond\r\n> ")
	if i := strings.Index(got, marker); i >= 0 || strings.IndexByte(got, wire.Sync) >= 0 {
		t.Fatalf("the second client got the first one's file: %d bytes before its answer, e.g. %q",
			len(got), got[max(i, 0):min(max(i, 0)+40, len(got))])
	}
}

// TestGetOfAFIFOFails: `moonctl cp :fifo .` and its sha256 skip opened the
// FIFO and waited in open(2) for a writer that never came, and the session
// was gone for good (Ctrl-C reaches Lua, not the file channel).
func TestGetOfAFIFOFails(t *testing.T) {
	d := startDevice(t, nil, quickOpts())
	if err := syscall.Mkfifo(filepath.Join(d.root, "fifo"), 0o644); err != nil {
		t.Skipf("no FIFOs here: %v", err)
	}
	d.Expect("> ")
	r := d.fileChannel()
	d.Send(frame(wire.Get, new(wire.Encoder).String("fifo").B))
	if msg := expectFail(t, r, wire.CodeOther); !strings.Contains(msg, "not a regular file") {
		t.Fatalf("get of a FIFO: %q", msg)
	}
	d.Send(frame(wire.Sum, new(wire.Encoder).String("fifo").B))
	if msg := expectFail(t, r, wire.CodeOther); !strings.Contains(msg, "not a regular file") {
		t.Fatalf("sha256 of a FIFO: %q", msg)
	}
}

// TestBootOfAFIFOMainFails: a main.lua that is a FIFO held the boot in
// open(2) for good, at every start: no prompt, and Ctrl-C cannot reach a
// goroutine inside open. It is reported and the REPL comes up.
func TestBootOfAFIFOMainFails(t *testing.T) {
	root := t.TempDir()
	if err := syscall.Mkfifo(filepath.Join(root, "main.lua"), 0o644); err != nil {
		t.Skipf("no FIFOs here: %v", err)
	}
	d := startDeviceIn(t, root, quickOpts())
	if got := d.Expect("> "); !strings.Contains(got, "cannot run main.lua") || !strings.Contains(got, "not a regular file") {
		t.Fatalf("boot with a FIFO main.lua: %q", got)
	}
}
