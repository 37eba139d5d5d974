package interp

import (
	"context"

	lua "github.com/yuin/gopher-lua"
)

// wrapCoroutines makes coroutines run under the state's current context.
//
// gopher-lua gives each coroutine a child of its creator's context for life.
// A coroutine made before an interrupt would then fail with "interrupted" on
// every later resume, and each child would stay registered with its parent
// until the coroutine finished. Instead coroutines are created detached and
// handed the state's current context each time they are resumed: an
// interrupt stops whatever is running, suspended coroutines included when
// they next run, and those created earlier keep working afterwards.
func wrapCoroutines(L *lua.LState, current func() context.Context) {
	co := L.GetGlobal("coroutine").(*lua.LTable)
	create := co.RawGetString("create").(*lua.LFunction).GFunction
	resume := co.RawGetString("resume").(*lua.LFunction).GFunction
	wrap := co.RawGetString("wrap").(*lua.LFunction).GFunction

	detached := func(L *lua.LState, make lua.LGFunction) int {
		saved := L.Context()
		L.SetContext(context.Background())
		defer L.SetContext(saved)
		return make(L)
	}
	co.RawSetString("create", L.NewFunction(func(L *lua.LState) int {
		return detached(L, create)
	}))
	co.RawSetString("resume", L.NewFunction(func(L *lua.LState) int {
		L.CheckCoroutine(1).SetContext(current())
		return rethrowCancel(L, resume(L))
	}))
	co.RawSetString("wrap", L.NewFunction(func(L *lua.LState) int {
		detached(L, wrap)
		wrapped := L.CheckFunction(-1)
		L.Pop(1)
		th := wrapped.Upvalues[0].Value().(*lua.LState)
		// The original wrapper finds its thread in upvalue 1, which this
		// closure has too.
		L.Push(L.NewClosure(func(L *lua.LState) int {
			th.SetContext(current())
			return wrapped.GFunction(L)
		}, th))
		return 1
	}))
}

// wrapProtectedCalls makes pcall and xpcall pass on an interrupt, the memory
// limit or os.exit instead of catching it. The VM looks at the context only
// every few hundred instructions, so without this the code after a pcall
// would run on for a moment after Ctrl-C or os.exit.
func wrapProtectedCalls(L *lua.LState) {
	for _, name := range []string{"pcall", "xpcall"} {
		call := L.GetGlobal(name).(*lua.LFunction).GFunction
		L.SetGlobal(name, L.NewFunction(func(L *lua.LState) int {
			return rethrowCancel(L, call(L))
		}))
	}
}

// rethrowCancel returns n, the result count of a protected call, unless L's
// context was cancelled meanwhile; then it raises the cancel error.
func rethrowCancel(L *lua.LState, n int) int {
	L.CheckInterrupt()
	return n
}
