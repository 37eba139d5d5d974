package client

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math/rand/v2"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"syscall"

	"github.com/moonpin/moonpin/internal/fsync"
	"github.com/moonpin/moonpin/repl/internal/wire"
)

// Mount makes dir, a directory of this computer, the device's script root
// until Unmount or Close (moonctl mount): the device's require, dofile,
// loadfile, io and fs calls in its root ask this client for the files, and
// it answers them among whatever else it is doing (running code, a
// terminal session, the file channel) for as long as it reads the device. Only files under dir are served; a path or a symlink that leads
// out of it is refused. Unless writable, the mount is read-only: the device
// refuses writes to its root while it lasts (and so does this side).
func (c *Client) Mount(ctx context.Context, dir string, writable bool) error {
	if c.mnt != nil {
		return errors.New("mount: already mounted")
	}
	abs, err := filepath.Abs(dir)
	if err != nil {
		return fmt.Errorf("mount %s: %w", dir, err)
	}
	root, err := os.OpenRoot(abs)
	if err != nil {
		return fmt.Errorf("mount %s: %w", dir, err)
	}
	if err := c.enterFiles(ctx); err != nil {
		root.Close()
		return err
	}
	srv := &mountServer{c: c, root: root, rw: writable, reqs: make(chan wire.Frame, 16), quit: make(chan struct{}), done: make(chan struct{})}
	// The device escapes its output from its reply on.
	c.mu.Lock()
	c.mnt = srv
	c.mu.Unlock()
	go srv.serve()
	var flags uint64
	if writable {
		flags |= wire.MountWritable
	}
	if _, err := c.request(ctx, wire.Mount, new(wire.Encoder).Uint(flags).String(abs).B); err != nil {
		c.stopMount()
		var fe *FileError
		if errors.As(err, &fe) && fe.Code == wire.CodeBadFrame {
			return fmt.Errorf("mount: this moonpin does not know mount (%s); update moonpin on the board", fe.Message)
		}
		return fmt.Errorf("mount: %w", err)
	}
	return nil
}

// keepFrame goes before a raw REPL request this client sends while it
// serves a mount, so that the device knows the request for its mount's
// host's (see wire.MKeep). Made when first needed: its checksum's table
// is 8 KB of work that every moonpin start paid at init (0.2 ms).
var keepFrame = sync.OnceValue(func() []byte {
	return wire.AppendFrame([]byte{wire.Escape}, wire.MKeep, nil)
})

// Unmount ends the mount: the device has its own script root back, and a
// soft reset (a fresh Lua state, boot.lua but not main.lua, as from the raw
// REPL) leaves nothing loaded from this computer behind. The device is left
// in the raw REPL.
func (c *Client) Unmount(ctx context.Context) error {
	if c.mnt == nil {
		return nil
	}
	_, err := c.request(ctx, wire.Unmount, nil)
	c.stopMount()
	if err != nil {
		return fmt.Errorf("unmount: %w", err)
	}
	if err := c.SoftReset(ctx); err != nil {
		return fmt.Errorf("unmount: %w", err)
	}
	return nil
}

// Mounted reports whether a mount is being served.
func (c *Client) Mounted() bool { return c.mnt != nil }

// stopMount stops serving the mount and un-escaping the device's output.
func (c *Client) stopMount() {
	c.mu.Lock()
	srv := c.mnt
	c.mnt = nil
	c.mu.Unlock()
	if srv != nil {
		close(srv.quit)
		<-srv.done
		srv.dropPending()
		srv.root.Close()
	}
}

// mountServer answers a mounted device's file requests from root.
type mountServer struct {
	c    *Client
	root *os.Root
	rw   bool // writes allowed

	// A write that replaces a file, while its pieces come: they go to
	// tmp, renamed to name by the last. The serve goroutine only.
	pending *pendingWrite
	// reading is the file a read under way (a piece at a time) reads, kept
	// open from its first piece to its last: a file an editor replaces
	// meanwhile is read whole as it was, not half old and half new (each
	// piece reopened it). The serve goroutine only.
	reading *openRead
	// listing is the directory a listing under way pages through: its
	// entries, counted as the device counts them (it asked for the next
	// page by an index into all the names, so a symlink left out shifted
	// the pages and a name came twice). The serve goroutine only.
	listing *dirListing
	reqs    chan wire.Frame
	quit    chan struct{}
	done    chan struct{}

	// demux's state; the client's read goroutine only, under c.mu.
	state int
	frame []byte
	need  int
	reply []byte
}

const (
	inText = iota
	afterEscape
	inFrame
)

const frameHeader = 6 // Sync, type, length

