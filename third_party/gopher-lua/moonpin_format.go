package lua

import (
	"fmt"
	"math"
	"strconv"
	"strings"
)

// strFormat is Lua 5.1's str_format (moonpin: upstream handed the format
// to Go's fmt.Sprintf, so a missing argument printed "%!d(MISSING)", %s
// took any value, %q wrote Go escapes, %5s counted runes and an unknown
// option printed "%!y(...)"). Each directive is checked and formatted as C's
// printf would, with strconv and no fmt (fmt's parse of a format built per
// directive was most of the cost): see formatDirective.
func strFormat(L *LState) int {
	format := L.CheckString(1)
	top := L.GetTop()
	arg := 1
	var spec formatSpec
	var stack [128]byte
	out := stack[:0]
	for i := 0; i < len(format); i++ {
		if format[i] != '%' {
			n := strings.IndexByte(format[i:], '%')
			if n < 0 {
				n = len(format) - i
			}
			out = append(reserveFormat(L, out, n), format[i:i+n]...)
			i += n - 1
			continue
		}
		i++
		if i < len(format) && format[i] == '%' {
			out = append(reserveFormat(L, out, 1), '%')
			continue
		}
		arg++
		if arg > top {
			L.ArgError(arg, "no value")
		}
		i += scanFormatSpec(L, format[i:], &spec) - 1
		out = formatDirective(L, out, &spec, arg)
	}
	if len(out) < copyPiece {
		L.Push(LString(out))
		return 1
	}
	// The string's own copy, made as appendChecked makes it.
	L.CheckAlloc(len(out))
	str := builder{L: L, buf: appendChecked(L, roomFor(L, len(out)), out)}
	L.Push(LString(str.String()))
	return 1
}

// reserveFormat makes room for n more bytes in out, asking CheckAlloc
// before it grows the buffer (to twice its capacity plus n).
func reserveFormat(L *LState, out []byte, n int) []byte {
	if cap(out)-len(out) >= n {
		return out
	}
	return growFormat(L, out, n)
}

// growFormat is reserveFormat's growth, out of its line: reserveFormat runs
// for each piece of every format, and with the growth's allocation in it
// string.format ×1M took 5-8% longer.
func growFormat(L *LState, out []byte, n int) []byte {
	if cap(out) > (maxInt-n)/2 {
		L.RaiseError("string too large")
	}
	size := 2*cap(out) + n
	L.CheckAlloc(size)
	return appendChecked(L, roomFor(L, size), out)
}

// The flags of a directive.
const (
	fmtMinus = 1 << iota
	fmtPlus
	fmtSpace
	fmtAlt
	fmtZero
)

// formatSpec is one directive: its flags, width, precision (-1 when none is
// written; "%.f" is precision 0) and conversion letter.
type formatSpec struct {
	flags, width, prec int
	conv               byte
	text               string // the directive as written, after its '%'
}

// scanFormatSpec reads a directive after its '%' into sp with Lua 5.1's
// limits: at most 5 flags, 2 digits of width and of precision. It returns
// the directive's length.
func scanFormatSpec(L *LState, f string, sp *formatSpec) int {
	sp.flags, sp.width, sp.prec = 0, 0, -1
	i := 0
flags:
	for ; i < len(f); i++ {
		switch f[i] {
		case '-':
			sp.flags |= fmtMinus
		case '+':
			sp.flags |= fmtPlus
		case ' ':
			sp.flags |= fmtSpace
		case '#':
			sp.flags |= fmtAlt
		case '0':
			sp.flags |= fmtZero
		default:
			break flags
		}
	}
	if i > 5 {
		L.RaiseError("invalid format (repeated flags)")
	}
	start := i
	for i < len(f) && i-start < 3 && isDigit(f[i]) {
		sp.width = sp.width*10 + int(f[i]-'0')
		i++
	}
	tooLong := i-start > 2
	if i < len(f) && f[i] == '.' {
		i++
		sp.prec = 0
		start = i
		for i < len(f) && i-start < 3 && isDigit(f[i]) {
			sp.prec = sp.prec*10 + int(f[i]-'0')
			i++
		}
		tooLong = tooLong || i-start > 2
	}
	if tooLong {
		L.RaiseError("invalid format (width or precision too long)")
	}
	if i >= len(f) {
		L.RaiseError("%s", "invalid option '%' to 'format'")
	}
	sp.conv = f[i]
	sp.text = f[:i+1]
	return i + 1
}

