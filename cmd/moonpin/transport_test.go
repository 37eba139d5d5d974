package main

import (
	"errors"
	"io"
	"os"
	"os/exec"
	"syscall"
	"testing"
	"time"

	"github.com/creack/pty"
	"github.com/moonpin/moonpin/internal/expect"
	"golang.org/x/sys/unix"
	"golang.org/x/term"
)

// masterTerm talks to moonpin from the master side of a pty pair whose slave
// moonpin uses as its serial port or terminal.
func masterTerm(t testing.TB, f *os.File) *ptyTerm {
	master, err := pollable(f)
	if err != nil {
		t.Fatal(err)
	}
	return newPtyTerm(t, master)
}

// TestPortTransport serves the REPL on a serial port (the slave of a pty
// stands in for /dev/ttyGS0) and survives the port going away.
func TestPortTransport(t *testing.T) {
	master, slave, err := pty.Open()
	if err != nil {
		t.Skipf("no pty: %v", err)
	}
	if _, err := term.MakeRaw(int(slave.Fd())); err != nil {
		t.Fatal(err)
	}
	root := t.TempDir()
	os.WriteFile(root+"/main.lua", []byte("n = 0 timer.every(5, function() n = n + 1 end)\n"), 0o644)
	cmd := exec.Command(moonpinBin, "--port", slave.Name(), "--baud", "9600", "--root", root)
	stderr := newOutput(t)
	cmd.Stderr = stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { killIfRunning(cmd) })
	// Our slave descriptor stays open until the end: without it, master
	// reads fail until moonpin has opened the port.
	defer slave.Close()
	tm := masterTerm(t, master)
	tm.Send("\r")
	tm.sync()
	tm.Send("\x01")
	tm.Expect("raw REPL; CTRL-B to exit\r\n>")
	tm.Send("print(n ~= nil)\x04")
	tm.Expect("OKtrue\r\n\x04\x04>")
	tm.Send("\x02")
	tm.Expect("> ")
	// Unplug: the port disappears; moonpin keeps running and says so.
	tm.Close()
	stderr.Expect("waiting for " + slave.Name())
	cmd.Process.Signal(syscall.SIGTERM)
	if err := cmd.Wait(); err != nil {
		t.Fatalf("exit after SIGTERM: %v; stderr %q", err, stderr.String())
	}
}

// newOutput collects what a process writes, to wait for text in it.
func newOutput(t testing.TB) *expect.Buffer {
	out := expect.NewBuffer(t)
	out.Timeout = waitLimit
	return out
}

// TestTerminalREPL: with no script and a terminal on stdin, moonpin boots and
// serves the REPL on the terminal; Ctrl-D leaves it.
func TestTerminalREPL(t *testing.T) {
	root := t.TempDir()
	os.WriteFile(root+"/main.lua", []byte("print('booted')\n"), 0o644)
	cmd := exec.Command(moonpinBin, "--root", root)
	master, err := pty.Start(cmd)
	if err != nil {
		t.Skipf("no pty: %v", err)
	}
	t.Cleanup(func() { killIfRunning(cmd) })
	tm := masterTerm(t, master)
	tm.Expect("booted\r\n")
	tm.Expect("\r\n> ")
	tm.Send("2 * 21\r")
	tm.Exact("2 * 21\r\n42\r\n> ")
	tm.Send("\x04")
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("exit: %v", err)
		}
	case <-time.After(waitLimit):
		cmd.Process.Kill()
		<-done
		t.Fatal("Ctrl-D did not end the terminal REPL")
	}
	tm.Close()
}

// killIfRunning stops a moonpin a failed test left behind.
func killIfRunning(cmd *exec.Cmd) {
	if cmd.ProcessState == nil {
		cmd.Process.Kill()
		cmd.Wait()
	}
}

