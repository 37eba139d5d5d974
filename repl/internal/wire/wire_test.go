package wire

import (
	"bytes"
	"errors"
	"io"
	"testing"
)

func TestFrameRoundTrip(t *testing.T) {
	var stream []byte
	payloads := [][]byte{nil, []byte("x"), bytes.Repeat([]byte{0xA5, 0x03, 0x04}, 20000)}
	for i, p := range payloads {
		stream = AppendFrame(stream, byte('a'+i), p)
	}
	r := NewReader(bytes.NewReader(stream), MaxPayload)
	for i, p := range payloads {
		f, err := r.ReadFrame()
		if err != nil || f.Type != byte('a'+i) || !bytes.Equal(f.Payload, p) {
			t.Fatalf("frame %d: %q %d bytes, %v", i, f.Type, len(f.Payload), err)
		}
	}
	if _, err := r.ReadFrame(); err != io.EOF {
		t.Fatalf("after the last frame: %v", err)
	}
}

func TestFrameErrors(t *testing.T) {
	good := AppendFrame(nil, 'd', []byte("payload"))
	for name, tc := range map[string]struct {
		in   []byte
		want error
	}{
		"no sync":   {[]byte("hello"), ErrNoSync},
		"truncated": {good[:len(good)-1], io.ErrUnexpectedEOF},
		"checksum":  {append(bytes.Clone(good[:len(good)-1]), good[len(good)-1]^1), ErrChecksum},
		"too large": {[]byte{Sync, 'd', 0, 0, 1, 0}, ErrTooLarge},
	} {
		_, err := NewReader(bytes.NewReader(tc.in), 1024).ReadFrame()
		if !errors.Is(err, tc.want) {
			t.Errorf("%s: %v, want %v", name, err, tc.want)
		}
	}
}

func TestFieldsRoundTrip(t *testing.T) {
	e := new(Encoder).String("a/b.lua").Uint(1 << 40).Int(-5).Byte(7).Bytes([]byte{1, 2})
	AppendEntry(e, Entry{Name: "x", Dir: true, Size: 3, Mtime: -1})
	d := &Decoder{B: e.B}
	if d.String() != "a/b.lua" || d.Uint() != 1<<40 || d.Int() != -5 || d.Byte() != 7 || !bytes.Equal(d.Bytes(2), []byte{1, 2}) {
		t.Fatal("fields differ")
	}
	if en := ReadEntry(d); en != (Entry{Name: "x", Dir: true, Size: 3, Mtime: -1}) || d.Err() != nil {
		t.Fatalf("entry %+v, %v", en, d.Err())
	}
	if d.Byte(); d.Err() != ErrShort {
		t.Fatalf("reading past the end: %v", d.Err())
	}
}

// FuzzReadFrame: any input is a frame, a clean error or the end of input;
// a frame read back encodes to the bytes it came from.
func FuzzReadFrame(f *testing.F) {
	f.Add(AppendFrame(nil, 'l', new(Encoder).String(".").B))
	f.Add(AppendFrame(AppendFrame(nil, 'd', []byte{0, 1, 2}), 'f', nil))
	f.Add([]byte{Sync, 'd', 0xff, 0xff, 0xff, 0xff})
	f.Add([]byte{Sync})
	f.Add([]byte("not a frame"))
	f.Fuzz(func(t *testing.T, in []byte) {
		r := NewReader(bytes.NewReader(in), 4096)
		off := 0
		for {
			f, err := r.ReadFrame()
			if err != nil {
				return
			}
			enc := AppendFrame(nil, f.Type, f.Payload)
			if !bytes.Equal(enc, in[off:off+len(enc)]) {
				t.Fatalf("frame re-encodes differently")
			}
			off += len(enc)
		}
	})
}

// FuzzDecoder: decoding never panics or reads past the payload.
func FuzzDecoder(f *testing.F) {
	e := new(Encoder).String("main.lua").Uint(10).Bytes(make([]byte, 32))
	f.Add(e.B)
	f.Add([]byte{0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01})
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, in []byte) {
		d := &Decoder{B: in}
		_ = d.String()
		_ = d.Uint()
		_ = d.Bytes(32)
		n := d.Uint()
		for i := uint64(0); i < n && d.Err() == nil; i++ {
			ReadEntry(d)
		}
		if len(d.B) > len(in) {
			t.Fatal("decoder grew its input")
		}
	})
}
