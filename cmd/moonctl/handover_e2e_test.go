package main

import (
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/moonpin/moonpin/internal/bintest"
	"golang.org/x/sys/unix"
	"golang.org/x/term"
)

// leave opens the board's port, sends what, and closes it again without
// reading: a client that goes away in some state.
func (b *board) leave(what string) {
	b.t.Helper()
	f := openRawPty(b.t, b.path)
	if _, err := f.WriteString(what); err != nil {
		b.t.Fatal(err)
	}
	f.Close()
}

// TestHandOverUnreadOutput: output a client left unread does not reach the
// next one.
func TestHandOverUnreadOutput(t *testing.T) {
	b := startBoard(t, nil)
	for i := range 5 {
		b.leave(`print("SECRET-"..(6*7))` + "\r")
		r := b.moonctl("exec", "print('next')")
		if r.code != 0 || r.stdout != "next\n" || strings.Contains(r.stdout+r.stderr, "SECRET") {
			t.Fatalf("round %d: the next client got %+v", i, r)
		}
	}
}

// TestHandOverRawREPL: a client that entered the raw REPL and left does not
// trip the next moonctl exec.
func TestHandOverRawREPL(t *testing.T) {
	b := startBoard(t, nil)
	for i := range 10 {
		b.leave("\r\x01")
		if r := b.moonctl("exec", "print('next')"); r.code != 0 || r.stdout != "next\n" {
			t.Fatalf("round %d: exec after a client left the raw REPL: %+v", i, r)
		}
	}
}

// rawFile sets a pty slave raw through SyscallConn: f.Fd would make it
// blocking, and then closing it could not end a read.
// openRawPty opens the pty at path as a client does (not as the
// controlling terminal) and sets it raw.
func openRawPty(t testing.TB, path string) *os.File {
	t.Helper()
	f, err := os.OpenFile(path, os.O_RDWR|unix.O_NOCTTY, 0)
	if err != nil {
		t.Fatal(err)
	}
	rawFile(t, f)
	return f
}

func rawFile(t testing.TB, f *os.File) {
	t.Helper()
	rc, err := f.SyscallConn()
	if err != nil {
		t.Fatal(err)
	}
	var rawErr error
	if err := rc.Control(func(fd uintptr) { _, rawErr = term.MakeRaw(int(fd)) }); err != nil {
		t.Fatal(err)
	}
	if rawErr != nil {
		t.Fatal(rawErr)
	}
}

// leftovers are states a client can leave the device in when it goes.
var leftovers = []struct{ name, bytes string }{
	{"raw REPL entered", "\r\x01"},
	{"raw-paste half sent", "\r\x03\r\x01\x05A\x01print('half"},
	{"file channel mid-frame", "\r\x03\r\x01\x05F\x01\xa5d\x00\x80\x00\x00partial"},
	{"unread output", "print('SECRET-'..(6*7))\r"},
	{"paste mode", "\x05for i = 1, 3 do\r"},
	{"half a line", "local x = "},
}

// retryTime is what a moonctl command that had to wait for the device to
// drop a frame and ask again takes at least (the frame timeout).
const retryTime = 2 * time.Second

// TestHandOverSoak hands the device from client to client, each leaving it
// in a random state, and checks that every following moonctl exec works
// at once and sees nothing of the client before. 1000 rounds; 200 with the
// race detector, whose binaries are several times slower.
func TestHandOverSoak(t *testing.T) {
	rounds := 1000
	if bintest.Race || testing.Short() {
		rounds = 200
	}
	b := startBoard(t, map[string]string{"main.lua": "n = 0 timer.every(3, function() n = n + 1 end)\n"})
	r := rand.New(rand.NewPCG(7, 12))
	start := time.Now()
	failures := 0
	var slowest time.Duration
	for i := range rounds {
		left := leftovers[r.IntN(len(leftovers))]
		b.leave(left.bytes)
		t0 := time.Now()
		res := b.moonctl("exec", "print('round', "+strconv.Itoa(i)+")")
		took := time.Since(t0)
		slowest = max(slowest, took)
		// Waiting out a frame timeout (2 s) and asking again is not "at once".
		if want := "round\t" + strconv.Itoa(i) + "\n"; res.code != 0 || res.stdout != want || res.stderr != "" || took > retryTime {
			failures++
			t.Errorf("round %d, after %s, took %v: %+v", i, left.name, took, res)
			if failures > 5 {
				t.FailNow()
			}
		}
	}
	t.Logf("%d hand-overs in %v, %d failures, slowest %v", rounds, time.Since(start).Round(time.Millisecond), failures, slowest.Round(time.Millisecond))
}

