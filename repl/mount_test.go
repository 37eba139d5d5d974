package repl_test

import (
	"crypto/sha256"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/moonpin/moonpin/repl"
	"github.com/moonpin/moonpin/repl/internal/wire"
)

// A computer that stops answering its mount's requests (a moonctl stopped,
// a serial line where no hang-up is seen) costs the read that waited the
// mount timeout, which ends the mount: the read says why, and the REPL
// soft-resets with the board's own root.
func TestMountEndsWhenComputerIsSilent(t *testing.T) {
	d := startDevice(t, map[string]string{"onboard.lua": "return 'board'"},
		&repl.Options{Version: "test", Board: "sim", MountTimeout: 300 * time.Millisecond})
	d.mountComputer()
	// The code stops there, pcall or not: what it went on to read would
	// be the board's own files (it went on, and required a stale copy).
	d.Send("print(pcall(require, 'x')) print('went on')\x04")
	d.Expect(string([]byte{wire.Escape, wire.Sync, wire.MStat}))
	if got := d.Expect("x.lua: the computer did not answer in 300ms, so the mount has ended and the board has its own script root back"); strings.Contains(got, "went on") {
		t.Fatalf("the code went on after the mount ended: %q", got)
	}
	if got := d.Expect("soft reboot\r\nraw REPL; CTRL-B to exit\r\n>"); strings.Contains(got, "went on") {
		t.Fatalf("the code went on after the mount ended: %q", got)
	}
	d.Send("print(require('onboard'))\x04")
	d.Expect("OKboard\r\n\x04\x04>")
}

// On a serial line (or a pty reopened at once) a client can go and another
// come without the device seeing it. The mount's own host says its raw
// REPL requests are its own (wire.MKeep); a request without that is a new
// host's, which ends the mount: the new host finds the board's own root in
// a fresh state, and the mounted code it interrupted does not go on asking
// a computer that is no longer there.
func TestMountEndsWhenAnotherHostAsks(t *testing.T) {
	d := startDevice(t, map[string]string{"onboard.lua": "return 'board'"}, quickOpts())
	d.mountComputer()
	// As a host does, wait for the mount before sending what it affects.
	d.Send("x = 1 print('mounted')\x04")
	d.Expect("mounted\r\n\x04\x04>")
	keep := string(wire.AppendFrame([]byte{wire.Escape}, wire.MKeep, nil))
	d.Send(keep + "\r\x01")
	d.Expect("raw REPL; CTRL-B to exit\r\n>")
	// No reset: x is still there, and the mount still asks the computer.
	d.Send("print(x)\x04")
	d.Expect("OK1\r\n\x04\x04>")
	d.Send("print(fs.read('a.txt'))\x04")
	d.Expect(string([]byte{wire.Escape, wire.Sync, wire.MRead}))
	d.Send("\r\x03\r\x01")
	d.Expect("soft reboot\r\nraw REPL; CTRL-B to exit\r\n>")
	d.Send("print(x, fs.exists('onboard.lua'))\x04")
	d.Expect("OKnil\ttrue\r\n\x04\x04>")
}

// A computer killed while it sent a reply leaves part of a frame; the next
// host's bytes must not go to fill it up for good. Once the line has been
// quiet for the frame timeout, the rest is dropped and the next request for
// the raw REPL is answered, as moonctl asks again until it is.
func TestMountDropsHalfAReply(t *testing.T) {
	d := startDevice(t, map[string]string{"onboard.lua": "return 'board'"}, quickOpts())
	d.mountComputer()
	d.Send("print(fs.read('a.txt'))\x04")
	d.Expect(string([]byte{wire.Escape, wire.Sync, wire.MRead}))
	reply := wire.AppendFrame([]byte{wire.Escape}, wire.OK, new(wire.Encoder).Uint(1).Uint(30000).Bytes(make([]byte, 30000)).B)
	d.Send(string(reply[:5000]))
	d.askRawUntilAnswered("after half a reply")
	d.Send("print(fs.exists('onboard.lua'))\x04")
	d.Expect("OKtrue\r\n\x04\x04>")
}

