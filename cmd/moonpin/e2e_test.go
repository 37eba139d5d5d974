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

	"github.com/moonpin/moonpin/internal/bintest"
	"github.com/moonpin/moonpin/internal/expect"
	"github.com/moonpin/moonpin/repl/client"
	"golang.org/x/sys/unix"
)

// moonpinBin is the moonpin binary the end-to-end tests drive;
// moonpinStuckBin the same with a stuck() global for the stop tests.
var moonpinBin, moonpinStuckBin string

func TestMain(m *testing.M) {
	bintest.Main(m,
		bintest.Binary{Path: &moonpinBin, Name: "moonpin", Pkg: "."},
		bintest.Binary{Path: &moonpinStuckBin, Name: "moonpin-stuck", Pkg: ".", Tags: "moonpin_stuck"})
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
	*expect.Stream
	t   testing.TB
	seq int
}

// newPtyTerm reads f, one end of a pty, until the test ends.
func newPtyTerm(t testing.TB, f *os.File) *ptyTerm {
	s := expect.New(t, f)
	s.Timeout = waitLimit
	s.Tail = 400
	return &ptyTerm{Stream: s, t: t}
}

func (b *board) open() *ptyTerm {
	b.t.Helper()
	f, err := os.OpenFile(b.path, os.O_RDWR|unix.O_NOCTTY, 0)
	if err != nil {
		b.t.Fatal(err)
	}
	return newPtyTerm(b.t, f)
}

// sync waits until the friendly REPL has answered everything sent so far and
// shows a fresh prompt.
func (tm *ptyTerm) sync() {
	tm.t.Helper()
	tm.seq++
	mark := "sync" + strconv.Itoa(tm.seq)
	tm.Send("='" + mark + "'\r")
	tm.Expect("\r\n" + mark + "\r\n> ")
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
	tm.Send("1 + 2\r")
	tm.Exact("1 + 2\r\n3\r\n> ")
	tm.Send("function double(x)\r")
	tm.Exact("function double(x)\r\n>> ")
	tm.Send("  return x * 2\r")
	tm.Exact("  return x * 2\r\n>> ")
	tm.Send("end\r")
	tm.Exact("end\r\n> ")
	tm.Send("double(21)\r")
	tm.Exact("double(21)\r\n42\r\n> ")
	tm.Send("error('boom')\r")
	if got := tm.Expect("\r\n> "); !strings.Contains(got, "stdin:1: boom\r\nstack traceback:") {
		t.Fatalf("error transcript %q", got)
	}
	tm.Send("while true do end\r")
	tm.Expect("while true do end\r\n")
	start := time.Now()
	tm.Send("\x03")
	got := tm.Expect("\r\n> ")
	if !strings.Contains(got, "interrupted") {
		t.Fatalf("Ctrl-C transcript %q", got)
	}
	t.Logf("Ctrl-C to prompt: %v", time.Since(start))
	tm.Send("x = 1\r")
	tm.Exact("x = 1\r\n> ")
	tm.Send("\x04")
	got = tm.Expect("\r\n> ")
	if !strings.Contains(got, "soft reboot\r\nmain says hi\r\n") {
		t.Fatalf("soft reset transcript %q", got)
	}
	tm.Send("x\r")
	tm.Exact("x\r\nnil\r\n> ")
}

func TestRawREPLExactBytes(t *testing.T) {
	b := startBoard(t, map[string]string{
		"boot.lua": "print('boot ran')\n",
		"main.lua": "print('main ran')\n",
	})
	tm := b.open()
	tm.sync()
	tm.Send("\x01")
	tm.Exact("\r\nraw REPL; CTRL-B to exit\r\n>")
	tm.Send("print(1)\x04")
	tm.Exact("OK1\r\n\x04\x04>")
	tm.Send("error('bad', 0)\x04")
	got := tm.Expect("\x04>")
	if !strings.HasPrefix(got, "OK\x04bad\r\n") {
		t.Fatalf("error reply %q", got)
	}
	tm.Send("garbage(\x04")
	if got := tm.Expect("\x04>"); !strings.HasPrefix(got, "OK\x04stdin:") {
		t.Fatalf("syntax error reply %q", got)
	}
	tm.Send("junk\x01")
	tm.Exact("raw REPL; CTRL-B to exit\r\n>")
	tm.Send("junk\x03print(2)\x04")
	tm.Exact("OK2\r\n\x04\x04>")
	tm.Send("\x05B\x01")
	tm.Exact("R\x00>")
	tm.Send("\x04")
	tm.Exact("OK\r\nsoft reboot\r\nboot ran\r\nraw REPL; CTRL-B to exit\r\n>")
	tm.Send("\x02")
	tm.Expect("\r\n> ")
}

func TestRawPasteFlowControl(t *testing.T) {
	b := startBoard(t, nil)
	tm := b.open()
	tm.Send("\r\x03\r\x01")
	tm.Expect("raw REPL; CTRL-B to exit\r\n>")
	tm.Send("\x05A\x01")
	hdr := tm.Next(5)
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
			tm.Exact("\x01")
			remain += window
		}
		n := min(remain, len(src)-sent)
		tm.Send(src[sent : sent+n])
		sent += n
		remain -= n
	}
	tm.Send("\x04")
	got := tm.Expect("\x04>")
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
				tm.Send("\r\x03")
				tm.Send("\r\x01")
				tm.Expect("raw REPL; CTRL-B to exit\r\n>")
				tm.Send("\x04")
				tm.Expect("soft reboot\r\n")
				tm.Expect("raw REPL; CTRL-B to exit\r\n>")
				tm.Send("print(booted, " + strconv.Itoa(i) + ")\x04")
				tm.Exact("OKtrue\t" + strconv.Itoa(i) + "\r\n\x04\x04>")
				tm.Send("\r\x02")
				tm.Close()
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
		if err == nil && !d.IsDir() && strings.HasPrefix(d.Name(), ".~moonpin-") {
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
		tm.Send("\x02")
		tm.Expect("Ctrl-A raw REPL.\r\n> ")
		tm.Expect("tick")
		tm.Close()
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

// TestPtyScriptWithAHashLine: `moonpin --pty script.lua` skips the
// script's "#!" first line, as `moonpin script.lua` does; the REPL's start
// took it for code.
func TestPtyScriptWithAHashLine(t *testing.T) {
	root := t.TempDir()
	script := filepath.Join(root, "sh.lua")
	if err := os.WriteFile(script, []byte("#!/usr/bin/env moonpin\nran = 'yes, line ' .. debug.getinfo(1, 'l').currentline\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	b := launchBoard(t, root, nil, "--pty", "--root", root, script)
	tm := b.open()
	tm.Send("=ran\r")
	tm.Expect("yes, line 2\r\n> ")
}
