package main

import (
	"bytes"
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/moonpin/moonpin/internal/expect"
	"github.com/moonpin/moonpin/internal/keyboard"
	"golang.org/x/sys/unix"
)

// startSocketBoard is a moonpin serving a pty and the socket it returns.
func startSocketBoard(t testing.TB, files map[string]string) (*board, string) {
	t.Helper()
	sock := filepath.Join(t.TempDir(), "repl.sock")
	return startBoardArgs(t, files, "--socket", sock), sock
}

// leaveSocket connects to the socket, sends what and goes without reading.
func leaveSocket(t testing.TB, sock, what string) {
	t.Helper()
	c, err := net.Dial("unix", sock)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.Write([]byte(what)); err != nil {
		t.Fatal(err)
	}
	c.Close()
}

// attach starts `moonpin attach sock` on pipes.
func attach(t testing.TB, sock string) *started {
	t.Helper()
	return startProcess(t, exec.Command(moonpinBin, "attach", sock))
}

// TestSocketMode: the socket is a socket, readable and writable by owner
// and group only.
func TestSocketMode(t *testing.T) {
	_, sock := startSocketBoard(t, nil)
	fi, err := os.Stat(sock)
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode().Type() != os.ModeSocket || fi.Mode().Perm() != 0o660 {
		t.Fatalf("socket %s has mode %v; want a socket with 0660", sock, fi.Mode())
	}
}

// TestSocketHandOver: a client on either transport takes the session over
// from one on the other, and gets nothing the one before left: unread
// output, the raw REPL, half a frame.
func TestSocketHandOver(t *testing.T) {
	b, sock := startSocketBoard(t, nil)
	u := b.via("unix://" + sock)
	for i := range 3 {
		b.leave(`print("SECRET-"..(6*7))` + "\r")
		if r := u.moonctl("exec", "print('next')"); r.code != 0 || r.stdout != "next\n" || strings.Contains(r.stdout+r.stderr, "SECRET") {
			t.Fatalf("round %d: the socket client after a pty client got %+v", i, r)
		}
		leaveSocket(t, sock, `print("SECRET-"..(6*7))`+"\r")
		if r := b.moonctl("exec", "print('next')"); r.code != 0 || r.stdout != "next\n" || strings.Contains(r.stdout+r.stderr, "SECRET") {
			t.Fatalf("round %d: the pty client after a socket client got %+v", i, r)
		}
	}
	for _, l := range leftovers {
		b.leave(l.bytes)
		if r := u.moonctl("exec", "print('next')"); r.code != 0 || r.stdout != "next\n" {
			t.Fatalf("%s on the pty, then exec over the socket: %+v", l.name, r)
		}
		leaveSocket(t, sock, l.bytes)
		if r := b.moonctl("exec", "print('next')"); r.code != 0 || r.stdout != "next\n" {
			t.Fatalf("%s on the socket, then exec over the pty: %+v", l.name, r)
		}
	}
}

// TestSocketClientTakenOver: a socket client whose session a pty client
// takes is disconnected, and sees nothing of the new session; a pty client
// whose session a socket client took gets it back by typing.
func TestSocketClientTakenOver(t *testing.T) {
	b, sock := startSocketBoard(t, nil)
	c, err := net.Dial("unix", sock)
	if err != nil {
		t.Fatal(err)
	}
	got := newOutput(t)
	ended := make(chan error, 1)
	go func() {
		_, err := io.Copy(got, c)
		ended <- err
	}()
	t.Cleanup(func() {
		c.Close()
		<-ended
	})
	c.Write([]byte("\r"))
	got.Expect("> ")
	if out := b.ok("exec", "print('on the pty')"); out != "on the pty\n" {
		t.Fatalf("exec on the pty: %q", out)
	}
	select {
	case err := <-ended:
		ended <- err // for the cleanup
		if err != nil {
			t.Fatalf("the socket client taken over: %v", err)
		}
	case <-time.After(waitLimit):
		t.Fatal("the socket client taken over is still connected")
	}
	if strings.Contains(got.String(), "on the pty") {
		t.Fatalf("the socket client saw the next session: %q", got.String())
	}

	f := openRawPty(t, b.path)
	p := expect.New(t, f)
	p.Send("\r")
	p.Expect("> ")
	if out := b.via("unix://"+sock).ok("exec", "print('over the socket')"); out != "over the socket\n" {
		t.Fatalf("exec over the socket: %q", out)
	}
	p.Send("print('back'..'again')\r")
	p.Expect("backagain\r\n> ")
	if strings.Contains(p.String(), "over the socket") {
		t.Fatalf("the pty client saw the socket's session: %q", p.String())
	}
}

