// Package simboard is the Lua `sim` module, present when moonpin runs on the
// simulated board: it plays the outside world, pressing buttons (driving
// inputs), setting the weather the BME280 sees and the voltages on the
// MCP3008, and shows what outputs did. Tests and examples use it; at the
// REPL it lets a user try button code with no button.
package simboard

import (
	"fmt"
	"math"
	"time"

	"github.com/moonpin/moonpin/hal/sim"
	"github.com/moonpin/moonpin/interp/host"
	lua "github.com/yuin/gopher-lua"
	"periph.io/x/conn/v3/gpio"
	"periph.io/x/conn/v3/physic"
)

var builtins = map[string]lua.LGFunction{
	"set":     set,
	"release": release,
	"history": history,
	"pwm":     pwm,
	"env":     env,
	"adc":     adc,
}

// Loader pushes the module table.
func Loader(L *lua.LState) int {
	L.Push(L.SetFuncs(L.NewTable(), builtins))
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
	changes := board(L).History(L.CheckString(1))
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
// sets what the simulated BME280 measures.
func env(L *lua.LState) int {
	opts := L.CheckTable(1)
	host.CheckOptions(L, opts, 1, "temperature", "pressure", "humidity", "bus", "addr")
	bus := "I2C1"
	if v, ok := opts.RawGetString("bus").(lua.LString); ok {
		bus = string(v)
	}
	addr := uint16(0x76)
	if v, ok := opts.RawGetString("addr").(lua.LNumber); ok {
		addr = uint16(v)
	}
	dev, err := board(L).I2CDevice(bus, addr)
	if err != nil {
		L.RaiseError("sim: %s", err)
	}
	bme, ok := dev.(*sim.BME280)
	if !ok {
		L.RaiseError("sim: the device at 0x%02x on %s is not a BME280", addr, bus)
	}
	e := bme.Environment()
	if v, ok := number(L, opts, "temperature"); ok {
		e.Temperature = physic.ZeroCelsius + physic.Temperature(math.Round(v*float64(physic.Celsius)))
	}
	if v, ok := number(L, opts, "pressure"); ok {
		e.Pressure = physic.Pressure(math.Round(v * 100 * float64(physic.Pascal)))
	}
	if v, ok := number(L, opts, "humidity"); ok {
		e.Humidity = physic.RelativeHumidity(math.Round(v * float64(physic.PercentRH)))
	}
	if err := bme.SetEnvironment(e); err != nil {
		L.RaiseError("sim: %s", err)
	}
	return 0
}

func number(L *lua.LState, t *lua.LTable, key string) (float64, bool) {
	switch v := t.RawGetString(key).(type) {
	case *lua.LNilType:
		return 0, false
	case lua.LNumber:
		return float64(v), true
	default:
		L.ArgError(1, fmt.Sprintf("%s must be a number, got %s", key, v.Type()))
		return 0, false
	}
}

// adc(channel, volts [, port = "SPI0.0"]) sets an MCP3008 input voltage.
func adc(L *lua.LState) int {
	ch := L.CheckInt(1)
	volts := float64(L.CheckNumber(2))
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
