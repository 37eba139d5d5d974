package client

import (
	"bytes"
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/moonpin/moonpin/repl/internal/wire"
)

// FileInfo describes a file or directory on the device.
type FileInfo struct {
	Name    string
	Dir     bool
	Size    int64
	ModTime time.Time
}

// Progress is told how many of total bytes have been moved so far.
type Progress func(done, total int64)

// FileError is a file operation the device refused. It wraps the errno its
// code stands for (wire.Errno), so errors.Is(err, fs.ErrNotExist),
// fs.ErrExist and fs.ErrPermission work.
type FileError struct {
	Code    byte
	Message string
}

func (e *FileError) Error() string { return e.Message }

func (e *FileError) Unwrap() error {
	if errno := wire.Errno(e.Code); errno != 0 {
		return errno
	}
	return nil
}

// enterFiles switches the device to the file channel, from the raw REPL.
func (c *Client) enterFiles(ctx context.Context) error {
	if c.inFiles {
		return nil
	}
	if !c.inRaw {
		if err := c.EnterRaw(ctx, false); err != nil {
			return err
		}
	}
	if err := c.writeString(wire.Enter); err != nil {
		return err
	}
	var reply [2]byte
	if err := c.readFull(ctx, reply[:]); err != nil {
		return fmt.Errorf("file channel: %w", err)
	}
	if string(reply[:]) != wire.EnterOK {
		// A MicroPython device says "R\x00" and prints its prompt.
		_, _ = c.readUntil(ctx, ">")
		return fmt.Errorf("file channel: the device answered %q; is it running moonpin?", reply[:])
	}
	f, err := c.readFrame(ctx)
	if err != nil {
		return fmt.Errorf("file channel: %w", err)
	}
	if f.Type != wire.Hello {
		return fmt.Errorf("file channel: expected a hello frame, got %q", f.Type)
	}
	d := &wire.Decoder{B: f.Payload}
	version, _, window := d.Uint(), d.Uint(), d.Uint()
	if d.Err() != nil || version != wire.Version {
		return fmt.Errorf("file channel: protocol version %d, this moonctl speaks %d; update one of them", version, wire.Version)
	}
	c.window = int(max(1, min(window, 64)))
	c.inFiles = true
	return nil
}

// leaveFiles returns from the file channel to the raw REPL.
func (c *Client) leaveFiles(ctx context.Context) error {
	if !c.inFiles {
		return nil
	}
	c.inFiles = false
	if err := c.sendFrame(wire.Quit, nil); err != nil {
		return err
	}
	if _, err := c.reply(ctx); err != nil {
		return err
	}
	_, err := c.readUntil(ctx, ">")
	return err
}

func (c *Client) sendFrame(typ byte, payload []byte) error {
	c.scratch = wire.AppendFrame(c.scratch[:0], typ, payload)
	return c.write(c.scratch)
}

func (c *Client) readFrame(ctx context.Context) (wire.Frame, error) {
	f, err := wire.NewReader(ctxReader{ctx, c}, wire.MaxPayload+64).ReadFrame()
	if err != nil {
		// The channel is out of step; the next operation starts over.
		c.inFiles, c.inRaw = false, false
		if c.TakenOver() {
			// The takeover notice broke the frames.
			err = fmt.Errorf("%w (%v)", ErrTakenOver, err)
		}
	}
	return f, err
}

// reply reads one reply frame; a Fail frame becomes a *FileError.
func (c *Client) reply(ctx context.Context) (wire.Frame, error) {
	f, err := c.readFrame(ctx)
	if err != nil {
		return f, err
	}
	if f.Type == wire.Fail {
		d := &wire.Decoder{B: f.Payload}
		code, msg := d.Byte(), d.String()
		if d.Err() != nil {
			msg = "malformed error reply"
		}
		return f, &FileError{Code: code, Message: msg}
	}
	return f, nil
}

// request sends a request and returns the payload of its OK reply.
func (c *Client) request(ctx context.Context, typ byte, payload []byte) ([]byte, error) {
	if err := c.enterFiles(ctx); err != nil {
		return nil, err
	}
	if err := c.sendFrame(typ, payload); err != nil {
		return nil, err
	}
	f, err := c.reply(ctx)
	if err != nil {
		return nil, err
	}
	if f.Type != wire.OK {
		c.inFiles, c.inRaw = false, false
		return nil, fmt.Errorf("file channel: unexpected %q reply", f.Type)
	}
	return bytes.Clone(f.Payload), nil
}