// TestSocketAndSerialPort: on a serial line the client is whoever types,
// so after a socket client takes the session, the line's next bytes take it
// back, all of them: the first ones moonctl sends were once lost (read by
// the session just taken over), and its raw REPL request then waited 2.5 s
// to ask again; --timeout 2s makes that a failure.
func TestSocketAndSerialPort(t *testing.T) {
	sock := filepath.Join(t.TempDir(), "repl.sock")
	b := startPortBoard(t, nil, "--socket", sock)
	u := b.via("unix://" + sock)
	for i := range 10 {
		if got := b.ok("--timeout", "2s", "exec", fmt.Sprintf("print('line %d')", i)); got != fmt.Sprintf("line %d\n", i) {
			t.Fatalf("round %d: exec on the serial line: %q", i, got)
		}
		// moonctl's last bytes (back to the friendly REPL) may still be
		// in socat when it exits, and would take the session back from
		// the socket client: wait until moonpin has answered a line sent
		// after them.
		lineSynced(t, b.path, fmt.Sprintf("synced-%d", i))
		leaveSocket(t, sock, `print("SECRET-"..(6*7))`+"\r")
		if got := u.ok("--timeout", "2s", "exec", fmt.Sprintf("print('socket %d')", i)); got != fmt.Sprintf("socket %d\n", i) {
			t.Fatalf("round %d: exec over the socket: %q", i, got)
		}
	}
}

// lineSynced prints mark on the serial line at path, waits for it and the
// prompt after it, and closes the line: all that was sent before has been
// read.
func lineSynced(t testing.TB, path, mark string) {
	t.Helper()
	f, err := os.OpenFile(path, os.O_RDWR|unix.O_NOCTTY, 0)
	if err != nil {
		t.Fatal(err)
	}
	rawFile(t, f)
	s := expect.New(t, f)
	s.Timeout = waitLimit
	s.Send(fmt.Sprintf("\rprint('%s'..'%s')\r", mark[:1], mark[1:]))
	s.Expect(mark + "\r\n> ")
	s.Close()
}

// TestSocketStaleAndLive: a socket that a moonpin serves is refused to a
// second one; one left by a moonpin that was killed is replaced.
func TestSocketStaleAndLive(t *testing.T) {
	sock := filepath.Join(t.TempDir(), "repl.sock")
	first := exec.Command(moonpinBin, "--socket", sock, "--root", t.TempDir())
	first.SysProcAttr = orphanKilled()
	firstErr := newOutput(t)
	first.Stderr = firstErr
	if err := first.Start(); err != nil {
		t.Fatal(err)
	}
	firstErr.Expect("serving the REPL on the socket")

	ctx, cancel := context.WithTimeout(context.Background(), waitLimit)
	defer cancel()
	out, err := exec.CommandContext(ctx, moonpinBin, "--socket", sock, "--root", t.TempDir()).CombinedOutput()
	if code := exitStatus(err); code != 1 || !strings.Contains(string(out), "another moonpin is serving it") {
		t.Fatalf("a second moonpin on a live socket: exit %d, %q; want 1 and a refusal", code, out)
	}

	first.Process.Signal(syscall.SIGKILL)
	first.Wait()
	if _, err := os.Stat(sock); err != nil {
		t.Fatalf("the killed moonpin's socket: %v; the test needs it left behind", err)
	}
	b := startBoardArgs(t, nil, "--socket", sock)
	if got := b.via("unix://"+sock).ok("eval", "6*7"); got != "42\n" {
		t.Fatalf("eval over the replaced socket: %q", got)
	}
}

// TestSocketFromRuntimeDirectory: as a service with RuntimeDirectory=,
// moonpin serves $RUNTIME_DIRECTORY/repl.sock beside its port; --socket off
// turns it off.
func TestSocketFromRuntimeDirectory(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("RUNTIME_DIRECTORY", dir)
	b := startBoard(t, nil)
	if got := b.via("unix://"+filepath.Join(dir, "repl.sock")).ok("eval", "1+1"); got != "2\n" {
		t.Fatalf("eval over $RUNTIME_DIRECTORY/repl.sock: %q", got)
	}

	other := t.TempDir()
	t.Setenv("RUNTIME_DIRECTORY", other)
	startBoardArgs(t, nil, "--socket", "off").ok("eval", "1")
	if _, err := os.Stat(filepath.Join(other, "repl.sock")); err == nil {
		t.Fatal("--socket off still made a socket")
	}
}

