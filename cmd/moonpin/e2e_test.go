package main

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"io/fs"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/moonpin/moonpin/repl/client"
	"go.uber.org/goleak"
	"golang.org/x/sys/unix"
)

// moonpinBin is the moonpin binary the end-to-end tests drive.
var moonpinBin string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "moonpin-e2e-")
	if err != nil {
		panic(err)
	}
	moonpinBin = filepath.Join(dir, "moonpin")
	args := []string{"build", "-o", moonpinBin}
	if raceEnabled {
		args = append(args, "-race")
	}
	build := exec.Command("go", append(args, ".")...)
	build.Stdout, build.Stderr = os.Stderr, os.Stderr
	if err := build.Run(); err != nil {
		os.RemoveAll(dir)
		panic("building moonpin: " + err.Error())
	}
	code := m.Run()
	os.RemoveAll(dir)
	if code == 0 {
		if err := goleak.Find(); err != nil {
			os.Stderr.WriteString("goleak: " + err.Error() + "\n")
			code = 1
		}
	}
	os.Exit(code)
}

const waitLimit = 10 * time.Second

// board is a moonpin process serving its REPL on a pty.
type board struct {
	t    testing.TB
	root string
	path string
	cmd  *exec.Cmd
	out  *bytes.Buffer
	once sync.Once
}

