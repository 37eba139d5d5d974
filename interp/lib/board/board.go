// Package board is the Lua `board` module: what the board is and has, its
// uptime, and a soft reset.
package board

import (
	"time"

	"github.com/moonpin/moonpin/interp/host"
	lua "github.com/yuin/gopher-lua"
)

var builtins = map[string]lua.LGFunction{
	"pins":      func(L *lua.LState) int { return names(L, func(h *host.Host) []string { return h.Board.Pins() }) },
	"i2c":       func(L *lua.LState) int { return names(L, func(h *host.Host) []string { return h.Board.I2CBuses() }) },
	"spi":       func(L *lua.LState) int { return names(L, func(h *host.Host) []string { return h.Board.SPIPorts() }) },
	"uptime_ms": uptime,
	"reset":     reset,
}

// Loader pushes the module table; board.name is a field.
func Loader(L *lua.LState) int {
	mod := host.Module(L, "board", builtins)
	name := "none"
	if b := host.Of(L).Board; b != nil {
		name = b.Name()
	}
	mod.RawSetString("name", lua.LString(name))
	L.Push(mod)
	return 1
}

func names(L *lua.LState, list func(*host.Host) []string) int {
	h := host.Of(L)
	t := L.NewTable()
	if h.Board != nil {
		for _, n := range list(h) {
			t.Append(lua.LString(n))
		}
	}
	L.Push(t)
	return 1
}

// uptime returns milliseconds since the runtime started (soft resets do not
// restart it).
func uptime(L *lua.LState) int {
	h := host.Of(L)
	L.Push(lua.LNumber(h.Loop.Clock().Now().Sub(h.Start) / time.Millisecond))
	return 1
}

// reset asks for a soft reset: the running code stops, everything it opened
// is closed and boot.lua and main.lua run again on a fresh state.
func reset(L *lua.LState) int {
	h := host.Of(L)
	if h.SoftReset == nil {
		L.RaiseError("board.reset: this runtime cannot reset")
	}
	h.SoftReset()
	host.RaiseCancel(L)
	return 0
}