// TestSocketDefaultFails: a default socket that cannot be made (here
// $RUNTIME_DIRECTORY does not exist) does not stop moonpin: the REPL on its
// port must stay reachable, or a service would restart in a loop.
func TestSocketDefaultFails(t *testing.T) {
	t.Setenv("RUNTIME_DIRECTORY", filepath.Join(t.TempDir(), "none"))
	if got := startBoard(t, nil).ok("eval", "1+1"); got != "2\n" {
		t.Fatalf("eval on the pty: %q", got)
	}
}

// TestAttachPipe: attach on pipes bridges them, and ends when its stdin
// does, or when another client takes the session.
func TestAttachPipe(t *testing.T) {
	b, sock := startSocketBoard(t, nil)
	a := attach(t, sock)
	a.stdin.Write([]byte("print(6*7)\r"))
	a.stdout.Expect("42\r\n> ")
	a.stdin.Close()
	if code := a.wait(); code != 0 {
		t.Fatalf("attach after the end of stdin: exit %d; stderr %s", code, a.stderr.String())
	}
	a = attach(t, sock)
	a.stdin.Write([]byte("\r"))
	a.stdout.Expect("> ")
	b.ok("exec", "print('on the pty')")
	if code := a.wait(); code != 0 {
		t.Fatalf("attach taken over: exit %d; stderr %s", code, a.stderr.String())
	}
	r, err := exec.Command(moonpinBin, "attach", filepath.Join(t.TempDir(), "none.sock")).CombinedOutput()
	if exitStatus(err) != 1 || !strings.Contains(string(r), "no REPL at") {
		t.Fatalf("attach to no socket: %v, %q", err, r)
	}
}

// TestAttachTerminal: on a terminal, attach passes control keys (Ctrl-C
// interrupts) and Ctrl-] leaves it.
func TestAttachTerminal(t *testing.T) {
	_, sock := startSocketBoard(t, nil)
	tm := newTerminal(t)
	cmd := exec.Command(moonpinBin, "attach", sock)
	cmd.Stdout = tm.slave
	// On the pty as its controlling terminal: were it not raw, Ctrl-C
	// there would be SIGINT to attach rather than a key for the REPL.
	p := tm.start(t, cmd)
	tm.out.Expect("Ctrl-] or Ctrl-X leaves")
	tm.master.WriteString("\r")
	tm.out.Expect("> ")
	tm.master.WriteString("while true do end\r")
	// Ctrl-C interrupts what runs; sent with the line, it would only
	// be queued behind it.
	tm.out.Expect("while true do end\r\n")
	tm.master.WriteString("\x03")
	tm.out.Expect("interrupted")
	tm.out.Expect("> ")
	tm.master.WriteString("\x1d")
	if err := p.wait(t, "attach, after Ctrl-]"); err != nil {
		t.Fatalf("attach left with Ctrl-]: %v", err)
	}
}

// sshServer is an sshd on a loopback port with a host key and a user key of
// its own; moonctl reaches it through the environment the test sets.
type sshServer struct {
	port      int
	dir       string
	sshCmd    string // MOONCTL_SSH_COMMAND for this server
	knownHost string
}

