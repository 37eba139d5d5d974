package interp

import (
	"context"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"unsafe"

	"github.com/moonpin/moonpin/docs"
	"github.com/moonpin/moonpin/interp/host"
	"github.com/moonpin/moonpin/interp/show"
	lua "github.com/yuin/gopher-lua"
)

// installHelpers sets the REPL's helpers as globals: help, dir, input and
// repr. help's words come from docs/moonpin.lua, built in.
func installHelpers(L *lua.LState, h *host.Host) {
	L.SetGlobal("help", L.NewFunction(func(L *lua.LState) int {
		io.WriteString(h.Out, helpText(L))
		return 0
	}))
	L.SetGlobal("dir", L.NewFunction(dir))
	L.SetGlobal("input", L.NewFunction(func(L *lua.LState) int { return input(L, h) }))
	L.SetGlobal("repr", L.NewFunction(repr))
}

const greeting = `Welcome to moonpin: Lua 5.1 for boards, typed at a REPL.
Modules (help(gpio) or help("gpio") shows one):
%s
Helpers: help(x); dir(x) lists names; input(prompt) reads a line; repr(x) is what
  the prompt shows of x.
Docs: README.md, and docs/moonpin.lua (the whole API, for editors with
  lua-language-server), at https://github.com/moonpin/moonpin
Control keys:
  Ctrl-C  interrupts the running code
  Ctrl-D  on an empty line: soft reset (fresh Lua, boot.lua and main.lua run
          again; moonpin started in a terminal exits); ends a multi-line chunk
  Ctrl-E  paste mode: paste many lines, Ctrl-D runs them, Ctrl-C drops them
  Ctrl-A  raw REPL for tools (moonctl, mpremote); Ctrl-B back to this one
Try: led = gpio.pin("GPIO17", gpio.OUT); led:toggle(); led
`

// stdlib are the sections of Lua 5.1's manual on its standard libraries.
var stdlib = map[string]string{
	"coroutine": "5.2", "package": "5.3", "string": "5.4", "table": "5.5",
	"math": "5.6", "io": "5.7", "os": "5.8", "debug": "5.9",
}

const manual = "https://www.lua.org/manual/5.1/manual.html"

// helpText is what help(x) prints for its argument.
func helpText(L *lua.LState) string {
	ix := docs.API()
	if L.GetTop() == 0 || L.Get(1) == lua.LNil {
		var mods strings.Builder
		for _, name := range ix.Modules {
			if _, ok := L.GetGlobal(name).(*lua.LTable); ok {
				line := fmt.Sprintf("  %-7s %s", name, ix.Entries[name].Summary())
				if r := []rune(line); len(r) > show.Width {
					cut := strings.LastIndexByte(string(r[:show.Width-1]), ' ')
					line = string(r[:show.Width-1])[:cut] + " …"
				}
				mods.WriteString(line + "\n")
			}
		}
		return fmt.Sprintf(greeting, strings.TrimSuffix(mods.String(), "\n"))
	}
	v := L.Get(1)
	var name string
	switch v := v.(type) {
	case lua.LString:
		name = string(v)
	case *lua.LUserData:
		class := handleClass(L, v)
		if class == "" {
			return "no help for this userdata\n"
		}
		return show.Value(L, v) + "\n" + ix.Help(ix.Entries[class])
	case *lua.LTable, *lua.LFunction:
		name = nameOf(L, v)
	}
	if e := ix.Lookup(name); e != nil {
		return ix.Help(e)
	}
	if section, ok := stdlib[name]; ok {
		return fmt.Sprintf("%s is Lua 5.1's library: %s#%s\n", name, manual, section)
	}
	if name != "" && isStdFunction(L, name) {
		return fmt.Sprintf("%s is Lua 5.1's: %s#pdf-%s\n", name, manual, name)
	}
	if s, ok := v.(lua.LString); ok {
		return fmt.Sprintf("no help for %s; help() lists the modules\n", show.Quote(string(s), 40))
	}
	if _, ok := v.(*lua.LTable); ok {
		return "no help for this table; dir(x) lists its names\n"
	}
	return fmt.Sprintf("no help for a %s; help() lists the modules\n", v.Type())
}

// nameOf finds v among the modules' members, the handles' methods and the
// globals: "gpio.pin", "gpio.Pin:write", "print"; "" if it is none of them.
func nameOf(L *lua.LState, v lua.LValue) string {
	ix := docs.API()
	globals := L.G.Global
	for _, mod := range ix.Modules {
		t, ok := globals.RawGetString(mod).(*lua.LTable)
		if !ok {
			continue
		}
		if t == v {
			return mod
		}
		for _, name := range sortedKeys(t) {
			if t.RawGetString(name) == v {
				return mod + "." + name
			}
		}
	}
	var found string
	forTypes(L, func(class string, index *lua.LTable) bool {
		for _, name := range sortedKeys(index) {
			if index.RawGetString(name) == v {
				found = class + ":" + name
				return false
			}
		}
		return true
	})
	if found != "" {
		return found
	}
	for _, name := range sortedKeys(globals) {
		if globals.RawGetString(name) == v {
			return name
		}
		if t, ok := globals.RawGetString(name).(*lua.LTable); ok && stdlib[name] != "" {
			for _, key := range sortedKeys(t) {
				if t.RawGetString(key) == v {
					return name + "." + key
				}
			}
		}
	}
	return ""
}

// isStdFunction reports whether name ("print", "string.format") is one of
// Lua's own, as a bare state has it.
func isStdFunction(L *lua.LState, name string) bool {
	bare := lua.NewState()
	defer bare.Close()
	mod, key, dotted := strings.Cut(name, ".")
	if !dotted {
		return bare.GetGlobal(name).Type() == lua.LTFunction
	}
	t, ok := bare.GetGlobal(mod).(*lua.LTable)
	return ok && t.RawGetString(key).Type() == lua.LTFunction
}

