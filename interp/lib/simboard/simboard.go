// Package simboard is the Lua `sim` module, present when moonpin runs on the
// simulated board: it plays the outside world, pressing buttons (driving
// inputs), setting what the sensors measure (weather, light, ADC voltages,
// current, acceleration, CO2, load), and shows what outputs and displays did. Tests and examples use it; at the
// REPL it lets a user try button code with no button.
package simboard

import (
	"bytes"
	"fmt"
	"maps"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/moonpin/moonpin/hal/sim"
	"github.com/moonpin/moonpin/interp/host"
	fslib "github.com/moonpin/moonpin/interp/lib/fs"
	"github.com/moonpin/moonpin/interp/lib/hwdata"
	lua "github.com/yuin/gopher-lua"
	"periph.io/x/conn/v3/gpio"
	"periph.io/x/conn/v3/physic"
	"periph.io/x/devices/v3/max7219"
)

var builtins = map[string]lua.LGFunction{
	"set":     set,
	"release": release,
	"history": history,
	"pwm":     pwm,
	"env":     env,
	"adc":     adc,
	"device":  device,
	"screen":  screen,
}

// Loader pushes the module table.
func Loader(L *lua.LState) int {
	L.Push(host.Module(L, "sim", builtins))
	return 1
}

func board(L *lua.LState) *sim.Board {
	b, ok := host.Of(L).Board.(*sim.Board)
	if !ok {
		L.RaiseError("sim: the board is not simulated")
	}
	return b
}

// set(pin, level) drives an input from outside, as a button or sensor would.
func set(L *lua.LState) int {
	name := L.CheckString(1)
	var level gpio.Level
	switch v := L.Get(2).(type) {
	case lua.LBool:
		level = gpio.Level(v)
	case lua.LNumber:
		if v != 0 && v != 1 {
			L.ArgError(2, "expected 0, 1, true or false")
		}
		level = v == 1
	default:
		L.ArgError(2, "expected 0, 1, true or false")
	}
	if err := board(L).SetInput(name, level); err != nil {
		L.RaiseError("sim: %s", err)
	}
	return 0
}

// release stops driving an input; its pull decides its level again.
func release(L *lua.LState) int {
	if err := board(L).Release(L.CheckString(1)); err != nil {
		L.RaiseError("sim: %s", err)
	}
	return 0
}

// history(pin) returns the levels an output was set to, oldest first:
// {{level = 1, t_us = ...}, ...} with t_us on the ticks_us clock.
func history(L *lua.LState) int {
	h := host.Of(L)
	changes, err := board(L).HistoryOf(L.CheckString(1))
	if err != nil {
		L.RaiseError("sim: %s", err)
	}
	t := L.CreateTable(len(changes), 0)
	for _, c := range changes {
		e := L.NewTable()
		lvl := 0
		if c.Level {
			lvl = 1
		}
		e.RawSetString("level", lua.LNumber(lvl))
		e.RawSetString("t_us", lua.LNumber(c.Time.Sub(h.Start)/time.Microsecond))
		t.Append(e)
	}
	L.Push(t)
	return 1
}

// pwm(pin) returns the duty (0 to 1) and frequency in Hz of the PWM a pin
// runs, or nil when it runs none.
func pwm(L *lua.LState) int {
	duty, freq, err := board(L).PWM(L.CheckString(1))
	if err != nil {
		L.RaiseError("sim: %s", err)
	}
	if freq == 0 {
		L.Push(lua.LNil)
		return 1
	}
	L.Push(lua.LNumber(float64(duty) / float64(gpio.DutyMax)))
	L.Push(lua.LNumber(float64(freq) / float64(physic.Hertz)))
	return 2
}

