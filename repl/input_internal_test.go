package repl

import (
	"errors"
	"testing"
	"time"

	"github.com/moonpin/moonpin/interp"
	"github.com/moonpin/moonpin/repl/internal/wire"
)

// readFrom attaches a client whose output is outGen, greets it, and has
// the REPL read all of what it sends; it returns the client's generation.
func readFrom(t *testing.T, in *input, outGen uint64, sends string) uint64 {
	t.Helper()
	gen := in.attach(outGen)
	in.ackFresh()
	in.push(gen, []byte(sends), func() bool { return false })
	got := make([]byte, len(sends))
	if n, err := in.read(got, time.Second); err != nil || n != len(sends) {
		t.Fatalf("read %d of %d bytes: %v", n, len(sends), err)
	}
	return gen
}

// TestReaderIsTheCommandsClient: a command's reads belong to the client
// whose bytes made the command, also when the next client came between the
// line's last byte and the command's start (a qemu CI run hung so: the
// command's io.read waited on the next client, which waited for a prompt).
func TestReaderIsTheCommandsClient(t *testing.T) {
	in := newInput(1 << 10)
	first := readFrom(t, in, 1, "x = io.read()\r")
	// The next client comes before the command begins.
	in.detach(first)
	next := in.attach(2)
	in.bindReader()
	in.push(next, []byte("mine\r"), func() bool { return false })
	done := make(chan struct{})
	defer close(done)
	if _, err := in.readByteUntil(done); !errors.Is(err, errReaderGone) {
		t.Fatalf("the command's read: %v; want errReaderGone", err)
	}
	if got := in.pending(); got != len("mine\r") {
		t.Fatalf("the next client's line: %d bytes queued; want %d", got, len("mine\r"))
	}
}

// TestReaderBeforeAnyInput: a command no client's bytes made (the boot)
// reads the client attached now, or the next to come.
func TestReaderBeforeAnyInput(t *testing.T) {
	in := newInput(1 << 10)
	in.bindReader()
	gen := in.attach(1)
	in.push(gen, []byte("y"), func() bool { return false })
	if c, err := in.readByteUntil(nil); err != nil || c != 'y' {
		t.Fatalf("boot's read with a client come since: %q, %v", c, err)
	}
}

// handedOver makes a device whose first client sent sends, read by the
// REPL, and then went: the next client is attached, its output in next and
// its input generation newcomer.
func handedOver(t *testing.T, sends string) (d *Device, next *lockedBuffer, newcomer uint64) {
	d, err := New(Options{Version: "test", Board: "sim", Runtime: interp.Options{Root: t.TempDir()}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { d.Close() })
	var first lockedBuffer
	next = new(lockedBuffer)
	firstOut := d.out.attach(&first)
	gen := readFrom(t, d.in, firstOut, sends)
	d.in.detach(gen)
	d.out.detach(firstOut)
	nextOut := d.out.attach(next)
	t.Cleanup(func() { d.out.detach(nextOut) })
	return d, next, d.in.attach(nextOut)
}

// TestRepliesGoToTheAskingClient: a request whose client went as it was
// read is not answered to the next client: not the raw REPL's header (it
// came before the next client's greeting), not the file channel's "R\x01"
// and Hello frame; nor is the next client's input bound to a mount the
// gone client asked for.
func TestRepliesGoToTheAskingClient(t *testing.T) {
	d, next, _ := handedOver(t, wire.Enter)
	d.rawWrite(rawHeader + ">")
	d.fileChannel()
	d.startMount(t.TempDir(), false)
	d.out.flush(time.Second)
	if got := next.String(); got != "" {
		t.Fatalf("the next client got the last one's answer: %q", got)
	}
	if d.mnt.Load() != nil {
		t.Fatal("a mount the last client asked for took the next one's input")
	}
}

// TestUnreadKeepsToItsClient: bytes put back after a read (a byte that does
// not start a frame, the rest of a paste, a raw REPL request inside a
// frame) are dropped when another client came since: they reached the
// next client's line ("~='after-34'", a CI run).
func TestUnreadKeepsToItsClient(t *testing.T) {
	in := newInput(1 << 10)
	first := readFrom(t, in, 1, "~ab")
	in.detach(first)
	in.attach(2)
	in.unread('~')
	in.unreadAll([]byte("ab"))
	if n := in.pending(); n != 0 {
		t.Fatalf("%d bytes of the last client were put back for the next", n)
	}
}

// TestNewcomersCtrlCStopsTheLastClientsRawCode: a client that came after
// the last one's raw REPL code was read, but before it began to run, sent
// Ctrl-C; at the raw REPL a queued Ctrl-C is the protocol's data, so it was
// left in the queue and the code (a loop) ran on, and the newcomer got no
// prompt (TestHandOverAnywhere, 1 run in about 50 on a loaded machine). A
// newcomer's Ctrl-C is its interrupt.
func TestNewcomersCtrlCStopsTheLastClientsRawCode(t *testing.T) {
	d, _, newcomer := handedOver(t, "\x04")
	d.atFriendly.Store(false) // the last client's raw REPL
	d.atRaw.Store(true)
	d.in.push(newcomer, []byte{ctrlC}, func() bool { return false })
	d.beginCommand()
	defer d.executing.Store(false)
	if !d.interrupted.Load() {
		t.Fatal("the newcomer's Ctrl-C, queued as the last client's code began, did not interrupt it")
	}
}
