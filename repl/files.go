package repl

import (
	"bytes"
	"crypto/sha256"
	"errors"
	"fmt"
	"hash"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"syscall"

	fslib "github.com/moonpin/moonpin/interp/lib/fs"
	"github.com/moonpin/moonpin/repl/internal/wire"
)

// window is how many data frames a host may send before the first is acked.
const window = 8

// putState is a file being received: it grows in a temporary file beside its
// destination and replaces it only when complete and verified.
type putState struct {
	path, dest string
	tmp        *os.File
	size, got  int64
	want       []byte
	sum        hash.Hash
	failed     bool
}

// fileChannel serves file requests in frames until the host quits, a byte
// that cannot start a frame arrives (it goes back to the raw REPL: a host
// that lost track resynchronises with "\r\x03"), a host asks for the raw
// REPL inside a frame (see frameInput) or the connection changes.
func (d *Device) fileChannel() {
	defer d.abortPut()
	// The channel answers the connection that opened it, and no other: the
	// rest of a get must not reach a client that took the session over,
	// nor the greeting to one that came as the request was read.
	d.fileGen = d.in.clientOutput()
	// A mount that has ended takes no more of the line: its computer's
	// last replies came before this request, and what comes after it is
	// this channel's frames, whose data may hold any bytes.
	if m := d.demuxer.Load(); m != nil && m.endedAt.Load() != 0 {
		d.demuxer.CompareAndSwap(m, nil)
	}
	d.fileWrite([]byte(wire.EnterOK))
	d.sendFrame(wire.Hello, new(wire.Encoder).Uint(wire.Version).Uint(wire.MaxPayload).Uint(window).B)
	frame := &frameInput{in: d.in, timeout: d.opts.FrameTimeout}
	fr := wire.NewReader(frame, wire.MaxPayload+64)
	for {
		c, err := d.in.readByte(0)
		var lost *lostError
		if errors.As(err, &lost) {
			// Frames from before or after the gap are checked as usual.
			continue
		}
		if err != nil {
			if errors.Is(err, errFresh) {
				d.raw = false
			}
			return
		}
		if c != wire.Sync {
			d.in.unread(c)
			return
		}
		frame.start()
		f, err := fr.ReadAfterSync()
		switch {
		case errors.Is(err, errFresh):
			d.raw = false
			return
		case errors.Is(err, errClosed), errors.Is(err, errResync), errors.Is(err, errCallbackEnd):
			// After a resync, the raw REPL answers the new host's request;
			// the put of the host that went is dropped. The raw REPL acts on
			// a callback's reset too.
			return
		case err != nil && !errors.Is(err, wire.ErrTooLarge) && frame.resync():
			// The request completed the frame, which is bad: the request
			// is what counts.
			return
		case err != nil:
			// What else the host sent after a bad frame (the rest of an
			// upload after a byte lost on a serial line) is thrown away
			// until the line is quiet: read as frames, its first byte that
			// starts none went back to the raw REPL with the rest, which
			// ran as code. A raw REPL request in it ends the wait.
			if errors.Is(err, errTimeout) {
				// The line is quiet already.
			} else if err := frame.discard(d.opts.FrameTimeout/4, 4*d.opts.FrameTimeout); err != nil {
				if errors.Is(err, errFresh) {
					d.raw = false
				}
				return
			}
			d.failPut()
			d.sendFail(wire.CodeBadFrame, badFrameText(err))
			continue
		}
		if f.Type == wire.Quit {
			d.abortPut()
			d.sendFrame(wire.OK, nil)
			d.fileWrite([]byte(">"))
			return
		}
		d.fileRequest(f)
	}
}

func badFrameText(err error) string {
	if errors.Is(err, errTimeout) {
		return "truncated frame: the line went quiet in the middle of it"
	}
	return err.Error()
}

// fileWrite writes p to the connection the file channel serves; once another
// has taken over, p is dropped.
func (d *Device) fileWrite(p []byte) { d.out.writeTo(d.fileGen, p) }

// fileClientGone reports whether the connection the file channel serves has
// been replaced or has hung up, so a long answer can stop early.
func (d *Device) fileClientGone() bool { return d.out.generation() != d.fileGen }

