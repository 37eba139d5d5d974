package repl_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"io/fs"
	"net"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/moonpin/moonpin/repl"
	"github.com/moonpin/moonpin/repl/client"
	"github.com/moonpin/moonpin/repl/internal/wire"
	lua "github.com/yuin/gopher-lua"
)

func quickOpts() *repl.Options {
	return &repl.Options{Version: "test", Board: "sim", FrameTimeout: 100 * time.Millisecond}
}

// sync waits until the friendly REPL has answered everything sent so far.
func (d *device) sync(mark string) {
	d.Send("='" + mark + "'\r")
	d.Expect("\r\n" + mark + "\r\n> ")
}

func TestFriendlyBadInput(t *testing.T) {
	d := startDevice(t, nil, quickOpts())
	d.Expect("> ")
	d.Send("\x00\x07\x1b[Z\x1bOQ\x1b[99;99~garbage\xff\xfe\r")
	d.Expect("> ")
	d.Send("'\xff\xfe\xc3' .. 'ok'\r")
	d.Expect("\"\\255\\254\\195ok\"\r\n> ") // bytes a terminal cannot show print quoted
	// A wait for the echo of a megabyte, not a measure of it: under
	// qemu-arm, beside CI's arm64 run, it took more than the 10 s default.
	d.Timeout = time.Minute
	d.Send(strings.Repeat("x", 1<<20) + "\r")
	if got := d.Expect("> "); !strings.Contains(got, "line too long") {
		t.Fatalf("1 MB line: %q", tailOf(got))
	}
	d.sync("after-long-line")
	// A value whose __tostring returns nil is an error, with no traceback
	// of Go frames only ("[C]: in function (anonymous)", "[C]: ?").
	d.Send("setmetatable({}, {__tostring = function() end})\r")
	if got := d.Expect("> "); !strings.Contains(got, "'__tostring' must return a string (it returned nil)") || strings.Contains(got, "traceback") {
		t.Fatalf("__tostring returning nil: %q", got)
	}
	d.sync("after-tostring")
}

func TestLineEditing(t *testing.T) {
	d := startDevice(t, nil, quickOpts())
	d.Expect("> ")
	// Left, insert, home, end, backspace, delete.
	d.Send("1+3\x1b[D\x1b[D2\x1b[H\x1b[3~\x1b[F\x7f4\r") // "1+3" -> "12+3" -> "2+3" -> "2+4"
	if got := d.Expect("> "); !strings.HasSuffix(got, "\r\n6\r\n> ") {
		t.Fatalf("edited line: %q", got)
	}
	d.Send("x = 10\r")
	d.Expect("> ")
	d.Send("\x1b[A\x1b[A\r") // up twice: "2+4"
	if got := d.Expect("> "); !strings.HasSuffix(got, "\r\n6\r\n> ") {
		t.Fatalf("history: %q", got)
	}
	d.Send("greeting = 'hi'\r")
	d.Expect("> ")
	d.Send("greet\t\r")
	if got := d.Expect("> "); !strings.HasSuffix(got, "greeting\r\nhi\r\n> ") {
		t.Fatalf("completion: %q", got)
	}
	d.Send("t = {alpha = 1, alpine = 2}\r")
	d.Expect("> ")
	d.Send("t.al\t")
	d.Expect("t.alp")
	d.Send("\t")
	d.Expect("alpha  alpine\r\n> t.alp")
	d.Send("h\t\r")
	if got := d.Expect("> "); !strings.HasSuffix(got, "\r\n1\r\n> ") {
		t.Fatalf("field completion: %q", got)
	}
	// A string literal's methods are the string library's; it listed
	// every global.
	d.Send(`("abc"):up` + "\t()\r")
	if got := d.Expect("> "); !strings.HasSuffix(got, "upper()\r\nABC\r\n> ") {
		t.Fatalf("string method completion: %q", got)
	}
	d.Send("f():\t\x03")
	if got := d.Expect("> "); strings.Contains(got, "print") {
		t.Fatalf("a call's fields completed as the globals: %q", got)
	}
}