// demux undoes the device's escaping of p and takes its requests out,
// returning the output. A request may span reads. Caller holds c.mu.
func (s *mountServer) demux(p []byte) []byte {
	if s.state == inText && bytes.IndexByte(p, wire.Escape) < 0 {
		return p
	}
	out := make([]byte, 0, len(p))
	for i := 0; i < len(p); i++ {
		b := p[i]
		switch s.state {
		case inText:
			if b == wire.Escape {
				s.state = afterEscape
				continue
			}
			out = append(out, b)
		case afterEscape:
			if b == wire.Sync {
				s.state, s.frame, s.need = inFrame, append(s.frame[:0], b), frameHeader
				continue
			}
			// An escaped Escape; anything else is not the device's doing
			// and is passed on as it came.
			s.state = inText
			if b != wire.Escape {
				out = append(out, wire.Escape)
			}
			out = append(out, b)
		case inFrame:
			take := min(s.need-len(s.frame), len(p)-i)
			s.frame = append(s.frame, p[i:i+take]...)
			i += take - 1
			if len(s.frame) == frameHeader && s.need == frameHeader {
				n := int(binary.LittleEndian.Uint32(s.frame[2:]))
				if n > wire.MaxPayload+64 {
					s.state = inText
					out = append(out, s.frame...)
					continue
				}
				s.need = frameHeader + n + 4
			}
			if len(s.frame) == s.need {
				s.state = inText
				if f, err := wire.NewReader(bytes.NewReader(s.frame), wire.MaxPayload+64).ReadFrame(); err == nil {
					select {
					case s.reqs <- wire.Frame{Type: f.Type, Payload: bytes.Clone(f.Payload)}:
					case <-s.quit:
					}
				}
			}
		}
	}
	return out
}

// serve answers requests until stopMount.
func (s *mountServer) serve() {
	defer close(s.done)
	defer s.endRead()
	for {
		select {
		case f := <-s.reqs:
			s.answer(f)
		case <-s.quit:
			return
		}
	}
}

// answer replies to one request: Escape and a frame, written whole so that
// no key the user types lands inside it.
func (s *mountServer) answer(f wire.Frame) {
	dec := &wire.Decoder{B: f.Payload}
	id := dec.Uint()
	name := dec.String()
	var reply []byte
	var err error
	if f.Type != wire.MWrite {
		// The device asks nothing else between a write's pieces: a write
		// under way was abandoned (its code interrupted), and what it
		// wrote must not be seen.
		s.dropPending()
	}
	switch f.Type {
	case wire.MStat:
		reply, err = s.stat(id, name)
	case wire.MRead:
		offset := dec.Uint()
		reply, err = s.read(id, name, offset)
	case wire.MList:
		first := dec.Uint()
		reply, err = s.list(id, name, first)
	case wire.MWrite:
		flags := dec.Uint()
		err = s.write(name, flags, dec.B)
	case wire.MMkdir:
		err = s.change(name, func() error { return s.root.MkdirAll(name, 0o755) })
	case wire.MRemove:
		err = s.change(name, func() error {
			if name == "." {
				return errWholeDir
			}
			return s.root.Remove(name)
		})
	case wire.MRename:
		to := dec.String()
		err = s.change(name, func() error {
			if err := check(to); err != nil {
				return err
			}
			if name == "." || to == "." {
				return errWholeDir
			}
			if err := s.root.Rename(name, to); err != nil {
				return err
			}
			return s.syncDirs(to, name)
		})
	default:
		err = &FileError{Code: wire.CodeBadFrame, Message: fmt.Sprintf("unknown mount request %q; is moonpin newer than this moonctl?", f.Type)}
	}
	if dec.Err() != nil {
		err = &FileError{Code: wire.CodeBadFrame, Message: "malformed mount request"}
	}
	typ := byte(wire.OK)
	if err == nil && reply == nil {
		reply = new(wire.Encoder).Uint(id).B
	}
	if err != nil {
		typ = wire.Fail
		reply = failPayload(id, err)
	}
	s.reply = wire.AppendFrame(append(s.reply[:0], wire.Escape), typ, reply)
	_ = s.c.write(s.reply)
}

// check refuses a name that is not a plain path inside the mounted
// directory; the os.Root refuses symlinks that lead out of it. The refusal
// is not "permission denied", which would send the user to chmod.
func check(name string) error {
	if !fs.ValidPath(name) {
		return &FileError{Code: wire.CodeOther, Message: outside}
	}
	return nil
}

func (s *mountServer) stat(id uint64, name string) ([]byte, error) {
	if err := check(name); err != nil {
		return nil, err
	}
	fi, err := s.root.Stat(name)
	if err != nil {
		return nil, err
	}
	e := new(wire.Encoder).Uint(id)
	wire.AppendEntry(e, entry(path.Base(name), fi))
	return e.B, nil
}