func (d *Device) sendFrame(typ byte, payload []byte) {
	d.fileWrite(wire.AppendFrame(nil, typ, payload))
}

func (d *Device) sendFail(code byte, msg string) {
	d.sendFrame(wire.Fail, new(wire.Encoder).Byte(code).String(msg).B)
}

// sendErr reports err from a file operation on the script path name.
func (d *Device) sendErr(name string, err error) {
	code := wire.CodeOther
	reason := err.Error()
	var pe *fs.PathError
	if errors.As(err, &pe) {
		reason = pe.Err.Error()
	}
	var le *os.LinkError
	if errors.As(err, &le) {
		reason = le.Err.Error()
	}
	switch {
	case errors.Is(err, syscall.ENOTEMPTY):
		// Before ErrExist, which ENOTEMPTY also matches.
		reason = "directory not empty; remove what is in it first (moonctl rm -r)"
	case errors.Is(err, fs.ErrNotExist):
		code, reason = wire.CodeNotExist, "no such file or directory"
	case errors.Is(err, fs.ErrExist):
		code, reason = wire.CodeExist, "already exists"
	case errors.Is(err, fs.ErrPermission):
		code, reason = wire.CodeDenied, "permission denied; is the script root writable by moonpin's user?"
	case errors.Is(err, syscall.EISDIR):
		code = wire.CodeIsDir
	case errors.Is(err, syscall.ENOTDIR):
		code = wire.CodeNotDir
	case errors.Is(err, syscall.ENOSPC):
		reason = "no space left on the device"
	}
	d.sendFail(code, name+": "+reason)
}

// pathArg decodes a request whose argument is one path and resolves it; on
// failure the error reply has been sent.
func (d *Device) pathArg(dec *wire.Decoder) (name, full string, ok bool) {
	name = dec.String()
	if !d.decoded(dec) {
		return "", "", false
	}
	full, ok = d.resolve(name)
	return name, full, ok
}

// resolve confines a host-supplied path to the script root.
func (d *Device) resolve(name string) (string, bool) {
	return d.confine(name, fslib.Resolve)
}

// resolveEntry confines the entry a host-supplied path names: a symlink,
// not its target (see fslib.ConfineEntry).
func (d *Device) resolveEntry(name string) (string, bool) {
	return d.confine(name, fslib.ResolveEntry)
}

func (d *Device) confine(name string, resolve func(root, name string) (string, error)) (string, bool) {
	full, err := resolve(d.rt.Root(), name)
	if err != nil {
		d.sendFail(wire.CodeDenied, err.Error())
		return "", false
	}
	return full, true
}

// isRoot reports whether full is the script root itself.
func (d *Device) isRoot(full string) bool {
	root, err := filepath.EvalSymlinks(d.rt.Root())
	return err == nil && filepath.Clean(full) == filepath.Clean(root)
}

