//go:build moonpin_stuck

package main

import (
	"github.com/moonpin/moonpin/interp/host"
	lua "github.com/yuin/gopher-lua"
)

// The stop tests build moonpin with -tags moonpin_stuck, which adds stuck():
// it prints "stuck" and blocks where no interrupt reaches, as a Go builtin
// that forgot to look at the interrupt would. That is the hole the stop's
// 500 ms fallback is for, and no real call is known to have it any more (the
// last ones, opening a FIFO and waiting on a shell command, end at an
// interrupt now).
func init() {
	testSetup = func(L *lua.LState, _ *host.Host) error {
		L.SetGlobal("stuck", L.NewFunction(func(L *lua.LState) int {
			// It says "stuck" itself, from inside: a print before the
			// call let a signal sent at the word reach the VM between
			// the two, where it looks at the interrupt after each Go
			// function.
			L.CallByParam(lua.P{Fn: L.GetGlobal("print")}, lua.LString("stuck"))
			<-make(chan struct{})
			return 0
		}))
		return nil
	}
}
