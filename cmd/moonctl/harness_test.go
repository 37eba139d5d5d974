package main

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"errors"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
	"unsafe"

	"github.com/moonpin/moonpin/internal/bintest"
	"github.com/moonpin/moonpin/internal/expect"
	"golang.org/x/sys/unix"
)

// The binaries under test, built once by TestMain.
var moonctlBin, moonpinBin string

func TestMain(m *testing.M) {
	if os.Getenv(rawExecEnv) != "" {
		os.Exit(rawExec(os.Getenv(rawExecEnv)))
	}
	// A race-enabled binary otherwise waits a second before it exits.
	os.Setenv("GORACE", "atexit_sleep_ms=0")
	bintest.Main(m,
		bintest.Binary{Path: &moonctlBin, Name: "moonctl", Pkg: "."},
		bintest.Binary{Path: &moonpinBin, Name: "moonpin", Pkg: "../moonpin"})
}

const waitLimit = 20 * time.Second

// board is a `moonpin --pty` process with a script root of its own.
type board struct {
	t    testing.TB
	root string
	path string
	cmd  *exec.Cmd
}

// via is the board reached through port (unix://..., ssh://...) rather
// than its pty.
func (b *board) via(port string) *board {
	v := *b
	v.path = port
	return &v
}

// startBoard writes files (name -> content, directories made as needed)
// into a fresh root and starts moonpin on it; it is stopped, and must exit
// cleanly, when the test ends.
func startBoard(t testing.TB, files map[string]string) *board {
	t.Helper()
	return startBoardArgs(t, files)
}

