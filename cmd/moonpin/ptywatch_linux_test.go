package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
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

// TestIdleBoardSleeps: a board serving a pty that no client has open, with
// nothing to run, hardly wakes: the inotify watch tells it when a client
// opens the pty. It looked for one every 20 ms, 800 system calls a second
// at idle (under strace) on a board meant to sit idle for months.
func TestIdleBoardSleeps(t *testing.T) {
	b := startBoard(t, nil)
	tm := b.open()
	tm.sync()
	tm.Close()
	pid := b.cmd.Process.Pid
	before := contextSwitches(t, pid)
	time.Sleep(3 * time.Second) // the interval measured, the client's going in it
	woke := contextSwitches(t, pid) - before
	t.Logf("%d context switches in 3 s at idle", woke)
	if woke > 300 {
		t.Errorf("%d context switches in 3 s at idle, want at most 300 (polling the pty every 20 ms made about 1400)", woke)
	}
}

// contextSwitches sums the voluntary and involuntary context switches of
// every thread of process pid.
func contextSwitches(t *testing.T, pid int) int {
	t.Helper()
	tasks, err := filepath.Glob(fmt.Sprintf("/proc/%d/task/*/status", pid))
	if err != nil || len(tasks) == 0 {
		t.Fatalf("no threads of %d: %v", pid, err)
	}
	total := 0
	for _, task := range tasks {
		status, err := os.ReadFile(task)
		if err != nil {
			continue // the thread ended
		}
		for _, line := range strings.Split(string(status), "\n") {
			if strings.HasSuffix(strings.Fields(line + " x")[0], "ctxt_switches:") {
				n, _ := strconv.Atoi(strings.Fields(line)[1])
				total += n
			}
		}
	}
	return total
}
