// Package time is the Lua `time` module: sleeping (which lets timers and pin
// callbacks run) and MicroPython-style millisecond and microsecond ticks.
package time

import (
	"math"
	"time"

	"github.com/moonpin/moonpin/interp/host"
	lua "github.com/yuin/gopher-lua"
)

var builtins = map[string]lua.LGFunction{
	"sleep":      sleepUnit(time.Second, "seconds"),
	"sleep_ms":   sleepUnit(time.Millisecond, "milliseconds"),
	"sleep_us":   sleepUnit(time.Microsecond, "microseconds"),
	"ticks_ms":   ticks(time.Millisecond),
	"ticks_us":   ticks(time.Microsecond),
	"ticks_diff": ticksDiff,
	"time":       unixTime,
}

// Loader pushes the module table.
func Loader(L *lua.LState) int {
	L.Push(host.Module(L, "time", builtins))
	return 1
}

// sleepUnit returns a sleep in unit. While it waits, timers and pin callbacks
// run; Ctrl-C ends it at once.
func sleepUnit(unit time.Duration, name string) lua.LGFunction {
	return func(L *lua.LState) int {
		n := float64(L.CheckNumber(1))
		if n < 0 || math.IsNaN(n) || math.IsInf(n, 0) {
			L.ArgError(1, "expected a non-negative number of "+name)
		}
		host.Of(L).Sleep(L, host.Duration(n, unit))
		return 0
	}
}

// ticks count from the runtime's start on a monotonic clock. Unlike
// MicroPython's they never wrap: Lua numbers hold 2^53 µs (285 years).
func ticks(unit time.Duration) lua.LGFunction {
	return func(L *lua.LState) int {
		h := host.Of(L)
		L.Push(lua.LNumber(h.Loop.Clock().Now().Sub(h.Start) / unit))
		return 1
	}
}

// ticksDiff(new, old) is new - old, as in MicroPython.
func ticksDiff(L *lua.LState) int {
	L.Push(L.CheckNumber(1) - L.CheckNumber(2))
	return 1
}

// unixTime returns seconds since 1970 with sub-second precision.
func unixTime(L *lua.LState) int {
	now := host.Of(L).Loop.Clock().Now()
	L.Push(lua.LNumber(float64(now.UnixNano()) / 1e9))
	return 1
}
