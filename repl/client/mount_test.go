package client

import (
	"bytes"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/moonpin/moonpin/repl/internal/wire"
)

// The computer's side keeps to the mounted directory whatever the device
// asks: a device is not trusted to have confined the path itself.
func TestMountServerStaysInDirectory(t *testing.T) {
	away := t.TempDir()
	if err := os.WriteFile(filepath.Join(away, "secret"), []byte("secret"), 0o644); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "ok.lua"), []byte("ok"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Mkdir(filepath.Join(dir, "sub"), 0o755); err != nil {
		t.Fatal(err)
	}
	for name, target := range map[string]string{"link": filepath.Join(away, "secret"), "up": away, "sub/in": "../ok.lua"} {
		if err := os.Symlink(target, filepath.Join(dir, name)); err != nil {
			t.Fatal(err)
		}
	}
	srv, device := newTestServer(t, dir)

	for _, name := range []string{"../" + filepath.Base(away) + "/secret", away + "/secret", "/etc/passwd", "link", "up/secret", "sub/../../x", "", "./ok.lua"} {
		f := srv.ask(device, wire.MRead, new(wire.Encoder).Uint(7).String(name).Uint(0).B)
		d := &wire.Decoder{B: f.Payload}
		if id := d.Uint(); f.Type != wire.Fail || id != 7 {
			t.Errorf("read %q: got %q (id %d), want a refusal", name, f.Type, id)
			continue
		}
		if code, msg := d.Byte(), d.String(); msg != outside && code != wire.CodeNotExist {
			t.Errorf("read %q refused with %q", name, msg)
		}
	}
	for _, name := range []string{"ok.lua", "sub/in"} {
		f := srv.ask(device, wire.MRead, new(wire.Encoder).Uint(8).String(name).Uint(0).B)
		d := &wire.Decoder{B: f.Payload}
		if f.Type != wire.OK || d.Uint() != 8 || d.Uint() != 2 || string(d.B) != "ok" {
			t.Errorf("read %q: got %q %q, want ok", name, f.Type, f.Payload)
		}
	}
	f := srv.ask(device, wire.MList, new(wire.Encoder).Uint(9).String(".").Uint(0).B)
	d := &wire.Decoder{B: f.Payload}
	d.Uint()
	d.Byte()
	var names []string
	for len(d.B) > 0 {
		names = append(names, wire.ReadEntry(d).Name)
	}
	if got := filepath.Join(names...); got != filepath.Join("ok.lua", "sub") {
		t.Errorf("list shows %v; a symlink that leads out is not there", names)
	}
}

// The device's escaped output comes out as it was, and its requests out of
// it, however the reads split them.
func TestMountDemux(t *testing.T) {
	srv := &mountServer{reqs: make(chan wire.Frame, 4), quit: make(chan struct{})}
	req := wire.AppendFrame([]byte{wire.Escape}, wire.MStat, new(wire.Encoder).Uint(1).String("x\x18").B)
	stream := append([]byte("a\x18\x18b"), req...)
	stream = append(stream, "c\x18\x18"...)
	for split := 1; split < len(stream); split++ {
		got := append(srv.demux(bytes.Clone(stream[:split])), srv.demux(bytes.Clone(stream[split:]))...)
		if string(got) != "a\x18bc\x18" {
			t.Fatalf("split at %d: output %q", split, got)
		}
		f := <-srv.reqs
		if f.Type != wire.MStat || string(f.Payload[2:]) != "x\x18" {
			t.Fatalf("split at %d: request %q %q", split, f.Type, f.Payload)
		}
	}
}

type testServer struct {
	*mountServer
	t *testing.T
}

func newTestServer(t *testing.T, dir string) (*testServer, net.Conn) {
	device, host := net.Pipe()
	c := New(host, Options{Timeout: 5 * time.Second})
	root, err := os.OpenRoot(dir)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		device.Close()
		c.Close()
		root.Close()
	})
	return &testServer{&mountServer{c: c, root: root}, t}, device
}