func TestPasteMode(t *testing.T) {
	d := startDevice(t, nil, quickOpts())
	d.Expect("> ")
	d.Send("\x05")
	d.Expect("=== ")
	d.Send("local a = 2\rprint(a * 21)\r\x04")
	if got := d.Expect("> "); !strings.Contains(got, "\r\n42\r\n") {
		t.Fatalf("paste: %q", got)
	}
	d.Send("\x05x = 1\r\x03")
	d.Expect("> ")
	d.Send("x\r")
	d.Exact("x\r\nnil\r\n> ")
}

func TestRawREPLBadInput(t *testing.T) {
	d := startDevice(t, nil, quickOpts())
	d.Expect("> ")
	d.Send("\x01")
	d.Expect("raw REPL; CTRL-B to exit\r\n>")
	d.Send("\xff\xfe\x00garbage\x04")
	if got := d.Expect("\x04>"); !strings.HasPrefix(got, "OK\x04stdin") {
		t.Fatalf("garbage: %q", got)
	}
	big := "x = '" + strings.Repeat("a", 1<<20) + "' print(#x)"
	d.Send(big + "\x04")
	d.Exact("OK1048576\r\n\x04\x04>")
	d.Send("\x05X\x01")
	d.Exact("R\x00>")
	d.Send("print('still here')\x04")
	d.Exact("OKstill here\r\n\x04\x04>")
}

// TestRawChunkName: a first line "--moonpin:chunk=NAME" names the chunk,
// and the line numbers stay the file's; a malformed one is only a comment.
func TestRawChunkName(t *testing.T) {
	d := startDevice(t, nil, quickOpts())
	d.Expect("> ")
	d.Send("\x01")
	d.Expect("raw REPL; CTRL-B to exit\r\n>")
	for _, c := range []struct{ code, want string }{
		{"--moonpin:chunk=blink.lua\nprint('a')\nerror('boom')", "OKa\r\n\x04blink.lua:2: boom\r\n"},
		{"--moonpin:chunk=bad.lua\nif x then\n", "OK\x04bad.lua:2: 'end' expected (to close 'if' at line 1) near '<eof>'\r\n"},
		{"--moonpin:chunk=\nerror('boom')", "OK\x04stdin:2: boom\r\n"},
		{"--moonpin:chunk=a\x1bb\nerror('boom')", "OK\x04stdin:2: boom\r\n"},
	} {
		d.Send(c.code + "\x04")
		if got := d.Expect("\x04>"); !strings.HasPrefix(got, c.want) {
			t.Errorf("%q answered %q, want it to start %q", c.code, got, c.want)
		}
	}
	// The same code under another name is compiled again, not taken from
	// the cache of recent chunks.
	d.Send("--moonpin:chunk=other.lua\nprint('a')\nerror('boom')\x04")
	if got := d.Expect("\x04>"); !strings.HasPrefix(got, "OKa\r\n\x04other.lua:2: boom") {
		t.Errorf("renamed chunk answered %q", got)
	}
}

// TestRawShow: code whose last line is "--moonpin:show" gets the device's
// value printer as its argument, which works whatever a script did to the
// globals; other code gets no arguments.
func TestRawShow(t *testing.T) {
	d := startDevice(t, nil, quickOpts())
	d.Expect("> ")
	d.Send("\x01")
	d.Expect("raw REPL; CTRL-B to exit\r\n>")
	for _, c := range []struct{ code, want string }{
		{"print(select('#', ...))", "OK0\r\n\x04\x04>"},
		{"print, tostring, string, table, select, type, repr = nil", "OK\x04\x04>"},
		{"local show = ... show(false, 1, 'a\\27b', {2, x = 'y'}) show(true, 'a\\27b', 'c') show(false)\n--moonpin:show\n",
			"OK1, a\x1bb, {2, x = \"y\"}\r\n\"a\\27b\", c\r\n\x04\x04>"},
		{"(...)(false, setmetatable({}, {__tostring = function() error('no') end}))\n--moonpin:show", "OK\x04"},
	} {
		d.Send(c.code + "\x04")
		if got := d.Expect("\x04>"); !strings.HasPrefix(got, c.want) {
			t.Errorf("%q answered %q, want it to start %q", c.code, got, c.want)
		}
	}
}

