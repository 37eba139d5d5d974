package lua

// moonpin: Lua 5.1's debug hooks (debug.sethook, debug.gethook; upstream
// issues #69 and #130, PR #131). The VM loops run without them: setting a
// hook makes the next loop entry, and the loop that called sethook when the
// call returns (OP_CALL returns 1 with LState.hookSwitch set), switch to
// mainLoopWithHook, which does what the loops do plus Lua 5.1's traceexec
// before each instruction. A loop with no hook pays nothing per
// instruction.

// The events a hook asks for, as Lua 5.1's LUA_MASK* bits.
const (
	hookMaskCall = 1 << iota
	hookMaskRet
	hookMaskLine
	hookMaskCount
)

// luaHook is a thread's hook, as debug.sethook set it.
type luaHook struct {
	fn    LValue // the Lua value given to sethook (gethook returns it)
	mask  int
	count int // the count sethook was given; counter counts down from it
	// counter counts the instructions down to the next count event.
	counter int
	// frame and pc are the frame and instruction that last ran under the
	// hook (Lua 5.1's savedpc): a line event comes with a new line, a jump
	// back, or a function's first instruction. frame is nil after a return
	// or tail call, so the next first instruction is an entry.
	frame *callFrame
	pc    int
}

// SetHook sets the thread's hook as Lua 5.1's lua_sethook with debug
// library's hook function: fn is called with the event's name ("call",
// "return", "tail return", "line", "count") and, for "line", the line. mask
// holds 'c', 'r' and 'l'; count > 0 adds a count event every count
// instructions. A nil fn removes the hook; an empty mask with no count
// turns it off, though GetHook still gives fn, as 5.1's gethook does.
func (ls *LState) SetHook(fn LValue, mask string, count int) {
	m := 0
	for _, c := range mask {
		switch c {
		case 'c':
			m |= hookMaskCall
		case 'r':
			m |= hookMaskRet
		case 'l':
			m |= hookMaskLine
		}
	}
	if count > 0 {
		m |= hookMaskCount
	}
	if fn == LNil {
		ls.hook = nil
	} else {
		ls.hook = &luaHook{fn: fn, mask: m, count: count, counter: count}
	}
	ls.updateHooked()
}

// updateHooked sets ls.hooked: the thread has a hook that asks for events,
// and it is not running the hook, unless the hook counts instructions (Lua
// 5.1 counts the hook's own, with no event).
func (ls *LState) updateHooked() {
	h := ls.hook
	ls.hooked = h != nil && h.mask != 0 && (!ls.inHook || h.mask&hookMaskCount != 0)
}

// GetHook returns the thread's hook function, its mask and its count, or
// LNil, "" and 0 when it has none.
func (ls *LState) GetHook() (LValue, string, int) {
	h := ls.hook
	if h == nil {
		return LNil, "", 0
	}
	mask := ""
	if h.mask&hookMaskCall != 0 {
		mask += "c"
	}
	if h.mask&hookMaskRet != 0 {
		mask += "r"
	}
	if h.mask&hookMaskLine != 0 {
		mask += "l"
	}
	return h.fn, mask, h.count
}

// callHook calls the hook function for event, with hooks off meanwhile (Lua
// 5.1's allowhook); line < 0 passes nil. An error in the hook propagates
// from the hooked code; the deferred reset turns hooks back on for whoever
// catches it, as 5.1's pcall restores allowhook.
func (ls *LState) callHook(event string, line int) {
	h := ls.hook
	ls.inHook = true
	ls.updateHooked()
	defer func() {
		ls.inHook = false
		ls.updateHooked()
	}()
	ls.Push(h.fn)
	ls.Push(LString(event))
	if line >= 0 {
		ls.Push(LNumber(line))
	} else {
		ls.Push(LNil)
	}
	ls.Call(2, 0)
}

// hookGoCall is the call event of a Go function (callGFunction), whose
// frame is the current one.
func (ls *LState) hookGoCall() {
	if !ls.inHook && ls.hook.mask&hookMaskCall != 0 {
		ls.callHook("call", -1)
	}
}