// A reply the computer sends after its Unmount (moonctl interrupted while
// it served a read: the read's reply and the Unmount cross on the line) is
// dropped, not taken as file-channel frames or code for the raw REPL: the
// host's next request after the Unmount is answered as if the reply had
// never come.
func TestMountDropsAReplyAfterUnmount(t *testing.T) {
	d := startDevice(t, map[string]string{"onboard.lua": "return 'board'"}, quickOpts())
	d.mountComputer()
	d.Send("print(fs.read('blob.bin'))\x04")
	d.Expect(string([]byte{wire.Escape, wire.Sync, wire.MRead}))
	d.Send("\x03")
	d.Expect("interrupted")
	d.Expect("\x04>")
	r := d.enterFiles()
	d.askOK(r, wire.Unmount)
	late := wire.AppendFrame([]byte{wire.Escape}, wire.OK, new(wire.Encoder).Uint(1).Uint(3000).Bytes([]byte(strings.Repeat("0123456789", 300))).B)
	d.Send(string(late))
	d.askOK(r, wire.Quit)
	d.Exact(">")
	d.Send("\x04")
	d.Expect("OK\r\nsoft reboot\r\nraw REPL; CTRL-B to exit\r\n>")
	d.Send("print(fs.exists('onboard.lua'))\x04")
	d.Exact("OKtrue\r\n\x04\x04>")
}

// A computer's Unmount is followed by its own soft reset (client.Unmount),
// which leaves nothing loaded from the computer on the board. A moonctl
// killed between the two must not leave that state to the next host: the
// board resets at the next host's first request (or connection) instead,
// and only once.
func TestMountResetsAfterUnmountWithoutItsHost(t *testing.T) {
	// unmounted mounts a computer, runs code that leaves x, and unmounts
	// as moonctl does, up to where moonctl is killed.
	unmounted := func(t *testing.T, quit bool) *device {
		d := startDevice(t, map[string]string{"onboard.lua": "return 'board'"}, quickOpts())
		d.mountComputer()
		d.Send("x = 1 print('mounted')\x04")
		d.Expect("mounted\r\n\x04\x04>")
		r := d.enterFiles()
		d.askOK(r, wire.Unmount)
		if quit {
			d.askOK(r, wire.Quit)
			d.Exact(">")
		}
		return d
	}
	fresh := func(d *device) {
		d.Send("print(x, fs.exists('onboard.lua'))\x04")
		d.Exact("OKnil\ttrue\r\n\x04\x04>")
	}
	for _, quit := range []bool{false, true} {
		name := map[bool]string{false: "killed in the file channel", true: "killed after leaving it"}[quit]
		t.Run(name+", the next host asks for the raw REPL", func(t *testing.T) {
			d := unmounted(t, quit)
			d.Send("\r\x03\r\x01")
			d.Expect("soft reboot\r\nraw REPL; CTRL-B to exit\r\n>")
			fresh(d)
		})
	}
	t.Run("the next host runs code at once", func(t *testing.T) {
		d := unmounted(t, true)
		d.Send("print(x)\x04")
		d.Expect("soft reboot\r\n")
		d.Exact("OKnil\r\n\x04\x04>")
	})
	t.Run("the next host goes to the friendly REPL", func(t *testing.T) {
		d := unmounted(t, true)
		d.Send("\x02")
		d.Expect("soft reboot\r\n")
		d.Expect("> ")
		d.Send("print(x)\r")
		d.Expect("\r\nnil\r\n> ")
	})
	t.Run("a new connection", func(t *testing.T) {
		d := unmounted(t, false)
		d.connect(t)
		d.Expect("> ")
		d.Send("print(x)\r")
		d.Expect("\r\nnil\r\n> ")
	})
}

// askOK sends a request of type typ with no payload on the file channel
// and fails the test unless the reply r reads next is OK.
func (d *device) askOK(r *wire.Reader, typ byte) {
	d.t.Helper()
	d.Send(frame(typ, nil))
	if f, err := r.ReadFrame(); err != nil || f.Type != wire.OK {
		d.t.Fatalf("%q: reply %q %v", typ, f.Type, err)
	}
}

