package interp

import (
	"errors"
	"fmt"
	"io/fs"
	"strings"

	"github.com/moonpin/moonpin/hal/sim"
	"github.com/moonpin/moonpin/interp/host"
	"github.com/moonpin/moonpin/interp/lib/bit"
	boardlib "github.com/moonpin/moonpin/interp/lib/board"
	"github.com/moonpin/moonpin/interp/lib/devices"
	fslib "github.com/moonpin/moonpin/interp/lib/fs"
	gpiolib "github.com/moonpin/moonpin/interp/lib/gpio"
	"github.com/moonpin/moonpin/interp/lib/ha"
	i2clib "github.com/moonpin/moonpin/interp/lib/i2c"
	"github.com/moonpin/moonpin/interp/lib/json"
	mqttlib "github.com/moonpin/moonpin/interp/lib/mqtt"
	"github.com/moonpin/moonpin/interp/lib/simboard"
	spilib "github.com/moonpin/moonpin/interp/lib/spi"
	luastruct "github.com/moonpin/moonpin/interp/lib/struct"
	timelib "github.com/moonpin/moonpin/interp/lib/time"
	timerlib "github.com/moonpin/moonpin/interp/lib/timer"
	lua "github.com/yuin/gopher-lua"
)

// modules are preloaded as globals and in package.loaded; those with a when
// only where it holds.
var modules = []struct {
	name   string
	loader lua.LGFunction
	when   func(h *host.Host) bool
}{
	{"time", timelib.Loader, nil},
	{"timer", timerlib.Loader, nil},
	{"fs", fslib.Loader, nil},
	{"bit", bit.Loader, nil},
	{"struct", luastruct.Loader, nil},
	{"json", json.Loader, nil},
	{"gpio", gpiolib.Loader, nil},
	{"i2c", i2clib.Loader, nil},
	{"spi", spilib.Loader, nil},
	{"board", boardlib.Loader, nil},
	{"devices", devices.Loader, nil},
	{"mqtt", mqttlib.Loader, nil},
	{"ha", ha.Loader, nil},
	{"sim", simboard.Loader, func(h *host.Host) bool { _, ok := h.Board.(*sim.Board); return ok }},
}

// installGlobals replaces the globals that would escape the runtime (print to
// the process's stdout, os.exit killing it, shell commands, files outside the
// root), removes those that reach into Go (channel, _printregs, os.setenv),
// and loads moonpin's modules. sandbox_test.go lists what happens to each
// standard function.
func installGlobals(L *lua.LState, h *host.Host, stdin *inputStream) error {
	builtinTostring := L.GetGlobal("tostring")
	L.SetGlobal("print", L.NewFunction(func(L *lua.LState) int { return luaPrint(L, h, builtinTostring) }))
	osTable := L.GetGlobal("os").(*lua.LTable)
	osTable.RawSetString("exit", L.NewFunction(osExit))
	L.SetGlobal("dofile", L.NewFunction(doFile))
	L.SetGlobal("loadfile", L.NewFunction(loadFile))
	installIO(L, h, stdin)
	installHelpers(L, h)

	pkg := L.GetGlobal("package").(*lua.LTable)
	loaded := L.GetField(pkg, "loaded").(*lua.LTable)
	// Go's environment is the process's, and channels block outside the
	// interrupt; _printregs writes the VM's registers to the process's stdout.
	osTable.RawSetString("setenv", lua.LNil)
	L.SetGlobal("channel", lua.LNil)
	loaded.RawSetString("channel", lua.LNil)
	L.SetGlobal("_printregs", lua.LNil)
	confineDebug(L)

	// Relative to the script root, as every path Lua names is: the root's
	// place on the host is not the script's business (it showed in
	// package.path and in require's message).
	pkg.RawSetString("path", lua.LString("./?.lua;./?/init.lua;./lib/?.lua;./lib/?/init.lua"))
	pkg.RawSetString("cpath", lua.LString(""))
	// The Lua-file searcher: package.loaders[2], the same table as the
	// registry's _LOADERS that require walks.
	L.RawSetInt(L.GetField(pkg, "loaders").(*lua.LTable), 2, L.NewFunction(searchLua))
	for _, m := range modules {
		if m.when != nil && !m.when(h) {
			continue
		}
		if err := L.CallByParam(lua.P{Fn: L.NewFunction(m.loader), NRet: 1, Protect: true}); err != nil {
			return fmt.Errorf("loading module %s: %w", m.name, err)
		}
		mod := L.Get(-1)
		L.Pop(1)
		L.SetGlobal(m.name, mod)
		loaded.RawSetString(m.name, mod)
	}
	return nil
}

