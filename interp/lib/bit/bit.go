// Package bit is the Lua module bit: Lua BitOp's bitwise operations on 32-bit
// values (the library LuaJIT carries and Lua 5.1 code expects), with
// NodeMCU's bit, set, clear and isset, for the register fiddling sensor code
// does.
//
// As in Lua BitOp, arguments may be any finite Lua number, rounded to an
// integer (half to even, as BitOp's conversion does) and wrapped modulo 2^32,
// so -1 and 0xFFFFFFFF are the same value, and every result is signed,
// -2^31..2^31-1: bit.bnot(0) is -1 and bit.lshift(1, 31) is -2147483648.
// Compare a result with a constant through bit.tobit (bit.band(x,
// 0x80000000) == bit.tobit(0x80000000)), or test it with bit.isset. Only the
// lower 5 bits of a shift or rotate count are used, as in BitOp. Bit
// positions outside 0..31, NaN and infinities are errors.
package bit

import (
	"math"
	"strings"

	"github.com/moonpin/moonpin/interp/host"
	lua "github.com/yuin/gopher-lua"
)

var builtins = map[string]lua.LGFunction{
	"tobit":   tobit,
	"tohex":   tohex,
	"band":    fold(func(a, b uint32) uint32 { return a & b }),
	"bor":     fold(func(a, b uint32) uint32 { return a | b }),
	"bxor":    fold(func(a, b uint32) uint32 { return a ^ b }),
	"bnot":    bnot,
	"lshift":  shift(func(x uint32, n uint) uint32 { return x << n }),
	"rshift":  shift(func(x uint32, n uint) uint32 { return x >> n }),
	"arshift": shift(func(x uint32, n uint) uint32 { return uint32(int32(x) >> n) }),
	"rol":     shift(func(x uint32, n uint) uint32 { return x<<n | x>>(32-n) }),
	"ror":     shift(func(x uint32, n uint) uint32 { return x>>n | x<<(32-n) }),
	"bswap":   bswap,
	"bit":     bitValue,
	"set":     set,
	"clear":   clear,
	"isset":   isset,
}

// Loader pushes a new bit module table; use it with L.PreloadModule("bit", Loader).
func Loader(L *lua.LState) int {
	L.Push(host.Module(L, "bit", builtins))
	return 1
}

func tobit(L *lua.LState) int {
	return push(L, checkBits(L, 1))
}

// tohex is BitOp's: n hex digits (default 8) of the low 4n bits, upper case
// when n is negative.
func tohex(L *lua.LState) int {
	x := checkBits(L, 1)
	n := 8
	if L.GetTop() >= 2 {
		n = int(int32(checkBits(L, 2)))
	}
	digits := "0123456789abcdef"
	if n < 0 {
		n, digits = -n, "0123456789ABCDEF"
	}
	n = min(n, 8)
	var b strings.Builder
	for i := n - 1; i >= 0; i-- {
		b.WriteByte(digits[x>>(4*uint(i))&15])
	}
	L.Push(lua.LString(b.String()))
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

// shift makes a shift or rotate of argument 1 by argument 2's lower 5 bits.
func shift(op func(x uint32, n uint) uint32) lua.LGFunction {
	return func(L *lua.LState) int {
		x := checkBits(L, 1)
		return push(L, op(x, uint(checkBits(L, 2)&31)))
	}
}

func bnot(L *lua.LState) int {
	return push(L, ^checkBits(L, 1))
}

func bswap(L *lua.LState) int {
	x := checkBits(L, 1)
	return push(L, x>>24|x>>8&0xff00|x&0xff00<<8|x<<24)
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

// push returns v as BitOp does, signed.
func push(L *lua.LState, v uint32) int {
	L.Push(lua.LNumber(int32(v)))
	return 1
}

// checkBits returns argument n as 32 bits, the way Lua BitOp sees it.
func checkBits(L *lua.LState, n int) uint32 {
	v := float64(L.CheckNumber(n))
	if math.IsNaN(v) || math.IsInf(v, 0) {
		host.ArgError(L, n, "finite number expected, got %s", host.Number(v))
	}
	m := math.Mod(math.RoundToEven(v), 1<<32)
	if m < 0 {
		m += 1 << 32
	}
	return uint32(m)
}

func checkPosition(L *lua.LState, n int) uint {
	v := float64(L.CheckNumber(n))
	if !(v >= 0 && v < 32) {
		L.ArgError(n, "bit position "+lua.LNumber(v).String()+" out of range 0..31")
	}
	return uint(v)
}
