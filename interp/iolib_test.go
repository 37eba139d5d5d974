package interp_test

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/moonpin/moonpin/internal/proctest"
	"github.com/moonpin/moonpin/interp"
	"github.com/moonpin/moonpin/interp/interptest"
	"golang.org/x/sys/unix"
)

// TestGrantsOpenPlacesBeyondTheRoot: --allow-read and --allow-write, and
// nothing more; a grant covers symlinks under it (sysfs's thermal zones are
// symlinks into /sys/devices).
func TestGrantsOpenPlacesBeyondTheRoot(t *testing.T) {
	root, readable, writable, elsewhere := t.TempDir(), t.TempDir(), t.TempDir(), t.TempDir()
	os.WriteFile(filepath.Join(readable, "temp"), []byte("42000\n"), 0o644)
	os.WriteFile(filepath.Join(elsewhere, "temp"), []byte("43000\n"), 0o644)
	if err := os.Symlink(elsewhere, filepath.Join(readable, "zone0")); err != nil {
		t.Fatal(err)
	}
	rt, _ := interptest.New(t, &interp.Options{Root: root, AllowRead: []string{readable}, AllowWrite: []string{writable}})
	code := strings.NewReplacer("R", strconv.Quote(readable), "W", strconv.Quote(writable), "E", strconv.Quote(elsewhere)).Replace(`
		assert(io.open(R .. "/temp"):read("*n") == 42000)
		assert(io.open(R .. "/zone0/temp"):read("*n") == 43000)
		assert(fs.read(R .. "/temp") == "42000\n")
		local f, err = io.open(R .. "/new", "w")
		assert(f == nil and err:find("only reading is granted"), err)
		assert(not pcall(fs.write, R .. "/new", "x"))
		assert(io.open(E .. "/temp") == nil)
		assert(io.open(R .. "/../" .. "x", "w") == nil)

		local out = assert(io.open(W .. "/log", "w"))
		out:write("line ", 1, "\n")
		out:close()
		assert(io.open(W .. "/log"):read("*a") == "line 1\n")
		assert(os.rename(W .. "/log", W .. "/log.1"))
		assert(os.remove(W .. "/log.1"))
	`)
	if err := rt.Exec("grants.lua", code); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(readable, "new")); err == nil {
		t.Error("a read grant let Lua write")
	}
}

// TestNoMovingLinksIntoAGrant: a grant follows symlinks and the script
// root does not, so an entry carrying links (a symlink, a directory) cannot
// be moved from the root into a grant, where its links would lead out;
// nor can the root itself be moved. A regular file moves as before.
func TestNoMovingLinksIntoAGrant(t *testing.T) {
	root, writable, outside := t.TempDir(), t.TempDir(), t.TempDir()
	os.WriteFile(filepath.Join(outside, "secret.txt"), []byte("SECRET"), 0o644)
	os.Mkdir(filepath.Join(root, "dir"), 0o755)
	for _, link := range []string{"escape", "dir/inner"} {
		if err := os.Symlink(outside, filepath.Join(root, link)); err != nil {
			t.Fatal(err)
		}
	}
	os.WriteFile(filepath.Join(root, "plain.txt"), []byte("plain"), 0o644)
	rt, _ := interptest.New(t, &interp.Options{Root: root, AllowWrite: []string{writable}})
	code := strings.NewReplacer("W", strconv.Quote(writable)).Replace(`
		assert(not pcall(fs.read, "escape/secret.txt"))
		local ok, err = os.rename("escape", W .. "/escape")
		assert(ok == nil and err:find("only a regular file can be moved out of the script root"), err)
		ok, err = pcall(fs.rename, "escape", W .. "/escape")
		assert(not ok and err:find("only a regular file"), err)
		ok, err = os.rename("dir", W .. "/dir")
		assert(ok == nil and err:find("only a regular file"), err)
		assert(not pcall(fs.read, W .. "/escape/secret.txt"))
		assert(not pcall(fs.read, W .. "/dir/inner/secret.txt"))
		ok, err = os.rename(".", W .. "/root")
		assert(ok == nil and err:find("cannot rename the script root"), err)
		ok, err = pcall(fs.rename, ".", W .. "/root")
		assert(not ok and err:find("cannot rename the script root"), err)
		assert(os.rename("plain.txt", W .. "/plain.txt"))
		assert(fs.read(W .. "/plain.txt") == "plain")
		assert(os.rename(W .. "/plain.txt", "back.txt"))
		assert(fs.read("back.txt") == "plain")
	`)
	if err := rt.Exec("move.lua", code); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(outside, "secret.txt")); err != nil {
		t.Fatal(err)
	}
}