// forTypes calls fn with each handle class that moonpin.lua declares and
// the runtime has a metatable for, with the metatable's __index when it is a
// table, until fn returns false.
func forTypes(L *lua.LState, fn func(class string, index *lua.LTable) bool) {
	reg := L.Get(lua.RegistryIndex).(*lua.LTable)
	for _, typeName := range sortedKeys(reg) {
		mt, ok := reg.RawGetString(typeName).(*lua.LTable)
		if !ok {
			continue
		}
		class := classOf(typeName)
		if class == "" {
			continue
		}
		index, _ := mt.RawGetString("__index").(*lua.LTable)
		if index == nil {
			index = L.NewTable()
		}
		if !fn(class, index) {
			return
		}
	}
}

// classOf maps a handle's type name (the name of its metatable, as
// host.DefineType registers it: "gpio.pin", "spi.dev", "timer") to the
// class moonpin.lua declares for it ("gpio.Pin", "spi.Device",
// "timer.Timer"): a class of the same module whose name starts with the
// type's, case aside.
func classOf(typeName string) string {
	mod, typ, ok := strings.Cut(typeName, ".")
	if !ok {
		typ = mod
	}
	for _, class := range docs.API().Classes[mod] {
		_, short, _ := strings.Cut(class, ".")
		if strings.HasPrefix(strings.ToLower(short), strings.ToLower(typ)) {
			return class
		}
	}
	return ""
}

// handleClass is the class of the handle ud, or "".
func handleClass(L *lua.LState, ud *lua.LUserData) string {
	reg := L.Get(lua.RegistryIndex).(*lua.LTable)
	for _, typeName := range sortedKeys(reg) {
		if reg.RawGetString(typeName) == ud.Metatable {
			return classOf(typeName)
		}
	}
	return ""
}

// sortedKeys returns the string keys of t, sorted.
func sortedKeys(t *lua.LTable) []string {
	var keys []string
	t.ForEach(func(k, _ lua.LValue) {
		if s, ok := k.(lua.LString); ok {
			keys = append(keys, string(s))
		}
	})
	slices.Sort(keys)
	return keys
}

// dir implements dir(x): the sorted names of a table (with those its
// metatable's __index table adds), of a handle (its methods and fields),
// of a string's methods, or of the globals. A table can have millions of
// keys: dir looks at the interrupt and the memory limit as it goes.
func dir(L *lua.LState) int {
	var names []string
	var steps lua.Poller
	poll := func() { steps.Poll(L) }
	add := func(name string) {
		if len(names) == cap(names) {
			L.CheckAlloc(2 * cap(names) * int(unsafe.Sizeof("")))
		}
		names = append(names, name)
	}
	addAll := func(t *lua.LTable) {
		t.ForEach(func(k, _ lua.LValue) {
			poll()
			if s, ok := k.(lua.LString); ok {
				add(string(s))
			}
		})
	}
	addIndex := func(v lua.LValue) {
		if index, ok := L.GetMetaField(v, "__index").(*lua.LTable); ok {
			addAll(index)
		}
	}
	switch v := L.Get(1).(type) {
	case *lua.LNilType:
		addAll(L.G.Global)
	case *lua.LTable:
		addAll(v)
		addIndex(v)
	case *lua.LUserData:
		addIndex(v)
		if class := handleClass(L, v); class != "" {
			e := docs.API().Entries[class]
			for _, f := range e.Fields {
				add(strings.TrimSuffix(f.Name, "?"))
			}
			for _, m := range docs.API().Members[class] {
				_, method, _ := strings.Cut(m, ":")
				add(method)
			}
		}
	case lua.LString:
		addIndex(v)
	}
	slices.SortFunc(names, func(a, b string) int {
		poll()
		return strings.Compare(a, b)
	})
	sorted := slices.Compact(names)
	list := L.CreateTable(len(sorted), 0)
	for _, k := range sorted {
		poll()
		list.Append(lua.LString(k))
	}
	// The REPL shows every name, as MicroPython's dir() does, not the
	// first 50 of a table's entries and "… n more".
	mt := L.CreateTable(0, 1)
	mt.RawSetString("__tostring", L.NewFunction(func(L *lua.LState) int {
		plain := L.CreateTable(len(sorted), 0)
		var steps lua.Poller
		for _, k := range sorted {
			steps.Poll(L)
			plain.Append(lua.LString(k))
		}
		L.Push(lua.LString(show.All(L, plain)))
		return 1
	}))
	L.SetMetatable(list, mt)
	L.Push(list)
	return 1
}

// input implements input(prompt): a line from the session, nil at its end.
func input(L *lua.LState, h *host.Host) int {
	prompt := L.OptString(1, "")
	ctx := L.Context()
	if ctx == nil {
		ctx = context.Background()
	}
	if h.ReadLine == nil {
		L.Push(lua.LNil)
		return 1
	}
	line, err := h.ReadLine(ctx, prompt)
	switch {
	case err == nil:
		L.Push(lua.LString(line))
	case errors.Is(err, io.EOF):
		L.Push(lua.LNil)
	case ctx.Err() != nil:
		host.RaiseCancel(L)
	default:
		L.RaiseError("input: %s", err)
	}
	return 1
}

// repr implements repr(v): the value as the REPL shows it inside a table.
func repr(L *lua.LState) int {
	L.Push(lua.LString(show.Value(L, L.CheckAny(1))))
	return 1
}