// startBoard writes files into a fresh root and starts `moonpin --pty` on it.
// The process is stopped (and must exit cleanly) when the test ends.
func startBoard(t testing.TB, files map[string]string, args ...string) *board {
	t.Helper()
	root := t.TempDir()
	for name, body := range files {
		if err := os.WriteFile(filepath.Join(root, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return launchBoard(t, root, nil, append([]string{"--pty", "--root", root}, args...)...)
}

// launchBoard starts moonpin with args, which include --pty, and extra
// environment variables.
func launchBoard(t testing.TB, root string, env []string, args ...string) *board {
	t.Helper()
	return launchBinary(t, moonpinBin, root, env, args...)
}

func launchBinary(t testing.TB, bin, root string, env []string, args ...string) *board {
	t.Helper()
	cmd := exec.Command(bin, args...)
	if env != nil {
		cmd.Env = append(os.Environ(), env...)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	b := &board{t: t, root: root, cmd: cmd, out: &stderr}
	lineCh := make(chan string, 1)
	go func() {
		line, _ := bufio.NewReader(stdout).ReadString('\n')
		lineCh <- strings.TrimSpace(line)
	}()
	select {
	case b.path = <-lineCh:
	case <-time.After(waitLimit):
		cmd.Process.Kill()
		t.Fatal("moonpin printed no pty path")
	}
	if !strings.HasPrefix(b.path, "/dev/") {
		cmd.Process.Kill()
		cmd.Wait()
		t.Fatalf("moonpin printed %q, not a pty path; stderr: %s", b.path, stderr.String())
	}
	t.Cleanup(b.stop)
	return b
}

// stop sends SIGTERM and checks that moonpin exits cleanly. Only the first
// call does anything.
func (b *board) stop() { b.once.Do(b.terminate) }

func (b *board) terminate() {
	done := make(chan error, 1)
	if b.t.Failed() {
		// Show where moonpin was: SIGQUIT makes the Go runtime print every
		// goroutine's stack to stderr and exit.
		b.cmd.Process.Signal(syscall.SIGQUIT)
		go func() { done <- b.cmd.Wait() }()
		select {
		case <-done:
		case <-time.After(waitLimit):
			b.cmd.Process.Kill()
			<-done
		}
		b.t.Logf("moonpin's stderr after SIGQUIT:\n%s", b.out.String())
		return
	}
	b.cmd.Process.Signal(syscall.SIGTERM)
	go func() { done <- b.cmd.Wait() }()
	select {
	case err := <-done:
		if err != nil {
			b.t.Errorf("moonpin exited with %v after SIGTERM; stderr: %s", err, b.out.String())
		}
	case <-time.After(waitLimit):
		b.cmd.Process.Kill()
		<-done
		b.t.Errorf("moonpin still running %v after SIGTERM", waitLimit)
	}
}

// ptyTerm is a raw connection to the board's pty that reads until expected bytes.
type ptyTerm struct {
	t testing.TB
	f *os.File

	mu   sync.Mutex
	buf  []byte
	more chan struct{}
	done chan struct{}
	seq  int
}

func (b *board) open() *ptyTerm {
	b.t.Helper()
	f, err := os.OpenFile(b.path, os.O_RDWR|unix.O_NOCTTY, 0)
	if err != nil {
		b.t.Fatal(err)
	}
	tm := &ptyTerm{t: b.t, f: f, more: make(chan struct{}, 1), done: make(chan struct{})}
	go func() {
		defer close(tm.done)
		p := make([]byte, 64<<10)
		for {
			n, err := f.Read(p)
			tm.mu.Lock()
			tm.buf = append(tm.buf, p[:n]...)
			tm.mu.Unlock()
			select {
			case tm.more <- struct{}{}:
			default:
			}
			if err != nil {
				return
			}
		}
	}()
	b.t.Cleanup(tm.close)
	return tm
}

func (tm *ptyTerm) close() {
	tm.f.Close()
	<-tm.done
}

func (tm *ptyTerm) send(s string) {
	tm.t.Helper()
	if _, err := tm.f.Write([]byte(s)); err != nil {
		tm.t.Fatalf("send %q: %v", s, err)
	}
}

// expect waits for want and returns everything up to and including it.
func (tm *ptyTerm) expect(want string) string {
	tm.t.Helper()
	deadline := time.NewTimer(waitLimit)
	defer deadline.Stop()
	for {
		tm.mu.Lock()
		if i := bytes.Index(tm.buf, []byte(want)); i >= 0 {
			got := string(tm.buf[:i+len(want)])
			tm.buf = tm.buf[i+len(want):]
			tm.mu.Unlock()
			return got
		}
		tm.mu.Unlock()
		select {
		case <-tm.more:
		case <-deadline.C:
			tm.mu.Lock()
			got := tail(tm.buf)
			tm.mu.Unlock()
			tm.t.Fatalf("timed out waiting for %q; got %q", want, got)
		}
	}
}

// next waits for n bytes and returns them.
func (tm *ptyTerm) next(n int) string {
	tm.t.Helper()
	deadline := time.NewTimer(waitLimit)
	defer deadline.Stop()
	for {
		tm.mu.Lock()
		if len(tm.buf) >= n {
			got := string(tm.buf[:n])
			tm.buf = tm.buf[n:]
			tm.mu.Unlock()
			return got
		}
		tm.mu.Unlock()
		select {
		case <-tm.more:
		case <-deadline.C:
			tm.t.Fatalf("timed out waiting for %d bytes", n)
		}
	}
}

// sync waits until the friendly REPL has answered everything sent so far and
// shows a fresh prompt.
func (tm *ptyTerm) sync() {
	tm.t.Helper()
	tm.seq++
	mark := "sync" + strconv.Itoa(tm.seq)
	tm.send("='" + mark + "'\r")
	tm.expect("\r\n" + mark + "\r\n> ")
}

// exact waits for want and fails unless nothing else came before it.
func (tm *ptyTerm) exact(want string) {
	tm.t.Helper()
	if got := tm.expect(want); got != want {
		tm.t.Fatalf("got %q, want exactly %q", got, want)
	}
}

func (b *board) client(opts client.Options) *client.Client {
	b.t.Helper()
	c, err := client.Open(b.path, 115200, opts)
	if err != nil {
		b.t.Fatal(err)
	}
	b.t.Cleanup(func() { c.Close() })
	return c
}

func ctx(t testing.TB) context.Context {
	c, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	t.Cleanup(cancel)
	return c
}

func TestFriendlyTranscript(t *testing.T) {
	b := startBoard(t, map[string]string{"main.lua": "print('main says hi')\n"})
	tm := b.open()
	tm.sync()
	tm.send("1 + 2\r")
	tm.exact("1 + 2\r\n3\r\n> ")
	tm.send("function double(x)\r")
	tm.exact("function double(x)\r\n>> ")
	tm.send("  return x * 2\r")
	tm.exact("  return x * 2\r\n>> ")
	tm.send("end\r")
	tm.exact("end\r\n> ")
	tm.send("double(21)\r")
	tm.exact("double(21)\r\n42\r\n> ")
	tm.send("error('boom')\r")
	if got := tm.expect("\r\n> "); !strings.Contains(got, "stdin:1: boom\r\nstack traceback:") {
		t.Fatalf("error transcript %q", got)
	}
	tm.send("while true do end\r")
	tm.expect("while true do end\r\n")
	start := time.Now()
	tm.send("\x03")
	got := tm.expect("\r\n> ")
	if !strings.Contains(got, "interrupted") {
		t.Fatalf("Ctrl-C transcript %q", got)
	}
	t.Logf("Ctrl-C to prompt: %v", time.Since(start))
	tm.send("x = 1\r")
	tm.exact("x = 1\r\n> ")
	tm.send("\x04")
	got = tm.expect("\r\n> ")
	if !strings.Contains(got, "soft reboot\r\nmain says hi\r\n") {
		t.Fatalf("soft reset transcript %q", got)
	}
	tm.send("x\r")
	tm.exact("x\r\nnil\r\n> ")
}

func TestRawREPLExactBytes(t *testing.T) {
	b := startBoard(t, map[string]string{
		"boot.lua": "print('boot ran')\n",
		"main.lua": "print('main ran')\n",
	})
	tm := b.open()
	tm.sync()
	tm.send("\x01")
	tm.exact("\r\nraw REPL; CTRL-B to exit\r\n>")
	tm.send("print(1)\x04")
	tm.exact("OK1\r\n\x04\x04>")
	tm.send("error('bad', 0)\x04")
	got := tm.expect("\x04>")
	if !strings.HasPrefix(got, "OK\x04bad\r\n") {
		t.Fatalf("error reply %q", got)
	}
	tm.send("garbage(\x04")
	if got := tm.expect("\x04>"); !strings.HasPrefix(got, "OK\x04stdin:") {
		t.Fatalf("syntax error reply %q", got)
	}
	tm.send("junk\x01")
	tm.exact("raw REPL; CTRL-B to exit\r\n>")
	tm.send("junk\x03print(2)\x04")
	tm.exact("OK2\r\n\x04\x04>")
	tm.send("\x05B\x01")
	tm.exact("R\x00>")
	tm.send("\x04")
	tm.exact("OK\r\nsoft reboot\r\nboot ran\r\nraw REPL; CTRL-B to exit\r\n>")
	tm.send("\x02")
	tm.expect("\r\n> ")
}

func TestRawPasteFlowControl(t *testing.T) {
	b := startBoard(t, nil)
	tm := b.open()
	tm.send("\r\x03\r\x01")
	tm.expect("raw REPL; CTRL-B to exit\r\n>")
	tm.send("\x05A\x01")
	hdr := tm.next(5)
	if len(hdr) != 5 || hdr[:2] != "R\x01" {
		t.Fatalf("raw-paste header %q", hdr)
	}
	window := int(hdr[2]) | int(hdr[3])<<8
	var code strings.Builder
	code.WriteString("local t = {}\n")
	for code.Len() < 10<<10 {
		code.WriteString("t[#t+1] = 'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx'\n")
	}
	code.WriteString("print(#t)\n")
	src := code.String()
	remain := 2 * window // the header's "\x01" grants a second window
	for sent := 0; sent < len(src); {
		if remain == 0 {
			tm.exact("\x01")
			remain += window
		}
		n := min(remain, len(src)-sent)
		tm.send(src[sent : sent+n])
		sent += n
		remain -= n
	}
	tm.send("\x04")
	got := tm.expect("\x04>")
	got = strings.ReplaceAll(got, "\x01", "")
	lines := strings.Count(src, "\n") - 2
	want := "\x04" + strconv.Itoa(lines) + "\r\n\x04\x04>"
	if got != want {
		t.Fatalf("raw-paste reply %q, want %q", got, want)
	}
}

// TestMpremoteConnectsToBusyBoard runs mpremote's connect sequence against
// boards whose main.lua never returns, reconnecting each time.
func TestMpremoteConnectsToBusyBoard(t *testing.T) {
	for name, main := range map[string]string{
		"tight loop": "while true do end\n",
		"printing":   "local i = 0\nwhile true do i = i + 1 print('busy', i) end\n",
		"sleeping":   "while true do time.sleep(0.005) print('tick') end\n",
		"timer":      "timer.every(1, function() print('tock') end)\n",
		"boot error": "error('main failed')\n",
	} {
		t.Run(name, func(t *testing.T) {
			b := startBoard(t, map[string]string{"boot.lua": "booted = true\n", "main.lua": main})
			for i := range 3 {
				tm := b.open()
				// mpremote: "\r\x03", drain, "\r\x01", header, "\x04", "soft reboot", header.
				tm.send("\r\x03")
				tm.send("\r\x01")
				tm.expect("raw REPL; CTRL-B to exit\r\n>")
				tm.send("\x04")
				tm.expect("soft reboot\r\n")
				tm.expect("raw REPL; CTRL-B to exit\r\n>")
				tm.send("print(booted, " + strconv.Itoa(i) + ")\x04")
				tm.exact("OKtrue\t" + strconv.Itoa(i) + "\r\n\x04\x04>")
				tm.send("\r\x02")
				tm.close()
			}
		})
	}
}

func TestClientExecAndRawPaste(t *testing.T) {
	b := startBoard(t, map[string]string{"main.lua": "while true do end\n"})
	c := b.client(client.Options{})
	ctx := ctx(t)
	if err := c.EnterRaw(ctx, true); err != nil {
		t.Fatal(err)
	}
	out, err := c.Exec(ctx, "print('a\\nb')")
	if err != nil || out != "a\nb\n" {
		t.Fatalf("Exec = %q, %v", out, err)
	}
	var code strings.Builder
	sum := 0
	for i := 0; code.Len() < 10<<10; i++ {
		code.WriteString("x" + strconv.Itoa(i) + " = " + strconv.Itoa(i) + " -- padding padding padding\n")
		sum += i
	}
	n := strings.Count(code.String(), "\n")
	code.WriteString("local s = 0 for i = 0, " + strconv.Itoa(n-1) + " do s = s + _G['x'..i] end print(s)\n")
	out, err = c.Exec(ctx, code.String())
	if err != nil || out != strconv.Itoa(sum)+"\n" {
		t.Fatalf("10 KB script: %q, %v", out, err)
	}
	_, err = c.Exec(ctx, "print('partial') error('nope')")
	var ee *client.ExecError
	if !errors.As(err, &ee) || !strings.Contains(ee.Stderr, "nope") || ee.Stdout != "partial\n" {
		t.Fatalf("failing exec: %#v", err)
	}
	if v, err := c.Eval(ctx, "1 + 41"); err != nil || v != "42" {
		t.Fatalf("Eval = %q, %v", v, err)
	}
	plain := b.client(client.Options{NoRawPaste: true})
	c.Close()
	if err := plain.EnterRaw(ctx, false); err != nil {
		t.Fatal(err)
	}
	if out, err := plain.Exec(ctx, code.String()); err != nil || out != strconv.Itoa(sum)+"\n" {
		t.Fatalf("10 KB script without raw-paste: %q, %v", out, err)
	}
	if err := plain.ExitRaw(ctx); err != nil {
		t.Fatal(err)
	}
}

func TestFilePutGet(t *testing.T) {
	b := startBoard(t, map[string]string{"main.lua": "timer.every(5, function() print('noise') end)\n"})
	c := b.client(client.Options{})
	ctx := ctx(t)
	data := randomBytes(1 << 20)
	var lastDone int64
	if err := c.Put(ctx, "blob.bin", bytes.NewReader(data), int64(len(data)), func(done, total int64) {
		if done < lastDone || total != int64(len(data)) {
			t.Errorf("progress went %d -> %d of %d", lastDone, done, total)
		}
		lastDone = done
	}); err != nil {
		t.Fatal(err)
	}
	if lastDone != int64(len(data)) {
		t.Fatalf("progress ended at %d", lastDone)
	}
	onDisk, err := os.ReadFile(filepath.Join(b.root, "blob.bin"))
	if err != nil || sha256.Sum256(onDisk) != sha256.Sum256(data) {
		t.Fatalf("file on the device differs (%v)", err)
	}
	var got bytes.Buffer
	if n, err := c.Get(ctx, "blob.bin", &got, nil); err != nil || n != int64(len(data)) {
		t.Fatalf("Get = %d, %v", n, err)
	}
	if sha256.Sum256(got.Bytes()) != sha256.Sum256(data) {
		t.Fatal("got different bytes back")
	}
	size, sum, err := c.Sha256(ctx, "blob.bin")
	if err != nil || size != int64(len(data)) || sum != sha256.Sum256(data) {
		t.Fatalf("Sha256 = %d %x %v", size, sum, err)
	}
	if err := c.Mkdir(ctx, "lib/sub"); err != nil {
		t.Fatal(err)
	}
	if err := c.Put(ctx, "lib/sub/m.lua", strings.NewReader("return 7"), 8, nil); err != nil {
		t.Fatal(err)
	}
	list, err := c.List(ctx, ".")
	if err != nil || len(list) != 3 || list[0].Name != "blob.bin" || list[1].Name != "lib" || !list[1].Dir || list[2].Name != "main.lua" {
		t.Fatalf("List = %+v, %v", list, err)
	}
	if _, err := c.Stat(ctx, "missing"); !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("Stat(missing) = %v", err)
	}
	if err := c.Put(ctx, "../escape", strings.NewReader("x"), 1, nil); !errors.Is(err, fs.ErrPermission) {
		t.Fatalf("put outside the root: %v", err)
	}
	// Code and files share the connection.
	if out, err := c.Exec(ctx, "print(require('lib.sub.m'))"); err != nil || out != "7\n" {
		t.Fatalf("Exec after put: %q, %v", out, err)
	}
	if err := c.Remove(ctx, "lib/sub/m.lua"); err != nil {
		t.Fatal(err)
	}
	if err := c.Rename(ctx, "blob.bin", "lib/blob.bin"); err != nil {
		t.Fatal(err)
	}
	if st, err := c.Stat(ctx, "lib/blob.bin"); err != nil || st.Size != int64(len(data)) || st.Dir {
		t.Fatalf("Stat = %+v, %v", st, err)
	}
	if err := c.Remove(ctx, "lib"); err == nil {
		t.Fatal("removed a directory that is not empty")
	}
	if err := c.ExitRaw(ctx); err != nil {
		t.Fatal(err)
	}
	assertNoTempFiles(t, b.root)
}

func assertNoTempFiles(t *testing.T, root string) {
	t.Helper()
	filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err == nil && strings.HasPrefix(d.Name(), ".~moonpin-") {
			t.Errorf("temporary file left behind: %s", p)
		}
		return nil
	})
}

// TestReconnectWhileTimerRuns: main.lua's timer keeps running while no one
// is connected, and each new connection gets a prompt when it asks.
//
// A client that opens the pty right after the last one closed it may find
// the session still going: Linux reports the close to the master only while
// no one has the slave open, so moonpin cannot always tell two clients
// apart and greet the second (no more than a device on a USB serial line
// can). Like a user pressing Enter, the test asks for the banner (Ctrl-B).
func TestReconnectWhileTimerRuns(t *testing.T) {
	b := startBoard(t, map[string]string{"main.lua": "n = 0\ntimer.every(2, function() n = n + 1 print('tick', n) end)\n"})
	ctx := ctx(t)
	last := 0
	for range 3 {
		tm := b.open()
		tm.send("\x02")
		tm.expect("Ctrl-A raw REPL.\r\n> ")
		tm.expect("tick")
		tm.close()
		c := b.client(client.Options{})
		if err := c.EnterRaw(ctx, false); err != nil {
			t.Fatal(err)
		}
		v, err := c.Eval(ctx, "n")
		if err != nil {
			t.Fatal(err)
		}
		n, err := strconv.Atoi(v)
		if err != nil || n <= last {
			t.Fatalf("n = %q after %d: is the timer stopped while no one is connected?", v, last)
		}
		last = n
		if err := c.ExitRaw(ctx); err != nil {
			t.Fatal(err)
		}
		c.Close()
	}
}

// TestStopWithClientConnected: SIGTERM ends moonpin even while a client sits
// idle on the pty.
func TestStopWithClientConnected(t *testing.T) {
	b := startBoard(t, map[string]string{"main.lua": "timer.every(10, function() end)\n"})
	tm := b.open()
	tm.sync()
	b.stop()
}

func TestScriptModeStillExits(t *testing.T) {
	out, err := exec.Command(moonpinBin, "-e", "print('hi') error('boom')").CombinedOutput()
	var ee *exec.ExitError
	if !errors.As(err, &ee) || ee.ExitCode() != 1 {
		t.Fatalf("exit: %v", err)
	}
	if !strings.Contains(string(out), "hi\n") || !strings.Contains(string(out), "boom") || !strings.Contains(string(out), "stack traceback") {
		t.Fatalf("output %q", out)
	}
	if out, err := exec.Command(moonpinBin, "-e", "print(1+1)").CombinedOutput(); err != nil || string(out) != "2\n" {
		t.Fatalf("-e: %q, %v", out, err)
	}
}

func randomBytes(n int) []byte {
	r := rand.New(rand.NewPCG(1, 2))
	b := make([]byte, 0, n+8)
	for len(b) < n {
		b = binary.LittleEndian.AppendUint64(b, r.Uint64())
	}
	return b[:n]
}

// tail is the end of what came, for failure messages.
func tail(b []byte) string {
	if len(b) > 400 {
		return "..." + string(b[len(b)-400:])
	}
	return string(b)
}