func tailOf(s string) string {
	if len(s) > 300 {
		return "..." + s[len(s)-300:]
	}
	return s
}

// fileChannel enters the file channel on d's connection.
func (d *device) fileChannel() *wire.Reader {
	d.Send("\r\x03\r\x01")
	d.Expect("raw REPL; CTRL-B to exit\r\n>")
	return d.enterFiles()
}

// enterFiles enters the file channel from the raw REPL's prompt.
func (d *device) enterFiles() *wire.Reader {
	d.Send(wire.Enter)
	d.Exact(wire.EnterOK)
	r := wire.NewReader(d.Stream, wire.MaxPayload+64)
	if f, err := r.ReadFrame(); err != nil || f.Type != wire.Hello {
		d.t.Fatalf("hello: %v %q", err, f.Type)
	}
	return r
}

func expectFail(t *testing.T, r *wire.Reader, code byte) string {
	t.Helper()
	f, err := r.ReadFrame()
	if err != nil || f.Type != wire.Fail {
		t.Fatalf("want a Fail frame, got %q %v", f.Type, err)
	}
	dec := &wire.Decoder{B: f.Payload}
	c, msg := dec.Byte(), dec.String()
	if c != code {
		t.Fatalf("fail code %d (%s), want %d", c, msg, code)
	}
	return msg
}

func frame(typ byte, payload []byte) string { return string(wire.AppendFrame(nil, typ, payload)) }

func TestFileChannelBadFrames(t *testing.T) {
	d := startDevice(t, map[string]string{"keep.txt": "old"}, quickOpts())
	r := d.fileChannel()
	list := frame(wire.List, new(wire.Encoder).String(".").B)
	okList := func() {
		t.Helper()
		d.Send(list)
		if f, err := r.ReadFrame(); err != nil || f.Type != wire.OK {
			t.Fatalf("list after a bad frame: %q %v", f.Type, err)
		}
	}
	// Truncated: the line goes quiet inside a frame.
	d.Send(list[:4])
	expectFail(t, r, wire.CodeBadFrame)
	okList()
	// Damaged: a flipped payload byte.
	bad := []byte(list)
	bad[8] ^= 0x40
	d.Send(string(bad))
	expectFail(t, r, wire.CodeBadFrame)
	okList()
	// Oversized.
	huge := []byte{wire.Sync, wire.Data, 0xff, 0xff, 0xff, 0x7f}
	d.Send(string(huge) + strings.Repeat("z", 1000))
	expectFail(t, r, wire.CodeBadFrame)
	okList()
	// Malformed payload and unknown requests.
	d.Send(frame(wire.Stat, []byte{0xff}))
	expectFail(t, r, wire.CodeBadFrame)
	d.Send(frame('?', nil))
	expectFail(t, r, wire.CodeBadFrame)
	// Paths outside the root.
	d.Send(frame(wire.Get, new(wire.Encoder).String("../etc/passwd").B))
	expectFail(t, r, wire.CodeDenied)
	d.Send(frame(wire.Get, new(wire.Encoder).String("/etc/passwd").B))
	expectFail(t, r, wire.CodeDenied)
	// A put with the wrong sha256 leaves the old file.
	data := []byte("new contents")
	d.Send(frame(wire.Put, new(wire.Encoder).String("keep.txt").Uint(uint64(len(data))).Bytes(make([]byte, 32)).B))
	if f, _ := r.ReadFrame(); f.Type != wire.OK {
		t.Fatalf("put: %q", f.Type)
	}
	d.Send(frame(wire.Data, data))
	if f, _ := r.ReadFrame(); f.Type != wire.Ack {
		t.Fatalf("data: %q", f.Type)
	}
	d.Send(frame(wire.Finish, nil))
	expectFail(t, r, wire.CodeOther)
	assertFile(t, d.root, "keep.txt", "old")
	// A byte that cannot start a frame returns to the raw REPL.
	d.Send("\x03print('raw again')\x04")
	d.Expect("OKraw again\r\n\x04\x04>")
}

