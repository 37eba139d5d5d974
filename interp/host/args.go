package host

import (
	"math"
	"unsafe"

	"github.com/moonpin/moonpin/hal"
	lua "github.com/yuin/gopher-lua"
)

// Number shows a number in an error as Lua prints it, NaN as "nan"
// (hal.Number, which the simulated board's errors use too).
func Number(v float64) string { return hal.Number(v) }

// Whole reports whether v is a whole number in lo..hi (NaN is not).
func Whole(v float64, lo, hi int) bool {
	return v >= float64(lo) && v <= float64(hi) && v == math.Trunc(v)
}

// CheckInt returns argument n, which must be a whole number in lo..hi; what
// names it in the error, which shows the number as given ("channel 16 is not
// an integer in 0..15", "byte count 1.5 ..."). Unlike L.CheckInt it neither
// truncates a fraction nor wraps a number too big for an int.
func CheckInt(L *lua.LState, n int, what string, lo, hi int) int {
	v := float64(L.CheckNumber(n))
	if !Whole(v, lo, hi) {
		ArgError(L, n, "%s %s is not an integer in %d..%d", what, Number(v), lo, hi)
	}
	return int(v)
}

// CheckRange returns argument n, a number in lo..hi (NaN is not).
func CheckRange(L *lua.LState, n int, what string, lo, hi float64) float64 {
	v := float64(L.CheckNumber(n))
	if !(v >= lo && v <= hi) {
		ArgError(L, n, "%s %s is outside %s..%s", what, Number(v), Number(lo), Number(hi))
	}
	return v
}

// OptChoice returns argument n, or def when it is nil or absent, as an int
// when it is a whole number, and -1 otherwise, for a lookup among the
// constants of a module (gpio.IN, gpio.RISING, ...) to refuse: 1.5 is not
// gpio.OUT.
func OptChoice(L *lua.LState, n int, def int) int {
	if L.Get(n) == lua.LNil {
		return def
	}
	v := float64(L.CheckNumber(n))
	if !Whole(v, 0, math.MaxInt32) {
		return -1
	}
	return int(v)
}

// Owned returns b's bytes as a Lua string without copying them: the caller
// gives b up, and nothing may write to it again. For a result built in a
// buffer of its own (fs.read's, json's, struct.pack's), where a copy would
// double the peak the memory limit allowed.
func Owned(b []byte) lua.LString {
	return lua.LString(unsafe.String(unsafe.SliceData(b), len(b)))
}

// Copy returns a copy of s as a Lua string of its own, made in lua.Room
// (asked of the memory limit, and made on another goroutine from a
// megabyte up) and filled a megabyte at a time with a look at the
// interrupt between: for a result of any size read into a buffer that goes
// on being used, or that is bigger than the result (a read's, grown by
// doubling).
func Copy[B string | []byte](L *lua.LState, s B) lua.LString {
	if len(s) < copyChecked {
		return lua.LString(s) // a copy, and too small to need the rest
	}
	return Owned(lua.AppendChecked(L, lua.Room(L, len(s)), s))
}

// copyChecked is the size from which Copy asks the memory limit and looks
// at the interrupt (CheckAlloc asks from 64 KB).
const copyChecked = 64 << 10
