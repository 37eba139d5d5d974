// Package show writes Lua values the way the REPL prints them: tables as Lua
// constructors with sorted keys, indented past one line and cut short with
// "…" where they are deep or long, numbers as Lua 5.1's %.14g, handles as
// what a user wants to know about them ("GPIO17 (out, 1)"). It runs on the
// goroutine that owns the Lua state, as a Lua function would.
package show

import (
	"container/heap"
	"fmt"
	"math"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/moonpin/moonpin/interp/host"
	lua "github.com/yuin/gopher-lua"
)

// Limits that keep what a value prints, and the time it takes, bounded
// however large the value is.
const (
	// Width is the column a table's one-line form must end before.
	Width = 80
	// MaxDepth is how deep tables nest before one shows as {…}.
	MaxDepth = 5
	// MaxItems is how many entries of one table show (about a screen when
	// they take a line each); "… n more" stands for the rest.
	MaxItems = 50
	// MaxString is how many bytes of a string inside a table show.
	MaxString = 100
	// Budget bounds the bytes of one value's output, give or take one
	// entry; past it, entries are left out as past MaxItems. An
	// expression's results share one Budget (see Values).
	Budget = 3000
)

// Values returns vs as the REPL prints an expression's results: separated
// by ", ", a string as it is (quoted only when it is empty or holds bytes
// a terminal cannot show), anything else as Value gives it. The results
// share one Budget: past it the rest are "… n more values" (`unpack` of
// 60000 tables printed each in its own 3 KB, 184 MB that Ctrl-C could not
// stop). An error in a __tostring metamethod is raised: call it inside a
// Lua call (a builtin, or a protected call from Go).
func Values(L *lua.LState, vs []lua.LValue) string {
	// An empty string is quoted: "", "", 1 showed as ", , 1".
	return values(L, vs, func(s string) bool { return s != "" && printable(s) })
}

// ValuesAsText is Values with every string as it is, printable or not
// (the raw REPL's show for a host that quotes nothing).
func ValuesAsText(L *lua.LState, vs []lua.LValue) string {
	return values(L, vs, func(string) bool { return true })
}

func values(L *lua.LState, vs []lua.LValue, asIs func(string) bool) string {
	p, done := newPrinter(L, MaxItems, Budget)
	defer done()
	var b strings.Builder
	for i, v := range vs {
		if i > 0 {
			if p.budget <= 0 {
				n := len(vs) - i
				b.WriteString(", " + moreText(n) + " value")
				if n > 1 {
					b.WriteString("s")
				}
				break
			}
			b.WriteString(", ")
		}
		p.poll()
		if s, ok := v.(lua.LString); ok && asIs(string(s)) {
			b.WriteString(string(s))
			p.spend(len(s))
			continue
		}
		p.write(&b, v)
	}
	return b.String()
}

// Value returns one value as the REPL shows it inside a table: strings
// quoted, tables as constructors.
func Value(L *lua.LState, v lua.LValue) string {
	return value(L, v, MaxItems, Budget)
}

// All is Value without the limits on entries and bytes: for dir(), whose
// every name the REPL shows.
func All(L *lua.LState, v lua.LValue) string {
	return value(L, v, math.MaxInt, math.MaxInt)
}

func value(L *lua.LState, v lua.LValue, maxItems, budget int) string {
	var b strings.Builder
	p, done := newPrinter(L, maxItems, budget)
	defer done()
	p.write(&b, v)
	return b.String()
}

// paths holds, for each Lua state showing a value (by its Global, which
// its coroutines share), the tables being shown: a printer started inside
// another's __tostring call (a __tostring in Go that shows its items with
// Value, as i2c's scan list does, or a Lua one that calls repr) shares its
// caller's, so a table inside itself through a __tostring shows as
// <cycle>, as it does through plain tables, not as a C stack overflow.
var paths sync.Map // *lua.Global -> map[*lua.LTable]bool

// newPrinter returns a printer and done, which the caller defers.
func newPrinter(L *lua.LState, maxItems, budget int) (*printer, func()) {
	path, done := pathOf(L)
	return &printer{L: L, budget: budget, maxItems: maxItems, path: path}, done
}