// searchLua is require's searcher for Lua files: package.path's templates,
// each through the confinement, so package.path = "/etc/?" finds nothing and
// a symlink out of the root is refused as dofile refuses it. A refused file
// is never read, so no error can show its content.
func searchLua(L *lua.LState) int {
	name := L.CheckString(1)
	path, ok := L.GetField(L.GetGlobal("package"), "path").(lua.LString)
	if !ok {
		L.RaiseError("package.path must be a string")
	}
	mod := strings.ReplaceAll(name, ".", "/")
	var tried []string
	for _, template := range strings.Split(string(path), ";") {
		if template == "" {
			continue
		}
		file := strings.ReplaceAll(template, "?", mod)
		target, err := fslib.Locate(L, file, fslib.Read)
		if err != nil {
			tried = append(tried, fmt.Sprintf("\n\tno file '%s' (%s)", file, strings.TrimPrefix(err.Error(), file+": ")))
			continue
		}
		if fi, err := target.Stat(fslib.Context(L)); err != nil || fi.IsDir() {
			if err != nil && !errors.Is(err, fs.ErrNotExist) && target.Mount != nil {
				// The mount failed (it ended, an interrupt): not a missing file.
				L.RaiseError("error loading module '%s' from file '%s':\n\t%s", name, file, err)
			}
			tried = append(tried, fmt.Sprintf("\n\tno file '%s'", file))
			continue
		}
		fn, err := loadConfined(L, target, file)
		if err != nil {
			L.RaiseError("error loading module '%s' from file '%s':\n\t%s", name, file, err)
		}
		L.Push(fn)
		return 1
	}
	// Each "\n\tno file ...", as Lua 5.1's loader, for require to join.
	L.Push(lua.LString(strings.Join(tried, "")))
	return 1
}

// confineDebug checks the stack slots debug.getlocal and debug.setlocal
// reach: gopher-lua takes any index, so a negative or huge one read or
// wrote the VM's registers beyond the frame (other functions' temporaries,
// Go functions' arguments) or crashed it. Lua 5.1 has locals 1..n only, and
// gives nil for others. It also removes debug.getregistry: the registry
// holds the modules' type metatables and shared values (json.null), which
// a script could replace for every module at once.
func confineDebug(L *lua.LState) {
	dbg := L.GetGlobal("debug").(*lua.LTable)
	dbg.RawSetString("getregistry", lua.LNil)
	for _, name := range []string{"getlocal", "setlocal"} {
		origFn := dbg.RawGetString(name).(*lua.LFunction).GFunction
		getlocal := name == "getlocal"
		dbg.RawSetString(name, L.NewFunction(func(L *lua.LState) int {
			// An optional thread first, as in Lua 5.1.
			L1, arg := L, 0
			if th, ok := L.Get(1).(*lua.LState); ok {
				L1, arg = th, 1
			}
			level, n := L.CheckInt(arg+1), L.CheckInt(arg+2)
			frame, ok := L1.GetStack(level)
			if !ok {
				L.ArgError(arg+1, "level out of range")
			}
			if n < 1 {
				L.Push(lua.LNil)
				return 1
			}
			if fn, err := L1.GetInfo("f", frame, lua.LNil); err != nil || fn.(*lua.LFunction).IsG {
				// A Go function's slots are its own business: no locals,
				// but this function's own arguments (level 0), as Lua 5.1
				// shows a C function's stack.
				if getlocal && L1 == L && level == 0 && n <= L.GetTop() {
					L.Push(lua.LString("(*temporary)"))
					L.Push(L.Get(n))
					return 2
				}
				L.Push(lua.LNil)
				return 1
			}
			return origFn(L)
		}))
	}
}