func assertFile(t *testing.T, root, name, want string) {
	t.Helper()
	got, err := os.ReadFile(filepath.Join(root, name))
	if err != nil || string(got) != want {
		t.Fatalf("%s = %q, %v; want %q", name, got, err, want)
	}
	filepath.WalkDir(root, func(p string, e fs.DirEntry, err error) error {
		if err == nil && !e.IsDir() && strings.HasPrefix(e.Name(), ".~moonpin-") {
			t.Fatalf("temporary file %s left behind", p)
		}
		return nil
	})
}

// TestInterruptedPutKeepsOldFile cuts the connection at every stage of a put.
func TestInterruptedPutKeepsOldFile(t *testing.T) {
	data := bytes.Repeat([]byte("0123456789abcdef"), 10000)
	full := string(wire.AppendFrame(nil, wire.Put, new(wire.Encoder).String("f.bin").Uint(uint64(len(data))).Bytes(make([]byte, 32)).B))
	for off := 0; off < len(data); off += wire.ChunkSize {
		full += frame(wire.Data, data[off:min(off+wire.ChunkSize, len(data))])
	}
	for _, cut := range []int{3, 20, 60, 5000, 40000, len(full) - 1} {
		d := startDevice(t, map[string]string{"f.bin": "old"}, quickOpts())
		d.fileChannel()
		d.Send(full[:cut])
		d.connect(t) // the cable is pulled
		d.Expect("> ")
		d.sync("reconnected")
		assertFile(t, d.root, "f.bin", "old")
	}
}

// rawClient is a client of d's in the raw REPL, closed at the end of the
// test, with the context for its calls.
func (d *device) rawClient(t *testing.T) (*client.Client, context.Context) {
	t.Helper()
	c := client.New(d.dial(), client.Options{Timeout: 5 * time.Second})
	t.Cleanup(func() { c.Close() })
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	t.Cleanup(cancel)
	if err := c.EnterRaw(ctx, true); err != nil {
		t.Fatal(err)
	}
	return c, ctx
}

func TestClientInProcess(t *testing.T) {
	d := startDevice(t, nil, quickOpts())
	d.Expect("> ")
	c, ctx := d.rawClient(t)
	if err := c.Put(ctx, "a.txt", strings.NewReader("hello"), 5, nil); err != nil {
		t.Fatal(err)
	}
	if out, err := c.Exec(ctx, "print(fs.read('a.txt'))"); err != nil || out != "hello\n" {
		t.Fatalf("Exec = %q, %v", out, err)
	}
	if _, err := c.Stat(ctx, "nope"); !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("Stat: %v", err)
	}
	if err := c.Put(ctx, "nodir/a.txt", strings.NewReader("x"), 1, nil); !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("put into a missing directory: %v", err)
	}
	// An interrupted exec: the client stops it with Interrupt.
	done := make(chan error, 1)
	go func() {
		done <- c.ExecTo(ctx, "print('started') while true do end", interruptOnOutput{c})
	}()
	var ee *client.ExecError
	if err := <-done; !errors.As(err, &ee) || !strings.Contains(ee.Stderr, "interrupted") {
		t.Fatalf("interrupted exec: %v", err)
	}
	if err := c.ExitRaw(ctx); err != nil {
		t.Fatal(err)
	}
}

// interruptOnOutput interrupts the running code once it has printed.
type interruptOnOutput struct{ c *client.Client }

func (w interruptOnOutput) Write(p []byte) (int, error) {
	w.c.Interrupt()
	return len(p), nil
}

// TestHugeMainLeavesAREPL: a main.lua too big for the memory limit fails
// as it is read (it was read whole and parsed, 1.7 GB under a 64 MB
// limit), and the REPL comes up.
func TestHugeMainLeavesAREPL(t *testing.T) {
	opts := quickOpts()
	opts.Runtime.MemLimit = 64 << 20
	files := map[string]string{"main.lua": strings.Repeat("a=1 ", 4<<20)}
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	d := startDevice(t, files, opts)
	d.Expect("memory limit exceeded (64 MB)")
	runtime.ReadMemStats(&after)
	// Its 16 MB are copied three times: written, read, made a string.
	if n := after.TotalAlloc - before.TotalAlloc; n > 64<<20 {
		t.Errorf("allocated %d MB to fail, want at most 64 MB", n>>20)
	}
	d.Send("print(1 + 1)\r")
	d.Expect("2\r\n> ")
}

