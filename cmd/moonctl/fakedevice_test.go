package main

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"hash/crc32"
	"net"
	"path"
	"path/filepath"
	"regexp"
	"sync"
	"sync/atomic"
	"testing"
)

// fakeDevice answers moonctl's raw REPL handshake and file channel as
// moonpin does, but lists what its test says: a hostile board, or a broken
// one, of a kind the real moonpin cannot be made into. Every file it has
// holds fakeData. (The frames are written out here: the wire package is
// internal to repl.)
type fakeDevice struct {
	t     testing.TB
	port  string // unix://SOCKET for moonctl -p
	list  func(dir string) []fakeEntry
	lists atomic.Int64 // List requests answered
}

type fakeEntry struct {
	name string
	dir  bool
}

const fakeData = "from the fake device\n"

// startFakeDevice serves a fake device on a socket until the test ends.
func startFakeDevice(t testing.TB, list func(dir string) []fakeEntry) *fakeDevice {
	t.Helper()
	sock := filepath.Join(t.TempDir(), "fake.sock")
	l, err := net.Listen("unix", sock)
	if err != nil {
		t.Fatal(err)
	}
	d := &fakeDevice{t: t, port: "unix://" + sock, list: list}
	var wg sync.WaitGroup
	var mu sync.Mutex
	var conns []net.Conn
	wg.Add(1)
	go func() {
		defer wg.Done()
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			mu.Lock()
			conns = append(conns, c)
			mu.Unlock()
			wg.Add(1)
			go func() {
				defer wg.Done()
				d.serve(c)
			}()
		}
	}()
	t.Cleanup(func() {
		l.Close()
		mu.Lock()
		for _, c := range conns {
			c.Close()
		}
		mu.Unlock()
		wg.Wait()
	})
	return d
}

// moonctl runs moonctl on the fake device.
func (d *fakeDevice) moonctl(args ...string) result {
	d.t.Helper()
	b := &board{t: d.t, path: d.port}
	return b.moonctl(args...)
}

var syncCode = regexp.MustCompile(`sync (sync_[0-9a-f]+)\x04`)

// serve answers one connection: the raw REPL's requests as text, then the
// file channel's frames.
func (d *fakeDevice) serve(c net.Conn) {
	var buf []byte
	more := func() bool {
		p := make([]byte, 64<<10)
		n, err := c.Read(p)
		buf = append(buf, p[:n]...)
		return err == nil
	}
	for {
		// The raw REPL.
		switch i := bytes.Index(buf, []byte("\x05F\x01")); {
		case i >= 0:
			buf = buf[i+3:]
			hello := binary.AppendUvarint(nil, 1)
			hello = binary.AppendUvarint(hello, 64<<10)
			hello = binary.AppendUvarint(hello, 8)
			c.Write(append([]byte("R\x01"), fakeFrame('v', hello)...))
			var err error
			if buf, err = d.files(c, buf); err != nil {
				return
			}
			continue
		case bytes.IndexByte(buf, 0x05) >= 0:
		case syncCode.Match(buf):
			m := syncCode.FindSubmatchIndex(buf)
			c.Write([]byte("OK\x04stdin:1: '=' expected near '" + string(buf[m[2]:m[3]]) + "'\r\n\x04>"))
			buf = buf[m[1]:]
			continue
		case bytes.IndexByte(buf, 0x01) >= 0:
			buf = buf[bytes.IndexByte(buf, 0x01)+1:]
			c.Write([]byte("raw REPL; CTRL-B to exit\r\n>"))
			continue
		case bytes.IndexByte(buf, 0x02) >= 0:
			buf = buf[bytes.IndexByte(buf, 0x02)+1:]
			c.Write([]byte("\r\n> "))
			continue
		}
		if !more() {
			return
		}
	}
}

// files answers file-channel requests until Quit, and returns what came
// after it.
func (d *fakeDevice) files(c net.Conn, buf []byte) ([]byte, error) {
	need := func(n int) error {
		for len(buf) < n {
			p := make([]byte, 64<<10)
			got, err := c.Read(p)
			buf = append(buf, p[:got]...)
			if err != nil {
				return err
			}
		}
		return nil
	}
	for {
		if err := need(6); err != nil {
			return nil, err
		}
		if buf[0] != 0xA5 {
			return nil, errors.New("fake device: lost the frames")
		}
		typ, n := buf[1], int(binary.LittleEndian.Uint32(buf[2:6]))
		if err := need(6 + n + 4); err != nil {
			return nil, err
		}
		payload := buf[6 : 6+n]
		buf = buf[6+n+4:]
		size, _ := binary.Uvarint(payload)
		name := ""
		if l := binary.PutUvarint(make([]byte, 10), size); l+int(size) <= len(payload) {
			name = string(payload[l : l+int(size)])
		}
		sum := sha256.Sum256([]byte(fakeData))
		switch typ {
		case 's':
			c.Write(fakeFrame('k', fakeEntryBytes(nil, fakeEntry{path.Base(name), true})))
		case 'l':
			d.lists.Add(1)
			entries := d.list(name)
			p := binary.AppendUvarint(nil, uint64(len(entries)))
			for _, e := range entries {
				p = fakeEntryBytes(p, e)
			}
			c.Write(fakeFrame('k', p))
		case 'x':
			c.Write(fakeFrame('k', append(binary.AppendUvarint(nil, uint64(len(fakeData))), sum[:]...)))
		case 'g':
			c.Write(fakeFrame('h', binary.AppendUvarint(nil, uint64(len(fakeData)))))
			c.Write(fakeFrame('d', []byte(fakeData)))
			c.Write(fakeFrame('z', sum[:]))
		case 'q':
			c.Write(append(fakeFrame('k', nil), '>'))
			return buf, nil
		default:
			msg := name + ": refused by the fake device"
			c.Write(fakeFrame('e', append(binary.AppendUvarint([]byte{0}, uint64(len(msg))), msg...)))
		}
	}
}

func fakeEntryBytes(p []byte, e fakeEntry) []byte {
	p = binary.AppendUvarint(p, uint64(len(e.name)))
	p = append(p, e.name...)
	dir := byte(0)
	if e.dir {
		dir = 1
	}
	p = append(p, dir)
	if e.dir {
		p = binary.AppendUvarint(p, 0)
	} else {
		p = binary.AppendUvarint(p, uint64(len(fakeData)))
	}
	return binary.AppendVarint(p, 0)
}

// fakeFrame is a file-channel frame: sync byte, type, length, payload and
// the CRC-32C of type, length and payload.
func fakeFrame(typ byte, payload []byte) []byte {
	hdr := binary.LittleEndian.AppendUint32([]byte{typ}, uint32(len(payload)))
	crc := crc32.Update(0, crc32.MakeTable(crc32.Castagnoli), hdr)
	crc = crc32.Update(crc, crc32.MakeTable(crc32.Castagnoli), payload)
	f := append([]byte{0xA5}, hdr...)
	f = append(f, payload...)
	return binary.LittleEndian.AppendUint32(f, crc)
}