func (d *Device) fileRequest(f wire.Frame) {
	dec := &wire.Decoder{B: f.Payload}
	switch f.Type {
	case wire.Put:
		name, size, sum := dec.String(), dec.Uint(), dec.Bytes(sha256.Size)
		if !d.decoded(dec) {
			return
		}
		d.beginPut(name, int64(size), sum)
	case wire.Data:
		d.putData(f.Payload)
	case wire.Finish:
		d.finishPut()
	case wire.Get:
		name := dec.String()
		if d.decoded(dec) {
			d.get(name)
		}
	case wire.List:
		name := dec.String()
		if d.decoded(dec) {
			d.list(name)
		}
	case wire.Stat:
		name, full, ok := d.pathArg(dec)
		if !ok {
			return
		}
		fi, err := os.Stat(full)
		if err != nil {
			d.sendErr(name, err)
			return
		}
		e := new(wire.Encoder)
		wire.AppendEntry(e, entryOf(filepath.Base(filepath.Clean(name)), fi))
		d.sendFrame(wire.OK, e.B)
	case wire.Remove:
		name := dec.String()
		if !d.decoded(dec) {
			return
		}
		full, ok := d.resolveEntry(name)
		if !ok {
			return
		}
		if d.isRoot(full) {
			d.sendFail(wire.CodeDenied, "cannot remove the script root")
			return
		}
		if err := os.Remove(full); err != nil {
			d.sendErr(name, err)
			return
		}
		d.sendFrame(wire.OK, nil)
	case wire.Mkdir:
		name, full, ok := d.pathArg(dec)
		if !ok {
			return
		}
		if err := os.MkdirAll(full, 0o755); err != nil {
			d.sendErr(name, err)
			return
		}
		d.sendFrame(wire.OK, nil)
	case wire.Sum:
		name, full, ok := d.pathArg(dec)
		if !ok {
			return
		}
		size, sum, err := hashFile(full)
		if err != nil {
			d.sendErr(name, err)
			return
		}
		d.sendFrame(wire.OK, new(wire.Encoder).Uint(uint64(size)).Bytes(sum).B)
	case wire.Rename:
		from, to := dec.String(), dec.String()
		if !d.decoded(dec) {
			return
		}
		src, ok := d.resolveEntry(from)
		if !ok {
			return
		}
		dst, ok := d.resolveEntry(to)
		if !ok {
			return
		}
		if d.isRoot(src) {
			d.sendFail(wire.CodeDenied, "cannot rename the script root")
			return
		}
		if err := fslib.Rename(src, dst); err != nil {
			d.sendErr(from, err)
			return
		}
		d.sendFrame(wire.OK, nil)
	case wire.Usage:
		name, full, ok := d.pathArg(dec)
		if !ok {
			return
		}
		total, free, avail, err := diskUsage(full)
		if err != nil {
			d.sendErr(name, err)
			return
		}
		d.sendFrame(wire.OK, new(wire.Encoder).Uint(total).Uint(free).Uint(avail).B)
	case wire.Mount:
		flags, dir := dec.Uint(), dec.String()
		if d.decoded(dec) {
			d.startMount(dir, flags&wire.MountWritable != 0)
		}
	case wire.Unmount:
		d.stopMount()
	default:
		d.sendFail(wire.CodeBadFrame, fmt.Sprintf("unknown request %q; is moonctl newer than this moonpin?", f.Type))
	}
}

// decoded reports whether a request decoded cleanly, answering it if not.
func (d *Device) decoded(dec *wire.Decoder) bool {
	if dec.Err() != nil {
		d.sendFail(wire.CodeBadFrame, "malformed request")
		return false
	}
	return true
}

func entryOf(name string, fi fs.FileInfo) wire.Entry {
	return wire.Entry{Name: name, Dir: fi.IsDir(), Size: fi.Size(), Mtime: fi.ModTime().Unix()}
}

func hashFile(full string) (int64, []byte, error) {
	f, _, err := fslib.OpenRegular(full)
	if err != nil {
		return 0, nil, err
	}
	defer f.Close()
	h := sha256.New()
	n, err := io.Copy(h, f)
	if err != nil {
		return 0, nil, err
	}
	return n, h.Sum(nil), nil
}

func (d *Device) beginPut(name string, size int64, sum []byte) {
	d.abortPut()
	full, ok := d.resolve(name)
	if !ok {
		return
	}
	if d.isRoot(full) {
		d.sendFail(wire.CodeIsDir, name+": is the script root")
		return
	}
	if fi, err := os.Stat(full); err == nil && fi.IsDir() {
		d.sendFail(wire.CodeIsDir, name+": is a directory")
		return
	}
	dir := filepath.Dir(full)
	if fi, err := os.Stat(dir); err != nil || !fi.IsDir() {
		d.sendFail(wire.CodeNotExist, name+": the directory it goes in does not exist; make it first (moonctl mkdir)")
		return
	}
	tmp, err := fslib.CreateTemp(d.rt.Root(), full)
	if err != nil {
		d.sendErr(name, err)
		return
	}
	d.put = &putState{path: name, dest: full, tmp: tmp, size: size, want: bytes.Clone(sum), sum: sha256.New()}
	d.sendFrame(wire.OK, nil)
}

