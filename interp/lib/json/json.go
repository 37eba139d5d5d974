// Package json is the Lua module json: encode Lua values as JSON text and decode
// JSON text into Lua values, for MQTT payloads, config files and web APIs.
//
// Encoding: a table whose keys are exactly 1..n is an array; any other table is
// an object, and so is an empty table ({}, as in lua-cjson and NodeMCU's sjson:
// device payloads are objects far more often than lists). Object keys are sorted,
// so output is deterministic; number keys become strings. Integral numbers print
// without a fraction. NaN, infinities, functions, userdata other than json.null,
// invalid UTF-8, cycles and nesting deeper than 1000 are errors that name the
// path to the value.
//
// Decoding: null becomes json.null wherever it appears, a top-level "null"
// included, so arrays keep their length and objects their keys; json.null is one
// value per Lua state. Strings are byte-exact; \u escapes, surrogate pairs
// included, become UTF-8, and lone surrogates U+FFFD. Errors give the line and
// the column, counted in bytes.
//
// Both directions look at the interrupt every thousand values, and ask the
// state's memory limit before the output or a long string grows, so a huge
// input neither wedges Ctrl-C nor overruns --mem-limit.
//
// It is hand-written rather than built on encoding/json so that values go
// straight into Lua tables, strings stay byte-exact and errors carry line and column.
package json

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"unicode/utf16"
	"unicode/utf8"
	"unsafe"

	"github.com/moonpin/moonpin/hal"
	"github.com/moonpin/moonpin/interp/host"
	"github.com/moonpin/moonpin/interp/show"
	lua "github.com/yuin/gopher-lua"
)

// Builtins take json.null as their first upvalue.
var builtins = map[string]lua.LGFunction{
	"encode": encode,
	"decode": decode,
}

// Loader pushes a new json module table; use it with L.PreloadModule("json", Loader).
func Loader(L *lua.LState) int {
	null := nullValue(L)
	mod := host.Module(L, "json", builtins, null)
	mod.RawSetString("null", null)
	L.Push(mod)
	return 1
}

// maxDepth bounds nesting, as lua-cjson does, so hostile input cannot exhaust memory.
const maxDepth = 1000

const nullKey = "github.com/moonpin/moonpin/interp/lib/json.null"

// nullValue returns the state's json.null, made on first use and kept in the
// registry so that every copy of the module in one state agrees on it.
func nullValue(L *lua.LState) lua.LValue {
	if null := L.G.Registry.RawGetString(nullKey); null != lua.LNil {
		return null
	}
	null := L.NewUserData()
	null.Metatable = L.SetFuncs(L.NewTable(), map[string]lua.LGFunction{
		"__tostring": func(L *lua.LState) int {
			L.Push(lua.LString("null"))
			return 1
		},
	})
	L.G.Registry.RawSetString(nullKey, null)
	return null
}

func encode(L *lua.LState) int {
	e := encoder{L: L, null: L.Get(lua.UpvalueIndex(1)), active: map[*lua.LTable]bool{}}
	e.value(L.CheckAny(1))
	// The buffer is not used again: the string shares it rather than
	// copying what can be most of the memory limit.
	L.Push(host.Owned(e.buf))
	return 1
}

type encoder struct {
	L      *lua.LState
	null   lua.LValue
	buf    []byte
	poll   lua.Poller           // the values encoded, for the interrupt
	path   []lua.LValue         // keys from the argument to the value being encoded
	active map[*lua.LTable]bool // tables on the path, to detect cycles
}

func (e *encoder) fail(format string, args ...any) { e.failHint("", format, args...) }

// failHint is fail with a hint after the place: what to do instead.
func (e *encoder) failHint(hint, format string, args ...any) {
	msg := fmt.Sprintf(format, args...)
	if len(e.path) > 0 {
		msg += " at " + e.where()
	}
	if hint != "" {
		msg += " (" + hint + ")"
	}
	e.L.RaiseError("json.encode: %s", msg)
}

