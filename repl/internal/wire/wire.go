package wire

import (
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"sync"
	"syscall"
)

// Sync starts every frame.
const Sync = 0xA5

// MaxPayload is the largest payload a frame may carry.
const MaxPayload = 64 << 10

// ChunkSize is the data carried by one Data frame of a put or get.
const ChunkSize = 32 << 10

// Version is the protocol version the device announces in its Hello frame.
const Version = 1

// Enter is what the host sends at the raw REPL's ">" to enter the file
// channel; the device replies EnterOK and a Hello frame.
const (
	Enter   = "\x05F\x01"
	EnterOK = "R\x01"
)

// ChunkName, at the start of code sent to the raw REPL, names the chunk:
// "--moonpin:chunk=blink.lua\n" and then the code runs as the chunk
// blink.lua, without that line, so errors read "blink.lua:2: ..." rather
// than "stdin:2: ...". To Lua, and to a device that does not know it, the
// line is a comment.
const ChunkName = "--moonpin:chunk="

// Show, as the last line of code sent to the raw REPL, has moonpin pass
// the chunk one argument (...): a function that prints values as the
// friendly REPL shows them. show(quote, v1, v2, ...) writes v1, v2, ...
// separated by ", " and then a newline, nothing for no values; a string as
// it is, or with quote true and control bytes in it, quoted. It is Go, so
// what a script did to print, tostring or string cannot change what a
// host's eval shows. To Lua, and to a device that does not know it, the
// line is a comment.
const Show = "--moonpin:show"

// Frame types. Requests go from host to device, replies the other way.
const (
	Hello  byte = 'v' // device: version, max payload, window (data frames in flight)
	Put    byte = 'p' // host: path, size, sha256 -> OK
	Data   byte = 'd' // both: file bytes (host->device answered by Ack)
	Finish byte = 'f' // host: end of a put -> OK once the file is in place
	Get    byte = 'g' // host: path -> Header, Data..., End
	List   byte = 'l' // host: directory -> OK with entries
	Stat   byte = 's' // host: path -> OK with one entry
	Remove byte = 'r' // host: path (file or empty directory) -> OK
	Mkdir  byte = 'm' // host: path (and parents) -> OK
	Sum    byte = 'x' // host: path -> OK with size and sha256
	Rename byte = 'n' // host: from, to -> OK
	Usage  byte = 'u' // host: path -> OK with total, free and available bytes of its file system
	Quit   byte = 'q' // host: leave the channel -> OK, then the raw REPL's ">"

	// A mount (moonctl mount): the host asks for it in the file channel,
	// and while it lasts the device sends its file reads to the host as
	// requests, each an Escape byte and a frame, among the REPL's output.
	Mount   byte = 'M' // host: flags (MountWritable), the host's directory -> OK; the device's root is that directory
	Unmount byte = 'U' // host: end the mount -> OK
	MStat   byte = 'T' // device: id, path -> OK with id and one entry
	MRead   byte = 'R' // device: id, path, offset -> OK with id, file size and up to ChunkSize bytes from offset
	MList   byte = 'L' // device: id, directory, first -> OK with id, whether more follow, entries from the first-th
	MWrite  byte = 'W' // device: id, path, flags (Write*), up to ChunkSize bytes -> OK with id
	MMkdir  byte = 'K' // device: id, path (and parents) -> OK with id
	MRemove byte = 'X' // device: id, path (a file, an empty directory, a symlink itself) -> OK with id
	MRename byte = 'N' // device: id, from, to -> OK with id
	// MKeep, from the host, goes before each raw REPL request (Ctrl-A) it
	// sends while its mount lasts: a request without it is a new host's
	// (on a serial line or a pty a client can go and another come unseen),
	// which ends the mount. No reply.
	MKeep byte = 'P'

	OK     byte = 'k' // device: success, payload depends on the request
	Ack    byte = 'a' // device: data frame stored; bytes received so far
	Header byte = 'h' // device: a get begins; size
	End    byte = 'z' // device: a get ends; sha256 of the data sent
	Fail   byte = 'e' // device: error code and message
)

// MountWritable, in a Mount request's flags, lets the device write to the
// mount (moonctl mount --rw).
const MountWritable = 1