func (s *mountServer) read(id uint64, name string, offset uint64) ([]byte, error) {
	if err := check(name); err != nil {
		return nil, err
	}
	r := s.reading
	if offset == 0 || r == nil || r.name != name {
		s.endRead()
		f, err := s.root.OpenFile(name, os.O_RDONLY|syscall.O_NONBLOCK, 0)
		if err != nil {
			return nil, err
		}
		fi, err := f.Stat()
		if err != nil {
			f.Close()
			return nil, err
		}
		switch {
		case fi.IsDir():
			f.Close()
			return nil, &FileError{Code: wire.CodeIsDir, Message: "is a directory"}
		case !fi.Mode().IsRegular():
			f.Close()
			return nil, &FileError{Code: wire.CodeOther, Message: "not a regular file"}
		}
		r = &openRead{name: name, f: f, size: fi.Size()}
		s.reading = r
	} else if fi, err := r.f.Stat(); err != nil || fi.Size() != r.size {
		// Written in place while it was read: neither version.
		s.endRead()
		return nil, &FileError{Code: wire.CodeOther, Message: "changed while it was read; read it again"}
	}
	e := new(wire.Encoder).Uint(id).Uint(uint64(r.size))
	buf := make([]byte, wire.ChunkSize)
	n, err := r.f.ReadAt(buf, int64(offset))
	if err != nil && !errors.Is(err, io.EOF) {
		s.endRead()
		return nil, err
	}
	if int64(offset)+int64(n) >= r.size {
		s.endRead()
	}
	return e.Bytes(buf[:n]).B, nil
}

// openRead is a file being read a piece at a time (see mountServer.reading).
type openRead struct {
	name string
	f    *os.File
	size int64
}

// endRead closes the file a read under way kept open.
func (s *mountServer) endRead() {
	if s.reading != nil {
		s.reading.f.Close()
		s.reading = nil
	}
}

func (s *mountServer) list(id uint64, name string, first uint64) ([]byte, error) {
	if err := check(name); err != nil {
		return nil, err
	}
	l := s.listing
	if first == 0 || l == nil || l.name != name {
		entries, err := s.listAll(name)
		if err != nil {
			return nil, err
		}
		l = &dirListing{name: name, entries: entries}
		s.listing = l
	}
	e := new(wire.Encoder).Uint(id).Byte(0)
	// The "more" byte, by index: appending entries moves e.B, and a
	// pointer into it set the old copy (a listing stopped at its first
	// 32 KB, silently).
	more := len(e.B) - 1
	for i := first; i < uint64(len(l.entries)); i++ {
		if len(e.B) > wire.ChunkSize {
			e.B[more] = 1
			return e.B, nil
		}
		wire.AppendEntry(e, l.entries[i])
	}
	s.listing = nil
	return e.B, nil
}

// dirListing is a directory being listed a frame at a time: the device
// asks for the next frame by the number of entries it has, which counts
// in this list (see mountServer.listing).
type dirListing struct {
	name    string
	entries []wire.Entry
}

// listAll returns the entries of the directory name, sorted, without
// moonctl's temporary files and without the symlinks that lead out.
func (s *mountServer) listAll(name string) ([]wire.Entry, error) {
	dir, err := s.root.Open(name)
	if err != nil {
		return nil, err
	}
	defer dir.Close()
	names, err := dir.Readdirnames(-1)
	if err != nil {
		return nil, err
	}
	sort.Strings(names)
	entries := make([]wire.Entry, 0, len(names))
	for _, n := range names {
		if strings.HasPrefix(n, tempPrefix) {
			continue
		}
		// What a symlink leads to, where it stays inside; one that leads
		// out is not there, as far as the device can tell.
		fi, err := s.root.Stat(path.Join(name, n))
		if err != nil {
			continue
		}
		entries = append(entries, entry(n, fi))
	}
	return entries, nil
}

// errReadOnly: the device asked to write to a mount made without --rw.
var errReadOnly = &FileError{Code: wire.CodeDenied, Message: "the mount is read-only; moonctl mount --rw allows writes"}

var errWholeDir = &FileError{Code: wire.CodeDenied, Message: "the mounted directory itself cannot be removed or renamed"}

// change makes a change (mkdir, remove, rename) to name where writes are
// allowed. The root itself is neither removed nor renamed.
func (s *mountServer) change(name string, do func() error) error {
	if !s.rw {
		return errReadOnly
	}
	if err := check(name); err != nil {
		return err
	}
	return do()
}

// tempPrefix starts the names of files being written, which lists hide.
const tempPrefix = ".~moonctl-"

