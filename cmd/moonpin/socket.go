package main

import (
	"errors"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"time"

	"golang.org/x/sys/unix"
)

// socketName is the socket's name in $RUNTIME_DIRECTORY, where systemd's
// RuntimeDirectory= puts it for a service (/run/moonpin/repl.sock).
const socketName = "repl.sock"

// defaultSocket is the socket path of the service: $RUNTIME_DIRECTORY (its
// first entry)/repl.sock, or "" outside a service that has one.
func defaultSocket() string {
	dir, _, _ := strings.Cut(os.Getenv("RUNTIME_DIRECTORY"), ":")
	if dir == "" {
		return ""
	}
	return filepath.Join(dir, socketName)
}

// socketTransport serves the REPL on a Unix socket, for `moonpin attach`
// (and so ssh) and `moonctl -p unix://PATH`. Each connection is a client.
type socketTransport struct {
	ln   *net.UnixListener
	path string
	lock *os.File // flock'ed for as long as moonpin serves path

	mu    sync.Mutex
	conns map[net.Conn]struct{} // guarded by mu
	wg    sync.WaitGroup
}

// openSocket listens on path, mode 0660. The lock file path.lock tells a
// socket left by a moonpin that was killed (replaced) from one another
// moonpin serves (refused).
func openSocket(path string) (*socketTransport, error) {
	lock, err := os.OpenFile(path+".lock", os.O_RDWR|os.O_CREATE|syscall.O_CLOEXEC, 0o600)
	if err != nil {
		return nil, fmt.Errorf("--socket %s: %w", path, err)
	}
	if err := unix.Flock(int(lock.Fd()), unix.LOCK_EX|unix.LOCK_NB); err != nil {
		lock.Close()
		if errors.Is(err, unix.EWOULDBLOCK) {
			return nil, fmt.Errorf("--socket %s: another moonpin is serving it (it holds %s.lock); stop that one or choose another path", path, path)
		}
		return nil, fmt.Errorf("--socket %s: locking %s.lock: %w", path, path, err)
	}
	// The lock is ours, so a socket there is a dead moonpin's.
	if err := os.Remove(path); err != nil && !errors.Is(err, os.ErrNotExist) {
		lock.Close()
		return nil, fmt.Errorf("--socket %s: removing the old socket: %w", path, err)
	}
	// The umask keeps the socket from being reachable by others even
	// between its creation and the chmod.
	old := unix.Umask(0o117)
	ln, err := net.ListenUnix("unix", &net.UnixAddr{Name: path, Net: "unix"})
	unix.Umask(old)
	if err == nil {
		err = os.Chmod(path, 0o660)
	}
	if err != nil {
		if ln != nil {
			ln.Close()
		}
		lock.Close()
		return nil, fmt.Errorf("--socket %s: %w", path, err)
	}
	ln.SetUnlinkOnClose(true)
	return &socketTransport{ln: ln, path: path, lock: lock, conns: map[net.Conn]struct{}{}}, nil
}

// serve gives each connection the session, taking it over, until Close.
func (s *socketTransport) serve(ss *sessions) {
	var delay time.Duration
	for {
		c, err := s.ln.Accept()
		if err != nil {
			if errors.Is(err, net.ErrClosed) {
				break
			}
			// Out of descriptors and the like: wait a little, longer
			// each time, rather than spin on the error.
			delay = min(max(2*delay, 5*time.Millisecond), time.Second)
			time.Sleep(delay)
			continue
		}
		delay = 0
		s.mu.Lock()
		if s.conns == nil { // closed meanwhile
			s.mu.Unlock()
			c.Close()
			break
		}
		s.conns[c] = struct{}{}
		s.wg.Add(1)
		s.mu.Unlock()
		go func() {
			defer s.wg.Done()
			// Taken over, the client's reads and writes end at once (the
			// session's output stops where it is), and it gets the notice
			// before it is disconnected.
			if took, _ := ss.serve(c, func() { _ = c.SetDeadline(time.Now()) }); took != nil {
				_ = c.SetWriteDeadline(time.Now().Add(noticeWait))
				_, _ = c.Write(takeoverNotice(""))
			}
			c.Close()
			s.mu.Lock()
			delete(s.conns, c)
			s.mu.Unlock()
		}()
	}
	s.wg.Wait()
}

// Close stops listening, removes the socket, ends every connection and
// releases the lock.
func (s *socketTransport) Close() error {
	err := s.ln.Close()
	s.mu.Lock()
	for c := range s.conns {
		c.Close()
	}
	s.conns = nil
	s.mu.Unlock()
	s.wg.Wait()
	s.lock.Close()
	return err
}