// TestBootHookLeavesAREPL: a debug hook that raises an error, left set by
// main.lua, made every REPL line fail, debug.sethook() too, and a soft
// reset ran main.lua again: it is cleared when the boot ends, with a line
// saying so, and one set at the REPL stays, as in Lua 5.1.
func TestBootHookLeavesAREPL(t *testing.T) {
	files := map[string]string{"main.lua": `debug.sethook(function() error("hooked") end, "l")`}
	d := startDevice(t, files, quickOpts())
	d.Expect("the boot files left a debug hook set; it is off for the REPL")
	d.Send("print(1 + 1)\r")
	d.Expect("2\r\n> ")
	d.Send("debug.sethook(function() end, 'l') print(debug.gethook() ~= nil)\r")
	d.Expect("true\r\n> ")
	d.Send("\x04")
	d.Expect("the boot files left a debug hook set")
	d.Send("print(3 + 3)\r")
	d.Expect("6\r\n> ")
}

// TestCtrlCDiscardsOutputBacklog: Ctrl-C during a flood of output drops
// what the client has not been given yet, as a terminal's interrupt key
// does, and the interrupt's message and the prompt always come. A slow
// reader (a serial line) waited for 128 KB of backlog, 11 s at 115200
// baud, and then got no "interrupted" and sometimes no prompt: Lua's print,
// stalled for 10 ms, had stopped all output until the client took some.
func TestCtrlCDiscardsOutputBacklog(t *testing.T) {
	d := startDevice(t, nil, quickOpts())
	d.Send("\r")
	d.Expect("> ")
	reached := make(chan struct{}, 1)
	d.Runtime().Do(func(L *lua.LState) error {
		L.SetGlobal("reached", L.NewFunction(func(*lua.LState) int {
			reached <- struct{}{}
			return 0
		}))
		return nil
	})
	// The stream's reader is stopped: nothing is taken from the pipe while
	// the loop fills the device's buffer.
	host := d.dial()
	d.Stream = nil
	defer host.Close()
	greeting := make([]byte, 4096)
	host.Read(greeting)
	go host.Write([]byte("for i = 1, 1e6 do print(i) if i == 2e5 then reached() end end\r"))
	select {
	case <-reached:
	case <-time.After(10 * time.Second):
		t.Fatal("the loop did not get to 200000")
	}
	// Written while nothing is read: the device takes it at once.
	if _, err := host.Write([]byte{0x03}); err != nil {
		t.Fatal(err)
	}
	var got []byte
	buf := make([]byte, 4096)
	deadline := time.Now().Add(10 * time.Second)
	for !bytes.HasSuffix(got, []byte("\r\n> ")) || !bytes.Contains(got, []byte("interrupted")) {
		host.SetReadDeadline(deadline)
		n, err := host.Read(buf)
		got = append(got, buf[:n]...)
		if err != nil {
			t.Fatalf("after Ctrl-C: %v; got %d bytes ending %q", err, len(got), got[max(0, len(got)-200):])
		}
	}
	if len(got) > 32<<10 {
		t.Errorf("%d bytes came after Ctrl-C, want at most 32 KB (what was in flight)", len(got))
	}
}

// TestCallbackOutputRedrawsThePrompt: what a timer prints while the user
// types goes on the prompt's line, cleared first, and the prompt and the
// half-typed line come back under it. They were left above the output, so
// the screen showed a lone "2" of "x = 42" with no prompt.
func TestCallbackOutputRedrawsThePrompt(t *testing.T) {
	d := startDevice(t, nil, quickOpts())
	d.Send("\r")
	d.Expect("> ")
	d.Send("tm = timer.every(30, function() print('tick') end)\r")
	d.Expect("> ")
	d.Send("x = 4")
	d.Expect("\r\x1b[Ktick\r\n> x = 4")
	d.Send("2\r")
	d.Send("tm:stop() print(x)\r")
	d.Expect("\r\n42\r\n> ")
	d.Send("timer.after(10, function() error('cb') end) timer.after(20, function() io.write('no newline') end)\r")
	d.Expect("\r\x1b[Kerror in callback: stdin:1: cb")
	d.Expect("\r\x1b[Kno newline\r\n> ")
}