// TestEndedSessionStopsWriting: with no client, output fills the pty and a
// write waits for room. Once the session ends (the master reads EIO), that
// write gives up and later ones fail, so nothing of the old session reaches
// the next client after the transport's flush; the next session writes.
func TestEndedSessionStopsWriting(t *testing.T) {
	master, slave, err := pty.Open()
	if err != nil {
		t.Skipf("no pty: %v", err)
	}
	if _, err := term.MakeRaw(int(slave.Fd())); err != nil {
		t.Fatal(err)
	}
	path := slave.Name()
	slave.Close()
	m, err := pollable(master)
	if err != nil {
		t.Fatal(err)
	}
	p := &ptyTransport{master: m, path: path}
	defer p.Close()

	c := &ptyConn{f: m}
	wrote := make(chan error, 1)
	go func() {
		chunk := make([]byte, 4<<10)
		for {
			if _, err := c.Write(chunk); err != nil {
				wrote <- err
				return
			}
		}
	}()
	if n, err := c.Read(make([]byte, 16)); n != 0 || err != io.EOF {
		t.Fatalf("Read with no client: %d, %v; want EOF", n, err)
	}
	select {
	case err := <-wrote:
		if !errors.Is(err, os.ErrDeadlineExceeded) && !errors.Is(err, errSessionEnded) {
			t.Fatalf("the waiting write ended with %v", err)
		}
	case <-time.After(waitLimit):
		t.Fatal("a write waiting for room went on after the session ended")
	}
	if _, err := c.Write([]byte("late")); !errors.Is(err, errSessionEnded) {
		t.Fatalf("a write after the end: %v", err)
	}

	// What serve does between sessions, then a client and its session.
	p.flushOutput()
	if err := m.SetWriteDeadline(time.Time{}); err != nil {
		t.Fatal(err)
	}
	f, err := os.OpenFile(path, os.O_RDWR|unix.O_NOCTTY, 0)
	if err != nil {
		t.Fatal(err)
	}
	client := newPtyTerm(t, f)
	next := &ptyConn{f: m}
	if _, err := next.Write([]byte("hello")); err != nil {
		t.Fatal(err)
	}
	client.Exact("hello")
}

// TestClientBytesAtOpenAreKept: a client that opens the pty and writes at
// once, while the transport drains what gone clients left, keeps every
// byte. The drain flushed after reading and dropped what came between, so
// once in a while under load mpremote's "\r\x03" was lost and main.lua ran
// on (TestMpremoteConnectsToBusyBoard timed out).
func TestClientBytesAtOpenAreKept(t *testing.T) {
	t.Run("after the drain", func(t *testing.T) {
		testClientBytesAtOpen(t, func(p *ptyTransport) *func() { return &p.afterDrain })
	})
	// And a client that opened and wrote between the first look and the
	// drain: a flush there dropped its first command (TestHangupIsNotACrash
	// waited for "sync1" in vain, once in a loaded CI run).
	t.Run("after the first look", func(t *testing.T) {
		testClientBytesAtOpen(t, func(p *ptyTransport) *func() { return &p.afterLook })
	})
}

func testClientBytesAtOpen(t *testing.T, hook func(*ptyTransport) *func()) {
	p, err := openPTY()
	if err != nil {
		t.Skipf("no pty: %v", err)
	}
	defer p.Close()
	var client *os.File
	*hook(p) = func() {
		client, err = os.OpenFile(p.path, os.O_RDWR|unix.O_NOCTTY, 0)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := client.Write([]byte("\r\x03")); err != nil {
			t.Fatal(err)
		}
	}
	early, present := p.clientPresent()
	if !present {
		t.Fatal("the client that opened was not seen")
	}
	defer client.Close()
	got := string(early)
	p.master.SetReadDeadline(time.Now().Add(5 * time.Second))
	buf := make([]byte, 16)
	for len(got) < 2 {
		n, err := p.master.Read(buf)
		if err != nil {
			t.Fatalf("the client's first bytes: got %q, then %v", got, err)
		}
		got += string(buf[:n])
	}
	if got != "\r\x03" {
		t.Fatalf("the client's first bytes: %q", got)
	}
}