// env{temperature = °C, pressure = hPa, humidity = %RH [, bus = "I2C1", addr = 0x76]}
// sets what the environment sensors measure: the one at addr, or every
// one on the bus that measures any of the quantities given, each taking
// those it measures.
func env(L *lua.LState) int {
	opts := L.CheckTable(1)
	host.CheckOptions(L, opts, 1, "temperature", "pressure", "humidity", "bus", "addr")
	bus := "I2C1"
	switch v := opts.RawGetString("bus").(type) {
	case *lua.LNilType:
	case lua.LString:
		bus = string(v)
	default:
		L.ArgError(1, fmt.Sprintf("bus must be a string such as %q, got %s", "I2C1", v.Type()))
	}
	values := map[string]float64{}
	for _, k := range []string{"temperature", "pressure", "humidity"} {
		if v, ok := number(L, 1, opts, k); ok {
			values[k] = v
		}
	}
	if v, ok := number(L, 1, opts, "addr"); ok {
		// The addresses simulated devices can have, as sim.device takes.
		if !host.Whole(v, 0x03, 0x77) {
			L.ArgError(1, fmt.Sprintf("addr %s is not an I2C address (0x03..0x77)", hwdata.Hex(v)))
		}
		m := model(L, bus, uint16(v))
		if err := m.Set(values); err != nil {
			L.RaiseError("sim: %s", err)
		}
		return 0
	}
	models, err := board(L).Models(bus)
	if err != nil {
		L.RaiseError("sim: %s", err)
	}
	set := 0
	for _, addr := range slices.Sorted(maps.Keys(models)) {
		m := models[addr]
		mine := map[string]float64{}
		for _, in := range m.Inputs() {
			if v, ok := values[in.Name]; ok {
				mine[in.Name] = v
			}
		}
		if len(mine) == 0 {
			continue
		}
		if err := m.Set(mine); err != nil {
			L.RaiseError("sim: %s at 0x%02x on %s", err, addr, bus)
		}
		set++
	}
	if set == 0 && len(values) > 0 {
		L.RaiseError("sim: no sensor on %s measures %s", bus, strings.Join(slices.Sorted(maps.Keys(values)), ", "))
	}
	return 0
}

// model returns the simulated device at addr on bus (an SPI port's device
// when addr is 0), or raises an error that lists the devices there.
func model(L *lua.LState, bus string, addr uint16) sim.Model {
	models, err := board(L).Models(bus)
	if err != nil {
		L.RaiseError("sim: %s", err)
	}
	if m, ok := models[addr]; ok {
		return m
	}
	var have []string
	for _, a := range slices.Sorted(maps.Keys(models)) {
		if a == 0 {
			have = append(have, models[a].Type())
		} else {
			have = append(have, fmt.Sprintf("%s at 0x%02x", models[a].Type(), a))
		}
	}
	where := fmt.Sprintf("at 0x%02x on %s", addr, bus)
	if addr == 0 {
		where = "on " + bus
	}
	if len(have) == 0 {
		L.RaiseError("sim: no simulated device %s; it has none", where)
	}
	L.RaiseError("sim: no simulated device %s; it has %s", where, strings.Join(have, ", "))
	return nil
}

// where reads the (bus, addr) or (port) arguments from n on.
func where(L *lua.LState, n int) (string, uint16) {
	bus := L.CheckString(n)
	if L.Get(n+1) == lua.LNil {
		return bus, 0
	}
	return bus, uint16(hwdata.Whole(L, n+1, 0x03, 0x77, "I2C address %s is outside 0x03..0x77"))
}

// device(bus, addr [, values]) or device(port [, nil, values]) returns the
// state of a simulated device as a table (what it measures and shows, in
// the units of the Lua API), after setting the quantities in values, e.g.
// sim.device("I2C1", 0x23, {lux = 800}).
func device(L *lua.LState) int {
	bus, addr := where(L, 1)
	m := model(L, bus, addr)
	if t, ok := L.Get(3).(*lua.LTable); ok {
		values := map[string]float64{}
		t.ForEach(func(k, v lua.LValue) {
			n, ok := v.(lua.LNumber)
			if !ok {
				L.ArgError(3, fmt.Sprintf("%s must be a number, got %s", k, v.Type()))
			}
			values[k.String()] = float64(n)
		})
		if err := m.Set(values); err != nil {
			L.RaiseError("sim: %s", err)
		}
	} else if L.Get(3) != lua.LNil {
		L.ArgError(3, "expected a table of values to set")
	}
	L.Push(toLua(L, m.State()))
	return 1
}