func isDigit(c byte) bool { return '0' <= c && c <= '9' }

// formatDirective appends argument arg formatted by sp to out.
func formatDirective(L *LState, out []byte, sp *formatSpec, arg int) []byte {
	// num holds a formatted number: at most 99 of width, or 309 digits of
	// %f, a point and 99 of precision.
	var num [512]byte
	var text []byte
	switch sp.conv {
	case 'c':
		c := [1]byte{byte(int64(L.CheckNumber(arg)))}
		text = appendPadded(num[:0], sp, "", c[:], false)
	case 'd', 'i':
		v := int64(L.CheckNumber(arg))
		mag := uint64(v)
		if v < 0 {
			mag = -mag
		}
		text = appendInteger(num[:0], sp, v < 0, mag)
	case 'u', 'o', 'x', 'X':
		text = appendInteger(num[:0], sp, false, uint64(int64(L.CheckNumber(arg))))
	case 'e', 'E', 'f', 'g', 'G':
		text = appendFloat(num[:0], sp, float64(L.CheckNumber(arg)))
	case 'q':
		s := L.CheckString(arg)
		out = reserveFormat(L, out, len(s)+2)
		return appendQuoted(L, out, s)
	case 's':
		s := L.CheckString(arg)
		if sp.prec >= 0 && sp.prec < len(s) {
			s = s[:sp.prec]
		}
		out = reserveFormat(L, out, max(len(s), sp.width))
		if len(s) >= copyPiece && sp.width <= len(s) {
			return appendChecked(L, out, s) // no padding: a width has 2 digits
		}
		return appendPadded(out, sp, "", s, false)
	default:
		L.RaiseError("invalid option '%%%c' to 'format'", sp.conv)
	}
	return append(reserveFormat(L, out, len(text)), text...)
}

// appendPadded appends prefix (a sign, 0x) and body padded to sp's width
// in bytes: on the right for '-', with zeros between prefix and body for
// '0' where zeroOK, else with spaces on the left.
func appendPadded[B string | []byte](dst []byte, sp *formatSpec, prefix string, body B, zeroOK bool) []byte {
	pad := sp.width - len(prefix) - len(body)
	switch {
	case pad <= 0:
		dst = append(append(dst, prefix...), body...)
	case sp.flags&fmtMinus != 0:
		dst = append(append(dst, prefix...), body...)
		dst = appendRepeated(dst, ' ', pad)
	case zeroOK && sp.flags&fmtZero != 0:
		dst = appendRepeated(append(dst, prefix...), '0', pad)
		dst = append(dst, body...)
	default:
		dst = appendRepeated(dst, ' ', pad)
		dst = append(append(dst, prefix...), body...)
	}
	return dst
}

func appendRepeated(dst []byte, c byte, n int) []byte {
	for ; n > 0; n-- {
		dst = append(dst, c)
	}
	return dst
}