// where writes the path as a Lua expression, e.g. readings[2].temp; a long
// one as its first and last keys around "…" and its length, and a long key
// cut short, so that an error at the depth limit is not 3 KB of [1][1]...
func (e *encoder) where() string {
	const ends = 4 // keys shown at each end of a long path
	long := len(e.path) > 3*ends
	var b strings.Builder
	for i, k := range e.path {
		if long && i >= ends && i < len(e.path)-ends {
			if i == ends {
				b.WriteString("…")
			}
			continue
		}
		afterCut := long && i == len(e.path)-ends
		s, isString := k.(lua.LString)
		switch {
		case isString && isIdentifier(string(s)) && len(s) <= show.MaxString:
			if b.Len() > 0 && !afterCut {
				b.WriteByte('.')
			}
			b.WriteString(string(s))
		case isString:
			fmt.Fprintf(&b, "[%s]", show.Quote(string(s), 40))
		default:
			fmt.Fprintf(&b, "[%v]", k)
		}
	}
	if long {
		fmt.Fprintf(&b, " (%d levels)", len(e.path))
	}
	return b.String()
}

func isIdentifier(s string) bool {
	for i, c := range s {
		if !(c == '_' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || i > 0 && '0' <= c && c <= '9') {
			return false
		}
	}
	return s != ""
}

// room makes room for n more bytes of output, within the memory limit.
func (e *encoder) room(n int) {
	if len(e.buf)+n > cap(e.buf) {
		e.L.CheckAlloc(2*cap(e.buf) + n)
		// Grown away from the Lua goroutine when big: the copy and the
		// zeroing do not look at the interrupt (lua.AwaitAlloc).
		buf := e.buf
		e.buf = lua.AwaitAlloc(e.L, 2*cap(buf)+n, func() []byte { return slices.Grow(buf, n) })
	}
}

// punct appends one byte of punctuation, within the memory limit: growing a
// big buffer by one byte allocates a bigger one.
func (e *encoder) punct(c byte) {
	e.room(1)
	e.buf = append(e.buf, c)
}

func (e *encoder) value(v lua.LValue) {
	e.poll.Poll(e.L)
	e.room(32)
	switch v := v.(type) {
	case *lua.LNilType:
		e.buf = append(e.buf, "null"...)
	case lua.LBool:
		e.buf = strconv.AppendBool(e.buf, bool(v))
	case lua.LNumber:
		e.number(float64(v))
	case lua.LString:
		e.string(string(v))
	case *lua.LTable:
		e.table(v)
	default:
		if v != e.null {
			e.fail("cannot encode %s", v.Type())
		}
		e.buf = append(e.buf, "null"...)
	}
}

func (e *encoder) number(f float64) {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		e.failHint("JSON has no infinity or NaN; send null or a string instead", "cannot encode %s", lua.LNumber(f).String())
	}
	e.buf = appendNumber(e.buf, f)
}

// appendNumber formats like JavaScript: no fraction for integers, and exponents
// only for very large or small magnitudes.
func appendNumber(buf []byte, f float64) []byte {
	format := byte('f')
	if abs := math.Abs(f); abs != 0 && (abs < 1e-6 || abs >= 1e21) {
		format = 'e'
	}
	return strconv.AppendFloat(buf, f, format, -1, 64)
}

func (e *encoder) string(s string) {
	if !e.validUTF8(s) {
		e.fail("cannot encode a string that is not valid UTF-8")
	}
	const hex = "0123456789abcdef"
	// Escaping can make a string six times longer: room for exactly what it
	// will be, so the limit is asked about the real size.
	e.room(e.escapedLen(s) + 2)
	e.buf = append(e.buf, '"')
	start := 0
	for i := 0; i < len(s); i++ {
		if i%scanPiece == scanPiece-1 {
			e.L.CheckInterrupt()
		}
		c := s[i]
		if c >= 0x20 && c != '"' && c != '\\' {
			continue
		}
		e.buf = lua.AppendChecked(e.L, e.buf, s[start:i])
		switch c {
		case '"', '\\':
			e.buf = append(e.buf, '\\', c)
		case '\n':
			e.buf = append(e.buf, `\n`...)
		case '\r':
			e.buf = append(e.buf, `\r`...)
		case '\t':
			e.buf = append(e.buf, `\t`...)
		default:
			e.buf = append(e.buf, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xf])
		}
		start = i + 1
	}
	e.buf = append(lua.AppendChecked(e.L, e.buf, s[start:]), '"')
}