// pendingWrite is a file being replaced, its pieces so far in tmp, or
// appended to, its pieces so far at its end after size bytes.
type pendingWrite struct {
	name, tmp string
	f         *os.File
	appendTo  bool
	size      int64
}

// write adds data to name, or with WriteNext to the write under way,
// putting a replaced file in place at its last piece.
func (s *mountServer) write(name string, flags uint64, data []byte) error {
	if !s.rw {
		return errReadOnly
	}
	if err := check(name); err != nil {
		return err
	}
	if flags&(wire.WriteAppend|wire.WriteNext) == wire.WriteAppend {
		// An append's record comes in pieces (WriteMore), like a
		// replaced file's; until its last it is pending, and cut off if
		// it is abandoned, so the file holds it whole or not at all.
		s.dropPending()
		f, err := s.root.OpenFile(name, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o644)
		if err != nil {
			return err
		}
		size, err := f.Seek(0, io.SeekEnd)
		if err != nil {
			f.Close()
			return err
		}
		s.pending = &pendingWrite{name: name, f: f, appendTo: true, size: size}
	} else if flags&wire.WriteNext == 0 {
		s.dropPending()
		if fi, err := s.root.Stat(name); err == nil && fi.IsDir() {
			return &FileError{Code: wire.CodeIsDir, Message: "is a directory"}
		}
		tmp := path.Join(path.Dir(name), fmt.Sprintf("%s%016x", tempPrefix, rand.Uint64()))
		f, err := s.root.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
		if err != nil {
			return err
		}
		s.pending = &pendingWrite{name: name, tmp: tmp, f: f}
	}
	p := s.pending
	if p == nil || p.name != name || p.appendTo != (flags&wire.WriteAppend != 0) {
		return &FileError{Code: wire.CodeBadFrame, Message: "a piece of a write that did not begin"}
	}
	if _, err := p.f.Write(data); err != nil {
		s.dropPending()
		return err
	}
	if flags&wire.WriteMore != 0 {
		return nil
	}
	s.pending = nil
	if p.appendTo {
		return p.f.Close()
	}
	// On the disk before the device hears it is done, as fs.write is on
	// the device's own (see fs.Replace): the file, then its name.
	err := p.f.Sync()
	if cerr := p.f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = s.root.Rename(p.tmp, p.name)
	}
	if err != nil {
		_ = s.root.Remove(p.tmp)
		return err
	}
	return s.syncDirs(p.name)
}

// syncDirs flushes to the disk the directories that names (renamed into
// or out of them) are in, each once.
func (s *mountServer) syncDirs(names ...string) error {
	done := map[string]bool{}
	for _, name := range names {
		dir := path.Dir(name)
		if done[dir] {
			continue
		}
		done[dir] = true
		if err := fsync.DirIn(s.root, dir); err != nil {
			return fsync.NotSynced(err)
		}
	}
	return nil
}

// dropPending abandons a write under way: a replacement's temporary file
// is removed, an append's pieces cut off.
func (s *mountServer) dropPending() {
	p := s.pending
	if p == nil {
		return
	}
	s.pending = nil
	if p.appendTo {
		_ = p.f.Truncate(p.size)
		p.f.Close()
		return
	}
	p.f.Close()
	_ = s.root.Remove(p.tmp)
}

func entry(name string, fi fs.FileInfo) wire.Entry {
	return wire.Entry{Name: name, Dir: fi.IsDir(), Size: fi.Size(), Mtime: fi.ModTime().Unix()}
}

// failPayload is the Fail reply's payload for err: a code and the reason,
// which the device puts after the name as its own errors read.
func failPayload(id uint64, err error) []byte {
	var fe *FileError
	code, msg := wire.CodeOther, ""
	switch {
	case errors.As(err, &fe):
		code, msg = fe.Code, fe.Message
	case errors.Is(err, fs.ErrNotExist):
		code, msg = wire.CodeNotExist, "no such file or directory"
	case errors.Is(err, syscall.ENOTEMPTY):
		msg = "directory not empty"
	case errors.Is(err, fs.ErrExist):
		code, msg = wire.CodeExist, "already exists"
	case strings.Contains(err.Error(), "escapes from parent"):
		// os.Root's refusal of a path or symlink that leaves the directory.
		msg = outside
	case errors.Is(err, fs.ErrPermission):
		code, msg = wire.CodeDenied, "permission denied on the computer"
	default:
		var pe *fs.PathError
		if errors.As(err, &pe) {
			err = pe.Err
		}
		msg = err.Error()
	}
	return new(wire.Encoder).Uint(id).Byte(code).String(msg).B
}

const outside = "outside the mounted directory"
