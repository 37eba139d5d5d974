package lua

import (
	"fmt"
	"strings"
)

func OpenDebug(L *LState) int {
	dbgmod := L.RegisterModule(DebugLibName, debugFuncs)
	L.Push(dbgmod)
	return 1
}

var debugFuncs = map[string]LGFunction{
	"getfenv":      debugGetFEnv,
	"getinfo":      debugGetInfo,
	"getlocal":     debugGetLocal,
	"getmetatable": debugGetMetatable,
	"getupvalue":   debugGetUpvalue,
	"setfenv":      debugSetFEnv,
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

func debugGetLocal(L *LState) int {
	level := L.CheckInt(1)
	idx := L.CheckInt(2)
	dbg, ok := L.GetStack(level)
	if !ok {
		L.ArgError(1, "level out of range")
	}
	name, value := L.GetLocal(dbg, idx)
	if len(name) > 0 {
		L.Push(LString(name))
		L.Push(value)
		return 2
	}
	L.Push(LNil)
	return 1
}

func debugGetMetatable(L *LState) int {
	L.Push(L.GetMetatable(L.CheckAny(1)))
	return 1
}

func debugGetUpvalue(L *LState) int {
	fn := L.CheckFunction(1)
	idx := L.CheckInt(2)
	name, value := L.GetUpvalue(fn, idx)
	if len(name) > 0 {
		L.Push(LString(name))
		L.Push(value)
		return 2
	}
	L.Push(LNil)
	return 1
}

func debugSetFEnv(L *LState) int {
	L.SetFEnv(L.CheckAny(1), L.CheckAny(2))
	return 0
}

func debugSetLocal(L *LState) int {
	level := L.CheckInt(1)
	idx := L.CheckInt(2)
	value := L.CheckAny(3)
	dbg, ok := L.GetStack(level)
	if !ok {
		L.ArgError(1, "level out of range")
	}
	name := L.SetLocal(dbg, idx, value)
	if len(name) > 0 {
		L.Push(LString(name))
	} else {
		L.Push(LNil)
	}
	return 1
}

func debugSetMetatable(L *LState) int {
	L.CheckTypes(2, LTNil, LTTable)
	obj := L.Get(1)
	mt := L.Get(2)
	L.SetMetatable(obj, mt)
	L.SetTop(1)
	return 1
}

func debugSetUpvalue(L *LState) int {
	fn := L.CheckFunction(1)
	idx := L.CheckInt(2)
	value := L.CheckAny(3)
	name := L.SetUpvalue(fn, idx, value)
	if len(name) > 0 {
		L.Push(LString(name))
	} else {
		L.Push(LNil)
	}
	return 1
}

func debugTraceback(L *LState) int {
	msg := ""
	level := L.OptInt(2, 1)
	ls := L
	if L.GetTop() > 0 {
		if s, ok := L.Get(1).(LString); ok {
			msg = string(s)
		}
		if l, ok := L.Get(1).(*LState); ok {
			ls = l
			msg = ""
		}
	}

	traceback := strings.TrimSpace(ls.stackTrace(level))
	if len(msg) > 0 {
		traceback = fmt.Sprintf("%s\n%s", msg, traceback)
	}
	L.Push(LString(traceback))
	return 1
}
