package fs

import (
	"context"
	"fmt"
	"io"
	"math"
	"os"
	"syscall"

	lua "github.com/yuin/gopher-lua"
)

// ReadRegularFor reads the whole of full, a path Confine allowed, for L's
// script (fs.read, require, dofile, loadfile, boot.lua and main.lua) where
// it is a regular file: a FIFO would block its open for ever (no interrupt
// reaches a goroutine inside open(2)), and a device such as /dev/zero has
// no end; io.open is the way to read those, interruptibly. The file's size
// is checked against L's memory limit before anything is read, and L's
// interrupt between pieces of a megabyte: io.ReadAll took a 1 TB sparse
// file to 18 GB before the limit's sampling noticed, and a Ctrl-C waited
// for the whole read.
func ReadRegularFor(L *lua.LState, full string) ([]byte, error) {
	f, info, err := OpenRegular(full)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	room := checkRoom(L, info.Size()+1)
	// A big buffer is made away from the Lua goroutine, so that Ctrl-C
	// need not wait for its zeroing and page faults (lua.AwaitAlloc).
	buf := lua.AwaitAlloc(L, room, func() []byte { return make([]byte, 0, room) })
	for {
		L.CheckInterrupt()
		if len(buf) == cap(buf) {
			// The file grew since its stat: a buffer twice the size, made
			// and given what was read as the first was made, away from the
			// Lua goroutine where it is big.
			old := buf
			room := checkRoom(L, 2*int64(cap(old)))
			buf = lua.AwaitAlloc(L, room, func() []byte { return append(make([]byte, 0, room), old...) })
		}
		n, err := f.Read(buf[len(buf):min(cap(buf), len(buf)+readPiece)])
		buf = buf[:len(buf)+n]
		if err == io.EOF {
			return buf, nil
		}
		if err != nil {
			return nil, err
		}
	}
}

const readPiece = 1 << 20

// WritePieces writes data to w a megabyte at a time, and stops with ctx's
// error when ctx ends between two pieces: a write of hundreds of megabytes
// takes seconds on an SD card, and Ctrl-C must not wait for it.
func WritePieces(ctx context.Context, w io.Writer, data []byte) error {
	for len(data) > 0 {
		if err := ctx.Err(); err != nil {
			return err
		}
		n, err := w.Write(data[:min(len(data), readPiece)])
		if err != nil {
			return err
		}
		data = data[n:]
	}
	return nil
}

// checkRoom raises the memory error if n bytes would take L past its limit,
// or do not fit in an int, and returns n.
func checkRoom(L *lua.LState, n int64) int {
	if n > int64(math.MaxInt) {
		L.RaiseError("file too large (%d bytes)", n)
	}
	L.CheckAlloc(int(n))
	return int(n)
}

// OpenRegular opens full for reading where it is a regular file, as
// ReadRegularFor does, and returns its FileInfo. The file channel's get and
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
	switch {
	case info.IsDir():
		f.Close()
		return nil, nil, fmt.Errorf("%w (it is a directory)", errNotRegular)
	case !info.Mode().IsRegular():
		f.Close()
		return nil, nil, fmt.Errorf("%w (it is a %s); read devices and FIFOs with io.open", errNotRegular, kind(info.Mode()))
	}
	return f, info, nil
}

var errNotRegular = fmt.Errorf("not a regular file")

func kind(m os.FileMode) string {
	switch {
	case m&os.ModeSymlink != 0:
		return "symlink"
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