// appendInteger is C's %d, %i, %u, %o, %x and %X of a magnitude and sign:
// the precision is a minimum number of digits (and "%.0d" of 0 is empty),
// '+' and ' ' apply to %d and %i only, '#' prefixes 0x to a non-zero %x and
// makes %o start with 0, and '0' pads only when there is no precision.
func appendInteger(dst []byte, sp *formatSpec, neg bool, mag uint64) []byte {
	base := 10
	switch sp.conv {
	case 'o':
		base = 8
	case 'x', 'X':
		base = 16
	}
	var digitBuf [24]byte
	digits := strconv.AppendUint(digitBuf[:0], mag, base)
	if sp.conv == 'X' {
		for i, c := range digits {
			if c >= 'a' {
				digits[i] = c - 'a' + 'A'
			}
		}
	}
	if sp.prec == 0 && mag == 0 {
		digits = digits[:0]
	}
	prefix := ""
	signed := sp.conv == 'd' || sp.conv == 'i'
	switch {
	case neg:
		prefix = "-"
	case signed && sp.flags&fmtPlus != 0:
		prefix = "+"
	case signed && sp.flags&fmtSpace != 0:
		prefix = " "
	case sp.flags&fmtAlt != 0 && mag != 0 && sp.conv == 'x':
		prefix = "0x"
	case sp.flags&fmtAlt != 0 && mag != 0 && sp.conv == 'X':
		prefix = "0X"
	}
	zeros := sp.prec - len(digits)
	if sp.conv == 'o' && sp.flags&fmtAlt != 0 && zeros <= 0 && (len(digits) == 0 || digits[0] != '0') {
		zeros = 1
	}
	if zeros <= 0 {
		return appendPadded(dst, sp, prefix, digits, sp.prec < 0)
	}
	var bodyBuf [128]byte
	body := append(appendRepeated(bodyBuf[:0], '0', zeros), digits...)
	return appendPadded(dst, sp, prefix, body, sp.prec < 0)
}

// appendFloat is C's %e, %E, %f, %g and %G: strconv's digits (both round
// correctly) with C's sign, padding, default precision 6 and spellings of
// infinity and NaN.
func appendFloat(dst []byte, sp *formatSpec, v float64) []byte {
	upper := sp.conv == 'E' || sp.conv == 'G'
	prefix := ""
	switch {
	case math.Signbit(v):
		prefix = "-"
	case sp.flags&fmtPlus != 0:
		prefix = "+"
	case sp.flags&fmtSpace != 0:
		prefix = " "
	}
	if math.IsInf(v, 0) || v != v {
		// C spells them inf and nan (upper case for E and G) and never
		// pads them with zeros.
		text := "inf"
		if v != v {
			text = "nan"
		}
		if upper {
			text = strings.ToUpper(text)
		}
		return appendPadded(dst, sp, prefix, text, false)
	}
	if sp.flags&fmtAlt != 0 {
		// '#' (a point always, %g's trailing zeros kept) is rare: Go's
		// fmt does it as C does.
		f := "%" + sp.text
		if sp.prec < 0 {
			f = f[:len(f)-1] + ".6" + f[len(f)-1:]
		}
		return append(dst, fmt.Sprintf(f, v)...)
	}
	prec := sp.prec
	if prec < 0 {
		prec = 6
	}
	var bodyBuf [420]byte
	body := strconv.AppendFloat(bodyBuf[:0], math.Abs(v), sp.conv|0x20, prec, 64)
	if upper {
		for i, c := range body {
			if c == 'e' {
				body[i] = 'E'
			}
		}
	}
	return appendPadded(dst, sp, prefix, body, true)
}

// appendQuoted is Lua 5.1's addquoted: \", \\ and a newline get a
// backslash, \r is written \r, a zero byte \000; other bytes as they are.
func appendQuoted(L *LState, out []byte, s string) []byte {
	out = append(out, '"')
	for i := 0; i < len(s); i++ {
		if i&(1<<20-1) == 0 {
			L.CheckInterrupt() // every megabyte: %q of 200 MB took 1.6 s
		}
		switch c := s[i]; c {
		case '"', '\\', '\n':
			out = append(reserveFormat(L, out, 2), '\\', c)
		case '\r':
			out = append(reserveFormat(L, out, 2), '\\', 'r')
		case 0:
			out = append(reserveFormat(L, out, 4), "\\000"...)
		default:
			out = append(reserveFormat(L, out, 1), c)
		}
	}
	return append(reserveFormat(L, out, 1), '"')
}