// TestStandardStreamsGoToTheSession: io.write, io.stdout and io.stderr write
// where print does (or to Err), in order with it.
func TestStandardStreamsGoToTheSession(t *testing.T) {
	var errOut interptest.Buffer
	rt, out := interptest.New(t, &interp.Options{Err: &errOut})
	err := rt.Exec("t", `print("p1") io.write("w", 2, "\n") io.stdout:write("s\n") print("p2") io.stderr:write("e\n")`)
	if err != nil {
		t.Fatal(err)
	}
	if got := out.String(); got != "p1\nw2\ns\np2\n" {
		t.Errorf("output %q", got)
	}
	if got := errOut.String(); got != "e\n" {
		t.Errorf("stderr %q", got)
	}
}

// TestReadFromStdin: without a session io.read reads Stdin as Lua does.
func TestReadFromStdin(t *testing.T) {
	r, w := io.Pipe()
	defer r.Close()
	go func() {
		io.WriteString(w, "first line\n  42 0x10 rest\nlast")
		w.Close()
	}()
	rt, out := interptest.New(t, &interp.Options{Stdin: r})
	err := rt.Exec("t", `
		assert(io.read() == "first line")
		local a, b = io.read("*n", "*n")
		assert(a == 42 and b == 16, tostring(a) .. " " .. tostring(b))
		assert(io.read("*l") == " rest")
		assert(io.stdin:read(2) == "la")
		assert(io.read("*a") == "st")
		assert(io.read("*a") == "")
		assert(io.read() == nil)
		assert(io.read(0) == nil)
		for l in io.lines() do error("a line after the end") end
		print("done")`)
	if err != nil {
		t.Fatal(err)
	}
	if out.String() != "done\n" {
		t.Fatalf("output %q", out.String())
	}
}

