package lua

import (
	"strings"
)

func OpenDebug(L *LState) int {
	dbgmod := L.RegisterModule(DebugLibName, debugFuncs)
	L.Push(dbgmod)
	return 1
}

var debugFuncs = map[string]LGFunction{
	"getfenv":      debugGetFEnv,
	"gethook":      debugGetHook,
	"getinfo":      debugGetInfo,
	"getlocal":     debugGetLocal,
	"getmetatable": debugGetMetatable,
	"getregistry":  debugGetRegistry,
	"getupvalue":   debugGetUpvalue,
	"setfenv":      debugSetFEnv,
	"sethook":      debugSetHook,
	"setlocal":     debugSetLocal,
	"setmetatable": debugSetMetatable,
	"setupvalue":   debugSetUpvalue,
	"traceback":    debugTraceback,
}

func debugGetFEnv(L *LState) int {
	L.Push(L.GetFEnv(L.CheckAny(1)))
	return 1
}

// debugGetInfo is Lua 5.1's db_getinfo (moonpin): an optional thread
// first, the fields of the options asked for only, short_src, namewhat and
// activelines, and what "C" for a Go function, as 5.1 calls C functions.
// Upstream gave every field whatever the options, no short_src, namewhat
// or activelines ('L' was "invalid what"), and what "G".
func debugGetInfo(L *LState) int {
	L1, arg := L, 0
	if th, ok := L.Get(1).(*LState); ok {
		L1, arg = th, 1
	}
	options := L.OptString(arg+2, "flnSu")
	var frame *callFrame
	var fn *LFunction
	switch lv := L.Get(arg + 1).(type) {
	case LNumber:
		dbg, ok := L1.GetStack(int(lv))
		if !ok {
			L.Push(LNil)
			return 1
		}
		if dbg.frame == nil {
			if strings.Trim(options, "SlunLf>") != "" {
				L.ArgError(arg+2, "invalid option")
			}
			L.Push(tailCallInfo(L, options))
			return 1
		}
		frame, fn = dbg.frame, dbg.frame.Fn
	case *LFunction:
		fn = lv
	default:
		L.ArgError(arg+1, "function or level expected")
	}
	if strings.Trim(options, "SlunLf>") != "" {
		L.ArgError(arg+2, "invalid option")
	}
	tbl := L.CreateTable(0, 2)
	if strings.Contains(options, "S") {
		if fn.IsG {
			tbl.RawSetString("source", LString("=[C]"))
			tbl.RawSetString("short_src", LString("[C]"))
			tbl.RawSetString("linedefined", LNumber(-1))
			tbl.RawSetString("lastlinedefined", LNumber(-1))
			tbl.RawSetString("what", LString("C"))
		} else {
			p := fn.Proto
			source := p.source
			if source == "" {
				source = "@" + p.SourceName
			}
			tbl.RawSetString("source", LString(source))
			tbl.RawSetString("short_src", LString(p.SourceName))
			what, last := "Lua", p.LastLineDefined
			if p.LineDefined == 0 {
				what, last = "main", 0
			}
			tbl.RawSetString("linedefined", LNumber(p.LineDefined))
			tbl.RawSetString("lastlinedefined", LNumber(last))
			tbl.RawSetString("what", LString(what))
		}
	}
	if strings.Contains(options, "l") {
		line := -1
		if frame != nil && !fn.IsG && frame.Pc > 0 {
			line = fn.Proto.DbgSourcePositions[frame.Pc-1]
		}
		tbl.RawSetString("currentline", LNumber(line))
	}
	if strings.Contains(options, "u") {
		tbl.RawSetString("nups", LNumber(len(fn.Upvalues)))
	}
	if strings.Contains(options, "n") {
		kind, name := frameName(frame)
		if kind != "" {
			tbl.RawSetString("name", LString(name))
		}
		tbl.RawSetString("namewhat", LString(kind))
	}
	if strings.Contains(options, "L") && !fn.IsG {
		lines := L.CreateTable(0, 0)
		for _, line := range fn.Proto.DbgSourcePositions {
			lines.RawSetInt(line, LTrue)
		}
		tbl.RawSetString("activelines", lines)
	}
	if strings.Contains(options, "f") {
		tbl.RawSetString("func", fn)
	}
	L.Push(tbl)
	return 1
}

// threadArg is Lua 5.1's getthread: the thread the debug function looks
// at (an optional first argument) and how many arguments that took.
func threadArg(L *LState) (*LState, int) {
	if th, ok := L.Get(1).(*LState); ok {
		return th, 1
	}
	return L, 0
}

// debugSetHook is Lua 5.1's db_sethook (moonpin): ([thread,] fn, mask
// [, count]), or no function to remove the hook.
func debugSetHook(L *LState) int {
	L1, arg := threadArg(L)
	if L.Get(arg+1) == LNil {
		L1.SetHook(LNil, "", 0)
		return 0
	}
	mask := L.CheckString(arg + 2)
	fn := L.CheckFunction(arg + 1)
	L1.SetHook(fn, mask, L.OptInt(arg+3, 0))
	return 0
}

// debugGetHook is Lua 5.1's db_gethook (moonpin): the hook function, its
// mask and its count.
func debugGetHook(L *LState) int {
	L1, _ := threadArg(L)
	fn, mask, count := L1.GetHook()
	L.Push(fn)
	L.Push(LString(mask))
	L.Push(LNumber(count))
	return 3
}