// startBoardArgs is startBoard with more moonpin flags (--socket PATH).
func startBoardArgs(t testing.TB, files map[string]string, args ...string) *board {
	t.Helper()
	root := t.TempDir()
	writeTree(t, root, files)
	cmd := exec.Command(moonpinBin, append([]string{"--pty", "--root", root}, args...)...)
	cmd.SysProcAttr = orphanKilled()
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	stderr := newOutput(t)
	cmd.Stderr = stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	b := &board{t: t, root: root, cmd: cmd}
	lines := make(chan string, 1)
	go func() {
		line, _ := bufio.NewReader(stdout).ReadString('\n')
		lines <- strings.TrimSpace(line)
	}()
	select {
	case b.path = <-lines:
	case <-time.After(waitLimit):
		cmd.Process.Kill()
		cmd.Wait()
		t.Fatal("moonpin printed no pty path")
	}
	if !strings.HasPrefix(b.path, "/dev/") {
		cmd.Process.Kill()
		cmd.Wait()
		t.Fatalf("moonpin printed %q, not a pty path; stderr: %s", b.path, stderr.String())
	}
	t.Cleanup(func() {
		cmd.Process.Signal(syscall.SIGCONT) // in case a test left it stopped
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

// orphanKilled has a child killed when the test process dies (a test
// timeout's panic), so that no moonpin outlives its test.
func orphanKilled() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
}

func writeTree(t testing.TB, dir string, files map[string]string) {
	t.Helper()
	for name, body := range files {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// result is how a moonctl run ended.
type result struct {
	stdout, stderr string
	code           int
}

// moonctl runs moonctl on the board's port and waits for it to exit.
func (b *board) moonctl(args ...string) result {
	b.t.Helper()
	return b.moonctlWithin(waitLimit, args...)
}

// moonctlWithin is moonctl with a limit of its own.
func (b *board) moonctlWithin(limit time.Duration, args ...string) result {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), limit)
	defer cancel()
	cmd := exec.CommandContext(ctx, moonctlBin, append([]string{"-p", b.path}, args...)...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	var ee *exec.ExitError
	switch {
	case ctx.Err() != nil:
		b.t.Fatalf("moonctl %s: still running after %v; stderr: %s", strings.Join(args, " "), limit, stderr.String())
	case errors.As(err, &ee):
	case err != nil:
		b.t.Fatalf("moonctl %s: %v", strings.Join(args, " "), err)
	}
	return result{stdout.String(), stderr.String(), cmd.ProcessState.ExitCode()}
}

// ok runs moonctl and fails the test unless it succeeds with nothing on
// stderr; it returns stdout.
func (b *board) ok(args ...string) string {
	b.t.Helper()
	r := b.moonctl(args...)
	if r.code != 0 || r.stderr != "" {
		b.t.Fatalf("moonctl %s: exit %d, stderr %q", strings.Join(args, " "), r.code, r.stderr)
	}
	return r.stdout
}

// fails runs moonctl, expecting exit status 1 and a one-line error that
// contains want.
func (b *board) fails(want string, args ...string) {
	b.t.Helper()
	r := b.moonctl(args...)
	if r.code != 1 || !strings.Contains(r.stderr, want) || strings.Count(r.stderr, "\n") != 1 || !strings.HasPrefix(r.stderr, "moonctl: ") {
		b.t.Fatalf("moonctl %s: exit %d, stderr %q; want exit 1 and one line with %q", strings.Join(args, " "), r.code, r.stderr, want)
	}
}

// started is a moonctl process still running, with a pipe to its stdin
// and its output collected.
type started struct {
	t      testing.TB
	cmd    *exec.Cmd
	stdin  io.WriteCloser
	stdout *expect.Buffer
	stderr *expect.Buffer
	done   chan error
}

func (b *board) start(args ...string) *started {
	b.t.Helper()
	return startProcess(b.t, exec.Command(moonctlBin, append([]string{"-p", b.path}, args...)...))
}

// startProcess starts cmd on pipes, killed when the test ends if it still
// runs (or when the test process dies).
func startProcess(t testing.TB, cmd *exec.Cmd) *started {
	t.Helper()
	cmd.SysProcAttr = orphanKilled()
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	s := &started{t: t, cmd: cmd, stdin: stdin, stdout: newOutput(t), stderr: newOutput(t), done: make(chan error, 1)}
	cmd.Stdout, cmd.Stderr = s.stdout, s.stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { s.done <- cmd.Wait() }()
	t.Cleanup(func() {
		select {
		case <-s.done:
		default:
			cmd.Process.Kill()
			<-s.done
		}
	})
	return s
}

// newOutput collects a process's output and lets a test wait for text in it.
func newOutput(t testing.TB) *expect.Buffer {
	out := expect.NewBuffer(t)
	out.Timeout = waitLimit
	return out
}

// wait waits for the process to exit and returns its status.
func (s *started) wait() int {
	s.t.Helper()
	select {
	case <-s.done:
		s.done <- nil // later waits, and the cleanup, see it has ended
		return s.cmd.ProcessState.ExitCode()
	case <-time.After(waitLimit):
		s.t.Fatalf("moonctl still running after %v; stderr: %s", waitLimit, s.stderr.String())
		return -1
	}
}

// watcher reports file events in a directory (inotify), so a test can act
// at a given point of a transfer without sleeping.
type watcher struct {
	t testing.TB
	f *os.File
}

func watch(t testing.TB, dir string) *watcher {
	t.Helper()
	fd, err := unix.InotifyInit1(unix.IN_NONBLOCK | unix.IN_CLOEXEC)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := unix.InotifyAddWatch(fd, dir, unix.IN_CREATE|unix.IN_MODIFY|unix.IN_MOVED_TO); err != nil {
		unix.Close(fd)
		t.Fatal(err)
	}
	w := &watcher{t: t, f: os.NewFile(uintptr(fd), "inotify")}
	t.Cleanup(func() { w.f.Close() })
	return w
}

// watchUploads watches the device root's temporary directory, where an
// upload is written until it is renamed over its file, making it first
// (the device makes it at its first upload).
func watchUploads(t testing.TB, root string) *watcher {
	t.Helper()
	dir := filepath.Join(root, ".~moonpin-tmp")
	if err := os.Mkdir(dir, 0o700); err != nil && !errors.Is(err, fs.ErrExist) {
		t.Fatal(err)
	}
	return watch(t, dir)
}

// waitFor reads events until n of them are of a kind in mask on a file
// whose name starts with prefix.
func (w *watcher) waitFor(mask uint32, prefix string, n int) {
	w.t.Helper()
	w.f.SetReadDeadline(time.Now().Add(waitLimit))
	buf := make([]byte, 64<<10)
	for n > 0 {
		got, err := w.f.Read(buf)
		if err != nil {
			w.t.Fatalf("waiting for %d more events on %s*: %v", n, prefix, err)
		}
		for off := 0; off+unix.SizeofInotifyEvent <= got; {
			ev := (*unix.InotifyEvent)(unsafe.Pointer(&buf[off]))
			nameBytes := buf[off+unix.SizeofInotifyEvent : off+unix.SizeofInotifyEvent+int(ev.Len)]
			name := strings.TrimRight(string(nameBytes), "\x00")
			if ev.Mask&mask != 0 && strings.HasPrefix(name, prefix) {
				n--
			}
			off += unix.SizeofInotifyEvent + int(ev.Len)
		}
	}
}

func sum(t testing.TB, p string) [32]byte {
	t.Helper()
	data, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	return sha256.Sum256(data)
}

// treeSums maps each file under dir (by slash path) to its sha256.
func treeSums(t testing.TB, dir string) map[string][32]byte {
	t.Helper()
	out := map[string][32]byte{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		out[filepath.ToSlash(rel)] = sum(t, p)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// tempFiles lists files under dir that a transfer left behind.
func tempFiles(t testing.TB, dir string) []string {
	t.Helper()
	var out []string
	filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && (strings.HasPrefix(d.Name(), ".~moonpin-") || strings.Contains(d.Name(), ".moonctl-")) {
			out = append(out, p)
		}
		return nil
	})
	return out
}

func inode(t testing.TB, p string) uint64 {
	t.Helper()
	fi, err := os.Stat(p)
	if err != nil {
		t.Fatal(err)
	}
	return fi.Sys().(*syscall.Stat_t).Ino
}