// pathOf returns the tables being shown on L, and done, which the caller
// defers: the outermost caller's forgets them.
func pathOf(L *lua.LState) (map[*lua.LTable]bool, func()) {
	if path, ok := paths.Load(L.G); ok {
		return path.(map[*lua.LTable]bool), func() {}
	}
	path := map[*lua.LTable]bool{}
	paths.Store(L.G, path)
	return path, func() { paths.Delete(L.G) }
}

// Inside calls fn with t among the tables being shown on L: a __tostring
// written in Go that shows t's items with Value runs them in it, so that t
// among its own items shows as <cycle>.
func Inside(L *lua.LState, t *lua.LTable, fn func()) {
	path, done := pathOf(L)
	defer done()
	if !path[t] {
		path[t] = true
		defer delete(path, t)
	}
	fn()
}

// write lays v out on b, spending the budget.
func (p *printer) write(b *strings.Builder, v lua.LValue) {
	n := p.build(v, 0)
	if !n.table {
		p.spend(len(n.text))
	}
	p.layout(b, n, 0, 0)
}

// Number formats n as Lua 5.1's tostring does (%.14g): the fork's
// LNumber.String, so the REPL and print agree.
func Number(n lua.LNumber) string {
	return n.String()
}

// node is a value ready to lay out: an atom's text, or a table's entries.
type node struct {
	text    string
	table   bool
	entries []entry
	more    int // entries left out
	flat    int // columns of the one-line form
}

// entry is one table entry: key is "" for an item of the array part, else
// what comes before the value ("name = ", "[10] = ").
type entry struct {
	key string
	val *node
}

type printer struct {
	L        *lua.LState
	budget   int
	maxItems int
	path     map[*lua.LTable]bool // the tables being shown, for cycles
	steps    lua.Poller           // table entries looked at, for the interrupt
}

// poll counts an entry looked at and now and then raises the interrupt if
// there is one: a table of millions of keys takes a second to scan. The
// printer runs inside a Lua call (a builtin, or the REPL's protected call
// of it).
func (p *printer) poll() { p.steps.Poll(p.L) }

func atom(s string) *node { return &node{text: s, flat: utf8.RuneCountInString(s)} }

func (p *printer) spend(n int) { p.budget -= n }

func (p *printer) build(v lua.LValue, depth int) *node {
	switch v := v.(type) {
	case *lua.LNilType:
		return atom("nil")
	case lua.LBool:
		return atom(v.String())
	case lua.LNumber:
		return atom(Number(v))
	case lua.LString:
		return atom(Quote(string(v), MaxString))
	case *lua.LTable:
		if p.path[v] {
			return atom("<cycle>")
		}
		if p.L.GetMetaField(v, "__tostring") != lua.LNil {
			// On the path while its __tostring runs: a printer that
			// meets it again in there meets a cycle (see paths).
			var text string
			Inside(p.L, v, func() { text = p.tostring(v) })
			return p.described(text, depth)
		}
		return p.table(v, depth)
	case *lua.LUserData:
		if d, ok := v.Value.(host.Describer); ok {
			return atom(d.Describe())
		}
		if p.L.GetMetaField(v, "__tostring") != lua.LNil {
			return p.described(p.tostring(v), depth)
		}
		return atom("<userdata>")
	case *lua.LFunction:
		return atom("<function>")
	case *lua.LState:
		return atom("<coroutine>")
	default:
		return atom("<" + v.Type().String() + ">")
	}
}

// described is the atom of a value's __tostring text: as it is for the
// value itself (as print shows it), and inside a table at most MaxString
// bytes and quoted unless a terminal can show it.
func (p *printer) described(text string, depth int) *node {
	if depth == 0 {
		return atom(text)
	}
	if !printable(text) {
		return atom(Quote(text, MaxString))
	}
	return atom(cut(text, MaxString))
}

// cut is s cut short with "…" past max bytes, at a character's start.
func cut(s string, max int) string {
	if len(s) <= max {
		return s
	}
	i := max
	for i > 0 && !utf8.RuneStart(s[i]) {
		i--
	}
	return s[:i] + "…"
}

