package devices

import (
	"slices"

	"github.com/moonpin/moonpin/hal"
	"github.com/moonpin/moonpin/interp/host"
	lua "github.com/yuin/gopher-lua"
	"periph.io/x/conn/v3/gpio"
	"periph.io/x/conn/v3/i2c"
	"periph.io/x/devices/v3/mcp23xxx"
)

// mcp23017 drives a Microchip MCP23017 16-pin I/O expander through
// periph's mcp23xxx. Pins are 0..15 (A0..A7, then B0..B7) or their names
// "A0".."B7". Options: addr (0x20..0x27). Closing makes every pin an input
// again, as at power-on.
var mcp23017Kind = &kind{
	name:  "mcp23017",
	part:  "MCP23017",
	addrs: []uint16{0x20, 0x21, 0x22, 0x23, 0x24, 0x25, 0x26, 0x27},
	methods: map[string]lua.LGFunction{
		"mode":  mcpMode,
		"write": mcpWrite,
		"read":  mcpRead,
	},
	open: func(L *lua.LState, w *wire, o opts) connect {
		return func() (any, func() error, error) {
			dev, err := mcp23xxx.NewI2C(w.bus, mcp23xxx.MCP23017, w.addr)
			if err != nil {
				return nil, nil, err
			}
			halt := func() error {
				// Close only drops the pins from periph's global registry,
				// whose names ("MCP23017_20_PORTA_0") hold no bus: another
				// handle on a chip at this address may have dropped them
				// already, and moonpin looks nothing up there.
				_ = dev.Close()
				// IODIRA and IODIRB: every pin an input.
				return (&i2c.Dev{Bus: w.bus, Addr: w.addr}).Tx([]byte{0x00, 0xFF, 0xFF}, nil)
			}
			return dev, halt, nil
		}
	},
}

// mcpPin reads argument 2 as a pin: 0..15 or "A0".."B7".
func mcpPin(L *lua.LState, dev *mcp23xxx.Dev) mcp23xxx.Pin {
	n := -1
	switch v := L.Get(2).(type) {
	case lua.LNumber:
		if i := int(v); float64(i) == float64(v) && i >= 0 && i < 16 {
			n = i
		}
	case lua.LString:
		if len(v) == 2 && (v[0] == 'A' || v[0] == 'B') && v[1] >= '0' && v[1] <= '7' {
			n = 8*int(v[0]-'A') + int(v[1]-'0')
		}
	}
	if n < 0 {
		host.ArgError(L, 2, "no pin %s; pins are 0..15 or \"A0\"..\"A7\", \"B0\"..\"B7\"", L.Get(2))
	}
	return dev.Pins[n/8][n%8]
}

// mode(pin, m) makes a pin an output ("out", low), an input ("in") or an input
// with its 100 kΩ pull-up ("in_pullup").
func mcpMode(L *lua.LState) int {
	d := check(L, "mcp23017")
	p := mcpPin(L, d.drv.(*mcp23xxx.Dev))
	m := L.CheckString(3)
	if !slices.Contains([]string{"in", "in_pullup", "out"}, m) {
		host.ArgError(L, 3, "mode %s is not one of in, in_pullup, out", hal.Quoted(m))
	}
	call(L, "mcp23017", "mode", func(*device) error {
		switch m {
		case "out":
			return p.Out(gpio.Low)
		case "in_pullup":
			return p.In(gpio.PullUp, gpio.NoEdge)
		default:
			return p.In(gpio.Float, gpio.NoEdge)
		}
	})
	return 0
}

// write(pin, level) sets an output pin: 0, 1, true or false.
func mcpWrite(L *lua.LState) int {
	d := check(L, "mcp23017")
	p := mcpPin(L, d.drv.(*mcp23xxx.Dev))
	var l gpio.Level
	switch v := L.Get(3).(type) {
	case lua.LBool:
		l = gpio.Level(v)
	case lua.LNumber:
		if v != 0 && v != 1 {
			host.ArgError(L, 3, "expected 0, 1, true or false, got %s", v)
		}
		l = v == 1
	default:
		host.ArgError(L, 3, "expected 0, 1, true or false, got %s", L.Get(3).Type())
	}
	call(L, "mcp23017", "write", func(*device) error { return p.Out(l) })
	return 0
}

// read(pin) returns a pin's level, 0 or 1.
func mcpRead(L *lua.LState) int {
	d := check(L, "mcp23017")
	p := mcpPin(L, d.drv.(*mcp23xxx.Dev))
	var l gpio.Level
	call(L, "mcp23017", "read", func(*device) error { l = p.Read(); return nil })
	if l {
		L.Push(lua.LNumber(1))
	} else {
		L.Push(lua.LNumber(0))
	}
	return 1
}