// TestMainWithAHashLine: main.lua's "#!" first line is skipped, as
// `moonpin main.lua` and lua5.1 skip it; the REPL's boot took it for code.
func TestMainWithAHashLine(t *testing.T) {
	d := startDevice(t, map[string]string{"main.lua": "#!/usr/bin/env moonpin\nprint('main' .. 'ran') error('line 2')\n"}, quickOpts())
	d.Expect("mainran\r\n")
	d.Expect("main.lua:2: line 2")
}

// TestCtrlCDiscardsOutputOfAReturnedCommand: Ctrl-C drops the output
// backlog also when the command that wrote it has returned. print returned
// as soon as its output was queued, and the backlog went on to a slow
// client (a serial line) after Ctrl-C: 960 KB over 24 s at 40 KB/s, 85 s
// at 115200 baud. Both a write that fits the buffer (the command returns at
// once) and one far larger (it waits for the client) are cut.
func TestCtrlCDiscardsOutputOfAReturnedCommand(t *testing.T) {
	for _, size := range []int{100e3, 1e6} {
		c := startStalledClient(t, size)
		c.send("print(s) returned()\r", size)
		// "\r\n> " after Ctrl-C at the prompt; a bare "> " when the
		// Ctrl-C interrupted the command as it ended.
		c.read(func(b []byte) bool { return bytes.HasSuffix(b, []byte("> ")) })
	}
}

// TestRawCtrlCDiscardsOutputOfAReturnedCommand: in the raw REPL too,
// Ctrl-C drops the output of a command that has returned, but never the
// reply's framing ("\x04\x04>"), which the client waits for. The raw REPL
// kept all of it: up to 256 KB, 22 s at 115200 baud, after Ctrl-C.
func TestRawCtrlCDiscardsOutputOfAReturnedCommand(t *testing.T) {
	for _, size := range []int{100e3, 1e6} {
		c := startStalledClient(t, size)
		c.host.Write([]byte("\x01"))
		c.read(func(b []byte) bool { return bytes.HasSuffix(b, []byte("raw REPL; CTRL-B to exit\r\n>")) })
		c.send("print(s) returned()\x04", size)
		c.read(func(b []byte) bool { return bytes.HasSuffix(b, []byte("\x04>")) })
		// The client reads again: the next command is answered as ever.
		go c.host.Write([]byte("print('after')\x04"))
		if got := c.read(func(b []byte) bool { return bytes.HasSuffix(b, []byte("\x04>")) }); string(got) != "OKafter\r\n\x04\x04>" {
			t.Errorf("print of %d bytes: the command after Ctrl-C answered %q", size, got)
		}
	}
}

// stalledClient is a client that reads a little of a big print, stops
// reading while the command returns, and then sends Ctrl-C.
type stalledClient struct {
	t    *testing.T
	d    *device
	host net.Conn
	// returned receives when the Lua code has called returned().
	returned   chan struct{}
	afterCtrlC bool // the next read is the one after Ctrl-C
}

// startStalledClient starts a device with s, a string of size bytes, and
// connects a client that has read the greeting.
func startStalledClient(t *testing.T, size int) *stalledClient {
	t.Helper()
	d := startDevice(t, nil, quickOpts())
	d.Send("\r")
	d.Expect("> ")
	c := &stalledClient{t: t, d: d, returned: make(chan struct{}, 1)}
	d.Runtime().Do(func(L *lua.LState) error {
		L.SetGlobal("returned", L.NewFunction(func(*lua.LState) int {
			c.returned <- struct{}{}
			return 0
		}))
		return nil
	})
	d.Send(fmt.Sprintf("s = string.rep('x', %d)\r", size))
	d.sync("s-made")
	// The client reads a little, then stops: nothing is taken from the
	// pipe until Ctrl-C has been sent.
	c.host = d.dial()
	d.Stream = nil
	t.Cleanup(func() { c.host.Close() })
	c.read(func(b []byte) bool { return bytes.HasSuffix(b, []byte("> ")) })
	return c
}

