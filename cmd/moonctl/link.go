package main

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net"
	"net/url"
	"os"
	"os/exec"
	"strings"
	"sync"
	"syscall"
	"time"
)

// Network ports: -p unix:///run/moonpin/repl.sock is the socket of a
// moonpin on this machine; -p ssh://[user@]host[:port][/socket] runs
// `moonpin attach` on the board through the system's ssh, with the user's
// keys, agent, known_hosts and config.
const (
	unixScheme = "unix://"
	sshScheme  = "ssh://"
)

// isNetworkPort reports whether port names a socket or an ssh link rather
// than a serial port.
func isNetworkPort(port string) bool {
	return strings.HasPrefix(port, unixScheme) || strings.HasPrefix(port, sshScheme)
}

// dialUnix connects to a moonpin's socket.
func dialUnix(port string) (io.ReadWriteCloser, error) {
	path := strings.TrimPrefix(port, unixScheme)
	c, err := net.Dial("unix", path)
	if err != nil {
		hint := ""
		switch {
		case errors.Is(err, os.ErrNotExist) || errors.Is(err, syscall.ECONNREFUSED):
			hint = "; is moonpin running with --socket " + path + "?"
		case errors.Is(err, os.ErrPermission):
			hint = "; is this user in the moonpin service's group?"
		}
		return nil, fmt.Errorf("%s: %w%s", port, err, hint)
	}
	return c, nil
}

// sshLink is `ssh HOST moonpin attach` as a connection: moonctl's protocol
// runs over its stdin and stdout. When it ends, diagnosis explains why in
// the user's terms (an unknown host key, a refused key, no moonpin there).
type sshLink struct {
	port   string
	cmd    *exec.Cmd
	stdin  io.WriteCloser
	stdout io.ReadCloser
	stderr *tailBuffer

	waitOnce sync.Once
	waitErr  error
}

// sshArgs returns the command line for port: MOONCTL_SSH_COMMAND replaces
// "ssh" (words split at spaces), MOONCTL_REMOTE_MOONPIN replaces "moonpin"
// on the board. BatchMode keeps ssh from asking questions (a password, a
// new host key) on a terminal that moonctl drives; interactive (moonctl
// repl) lets it.
func sshArgs(port string, interactive bool) ([]string, error) {
	u, err := url.Parse(port)
	if err != nil || u.Host == "" || u.Hostname() == "" {
		return nil, usagef("-p %s: want ssh://[user@]host[:port]", port)
	}
	args := strings.Fields(os.Getenv("MOONCTL_SSH_COMMAND"))
	if len(args) == 0 {
		args = []string{"ssh"}
	}
	args = append(args, "-T", "-o", "ServerAliveInterval=5", "-o", "ServerAliveCountMax=3")
	if !interactive {
		args = append(args, "-o", "BatchMode=yes")
	}
	if u.Port() != "" {
		args = append(args, "-p", u.Port())
	}
	if u.User != nil && u.User.Username() != "" {
		args = append(args, "-l", u.User.Username())
	}
	remote := os.Getenv("MOONCTL_REMOTE_MOONPIN")
	if remote == "" {
		remote = "moonpin"
	}
	remote += " attach"
	if u.Path != "" && u.Path != "/" {
		remote += " " + shellQuote(u.Path)
	}
	return append(args, "--", u.Hostname(), remote), nil
}

func shellQuote(s string) string { return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'" }

func dialSSH(port string, interactive bool) (*sshLink, error) {
	args, err := sshArgs(port, interactive)
	if err != nil {
		return nil, err
	}
	cmd := exec.Command(args[0], args[1:]...)
	l := &sshLink{port: port, cmd: cmd, stderr: &tailBuffer{max: 4 << 10}}
	if interactive {
		// ssh asks for passwords on /dev/tty; its other messages go here.
		cmd.Stderr = io.MultiWriter(l.stderr, os.Stderr)
	} else {
		cmd.Stderr = l.stderr
	}
	if l.stdin, err = cmd.StdinPipe(); err != nil {
		return nil, err
	}
	if l.stdout, err = cmd.StdoutPipe(); err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("%s: running %s: %w; is OpenSSH's client installed?", port, args[0], err)
	}
	return l, nil
}

func (l *sshLink) Read(p []byte) (int, error)  { return l.stdout.Read(p) }
func (l *sshLink) Write(p []byte) (int, error) { return l.stdin.Write(p) }

// Close ends the session: the end of its stdin ends `moonpin attach`, and
// ssh with it; one that does not go within a few seconds is killed.
func (l *sshLink) Close() error {
	l.stdin.Close()
	done := make(chan struct{})
	go func() { l.wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(3 * time.Second):
		_ = l.cmd.Process.Kill()
		<-done
	}
	return nil
}

func (l *sshLink) wait() error {
	l.waitOnce.Do(func() {
		// Reading stdout to its end first, as exec requires before Wait.
		_, _ = io.Copy(io.Discard, l.stdout)
		l.waitErr = l.cmd.Wait()
	})
	return l.waitErr
}

// diagnosis says why the link ended, once ssh has exited, in terms of what
// to do; "" if ssh is still running or said nothing useful.
func (l *sshLink) diagnosis() string {
	done := make(chan struct{})
	go func() { l.wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(2 * time.Second):
		return ""
	}
	said := strings.TrimSpace(l.stderr.String())
	last := said
	if i := strings.LastIndexByte(said, '\n'); i >= 0 {
		last = strings.TrimSpace(said[i+1:])
	}
	u, _ := url.Parse(l.port)
	host := u.Hostname()
	switch {
	case strings.Contains(said, "Host key verification failed") || strings.Contains(said, "No ED25519 host key is known") || strings.Contains(said, "host key is known"):
		return fmt.Sprintf("%s: ssh does not know the host key of %s (%s); connect once with `ssh %s` to check and accept it, then try again", l.port, host, last, host)
	case strings.Contains(said, "REMOTE HOST IDENTIFICATION HAS CHANGED"):
		return fmt.Sprintf("%s: the host key of %s has changed; if the board was reinstalled, remove the old key with `ssh-keygen -R %s`", l.port, host, host)
	case strings.Contains(said, "Permission denied ("):
		return fmt.Sprintf("%s: the board refused the login (%s); moonctl uses ssh's keys and agent without asking for a password: add your key with `ssh-copy-id %s`", l.port, last, host)
	case strings.Contains(said, "Could not resolve hostname") || strings.Contains(said, "Connection refused") || strings.Contains(said, "timed out") || strings.Contains(said, "No route to host"):
		return fmt.Sprintf("%s: ssh could not reach %s: %s", l.port, host, last)
	case strings.Contains(said, "command not found") || strings.Contains(said, "not found") || exitCode(l.waitErr) == 127:
		return fmt.Sprintf("%s: no moonpin on %s (%s); install it there, or set MOONCTL_REMOTE_MOONPIN to its path", l.port, host, last)
	case strings.Contains(said, "moonpin attach:"):
		return fmt.Sprintf("%s: %s", l.port, last)
	case said != "":
		return fmt.Sprintf("%s: ssh ended: %s", l.port, last)
	}
	return ""
}

func exitCode(err error) int {
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		return ee.ExitCode()
	}
	return 0
}

// tailBuffer keeps the last max bytes written to it.
type tailBuffer struct {
	mu  sync.Mutex
	max int
	b   bytes.Buffer
}

func (t *tailBuffer) Write(p []byte) (int, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.b.Write(p)
	if over := t.b.Len() - t.max; over > 0 {
		t.b.Next(over)
	}
	return len(p), nil
}

func (t *tailBuffer) String() string {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.b.String()
}
