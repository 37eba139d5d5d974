// Package i2c is the Lua `i2c` module: open a bus by name, scan it, and read
// and write devices and their registers. Data goes in as a string or a table
// of byte values and comes back as a string (struct.unpack reads it). A
// device that does not acknowledge is the Lua error
// "i2c: no device at 0x76 on I2C1".
package i2c

import (
	"errors"
	"fmt"
	"math"
	"strings"

	"github.com/moonpin/moonpin/hal"
	"github.com/moonpin/moonpin/interp/host"
	"github.com/moonpin/moonpin/interp/lib/hwdata"
	"github.com/moonpin/moonpin/interp/show"
	lua "github.com/yuin/gopher-lua"
	"periph.io/x/conn/v3/i2c"
)

const (
	busType       = "i2c.bus"
	addressesType = "i2c.addresses"
)

var builtins = map[string]lua.LGFunction{
	"open": open,
}

var methods = map[string]lua.LGFunction{
	"scan":     scan,
	"read":     read,
	"write":    write,
	"tx":       tx,
	"readreg":  readreg,
	"writereg": writereg,
	"close":    closeBus,
}

// Loader pushes the module table.
func Loader(L *lua.LState) int {
	host.DefineType(L, busType, methods, func(b *bus) string {
		if b.bus == nil {
			return fmt.Sprintf("i2c(%s, closed)", b.name)
		}
		return fmt.Sprintf("i2c(%s)", b.name)
	})
	// scan's list prints its addresses in hex, as datasheets write them.
	L.SetField(L.NewTypeMetatable(addressesType), "__tostring", L.NewFunction(addressesString))
	L.Push(host.Module(L, "i2c", builtins))
	return 1
}

// addressesString is tostring of scan's list: "{0x50, 0x76}". Items
// that are no addresses show as repr shows them, the list itself among
// them as <cycle>. A scan finds at most 128 addresses; past shownAddresses
// items (a table a script gave the list's metatable) the rest is counted,
// not shown: a list of millions took seconds and hundreds of MB.
func addressesString(L *lua.LState) int {
	t := L.CheckTable(1)
	var parts []string
	show.Inside(L, t, func() {
		for i := 1; t.RawGetInt(i) != lua.LNil; i++ {
			if i > shownAddresses {
				parts = append(parts, fmt.Sprintf("… %d more", max(t.Len()-shownAddresses, 1)))
				break
			}
			v := t.RawGetInt(i)
			if n, ok := v.(lua.LNumber); ok && n == lua.LNumber(math.Trunc(float64(n))) && n >= 0 && n <= 0x7f {
				parts = append(parts, fmt.Sprintf("0x%02x", int(n)))
				continue
			}
			parts = append(parts, show.Value(L, v))
		}
	})
	L.Push(lua.LString("{" + strings.Join(parts, ", ") + "}"))
	return 1
}

// shownAddresses is how many items of a scan's list tostring shows.
const shownAddresses = 256

type bus struct {
	bus  i2c.BusCloser // nil once closed
	name string
	host.Tracked
}

// Describe is what the REPL shows: "I2C1 (open)".
func (b *bus) Describe() string {
	if b.bus == nil {
		return b.name + " (closed)"
	}
	return b.name + " (open)"
}

func (b *bus) Close() error {
	if b.bus == nil {
		return nil
	}
	err := b.bus.Close()
	b.bus = nil
	return err
}

// open implements i2c.open(name): "I2C1" or "/dev/i2c-1".
func open(L *lua.LState) int {
	name := L.CheckString(1)
	h := host.Of(L)
	if h.Board == nil {
		L.RaiseError("i2c: no board (start moonpin with --board sim to simulate one)")
	}
	hb, err := h.Board.OpenI2C(name)
	if err != nil {
		L.RaiseError("i2c: %s", err)
	}
	b := &bus{bus: hb, name: hb.String()}
	b.Track(h, b)
	L.Push(host.NewHandle(L, busType, b))
	return 1
}

func check(L *lua.LState) *bus {
	b, ok := L.CheckUserData(1).Value.(*bus)
	if !ok {
		L.ArgError(1, "i2c bus expected")
	}
	if b.bus == nil {
		L.RaiseError("i2c: bus %s is closed", b.name)
	}
	return b
}

// address checks argument n: a 7-bit address.
func address(L *lua.LState, n int) uint16 {
	return uint16(hwdata.Whole(L, n, 0, 0x7f, "I2C address %s is not 7-bit (0x00..0x7f)"))
}

