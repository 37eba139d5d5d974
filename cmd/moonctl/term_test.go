package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/creack/pty"
	"github.com/moonpin/moonpin/internal/expect"
	"golang.org/x/sys/unix"
)

// terminal is a pty for a moonctl process to have as its controlling
// terminal, with what the process writes to it collected.
type terminal struct {
	master, slave *os.File
	out           *expect.Stream // reads the master
}

func newTerminal(t *testing.T) *terminal {
	t.Helper()
	ptmx, slave, err := pty.Open()
	if err != nil {
		t.Fatal(err)
	}
	// creack/pty leaves the master blocking; in Go's poller instead, Close
	// ends a Read in progress.
	fd, err := unix.Dup(int(ptmx.Fd()))
	ptmx.Close()
	if err == nil {
		err = unix.SetNonblock(fd, true)
	}
	if err != nil {
		slave.Close()
		t.Fatal(err)
	}
	master := os.NewFile(uintptr(fd), "ptmx")
	out := expect.New(t, master)
	out.Timeout = waitLimit
	t.Cleanup(func() {
		slave.Close()
		out.Close()
	})
	return &terminal{master: master, slave: slave, out: out}
}

// termProcess is a process started by terminal.start.
type termProcess struct {
	done chan struct{} // closed when it has exited
	err  error         // its exit, once done is closed
}

// start starts cmd with the pty's slave as its controlling terminal and its
// stdin (and its stdout and stderr where the test set none), killed when
// the test ends if it still runs.
func (tm *terminal) start(t *testing.T, cmd *exec.Cmd) *termProcess {
	t.Helper()
	cmd.Stdin = tm.slave
	if cmd.Stdout == nil {
		cmd.Stdout = tm.slave
	}
	if cmd.Stderr == nil {
		cmd.Stderr = tm.slave
	}
	cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true, Setctty: true, Pdeathsig: syscall.SIGKILL}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	p := &termProcess{done: make(chan struct{})}
	go func() { p.err = cmd.Wait(); close(p.done) }()
	t.Cleanup(func() {
		select {
		case <-p.done:
		default:
			cmd.Process.Kill()
			<-p.done
		}
	})
	return p
}

// wait waits for the process to exit and returns how it did.
func (p *termProcess) wait(t *testing.T, what string) error {
	t.Helper()
	select {
	case <-p.done:
		return p.err
	case <-time.After(waitLimit):
		t.Fatalf("%s: still running after %v", what, waitLimit)
		return nil
	}
}

// TestREPLOnTerminal: the host terminal is raw while the REPL runs, so
// Ctrl-C and Ctrl-D reach the device (not the line discipline), and it is
// restored after Ctrl-].
func TestREPLOnTerminal(t *testing.T) {
	b := startBoard(t, map[string]string{"main.lua": "print('main ran')\n"})
	tm := newTerminal(t)
	cmd := exec.Command(moonctlBin, "-p", b.path, "repl")
	out := newOutput(t)
	cmd.Stdout = out
	// On the pty as its controlling terminal (its stdin): were it not
	// raw, Ctrl-C there would be SIGINT and Ctrl-D the end of input.
	p := tm.start(t, cmd)
	tm.out.Expect("Ctrl-] or Ctrl-X leaves")
	out.Expect("> ")
	tm.master.WriteString("while true do end\r")
	out.Expect("while true do end\r\n")
	tm.master.WriteString("\x03")
	out.Expect("interrupted")
	tm.master.WriteString("\x04")
	out.Expect("soft reboot\r\nmain ran\r\n")
	tm.master.WriteString("\x1d")
	if err := p.wait(t, "moonctl repl, after Ctrl-]"); err != nil {
		t.Fatalf("moonctl repl: %v; terminal: %q", err, tm.out.String())
	}
	st, err := unix.IoctlGetTermios(int(tm.slave.Fd()), unix.TCGETS)
	if err != nil {
		t.Fatal(err)
	}
	if st.Lflag&unix.ICANON == 0 || st.Lflag&unix.ECHO == 0 {
		t.Fatalf("the terminal was left raw: lflag %#x", st.Lflag)
	}
}

// TestProgressBar: a large copy shows a progress bar on a terminal, and a
// small one does not.
func TestProgressBar(t *testing.T) {
	b := startBoard(t, nil)
	host := t.TempDir()
	writeTree(t, host, map[string]string{"big.bin": string(randomBytes(5, 1<<20)), "small.txt": "small"})
	for _, tc := range []struct {
		file string
		bar  bool
	}{{"small.txt", false}, {"big.bin", true}} {
		tm := newTerminal(t)
		cmd := exec.Command(moonctlBin, "-p", b.path, "cp", filepath.Join(host, tc.file), ":")
		out := newOutput(t)
		cmd.Stdout, cmd.Stderr = out, tm.slave
		if err := cmd.Run(); err != nil {
			t.Fatalf("cp %s: %v", tc.file, err)
		}
		// What comes before the mark is what moonctl wrote.
		tm.slave.WriteString("(end)")
		shown := tm.out.Expect("(end)")
		if bar := strings.Contains(shown, "%") && strings.Contains(shown, "-> :"+tc.file); bar != tc.bar {
			t.Errorf("cp %s: terminal shows %q; want a progress bar: %v", tc.file, shown, tc.bar)
		}
		// No rate before the device has acknowledged data over a while:
		// never the "18 GB/s" of bytes counted at the bar's first moment.
		if strings.Contains(shown, "GB/s") {
			t.Errorf("cp %s: terminal shows an impossible rate: %q", tc.file, shown)
		}
		if !strings.HasSuffix(out.String(), "-> :"+tc.file+"\n") {
			t.Errorf("cp %s printed %q", tc.file, out.String())
		}
	}
}
