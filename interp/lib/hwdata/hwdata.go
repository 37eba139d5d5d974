// Package hwdata converts the byte arguments of the hardware modules: a Lua
// string, a table of byte values or a single byte value.
package hwdata

import (
	"fmt"

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
		return out
	}
	L.ArgError(n, fmt.Sprintf("expected a string, a byte or a table of bytes, got %s", L.Get(n).Type()))
	return nil
}

func byteValue(L *lua.LState, n int, v lua.LNumber, elem int) byte {
	if v < 0 || v > 255 || v != lua.LNumber(int(v)) {
		where := ""
		if elem > 0 {
			where = fmt.Sprintf("element %d: ", elem)
		}
		L.ArgError(n, fmt.Sprintf("%s%v is not a byte (0..255)", where, v))
	}
	return byte(v)
}