// ask has the server answer a request and reads the reply as the device.
func (s *testServer) ask(device net.Conn, typ byte, payload []byte) wire.Frame {
	s.t.Helper()
	go s.answer(wire.Frame{Type: typ, Payload: payload})
	device.SetReadDeadline(time.Now().Add(5 * time.Second))
	var esc [1]byte
	if _, err := device.Read(esc[:]); err != nil || esc[0] != wire.Escape {
		s.t.Fatalf("reply starts %q, %v", esc, err)
	}
	f, err := wire.NewReader(device, wire.MaxPayload+64).ReadFrame()
	if err != nil {
		s.t.Fatal(err)
	}
	f.Payload = bytes.Clone(f.Payload)
	return f
}

// Without --rw this side refuses writes itself, whatever the device does;
// with it, a write goes nowhere outside the directory.
func TestMountServerWrites(t *testing.T) {
	dir := t.TempDir()
	srv, device := newTestServer(t, dir)
	write := func(name string, flags uint64, data string) wire.Frame {
		return srv.ask(device, wire.MWrite, new(wire.Encoder).Uint(3).String(name).Uint(flags).Bytes([]byte(data)).B)
	}
	if f := write("a.txt", 0, "x"); f.Type != wire.Fail || !bytes.Contains(f.Payload, []byte("read-only")) {
		t.Fatalf("a write to a read-only mount: %q %q", f.Type, f.Payload)
	}
	srv.rw = true
	for _, name := range []string{"../a.txt", "/tmp/a.txt", "."} {
		if f := write(name, 0, "x"); f.Type != wire.Fail {
			t.Errorf("write %q was taken", name)
		}
	}
	if f := write("a.txt", wire.WriteNext, "x"); f.Type != wire.Fail {
		t.Errorf("a piece of a write that never began was taken")
	}
	write("a.txt", wire.WriteMore, "one,")
	if _, err := os.Stat(filepath.Join(dir, "a.txt")); err == nil {
		t.Fatal("a.txt is there before its last piece")
	}
	if f := write("a.txt", wire.WriteNext, "two"); f.Type != wire.OK {
		t.Fatalf("last piece: %q %q", f.Type, f.Payload)
	}
	if data, _ := os.ReadFile(filepath.Join(dir, "a.txt")); string(data) != "one,two" {
		t.Fatalf("a.txt holds %q", data)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 1 {
		t.Fatalf("the directory holds %d entries, want a.txt alone", len(entries))
	}
}

// TestMountAppendIsWholeOrNotAtAll: an append bigger than one piece is
// pending on the computer until its last piece, and cut off if the device
// asks anything else first (its code was interrupted) or the mount ends.
// Each piece was appended as it came, so an interrupted fs.append left a
// torn record in the mounted file, as a local one no longer does.
func TestMountAppendIsWholeOrNotAtAll(t *testing.T) {
	dir := t.TempDir()
	log := filepath.Join(dir, "log.txt")
	if err := os.WriteFile(log, []byte("old\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	srv, device := newTestServer(t, dir)
	srv.rw = true
	write := func(flags uint64, data string) {
		t.Helper()
		f := srv.ask(device, wire.MWrite, new(wire.Encoder).Uint(3).String("log.txt").Uint(flags).Bytes([]byte(data)).B)
		if f.Type != wire.OK {
			t.Fatalf("write %q with flags %d: %q %q", data, flags, f.Type, f.Payload)
		}
	}
	holds := func(want, when string) {
		t.Helper()
		if got, _ := os.ReadFile(log); string(got) != want {
			t.Fatalf("%s: log.txt holds %q, want %q", when, got, want)
		}
	}
	write(wire.WriteAppend|wire.WriteMore, "torn ")
	srv.ask(device, wire.MStat, new(wire.Encoder).Uint(4).String("log.txt").B)
	holds("old\n", "after an append abandoned for a stat")
	write(wire.WriteAppend|wire.WriteMore, "one ")
	write(wire.WriteAppend|wire.WriteNext|wire.WriteMore, "two ")
	write(wire.WriteAppend|wire.WriteNext, "three\n")
	holds("old\none two three\n", "after a whole append")
	// An older moonpin sends each piece as an append of its own.
	write(wire.WriteAppend, "four\n")
	holds("old\none two three\nfour\n", "after a one-piece append")
	write(wire.WriteAppend|wire.WriteMore, "torn ")
	srv.dropPending() // the mount ends (stopMount)
	holds("old\none two three\nfour\n", "after an append abandoned at the mount's end")
	// A replacement's piece cannot continue an append.
	write(wire.WriteAppend|wire.WriteMore, "torn ")
	if f := srv.ask(device, wire.MWrite, new(wire.Encoder).Uint(5).String("log.txt").Uint(wire.WriteNext).Bytes([]byte("x")).B); f.Type != wire.Fail {
		t.Errorf("a replacement's piece continued an append")
	}
}

// TestMountReadOfAReplacedFile: a file an editor replaces (writes a new one
// and renames it over the old) while the device reads it a piece at a time
// is read whole as it was; each piece reopened it, so the read was half
// old and half new. One written in place, its size changed, is refused.
func TestMountReadOfAReplacedFile(t *testing.T) {
	dir := t.TempDir()
	old := bytes.Repeat([]byte("A"), 3*wire.ChunkSize)
	if err := os.WriteFile(filepath.Join(dir, "f.bin"), old, 0o644); err != nil {
		t.Fatal(err)
	}
	srv, device := newTestServer(t, dir)
	readAt := func(offset int) (wire.Frame, []byte) {
		f := srv.ask(device, wire.MRead, new(wire.Encoder).Uint(1).String("f.bin").Uint(uint64(offset)).B)
		d := &wire.Decoder{B: f.Payload}
		d.Uint()
		d.Uint()
		return f, d.B
	}
	var got []byte
	for offset := 0; offset < len(old); {
		f, data := readAt(offset)
		if f.Type != wire.OK || len(data) == 0 {
			t.Fatalf("read at %d: %q", offset, f.Type)
		}
		got = append(got, data...)
		offset += len(data)
		if offset == wire.ChunkSize {
			// The editor saves: a new file renamed over the old.
			tmp := filepath.Join(dir, ".f.tmp")
			os.WriteFile(tmp, bytes.Repeat([]byte("B"), 3*wire.ChunkSize), 0o644)
			if err := os.Rename(tmp, filepath.Join(dir, "f.bin")); err != nil {
				t.Fatal(err)
			}
		}
	}
	if !bytes.Equal(got, old) {
		t.Fatalf("the read mixed versions: %d bytes of A", bytes.Count(got, []byte("A")))
	}

	// Written in place, shorter, between two pieces.
	if f, _ := readAt(0); f.Type != wire.OK {
		t.Fatalf("read at 0: %q", f.Type)
	}
	if err := os.Truncate(filepath.Join(dir, "f.bin"), 10); err != nil {
		t.Fatal(err)
	}
	if f, _ := readAt(wire.ChunkSize); f.Type != wire.Fail {
		t.Fatalf("a read of a file cut short meanwhile: %q, want a failure", f.Type)
	}
}

// TestMountListPagesWithLinksLeftOut: a listing of several frames, with
// symlinks that lead out left out, comes whole and once each: the device
// asks for the next frame by the number of entries it has, which counted
// the names left out too, so names came twice.
func TestMountListPagesWithLinksLeftOut(t *testing.T) {
	away := t.TempDir()
	dir := t.TempDir()
	for i := range 3000 {
		name := filepath.Join(dir, fmt.Sprintf("file%04d", i))
		if i%100 == 0 {
			os.Symlink(away, name) // leads out: not there
			continue
		}
		if err := os.WriteFile(name, nil, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	srv, device := newTestServer(t, dir)
	seen := map[string]int{}
	total := 0
	for {
		f := srv.ask(device, wire.MList, new(wire.Encoder).Uint(1).String(".").Uint(uint64(total)).B)
		d := &wire.Decoder{B: f.Payload}
		d.Uint()
		more := d.Byte() == 1
		for len(d.B) > 0 {
			seen[wire.ReadEntry(d).Name]++
			total++
		}
		if !more {
			break
		}
	}
	if total != 2970 || len(seen) != 2970 {
		t.Fatalf("listed %d entries, %d names; want 2970 once each", total, len(seen))
	}
}