// do runs one transaction and turns its error into a Lua error.
func do(L *lua.LState, b *bus, addr uint16, w, r []byte) {
	if err := b.bus.Tx(addr, w, r); err != nil {
		if errors.Is(err, hal.ErrNoDevice) {
			L.RaiseError("i2c: no device at 0x%02x on %s", addr, b.name)
		}
		L.RaiseError("i2c: 0x%02x on %s: %s", addr, b.name, err)
	}
}

// scan returns the addresses (0x08..0x77) that acknowledge a 1-byte read,
// as i2cdetect -r lists them: a probe that fails otherwise than by a NACK
// (a part holding the clock too long, a glitch) leaves its address out and
// the scan goes on. When nothing answered and some probe failed so, the
// bus itself is likely at fault: that is an error, not an empty list.
func scan(L *lua.LState) int {
	b := check(L)
	found := L.NewTable()
	L.SetMetatable(found, L.GetTypeMetatable(addressesType))
	buf := make([]byte, 1)
	var failed error
	var failedAt uint16
	for addr := uint16(0x08); addr <= 0x77; addr++ {
		err := b.bus.Tx(addr, nil, buf)
		switch {
		case err == nil:
			found.Append(lua.LNumber(addr))
		case errors.Is(err, hal.ErrNoDevice):
		case errors.Is(err, hal.ErrClosed):
			L.RaiseError("i2c: scanning %s: %s", b.name, err)
		case failed == nil:
			failed, failedAt = err, addr
		}
	}
	if found.Len() == 0 && failed != nil {
		L.RaiseError("i2c: scanning %s: no device answered, and the probe of 0x%02x failed: %s; check the bus's wiring (SDA, SCL, ground) and its pull-ups", b.name, failedAt, failed)
	}
	L.Push(found)
	return 1
}

func read(L *lua.LState) int {
	b, addr := check(L), address(L, 2)
	r := make([]byte, hwdata.Count(L, 3))
	do(L, b, addr, nil, r)
	L.Push(lua.LString(r))
	return 1
}

func write(L *lua.LState) int {
	b, addr := check(L), address(L, 2)
	do(L, b, addr, hwdata.LastBytes(L, 3), nil)
	return 0
}

// tx(addr, w, rlen) writes w then reads rlen bytes in one transaction.
func tx(L *lua.LState) int {
	b, addr := check(L), address(L, 2)
	w := hwdata.Bytes(L, 3)
	r := make([]byte, hwdata.Count(L, 4))
	do(L, b, addr, w, r)
	L.Push(lua.LString(r))
	return 1
}

func register(L *lua.LState, n int) byte {
	return byte(hwdata.Whole(L, n, 0, 0xff, "register %s is not a byte (0x00..0xff)"))
}

// readreg(addr, reg, n) writes the register number, then reads n bytes.
func readreg(L *lua.LState) int {
	b, addr, reg := check(L), address(L, 2), register(L, 3)
	r := make([]byte, hwdata.Count(L, 4))
	do(L, b, addr, []byte{reg}, r)
	L.Push(lua.LString(r))
	return 1
}

// writereg(addr, reg, data) writes the register number followed by data.
func writereg(L *lua.LState) int {
	b, addr, reg := check(L), address(L, 2), register(L, 3)
	do(L, b, addr, append([]byte{reg}, hwdata.LastBytes(L, 4)...), nil)
	return 0
}

func closeBus(L *lua.LState) int {
	b, ok := L.CheckUserData(1).Value.(*bus)
	if !ok {
		L.ArgError(1, "i2c bus expected")
	}
	if b.bus != nil {
		b.Untrack()
		if err := b.Close(); err != nil {
			L.RaiseError("i2c: closing %s: %s", b.name, err)
		}
	}
	return 0
}

// Bus returns the open bus that argument n holds and its name, for modules
// that drive devices on it (devices); it raises the Lua error when n is not
// an i2c bus or the bus is closed.
func Bus(L *lua.LState, n int) (i2c.Bus, string) {
	b, ok := L.CheckUserData(n).Value.(*bus)
	if !ok {
		L.ArgError(n, "i2c bus expected")
	}
	if b.bus == nil {
		L.RaiseError("i2c: bus %s is closed", b.name)
	}
	return b.bus, b.name
}