func toLua(L *lua.LState, state map[string]any) *lua.LTable {
	t := L.CreateTable(0, len(state))
	for k, v := range state {
		switch v := v.(type) {
		case float64:
			t.RawSetString(k, lua.LNumber(v))
		case bool:
			t.RawSetString(k, lua.LBool(v))
		case string:
			t.RawSetString(k, lua.LString(v))
		case []float64:
			list := L.CreateTable(len(v), 0)
			for _, x := range v {
				list.Append(lua.LNumber(x))
			}
			t.RawSetString(k, list)
		}
	}
	return t
}

// screen(bus, addr [, {png = "file.png", scale = 4}]) returns what a
// simulated display shows, as text (two pixel rows a line, in half
// blocks; a character LCD's characters), and writes it as a PNG under the
// script root if asked.
func screen(L *lua.LState) int {
	bus, addr := where(L, 1)
	var px [][]bool
	var text string
	switch s := model(L, bus, addr).(type) {
	case sim.Screen:
		px = s.Pixels()
		text = sim.Art(px)
	case sim.CharScreen:
		px = glyphs(s.Lines())
		text = s.Text()
	default:
		L.RaiseError("sim: the device at 0x%02x on %s is not a display", addr, bus)
	}
	if opts, ok := L.Get(3).(*lua.LTable); ok {
		host.CheckOptions(L, opts, 3, "png", "scale")
		scale := 4
		if v, ok := number(L, 3, opts, "scale"); ok {
			if v < 1 || v > 16 || v != math.Trunc(v) {
				L.ArgError(3, "scale must be an integer in 1..16")
			}
			scale = int(v)
		}
		switch v := opts.RawGetString("png").(type) {
		case *lua.LNilType, lua.LString:
		default:
			L.ArgError(3, fmt.Sprintf("png must be a string (a file name), got %s", v.Type()))
		}
		if name, ok := opts.RawGetString("png").(lua.LString); ok {
			path, err := fslib.Path(L, string(name), fslib.Write)
			if err != nil {
				L.RaiseError("sim.screen: %s", err)
			}
			var buf bytes.Buffer
			if err := sim.WritePNG(&buf, px, scale); err != nil {
				L.RaiseError("sim.screen: %s", err)
			}
			if err := fslib.WriteAtomic(host.Of(L).Root, path, buf.Bytes()); err != nil {
				L.RaiseError("sim.screen: %s", err)
			}
		}
	}
	L.Push(lua.LString(text))
	return 1
}

// glyphs draws a character display's rows in the 8x8 font (code page 437)
// the devices module draws OLED text in, a cell a character.
func glyphs(lines []string) [][]bool {
	px := make([][]bool, 8*len(lines))
	for row, l := range lines {
		for y := range 8 {
			px[8*row+y] = make([]bool, 8*len(l))
		}
		for i := 0; i < len(l); i++ {
			for y, bits := range max7219.CP437Glyphs[l[i]] {
				for x := range 8 {
					px[8*row+y][8*i+x] = bits>>(7-x)&1 == 1
				}
			}
		}
	}
	return px
}

// number returns option key of the options table t, argument n, and
// whether it is there; one that is no number is an argument error.
func number(L *lua.LState, n int, t *lua.LTable, key string) (float64, bool) {
	switch v := t.RawGetString(key).(type) {
	case *lua.LNilType:
		return 0, false
	case lua.LNumber:
		return float64(v), true
	default:
		L.ArgError(n, fmt.Sprintf("%s must be a number, got %s", key, v.Type()))
		return 0, false
	}
}

// adc(channel, volts [, port = "SPI0.0"]) sets an MCP3008 input voltage.
func adc(L *lua.LState) int {
	ch := host.CheckInt(L, 1, "channel", 0, 7)
	// An MCP3008's inputs, as the ADS1115's: a little below ground to the
	// most its supply may be.
	volts := host.CheckRange(L, 2, "voltage", -0.3, 5.5)
	port := L.OptString(3, "SPI0.0")
	dev, err := board(L).SPIDevice(port)
	if err != nil {
		L.RaiseError("sim: %s", err)
	}
	mcp, ok := dev.(*sim.MCP3008)
	if !ok {
		L.RaiseError("sim: the device on %s is not an MCP3008", port)
	}
	if err := mcp.SetVoltage(ch, physic.ElectricPotential(math.Round(volts*float64(physic.Volt)))); err != nil {
		L.RaiseError("sim: %s", err)
	}
	return 0
}