// send sends code that prints s and calls returned(), reads 8 KB of the
// output, waits until the code has returned if its output fits the
// device's buffer, and sends Ctrl-C. At most 32 KB (what was in flight) may
// come after it; read counts them.
func (c *stalledClient) send(code string, size int) {
	c.t.Helper()
	go c.host.Write([]byte(code))
	c.read(func(b []byte) bool { return bytes.Count(b, []byte("x")) > 8<<10 })
	if size < 128<<10 {
		select {
		case <-c.returned:
		case <-time.After(10 * time.Second):
			c.t.Fatal("print of 100 KB did not return")
		}
	}
	discards := c.d.Discards()
	if _, err := c.host.Write([]byte{0x03}); err != nil {
		c.t.Fatal(err)
	}
	// Once the device has read the Ctrl-C; until it acts on it, the
	// output goes on, as fast as this client reads.
	for deadline := time.Now().Add(10 * time.Second); c.d.Discards() == discards; {
		if time.Now().After(deadline) {
			c.t.Fatal("the device did not act on Ctrl-C in 10 s")
		}
		runtime.Gosched()
	}
	c.afterCtrlC = true
}

// read reads until until(what was read) and returns it. After Ctrl-C, more
// than 32 KB is an error.
func (c *stalledClient) read(until func([]byte) bool) []byte {
	c.t.Helper()
	var got []byte
	buf := make([]byte, 1024)
	c.host.SetReadDeadline(time.Now().Add(10 * time.Second))
	for !until(got) {
		n, err := c.host.Read(buf)
		got = append(got, buf[:n]...)
		if err != nil {
			c.t.Fatalf("%v; got %d bytes ending %q", err, len(got), got[max(0, len(got)-200):])
		}
	}
	if c.afterCtrlC {
		c.afterCtrlC = false
		if len(got) > 32<<10 {
			c.t.Errorf("%d bytes came after Ctrl-C, ending %q; want at most 32 KB (what was in flight)", len(got), got[max(0, len(got)-40):])
		}
	}
	return got
}

// TestRawChunkLargerThanTheInputQueue: a raw REPL chunk bigger than the
// input queue (8 MB), sent in one burst, arrives whole: the reader waits
// for the REPL to take it. Past the queue, input was dropped: the chunk
// ran with megabytes missing from its middle, or lost its Ctrl-D and was
// never answered.
func TestRawChunkLargerThanTheInputQueue(t *testing.T) {
	d := startDevice(t, nil, quickOpts())
	d.Expect("> ")
	d.Send("\x01")
	d.Expect("raw REPL; CTRL-B to exit\r\n>")
	const n = 12 << 20
	go d.Send("local s=[[" + strings.Repeat("x", n) + "]] print('len', #s)\x04")
	// A wait for 12 MB through a pty: 32 s under qemu-arm alone, past 60
	// beside CI's arm64 run.
	d.Timeout = 3 * time.Minute
	d.Exact(fmt.Sprintf("OKlen\t%d\r\n\x04\x04>", n))
}

