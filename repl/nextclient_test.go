package repl_test

import (
	"fmt"
	"math/rand"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// expectGreeting waits for the next client's first prompt and fails unless
// what came before it is a greeting and nothing else: the banner, maybe on
// a fresh line.
func (d *device) expectGreeting() {
	d.t.Helper()
	got := strings.TrimPrefix(d.Expect("> "), "\r\n")
	if !strings.HasPrefix(got, "moonpin test") || !strings.HasSuffix(got, "Ctrl-A raw REPL.\r\n> ") {
		d.t.Fatalf("the next client's greeting: %q", got)
	}
}

// TestPendingReadEndsWithItsClient: a client that leaves Lua waiting in
// io.read takes the read with it, as Ctrl-C would: the next client is
// greeted at once and its first line runs. It became the old client's
// answer (written to answer.txt, never run), with no banner until then.
func TestPendingReadEndsWithItsClient(t *testing.T) {
	const code = "io.write('?') x = io.read() fs.write('answer.txt', tostring(x))"
	for _, mode := range []string{"friendly", "raw"} {
		t.Run(mode, func(t *testing.T) {
			d := startDevice(t, nil, quickOpts())
			d.Expect("> ")
			if mode == "raw" {
				d.Send("\x01")
				d.Expect("raw REPL; CTRL-B to exit\r\n>")
				d.Send(code + "\x04")
				d.Expect("OK?")
			} else {
				d.Send(code + "\r")
				d.Expect(code + "\r\n?")
			}
			d.connect(t)
			d.expectGreeting()
			d.Send("print('hello from next client')\r")
			d.Expect("hello from next client\r\n> ")
			d.Send("x\r")
			d.Exact("x\r\nnil\r\n> ")
			if _, err := os.Stat(filepath.Join(d.root, "answer.txt")); err == nil {
				t.Fatal("the old client's read took the next client's line")
			}
		})
	}
}

// TestReadBoundToItsCommandsClient: a command's read belongs to the client
// that ran it, also when it starts reading after the next client came; the
// next client's first line is its own.
func TestReadBoundToItsCommandsClient(t *testing.T) {
	d := startDevice(t, nil, quickOpts())
	d.Expect("> ")
	// The command waits for the next client before it reads.
	d.Send("while not fs.exists('go') do time.sleep(0.001) end x = io.read()\r")
	d.Expect("io.read()\r\n")
	d.connect(t)
	if err := os.WriteFile(filepath.Join(d.root, "go"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	d.expectGreeting()
	d.Send("print('mine')\r")
	d.Expect("mine\r\n> ")
	d.Send("x\r")
	d.Exact("x\r\nnil\r\n> ")
}

// TestHistoryIsPerClient: neither the REPL's history nor that of lines
// Lua read passes to the next client (a password typed at input()).
func TestHistoryIsPerClient(t *testing.T) {
	d := startDevice(t, nil, quickOpts())
	d.Expect("> ")
	d.Send("secret = 'hunter2'\r")
	d.Expect("> ")
	d.Send("pw = input('password? ')\r")
	d.Expect("password? ")
	d.Send("hunter3\r")
	d.Expect("hunter3\r\n> ")
	// Within a connection both histories stay, across raw REPL visits too.
	d.Send("\x01")
	d.Expect("raw REPL; CTRL-B to exit\r\n>")
	d.Send("\x02")
	d.Expect("> ")
	d.Send("\x1b[A")
	d.Expect("pw = input('password? ')")
	d.Send("\x15\r")
	d.Expect("> ")
	d.Send("input()\r")
	d.Expect("input()\r\n")
	d.Send("\x1b[A\r")
	d.Expect("hunter3\r\nhunter3\r\n> ")

	d.connect(t)
	d.expectGreeting()
	d.Send("\x1b[A\x1b[A\r")
	d.Send("input()\r")
	d.Send("\x1b[A\x1b[A\r")
	d.Send("='done'\r")
	got := d.Expect("done\r\n> ")
	if strings.Contains(got, "hunter") || strings.Contains(got, "secret") || strings.Contains(got, "password") {
		t.Fatalf("the next client's history held the last one's lines: %q", got)
	}
}

// TestNextClientStartsWithAFreshLine: what the last client left of its
// line, its paste or its line ending does not reach the next: a paste
// under way wrote a stray prompt before the greeting, and a "\r" last
// swallowed the next client's "\n".
func TestNextClientStartsWithAFreshLine(t *testing.T) {
	d := startDevice(t, nil, quickOpts())
	d.Expect("> ")
	d.Send("\x05x = 1\r")
	d.Expect("=== ")
	d.connect(t)
	d.expectGreeting()
	d.Send("=1\r")
	d.Exact("=1\r\n1\r\n> ")
	d.connect(t)
	d.expectGreeting()
	d.Send("\n=x\n")
	d.Exact("\r\n> =x\r\nnil\r\n> ")
}

// TestHandOverAnywhere: a client may go at any moment of anything it does
// (a line, a read, a paste, the raw REPL, raw-paste, the file channel,
// output pouring out) and the next one is greeted, gets a prompt of its own
// and runs its lines: the hand-over never hangs and never feeds the next
// client's input to the last one's work. What the last client sent is cut
// at a random byte, and the next comes at once.
func TestHandOverAnywhere(t *testing.T) {
	acts := []struct {
		send string
		long bool // runs on after its client goes, until a Ctrl-C
	}{
		{"x = io.read()\r", false},
		{"x = input('? ')\r", false},
		{"for i = 1, 1e9 do end\r", true},
		{"for i = 1, 300 do print(i) end\r", false},
		{"\x05a = 1\rb = io.read()\r\x04", false},
		{"\x01print(io.read())\x04", false},
		{"\x01for i = 1, 1e9 do end\x04", true},
		{"\x01\x05A\x01print(1)\x04", false},
		{"\x01\x05F\x01", false},
		{"\x01\x05F\x01\x7e\x01\x00", false},
		{"\x01\x02x = 1\r", false},
		{"\x03\x03\x01\r\x03", false},
		{"\x04", false},
		{"board.reset()\r", false},
		{"\x05for i = 1, 1e9 do end\r\x04", true},
		{"\x01\x04", false},
		{"\x01\x05A\x01for i = 1, 1e9 do end\x04", true},
		{"\x1b[A\x1b[A\r", false},
	}
	d := startDevice(t, nil, quickOpts())
	d.Expect("> ")
	seed := time.Now().UnixNano()
	// HANDOVER_SEED replays a failed run's acts (its timing is the
	// machine's: a load beside it may be needed to see the failure again)
	if v := os.Getenv("HANDOVER_SEED"); v != "" {
		seed, _ = strconv.ParseInt(v, 10, 64)
	}
	rng := rand.New(rand.NewSource(seed))
	var cut string
	defer func() {
		if t.Failed() {
			t.Logf("seed %d, the last client sent %q", seed, cut)
		}
	}()
	for i := range 200 {
		act := acts[rng.Intn(len(acts))]
		cut = act.send[:rng.Intn(len(act.send)+1)]
		d.Send(cut)
		d.connect(t)
		// What the last client's code prints on its way out reaches the
		// next client, as a serial line's would. Code that runs on (a
		// hang-up is no interrupt) the next client stops with Ctrl-C, as
		// mpremote does, which may drop that output and the banner (the
		// output backlog) too: the next client's own line must run.
		if act.long {
			d.Send("\x03")
		}
		mark := fmt.Sprintf("after-%d", i)
		d.Send("='" + mark + "'\r")
		if got := d.Expect(mark + "\r\n> "); !strings.HasSuffix(got, "> ='"+mark+"'\r\n"+mark+"\r\n> ") || strings.Contains(got, "raw REPL; CTRL-B") {
			t.Fatalf("the next client's first line: %q", tailOf(got))
		}
	}
}
