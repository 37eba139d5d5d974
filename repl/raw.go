package repl

import (
	"errors"
	"fmt"
	"strings"
	"unicode"

	"github.com/moonpin/moonpin/interp/show"
	"github.com/moonpin/moonpin/repl/internal/wire"
	lua "github.com/yuin/gopher-lua"
)

const rawHeader = "raw REPL; CTRL-B to exit\r\n"

// rawREPL is MicroPython's raw REPL, byte for byte: code is collected without
// echo until Ctrl-D, answered by "OK", the output, "\x04", the error text,
// "\x04" and the ">" prompt. Ctrl-D on an empty buffer soft-resets (boot.lua
// only), Ctrl-A reprints the header, Ctrl-B returns to the friendly REPL and
// Ctrl-C clears the buffer. "\x05A" then Ctrl-A starts raw-paste mode and
// "\x05F" then Ctrl-A the file channel. Callback output between commands is
// dropped so that it cannot corrupt a reply.
func (d *Device) rawREPL() error {
	d.out.setQuiet(true)
	defer d.out.setQuiet(false)
	d.atRaw.Store(true)
	defer d.atRaw.Store(false)
	d.rawWrite(rawHeader + ">")
	var buf []byte
	overflow := 0
	var lost *lostError // the chunk under way lost bytes
	for {
		c, err := d.readKey(len(buf) == 0 && overflow == 0 && lost == nil)
		if errors.Is(err, errFresh) {
			// A new connection starts in the friendly REPL.
			d.raw = false
			return nil
		}
		if errors.Is(err, errCallbackEnd) {
			d.callbackEnded()
			d.rawWrite(rawHeader + ">")
			buf, overflow, lost = buf[:0], 0, nil
			continue
		}
		if errors.As(err, &lost) {
			continue
		}
		if err != nil {
			return err
		}
		switch c {
		case ctrlA:
			if len(buf) == 2 && buf[0] == ctrlE {
				d.rawCommand(buf[1])
				if !d.raw {
					return nil
				}
				buf, overflow, lost = buf[:0], 0, nil
				continue
			}
			buf, overflow, lost = buf[:0], 0, nil
			d.rawRequested()
			d.resetAfterUnmount()
			d.rawWrite(rawHeader + ">")
		case ctrlB:
			d.rawWrite("\r\n")
			d.resetAfterUnmount()
			d.raw = false
			return nil
		case ctrlC:
			buf, overflow, lost = buf[:0], 0, nil
			d.interruptCallback()
		case ctrlD:
			// The replies are the asking client's (see rawExec).
			gen := d.in.clientOutput()
			if len(buf) == 0 && overflow == 0 && lost == nil {
				d.reply(gen, "OK\r\n")
				d.softReset()
				d.reply(gen, rawHeader+">")
				continue
			}
			d.resetAfterUnmount()
			d.reply(gen, "OK")
			switch {
			case lost != nil:
				d.reply(gen, "\x04"+errorText(lost)+"\x04>")
			case overflow > 0:
				d.reply(gen, fmt.Sprintf("\x04input too long (%d bytes, limit %d MB); send files with the file channel (moonctl cp)\r\n\x04>", len(buf)+overflow, maxChunk>>20))
			default:
				d.rawExec(string(buf), "")
			}
			buf, overflow, lost = buf[:0], 0, nil
		default:
			if len(buf) < maxChunk {
				buf = append(buf, c)
			} else {
				overflow++
			}
		}
	}
}

// splitChunkName takes the chunk's name from a wire.ChunkName line at the
// start of code, if there is one and the name is sensible, and returns the
// code without that line; otherwise the chunk is "stdin", as typed code is.
func splitChunkName(code string) (name, rest string) {
	after, ok := strings.CutPrefix(code, wire.ChunkName)
	if !ok {
		return chunkName, code
	}
	name, rest, ok = strings.Cut(after, "\n")
	if !ok || name == "" || len(name) > 255 || strings.ContainsFunc(name, unicode.IsControl) {
		return chunkName, code
	}
	return name, rest
}