// startSSHD starts sshd as the current user, with a config in a temporary
// directory. Without sshd the test skips, except in CI, where it fails.
func startSSHD(t testing.TB) *sshServer {
	t.Helper()
	const sshd = "/usr/sbin/sshd"
	missing := ""
	if _, err := os.Stat(sshd); err != nil {
		missing = sshd
	}
	for _, tool := range []string{"ssh", "ssh-keygen"} {
		if _, err := exec.LookPath(tool); err != nil {
			missing = tool
		}
	}
	if missing != "" {
		if os.Getenv("CI") == "true" {
			t.Fatalf("%s is missing; CI installs openssh-server and openssh-client (.ci/run)", missing)
		}
		t.Skipf("%s is missing (apt-get install openssh-server openssh-client)", missing)
	}
	dir := t.TempDir()
	for _, key := range []string{"host_key", "user_key"} {
		if out, err := exec.Command("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", filepath.Join(dir, key)).CombinedOutput(); err != nil {
			t.Fatalf("ssh-keygen: %v: %s", err, out)
		}
	}
	pub, err := os.ReadFile(filepath.Join(dir, "user_key.pub"))
	if err != nil {
		t.Fatal(err)
	}
	writeTree(t, dir, map[string]string{"authorized_keys": string(pub)})
	// A free port: sshd reports the one it took in its log.
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := l.Addr().(*net.TCPAddr).Port
	l.Close()
	config := fmt.Sprintf(`Port %d
ListenAddress 127.0.0.1
HostKey %[2]s/host_key
AuthorizedKeysFile %[2]s/authorized_keys
PidFile none
StrictModes no
UsePAM no
PasswordAuthentication no
KbdInteractiveAuthentication no
PubkeyAuthentication yes
PermitRootLogin yes
LogLevel INFO
`, port, dir)
	writeTree(t, dir, map[string]string{"sshd_config": config})
	cmd := exec.Command(sshd, "-D", "-e", "-f", filepath.Join(dir, "sshd_config"))
	cmd.SysProcAttr = orphanKilled()
	log := newOutput(t)
	cmd.Stdout, cmd.Stderr = log, log
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	t.Cleanup(func() {
		cmd.Process.Kill()
		<-done
	})
	log.Expect(fmt.Sprintf("Server listening on 127.0.0.1 port %d", port))
	hostPub, err := os.ReadFile(filepath.Join(dir, "host_key.pub"))
	if err != nil {
		t.Fatal(err)
	}
	s := &sshServer{port: port, dir: dir, knownHost: fmt.Sprintf("[127.0.0.1]:%d %s", port, hostPub)}
	writeTree(t, dir, map[string]string{"known_hosts": s.knownHost})
	s.sshCmd = s.client("user_key", "known_hosts")
	t.Setenv("MOONCTL_SSH_COMMAND", s.sshCmd)
	t.Setenv("MOONCTL_REMOTE_MOONPIN", moonpinBin)
	return s
}

// client is the ssh command with key and known_hosts (files in s.dir) and
// nothing from the user's own ssh setup.
func (s *sshServer) client(key, knownHosts string) string {
	return fmt.Sprintf("ssh -F /dev/null -o IdentitiesOnly=yes -o IdentityAgent=none -i %s -o UserKnownHostsFile=%s -o StrictHostKeyChecking=yes",
		filepath.Join(s.dir, key), filepath.Join(s.dir, knownHosts))
}

func (s *sshServer) url(sock string) string {
	return fmt.Sprintf("ssh://127.0.0.1:%d%s", s.port, sock)
}

// TestNetworkCommands: every command moonctl has for a board works the same
// over unix:// and ssh:// as over the pty.
func TestNetworkCommands(t *testing.T) {
	srv := startSSHD(t)
	b, sock := startSocketBoard(t, map[string]string{"main.lua": "print('main ' .. 'ran')\n"})
	big := make([]byte, 1<<20+12345)
	rand.Read(big)
	local := t.TempDir()
	writeTree(t, local, map[string]string{"big.bin": string(big), "hello.lua": "print('hello from ' .. 'a file')\nerror('on purpose')\n"})
	for _, port := range []string{"unix://" + sock, srv.url(sock)} {
		t.Run(strings.SplitN(port, ":", 2)[0], func(t *testing.T) {
			n := b.via(port)
			n.t = t
			if got := n.ok("exec", "print(6*7)"); got != "42\n" {
				t.Fatalf("exec: %q", got)
			}
			if got := n.ok("eval", "{1, 2}"); got != "{1, 2}\n" {
				t.Fatalf("eval: %q", got)
			}
			r := n.moonctl("run", filepath.Join(local, "hello.lua"))
			if r.code != 1 || r.stdout != "hello from a file\n" || !strings.Contains(r.stderr, "hello.lua:2: on purpose") {
				t.Fatalf("run: %+v", r)
			}
			n.ok("cp", filepath.Join(local, "big.bin"), ":big.bin")
			if !bytes.Equal(readFile(t, filepath.Join(b.root, "big.bin")), big) {
				t.Fatal("cp to the board: the copy differs")
			}
			back := filepath.Join(t.TempDir(), "back.bin")
			n.ok("cp", ":big.bin", back)
			if !bytes.Equal(readFile(t, back), big) {
				t.Fatal("cp from the board: the copy differs")
			}
			if got := n.ok("ls"); !strings.Contains(got, "big.bin") {
				t.Fatalf("ls: %q", got)
			}
			n.ok("rm", ":big.bin")
			if _, err := os.Stat(filepath.Join(b.root, "big.bin")); err == nil {
				t.Fatal("rm left the file")
			}
			// A fresh Lua state, main.lua run again, and the REPL.
			n.ok("exec", "left = 'over'")
			repl := n.start("reset", "+", "repl")
			repl.stdout.Expect("main ran")
			repl.stdin.Write([]byte("print('left: ' .. tostring(left))\r"))
			repl.stdout.Expect("left: nil")
			repl.stdin.Write([]byte{keyboard.Escape})
			if code := repl.wait(); code != 0 {
				t.Fatalf("repl: exit %d; stderr %s", code, repl.stderr.String())
			}
		})
	}
}

