package main

import (
	"bufio"
	"crypto/sha256"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// startPortBoard starts moonpin --port (and args) on one end of a pair of linked ptys,
// as a USB serial adapter presents itself (socat copies between the two,
// with its own buffering, as a real line has); moonctl talks to the other
// end, whose path is the board's.
func startPortBoard(t testing.TB, files map[string]string, args ...string) *board {
	t.Helper()
	devA, devB := linkPtys(t)
	b := launch(t, files, append([]string{"--port", devA}, args...)...)
	b.path = devB
	return b
}

// linkPtys links two ptys with socat, a serial line's two ends, and
// returns their paths; the link goes when the test ends.
func linkPtys(t testing.TB) (devA, devB string) {
	t.Helper()
	socat, err := exec.LookPath("socat")
	if err != nil {
		t.Skip("socat is not installed (apt-get install socat)")
	}
	dir := t.TempDir()
	devA, devB = filepath.Join(dir, "ttyA"), filepath.Join(dir, "ttyB")
	link := exec.Command(socat, "-d", "-d", "pty,rawer,link="+devA, "pty,rawer,link="+devB)
	link.SysProcAttr = orphanKilled()
	logs, err := link.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := link.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		link.Process.Kill()
		link.Wait()
	})
	// socat says "starting data transfer loop" once both ptys are there.
	ready := make(chan bool, 1)
	go func() {
		sc := bufio.NewScanner(logs)
		said := false
		for sc.Scan() {
			if !said && strings.Contains(sc.Text(), "starting data transfer loop") {
				said = true
				ready <- true
			}
		}
		if !said {
			ready <- false
		}
	}()
	select {
	case ok := <-ready:
		if !ok {
			t.Fatal("socat ended before linking the ptys")
		}
	case <-time.After(waitLimit):
		t.Fatal("socat did not link the ptys")
	}
	return devA, devB
}

// TestBigCopyOverSerialLine copies a big file both ways over a linked pty
// pair: every byte arrives (sha256 equal) and the next command works. A
// serial port's writes are cut short when a signal interrupts a write that
// waits for room; 20 MB failed with "wire: expected a frame (0xA5)" and
// broke the next commands. MOONPIN_BIG_COPY_MB sets the size (200 for the
// issue's figure).
func TestBigCopyOverSerialLine(t *testing.T) {
	mb := 20
	if s := os.Getenv("MOONPIN_BIG_COPY_MB"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n <= 0 {
			t.Fatalf("MOONPIN_BIG_COPY_MB=%q: want a number of MB", s)
		}
		mb = n
	}
	b := startPortBoard(t, nil)
	host := t.TempDir()
	data := randomBytes(12, mb<<20)
	writeTree(t, host, map[string]string{"big.bin": string(data)})
	start := time.Now()
	b.okWithin(time.Duration(mb)*time.Second+waitLimit, "cp", filepath.Join(host, "big.bin"), ":")
	put := time.Since(start)
	if got := sum(t, filepath.Join(b.root, "big.bin")); got != sha256.Sum256(data) {
		t.Fatal("the copy on the device differs from the original")
	}
	if got := b.ok("exec", "print(6*7)"); got != "42\n" {
		t.Fatalf("exec after the copy printed %q", got)
	}
	start = time.Now()
	b.okWithin(time.Duration(mb)*time.Second+waitLimit, "cp", ":big.bin", filepath.Join(host, "back.bin"))
	get := time.Since(start)
	if got := sum(t, filepath.Join(host, "back.bin")); got != sha256.Sum256(data) {
		t.Fatal("the copy back differs from the original")
	}
	if got := b.ok("eval", "1+1"); got != "2\n" {
		t.Fatalf("eval after the copy printed %q", got)
	}
	t.Logf("%d MB over the linked ptys: put %.1f MB/s, get %.1f MB/s", mb, float64(mb)/put.Seconds(), float64(mb)/get.Seconds())
}

// launch starts moonpin with args on a fresh root holding files; the pty
// path is the caller's to set.
func launch(t testing.TB, files map[string]string, args ...string) *board {
	t.Helper()
	root := t.TempDir()
	writeTree(t, root, files)
	cmd := exec.Command(moonpinBin, append(args, "--root", root)...)
	cmd.SysProcAttr = orphanKilled()
	stderr := newOutput(t)
	cmd.Stderr = stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	b := &board{t: t, root: root, cmd: cmd}
	t.Cleanup(func() {
		cmd.Process.Signal(syscall.SIGTERM)
		done := make(chan error, 1)
		go func() { done <- cmd.Wait() }()
		select {
		case err := <-done:
			if err != nil {
				t.Errorf("moonpin exited with %v after SIGTERM; stderr: %s", err, stderr.String())
			}
		case <-time.After(waitLimit):
			cmd.Process.Kill()
			<-done
			t.Errorf("moonpin still running %v after SIGTERM", waitLimit)
		}
	})
	return b
}

// okWithin is ok with a longer limit, for big copies.
func (b *board) okWithin(limit time.Duration, args ...string) string {
	b.t.Helper()
	r := b.moonctlWithin(limit, args...)
	if r.code != 0 || r.stderr != "" {
		b.t.Fatalf("moonctl %s: exit %d, stderr %q", strings.Join(args, " "), r.code, r.stderr)
	}
	return r.stdout
}
