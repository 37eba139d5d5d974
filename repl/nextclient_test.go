package repl_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
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

// TestNextClientRightAfterALine: a client that sends a reading line and
// goes at once leaves the next client a REPL, whichever way the race
// between the line and the hand-over ends: the line not run, run with its
// read ended, or run with its read bound to the client that sent it (not
// to the next, which waited for a prompt while the read waited for it).
func TestNextClientRightAfterALine(t *testing.T) {
	d := startDevice(t, nil, quickOpts())
	d.Expect("> ")
	for range 50 {
		d.Send("x = io.read()\r")
		d.connect(t)
		d.expectGreeting()
	}
	d.Send("print('mine')\r")
	d.Expect("mine\r\n> ")
}

// TestNextClientRightAfterAFileChannelRequest: the file channel answers the
// client that asked; one that came as the request was read is greeted and
// gets nothing of the channel (its "R\x01" and Hello frame came first).
func TestNextClientRightAfterAFileChannelRequest(t *testing.T) {
	d := startDevice(t, nil, quickOpts())
	d.Expect("> ")
	for range 50 {
		d.Send("\x01")
		d.Expect("raw REPL; CTRL-B to exit\r\n>")
		d.Send("\x05F\x01")
		d.connect(t)
		d.expectGreeting()
	}
}