// validUTF8 is utf8.ValidString(s) a piece at a time, with a look at the
// interrupt between: a string of 64 MB took 169 ms to encode, deaf to
// Ctrl-C but for escapedLen. Pieces end where a rune starts (or, in a run
// of more continuation bytes than a rune has, which is invalid anyway,
// where that run's next piece begins with one), so each is valid alone
// exactly when s is.
func (e *encoder) validUTF8(s string) bool {
	for len(s) > scanPiece {
		end := scanPiece
		for i := 1; i < utf8.UTFMax && !utf8.RuneStart(s[end]); i++ {
			end--
		}
		if !utf8.ValidString(s[:end]) {
			return false
		}
		s = s[end:]
		e.L.CheckInterrupt()
	}
	return utf8.ValidString(s)
}

// scanPiece is how many bytes of a string escapedLen reads between looks at
// the interrupt.
const scanPiece = 1 << 20

// escapedLen is the length of s escaped, without its quotes.
func (e *encoder) escapedLen(s string) int {
	n := len(s)
	for i := 0; i < len(s); i++ {
		if i%scanPiece == scanPiece-1 {
			e.L.CheckInterrupt()
		}
		switch c := s[i]; {
		case c == '"' || c == '\\' || c == '\n' || c == '\r' || c == '\t':
			n++
		case c < 0x20:
			n += 5
		}
	}
	return n
}

func (e *encoder) table(t *lua.LTable) {
	if e.active[t] {
		e.fail("table is referenced cyclically")
	}
	if len(e.path) >= maxDepth {
		e.fail("nesting deeper than %d levels", maxDepth)
	}
	e.active[t] = true
	defer delete(e.active, t)
	if n, ok := arrayLen(e.L, t, &e.poll); ok && n > 0 {
		e.punct('[')
		for i := 1; i <= n; i++ {
			if i > 1 {
				e.punct(',')
			}
			e.member(lua.LNumber(i), t.RawGetInt(i))
		}
		e.punct(']')
		return
	}
	type member struct {
		name       string
		key, value lua.LValue
	}
	var members []member
	t.ForEach(func(k, v lua.LValue) {
		e.poll.Poll(e.L)
		if len(members) == cap(members) {
			e.L.CheckAlloc(2 * cap(members) * int(unsafe.Sizeof(member{})))
		}
		switch k := k.(type) {
		case lua.LString:
			members = append(members, member{string(k), k, v})
		case lua.LNumber:
			if math.IsInf(float64(k), 0) {
				e.failHint("JSON has no infinity", "cannot encode key %s", k.String())
			}
			members = append(members, member{string(appendNumber(nil, float64(k))), k, v})
		default:
			e.fail("cannot encode a key of type %s", k.Type())
		}
	})
	slices.SortFunc(members, func(a, b member) int {
		e.poll.Poll(e.L)
		return cmp.Compare(a.name, b.name)
	})
	e.punct('{')
	for i, m := range members {
		if i > 0 {
			if m.name == members[i-1].name {
				e.fail("number key %v and string key %q collide", m.name, m.name)
			}
			e.punct(',')
		}
		e.string(m.name)
		e.punct(':')
		e.member(m.key, m.value)
	}
	e.punct('}')
}

func (e *encoder) member(key, value lua.LValue) {
	e.path = append(e.path, key)
	e.value(value)
	e.path = e.path[:len(e.path)-1]
}

// arrayLen returns n if t's keys are exactly 1..n; it polls for each.
func arrayLen(L *lua.LState, t *lua.LTable, poll *lua.Poller) (n int, ok bool) {
	ok = true
	largest := 0.0
	t.ForEach(func(k, _ lua.LValue) {
		poll.Poll(L)
		n++
		if i, isNumber := k.(lua.LNumber); isNumber && i >= 1 && float64(i) == math.Trunc(float64(i)) {
			largest = max(largest, float64(i))
		} else {
			ok = false
		}
	})
	return n, ok && largest == float64(n)
}