// luaPrint is Lua 5.1's print: each value goes through the global tostring
// (called only when a script has replaced the builtin, which is what it
// would do), a result that is not a string or number is an error, and a
// value stops at a zero byte, as 5.1's fputs does. What came before an error
// is written, as 5.1 has written it.
func luaPrint(L *lua.LState, h *host.Host, builtinTostring lua.LValue) int {
	tostring := L.G.Global.RawGetString("tostring")
	if tostring == lua.LNil {
		tostring = L.GetGlobal("tostring") // _G's __index
	}
	// The line goes out as io.write's arguments do (writeParts): joined
	// into one write while it is small, else each part in place.
	top := L.GetTop()
	parts := make([]string, 0, 2*top)
	size := 0
	add := func(s string) {
		parts = append(parts, s)
		size += len(s)
	}
	for i := 1; i <= top; i++ {
		var s lua.LValue
		if tostring == builtinTostring {
			s = L.ToStringMeta(L.Get(i))
		} else {
			L.Push(tostring)
			L.Push(L.Get(i))
			L.Call(1, 1)
			s = L.Get(-1)
			L.Pop(1)
		}
		var str string
		switch s := s.(type) {
		case lua.LString:
			str = string(s)
		case lua.LNumber:
			str = s.String()
		default:
			_ = writeParts(L, h.Out, parts, size)
			L.RaiseError("'tostring' must return a string to 'print'")
		}
		if i > 1 {
			add("\t")
		}
		if z := strings.IndexByte(str, 0); z >= 0 {
			str = str[:z]
		}
		add(str)
	}
	add("\n")
	if err := writeParts(L, h.Out, parts, size); err != nil {
		L.CheckInterrupt()
	}
	return 0
}

// osExit ends the script: the state's context is cancelled, so not even a
// pcall can stop the unwinding. `moonpin script.lua` exits with the code; the
// REPL soft-resets.
func osExit(L *lua.LState) int {
	code := 0
	switch v := L.Get(1).(type) {
	case lua.LBool:
		if !v {
			code = 1
		}
	case lua.LNumber:
		code = int(v)
	case lua.LString:
		code = L.CheckInt(1) // a numeric string, as Lua 5.1's luaL_optint
	case *lua.LNilType:
	default:
		L.TypeError(1, lua.LTNumber)
	}
	ctx, ok := L.Context().(*stateContext)
	if !ok {
		ctx = parentStateContext(L)
	}
	if ctx != nil {
		ctx.cancel(exitError{code})
	}
	host.RaiseCancel(L)
	return 0
}

// parentStateContext finds the runtime's context from a coroutine, whose own
// context is a child made by context.WithCancel.
func parentStateContext(L *lua.LState) *stateContext {
	for L.Parent != nil {
		L = L.Parent
		if ctx, ok := L.Context().(*stateContext); ok {
			return ctx
		}
	}
	return nil
}

// loadFile and doFile read scripts from the root only, like fs.
func loadFile(L *lua.LState) int {
	name := L.CheckString(1)
	fn, err := loadRooted(L, name)
	if err != nil {
		L.Push(lua.LNil)
		L.Push(lua.LString(err.Error()))
		return 2
	}
	L.Push(fn)
	return 1
}

func doFile(L *lua.LState) int {
	name := L.CheckString(1)
	fn, err := loadRooted(L, name)
	if err != nil {
		// As Lua 5.1's dofile, loadfile's message as it is: it names the
		// file (and the line of a syntax error), not dofile's caller.
		L.Error(lua.LString(err.Error()), 0)
	}
	top := L.GetTop()
	L.Push(fn)
	L.Call(0, lua.MultRet)
	return L.GetTop() - top
}

func loadRooted(L *lua.LState, name string) (*lua.LFunction, error) {
	target, err := fslib.Locate(L, name, fslib.Read)
	if err != nil {
		return nil, err
	}
	return loadConfined(L, target, name)
}

// loadConfined loads the file target, which Locate allowed, as chunk name.
func loadConfined(L *lua.LState, target fslib.Target, name string) (*lua.LFunction, error) {
	code, err := target.ReadFileFor(L)
	if err != nil {
		// Lua 5.1's words: "cannot open x.lua: No such file or directory".
		msg, _ := describe(err)
		return nil, fmt.Errorf("cannot open %s: %s", name, msg)
	}
	return LoadScript(L, string(code), name)
}