func pathPayload(p string) []byte { return new(wire.Encoder).String(p).B }

// Put writes size bytes from r to the device file path. The device keeps
// them in a temporary file and replaces the old file only once all of them
// have arrived with the right sha256: an interrupted put changes nothing.
func (c *Client) Put(ctx context.Context, path string, r io.Reader, size int64, progress Progress) error {
	// The sha256 goes first, in the put request, so the data is held here.
	data, sum, err := readAll(r, size)
	if err != nil {
		return fmt.Errorf("put %s: %w", path, err)
	}
	if _, err := c.request(ctx, wire.Put, new(wire.Encoder).String(path).Uint(uint64(size)).Bytes(sum[:]).B); err != nil {
		return fmt.Errorf("put %s: %w", path, err)
	}
	var firstErr error
	sent, acked, inFlight := int64(0), int64(0), 0
	for sent < size || inFlight > 0 {
		if firstErr == nil && sent < size && inFlight < c.window {
			n := min(int64(wire.ChunkSize), size-sent)
			if err := c.sendFrame(wire.Data, data[sent:sent+n]); err != nil {
				return fmt.Errorf("put %s: %w", path, err)
			}
			sent += n
			inFlight++
			continue
		}
		if inFlight == 0 {
			break
		}
		f, err := c.reply(ctx)
		var fe *FileError
		switch {
		case errors.As(err, &fe):
			if firstErr == nil {
				firstErr = err
			}
		case err != nil:
			return fmt.Errorf("put %s: %w", path, err)
		case f.Type == wire.Ack:
			d := &wire.Decoder{B: f.Payload}
			acked = int64(d.Uint())
			if progress != nil {
				progress(acked, size)
			}
		}
		inFlight--
	}
	if firstErr != nil {
		// Tell the device the put is over so it drops the temporary file.
		_, _ = c.request(ctx, wire.Finish, nil)
		return fmt.Errorf("put %s: %w", path, firstErr)
	}
	if _, err := c.request(ctx, wire.Finish, nil); err != nil {
		return fmt.Errorf("put %s: %w", path, err)
	}
	if progress != nil && size == 0 {
		progress(0, 0)
	}
	return nil
}

func readAll(r io.Reader, size int64) ([]byte, [32]byte, error) {
	data := make([]byte, size)
	if _, err := io.ReadFull(r, data); err != nil {
		return nil, [32]byte{}, fmt.Errorf("reading %d bytes to send: %w", size, err)
	}
	return data, sha256.Sum256(data), nil
}

// Get copies the device file path to w and returns its size; the data is
// checked against the sha256 the device computed while sending it.
func (c *Client) Get(ctx context.Context, path string, w io.Writer, progress Progress) (int64, error) {
	if err := c.enterFiles(ctx); err != nil {
		return 0, err
	}
	if err := c.sendFrame(wire.Get, pathPayload(path)); err != nil {
		return 0, err
	}
	f, err := c.reply(ctx)
	if err != nil {
		return 0, fmt.Errorf("get %s: %w", path, err)
	}
	if f.Type != wire.Header {
		c.inFiles, c.inRaw = false, false
		return 0, fmt.Errorf("get %s: unexpected %q reply", path, f.Type)
	}
	d := &wire.Decoder{B: f.Payload}
	size := int64(d.Uint())
	h := sha256.New()
	var got int64
	var writeErr error
	for {
		f, err := c.reply(ctx)
		if err != nil {
			return got, fmt.Errorf("get %s: %w", path, err)
		}
		switch f.Type {
		case wire.Data:
			h.Write(f.Payload)
			if writeErr == nil {
				_, writeErr = w.Write(f.Payload)
			}
			got += int64(len(f.Payload))
			if progress != nil {
				progress(got, size)
			}
		case wire.End:
			if writeErr != nil {
				return got, fmt.Errorf("get %s: %w", path, writeErr)
			}
			if !bytes.Equal(f.Payload, h.Sum(nil)) {
				return got, fmt.Errorf("get %s: sha256 mismatch; the data was damaged on the way, try again", path)
			}
			return got, nil
		default:
			c.inFiles, c.inRaw = false, false
			return got, fmt.Errorf("get %s: unexpected %q frame", path, f.Type)
		}
	}
}