// TestSSHErrors: what goes wrong with ssh is said in the user's terms.
func TestSSHErrors(t *testing.T) {
	srv := startSSHD(t)
	b, sock := startSocketBoard(t, nil)
	n := b.via(srv.url(sock))
	if out, err := exec.Command("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", filepath.Join(srv.dir, "stranger_key")).CombinedOutput(); err != nil {
		t.Fatalf("ssh-keygen: %v: %s", err, out)
	}
	writeTree(t, srv.dir, map[string]string{"empty_known_hosts": ""})

	t.Setenv("MOONCTL_SSH_COMMAND", srv.client("user_key", "empty_known_hosts"))
	n.fails("ssh does not know the host key of 127.0.0.1", "exec", "print(1)")
	t.Setenv("MOONCTL_SSH_COMMAND", srv.client("stranger_key", "known_hosts"))
	n.fails("the board refused the login", "exec", "print(1)")
	t.Setenv("MOONCTL_SSH_COMMAND", srv.sshCmd)
	t.Setenv("MOONCTL_REMOTE_MOONPIN", filepath.Join(t.TempDir(), "moonpin"))
	n.fails("no moonpin on 127.0.0.1", "exec", "print(1)")
	t.Setenv("MOONCTL_REMOTE_MOONPIN", moonpinBin)
	b.via(srv.url(sock+".none")).fails("no REPL at", "exec", "print(1)")
	if got := n.ok("eval", "1+1"); got != "2\n" {
		t.Fatalf("eval after the errors: %q", got)
	}
}