// Flags of an MWrite request. A write that replaces a file goes to a
// temporary file that the last piece renames into place; an append is cut
// off if it is abandoned before its last piece (any other request comes).
// WriteMore says more pieces follow, WriteNext that this one continues the
// write before. (An older moonctl appends each piece as it comes.)
const (
	WriteAppend = 1 << iota // add to the file instead of replacing it
	WriteMore
	WriteNext
)

// Escape introduces a mount frame in either direction while a mount lasts:
// Escape and then Sync start a request (device to host) or its reply (host
// to device), which carries the request's id first. In the device's output
// a mount escapes its own Escape bytes by doubling them; the host's keys
// need no escaping, as Escape followed by Sync is never text (0xA5 cannot
// follow an ASCII byte in UTF-8).
const Escape = 0x18

// Error codes carried by Fail frames.
const (
	CodeOther    byte = 0
	CodeNotExist byte = 1
	CodeExist    byte = 2
	CodeIsDir    byte = 3
	CodeNotDir   byte = 4
	CodeBadFrame byte = 5
	CodeDenied   byte = 6
)

// Errno is the errno a Fail frame's code stands for, or 0 where none does
// (CodeOther, CodeBadFrame). errors.Is of it against fs.ErrNotExist,
// fs.ErrExist and fs.ErrPermission works.
func Errno(code byte) syscall.Errno {
	switch code {
	case CodeNotExist:
		return syscall.ENOENT
	case CodeExist:
		return syscall.EEXIST
	case CodeDenied:
		return syscall.EACCES
	case CodeIsDir:
		return syscall.EISDIR
	case CodeNotDir:
		return syscall.ENOTDIR
	}
	return 0
}

// Errors from ReadFrame. ErrChecksum and ErrTooLarge leave the stream where
// the frame ended (or, for ErrTooLarge, right after its header).
var (
	ErrNoSync   = errors.New("wire: expected a frame (0xA5)")
	ErrChecksum = errors.New("wire: frame checksum mismatch; is the line 8-bit clean and raw?")
	ErrTooLarge = errors.New("wire: frame larger than the limit")
)

// castagnoli is the CRC-32C table, made on first use: making it at every
// start of moonpin took a sixth of a millisecond.
var castagnoli = sync.OnceValue(func() *crc32.Table { return crc32.MakeTable(crc32.Castagnoli) })

// AppendFrame appends the encoded frame to dst.
func AppendFrame(dst []byte, typ byte, payload []byte) []byte {
	var hdr [5]byte
	hdr[0] = typ
	binary.LittleEndian.PutUint32(hdr[1:], uint32(len(payload)))
	crc := crc32.Update(0, castagnoli(), hdr[:])
	crc = crc32.Update(crc, castagnoli(), payload)
	dst = append(dst, Sync)
	dst = append(dst, hdr[:]...)
	dst = append(dst, payload...)
	return binary.LittleEndian.AppendUint32(dst, crc)
}

// Frame is a decoded frame. Payload aliases the reader's buffer until the
// next ReadFrame.
type Frame struct {
	Type    byte
	Payload []byte
}

// Reader reads frames, reusing one buffer.
type Reader struct {
	r   io.Reader
	buf []byte
	max int
}

// NewReader reads frames of at most max payload bytes from r.
func NewReader(r io.Reader, max int) *Reader { return &Reader{r: r, max: max} }

// ReadFrame reads the next frame. The first byte must be Sync; when it is not,
// ReadFrame returns ErrNoSync having consumed only that byte.
func (fr *Reader) ReadFrame() (Frame, error) {
	var first [1]byte
	if _, err := io.ReadFull(fr.r, first[:]); err != nil {
		return Frame{}, err
	}
	if first[0] != Sync {
		return Frame{}, ErrNoSync
	}
	return fr.ReadAfterSync()
}

