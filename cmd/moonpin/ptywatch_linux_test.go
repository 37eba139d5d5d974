package main

import (
	"os"
	"testing"
	"time"

	"github.com/creack/pty"
	"golang.org/x/sys/unix"
)

// TestClientWatchWakesOnOpen: the watch reports each open and close of a
// pty's slave, and the transport then finds the client at once rather than
// at its next poll.
func TestClientWatchWakesOnOpen(t *testing.T) {
	master, slave, err := pty.Open()
	if err != nil {
		t.Skipf("no pty: %v", err)
	}
	path := slave.Name()
	slave.Close()
	m, err := pollable(master)
	if err != nil {
		t.Fatal(err)
	}
	w, err := newClientWatch(path)
	if err != nil {
		m.Close()
		t.Skipf("no inotify: %v", err)
	}
	p := &ptyTransport{master: m, path: path, watch: w}
	defer p.Close()

	awaitChange := func(ch <-chan struct{}, what string) {
		t.Helper()
		select {
		case <-ch:
		case <-time.After(waitLimit):
			t.Fatalf("no word from the watch after %s", what)
		}
	}
	ch := w.next()
	f, err := os.OpenFile(path, os.O_RDWR|unix.O_NOCTTY, 0)
	if err != nil {
		t.Fatal(err)
	}
	awaitChange(ch, "an open")
	if _, ok := p.clientPresent(); !ok {
		t.Fatal("woken for an open, but the master sees no client")
	}
	ch = w.next()
	f.Close()
	awaitChange(ch, "a close")

	// The transport, waiting for a client, wakes for the open: far sooner
	// than the 20 ms poll would, though the test asserts only that it does.
	found := make(chan bool)
	stop := make(chan struct{})
	defer close(stop)
	go func() { _, ok := p.waitClient(stop); found <- ok }()
	g, err := os.OpenFile(path, os.O_RDWR|unix.O_NOCTTY, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer g.Close()
	select {
	case ok := <-found:
		if !ok {
			t.Fatal("pollClient gave up")
		}
	case <-time.After(waitLimit):
		t.Fatal("the transport did not find the client")
	}
}

// TestClientPresentKeepsOrDropsEarlyBytes: bytes left by a client that has
// gone are dropped; bytes a present client wrote at once reach its session
// whole, whether they are still in the pty or were read out while the
// transport looked for stale ones.
func TestClientPresentKeepsOrDropsEarlyBytes(t *testing.T) {
	p, err := openPTY()
	if err != nil {
		t.Skipf("no pty: %v", err)
	}
	defer p.Close()
	open := func() *os.File {
		f, err := os.OpenFile(p.path, os.O_RDWR|unix.O_NOCTTY, 0)
		if err != nil {
			t.Fatal(err)
		}
		return f
	}
	gone := open()
	gone.Write([]byte("\r\x01stale"))
	gone.Close()
	if _, ok := p.clientPresent(); ok {
		t.Fatal("a client that has gone is present")
	}
	c := open()
	defer c.Close()
	c.Write([]byte("print(1)\r"))
	early, ok := p.clientPresent()
	if !ok {
		t.Fatal("the client is not present")
	}
	conn := &primed{rw: &ptyConn{f: p.master}, early: early}
	got := make([]byte, 0, 64)
	buf := make([]byte, 64)
	deadline := time.Now().Add(waitLimit)
	for string(got) != "print(1)\r" && time.Now().Before(deadline) {
		p.master.SetReadDeadline(deadline)
		n, err := conn.Read(buf)
		got = append(got, buf[:n]...)
		if err != nil {
			break
		}
	}
	if string(got) != "print(1)\r" {
		t.Fatalf("the session read %q, want the client's %q and nothing stale", got, "print(1)\r")
	}
}
