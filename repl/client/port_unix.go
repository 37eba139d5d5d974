//go:build unix

package client

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"golang.org/x/sys/unix"
	"golang.org/x/term"
)

// lockPort takes an advisory lock (flock) on the port through a descriptor
// of its own, before anything is sent: a busy port is left untouched.
func lockPort(path string) (io.Closer, error) {
	fd, err := unix.Open(path, unix.O_RDONLY|unix.O_NOCTTY|unix.O_NONBLOCK|unix.O_CLOEXEC, 0)
	switch {
	case errors.Is(err, unix.EBUSY):
		return nil, busyError(path)
	case errors.Is(err, unix.EACCES):
		return nil, fmt.Errorf("open %s: %w; is the user in group dialout?", path, err)
	case err != nil:
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	if err := unix.Flock(fd, unix.LOCK_EX|unix.LOCK_NB); err != nil {
		unix.Close(fd)
		if errors.Is(err, unix.EWOULDBLOCK) {
			return nil, busyError(path)
		}
		return nil, fmt.Errorf("lock %s: %w", path, err)
	}
	return os.NewFile(uintptr(fd), path), nil
}

// openPort opens a pty slave as a file set raw (as a serial port is: 8-bit
// clean, no echo), anything else as a serial port.
func openPort(path string, baud int) (io.ReadWriteCloser, error) {
	if !strings.HasPrefix(path, "/dev/pts/") {
		return openSerial(path, baud)
	}
	f, err := os.OpenFile(path, os.O_RDWR|unix.O_NOCTTY, 0)
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	if err := makeRaw(f); err != nil {
		f.Close()
		return nil, fmt.Errorf("setting %s raw: %w", path, err)
	}
	return f, nil
}

// makeRaw sets f raw through SyscallConn: f.Fd would make the descriptor
// blocking, and then Close could not stop the reader.
func makeRaw(f *os.File) error {
	rc, err := f.SyscallConn()
	if err != nil {
		return err
	}
	var rawErr error
	if err := rc.Control(func(fd uintptr) { _, rawErr = term.MakeRaw(int(fd)) }); err != nil {
		return err
	}
	return rawErr
}

// portHolders names the other processes that have path open ("screen (pid
// 812)"), from /proc where there is one. For a pty, the process that holds
// its master too (socat linking two ptys, moonpin --pty) is the far end of
// the line, not another client, and is left out.
func portHolders(path string) []string {
	procs, err := os.ReadDir("/proc")
	if err != nil {
		return nil
	}
	ptyIndex := strings.TrimPrefix(path, "/dev/pts/")
	if ptyIndex == path {
		ptyIndex = ""
	}
	self := os.Getpid()
	var out []string
	for _, p := range procs {
		pid, err := strconv.Atoi(p.Name())
		if err != nil || pid == self {
			continue
		}
		dir := filepath.Join("/proc", p.Name())
		fds, err := os.ReadDir(filepath.Join(dir, "fd"))
		if err != nil {
			continue
		}
		holds, master := false, false
		for _, fd := range fds {
			target, err := os.Readlink(filepath.Join(dir, "fd", fd.Name()))
			if err != nil {
				continue
			}
			holds = holds || target == path
			if target == "/dev/ptmx" && ptyIndex != "" {
				info, _ := os.ReadFile(filepath.Join(dir, "fdinfo", fd.Name()))
				master = master || strings.Contains(string(info), "tty-index:\t"+ptyIndex+"\n")
			}
		}
		if holds && !master {
			comm, _ := os.ReadFile(filepath.Join(dir, "comm"))
			out = append(out, fmt.Sprintf("%s (pid %d)", strings.TrimSpace(string(comm)), pid))
		}
	}
	return out
}