func decode(L *lua.LState) int {
	d := decoder{L: L, null: L.Get(lua.UpvalueIndex(1)), data: L.CheckString(1)}
	d.space()
	v := d.value()
	d.space()
	if d.pos < len(d.data) {
		d.unexpected()
	}
	L.Push(v)
	return 1
}

type decoder struct {
	L     *lua.LState
	null  lua.LValue
	data  string
	pos   int
	depth int
	poll  lua.Poller // the values decoded, for the interrupt
}

func (d *decoder) fail(format string, args ...any) {
	before := d.data[:d.pos]
	line := 1 + strings.Count(before, "\n")
	column := len(before) - strings.LastIndexByte(before, '\n')
	d.L.RaiseError("json.decode: %s at line %d column %d", fmt.Sprintf(format, args...), line, column)
}

func (d *decoder) unexpected() {
	if d.pos >= len(d.data) {
		d.fail("unexpected end of input")
	}
	r, size := utf8.DecodeRuneInString(d.data[d.pos:])
	if r == utf8.RuneError && size == 1 {
		d.fail("unexpected byte 0x%02X", d.data[d.pos])
	}
	d.fail("unexpected character %q", r)
}

func (d *decoder) space() {
	for d.pos < len(d.data) {
		switch d.data[d.pos] {
		case ' ', '\t', '\n', '\r':
			d.pos++
			d.scanned(d.pos)
		default:
			return
		}
	}
}

// consume skips c if it is next.
func (d *decoder) consume(c byte) bool {
	if d.pos < len(d.data) && d.data[d.pos] == c {
		d.pos++
		return true
	}
	return false
}

func (d *decoder) expect(c byte) {
	if !d.consume(c) {
		d.unexpected()
	}
}

func (d *decoder) value() lua.LValue {
	d.poll.Poll(d.L)
	if d.pos >= len(d.data) {
		d.unexpected()
	}
	switch d.data[d.pos] {
	case '{':
		return d.object()
	case '[':
		return d.array()
	case '"':
		return lua.LString(d.string())
	case '-', '0', '1', '2', '3', '4', '5', '6', '7', '8', '9':
		return d.number()
	case 't':
		d.literal("true")
		return lua.LTrue
	case 'f':
		d.literal("false")
		return lua.LFalse
	case 'n':
		d.literal("null")
		return d.null
	}
	d.unexpected()
	return nil
}

func (d *decoder) literal(word string) {
	for i := range len(word) {
		d.expect(word[i])
	}
}

// enter steps into an object or array at its opening bracket.
func (d *decoder) enter() {
	if d.depth++; d.depth > maxDepth {
		d.fail("nesting deeper than %d levels", maxDepth)
	}
	d.pos++
	d.space()
}

func (d *decoder) object() lua.LValue {
	d.enter()
	t := d.L.NewTable()
	if !d.consume('}') {
		for {
			if d.pos >= len(d.data) || d.data[d.pos] != '"' {
				d.unexpected()
			}
			key := d.string()
			d.space()
			d.expect(':')
			d.space()
			t.RawSetString(key, d.value())
			d.space()
			if !d.consume(',') {
				break
			}
			d.space()
		}
		d.expect('}')
	}
	d.depth--
	return t
}

func (d *decoder) array() lua.LValue {
	d.enter()
	t := d.L.NewTable()
	if !d.consume(']') {
		for {
			t.Append(d.value())
			d.space()
			if !d.consume(',') {
				break
			}
			d.space()
		}
		d.expect(']')
	}
	d.depth--
	return t
}

