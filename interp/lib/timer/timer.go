// Package timer is the Lua `timer` module: callbacks after a delay or every
// period, run on the event loop while the script sleeps or after it returns.
// A callback that raises an error is reported and its timer stopped.
package timer

import (
	"fmt"
	"math"
	"time"

	"github.com/moonpin/moonpin/interp/host"
	"github.com/moonpin/moonpin/interp/loop"
	lua "github.com/yuin/gopher-lua"
)

const handleType = "timer"

var builtins = map[string]lua.LGFunction{
	"every": func(L *lua.LState) int { return start(L, true) },
	"after": func(L *lua.LState) int { return start(L, false) },
}

var methods = map[string]lua.LGFunction{
	"stop":   stop,
	"active": active,
}

// Loader pushes the module table.
func Loader(L *lua.LState) int {
	mt := L.NewTypeMetatable(handleType)
	L.SetField(mt, "__index", host.Methods(L, handleType, mt, methods))
	L.SetField(mt, "__tostring", L.NewFunction(func(L *lua.LState) int {
		t := check(L)
		state := "stopped"
		if t.timer.Active() {
			state = "active"
		}
		L.Push(lua.LString(fmt.Sprintf("timer(%v, %s)", t.period, state)))
		return 1
	}))
	L.Push(host.Module(L, "timer", builtins))
	return 1
}

type handle struct {
	timer    *loop.Timer
	period   time.Duration
	periodic bool
}

// Describe is what the REPL shows: "timer (every 1s, active)".
func (t *handle) Describe() string {
	kind, state := "after", "stopped"
	if t.periodic {
		kind = "every"
	}
	if t.timer.Active() {
		state = "active"
	}
	return fmt.Sprintf("timer (%s %v, %s)", kind, t.period, state)
}

// start implements every(ms, fn) and after(ms, fn); fn gets the handle.
func start(L *lua.LState, periodic bool) int {
	ms := float64(L.CheckNumber(1))
	fn := L.CheckFunction(2)
	if ms < 0 || math.IsNaN(ms) || math.IsInf(ms, 0) || (periodic && ms < 1) {
		if periodic {
			L.ArgError(1, "expected a period of at least 1 ms")
		}
		L.ArgError(1, "expected a non-negative delay in ms")
	}
	h := host.Of(L)
	d := host.Duration(ms, time.Millisecond)
	t := &handle{period: d, periodic: periodic}
	ud := host.NewHandle(L, handleType, t)
	run := func() {
		if err := h.Callback(fn, ud); err != nil {
			t.timer.Stop()
		}
	}
	if periodic {
		t.timer = h.Loop.Every(d, run)
	} else {
		t.timer = h.Loop.After(d, run)
	}
	L.Push(ud)
	return 1
}

func check(L *lua.LState) *handle {
	if t, ok := L.CheckUserData(1).Value.(*handle); ok {
		return t
	}
	L.ArgError(1, "timer expected")
	return nil
}

// stop cancels the timer and returns whether it was still active.
func stop(L *lua.LState) int {
	L.Push(lua.LBool(check(L).timer.Stop()))
	return 1
}

func active(L *lua.LState) int {
	L.Push(lua.LBool(check(L).timer.Active()))
	return 1
}
