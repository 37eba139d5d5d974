package fs

import (
	"fmt"
	"io"
	"os"
	"syscall"
)

// ReadRegular reads the whole of full, a path Confine allowed, where it is a
// regular file: a FIFO would block its open for ever (no interrupt reaches
// a goroutine inside open(2)), and a device such as /dev/zero has no end.
// The open does not wait (O_NONBLOCK), so nothing blocks before the check;
// io.open is the way to read a device or a FIFO, interruptibly.
func ReadRegular(full string) ([]byte, error) {
	f, _, err := OpenRegular(full)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return io.ReadAll(f)
}

// OpenRegular opens full for reading where it is a regular file, as
// ReadRegular does, and returns its FileInfo. The file channel's get and
// sha256 open files this way too.
func OpenRegular(full string) (*os.File, os.FileInfo, error) {
	f, err := os.OpenFile(full, os.O_RDONLY|syscall.O_NONBLOCK, 0)
	if err != nil {
		return nil, nil, err
	}
	info, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, nil, err
	}
	if !info.Mode().IsRegular() {
		f.Close()
		return nil, nil, fmt.Errorf("%w (it is a %s); read devices and FIFOs with io.open", errNotRegular, kind(info.Mode()))
	}
	return f, info, nil
}

var errNotRegular = fmt.Errorf("not a regular file")

func kind(m os.FileMode) string {
	switch {
	case m.IsDir():
		return "directory"
	case m&os.ModeNamedPipe != 0:
		return "FIFO"
	case m&os.ModeCharDevice != 0:
		return "character device"
	case m&os.ModeDevice != 0:
		return "block device"
	case m&os.ModeSocket != 0:
		return "socket"
	}
	return "special file"
}
