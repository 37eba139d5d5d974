// Package luastruct is the Lua module struct: pack, unpack and size binary data
// with Lua 5.3 string.pack formats, for I2C registers, SPI frames and file headers.
//
// Formats: < little-endian, > big-endian, = native, ![n] maximum alignment n
// (default 8, initially 1 as in Lua 5.3), b/B 1-byte, h/H 2-byte, i[n]/I[n] n-byte
// (default 4, n in 1..8), l/L and j/J 8-byte integers (lower case signed), f
// float32, d float64, s[n] string after an n-byte length (default 8), c[n] string
// of exactly n bytes (padded with zeros when packed), z zero-terminated string,
// x one zero byte. Spaces are ignored.
//
// Lua numbers are float64: pack refuses numbers with a fraction or outside the
// option's range, and 8-byte integers beyond ±2^53 lose precision when unpacked.
package luastruct

import (
	"encoding/binary"
	"fmt"
	"math"
	"strings"

	"github.com/moonpin/moonpin/hal"
	"github.com/moonpin/moonpin/interp/host"
	lua "github.com/yuin/gopher-lua"
)

var builtins = map[string]lua.LGFunction{
	"pack":   pack,
	"unpack": unpack,
	"size":   size,
}

// Loader pushes a new struct module table; use it with L.PreloadModule("struct", Loader).
func Loader(L *lua.LState) int {
	L.Push(host.Module(L, "struct", builtins))
	return 1
}

// maxSize bounds c[n] and the results of size, like Lua 5.3's MAXSIZE, so that
// sizes stay in an int on 32-bit boards.
const maxSize = math.MaxInt32

var nativeLittle = binary.NativeEndian.Uint16([]byte{1, 0}) == 1

func pack(L *lua.LState) int {
	f := newFormat(L, "struct.pack")
	var out []byte
	arg := 2
	for {
		opt, pad, ok := f.next(len(out))
		if !ok {
			break
		}
		out = room(L, out, pad+8)
		out = append(out, make([]byte, pad)...)
		switch opt.kind {
		case kindInt, kindUint:
			out = f.appendUint(out, checkInteger(L, arg, opt), opt.size)
		case kindFloat:
			v := float64(L.CheckNumber(arg))
			if opt.size == 4 {
				out = f.appendUint(out, uint64(math.Float32bits(float32(v))), 4)
			} else {
				out = f.appendUint(out, math.Float64bits(v), 8)
			}
		case kindFixed:
			s := L.CheckString(arg)
			if len(s) > opt.size {
				L.ArgError(arg, fmt.Sprintf("string of %d bytes is longer than '%s'", len(s), opt.name))
			}
			// A 'c' of up to 2 GB is the one size a format can ask for
			// without the data to match: checked against the memory limit
			// before it is made.
			out = room(L, out, opt.size)
			out = append(lua.AppendChecked(L, out, s), make([]byte, opt.size-len(s))...)
		case kindCounted:
			s := L.CheckString(arg)
			if opt.size < 8 && uint64(len(s)) >= 1<<(8*opt.size) {
				L.ArgError(arg, fmt.Sprintf("string of %d bytes is too long for the length in '%s'", len(s), opt.name))
			}
			out = room(L, out, opt.size+len(s))
			out = lua.AppendChecked(L, f.appendUint(out, uint64(len(s)), opt.size), s)
		case kindZero:
			s := L.CheckString(arg)
			if strings.IndexByte(s, 0) >= 0 {
				L.ArgError(arg, "string for 'z' contains zeros")
			}
			out = room(L, out, len(s)+1)
			out = append(lua.AppendChecked(L, out, s), 0)
		case kindPad:
			out = append(out, 0)
		}
		if opt.kind != kindPad {
			arg++
		}
	}
	L.Push(host.Owned(out))
	return 1
}

// room makes room in out for n more bytes, asking the memory limit first:
// a format of many strings can pack far more than any one argument. The
// copies (of out when it grows, and of the strings packed: lua.AppendChecked)
// look at the interrupt every megabyte: one call could copy a gigabyte, for
// seconds, deaf to Ctrl-C.
func room(L *lua.LState, out []byte, n int) []byte {
	if cap(out)-len(out) >= n {
		return out
	}
	size := 2*cap(out) + n
	L.CheckAlloc(size)
	// Made away from the Lua goroutine, as zeroing it does not look at the
	// interrupt (lua.AwaitAlloc).
	room := lua.AwaitAlloc(L, size, func() []byte { return make([]byte, 0, size) })
	return lua.AppendChecked(L, room, out)
}