// string reads a string at the opening quote. The result is a copy, so that a
// small string kept from a large payload does not keep all of it alive.
func (d *decoder) string() string {
	d.pos++
	start := d.pos
	for d.pos < len(d.data) {
		c := d.data[d.pos]
		if c == '"' {
			d.pos++
			return string(host.Copy(d.L, d.data[start:d.pos-1]))
		}
		if c == '\\' || c < 0x20 {
			break
		}
		d.pos++
		d.scanned(d.pos)
	}
	// Escapes only shrink: the string up to its closing quote bounds what
	// it decodes to, so one allocation, checked, holds it.
	size := d.stringEnd() - start
	buf := lua.AppendChecked(d.L, lua.Room(d.L, size), d.data[start:d.pos])
	for {
		if d.pos >= len(d.data) || d.data[d.pos] < 0x20 {
			d.unexpected()
		}
		c := d.data[d.pos]
		d.pos++
		d.scanned(d.pos)
		switch c {
		case '"':
			return string(host.Owned(buf))
		case '\\':
			buf = d.escape(buf)
		default:
			buf = append(buf, c)
		}
	}
}

// scanned looks at the interrupt as the byte loops (a string, blanks,
// digits) pass the start of each 64 KB of the input: a string of 64 MB took
// 186 ms to stop. A test of the position, not a count kept in the decoder,
// to keep the loops as fast as they were; its first 16 bytes, not the
// first only, as a loop can step over several (an escape, up to 12: a
// \u surrogate pair).
func (d *decoder) scanned(pos int) {
	if pos&(64<<10-1) < 16 {
		d.L.CheckInterrupt()
	}
}

// stringEnd is the position of the quote that closes the string being read,
// or the end of the data.
func (d *decoder) stringEnd() int {
	for i := d.pos; i < len(d.data); i++ {
		d.scanned(i)
		switch d.data[i] {
		case '\\':
			i++
		case '"':
			return i
		}
	}
	return len(d.data)
}

// escape appends the character of the escape after a backslash.
func (d *decoder) escape(buf []byte) []byte {
	if d.pos >= len(d.data) {
		d.unexpected()
	}
	c := d.data[d.pos]
	d.pos++
	switch c {
	case '"', '\\', '/':
		return append(buf, c)
	case 'b':
		return append(buf, '\b')
	case 'f':
		return append(buf, '\f')
	case 'n':
		return append(buf, '\n')
	case 'r':
		return append(buf, '\r')
	case 't':
		return append(buf, '\t')
	case 'u':
		r := d.hex4()
		if utf16.IsSurrogate(r) {
			high := r
			r = utf8.RuneError
			if strings.HasPrefix(d.data[d.pos:], `\u`) {
				d.pos += 2
				if pair := utf16.DecodeRune(high, d.hex4()); pair != utf8.RuneError {
					r = pair
				} else {
					d.pos -= 6 // not a pair: decode the second escape on its own
				}
			}
		}
		return utf8.AppendRune(buf, r)
	}
	d.pos--
	if ' ' < c && c < 0x7f {
		d.fail(`invalid escape '\%c' in string`, c)
	}
	d.unexpected()
	return nil
}

func (d *decoder) hex4() rune {
	var r rune
	for range 4 {
		if d.pos >= len(d.data) {
			d.unexpected()
		}
		c := d.data[d.pos]
		switch {
		case '0' <= c && c <= '9':
			c -= '0'
		case 'a' <= c && c <= 'f':
			c -= 'a' - 10
		case 'A' <= c && c <= 'F':
			c -= 'A' - 10
		default:
			d.unexpected()
		}
		r = r<<4 | rune(c)
		d.pos++
	}
	return r
}

func (d *decoder) number() lua.LValue {
	start := d.pos
	d.consume('-')
	if !d.consume('0') {
		d.digits()
	}
	if d.consume('.') {
		d.digits()
	}
	if d.consume('e') || d.consume('E') {
		if !d.consume('+') {
			d.consume('-')
		}
		d.digits()
	}
	text := d.data[start:d.pos]
	f, err := strconv.ParseFloat(text, 64)
	if err != nil && math.IsInf(f, 0) {
		d.pos = start
		d.fail("number %s out of range", hal.Quote(text))
	}
	return lua.LNumber(f)
}

// digits skips one or more decimal digits.
func (d *decoder) digits() {
	start := d.pos
	for d.pos < len(d.data) && '0' <= d.data[d.pos] && d.data[d.pos] <= '9' {
		d.pos++
		d.scanned(d.pos)
	}
	if d.pos == start {
		d.unexpected()
	}
}
