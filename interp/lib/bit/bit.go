// Package bit is the Lua module bit: NodeMCU's bitwise operations on 32-bit
// values, for the register fiddling sensor code does.
//
// Arguments may be any finite Lua number; it is truncated toward zero and wrapped
// modulo 2^32, so -1 and 0xFFFFFFFF are the same value. Results are unsigned,
// 0..0xFFFFFFFF, so that they compare equal to the hex constants of datasheets;
// the exception is arshift, whose use is sign extension, which returns the
// signed view, -2^31..2^31-1. Shift counts of 32 or more shift every bit out;
// negative counts, bit positions outside 0..31, NaN and infinities are errors.
package bit

import (
	"math"

	lua "github.com/yuin/gopher-lua"
)

var builtins = map[string]lua.LGFunction{
	"band":    fold(func(a, b uint32) uint32 { return a & b }),
	"bor":     fold(func(a, b uint32) uint32 { return a | b }),
	"bxor":    fold(func(a, b uint32) uint32 { return a ^ b }),
	"bnot":    bnot,
	"lshift":  lshift,
	"rshift":  rshift,
	"arshift": arshift,
	"bit":     bitValue,
	"set":     set,
	"clear":   clear,
	"isset":   isset,
}

// Loader pushes a new bit module table; use it with L.PreloadModule("bit", Loader).
func Loader(L *lua.LState) int {
	L.Push(L.SetFuncs(L.NewTable(), builtins))
	return 1
}

// fold makes a function that combines one or more arguments with op.
func fold(op func(a, b uint32) uint32) lua.LGFunction {
	return func(L *lua.LState) int {
		acc := checkBits(L, 1)
		for i := 2; i <= L.GetTop(); i++ {
			acc = op(acc, checkBits(L, i))
		}
		return push(L, acc)
	}
}

func bnot(L *lua.LState) int {
	return push(L, ^checkBits(L, 1))
}

func lshift(L *lua.LState) int {
	return push(L, checkBits(L, 1)<<checkCount(L, 2))
}

func rshift(L *lua.LState) int {
	return push(L, checkBits(L, 1)>>checkCount(L, 2))
}

func arshift(L *lua.LState) int {
	L.Push(lua.LNumber(int32(checkBits(L, 1)) >> checkCount(L, 2)))
	return 1
}

func bitValue(L *lua.LState) int {
	return push(L, 1<<checkPosition(L, 1))
}

func set(L *lua.LState) int {
	return push(L, checkBits(L, 1)|positions(L))
}

func clear(L *lua.LState) int {
	return push(L, checkBits(L, 1)&^positions(L))
}

func isset(L *lua.LState) int {
	L.Push(lua.LBool(checkBits(L, 1)&(1<<checkPosition(L, 2)) != 0))
	return 1
}

// positions returns the mask of the bit positions in arguments 2 and on; there
// must be at least one.
func positions(L *lua.LState) uint32 {
	m := uint32(1) << checkPosition(L, 2)
	for i := 3; i <= L.GetTop(); i++ {
		m |= 1 << checkPosition(L, i)
	}
	return m
}

func push(L *lua.LState, v uint32) int {
	L.Push(lua.LNumber(v))
	return 1
}

// checkBits returns argument n as 32 bits, the way NodeMCU and LuaBitOp see it.
func checkBits(L *lua.LState, n int) uint32 {
	v := float64(L.CheckNumber(n))
	if math.IsNaN(v) || math.IsInf(v, 0) {
		L.ArgError(n, "finite number expected, got "+lua.LNumber(v).String())
	}
	m := math.Mod(math.Trunc(v), 1<<32)
	if m < 0 {
		m += 1 << 32
	}
	return uint32(m)
}

// checkCount returns shift count argument n, clamped to 32: Go shifts by 32 or
// more give 0 (or -1 for negative signed values), which is what shifting every
// bit out means.
func checkCount(L *lua.LState, n int) uint {
	v := float64(L.CheckNumber(n))
	if !(v >= 0) {
		L.ArgError(n, "shift count must be 0 or more, got "+lua.LNumber(v).String())
	}
	return uint(min(v, 32))
}

func checkPosition(L *lua.LState, n int) uint {
	v := float64(L.CheckNumber(n))
	if !(v >= 0 && v < 32) {
		L.ArgError(n, "bit position "+lua.LNumber(v).String()+" out of range 0..31")
	}
	return uint(v)
}
