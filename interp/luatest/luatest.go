// Package luatest runs Lua test scripts (testdata/*.lua) as Go subtests, with an
// `assert` module in the style of starlark-go's: assert.eq, assert.ne, assert.near,
// assert.truthy and assert.fails. It is for tests only; nothing else imports it.
package luatest

import (
	"fmt"
	"math"
	"path/filepath"
	"strings"
	"testing"

	lua "github.com/yuin/gopher-lua"
)

// Runner runs one script file on a state made for it and returns the error, if any.
// A Runner owns the state: it makes it, runs the file and closes it.
type Runner func(t *testing.T, path string) error

// RunScripts runs every file matching pattern (e.g. "testdata/*.lua") as a subtest.
// A file fails when it raises an error; assert failures raise errors with file:line.
func RunScripts(t *testing.T, pattern string, run Runner) {
	t.Helper()
	files, err := filepath.Glob(pattern)
	if err != nil {
		t.Fatal(err)
	}
	if len(files) == 0 {
		t.Fatalf("no test scripts match %s", pattern)
	}
	for _, file := range files {
		t.Run(filepath.Base(file), func(t *testing.T) {
			if err := run(t, file); err != nil {
				t.Fatal(err)
			}
		})
	}
}

// RunFile is a Runner for modules that need no runtime: a fresh state with the
// standard libraries, the assert module and whatever setup adds (usually a
// module preloaded as a global).
func RunFile(setup func(L *lua.LState)) Runner {
	return func(t *testing.T, path string) error {
		L := lua.NewState()
		defer L.Close()
		Install(L)
		if setup != nil {
			setup(L)
		}
		return L.DoFile(path)
	}
}

// Install sets the global `assert` to the assert module.
func Install(L *lua.LState) {
	mod := L.NewTable()
	L.SetFuncs(mod, map[string]lua.LGFunction{
		"eq":     assertEq,
		"ne":     assertNe,
		"near":   assertNear,
		"truthy": assertTruthy,
		"fails":  assertFails,
	})
	L.SetGlobal("assert", mod)
}

// assert.eq(got, want [, msg]): equal as Lua values; tables are compared deeply.
func assertEq(L *lua.LState) int {
	got, want := L.CheckAny(1), L.CheckAny(2)
	if !deepEqual(got, want, 0) {
		fail(L, 3, "got %s, want %s", show(got), show(want))
	}
	return 0
}

func assertNe(L *lua.LState) int {
	got, other := L.CheckAny(1), L.CheckAny(2)
	if deepEqual(got, other, 0) {
		fail(L, 3, "got %s, want anything else", show(got))
	}
	return 0
}

// assert.near(got, want, tolerance [, msg])
func assertNear(L *lua.LState) int {
	got, want, tol := float64(L.CheckNumber(1)), float64(L.CheckNumber(2)), float64(L.CheckNumber(3))
	if math.Abs(got-want) > tol || math.IsNaN(got) {
		fail(L, 4, "got %v, want %v ± %v", got, want, tol)
	}
	return 0
}

func assertTruthy(L *lua.LState) int {
	if !lua.LVAsBool(L.Get(1)) {
		fail(L, 2, "got %s, want a true value", show(L.Get(1)))
	}
	return 0
}

// assert.fails(fn, "substring of the expected error"): fn must raise an error
// whose message contains the substring. Returns the message.
func assertFails(L *lua.LState) int {
	fn := L.CheckFunction(1)
	want := L.CheckString(2)
	L.Push(fn)
	err := L.PCall(0, 0, nil)
	if err == nil {
		fail(L, 3, "call succeeded, want an error containing %q", want)
		return 0
	}
	msg := err.Error()
	if apiErr, ok := err.(*lua.ApiError); ok {
		msg = apiErr.Object.String()
	}
	if !strings.Contains(msg, want) {
		fail(L, 3, "error %q does not contain %q", msg, want)
	}
	L.Push(lua.LString(msg))
	return 1
}

func fail(L *lua.LState, msgArg int, format string, args ...any) {
	msg := fmt.Sprintf(format, args...)
	if extra := L.OptString(msgArg, ""); extra != "" {
		msg = extra + ": " + msg
	}
	L.RaiseError("assertion failed: %s", msg)
}

func deepEqual(a, b lua.LValue, depth int) bool {
	if depth > 32 {
		return false
	}
	ta, aok := a.(*lua.LTable)
	tb, bok := b.(*lua.LTable)
	if !aok || !bok {
		if na, ok := a.(lua.LNumber); ok {
			nb, ok := b.(lua.LNumber)
			return ok && na == nb
		}
		return a == b
	}
	if ta == tb {
		return true
	}
	equal := true
	count := 0
	ta.ForEach(func(k, v lua.LValue) {
		count++
		if equal && !deepEqual(v, tb.RawGet(k), depth+1) {
			equal = false
		}
	})
	tb.ForEach(func(lua.LValue, lua.LValue) { count-- })
	return equal && count == 0
}

func show(v lua.LValue) string {
	switch v := v.(type) {
	case lua.LString:
		return fmt.Sprintf("%q", string(v))
	case *lua.LTable:
		var parts []string
		v.ForEach(func(k, val lua.LValue) {
			parts = append(parts, fmt.Sprintf("[%s]=%s", show(k), show(val)))
		})
		return "{" + strings.Join(parts, ", ") + "}"
	default:
		return v.String()
	}
}