// rawExec writes prefix, runs code and writes the output, "\x04", the error
// text, "\x04" and ">" (after a soft reset, the raw REPL header and ">").
// Callback output cannot slip in between: outside the run the raw REPL is
// quiet. A clean run's ending is written on the loop goroutine, straight
// after the code: the reply is on its way before this goroutine wakes.
//
// The framing ("\x04\x04>", an error's text, the header after a reset) is
// the protocol of the client that sent the code, written to its connection
// only: a client that has gone while the code ran leaves it unsent, where
// the next client got it before its greeting. The code's own output goes
// to whichever client is there, as the friendly REPL's does.
func (d *Device) rawExec(code, prefix string) {
	gen := d.in.clientOutput()
	d.reply(gen, prefix)
	var err error
	d.command(func() {
		err = d.runLua(func(L *lua.LState) error {
			name, code := splitChunkName(code)
			fn, err := d.chunks.load(L, name, code)
			if err != nil {
				return err
			}
			L.Push(fn)
			nargs := 0
			if wantsShow(code) {
				L.Push(L.NewFunction(d.showValues))
				nargs = 1
			}
			if err := L.PCall(nargs, 0, nil); err != nil {
				return err
			}
			d.reply(gen, "\x04\x04>")
			return nil
		})
	})
	switch {
	case err == nil:
	case wantsReset(err):
		d.reply(gen, "\x04\x04")
		d.softReset()
		d.reply(gen, rawHeader+">")
	default:
		d.reply(gen, "\x04"+errorText(err)+"\x04>")
	}
}

// wantsShow reports whether code ends with a wire.Show line.
func wantsShow(code string) bool {
	code = strings.TrimRight(code, "\r\n")
	i := strings.LastIndexByte(code, '\n')
	return strings.TrimSpace(code[i+1:]) == wire.Show
}

// showValues is the function a wire.Show chunk gets: show(quote, ...)
// prints the values after quote as the friendly REPL does, but for
// strings, which are as they are unless quote is true.
func (d *Device) showValues(L *lua.LState) int {
	quote := lua.LVAsBool(L.Get(1))
	vals := make([]lua.LValue, 0, max(L.GetTop()-1, 0))
	for i := 2; i <= L.GetTop(); i++ {
		vals = append(vals, L.Get(i))
	}
	if len(vals) == 0 {
		return 0
	}
	var s string
	if quote {
		s = show.Values(L, vals)
	} else {
		s = show.ValuesAsText(L, vals)
	}
	d.write(string(crlf([]byte(s))) + "\r\n")
	return 0
}

// reply writes s to the connection of generation gen only (see rawExec),
// as framing: Ctrl-C drops the output before it, never the reply.
func (d *Device) reply(gen uint64, s string) { d.out.frame(gen, []byte(s)) }

// rawWrite is reply to the client the REPL serves: the one whose bytes
// asked for it (see input.clientOutput).
func (d *Device) rawWrite(s string) { d.reply(d.in.clientOutput(), s) }

// rawCommand answers "\x05" cmd Ctrl-A: 'A' is raw-paste, 'F' the file
// channel; anything else is refused with "R\x00", as MicroPython does.
func (d *Device) rawCommand(cmd byte) {
	// Ctrl-C is raw-paste's own, and a byte of a file's data: it drops
	// no output (see receive).
	d.atRaw.Store(false)
	defer d.atRaw.Store(true)
	switch cmd {
	case 'A':
		d.rawPaste()
	case 'F':
		d.fileChannel()
	default:
		d.rawWrite("R\x00>")
	}
}

// rawPaste receives code with flow control: after "R\x01" the device sends
// the window size (two bytes, little-endian) and "\x01", which grants a
// second window; it sends "\x01" again each time a window's worth has been
// consumed. Ctrl-D ends the code (acknowledged with "\x04" before it runs),
// Ctrl-C abandons it; every other byte is code.
func (d *Device) rawPaste() {
	d.rawWrite(string([]byte{'R', 0x01, rawWindow & 0xff, rawWindow >> 8, 0x01}))
	var code []byte
	remain := rawWindow
	overflow := 0
	var lost *lostError
	var chunk [4096]byte
	for {
		n, err := d.in.read(chunk[:], 0)
		if errors.As(err, &lost) {
			continue
		}
		if err != nil {
			if !errors.Is(err, errFresh) {
				return
			}
			// The host went away mid-paste; the new connection starts afresh.
			d.raw = false
			return
		}
		for i, c := range chunk[:n] {
			switch c {
			case ctrlC:
				d.unreadRest(chunk[i+1 : n])
				d.rawWrite("\x04\x04interrupted\r\n\x04>")
				return
			case ctrlD:
				d.unreadRest(chunk[i+1 : n])
				if lost != nil {
					d.rawWrite("\x04\x04" + errorText(lost) + "\x04>")
					return
				}
				if overflow > 0 {
					d.rawWrite(fmt.Sprintf("\x04\x04input too long (%d bytes, limit %d MB)\r\n\x04>", len(code)+overflow, maxChunk>>20))
					return
				}
				d.rawExec(string(code), "\x04")
				return
			}
			if len(code) < maxChunk {
				code = append(code, c)
			} else {
				overflow++
			}
			remain--
			if remain == 0 {
				d.rawWrite("\x01")
				remain = rawWindow
			}
		}
	}
}

// unreadRest puts back input read past the end of a paste.
func (d *Device) unreadRest(rest []byte) {
	for i := len(rest) - 1; i >= 0; i-- {
		d.in.unread(rest[i])
	}
}
