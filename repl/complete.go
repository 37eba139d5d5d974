package repl

import (
	"slices"
	"strings"
	"unsafe"

	lua "github.com/yuin/gopher-lua"
)

// completeLine completes the name before the cursor: a global, or a field
// of a table reached through globals ("gpio.p", "t.inner.x", "obj:me").
// One candidate is inserted; several are listed under the line, after
// inserting what they share.
func (d *Device) completeLine(ed *editor) {
	before := string(ed.line[:ed.pos])
	start := len(before)
	for start > 0 && isNameByte(before[start-1]) {
		start--
	}
	word := before[start:]
	if strings.HasPrefix(word, ".") || strings.HasPrefix(word, ":") {
		// A field of what comes before the name, which completion does
		// not run: a string literal's are the string methods
		// (`("x"):up`); of anything else, none (it listed the globals).
		if !endsInString(before[:start]) {
			return
		}
		word = "string" + word
	}
	var names []string
	// A command, so that Ctrl-C stops a callback that keeps the loop from
	// getting to it.
	d.command(func() {
		_ = d.runLua(func(L *lua.LState) error {
			return protected(L, func(L *lua.LState) { names = completions(L, word) })
		})
	})
	if len(names) == 0 {
		return
	}
	cut := strings.LastIndexAny(word, ".:") + 1
	partial := word[cut:]
	common := names[0]
	for _, n := range names[1:] {
		for !strings.HasPrefix(n, common) {
			common = common[:len(common)-1]
		}
	}
	if len(common) > len(partial) {
		ed.insert([]byte(common[len(partial):]))
		return
	}
	if len(names) == 1 {
		return
	}
	// List the candidates, then draw the line again with the cursor in place.
	tail := ed.line[ed.pos:]
	d.say("\r\n" + strings.Join(names, "  ") + "\r\n" + prompt + string(ed.line) + backspaces(width(tail)))
}

// endsInString reports whether s ends with a string literal, bare or in
// parentheses: `"x"`, `('x')`, `([[x]])`.
func endsInString(s string) bool {
	s = strings.TrimSuffix(strings.TrimRight(s, " "), ")")
	return strings.HasSuffix(s, `"`) || strings.HasSuffix(s, "'") || strings.HasSuffix(s, "]]")
}

func isNameByte(c byte) bool {
	return c == '_' || c == '.' || c == ':' || c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
}

// completions returns the sorted names that complete word. It only reads
// tables with rawget (and the tables behind __index), so it runs no Lua. A
// table can have millions of keys: it raises the interrupt and the memory
// limit, so it must run in a protected call.
func completions(L *lua.LState, word string) []string {
	parts := strings.FieldsFunc(word, func(r rune) bool { return r == '.' || r == ':' })
	if strings.HasSuffix(word, ".") || strings.HasSuffix(word, ":") || word == "" {
		parts = append(parts, "")
	}
	var scope lua.LValue = L.G.Global
	for _, p := range parts[:len(parts)-1] {
		scope = field(L, scope, p)
		if scope == lua.LNil {
			return nil
		}
	}
	partial := parts[len(parts)-1]
	var names []string
	var steps lua.Poller
	poll := func() { steps.Poll(L) }
	for range 8 { // follow __index tables, not for ever
		t, ok := scope.(*lua.LTable)
		if ok {
			t.ForEach(func(k, _ lua.LValue) {
				poll()
				if s, ok := k.(lua.LString); ok && strings.HasPrefix(string(s), partial) && isIdentifier(string(s)) &&
					(!strings.HasPrefix(string(s), "__") || strings.HasPrefix(partial, "__")) {
					if len(names) == cap(names) {
						L.CheckAlloc(2 * cap(names) * int(unsafe.Sizeof("")))
					}
					names = append(names, string(s))
				}
			})
		}
		next := indexTable(L, scope)
		if next == nil {
			break
		}
		scope = next
	}
	slices.SortFunc(names, func(a, b string) int {
		poll()
		return strings.Compare(a, b)
	})
	// A name that an __index table has too is listed once.
	return slices.Compact(names)
}

// protected calls fn as a builtin is called, in a protected call, so that
// the interrupt and the memory limit fn raises come back as the error.
func protected(L *lua.LState, fn func(L *lua.LState)) error {
	L.Push(L.NewFunction(func(L *lua.LState) int {
		fn(L)
		return 0
	}))
	return L.PCall(0, 0, nil)
}

// field is scope[name] without metamethods other than __index tables.
func field(L *lua.LState, scope lua.LValue, name string) lua.LValue {
	for range 8 {
		if t, ok := scope.(*lua.LTable); ok {
			if v := t.RawGetString(name); v != lua.LNil {
				return v
			}
		}
		next := indexTable(L, scope)
		if next == nil {
			return lua.LNil
		}
		scope = next
	}
	return lua.LNil
}

// indexTable returns v's metatable's __index when that is a table.
func indexTable(L *lua.LState, v lua.LValue) *lua.LTable {
	mt, ok := L.GetMetatable(v).(*lua.LTable)
	if !ok {
		return nil
	}
	idx, ok := mt.RawGetString("__index").(*lua.LTable)
	if !ok {
		return nil
	}
	return idx
}

func isIdentifier(s string) bool {
	if s == "" || s[0] >= '0' && s[0] <= '9' {
		return false
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; !(c == '_' || c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z') {
			return false
		}
	}
	return true
}