// hookGoReturn is the return event of a Go function, as hookGoCall. A Lua
// function that tail calls a Go function ends with it, without its RETURN
// instruction running (OP_TAILCALL removes its frame): its return events
// come here too, with its frame made current meanwhile, as Lua 5.1 runs that
// RETURN.
func (ls *LState) hookGoReturn(frame *callFrame, tailcall bool) {
	if !ls.hooked || ls.inHook || ls.hook.mask&hookMaskRet == 0 {
		return
	}
	ls.callHook("return", -1)
	if caller := frame.Parent; tailcall && caller != nil && !caller.Fn.IsG {
		// The hook's return makes the stack's top (frame) current again.
		defer func() { ls.currentFrame = frame }()
		for i := 0; i <= caller.TailCall && ls.hooked && !ls.inHook && ls.hook.mask&hookMaskRet != 0; i++ {
			event := "return"
			if i > 0 {
				event = "tail return"
			}
			ls.currentFrame = caller
			ls.callHook(event, -1)
		}
	}
}

// traceExec is Lua 5.1's traceexec with the call and return events of a Lua
// function: called before the instruction at cf.Pc-1 (fetched, of opcode op)
// runs. Each event reads the hook again, since a hook may set another.
func (ls *LState) traceExec(cf *callFrame, op int) {
	h := ls.hook
	if ls.inHook {
		// The hook's own instructions count, as in 5.1, but call nothing.
		if h.counter--; h.counter == 0 {
			h.counter = h.count
		}
		return
	}
	npc := cf.Pc - 1
	oldpc := h.pc
	entered := false
	if cf != h.frame {
		// The function starts, or runs again after a call returned into it
		// or the hook was set: the last instruction was the call.
		entered, oldpc = npc == 0, npc-1
	}
	h.frame, h.pc = cf, npc
	if entered && h.mask&hookMaskCall != 0 {
		ls.callHook("call", -1)
	}
	if h = ls.hook; h != nil && h.mask&hookMaskCount != 0 {
		h.counter--
		if h.counter == 0 {
			h.counter = h.count
			ls.callHook("count", -1)
		}
	}
	if h = ls.hook; h != nil && h.mask&hookMaskLine != 0 {
		lines := cf.Fn.Proto.DbgSourcePositions
		if npc == 0 || npc <= oldpc || lines[npc] != lines[oldpc] {
			ls.callHook("line", lines[npc])
		}
	}
	switch op {
	case OP_RETURN:
		if h = ls.hook; h != nil && h.mask&hookMaskRet != 0 {
			ls.callHook("return", -1)
			for i := 0; i < cf.TailCall && ls.hooked; i++ {
				ls.callHook("tail return", -1)
			}
		}
		fallthrough
	case OP_TAILCALL:
		if h = ls.hook; h != nil {
			h.frame = nil
		}
	}
}

// mainLoopWithHook runs the VM as mainLoopWithContext does (the context, if
// any, is looked at every 256 instructions) while the thread has a hook. It
// returns true when the loop is done (mainLoop's return), false when the
// hook was removed and the caller's loop should carry on.
func mainLoopWithHook(L *LState, baseframe *callFrame) bool {
	var done <-chan struct{}
	if L.ctx != nil {
		done = L.ctx.Done()
	}
	for n := uint8(0); ; n++ {
		if !L.hooked {
			return false
		}
		cf := L.currentFrame
		inst := cf.Fn.Proto.Code[cf.Pc]
		cf.Pc++
		if n == 0 && done != nil {
			select {
			case <-done:
				L.RaiseError(L.ctx.Err().Error())
			default:
			}
			if tick := L.G.Tick; tick != nil {
				tick(L)
			}
		}
		op := int(inst >> 26)
		L.traceExec(cf, op)
		if jumpTable[op](L, inst, baseframe) == 1 {
			if !L.hookSwitch {
				return true
			}
			L.hookSwitch = false
		}
	}
}