func readFile(t testing.TB, p string) []byte {
	t.Helper()
	data, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// exitStatus is a finished command's exit status; -1 if it did not run.
func exitStatus(err error) int {
	var ee *exec.ExitError
	switch {
	case err == nil:
		return 0
	case errors.As(err, &ee):
		return ee.ExitCode()
	}
	return -1
}

// TestTakeOverFromAStream: a socket client takes the session over from a
// pty or serial client in the middle of `moonctl cp`. The rest of what cp
// had on its way (frames in flight) is not the line's client coming back:
// it once took the session straight back, disconnected the socket client
// and ran in a fresh friendly REPL as typed lines, here each one counting
// itself in a global. It is dropped; the socket client keeps the session,
// cp fails, and the line's next command takes the session back as always.
func TestTakeOverFromAStream(t *testing.T) {
	host := t.TempDir()
	lines := strings.Repeat("leaked = (leaked or 0) + 1\n", 300_000) // 8 MB
	writeTree(t, host, map[string]string{"lines.lua": lines})
	for _, line := range []string{"pty", "serial"} {
		t.Run(line, func(t *testing.T) {
			sock := filepath.Join(t.TempDir(), "repl.sock")
			var b *board
			if line == "pty" {
				b = startBoardArgs(t, nil, "--socket", sock)
			} else {
				b = startPortBoard(t, nil, "--socket", sock)
			}
			w := watchUploads(t, b.root)
			cp := b.start("--timeout", "3s", "cp", filepath.Join(host, "lines.lua"), ":lines.lua")
			w.waitFor(unix.IN_MODIFY, ".~moonpin-", 3)

			c, err := net.Dial("unix", sock)
			if err != nil {
				t.Fatal(err)
			}
			s := expect.New(t, c)
			s.Timeout = waitLimit
			defer s.Close()
			s.Send("\rprint('sock'..'et')\r")
			s.Expect("socket\r\n> ")
			if code := cp.wait(); code == 0 {
				t.Fatalf("cp whose session was taken over succeeded; stderr: %s", cp.stderr.String())
			}
			s.Send("print(leaked, 'still'..'here')\r")
			s.Expect("nil\tstillhere\r\n> ")
			s.Close()

			if got := b.ok("exec", "print(leaked)"); got != "nil\n" {
				t.Fatalf("the line's next command after the socket client: %q", got)
			}
			if _, err := os.Stat(filepath.Join(b.root, "lines.lua")); !errors.Is(err, os.ErrNotExist) {
				t.Fatalf("the interrupted cp left lines.lua on the device: %v", err)
			}
		})
	}
}

// TestTakeoverEndsAPendingRead: a client that leaves Lua waiting in
// io.read, on the pty it keeps open or on the socket it closes, loses the
// read to the client that comes next, as to Ctrl-C: the newcomer is
// greeted at once and its first line runs. It became the old client's
// answer, with no banner until then.
func TestTakeoverEndsAPendingRead(t *testing.T) {
	b, sock := startSocketBoard(t, nil)
	const read = "io.write('?') x = io.read() fs.write('answer.txt', tostring(x))\r"
	f := openRawPty(t, b.path)
	p := expect.New(t, f)
	p.Send("\r")
	p.Expect("> ")
	p.Send(read)
	p.Expect("?")
	for _, via := range []string{"the pty kept open", "the socket closed"} {
		c, err := net.Dial("unix", sock)
		if err != nil {
			t.Fatal(err)
		}
		s := expect.New(t, c)
		s.Timeout = waitLimit
		if got := s.Expect("> "); !strings.Contains(got, "moonpin ") {
			t.Fatalf("after %s: the next client's greeting: %q", via, got)
		}
		s.Send("print('hello from ' .. 'next client')\r")
		s.Expect("hello from next client\r\n> ")
		if _, err := os.Stat(filepath.Join(b.root, "answer.txt")); err == nil {
			t.Fatalf("after %s: the old client's read took the next client's line", via)
		}
		s.Send(read)
		s.Expect("?")
		s.Close()
	}
	p.Close()
}

// TestTakenOverMidCommand: a moonctl whose session another client takes
// over in the middle of a command says so, on either transport, instead of
// "no answer ... is moonpin running on it?" (pty) or "lost the connection
// ... was the board unplugged?" (socket), and the copy it was making leaves
// no file.
func TestTakenOverMidCommand(t *testing.T) {
	b, sock := startSocketBoard(t, nil)
	takenOverMidCommand(t, b, b.via("unix://"+sock))
}

// TestTakenOverMidCommandSerial: the same on a serial line (a linked pty
// pair), where the notice is written on a goroutine of its own.
func TestTakenOverMidCommandSerial(t *testing.T) {
	sock := filepath.Join(t.TempDir(), "repl.sock")
	b := startPortBoard(t, nil, "--socket", sock)
	takenOverMidCommand(t, b, b.via("unix://"+sock))
}

// takenOverMidCommand takes b's session over with u in the middle of a
// moonctl cp on b, and u's with b in the middle of an exec.
func takenOverMidCommand(t *testing.T, b, u *board) {
	local := filepath.Join(t.TempDir(), "big.bin")
	data := make([]byte, 64<<20)
	rand.Read(data)
	if err := os.WriteFile(local, data, 0o644); err != nil {
		t.Fatal(err)
	}
	w := watchUploads(t, b.root)
	cp := b.start("--timeout", "3s", "cp", local, ":big.bin")
	w.waitFor(unix.IN_MODIFY, ".~moonpin-", 2) // the copy is under way
	if out := u.ok("exec", "print('over the socket')"); out != "over the socket\n" {
		t.Fatalf("exec over the socket: %q", out)
	}
	if code := cp.wait(); code == 0 || !strings.Contains(cp.stderr.String(), "another client took over") {
		t.Fatalf("cp taken over: exit %d, stderr %q", code, cp.stderr.String())
	}
	if _, err := os.Stat(filepath.Join(b.root, "big.bin")); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("cp taken over left big.bin: %v", err)
	}

	ex := u.start("--timeout", "3s", "exec", "print('running') while true do end")
	ex.stdout.Expect("running\n")
	if out := b.ok("exec", "print('on the pty')"); out != "on the pty\n" {
		t.Fatalf("exec on the pty: %q", out)
	}
	if code := ex.wait(); code == 0 || !strings.Contains(ex.stderr.String(), "another client took over") {
		t.Fatalf("exec over the socket taken over: exit %d, stderr %q", code, ex.stderr.String())
	}
}