// tostring calls v's __tostring, unprotected: an error in it is raised as
// it was (the interrupt as well), with its own position, not wrapped in the
// printer's. It may return a number, as print allows in Lua 5.1.
func (p *printer) tostring(v lua.LValue) string {
	fn := p.L.GetMetaField(v, "__tostring")
	p.L.CallByParam(lua.P{Fn: fn, NRet: 1}, v)
	r := p.L.Get(-1)
	p.L.Pop(1)
	switch r := r.(type) {
	case lua.LString:
		return string(r)
	case lua.LNumber:
		return Number(r)
	}
	p.L.RaiseError("'__tostring' must return a string (it returned %s); return tostring(...) of what to show", r.Type())
	return ""
}

func (p *printer) table(t *lua.LTable, depth int) *node {
	if depth >= MaxDepth {
		// Whether it is empty is all that shows: not a scan of its keys.
		if k, _ := t.Next(lua.LNil); k == lua.LNil {
			return atom("{}")
		}
		return atom("{…}")
	}
	n := &node{table: true}
	// The array part: 1, 2, ... up to the first nil.
	border := 0
	for t.RawGetInt(border+1) != lua.LNil {
		p.poll()
		border++
	}
	// The other keys, of which the MaxItems smallest are kept, sorted.
	var keyed keyHeap
	total := border
	t.ForEach(func(k, _ lua.LValue) {
		p.poll()
		if i, ok := k.(lua.LNumber); ok && float64(i) == math.Trunc(float64(i)) && i >= 1 && float64(i) <= float64(border) {
			return // in the array part, shown above (compared as floats: 1e19 and inf are no ints)
		}
		total++
		switch {
		case keyed.Len() < MaxItems:
			heap.Push(&keyed, k)
		case keyLess(k, keyed[0]):
			keyed[0] = k
			heap.Fix(&keyed, 0)
		}
	})
	if total == 0 {
		return atom("{}")
	}
	p.path[t] = true
	defer delete(p.path, t)
	p.spend(2)
	indent := 2*depth + 2
	add := func(key string, v lua.LValue) bool {
		if len(n.entries) >= p.maxItems || p.budget <= 0 {
			return false
		}
		p.poll()
		p.spend(len(key) + indent + 2)
		val := p.build(v, depth+1)
		if !val.table {
			p.spend(len(val.text))
		}
		n.entries = append(n.entries, entry{key: key, val: val})
		return true
	}
	for i := 1; i <= border; i++ {
		if !add("", t.RawGetInt(i)) {
			break
		}
	}
	keys := []lua.LValue(keyed)
	sort.Slice(keys, func(i, j int) bool { return keyLess(keys[i], keys[j]) })
	for _, k := range keys {
		if !add(p.key(k, depth), t.RawGet(k)) {
			break
		}
	}
	n.more = total - len(n.entries)
	n.flat = 2
	for i, e := range n.entries {
		if i > 0 {
			n.flat += 2
		}
		n.flat += utf8.RuneCountInString(e.key) + e.val.flat
	}
	if n.more > 0 {
		n.flat += utf8.RuneCountInString(moreText(n.more)) + 2
	}
	return n
}

// key writes a table key as a constructor does: name = , or [key] = .
func (p *printer) key(k lua.LValue, depth int) string {
	if s, ok := k.(lua.LString); ok && shortName(string(s)) {
		return string(s) + " = "
	}
	kn := p.build(k, depth+1)
	var b strings.Builder
	b.WriteByte('[')
	p.flatten(&b, kn)
	b.WriteString("] = ")
	return b.String()
}

func moreText(n int) string { return "… " + strconv.Itoa(n) + " more" }

// layout writes n, starting at column col of a line indented by indent: on
// one line if it fits, else one entry a line (items of the array part that
// are not tables share lines).
func (p *printer) layout(b *strings.Builder, n *node, indent, col int) {
	if !n.table || col+n.flat <= Width {
		p.flatten(b, n)
		return
	}
	pad := strings.Repeat(" ", indent+2)
	b.WriteString("{\n")
	col = 0 // the column on the current line, 0 when at its start
	for i, e := range n.entries {
		p.poll()
		last := i == len(n.entries)-1 && n.more == 0
		sep := ","
		if last {
			sep = ""
		}
		if e.key == "" && !e.val.table {
			w := e.val.flat + len(sep)
			if col > 0 && col+1+w <= Width {
				b.WriteString(" ")
				b.WriteString(e.val.text + sep)
				col += 1 + w
				continue
			}
			if col > 0 {
				b.WriteString("\n")
			}
			b.WriteString(pad + e.val.text + sep)
			col = len(pad) + w
			continue
		}
		if col > 0 {
			b.WriteString("\n")
		}
		b.WriteString(pad + e.key)
		p.layout(b, e.val, indent+2, indent+2+utf8.RuneCountInString(e.key))
		b.WriteString(sep + "\n")
		col = 0
	}
	if col > 0 {
		b.WriteString("\n")
	}
	if n.more > 0 {
		b.WriteString(pad + moreText(n.more) + "\n")
	}
	b.WriteString(strings.Repeat(" ", indent) + "}")
}