// mountComputer mounts a computer's directory, as moonctl mount asks, and
// leaves the device at the raw REPL's prompt; the test answers for the
// computer.
// TestMountReadStaysUnderTheLimit: a file of the computer's is checked
// against the memory limit by the size its first reply gives, as a board
// file is by its size, before room is made for it.
func TestMountReadStaysUnderTheLimit(t *testing.T) {
	opts := quickOpts()
	opts.Runtime.MemLimit = 128 << 20
	d := startDevice(t, nil, opts)
	d.mountComputer()
	d.Send("print(pcall(fs.read, 'huge.bin'))\x04")
	d.Expect(string([]byte{wire.Escape, wire.Sync, wire.MRead}))
	reply := wire.AppendFrame([]byte{wire.Escape}, wire.OK, new(wire.Encoder).Uint(1).Uint(1<<30).Bytes(make([]byte, 1000)).B)
	d.Send(string(reply))
	d.Expect("memory limit exceeded (128 MB)")
	d.Expect("\x04>")
}

func (d *device) mountComputer() {
	d.fileChannel()
	d.Send(frame(wire.Mount, new(wire.Encoder).Uint(0).String("/computer/dir").B))
	d.Send(frame(wire.Quit, nil))
}

// TestRawRepliesGoToTheirClient: the raw REPL's reply to a command (its
// "\x04\x04>" ending, an error's framing, the header after a soft reset) is
// the asking client's protocol, not output: when that client has gone
// before the command ends, the next client does not get it (the program's
// own output may reach it; the framing did too).
func TestRawRepliesGoToTheirClient(t *testing.T) {
	for _, c := range []struct{ name, code string }{
		{"clean end", `print("A-OUT")`},
		{"error", `error("A-ERR")`},
		{"soft reset", `os.exit()`},
	} {
		t.Run(c.name, func(t *testing.T) {
			d := startDevice(t, nil, quickOpts())
			d.Send("\r\x03\r\x01")
			d.Expect("raw REPL; CTRL-B to exit\r\n>")
			d.Send(`while not fs.exists("go") do time.sleep_ms(5) end ` + c.code + "\x04")
			d.Exact("OK")
			d.connect(t)
			// The new client is greeted once the command has ended.
			if err := os.WriteFile(filepath.Join(d.root, "go"), nil, 0o644); err != nil {
				t.Fatal(err)
			}
			got := d.Expect("Ctrl-A raw REPL.\r\n> ")
			d.Send("print('B' .. 'B')\r")
			got += d.Expect("BB\r\n> ")
			for _, leak := range []string{"\x04", "raw REPL; CTRL-B"} {
				if strings.Contains(got, leak) {
					t.Fatalf("the next client got %q of the raw reply: %q", leak, got)
				}
			}
		})
	}
}

// TestAnEndedMountLeavesTheLineAlone: on a serial line (one connection for
// every host), the mount's demultiplexing of the computer's replies ends
// with the mount: a later upload whose data holds Escape and Sync bytes
// arrives whole. It failed "frame checksum mismatch" until moonpin was
// restarted, and the rest of the upload ran as REPL input.
func TestAnEndedMountLeavesTheLineAlone(t *testing.T) {
	d := startDevice(t, nil, quickOpts())
	d.mountComputer()
	d.Send("print('mounted')\x04")
	d.Expect("mounted\r\n\x04\x04>")
	r := d.enterFiles()
	d.askOK(r, wire.Unmount)
	d.askOK(r, wire.Quit)
	d.Exact(">")
	d.Send("\x04")
	d.Expect("OK\r\nsoft reboot\r\nraw REPL; CTRL-B to exit\r\n>")
	r = d.enterFiles()
	data := []byte{'a', wire.Escape, wire.Sync, 'b', wire.Escape, wire.Escape, 'c'}
	sum := sha256.Sum256(data)
	d.Send(frame(wire.Put, new(wire.Encoder).String("bin.dat").Uint(uint64(len(data))).Bytes(sum[:]).B))
	for _, step := range []struct {
		send string
		want byte
	}{{"", wire.OK}, {frame(wire.Data, data), wire.Ack}, {frame(wire.Finish, nil), wire.OK}} {
		d.Send(step.send)
		if f, err := r.ReadFrame(); err != nil || f.Type != step.want {
			t.Fatalf("after %q: %q %v (%q)", step.send, f.Type, err, f.Payload)
		}
	}
	assertFile(t, d.root, "bin.dat", string(data))
}