func (d *Device) putData(data []byte) {
	p := d.put
	if p == nil || p.failed {
		d.sendFail(wire.CodeOther, "no put in progress")
		return
	}
	if p.got+int64(len(data)) > p.size {
		d.failPut()
		d.sendFail(wire.CodeOther, fmt.Sprintf("%s: more data than the %d bytes announced", p.path, p.size))
		return
	}
	if _, err := p.tmp.Write(data); err != nil {
		d.failPut()
		d.sendErr(p.path, err)
		return
	}
	p.sum.Write(data)
	p.got += int64(len(data))
	d.sendFrame(wire.Ack, new(wire.Encoder).Uint(uint64(p.got)).B)
}

func (d *Device) finishPut() {
	p := d.put
	if p == nil || p.failed {
		d.abortPut()
		d.sendFail(wire.CodeOther, "no put in progress")
		return
	}
	if p.got != p.size {
		d.abortPut()
		d.sendFail(wire.CodeOther, fmt.Sprintf("%s: got %d of %d bytes", p.path, p.got, p.size))
		return
	}
	if !bytes.Equal(p.sum.Sum(nil), p.want) {
		d.abortPut()
		d.sendFail(wire.CodeOther, p.path+": sha256 mismatch; the old file is unchanged, try again")
		return
	}
	err := p.tmp.Sync()
	if cerr := p.tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Chmod(p.tmp.Name(), 0o644)
	}
	if err == nil {
		err = fslib.Replace(p.tmp.Name(), p.dest)
	}
	if err != nil {
		os.Remove(p.tmp.Name())
		d.put = nil
		d.sendErr(p.path, err)
		return
	}
	d.put = nil
	d.sendFrame(wire.OK, nil)
}

// failPut abandons the put in progress; its later data frames are refused
// until the host finishes or starts another.
func (d *Device) failPut() {
	if d.put == nil || d.put.failed {
		return
	}
	d.put.tmp.Close()
	os.Remove(d.put.tmp.Name())
	d.put.failed = true
}

// abortPut abandons any put: the temporary file goes, the old file stays.
func (d *Device) abortPut() {
	d.failPut()
	d.put = nil
}

// get sends a file as a Header frame (its size), Data frames and an End
// frame with its sha256.
func (d *Device) get(name string) {
	full, ok := d.resolve(name)
	if !ok {
		return
	}
	if fi, err := os.Stat(full); err == nil && fi.IsDir() {
		d.sendFail(wire.CodeIsDir, name+": is a directory")
		return
	}
	// A FIFO would hold the session in open(2) for good.
	f, fi, err := fslib.OpenRegular(full)
	if err != nil {
		d.sendErr(name, err)
		return
	}
	defer f.Close()
	d.sendFrame(wire.Header, new(wire.Encoder).Uint(uint64(fi.Size())).B)
	h := sha256.New()
	buf := make([]byte, wire.ChunkSize)
	frame := make([]byte, 0, wire.ChunkSize+16)
	for {
		if d.fileClientGone() {
			return
		}
		n, err := f.Read(buf)
		if n > 0 {
			h.Write(buf[:n])
			frame = wire.AppendFrame(frame[:0], wire.Data, buf[:n])
			d.fileWrite(frame)
		}
		if err == io.EOF {
			break
		}
		if err != nil {
			d.sendErr(name, err)
			return
		}
	}
	d.sendFrame(wire.End, h.Sum(nil))
}

func (d *Device) list(name string) {
	full, ok := d.resolve(name)
	if !ok {
		return
	}
	entries, err := os.ReadDir(full)
	if err != nil {
		d.sendErr(name, err)
		return
	}
	sort.Slice(entries, func(i, j int) bool { return entries[i].Name() < entries[j].Name() })
	e := new(wire.Encoder)
	var out []wire.Entry
	for _, en := range entries {
		if strings.HasPrefix(en.Name(), fslib.TempPrefix) {
			continue
		}
		fi, err := en.Info()
		if err != nil {
			continue // removed while listing
		}
		out = append(out, entryOf(en.Name(), fi))
	}
	e.Uint(uint64(len(out)))
	for _, en := range out {
		wire.AppendEntry(e, en)
	}
	if len(e.B) > wire.MaxPayload {
		d.sendFail(wire.CodeOther, fmt.Sprintf("%s: too many entries (%d) for one reply", name, len(out)))
		return
	}
	d.sendFrame(wire.OK, e.B)
}