// tailCallInfo is Lua 5.1's info_tailcall: what debug.getinfo tells of a
// level lost to a tail call (no function, no lines).
func tailCallInfo(L *LState, options string) *LTable {
	tbl := L.CreateTable(0, 2)
	if strings.Contains(options, "S") {
		tbl.RawSetString("source", LString("=(tail call)"))
		tbl.RawSetString("short_src", LString("(tail call)"))
		tbl.RawSetString("linedefined", LNumber(-1))
		tbl.RawSetString("lastlinedefined", LNumber(-1))
		tbl.RawSetString("what", LString("tail"))
	}
	if strings.Contains(options, "l") {
		tbl.RawSetString("currentline", LNumber(-1))
	}
	if strings.Contains(options, "u") {
		tbl.RawSetString("nups", LNumber(0))
	}
	if strings.Contains(options, "n") {
		tbl.RawSetString("name", LString(""))
		tbl.RawSetString("namewhat", LString(""))
	}
	return tbl
}

func debugGetLocal(L *LState) int {
	L1, arg := threadArg(L)
	level := L.CheckInt(arg + 1)
	idx := L.CheckInt(arg + 2)
	dbg, ok := L1.GetStack(level)
	if !ok {
		L.ArgError(arg+1, "level out of range")
	}
	name, value := L1.GetLocal(dbg, idx)
	if len(name) > 0 {
		L.Push(LString(name))
		L.Push(value)
		return 2
	}
	L.Push(LNil)
	return 1
}

// debugGetRegistry is Lua 5.1's db_getregistry (moonpin): the registry
// table (moonpin's runtime removes it from its sandbox).
func debugGetRegistry(L *LState) int {
	L.Push(L.G.Registry)
	return 1
}

func debugGetMetatable(L *LState) int {
	L.Push(L.GetMetatable(L.CheckAny(1)))
	return 1
}

// debugGetUpvalue is Lua 5.1's db_getupvalue (moonpin: the index checked
// first, and nothing returned for a Go function, as 5.1 for a C function).
func debugGetUpvalue(L *LState) int {
	idx := L.CheckInt(2)
	fn := L.CheckFunction(1)
	if fn.IsG {
		return 0
	}
	name, value := L.GetUpvalue(fn, idx)
	if len(name) > 0 {
		L.Push(LString(name))
		L.Push(value)
		return 2
	}
	L.Push(LNil)
	return 1
}

// debugSetFEnv is Lua 5.1's db_setfenv (moonpin): a table wanted, the
// object returned, and an error for one that has no environment (upstream
// returned nothing and ignored such an object).
func debugSetFEnv(L *LState) int {
	env := L.CheckTable(2)
	switch obj := L.Get(1).(type) {
	case *LFunction, *LUserData, *LState:
		L.SetFEnv(obj, env)
	default:
		L.RaiseError("'setfenv' cannot change environment of given object")
	}
	L.SetTop(1)
	return 1
}

func debugSetLocal(L *LState) int {
	L1, arg := threadArg(L)
	level := L.CheckInt(arg + 1)
	idx := L.CheckInt(arg + 2)
	value := L.CheckAny(arg + 3)
	dbg, ok := L1.GetStack(level)
	if !ok {
		L.ArgError(arg+1, "level out of range")
	}
	name := L1.SetLocal(dbg, idx, value)
	if len(name) > 0 {
		L.Push(LString(name))
	} else {
		L.Push(LNil)
	}
	return 1
}

func debugSetMetatable(L *LState) int {
	if t := L.Get(2).Type(); L.GetTop() < 2 || t != LTNil && t != LTTable {
		L.ArgError(2, "nil or table expected") // moonpin: as 5.1, a second argument wanted
	}
	obj := L.Get(1)
	mt := L.Get(2)
	L.SetMetatable(obj, mt)
	// moonpin: true, as 5.1's lua_setmetatable result (upstream returned
	// the object, as 5.2 does).
	L.Push(LTrue)
	return 1
}

// debugSetUpvalue is Lua 5.1's db_setupvalue (moonpin: the value, then the
// index checked first; nothing returned for a Go function).
func debugSetUpvalue(L *LState) int {
	value := L.CheckAny(3)
	idx := L.CheckInt(2)
	fn := L.CheckFunction(1)
	if fn.IsG {
		return 0
	}
	name := L.SetUpvalue(fn, idx, value)
	if len(name) > 0 {
		L.Push(LString(name))
	} else {
		L.Push(LNil)
	}
	return 1
}

// debugTraceback is Lua 5.1's db_errorfb (moonpin): an optional thread
// first, a message that is not a string or number returned as it is, and
// level 1 by default on the running thread, 0 on another (upstream read the
// level from argument 2 even after a thread, and started at 1).
func debugTraceback(L *LState) int {
	L1, arg := threadArg(L)
	level := 0
	if L1 == L {
		level = 1
	}
	if n, ok := L.Get(arg + 2).(LNumber); ok {
		level = int(n)
	}
	msg := ""
	if L.GetTop() > arg {
		switch v := L.Get(arg + 1).(type) {
		case LString, LNumber:
			msg = LVAsString(v) + "\n"
		default:
			L.Push(v)
			return 1
		}
	}
	L.Push(LString(msg + strings.TrimSpace(L1.stackTrace(level))))
	return 1
}