// ReadAfterSync reads the rest of a frame whose Sync byte was already read.
func (fr *Reader) ReadAfterSync() (Frame, error) {
	var hdr [5]byte
	if _, err := io.ReadFull(fr.r, hdr[:]); err != nil {
		return Frame{}, unexpected(err)
	}
	n := binary.LittleEndian.Uint32(hdr[1:])
	if int64(n) > int64(fr.max) {
		return Frame{Type: hdr[0]}, fmt.Errorf("%w: %d bytes, limit %d", ErrTooLarge, n, fr.max)
	}
	if cap(fr.buf) < int(n)+4 {
		fr.buf = make([]byte, int(n)+4)
	}
	body := fr.buf[:int(n)+4]
	if _, err := io.ReadFull(fr.r, body); err != nil {
		return Frame{}, unexpected(err)
	}
	crc := crc32.Update(0, castagnoli(), hdr[:])
	crc = crc32.Update(crc, castagnoli(), body[:n])
	if crc != binary.LittleEndian.Uint32(body[n:]) {
		return Frame{Type: hdr[0]}, ErrChecksum
	}
	return Frame{Type: hdr[0], Payload: body[:n]}, nil
}

func unexpected(err error) error {
	if err == io.EOF {
		return io.ErrUnexpectedEOF
	}
	return err
}

// Encoder builds a payload from fields.
type Encoder struct{ B []byte }

// Uint appends an unsigned varint.
func (e *Encoder) Uint(v uint64) *Encoder { e.B = binary.AppendUvarint(e.B, v); return e }

// Int appends a signed varint.
func (e *Encoder) Int(v int64) *Encoder { e.B = binary.AppendVarint(e.B, v); return e }

// String appends a length-prefixed string.
func (e *Encoder) String(s string) *Encoder {
	e.Uint(uint64(len(s)))
	e.B = append(e.B, s...)
	return e
}

// Bytes appends b as is (a fixed-size field such as a sha256).
func (e *Encoder) Bytes(b []byte) *Encoder { e.B = append(e.B, b...); return e }

// Byte appends one byte.
func (e *Encoder) Byte(b byte) *Encoder { e.B = append(e.B, b); return e }

// ErrShort is returned by a Decoder that ran out of payload or met a
// malformed field.
var ErrShort = errors.New("wire: malformed payload")

// Decoder reads fields from a payload; after the first error every read
// returns zero values and Err reports it.
type Decoder struct {
	B   []byte
	err error
}

// Err is the first decoding error.
func (d *Decoder) Err() error { return d.err }

// Uint reads an unsigned varint.
func (d *Decoder) Uint() uint64 {
	if d.err != nil {
		return 0
	}
	v, n := binary.Uvarint(d.B)
	if n <= 0 {
		d.err = ErrShort
		return 0
	}
	d.B = d.B[n:]
	return v
}

// Int reads a signed varint.
func (d *Decoder) Int() int64 {
	if d.err != nil {
		return 0
	}
	v, n := binary.Varint(d.B)
	if n <= 0 {
		d.err = ErrShort
		return 0
	}
	d.B = d.B[n:]
	return v
}

// String reads a length-prefixed string.
func (d *Decoder) String() string {
	n := d.Uint()
	if d.err != nil {
		return ""
	}
	if n > uint64(len(d.B)) {
		d.err = ErrShort
		return ""
	}
	s := string(d.B[:n])
	d.B = d.B[n:]
	return s
}

// Bytes reads n bytes.
func (d *Decoder) Bytes(n int) []byte {
	if d.err != nil {
		return nil
	}
	if n > len(d.B) {
		d.err = ErrShort
		return nil
	}
	b := d.B[:n:n]
	d.B = d.B[n:]
	return b
}

// Byte reads one byte.
func (d *Decoder) Byte() byte {
	b := d.Bytes(1)
	if b == nil {
		return 0
	}
	return b[0]
}

// Entry describes a file or directory in List and Stat replies.
type Entry struct {
	Name  string
	Dir   bool
	Size  int64
	Mtime int64 // Unix seconds
}

// AppendEntry encodes e.
func AppendEntry(e *Encoder, en Entry) {
	var dir byte
	if en.Dir {
		dir = 1
	}
	e.String(en.Name).Byte(dir).Uint(uint64(max(en.Size, 0))).Int(en.Mtime)
}

// ReadEntry decodes an entry.
func ReadEntry(d *Decoder) Entry {
	return Entry{Name: d.String(), Dir: d.Byte() == 1, Size: int64(d.Uint()), Mtime: d.Int()}
}