// TestCtrlCWhileTheInputQueueIsFull: input sent while code runs, past what
// the queue holds, is dropped rather than held up, so that a Ctrl-C behind
// it still interrupts at once; the raw REPL then refuses the chunk that
// lost bytes instead of running what is left of it, and so does raw-paste
// (a client that did not wait for the running code's reply), when the
// paste's Ctrl-D comes.
func TestCtrlCWhileTheInputQueueIsFull(t *testing.T) {
	for _, mode := range []struct{ start, refused string }{{"", "OK\x04input lost: "}, {"\x05A\x01", "\x04\x04input lost: "}} {
		d := startDevice(t, nil, quickOpts())
		d.Expect("> ")
		d.Send("\x01")
		d.Expect("raw REPL; CTRL-B to exit\r\n>")
		d.Send("while true do end\x04")
		d.Expect("OK")
		go d.Send(mode.start + "x = 'ran' y = [[" + strings.Repeat("x", 10<<20) + "]]\x03")
		d.Timeout = 60 * time.Second
		if got := d.Expect("\x04>"); !strings.Contains(got, "interrupted") {
			t.Fatalf("Ctrl-C behind a full input queue: %q", got)
		}
		d.Send("\x04")
		if got := d.Expect("\x04>"); !strings.Contains(got, mode.refused) {
			t.Fatalf("%q: a chunk that lost bytes: %q", mode.start, tailOf(got))
		}
		d.Send("print(x, y)\x04")
		d.Exact("OKnil\tnil\r\n\x04\x04>")
	}
}

// TestFriendlyLineThatLostInputIsNotRun: at the friendly prompt too, a
// line that lost bytes behind a full input queue while code ran is refused
// with "input lost", not run (its start and end would have run as one line).
func TestFriendlyLineThatLostInputIsNotRun(t *testing.T) {
	d := startDevice(t, nil, quickOpts())
	d.Expect("> ")
	d.Send("while true do end\r")
	d.Expect("while true do end\r\n")
	d.Timeout = 60 * time.Second
	d.Send("x = 'ran' y = [[" + strings.Repeat("x", 10<<20) + "]]\r")
	d.Send("\x03")
	d.Expect("interrupted")
	d.Expect("input lost: ")
	d.Expect("> ")
	d.Send("print(x, y)\r")
	d.Expect("print(x, y)\r\nnil\tnil\r\n> ")
}

// TestLostByteInAnUpload: a byte lost on a serial line in the middle of an
// upload spoils a frame; the rest of the upload, still on its way, is
// thrown away until the line is quiet, not typed at the raw REPL (its
// Ctrl-Bs, Ctrl-Ds and text ran as code and soft-reset the board). The
// host's next request for the raw REPL is answered, and the file is as it
// was.
func TestLostByteInAnUpload(t *testing.T) {
	d := startDevice(t, map[string]string{"f.lua": "old"}, quickOpts())
	r := d.fileChannel()
	data := []byte(strings.Repeat("\x02x = 'ran'\r\x04\x01print('ran')\x04\x03", 200))
	sum := sha256.Sum256(data)
	d.Send(frame(wire.Put, new(wire.Encoder).String("f.lua").Uint(uint64(len(data))).Bytes(sum[:]).B))
	if f, err := r.ReadFrame(); err != nil || f.Type != wire.OK {
		t.Fatalf("put: %q %v", f.Type, err)
	}
	var rest string
	for off := 0; off < len(data); off += 1000 {
		rest += frame(wire.Data, data[off:min(off+1000, len(data))])
	}
	rest += frame(wire.Finish, nil)
	d.Send(rest[:300] + rest[301:]) // byte 300 is lost
	expectFail(t, r, wire.CodeBadFrame)
	d.askRawUntilAnswered("after the spoilt upload")
	d.Send("print(x)\x04")
	if got := d.Expect("\x04>"); got != "OKnil\r\n\x04\x04>" {
		t.Fatalf("the upload's rest ran: %q", got)
	}
	assertFile(t, d.root, "f.lua", "old")
}

// askRawUntilAnswered asks for the raw REPL as a host does after a broken
// exchange (moonctl asks again until it is answered) and fails the test,
// saying after what, unless it is answered within 5 s.
func (d *device) askRawUntilAnswered(after string) {
	d.t.Helper()
	d.Timeout = 300 * time.Millisecond
	defer func() { d.Timeout = 10 * time.Second }()
	for start := time.Now(); ; {
		d.Send("\r\x03\r\x01")
		if d.WaitFor("raw REPL; CTRL-B to exit\r\n>", 300*time.Millisecond) {
			return
		}
		if time.Since(start) > 5*time.Second {
			d.t.Fatalf("the raw REPL never answered %s", after)
		}
	}
}
