// Package hwdata converts the byte arguments of the hardware modules: a Lua
// string, a table of byte values or a single byte value.
package hwdata

import (
	"fmt"
	"math"
	"strings"

	"github.com/moonpin/moonpin/hal"
	"github.com/moonpin/moonpin/interp/host"
	lua "github.com/yuin/gopher-lua"
)

// MaxBytes is the most one transfer takes, as the byte counts of reads:
// an I2C message's length is 16 bits, and spidev's buffer is 4 KB unless
// its bufsiz is raised.
const MaxBytes = 65536

// Bytes returns argument n as bytes, raising "bad argument" for anything
// else and for more than MaxBytes (an SPI write of 80 MB had copied it
// twice past the memory limit).
func Bytes(L *lua.LState, n int) []byte {
	tooMany := func(count int) {
		if count > MaxBytes {
			L.ArgError(n, fmt.Sprintf("%d bytes, more than one transfer takes (%d); send them in pieces", count, MaxBytes))
		}
	}
	switch v := L.Get(n).(type) {
	case lua.LString:
		tooMany(len(v))
		return []byte(v)
	case lua.LNumber:
		return []byte{byteValue(L, n, v, 0)}
	case *lua.LTable:
		tooMany(v.Len())
		out := make([]byte, v.Len())
		for i := range out {
			e, ok := v.RawGetInt(i + 1).(lua.LNumber)
			if !ok {
				L.ArgError(n, fmt.Sprintf("element %d is %s, expected a byte value", i+1, v.RawGetInt(i+1).Type()))
			}
			out[i] = byteValue(L, n, e, i+1)
		}
		// A key past the list would be left out without a word: {x = 1}
		// wrote no byte, {1, nil, 3} one.
		v.ForEach(func(k, _ lua.LValue) {
			if i, ok := k.(lua.LNumber); ok && i >= 1 && float64(i) <= float64(len(out)) && i == lua.LNumber(int(i)) {
				return
			}
			L.ArgError(n, fmt.Sprintf("the table has key %s outside its list of %d bytes; give the bytes as a list, {0x01, 0x02}, with no holes", keyText(k), len(out)))
		})
		return out
	}
	L.ArgError(n, fmt.Sprintf("expected a string, a byte or a table of bytes, got %s", L.Get(n).Type()))
	return nil
}

// LastBytes is Bytes for data that is a call's last argument. A value
// after it is an error, not bytes left out: bus:write(0x20, 0x27, 0x28)
// wrote 0x27 alone and said nothing.
func LastBytes(L *lua.LState, n int) []byte {
	data := Bytes(L, n)
	for i := n + 1; i <= L.GetTop(); i++ {
		if L.Get(i) != lua.LNil {
			L.ArgError(i, fmt.Sprintf("the data is one argument; give several bytes as one table, %s, or one string", asTable(L, n)))
		}
	}
	return data
}

// asTable shows the arguments from n on as the table of bytes they were
// likely meant to be, "{0x27, 0x28}", or "{0x01, 0x02}" when they are not
// all numbers.
func asTable(L *lua.LState, n int) string {
	var parts []string
	for i := n; i <= L.GetTop(); i++ {
		v, ok := L.Get(i).(lua.LNumber)
		if !ok {
			return "{0x01, 0x02}"
		}
		parts = append(parts, Hex(float64(v)))
	}
	return "{" + strings.Join(parts, ", ") + "}"
}

// keyText shows a table key in an error.
func keyText(k lua.LValue) string {
	switch k := k.(type) {
	case lua.LNumber:
		return hal.Number(float64(k))
	case lua.LString:
		return hal.Quoted(string(k))
	}
	return "of type " + k.Type().String()
}

func byteValue(L *lua.LState, n int, v lua.LNumber, elem int) byte {
	if v < 0 || v > 255 || v != lua.LNumber(int(v)) {
		where := ""
		if elem > 0 {
			where = fmt.Sprintf("element %d: ", elem)
		}
		host.ArgError(L, n, "%s%s is not a byte (0..255)", where, host.Number(float64(v)))
	}
	return byte(v)
}

// Count returns argument n, a byte count for a read: a whole number from 0
// to MaxBytes.
func Count(L *lua.LState, n int) int { return host.CheckInt(L, n, "byte count", 0, MaxBytes) }

// Hex shows a number a datasheet writes in hex (an address, a register) as
// 0x.. when it is a whole number of 0 or more, and as Lua prints it otherwise
// (32.5, -1, nan), so that an error shows what was given.
func Hex(v float64) string {
	if host.Whole(v, 0, math.MaxInt32) {
		return fmt.Sprintf("0x%02x", int(v))
	}
	return host.Number(v)
}

// Whole returns argument n when it is a whole number in lo..hi; otherwise it
// raises "bad argument" with msg, in which %s is the number as Hex shows it.
func Whole(L *lua.LState, n int, lo, hi int, msg string) int {
	v := float64(L.CheckNumber(n))
	if !host.Whole(v, lo, hi) {
		L.ArgError(n, fmt.Sprintf(msg, Hex(v)))
	}
	return int(v)
}