func unpack(L *lua.LState) int {
	f := newFormat(L, "struct.unpack")
	data := L.CheckString(2)
	// The position is checked as the number given: 1e300 was
	// "initial position -9223372036854775808".
	given := float64(L.OptNumber(3, 1))
	pos := int(max(min(given, math.MaxInt32), math.MinInt32))
	if pos < 0 {
		pos += len(data) + 1
	}
	if given != math.Trunc(given) || pos < 1 || pos > len(data)+1 {
		L.ArgError(3, fmt.Sprintf("initial position %s out of string of %d bytes", hal.Number(given), len(data)))
	}
	off, results := pos-1, 0
	for {
		opt, pad, ok := f.next(off)
		if !ok {
			break
		}
		off += pad
		f.need(data, off, opt.size)
		field := data[off : off+opt.size]
		off += opt.size
		var v lua.LValue
		switch opt.kind {
		case kindInt:
			u, shift := f.uint(field), 64-8*opt.size
			v = lua.LNumber(int64(u<<shift) >> shift)
		case kindUint:
			v = lua.LNumber(f.uint(field))
		case kindFloat:
			if opt.size == 4 {
				v = lua.LNumber(math.Float32frombits(uint32(f.uint(field))))
			} else {
				v = lua.LNumber(math.Float64frombits(f.uint(field)))
			}
		case kindFixed:
			v = lua.LString(field)
		case kindCounted:
			n := f.uint(field)
			if n > uint64(len(data)-off) {
				f.fail("data string too short (need %s at position %d, have %d)", byteCount(n), off+1, len(data)-off)
			}
			v = lua.LString(data[off : off+int(n)])
			off += int(n)
		case kindZero:
			n := strings.IndexByte(data[off:], 0)
			if n < 0 {
				f.fail("unfinished string for 'z' at position %d", off+1)
			}
			v = lua.LString(data[off : off+n])
			off += n + 1
		case kindPad:
			continue
		}
		L.Push(v)
		results++
	}
	L.Push(lua.LNumber(off + 1))
	return results + 1
}

func size(L *lua.LState) int {
	f := newFormat(L, "struct.size")
	total := 0
	for {
		opt, pad, ok := f.next(total)
		if !ok {
			break
		}
		if opt.kind == kindCounted || opt.kind == kindZero {
			f.fail("variable-length format option '%s'", opt.name)
		}
		if opt.size > maxSize-total-pad {
			f.fail("format result too large")
		}
		total += pad + opt.size
	}
	L.Push(lua.LNumber(total))
	return 1
}

type kind int

const (
	kindInt     kind = iota // b h i l j
	kindUint                // B H I L J
	kindFloat               // f d
	kindFixed               // c
	kindCounted             // s
	kindZero                // z
	kindPad                 // x
)

type option struct {
	kind kind
	size int    // bytes of the value; for s, of its length
	name string // as written, for messages
}

// format reads a format string (argument 1) one option at a time, keeping the
// endianness and maximum alignment in force.
type format struct {
	L        *lua.LState
	fn       string // for messages
	s        string
	i        int
	little   bool
	maxAlign int
}

func newFormat(L *lua.LState, fn string) *format {
	return &format{L: L, fn: fn, s: L.CheckString(1), little: nativeLittle, maxAlign: 1}
}

func (f *format) fail(msg string, args ...any) {
	f.L.RaiseError("%s: %s", f.fn, fmt.Sprintf(msg, args...))
}

