package main

import (
	"bytes"
	"os"
	"os/exec"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/creack/pty"
	"golang.org/x/term"
)

// masterTerm talks to moonpin from the master side of a pty pair whose slave
// moonpin uses as its serial port or terminal.
func masterTerm(t testing.TB, f *os.File) *ptyTerm {
	master, err := pollable(f)
	if err != nil {
		t.Fatal(err)
	}
	tm := &ptyTerm{t: t, f: master, more: make(chan struct{}, 1), done: make(chan struct{})}
	go func() {
		defer close(tm.done)
		p := make([]byte, 64<<10)
		for {
			n, err := master.Read(p)
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
	return tm
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
	stderr := &lockedBuffer{}
	cmd.Stderr = stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { killIfRunning(cmd) })
	// Our slave descriptor stays open until the end: without it, master
	// reads fail until moonpin has opened the port.
	defer slave.Close()
	tm := masterTerm(t, master)
	tm.send("\r")
	tm.sync()
	tm.send("\x01")
	tm.expect("raw REPL; CTRL-B to exit\r\n>")
	tm.send("print(n ~= nil)\x04")
	tm.expect("OKtrue\r\n\x04\x04>")
	tm.send("\x02")
	tm.expect("> ")
	// Unplug: the port disappears; moonpin keeps running and says so.
	tm.close()
	select {
	case <-stderr.contains("waiting for " + slave.Name()):
	case <-time.After(waitLimit):
		t.Fatalf("stderr after unplug: %q", stderr.String())
	}
	cmd.Process.Signal(syscall.SIGTERM)
	if err := cmd.Wait(); err != nil {
		t.Fatalf("exit after SIGTERM: %v; stderr %q", err, stderr.String())
	}
}

// lockedBuffer collects a process's stderr and tells when a text appears.
type lockedBuffer struct {
	mu      sync.Mutex
	buf     bytes.Buffer
	waiters []waiter
}

type waiter struct {
	text string
	ch   chan struct{}
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.buf.Write(p)
	kept := b.waiters[:0]
	for _, w := range b.waiters {
		if strings.Contains(b.buf.String(), w.text) {
			close(w.ch)
		} else {
			kept = append(kept, w)
		}
	}
	b.waiters = kept
	return len(p), nil
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// contains returns a channel closed once text has been written.
func (b *lockedBuffer) contains(text string) <-chan struct{} {
	b.mu.Lock()
	defer b.mu.Unlock()
	ch := make(chan struct{})
	if strings.Contains(b.buf.String(), text) {
		close(ch)
	} else {
		b.waiters = append(b.waiters, waiter{text, ch})
	}
	return ch
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
	tm.expect("booted\r\n")
	tm.expect("\r\n> ")
	tm.send("2 * 21\r")
	tm.exact("2 * 21\r\n42\r\n> ")
	tm.send("\x04")
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
	tm.close()
}

// killIfRunning stops a moonpin a failed test left behind.
func killIfRunning(cmd *exec.Cmd) {
	if cmd.ProcessState == nil {
		cmd.Process.Kill()
		cmd.Wait()
	}
}
