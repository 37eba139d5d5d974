package lua

func OpenCoroutine(L *LState) int {
	// TODO: Tie module name to contents of linit.go?
	mod := L.RegisterModule(CoroutineLibName, coFuncs)
	L.Push(mod)
	return 1
}

var coFuncs = map[string]LGFunction{
	"create":  coCreate,
	"yield":   coYield,
	"resume":  coResume,
	"running": coRunning,
	"status":  coStatus,
	"wrap":    coWrap,
}

func coCreate(L *LState) int {
	// moonpin: as Lua 5.1, a coroutine's body is a Lua function; upstream
	// took a Go function too and then lost its results (resume returned
	// nothing, not even true). 5.1's words for anything else, too.
	fn, ok := L.Get(1).(*LFunction)
	if !ok || fn.IsG {
		L.ArgError(1, "Lua function expected")
	}
	newthread, _ := L.NewThread()
	base := 0
	newthread.stack.Push(callFrame{
		Fn:         fn,
		Pc:         0,
		Base:       base,
		LocalBase:  base + 1,
		ReturnBase: base,
		NArgs:      0,
		NRet:       MultRet,
		Parent:     nil,
		TailCall:   0,
	})
	L.Push(newthread)
	return 1
}

func coYield(L *LState) int {
	return -1
}

// maxGoCalls is how deep calls from Go (callR: pcall, a metamethod) and
// resumes may nest, counted across the threads that resumed each other
// (goBase), as Lua 5.1's LUAI_MAXCCALLS (200) bounds its nCcalls
// (moonpin). lua5.1 running a script counts two before the chunk's first
// instruction (its pmain and the chunk's call), a chunk run here by PCall
// one, so 198 fit where 5.1 has room for 200 minus its two: `local function
// f() return pcall(f) end` fails at the 198th level, as in lua5.1. A
// resume fails when the count reaches maxGoCalls+1, as 5.1's lua_resume
// checks before its own count.
const maxGoCalls = 198

// CheckCoroutine is argument n as a coroutine, with Lua 5.1's getco's
// error, "coroutine expected" (moonpin: CheckThread says "thread expected",
// as upstream's callers expect). Exported for moonpin's coroutine.resume.
func (ls *LState) CheckCoroutine(n int) *LState {
	th, ok := ls.Get(n).(*LState)
	if !ok {
		ls.ArgError(n, "coroutine expected")
	}
	return th
}

func coResume(L *LState) int {
	return resume(L, false)
}

// resume resumes the coroutine in argument 1 with the arguments after it,
// for coroutine.resume or (wrapped) a coroutine.wrap function, which
// raises its errors and returns its results without true first. moonpin:
// upstream marked the coroutine wrap made as such for good, so
// coroutine.resume of it (found with coroutine.running) lost its true and
// raised instead of returning false.
func resume(L *LState, wrapped bool) int {
	th := L.CheckCoroutine(1)
	// moonpin: Lua 5.1's check and words. Upstream refused only the running
	// and dead threads, so resuming a coroutine that is waiting on the one
	// it resumed (status "normal") recursed until Go's stack overflowed,
	// a fatal error that no recover catches.
	if status := L.Status(th); status != "suspended" {
		msg := "cannot resume " + status + " coroutine"
		if wrapped {
			L.RaiseError(msg)
			return 0
		}
		L.Push(LFalse)
		L.Push(LString(msg))
		return 2
	}
	// moonpin: Lua 5.1 refuses to nest resumes deeper than LUAI_MAXCCALLS
	// (200) with "C stack overflow". Upstream nested until the memory ran
	// out: every level is a thread with its own stacks.
	if L.goBase+L.goCalls > maxGoCalls {
		// The coroutine is dead then, as in 5.1: left suspended, a
		// resume of it from a shallower level started the recursion
		// again, and a function that resumes itself twice ran for ever
		// (a crash hunt: lua5.1 ends at once).
		th.kill()
		if wrapped {
			L.RaiseError("C stack overflow")
			return 0
		}
		L.Push(LFalse)
		L.Push(LString("C stack overflow"))
		return 2
	}
	th.wrapped = wrapped
	if th.tailYielded {
		th.tailYielded = false
		th.kill()
		if wrapped {
			return L.GetTop() - 1
		}
		L.Insert(LTrue, 2)
		return L.GetTop() - 1
	}
	// moonpin: the arguments move before the threads switch: moving many
	// looks at the interrupt, which raises here in L and leaves th as it
	// was (not started, or suspended).
	nargs := L.GetTop() - 1
	started := th.isStarted()
	if !started {
		// the stack up to the function's frame: th.SetTop(0) once the
		// frame is current
		th.reg.SetTop(th.stack.Last().LocalBase)
	}
	L.moveValues(th, nargs, nil)
	th.Parent = L
	th.goBase = L.goBase + L.goCalls + 1
	L.G.CurrentThread = th
	if !started {
		cf := th.stack.Last()
		th.currentFrame = cf
		cf.NArgs = nargs
		th.initCallFrame(cf)
		th.Panic = panicWithoutTraceback
	} else {
		th.adjustYieldResults(nargs)
	}
	top := L.GetTop()
	threadRun(th)
	return L.GetTop() - top
}

// adjustYieldResults makes the n values just pushed on a suspended
// coroutine, a resume's arguments, as many as the call of its yield wants
// (moonpin): `local a = coroutine.yield()` resumed with none left the
// register a Go nil, and the coroutine crashed on it ("invalid memory
// address"); Lua 5.1 adjusts them as any call's results.
func (th *LState) adjustYieldResults(n int) {
	if !th.inYield || th.yieldFrame.NRet == MultRet {
		return
	}
	want := th.yieldFrame.NRet
	for ; n < want; n++ {
		th.Push(LNil)
	}
	if n > want {
		th.SetTop(th.GetTop() - (n - want))
	}
}

func coRunning(L *LState) int {
	if L.G.MainThread == L {
		L.Push(LNil)
		return 1
	}
	L.Push(L.G.CurrentThread)
	return 1
}

func coStatus(L *LState) int {
	L.Push(LString(L.Status(L.CheckCoroutine(1))))
	return 1
}

func wrapaux(L *LState) int {
	L.Insert(L.ToThread(UpvalueIndex(1)), 1)
	return resume(L, true)
}

func coWrap(L *LState) int {
	coCreate(L)
	v := L.Get(L.GetTop())
	L.Pop(1)
	L.Push(L.NewClosure(wrapaux, v))
	return 1
}

//