// next returns the next option and the padding that aligns it at offset; ok is
// false at the end of the format.
func (f *format) next(offset int) (opt option, pad int, ok bool) {
	for f.i < len(f.s) {
		start := f.i
		c := f.s[f.i]
		f.i++
		switch c {
		case ' ':
			continue
		case '<', '>', '=':
			f.little = c == '<' || c == '=' && nativeLittle
			continue
		case '!':
			f.maxAlign = f.size(8)
			continue
		case 'b':
			opt = option{kind: kindInt, size: 1}
		case 'B':
			opt = option{kind: kindUint, size: 1}
		case 'h':
			opt = option{kind: kindInt, size: 2}
		case 'H':
			opt = option{kind: kindUint, size: 2}
		case 'i':
			opt = option{kind: kindInt, size: f.size(4)}
		case 'I':
			opt = option{kind: kindUint, size: f.size(4)}
		case 'l', 'j':
			opt = option{kind: kindInt, size: 8}
		case 'L', 'J':
			opt = option{kind: kindUint, size: 8}
		case 'f':
			opt = option{kind: kindFloat, size: 4}
		case 'd':
			opt = option{kind: kindFloat, size: 8}
		case 's':
			opt = option{kind: kindCounted, size: f.size(8)}
		case 'c':
			n, ok := f.number()
			if !ok {
				f.fail("missing size for format option 'c'")
			}
			opt = option{kind: kindFixed, size: n}
		case 'z':
			opt = option{kind: kindZero}
		case 'x':
			opt = option{kind: kindPad, size: 1}
		default:
			f.fail("invalid format option %q", rune(c))
		}
		opt.name = f.s[start:f.i]
		return opt, f.padding(opt, offset), true
	}
	return option{}, 0, false
}

// size reads the optional size after an option, which must be 1..8.
func (f *format) size(def int) int {
	start := f.i - 1
	n, ok := f.number()
	if !ok {
		return def
	}
	if n < 1 || n > 8 {
		f.fail("size %d out of range 1..8 in '%s'", n, f.s[start:f.i])
	}
	return n
}

func (f *format) number() (n int, ok bool) {
	start := f.i
	for ; f.i < len(f.s) && '0' <= f.s[f.i] && f.s[f.i] <= '9'; f.i++ {
		if n > (maxSize-9)/10 {
			f.fail("size too large in format")
		}
		n = n*10 + int(f.s[f.i]-'0')
	}
	return n, f.i > start
}

// padding follows Lua 5.3: numbers and string lengths align to their size, at
// most the maximum alignment, which must then be a power of 2.
func (f *format) padding(opt option, offset int) int {
	align := min(opt.size, f.maxAlign)
	if align <= 1 || opt.kind == kindFixed {
		return 0
	}
	if align&(align-1) != 0 {
		f.fail("option '%s' needs alignment %d, which is not a power of 2", opt.name, align)
	}
	return (align - offset&(align-1)) & (align - 1)
}

// need fails unless data holds n bytes at offset.
func (f *format) need(data string, offset, n int) {
	if have := max(len(data)-offset, 0); n > have {
		f.fail("data string too short (need %s at position %d, have %d)", byteCount(uint64(n)), offset+1, have)
	}
}

func (f *format) appendUint(out []byte, u uint64, size int) []byte {
	for i := range size {
		shift := 8 * i
		if !f.little {
			shift = 8 * (size - 1 - i)
		}
		out = append(out, byte(u>>shift))
	}
	return out
}

func (f *format) uint(field string) uint64 {
	var u uint64
	for i := range len(field) {
		b := field[i]
		if f.little {
			b = field[len(field)-1-i]
		}
		u = u<<8 | uint64(b)
	}
	return u
}

// checkInteger returns argument n as the two's-complement bits of an integer
// that fits opt.
func checkInteger(L *lua.LState, n int, opt option) uint64 {
	v := float64(L.CheckNumber(n))
	if v != math.Trunc(v) || math.IsInf(v, 0) {
		L.ArgError(n, fmt.Sprintf("number %s has no integer representation", lua.LNumber(v).String()))
	}
	bits := 8 * opt.size
	lo, hi := 0.0, math.Ldexp(1, bits)
	rangeText := fmt.Sprintf("0..%d", uint64(math.MaxUint64)>>(64-bits))
	if opt.kind == kindInt {
		lo, hi = -math.Ldexp(1, bits-1), math.Ldexp(1, bits-1)
		rangeText = fmt.Sprintf("%d..%d", int64(math.MinInt64)>>(64-bits), int64(math.MaxInt64)>>(64-bits))
	}
	if v < lo || v >= hi {
		L.ArgError(n, fmt.Sprintf("integer %s does not fit in %s: '%s' holds %s", lua.LNumber(v).String(), byteCount(uint64(opt.size)), opt.name, rangeText))
	}
	if v < 0 {
		return uint64(int64(v))
	}
	return uint64(v)
}

func byteCount(n uint64) string {
	if n == 1 {
		return "1 byte"
	}
	return fmt.Sprintf("%d bytes", n)
}
