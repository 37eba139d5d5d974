package repl_test

import (
	"strconv"
	"testing"
	"time"

	"github.com/moonpin/moonpin/repl/internal/wire"
)

// recoverREPL brings a device in any state back to the friendly prompt, as a
// person would: Ctrl-C, Ctrl-B, then a line whose answer proves it. A frame
// cut short needs the frame timeout to pass first, so it tries a few times.
func (d *device) recoverREPL(t *testing.T) {
	t.Helper()
	for attempt := range 10 {
		mark := "ready" + strconv.Itoa(attempt)
		d.Send("\x03\x03\x02\x03='" + mark + "'\r")
		if d.WaitFor("\r\n"+mark+"\r\n> ", time.Second) {
			return
		}
	}
	t.Fatal("the REPL never came back")
}

// FuzzRawREPL feeds the raw REPL (and, through it, raw-paste mode and the
// file channel) arbitrary bytes: the device answers, never crashes, and
// always comes back to the prompt.
func FuzzRawREPL(f *testing.F) {
	for _, seed := range []string{
		"print(1)\x04",
		"error('x')\x04",
		"\x04",
		"junk\x01\x02",
		"\x05A\x01print(2)\x04",
		"\x05A\x01x = 1\x03",
		"\x05Z\x01",
		"\x05F\x01" + frame(wire.List, new(wire.Encoder).String(".").B),
		"\x05F\x01\xa5\x00",
		"for i = 1, 3 do print(i) end\x04\x02",
		"\xff\xfe\x00\x04",
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, in []byte) {
		if len(in) > 64<<10 {
			return
		}
		d := startDevice(t, nil, quickOpts())
		d.Expect("> ")
		d.Send("\x01")
		d.Expect(">")
		d.Send(string(in))
		d.recoverREPL(t)
	})
}

// FuzzFileChannel feeds the file channel arbitrary frames and bytes.
func FuzzFileChannel(f *testing.F) {
	put := frame(wire.Put, new(wire.Encoder).String("a.txt").Uint(3).Bytes(make([]byte, 32)).B)
	for _, seed := range []string{
		frame(wire.List, new(wire.Encoder).String(".").B),
		frame(wire.Stat, new(wire.Encoder).String("main.lua").B),
		frame(wire.Get, new(wire.Encoder).String("main.lua").B),
		frame(wire.Sum, new(wire.Encoder).String("main.lua").B),
		frame(wire.Mkdir, new(wire.Encoder).String("d/e").B),
		frame(wire.Rename, new(wire.Encoder).String("main.lua").String("m.lua").B),
		frame(wire.Remove, new(wire.Encoder).String("main.lua").B),
		put + frame(wire.Data, []byte("abc")) + frame(wire.Finish, nil),
		put + frame(wire.Data, []byte("abcdef")),
		frame(wire.Data, []byte("stray")),
		frame(wire.Quit, nil),
		"\xa5\x64\xff\xff\x00\x00",
		"\xa5l\x01",
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, in []byte) {
		if len(in) > 64<<10 {
			return
		}
		d := startDevice(t, map[string]string{"main.lua": "x = 1\n"}, quickOpts())
		d.Expect("> ")
		d.fileChannel()
		d.Send(string(in))
		d.recoverREPL(t)
	})
}
