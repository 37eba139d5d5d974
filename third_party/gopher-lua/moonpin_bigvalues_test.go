package lua

import (
	"context"
	"errors"
	"strings"
	"testing"
)

// Results and constructors of many values ask the memory limit before the
// stack or the table's array grows, for the size they will have; before,
// only unpack and string.byte asked, for the values alone, and a
// concatenation only from a megabyte.
func TestMoonpinManyValuesAskTheMemoryLimit(t *testing.T) {
	for _, c := range []struct {
		name, code string
		min, asks  int // asks of at least min bytes
	}{
		// unpack, the vararg's stack, the constructor's array.
		{"vararg constructor", `local t = {} for i = 1, 1e5 do t[i] = i end
			local function f(...) return {...} end
			f(unpack(t))`, 1e5 * 16, 3},
		// string.byte's values, its stack, the constructor's array.
		{"string.byte", `local t = {("x"):rep(2e5):byte(1, -1)}`, 2e5 * 16, 3},
		{"concatenation under a megabyte", `local s = ("x"):rep(2e5) local r = s .. s`, 4e5, 1},
	} {
		t.Run(c.name, func(t *testing.T) {
			L := NewState(Options{RegistryMaxSize: 1 << 20})
			defer L.Close()
			var asked []int
			L.G.MemCheck = func(L *LState, n int) error {
				asked = append(asked, n)
				return nil
			}
			errorIfScriptFail(t, L, c.code)
			big := 0
			for _, n := range asked {
				if n >= c.min {
					big++
				}
			}
			if big < c.asks {
				t.Fatalf("asked the limit for %v bytes: want %d asks of %d or more", asked, c.asks, c.min)
			}
		})
	}
	L := NewState(Options{RegistryMaxSize: 1 << 20})
	defer L.Close()
	L.G.MemCheck = func(L *LState, n int) error {
		if n >= 1<<20 {
			return errors.New("memory limit exceeded")
		}
		return nil
	}
	if err := L.DoString(`local t = {("x"):rep(1e5):byte(1, -1)}`); err == nil || !strings.Contains(err.Error(), "memory limit exceeded") {
		t.Fatalf("error %v, want the memory limit's", err)
	}
}

// compareStrings orders as Lua 5.1 in the C locale: bytes unsigned, a
// prefix first, zeros as any byte; long strings compare a piece at a time
// and stop at an interrupt.
func TestMoonpinStringComparison(t *testing.T) {
	L := NewState()
	defer L.Close()
	errorIfScriptFail(t, L, `
		assert("a" < "b" and "" < "a" and "ab" < "abc" and not ("abc" < "ab"))
		assert("a\0b" < "a\0c" and "a" < "a\0" and "\127" < "\128" and "\255" > "\1")
		assert("x" <= "x" and not ("x" < "x"))
		local big = ("x"):rep(3 * 2^20)
		assert(big .. "a" < big .. "b" and big < big .. "" .. "x" and big <= big .. "")
		assert(not (big .. "b" < big .. "a"))
		assert(big .. "a" == big .. "a" and big .. "a" ~= big .. "b" and big ~= big .. "a")
	`)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	L.SetContext(ctx)
	a, b := strings.Repeat("x", 1<<24), strings.Repeat("x", 1<<24)
	compare := L.NewFunction(func(L *LState) int {
		compareStrings(L, a, b)
		return 0
	})
	if err := L.CallByParam(P{Fn: compare, Protect: true}); err == nil {
		t.Fatal("comparison ran to its end after the context ended")
	}
	equal := L.NewFunction(func(L *LState) int {
		equalStrings(L, a, b)
		return 0
	})
	if err := L.CallByParam(P{Fn: equal, Protect: true}); err == nil {
		t.Fatal("equality ran to its end after the context ended")
	}
}

// A list grown one element at a time asks the memory limit for its array
// part's doubling, by t[i] = v and by table.insert: the doubling is one
// large allocation the runtime's sampling of the heap could miss
// (`for i = 1, 1e7 do t[i] = i end` peaked at 113 MB under a 64 MB limit).
func TestMoonpinGrowingListAsksTheMemoryLimit(t *testing.T) {
	for _, code := range []string{
		`local t = {} for i = 1, 1e6 do t[i] = i end`,
		`local t = {} for i = 1, 1e6 do table.insert(t, i) end`,
		`local t = {} for i = 1, 1e5 do table.insert(t, 1, i) end`,
	} {
		L := NewState(Options{RegistryMaxSize: 1 << 20})
		L.G.MemCheck = func(L *LState, n int) error {
			if n >= 1<<20 {
				return errors.New("memory limit exceeded")
			}
			return nil
		}
		err := L.DoString(code)
		L.Close()
		if err == nil || !strings.Contains(err.Error(), "memory limit exceeded") {
			t.Errorf("%s: error %v, want the memory limit's", code, err)
		}
	}
}