// TestStaleTempFilesRemoved: upload temporary files that a killed moonpin
// left (ls and fs.list hide them) are removed when moonpin starts and at a
// soft reset, from the root's temporary directory and from beside the
// root's files; one in a directory under the root, which another moonpin
// serving that directory may be writing, stays.
func TestStaleTempFilesRemoved(t *testing.T) {
	const other = "lib/.~moonpin-9"
	stale := map[string]string{".~moonpin-tmp/.~moonpin-123": "half an upload", ".~moonpin-7": "half a write", other: "another moonpin's upload", "keep.lua": "-- kept\n"}
	b := startBoard(t, stale)
	b.ok("exec", "print(1)")
	want := []string{filepath.Join(b.root, other)}
	if files := tempFiles(t, b.root); !slices.Equal(files, want) {
		t.Fatalf("moonpin started and left %v, want %v", files, want)
	}
	writeTree(t, b.root, map[string]string{".~moonpin-tmp/.~moonpin-456": "again", ".~moonpin-8": "again"})
	b.ok("reset")
	b.ok("exec", "print(1)")
	if files := tempFiles(t, b.root); !slices.Equal(files, want) {
		t.Fatalf("a soft reset left %v, want %v", files, want)
	}
	if _, err := os.Stat(filepath.Join(b.root, "keep.lua")); err != nil {
		t.Fatal(err)
	}
}

// TestPolish: help lists only what works, ls escapes control characters in
// names, and SIGHUP during a get leaves no local temporary file.
func TestPolish(t *testing.T) {
	r := startBoard(t, nil).moonctl("-h")
	if !strings.Contains(r.stderr, "reset") || strings.Contains(r.stderr, "--hard") {
		t.Fatalf("moonctl -h advertises what is refused:\n%s", r.stderr)
	}

	b := startBoard(t, map[string]string{"a\nb": "x", "e\x1b[31m": "y"})
	if got := b.ok("ls"); got != "           1 a\\nb\n           1 e\\x1b[31m\n" {
		t.Fatalf("ls printed %q", got)
	}

	writeTree(t, b.root, map[string]string{"big.bin": string(randomBytes(3, 64<<20))})
	host := t.TempDir()
	w := watch(t, host)
	p := b.start("cp", ":big.bin", filepath.Join(host, "big.bin"))
	w.waitFor(unix.IN_MODIFY, ".big.bin.moonctl-", 2)
	if err := p.cmd.Process.Signal(syscall.SIGHUP); err != nil {
		t.Fatal(err)
	}
	p.wait()
	if files := tempFiles(t, host); files != nil {
		t.Fatalf("SIGHUP during cp left %v", files)
	}
	b.ok("exec", "print(1)")
}

// TestClientThatNeverReads: a client that opens the port and never reads
// cannot hold up the device: output to it is dropped once the buffer is
// full, and a timer that prints keeps its schedule (it stopped for 5 s at
// a time).
func TestClientThatNeverReads(t *testing.T) {
	b := startBoard(t, map[string]string{"main.lua": `
local last, maxgap, n = time.ticks_ms(), 0, 0
timer.every(10, function()
  local now = time.ticks_ms()
  maxgap = math.max(maxgap, now - last)
  last, n = now, n + 1
  print(string.rep("x", 4000))
  if n % 50 == 0 then fs.write("gap.txt", n .. " " .. maxgap) end
end)
`})
	w := watch(t, b.root)
	f := openRawPty(t, b.path)
	defer f.Close()
	// 300 ticks: 3 s, well past the buffer filling (0.3 s).
	w.waitFor(unix.IN_MOVED_TO, "gap.txt", 6)
	data, err := os.ReadFile(filepath.Join(b.root, "gap.txt"))
	if err != nil {
		t.Fatal(err)
	}
	var n, gap int
	if _, err := fmt.Sscan(string(data), &n, &gap); err != nil {
		t.Fatalf("gap.txt: %q", data)
	}
	t.Logf("largest timer gap over %d ticks with a client that never reads: %d ms", n, gap)
	// A machine busy with other work (CI's other packages) delays a
	// timer by itself: with two busy loops beside it, this test measured
	// 32-99 ms at this revision and at the one before (b98e5af), against
	// 13-15 ms idle, and two CI runs failed at 53 and 96 ms against the
	// 50 it allowed. The 5 s stall this is about still shows under 500.
	// The race detector's binaries miss more for reasons of their own.
	limit := 500
	if bintest.Race {
		limit = 1000
	}
	if gap > limit {
		t.Fatalf("a 10 ms timer went %d ms without running while a client did not read", gap)
	}
}

// TestExecBeatsResetStorm: with a main.lua that resets the board at once,
// for ever, moonctl exec gets through at the first try.
func TestExecBeatsResetStorm(t *testing.T) {
	b := startBoard(t, map[string]string{"main.lua": "board.reset()\n"})
	for i := range 5 {
		if got := b.ok("exec", "print('through')"); got != "through\n" {
			t.Fatalf("round %d: exec printed %q", i, got)
		}
		b.ok("reset")
	}
}