// List returns the entries of a device directory ("" or "." for the root),
// sorted by name. Files being written (temporary files) are not listed.
func (c *Client) List(ctx context.Context, dir string) ([]FileInfo, error) {
	p, err := c.request(ctx, wire.List, pathPayload(dir))
	if err != nil {
		return nil, fmt.Errorf("list %s: %w", dir, err)
	}
	d := &wire.Decoder{B: p}
	n := d.Uint()
	if n > uint64(len(p)) {
		return nil, fmt.Errorf("list %s: malformed reply", dir)
	}
	out := make([]FileInfo, 0, n)
	for range n {
		out = append(out, info(wire.ReadEntry(d)))
	}
	if d.Err() != nil {
		return nil, fmt.Errorf("list %s: malformed reply", dir)
	}
	for _, e := range out {
		if !isEntryName(e.Name) {
			return nil, fmt.Errorf("list %s: the device listed an entry named %q, which is not a file name; refusing its listing", dir, e.Name)
		}
	}
	return out, nil
}

// isEntryName reports whether name can be an entry of a directory: one
// element of a path. A host joins the names it lists to a directory of its
// own (moonctl cp -r); a device that listed "..", "." or "a/b" would have
// it write outside that directory or list the same one for ever.
func isEntryName(name string) bool {
	return name != "" && name != "." && name != ".." && !strings.ContainsAny(name, "/\x00")
}

func info(e wire.Entry) FileInfo {
	return FileInfo{Name: e.Name, Dir: e.Dir, Size: e.Size, ModTime: time.Unix(e.Mtime, 0)}
}

// Stat describes a device path; a missing one is an error wrapping
// fs.ErrNotExist.
func (c *Client) Stat(ctx context.Context, path string) (FileInfo, error) {
	p, err := c.request(ctx, wire.Stat, pathPayload(path))
	if err != nil {
		return FileInfo{}, fmt.Errorf("stat %s: %w", path, err)
	}
	d := &wire.Decoder{B: p}
	e := wire.ReadEntry(d)
	if d.Err() != nil {
		return FileInfo{}, fmt.Errorf("stat %s: malformed reply", path)
	}
	return info(e), nil
}

// Remove deletes a device file or empty directory.
func (c *Client) Remove(ctx context.Context, path string) error {
	if _, err := c.request(ctx, wire.Remove, pathPayload(path)); err != nil {
		return fmt.Errorf("remove %s: %w", path, err)
	}
	return nil
}

// Mkdir makes a device directory and any missing parents.
func (c *Client) Mkdir(ctx context.Context, path string) error {
	if _, err := c.request(ctx, wire.Mkdir, pathPayload(path)); err != nil {
		return fmt.Errorf("mkdir %s: %w", path, err)
	}
	return nil
}

// Rename moves a device file or directory.
func (c *Client) Rename(ctx context.Context, from, to string) error {
	if _, err := c.request(ctx, wire.Rename, new(wire.Encoder).String(from).String(to).B); err != nil {
		return fmt.Errorf("rename %s: %w", from, err)
	}
	return nil
}

// Sha256 returns the size and sha256 of a device file, computed on the
// device (moonctl cp skips files whose sum matches).
func (c *Client) Sha256(ctx context.Context, path string) (int64, [32]byte, error) {
	var sum [32]byte
	p, err := c.request(ctx, wire.Sum, pathPayload(path))
	if err != nil {
		return 0, sum, fmt.Errorf("sha256 %s: %w", path, err)
	}
	d := &wire.Decoder{B: p}
	size := d.Uint()
	copy(sum[:], d.Bytes(32))
	if d.Err() != nil {
		return 0, sum, fmt.Errorf("sha256 %s: malformed reply", path)
	}
	return int64(size), sum, nil
}

// Usage is the size of a file system and the room left on it, in bytes.
type Usage struct {
	Total, Free, Avail int64 // Avail: free to an unprivileged user
}

// Usage describes the file system that holds a device path.
func (c *Client) Usage(ctx context.Context, path string) (Usage, error) {
	p, err := c.request(ctx, wire.Usage, pathPayload(path))
	if err != nil {
		return Usage{}, fmt.Errorf("df %s: %w", path, err)
	}
	d := &wire.Decoder{B: p}
	u := Usage{Total: int64(d.Uint()), Free: int64(d.Uint()), Avail: int64(d.Uint())}
	if d.Err() != nil {
		return Usage{}, fmt.Errorf("df %s: malformed reply", path)
	}
	return u, nil
}