// TestInterruptStopsARead: Ctrl-C (Interrupt) stops io.read waiting for
// input, with the usual error, and the next chunk reads what comes later.
func TestInterruptStopsARead(t *testing.T) {
	r, w := io.Pipe()
	defer r.Close()
	rt, _ := interptest.New(t, &interp.Options{Stdin: r})
	result := execAsync(t, rt, `io.read()`)
	start := time.Now()
	rt.Interrupt()
	select {
	case err := <-result:
		if kindOf(t, err) != interp.KindInterrupted {
			t.Fatalf("got %v, want an interrupt", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Interrupt did not stop io.read")
	}
	if d := time.Since(start); d > maxInterruptLatency && latencyChecked() {
		t.Errorf("interrupt took %v", d)
	}
	go func() {
		io.WriteString(w, "later\n")
		w.Close()
	}()
	if err := rt.Exec("t", `assert(io.read() == "later")`); err != nil {
		t.Fatal(err)
	}
}

// TestFilesAreFlushedAtReset: a file the script left open is flushed and
// closed by a soft reset.
func TestFilesAreFlushedAtReset(t *testing.T) {
	rt, _ := interptest.New(t, nil)
	if err := rt.Exec("t", `f = io.open("log", "w") f:write("kept")`); err != nil {
		t.Fatal(err)
	}
	if err := rt.Reset(); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(filepath.Join(rt.Root(), "log")); string(b) != "kept" {
		t.Fatalf("log holds %q after the reset", b)
	}
}

// TestFileReadWriteSeek covers the file methods against Lua 5.1's results.
func TestFileReadWriteSeek(t *testing.T) {
	rt, _ := interptest.New(t, nil)
	err := rt.Exec("t", `
		local f = assert(io.open("f.txt", "w+"))
		assert(f:write("hello\n", 12.5, "\n") == true)
		assert(f:seek("set", 0) == 0)
		assert(f:read("*l") == "hello")
		assert(f:read("*n") == 12.5)
		assert(f:seek("cur") == 10)
		assert(f:seek("end") == 11)
		assert(f:close())
		assert(io.type(f) == "closed file")
		assert(tostring(f) == "file (closed)")
		assert(not pcall(f.read, f))
		local g = assert(io.open("f.txt", "a"))
		g:write("more")
		g:close()
		assert(io.open("f.txt"):read("*a") == "hello\n12.5\nmore")
		local none, msg, errno = io.open("missing.txt")
		assert(none == nil and msg == "missing.txt: No such file or directory" and errno == 2, msg)
		-- As Lua 5.1 (glibc's fopen): "rw" is "r", a mode that is not one is EINVAL.
		assert(io.open("f.txt", "rw"):read(5) == "hello")
		assert(select(3, io.open("f.txt", "x")) == 22)
		local lines = {}
		for l in io.lines("f.txt") do lines[#lines + 1] = l end
		assert(#lines == 3 and lines[3] == "more")
		io.output("out.txt")
		io.write("via output")
		io.close()
		io.output(io.stdout)
		assert(io.open("out.txt"):read("*a") == "via output")`)
	if err != nil {
		t.Fatal(err)
	}
}

// TestReadAsLua51: formats are read by their first letter ("*all", "*line"),
// and a read that fails returns nil, the message and the errno, as Lua 5.1
// does, where a loop over lines raises it.
func TestReadAsLua51(t *testing.T) {
	rt, _ := interptest.New(t, nil)
	if err := os.Mkdir(filepath.Join(rt.Root(), "dir"), 0o755); err != nil {
		t.Fatal(err)
	}
	err := rt.Exec("t", `
		local f = assert(io.open("f.txt", "w+"))
		f:write("one\ntwo\n")
		f:seek("set")
		assert(f:read("*line") == "one")
		assert(f:read("*all") == "two\n")
		f:close()
		local d = assert(io.open("dir"))
		local v, msg, errno = d:read(1)
		assert(v == nil and msg == "dir: Is a directory" and errno == 21, tostring(msg))
		local ok, err = pcall(function() for _ in io.lines("dir") do end end)
		assert(not ok and err:find("dir: Is a directory", 1, true), err)`)
	if err != nil {
		t.Fatal(err)
	}
}

// TestReadNumberAsLua51: "*n" reads what C's fscanf("%lf") takes, as
// Lua 5.1's read_number: blanks, a sign, then characters only while they
// can go on to make a number, one character of lookahead; the number is
// the longest prefix strtod reads, and what was not taken stays for the
// next read. Each want is lua5.1's "number|rest" for the input.
func TestReadNumberAsLua51(t *testing.T) {
	cases := []struct{ in, want string }{
		{"abc\n5", "nil|abc\n5"}, {"12abc", "12|abc"}, {"  \n 42 x", "42| x"},
		{"0x10 ", "16| "}, {"0X1fg", "31|g"}, {"1e ", "1| "}, {"1e5x", "100000|x"},
		{"1e+", "1|"}, {"1e+2", "100|"}, {"-", "nil|"}, {"-x", "nil|x"}, {"- 5", "nil| 5"},
		{".5", "0.5|"}, {"1.2.3", "1.2|.3"}, {"+.e", "nil|e"}, {"..5", "nil|.5"},
		{"e5", "nil|e5"}, {"inf", "inf|"}, {"-inf", "-inf|"}, {"infinity!", "inf|!"},
		{"info", "inf|o"}, {"infin", "nil|"}, {"nanx", "nan|x"}, {"na", "nil|"},
		{"nan(12)x", "nan|(12)x"}, {"0x", "nil|"}, {"0xg", "nil|g"}, {"0x.8", "0.5|"},
		{"0x1p4", "16|"}, {"0x1p", "1|"}, {"0x.", "0|"}, {"0x.p1", "0|p1"},
		{"0xp1", "nil|p1"}, {"0x1e+5", "30|+5"}, {"-0x10", "-16|"}, {"00x5", "0|x5"},
		{"1ee", "1|e"}, {"1e+-", "1|-"}, {"1p5", "1|p5"}, {"1e5.5", "100000|.5"},
		{"+-1", "nil|-1"}, {"-0xg", "nil|g"}, {"-0x.", "-0|"}, {"-nan", "-nan|"}, {"1.", "1|"}, {".", "nil|"}, {"1,5", "1|,5"},
		{"\t\v\f7", "7|"}, {"1e400", "inf|"}, {"12\n", "12|\n"}, {"", "nil|"},
		{"123456789012345678901234567890", "1.2345678901235e+29|"},
	}
	for _, c := range cases {
		rt, out := interptest.New(t, &interp.Options{Stdin: strings.NewReader(c.in)})
		err := rt.Exec("t", `local n = io.read("*n") io.write(tostring(n), "|", io.read("*a"))`)
		if err != nil {
			t.Fatalf("%q: %v", c.in, err)
		}
		if got := out.String(); got != c.want {
			t.Errorf("%q: got %q, want %q", c.in, got, c.want)
		}
	}
}

// TestMissingFilesAsLua51: a file that is not there reads as in Lua 5.1
// (each want is lua5.1's text, with the runtime's package.path): loadfile,
// dofile, io.open and its modes as glibc's fopen reads them, io.lines and
// io.input as argument errors, and require's list of what it tried.
func TestMissingFilesAsLua51(t *testing.T) {
	rt, out := interptest.New(t, nil)
	err := rt.Exec("t", `
		print(loadfile("nope.lua"))
		print(pcall(dofile, "nope.lua"))
		print(io.open("nope.lua"))
		print(io.open("nope.lua", "z"))
		print(io.open("nope.lua", "rw"))
		print(io.open("nope.lua", "rb+"))
		print(io.open("nope.lua", ""))
		print(pcall(io.lines, "nope.lua"))
		print(pcall(io.input, "nope.lua"))
		package.path = "./?.lua;;./?/init.lua"
		print(pcall(require, "nope"))`)
	if err != nil {
		t.Fatal(err)
	}
	want := `nil	cannot open nope.lua: No such file or directory
false	cannot open nope.lua: No such file or directory
nil	nope.lua: No such file or directory	2
nil	nope.lua: Invalid argument	22
nil	nope.lua: No such file or directory	2
nil	nope.lua: No such file or directory	2
nil	nope.lua: Invalid argument	22
false	bad argument #1 to '?' (nope.lua: No such file or directory)
false	bad argument #1 to '?' (nope.lua: No such file or directory)
false	module 'nope' not found:
	no field package.preload['nope']
	no file './nope.lua'
	no file './nope/init.lua'
`
	if got := out.String(); got != want {
		t.Errorf("got\n%s\nwant (lua5.1)\n%s", got, want)
	}
}

// TestIOArgumentErrorsAsLua51: a file method given something else says
// "FILE* expected", and a read format that is neither a number nor a string,
// or a string with no "*" that is not one of Lua 5.2's "l", "n" and "a",
// "invalid option", as in Lua 5.1 (each want is lua5.1's text, the lines
// one down: the chunk starts with a newline).
func TestIOArgumentErrorsAsLua51(t *testing.T) {
	rt, out := interptest.New(t, nil)
	err := rt.Exec("t", `
		print(pcall(io.stdout.write))
		print(pcall(io.stdout.write, 1))
		print(pcall(function() local f = io.stdout return f.read() end))
		print(pcall(function() return io.stdout.close({}) end))
		print(pcall(io.read, {}))
		print(pcall(io.read, "*x"))
		print(pcall(function() return io.stdin:read(true) end))
		print(pcall(io.read, "x"))`)
	if err != nil {
		t.Fatal(err)
	}
	want := `false	bad argument #1 to '?' (FILE* expected, got no value)
false	bad argument #1 to '?' (FILE* expected, got number)
false	t:4: bad argument #1 to 'read' (FILE* expected, got no value)
false	t:5: bad argument #1 to 'close' (FILE* expected, got table)
false	bad argument #1 to '?' (invalid option)
false	bad argument #1 to '?' (invalid format)
false	t:8: bad argument #1 to 'read' (invalid option)
false	bad argument #1 to '?' (invalid option)
`
	if got := out.String(); got != want {
		t.Errorf("got\n%s\nwant (lua5.1)\n%s", got, want)
	}
}

// TestDofileAndWriteErrorsAsLua51: dofile raises loadfile's message as it
// is (it had the caller's position before the file's own: "t:2: bad.lua:1:
// ..."), and io.write writes the arguments before a bad one, then raises,
// as Lua 5.1 (each want is lua5.1's text).
func TestDofileAndWriteErrorsAsLua51(t *testing.T) {
	rt, out := interptest.New(t, nil)
	if err := os.WriteFile(filepath.Join(rt.Root(), "bad.lua"), []byte("x = = 1\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	err := rt.Exec("t", `print(pcall(function() dofile("bad.lua") end))
print(pcall(function() dofile("nope.lua") end))
print(pcall(function() io.write("a", 1, {}, "b") end))`)
	if err != nil {
		t.Fatal(err)
	}
	want := `false	bad.lua:1: unexpected symbol near '='
false	cannot open nope.lua: No such file or directory
a1false	t:3: bad argument #3 to 'write' (string expected, got table)
`
	if got := out.String(); got != want {
		t.Errorf("got\n%s\nwant (lua5.1)\n%s", got, want)
	}
}

// TestPopenIsKilledAtReset: with --allow-exec, a command still running when
// the state is reset is killed, not waited for.
func TestPopenIsKilledAtReset(t *testing.T) {
	rt, _ := interptest.New(t, &interp.Options{AllowExec: true})
	if err := rt.Exec("t", `assert(io.popen("echo hi"):read() == "hi") p = io.popen("sleep 60")`); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- rt.Reset() }()
	select {
	case err := <-done:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("the reset waited for the command")
	}
}

// TestBackgroundCommandsEndAtReset: what a command leaves running in the
// background ("cmd &": a gpioset holding a pin, a logger) when its shell
// has ended is in the command's process group, which a soft reset, and the
// end of the runtime, kill as they kill a command still running. It outlived
// both, holding whatever it held, when os.execute or the io.popen file had
// already returned.
func TestBackgroundCommandsEndAtReset(t *testing.T) {
	rt, _ := interptest.New(t, &interp.Options{AllowExec: true})
	pids := func(code string) []int {
		t.Helper()
		if err := rt.Exec("t", code); err != nil {
			t.Fatal(err)
		}
		data, err := os.ReadFile(filepath.Join(rt.Root(), "pids"))
		if err != nil {
			t.Fatal(err)
		}
		var pids []int
		for _, f := range strings.Fields(string(data)) {
			pid, err := strconv.Atoi(f)
			if err != nil {
				t.Fatal(err)
			}
			if syscall.Kill(pid, 0) != nil {
				t.Fatalf("%s: background process %d is not running", code, pid)
			}
			t.Cleanup(func() { syscall.Kill(pid, syscall.SIGKILL) })
			pids = append(pids, pid)
		}
		return pids
	}
	gone := func(when string, pids []int) {
		t.Helper()
		proctest.WaitGone(t, when, pids, 10*time.Second)
	}
	left := pids(`assert(os.execute("sleep 60 & echo $! > pids; sleep 60 & echo $! >> pids") == 0)
		local p = io.popen("sleep 60 & echo $! >> pids; echo done") assert(p:read() == "done") p:close()`)
	if err := rt.Reset(); err != nil {
		t.Fatal(err)
	}
	gone("after a soft reset", left)
	left = pids(`assert(os.execute("sleep 60 & echo $! > pids") == 0)`)
	if err := rt.Close(); err != nil {
		t.Fatal(err)
	}
	gone("after Close", left)
}

// execBlockedIn runs code and returns once a goroutine's stack shows fn:
// the chunk waits where the test means to interrupt it. An interrupt sent
// at a fixed time found no chunk yet when Exec came late (and was dropped),
// and one sent as the chunk starts stops it before the wait it is meant for.
func execBlockedIn(t *testing.T, rt *interp.Runtime, code, fn string) <-chan error {
	t.Helper()
	result := make(chan error, 1)
	go func() { result <- rt.Exec("t", code) }()
	deadline := time.Now().Add(time.Minute)
	for stack := make([]byte, 1<<20); !bytes.Contains(stack[:runtime.Stack(stack, true)], []byte(fn)); {
		select {
		case err := <-result:
			t.Fatalf("%s: ended before it waited in %s: %v", code, fn, err)
		default:
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s: no goroutine in %s within a minute", code, fn)
		}
		time.Sleep(time.Millisecond)
	}
	return result
}

// TestDevicesAndFIFOsDoNotWedge: a FIFO opens at once (open(2) would wait
// for a writer where no interrupt reaches it), a read that waits on it ends
// at an interrupt, and the routes that read a whole file refuse what is not
// a regular file instead of blocking or reading without end.
func TestDevicesAndFIFOsDoNotWedge(t *testing.T) {
	rt, _ := interptest.New(t, nil)
	fifo := filepath.Join(rt.Root(), "pipe")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Skipf("no FIFO here: %v", err)
	}
	for _, code := range []string{`fs.read("pipe")`, `dofile("pipe")`, `assert(loadfile("pipe"))`} {
		err := rt.Exec("t", code)
		if err == nil || !strings.Contains(err.Error(), "not a regular file (it is a FIFO)") {
			t.Errorf("%s: %v, want a refusal naming the FIFO", code, err)
		}
	}
	// fs.stat says what fs.read refuses is no file (it said "file")
	if err := rt.Exec("stat", `assert(fs.stat("pipe").type == "fifo", fs.stat("pipe").type)`); err != nil {
		t.Error(err)
	}

	// A writer that holds the FIFO open and writes nothing, so a read waits.
	writer := make(chan *os.File, 1)
	go func() {
		w, err := os.OpenFile(fifo, os.O_WRONLY, 0) // returns once Lua opened the read end
		if err != nil {
			t.Error(err)
		}
		writer <- w
	}()
	if err := rt.Exec("open", `f = assert(io.open("pipe"))`); err != nil {
		t.Fatal(err)
	}
	if w := <-writer; w != nil {
		defer w.Close()
	}
	result := execBlockedIn(t, rt, `f:read("*l")`, "interp.waitable.Read(")
	start := time.Now()
	rt.Interrupt()
	select {
	case err := <-result:
		if err == nil || !strings.Contains(err.Error(), "interrupted") {
			t.Fatalf("read on a FIFO with a silent writer: %v, want interrupted", err)
		}
	case <-time.After(time.Minute):
		t.Fatal("the read on a FIFO still waits a minute after the interrupt")
	}
	if took := time.Since(start); took > 2*time.Second {
		t.Fatalf("the interrupt took %v to end the read", took)
	}
}

// TestCommandsEndAtAnInterrupt: with --allow-exec, every wait on a command
// (os.execute, reading or writing an io.popen pipe, closing it) ends at an
// interrupt, and the command with everything it started is killed.
func TestCommandsEndAtAnInterrupt(t *testing.T) {
	rt, out := interptest.New(t, &interp.Options{AllowExec: true})
	// As Lua 5.1: the wait status, output to Lua's output.
	err := rt.Exec("t", `
		assert(os.execute("echo from-the-shell") == 0)
		assert(os.execute("exit 3") == 768)
		assert(os.execute("kill -9 $$") == 9)
		assert(os.execute() == 1)
		assert(io.popen("echo hi; echo there >&2"):read("*a") == "hi\n")`)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "from-the-shell\n") {
		t.Errorf("os.execute's output %q did not reach Lua's output", out.String())
	}
	pidFile := filepath.Join(rt.Root(), "pid")
	for _, c := range []struct{ code, waitsIn string }{
		{`os.execute("sleep 60 & echo $! > pid; wait")`, "interp.waitProcess("},
		{`io.popen("sleep 60 & echo $! > pid; wait"):read("*a")`, "interp.waitable.Read("},
		{`io.popen("sleep 60 & echo $! > pid; wait"):close()`, "interp.waitProcess("},
		{`io.popen("sleep 60 & echo $! > pid; wait", "w"):write(string.rep("x", 1e6))`, "interp.waitable.Write("},
	} {
		code := c.code
		os.Remove(pidFile)
		// Interrupt once the chunk waits on the command and the shell has
		// started its child: at a fixed time (300 ms), a slow start had no
		// pid file yet, or no chunk running, which drops the interrupt.
		result := execBlockedIn(t, rt, code, c.waitsIn)
		pid := 0
		for deadline := time.Now().Add(time.Minute); pid == 0; time.Sleep(10 * time.Millisecond) {
			data, err := os.ReadFile(pidFile)
			if strings.HasSuffix(string(data), "\n") {
				pid, _ = strconv.Atoi(strings.TrimSpace(string(data)))
			}
			if pid == 0 && time.Now().After(deadline) {
				t.Fatalf("%s: no pid in %s a minute after the start: %v", code, pidFile, err)
			}
		}
		start := time.Now()
		rt.Interrupt()
		var err error
		select {
		case err = <-result:
		case <-time.After(time.Minute):
			t.Fatalf("%s: still running a minute after the interrupt", code)
		}
		if err == nil || !strings.Contains(err.Error(), "interrupted") {
			t.Errorf("%s: %v, want interrupted", code, err)
		}
		if took := time.Since(start); took > 3*time.Second {
			t.Errorf("%s: the interrupt took %v", code, took)
		}
		// The shell's child is killed too: its pid goes away.
		gone := false
		for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
			if !alive(pid) {
				gone = true
				break
			}
		}
		if !gone {
			syscall.Kill(pid, syscall.SIGKILL)
			t.Errorf("%s: the command's child %d outlived the interrupt", code, pid)
		}
	}
}

// alive reports whether process pid runs: it exists and is not a zombie
// (an orphan waits for init to reap it, which takes its time in a container).
func alive(pid int) bool {
	stat, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return false
	}
	// pid (comm) state ...: the state follows the last ')'.
	rest := string(stat[strings.LastIndexByte(string(stat), ')')+1:])
	return !strings.HasPrefix(strings.TrimSpace(rest), "Z")
}

// TestFilesLeaveDescriptorsToMoonpin: a script that keeps opening files
// gets nil and "Too many open files" while moonpin still has descriptors
// for itself (a script that held 20000 had socket clients refused), and
// files it dropped are closed for it first.
func TestFilesLeaveDescriptorsToMoonpin(t *testing.T) {
	var old unix.Rlimit
	if err := unix.Getrlimit(unix.RLIMIT_NOFILE, &old); err != nil {
		t.Fatal(err)
	}
	entries, err := os.ReadDir("/proc/self/fd")
	if err != nil {
		t.Skip("no /proc/self/fd")
	}
	lowered := old
	lowered.Cur = uint64(len(entries)) + 600
	if err := unix.Setrlimit(unix.RLIMIT_NOFILE, &lowered); err != nil {
		t.Skipf("cannot lower the descriptor limit: %v", err)
	}
	t.Cleanup(func() { unix.Setrlimit(unix.RLIMIT_NOFILE, &old) })

	root := t.TempDir()
	os.WriteFile(filepath.Join(root, "f.txt"), []byte("x"), 0o644)
	rt, out := interptest.New(t, &interp.Options{Root: root})
	err = rt.Exec("hog.lua", `
		-- dropped files are the collector's to close
		for i = 1, 2000 do assert(io.open("f.txt")) end
		held = {}
		while true do
			local f, msg, errno = io.open("f.txt")
			if not f then print(#held, msg, errno) break end
			held[#held + 1] = f
		end
		local f, msg = io.tmpfile()
		print(f, msg)
		-- refused before it opens: "w" has not emptied the file
		assert(not io.open("f.txt", "w"))
		assert(fs.read("f.txt") == "x", "io.open refused in 'w' emptied the file")
	`)
	if err != nil {
		t.Fatal(err)
	}
	got := out.String()
	if !strings.Contains(got, "f.txt: Too many open files (the last 256 descriptors are moonpin's, for its connections); close the files you no longer need\t24") ||
		!strings.Contains(got, "nil\tToo many open files") {
		t.Fatalf("the script saw %q", got)
	}
	var held int
	fmt.Sscan(got, &held)
	if held < 200 || held > 400 {
		t.Errorf("the script held %d files at the end, want about 600 - 256", held)
	}
	for i := range 100 {
		f, err := os.Open(filepath.Join(root, "f.txt"))
		if err != nil {
			t.Fatalf("moonpin's own open %d after the script's: %v", i, err)
		}
		defer f.Close()
	}
	if err := rt.Exec("free.lua", `for _, f in ipairs(held) do f:close() end held = nil assert(io.open("f.txt")):close()`); err != nil {
		t.Fatal(err)
	}
}

// TestPathsAsWritten: io and os take a path as the system does, not
// cleaned as text first (an io-library differential run against lua5.1
// found these): os.remove("data.txt/") removed the file and
// os.rename("data.txt", "ro.txt/") replaced ro.txt where the system says
// "Not a directory"; "nodir/../six.txt" opened six.txt; io.open("") opened
// the script root; and the "x" mode letter (glibc's O_EXCL) was ignored,
// so io.open("data.txt", "wx") emptied the file. The results are lua5.1's.
func TestPathsAsWritten(t *testing.T) {
	rt, out := interptest.New(t, nil)
	root := rt.Root()
	for name, data := range map[string]string{"data.txt": "line1\n", "ro.txt": "keep\n", "six.txt": "123456789012"} {
		if err := os.WriteFile(filepath.Join(root, name), []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	os.MkdirAll(filepath.Join(root, "dir", "sub"), 0o755)
	code := `
print(os.remove("data.txt/"))
print(os.rename("data.txt", "ro.txt/"))
print(io.open("nodir/../six.txt"))
print(io.open("data.txt/.."))
print(io.open("data.txt/."))
print(io.open(""))
print(os.remove(""))
print(os.rename("data.txt", ""))
print(io.open("data.txt", "wx"))
print(io.open("data.txt", "ax"))
local f = io.open("new.txt", "wx") print(io.type(f)) f:close()
print(io.type(io.open("dir/")), io.type(io.open("dir/sub/../")), io.type(io.open("dir/./sub")))
print(io.open("six.txt/x"))
print(io.open("data.txt"):read("*a") .. io.open("ro.txt"):read("*a"))`
	if err := rt.Exec("t.lua", code); err != nil {
		t.Fatal(err)
	}
	want := `nil	data.txt/: Not a directory	20
nil	data.txt: Not a directory	20
nil	nodir/../six.txt: No such file or directory	2
nil	data.txt/..: Not a directory	20
nil	data.txt/.: Not a directory	20
nil	: No such file or directory	2
nil	: No such file or directory	2
nil	data.txt: No such file or directory	2
nil	data.txt: File exists	17
nil	data.txt: File exists	17
file
file	file	file
nil	six.txt/x: Not a directory	20
line1
keep

`
	if got := out.String(); got != want {
		t.Errorf("got\n%s\nwant (lua5.1)\n%s", got, want)
	}
}

// TestSetvbufLine: in "line" mode what was written up to the last newline
// goes out at once, as C's line buffering (it was "full" buffering); and a
// file read or written the way it was not opened fails with EBADF (it said
// "file not open for writing", errno 0). The results are lua5.1's.
func TestSetvbufLine(t *testing.T) {
	rt, out := interptest.New(t, nil)
	code := `
local f = io.open("log.txt", "w")
f:setvbuf("line")
f:write("ab\ncd")
print(io.open("log.txt"):read("*a"))
f:write("\n")
print(io.open("log.txt"):read("*a"))
f:close()
-- a file opened for one way fails the other as C's stdio does (EBADF),
-- after its arguments are checked
local r = io.open("log.txt") print(r:write("x")) print(pcall(r.write, r, {})) r:close()
local w = io.open("w.txt", "w") print(w:read("*a")) w:close()`
	if err := rt.Exec("t.lua", code); err != nil {
		t.Fatal(err)
	}
	if got, want := out.String(), "ab\n\nab\ncd\n\nnil\tBad file descriptor\t9\nfalse\tbad argument #2 to '?' (string expected, got table)\nnil\tBad file descriptor\t9\n"; got != want {
		t.Errorf("got %q, want (lua5.1) %q", got, want)
	}
}

// TestFIFOWriteEndsAtAnInterruptWhateverTheBuffering: setvbuf gave a file
// a writer straight on the *os.File, without the waitable around it, so a
// write that waited on a FIFO nobody read ignored Ctrl-C.
func TestFIFOWriteEndsAtAnInterruptWhateverTheBuffering(t *testing.T) {
	rt, _ := interptest.New(t, nil)
	fifo := filepath.Join(rt.Root(), "pipe")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Skipf("no FIFO here: %v", err)
	}
	// A reader that holds the FIFO open and never reads.
	r, err := os.OpenFile(fifo, os.O_RDONLY|syscall.O_NONBLOCK, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	for _, mode := range []string{"no", "full", "line"} {
		code := fmt.Sprintf(`local f = assert(io.open("pipe", "w")) f:setvbuf(%q) f:write(string.rep("x\n", 1e6)) f:flush()`, mode)
		done := execBlockedIn(t, rt, code, "interp.waitable.Write(")
		rt.Interrupt()
		var err error
		select {
		case err = <-done:
		case <-time.After(time.Minute):
			r.Close() // the write ends (EPIPE), and with it the goroutine
			<-done
			t.Fatalf("setvbuf(%q): a write on a FIFO nobody reads did not end at an interrupt in a minute", mode)
		}
		if err == nil || !strings.Contains(err.Error(), "interrupted") {
			t.Fatalf("setvbuf(%q), a write on a FIFO nobody reads: %v, want interrupted", mode, err)
		}
		// Drain what the FIFO holds for the next round, without waiting
		// for more (the interrupted file is still open for writing).
		rc, err := r.SyscallConn()
		if err != nil {
			t.Fatal(err)
		}
		buf := make([]byte, 1<<16)
		rc.Read(func(fd uintptr) bool {
			for {
				if n, err := syscall.Read(int(fd), buf); n <= 0 || err != nil {
					return true
				}
			}
		})
	}
}
