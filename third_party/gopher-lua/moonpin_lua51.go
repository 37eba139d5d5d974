package lua

import (
	"fmt"
	"math"
	"runtime"
)

// moonpin: pieces of Lua 5.1's behaviour that upstream lacks; MOONPIN.md
// lists each with the upstream issue it matches.

// where51 is Lua 5.1's luaL_where: "source:line:" of the function at the
// given level (0: the running function, 1: its caller), or "" when that
// function is a Go function or there is none. Upstream's where skips Go
// frames until it finds a Lua one, so an error raised by a Go function that
// pcall called named the line that called pcall.
func (ls *LState) where51(level int) string {
	dbg, ok := ls.GetStack(level)
	if !ok || dbg.frame == nil || dbg.frame.Fn.IsG { // nil: a lost tail call
		return ""
	}
	cf := dbg.frame
	return fmt.Sprintf("%v:%v:", cf.Fn.Proto.SourceName, cf.Fn.Proto.DbgSourcePositions[cf.Pc-1])
}

// calledName is Lua 5.1's getfuncname for the running Go function: how the
// calling Lua instruction named it ("global", "local", "method", "field",
// "upvalue") and the name, or "", "?" when a Go function called it.
func (ls *LState) calledName() (kind, name string) {
	if kind, name = frameName(ls.currentFrame); kind == "" {
		return "", "?"
	}
	return kind, name
}

// frameName is Lua 5.1's getfuncname: how the Lua instruction that called
// the function running in frame named it, or "", "" when a Go function
// called it, it was tail called, or the instruction does not say.
func frameName(frame *callFrame) (kind, name string) {
	if frame == nil || frame.TailCall > 0 || frame.Parent == nil || frame.Parent.Fn.IsG {
		return "", ""
	}
	parent := frame.Parent
	pc := parent.Pc - 1
	if pc < 0 || pc >= len(parent.Fn.Proto.Code) {
		return "", ""
	}
	inst := parent.Fn.Proto.Code[pc]
	if op := opGetOpCode(inst); op != OP_CALL && op != OP_TAILCALL && op != OP_TFORLOOP {
		return "", ""
	}
	return objNameAt(parent.Fn, pc, opGetArgA(inst))
}

// argTypeName is the type of argument n, or "no value" past the last one.
func (ls *LState) argTypeName(n int) string {
	if n > ls.GetTop() {
		return "no value"
	}
	return ls.Get(n).Type().String()
}

// forPrep51 is the start of Lua 5.1's numeric for: the initial value, limit
// and step in registers ra, ra+1, ra+2 are converted to numbers in place,
// strings too ("10" counts as 10), or the loop fails with 5.1's words.
// Upstream refused strings ("for statement init must be a number") and
// checked the limit only at the first iteration.
func (ls *LState) forPrep51(ra int) {
	for i, what := range [...]string{"initial value", "limit", "step"} {
		switch v := ls.reg.Get(ra + i).(type) {
		case LNumber:
		case LString:
			n, err := parseNumber(string(v))
			if err != nil {
				ls.RaiseError("'for' %s must be a number", what)
			}
			ls.reg.Set(ra+i, n)
		default:
			ls.RaiseError("'for' %s must be a number", what)
		}
	}
}

// heapKB is Lua 5.1's count of the memory in use, in KB: Go's heap objects,
// live or not yet collected.
func heapKB() float64 {
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return float64(m.HeapAlloc) / 1024
}

// baseCollectGarbage is Lua 5.1's collectgarbage on Go's collector
// (moonpin; upstream ran a collection whatever the option and returned
// nothing, so collectgarbage("count") was nil). "count" is the heap in KB.
// "step" does about 2 KB of work per KB of its size (at least 2 KB), as
// 5.1's steps do, and completes a cycle, running a collection and returning
// true, once its work since the last one reaches the heap's size: Go's
// collector cannot do part of a cycle, so the work is counted and the
// collection done at the end. "stop" and "restart" cannot stop Go's
// collector, which serves the whole process, and do nothing; "setpause"
// and "setstepmul" return the 5.1 defaults, 200, and change nothing.
func baseCollectGarbage(L *LState) int {
	opt := L.OptString(1, "collect")
	switch opt {
	case "collect", "count", "step", "stop", "restart", "setpause", "setstepmul":
	default:
		L.ArgError(1, "invalid option '"+opt+"'")
	}
	arg := L.OptInt(2, 0) // checked for every option, as in 5.1
	switch opt {
	case "collect":
		collect(L)
		L.G.gcStepped = 0
		L.Push(LNumber(0))
	case "count":
		L.Push(LNumber(heapKB()))
	case "step":
		L.G.gcStepped += 2 * math.Max(float64(arg), 1)
		if L.G.gcStepped < heapKB() {
			L.Push(LFalse)
			break
		}
		collect(L)
		L.G.gcStepped = 0
		L.Push(LTrue)
	case "stop", "restart":
		L.Push(LNumber(0))
	case "setpause", "setstepmul":
		L.Push(LNumber(200))
	}
	return 1
}

// baseGcinfo is Lua 5.1's gcinfo (deprecated there): the heap in whole KB,
// as collectgarbage("count") without the fraction (moonpin; upstream lacks
// it).
func baseGcinfo(L *LState) int {
	L.Push(LNumber(math.Floor(heapKB())))
	return 1
}

// collect runs a full collection, which takes a second or more on a Pi
// Zero with a big heap: an interrupt ends the wait for it (Collect).
func collect(L *LState) {
	// What the stack holds above its top is garbage to find too.
	L.releaseStack()
	if err := L.Collect(); err != nil {
		L.RaiseError("%s", err.Error())
	}
}

// Collect runs a full collection and waits for it or for the state's
// interrupt, whose error it returns (moonpin: collectgarbage, and
// moonpin's memory limit before it refuses an allocation). The collection
// goes on, and is of no harm. An interrupt that came first starts none.
func (ls *LState) Collect() error {
	if ls.ctx == nil {
		runtime.GC()
		return nil
	}
	if err := ls.ctx.Err(); err != nil {
		return err
	}
	done := make(chan struct{})
	go func() {
		runtime.GC()
		close(done)
	}()
	select {
	case <-done:
		return nil
	case <-ls.ctx.Done():
		return ls.ctx.Err()
	}
}