// flatten writes n on one line.
func (p *printer) flatten(b *strings.Builder, n *node) {
	if !n.table {
		b.WriteString(n.text)
		return
	}
	b.WriteByte('{')
	for i, e := range n.entries {
		p.poll()
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(e.key)
		p.flatten(b, e.val)
	}
	if n.more > 0 {
		if len(n.entries) > 0 {
			b.WriteString(", ")
		}
		b.WriteString(moreText(n.more))
	}
	b.WriteByte('}')
}

// keyLess orders keys: numbers, then strings (runs of digits by their
// value: key2 before key10), then booleans (false first), then the rest by
// type and address.
func keyLess(a, b lua.LValue) bool {
	ra, rb := keyRank(a), keyRank(b)
	if ra != rb {
		return ra < rb
	}
	switch a := a.(type) {
	case lua.LNumber:
		return a < b.(lua.LNumber)
	case lua.LString:
		return naturalLess(string(a), string(b.(lua.LString)))
	case lua.LBool:
		return !bool(a) && bool(b.(lua.LBool))
	}
	return a.String() < b.String()
}

// naturalLess compares strings byte by byte, but runs of digits by their
// value; equal values fall back to plain order ("01" before "1").
func naturalLess(a, b string) bool {
	i, j := 0, 0
	for i < len(a) && j < len(b) {
		if isDigit(a[i]) && isDigit(b[j]) {
			ei, ej := digitsEnd(a, i), digitsEnd(b, j)
			da, db := strings.TrimLeft(a[i:ei], "0"), strings.TrimLeft(b[j:ej], "0")
			if len(da) != len(db) {
				return len(da) < len(db)
			}
			if da != db {
				return da < db
			}
			i, j = ei, ej
			continue
		}
		if a[i] != b[j] {
			return a[i] < b[j]
		}
		i++
		j++
	}
	if len(a)-i != len(b)-j {
		return len(a)-i < len(b)-j
	}
	return a < b
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

func digitsEnd(s string, i int) int {
	for i < len(s) && isDigit(s[i]) {
		i++
	}
	return i
}

func keyRank(v lua.LValue) int {
	switch v.(type) {
	case lua.LNumber:
		return 0
	case lua.LString:
		return 1
	case lua.LBool:
		return 2
	}
	return 3 + int(v.Type())
}

// keyHeap is a max-heap of keys: popping drops the largest, so it keeps the
// smallest MaxItems of any number of keys in O(n log MaxItems).
type keyHeap []lua.LValue

func (h keyHeap) Len() int           { return len(h) }
func (h keyHeap) Less(i, j int) bool { return keyLess(h[j], h[i]) }
func (h keyHeap) Swap(i, j int)      { h[i], h[j] = h[j], h[i] }
func (h *keyHeap) Push(x any)        { *h = append(*h, x.(lua.LValue)) }
func (h *keyHeap) Pop() any {
	old := *h
	x := old[len(old)-1]
	*h = old[:len(old)-1]
	return x
}

var keywords = map[string]bool{
	"and": true, "break": true, "do": true, "else": true, "elseif": true, "end": true,
	"false": true, "for": true, "function": true, "goto": true, "if": true, "in": true,
	"local": true, "nil": true, "not": true, "or": true, "repeat": true, "return": true,
	"then": true, "true": true, "until": true, "while": true,
}

// isName reports whether s can be a key written as name = .
func isName(s string) bool {
	if s == "" || keywords[s] {
		return false
	}
	for i, c := range []byte(s) {
		if c != '_' && !(c >= 'a' && c <= 'z') && !(c >= 'A' && c <= 'Z') && !(i > 0 && c >= '0' && c <= '9') {
			return false
		}
	}
	return true
}

// shortName reports whether s is a key written as name = : a name of at
// most MaxString bytes (a longer one is quoted and cut, as a string is).
func shortName(s string) bool { return len(s) <= MaxString && isName(s) }

// printable reports whether s shows on a terminal as it is: UTF-8 text
// with no control characters but newline, tab and carriage return (C1
// controls, U+0080 to U+009F, included: U+009B starts an escape sequence
// as ESC [ does).
func printable(s string) bool {
	if !utf8.ValidString(s) {
		return false
	}
	for _, r := range s {
		if (r < ' ' && r != '\n' && r != '\t' && r != '\r') || isDelOrC1(r) {
			return false
		}
	}
	return true
}

// isDelOrC1 reports whether r is DEL or a C1 control character.
func isDelOrC1(r rune) bool { return r >= 0x7f && r <= 0x9f }

// Quote writes s as a Lua 5.1 string literal that reads back as s: the
// usual escapes, other control bytes and invalid UTF-8 as \ddd. Past max
// bytes it is cut short with "…" (max < 0: never).
func Quote(s string, max int) string {
	var b strings.Builder
	b.WriteByte('"')
	for i := 0; i < len(s); {
		if max >= 0 && i >= max {
			b.WriteString("…")
			break
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		c := s[i]
		switch {
		case c == '"' || c == '\\':
			b.WriteByte('\\')
			b.WriteByte(c)
		case c == '\n':
			b.WriteString(`\n`)
		case c == '\r':
			b.WriteString(`\r`)
		case c == '\t':
			b.WriteString(`\t`)
		case c < ' ' || isDelOrC1(r) || (r == utf8.RuneError && size == 1):
			// each byte as \ddd (a C1 control is two)
			for j := i; j < i+size; j++ {
				if j+1 < len(s) && s[j+1] >= '0' && s[j+1] <= '9' {
					fmt.Fprintf(&b, `\%03d`, s[j])
				} else {
					fmt.Fprintf(&b, `\%d`, s[j])
				}
			}
		default:
			b.WriteString(s[i : i+size])
		}
		i += size
	}
	b.WriteByte('"')
	return b.String()
}

// Raw is a short picture of v that runs no Lua and needs no state, for an
// error object whose state may be stopping: an atom as Value shows it, a
// table's first fields (read raw: no __tostring, __index or __pairs) with
// the tables inside it as {…}.
func Raw(v lua.LValue) string {
	t, ok := v.(*lua.LTable)
	if !ok {
		return rawAtom(v)
	}
	const most = 8
	var parts []string
	more := 0
	add := func(s string) {
		if len(parts) == most {
			more++
			return
		}
		parts = append(parts, s)
	}
	n := 0
	for ; t.RawGetInt(n+1) != lua.LNil; n++ {
		add(rawAtom(t.RawGetInt(n + 1)))
	}
	// The other keys in the REPL's order: the first few of them, kept
	// sorted as they come.
	var keys []lua.LValue
	t.ForEach(func(k, _ lua.LValue) {
		if num, ok := k.(lua.LNumber); ok && float64(num) == float64(int(num)) && int(num) >= 1 && int(num) <= n {
			return // in the list above
		}
		i := len(keys)
		for i > 0 && keyLess(k, keys[i-1]) {
			i--
		}
		if i < most {
			keys = slices.Insert(keys, i, k)
		}
		if len(keys) > most {
			keys = keys[:most]
			more++
		} else if i >= most {
			more++
		}
	})
	for _, k := range keys {
		if s, ok := k.(lua.LString); ok && shortName(string(s)) {
			add(string(s) + " = " + rawAtom(t.RawGet(k)))
		} else {
			add("[" + rawAtom(k) + "] = " + rawAtom(t.RawGet(k)))
		}
	}
	if more > 0 {
		parts = append(parts, moreText(more))
	}
	return "{" + strings.Join(parts, ", ") + "}"
}

// rawAtom is Raw of a value that is not a table, or {…} for a table
// inside one.
func rawAtom(v lua.LValue) string {
	switch v := v.(type) {
	case lua.LString:
		return Quote(string(v), MaxString)
	case lua.LNumber:
		return Number(v)
	case *lua.LTable:
		return "{…}"
	case *lua.LNilType, lua.LBool:
		return v.String()
	default:
		return "<" + v.Type().String() + ">"
	}
}
