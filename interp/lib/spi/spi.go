// Package spi is the Lua `spi` module: open a port with a clock, mode and
// word size, then full-duplex transfers. Data goes in as a string or a table
// of byte values and comes back as a string.
package spi

import (
	"fmt"
	"math"
	"strings"

	"github.com/moonpin/moonpin/interp/host"
	"github.com/moonpin/moonpin/interp/lib/hwdata"
	lua "github.com/yuin/gopher-lua"
	"periph.io/x/conn/v3/physic"
	"periph.io/x/conn/v3/spi"
)

const devType = "spi.dev"

var builtins = map[string]lua.LGFunction{
	"open": open,
}

var methods = map[string]lua.LGFunction{
	"transfer": transfer,
	"write":    write,
	"read":     read,
	"close":    closeDev,
}

// Loader pushes the module table.
func Loader(L *lua.LState) int {
	host.DefineType(L, devType, methods, func(d *dev) string {
		if d.port == nil {
			return fmt.Sprintf("spi(%s, %s, closed)", d.name, d.settings)
		}
		return fmt.Sprintf("spi(%s, %s)", d.name, d.settings)
	})
	L.Push(host.Module(L, "spi", builtins))
	return 1
}

type dev struct {
	port     spi.PortCloser // nil once closed
	conn     spi.Conn
	name     string
	settings string
	host.Tracked
}

// Describe is what the REPL shows: "SPI0.0 (1MHz, mode 0, 8 bits)".
func (d *dev) Describe() string {
	if d.port == nil {
		return d.name + " (closed)"
	}
	return fmt.Sprintf("%s (%s)", d.name, d.settings)
}

func (d *dev) Close() error {
	if d.port == nil {
		return nil
	}
	err := d.port.Close()
	d.port = nil
	return err
}

// open implements spi.open(name, {hz = 1e6, mode = 0, bits = 8}).
func open(L *lua.LState) int {
	name := L.CheckString(1)
	opts := L.OptTable(2, L.NewTable())
	host.CheckOptions(L, opts, 2, "hz", "mode", "bits")
	hz := option(L, opts, "hz", 1e6)
	mode := option(L, opts, "mode", 0)
	bits := option(L, opts, "bits", 8)
	if hz <= 0 || hz > 1e9 || math.IsNaN(hz) {
		L.ArgError(2, "hz must be a clock frequency from 1 Hz to 1 GHz")
	}
	if mode != 0 && mode != 1 && mode != 2 && mode != 3 {
		host.ArgError(L, 2, "mode %s is not an SPI mode (0..3)", host.Number(mode))
	}
	if bits != math.Trunc(bits) || bits < 1 || bits > 32 {
		host.ArgError(L, 2, "bits %s is not a word size (1..32)", host.Number(bits))
	}
	h := host.Of(L)
	if h.Board == nil {
		L.RaiseError("spi: no board (start moonpin with --board sim to simulate one)")
	}
	port, err := h.Board.OpenSPI(name)
	if err != nil {
		L.RaiseError("spi: %s", err)
	}
	freq := physic.Frequency(hz * float64(physic.Hertz))
	conn, err := port.Connect(freq, spi.Mode(mode), int(bits))
	if err != nil {
		port.Close()
		msg := err.Error()
		if !strings.HasPrefix(msg, name+": ") {
			msg = name + ": " + msg // the simulated port names itself already
		}
		L.RaiseError("spi: %s", msg)
	}
	d := &dev{port: port, conn: conn, name: name, settings: fmt.Sprintf("%v, mode %v, %v bits", freq, mode, bits)}
	d.Track(h, d)
	L.Push(host.NewHandle(L, devType, d))
	return 1
}

func option(L *lua.LState, opts *lua.LTable, name string, def float64) float64 {
	switch v := opts.RawGetString(name).(type) {
	case *lua.LNilType:
		return def
	case lua.LNumber:
		return float64(v)
	default:
		L.ArgError(2, fmt.Sprintf("%s must be a number, got %s", name, v.Type()))
		return 0
	}
}

func check(L *lua.LState) *dev {
	d, ok := L.CheckUserData(1).Value.(*dev)
	if !ok {
		L.ArgError(1, "spi device expected")
	}
	if d.port == nil {
		L.RaiseError("spi: %s is closed", d.name)
	}
	return d
}

// do runs one transfer; with nothing to send or read it does nothing, as
// MicroPython's spi.write(b"") (spidev and the simulator refuse an empty one).
func do(L *lua.LState, d *dev, w, r []byte) {
	if len(w) == 0 && len(r) == 0 {
		return
	}
	if err := d.conn.Tx(w, r); err != nil {
		L.RaiseError("spi: %s: %s", d.name, err)
	}
}

// transfer(data) sends data and returns the bytes clocked in meanwhile.
func transfer(L *lua.LState) int {
	d := check(L)
	w := hwdata.LastBytes(L, 2)
	r := make([]byte, len(w))
	do(L, d, w, r)
	L.Push(lua.LString(r))
	return 1
}

func write(L *lua.LState) int {
	d := check(L)
	do(L, d, hwdata.LastBytes(L, 2), nil)
	return 0
}

// read(n) clocks out n zero bytes and returns what came in.
func read(L *lua.LState) int {
	d := check(L)
	n := hwdata.Count(L, 2)
	r := make([]byte, n)
	do(L, d, make([]byte, n), r)
	L.Push(lua.LString(r))
	return 1
}

func closeDev(L *lua.LState) int {
	d, ok := L.CheckUserData(1).Value.(*dev)
	if !ok {
		L.ArgError(1, "spi device expected")
	}
	if d.port != nil {
		d.Untrack()
		if err := d.Close(); err != nil {
			L.RaiseError("spi: closing %s: %s", d.name, err)
		}
	}
	return 0
}
