package lua

import (
	"fmt"
	"math"
)

func mainLoop(L *LState, baseframe *callFrame) {
	if L.stack.IsEmpty() {
		return
	}

	L.currentFrame = L.stack.Last()
	if L.currentFrame.Fn.IsG {
		callGFunction(L, false)
		return
	}
	// moonpin: a thread with a debug hook runs in mainLoopWithHook
	// (moonpin_hook.go), which returns false when the hook is removed;
	// plainLoop returns false when a hook is set.
	for {
		if L.hooked && mainLoopWithHook(L, baseframe) {
			return
		}
		if plainLoop(L, baseframe) {
			return
		}
	}
}

// plainLoop is upstream's mainLoop loop. It returns true when the loop is
// done, false when a Go function it called set a debug hook (a handler
// returns 1 with L.hookSwitch set).
func plainLoop(L *LState, baseframe *callFrame) bool {
	// moonpin: contextLoop with a context never done (a nil channel), so
	// both loops share its fast paths; the look every 256 instructions
	// costs nothing measurable.
	return contextLoop(L, baseframe, nil)
}

func mainLoopWithContext(L *LState, baseframe *callFrame) {
	if L.stack.IsEmpty() {
		return
	}

	L.currentFrame = L.stack.Last()
	if L.currentFrame.Fn.IsG {
		callGFunction(L, false)
		return
	}

	// moonpin: hooks as in mainLoop.
	done := L.ctx.Done()
	for {
		if L.hooked && mainLoopWithHook(L, baseframe) {
			break
		}
		if contextLoop(L, baseframe, done) {
			break
		}
	}
	// moonpin: and on the way out, so a context cancelled while a Go
	// function blocked still ends the call with an error, as when upstream
	// looked before every instruction. A coroutine that has just returned
	// cancelled its own context (kill): that is no interrupt; one of its
	// parent's is seen by the parent's loop.
	if L.Dead {
		return
	}
	select {
	case <-done:
		L.RaiseError(L.ctx.Err().Error())
	default:
	}
}

// contextLoop is plainLoop looking at the context. moonpin: every 256
// instructions (and on entry) rather than before each one; a select per
// instruction cost fib(27) about 30%, and 256 instructions take
// microseconds.
func contextLoop(L *LState, baseframe *callFrame, done <-chan struct{}) bool {
	var inst uint32
	// moonpin: the frame's code is kept in a local while the frame runs
	// its function, so an instruction is one load from it rather than the
	// end of a chain of four (frame, function, prototype, code) before
	// every dispatch. Only the handlers in the jump table change the frame
	// (a call, a return, a tail call that reuses it for another function):
	// the locals are loaded again after each of those, not before every
	// instruction. The cases done here leave the frame as it was: a
	// metamethod they call returns to it, or raises.
	cf := L.currentFrame
	fn := cf.Fn
	code := fn.Proto.Code
	reg := L.reg // never replaced while the state lives
	for n := uint8(0); ; n++ {
		inst = code[cf.Pc]
		cf.Pc++
		if n == 0 {
			select {
			case <-done:
				L.RaiseError(L.ctx.Err().Error())
				return true
			default:
			}
			if tick := L.G.Tick; tick != nil {
				tick(L)
			}
			if L.reg.stale != 0 {
				L.reg.sweep()
			}
			// moonpin: a hook set where no Go call returned into this
			// loop (in a metamethod) is seen here, within 256
			// instructions.
			if L.hooked {
				L.currentFrame.Pc--
				return false
			}
		}
		// moonpin: the commonest instructions are done here, without the
		// call through the jump table and the reloads of the state's
		// fields each handler makes; arithmetic, comparisons and the for
		// loop only on numbers. Anything else goes through the table. Each
		// case is its handler's body.
		op := int(inst >> 26)
		switch op {
		case OP_MOVE:
			lbase := cf.LocalBase
			reg.put(lbase+int(inst>>18)&0xff, reg.array[lbase+int(inst&0x1ff)])
			continue
		case OP_LOADK:
			reg.put(cf.LocalBase+int(inst>>18)&0xff, fn.Proto.Constants[int(inst&0x3ffff)])
			continue
		case OP_GETUPVAL:
			reg.put(cf.LocalBase+int(inst>>18)&0xff, fn.Upvalues[int(inst&0x1ff)].Value())
			continue
		case OP_GETTABLEKS:
			lbase := cf.LocalBase
			v := L.getFieldString(reg.array[lbase+int(inst&0x1ff)], rkStringIn(fn, cf, reg, int(inst>>9)&0x1ff))
			reg.put(lbase+int(inst>>18)&0xff, v)
			if L.hooked {
				return false // set by a metamethod: see below
			}
			continue
		case OP_SETTABLEKS:
			B := int(inst & 0x1ff)    //GETB
			C := int(inst>>9) & 0x1ff //GETC
			L.setFieldString(reg.array[cf.LocalBase+int(inst>>18)&0xff], rkStringIn(fn, cf, reg, B), rkBoxIn(fn, cf, reg, B), rkIn(fn, cf, reg, C))
			if L.hooked {
				return false
			}
			continue
		case OP_SELF:
			RA := cf.LocalBase + int(inst>>18)&0xff
			selfobj := reg.array[cf.LocalBase+int(inst&0x1ff)]
			v := L.getFieldString(selfobj, rkStringIn(fn, cf, reg, int(inst>>9)&0x1ff))
			reg.put(RA, v)
			reg.put(RA+1, selfobj)
			if L.hooked {
				return false
			}
			continue
		case OP_ADD, OP_SUB, OP_MUL, OP_DIV, OP_MOD:
			v1, ok1 := rkIn(fn, cf, reg, int(inst&0x1ff)).(LNumber)
			v2, ok2 := rkIn(fn, cf, reg, int(inst>>9)&0x1ff).(LNumber)
			if ok1 && ok2 {
				switch op {
				case OP_ADD:
					v1 += v2
				case OP_SUB:
					v1 -= v2
				case OP_MUL:
					v1 *= v2
				case OP_DIV:
					v1 /= v2
				default:
					v1 = luaModulo(v1, v2)
				}
				reg.put(cf.LocalBase+int(inst>>18)&0xff, reg.alloc.LNumber2I(v1))
				continue
			}
		case OP_JMP:
			cf.Pc += int(inst&0x3ffff) - opMaxArgSbx //GETSBX
			continue
		case OP_LT, OP_LE:
			v1, ok1 := rkIn(fn, cf, reg, int(inst&0x1ff)).(LNumber)
			v2, ok2 := rkIn(fn, cf, reg, int(inst>>9)&0x1ff).(LNumber)
			if ok1 && ok2 {
				if (op == OP_LT && v1 < v2 || op == OP_LE && v1 <= v2) != (int(inst>>18)&0xff != 0) {
					cf.Pc++
				}
				continue
			}
		case OP_TEST:
			if LVAsBool(reg.array[cf.LocalBase+int(inst>>18)&0xff]) == (int(inst>>9)&0x1ff == 0) {
				cf.Pc++
			}
			continue
		}
		if op == OP_FORLOOP {
			RA := cf.LocalBase + int(inst>>18)&0xff //GETA
			a := reg.array[RA : RA+4]
			init, ok1 := a[0].(LNumber)
			limit, ok2 := a[1].(LNumber)
			step, ok3 := a[2].(LNumber)
			if ok1 && ok2 && ok3 {
				init += step
				if (step > 0 && init <= limit) || (step <= 0 && init >= limit) {
					v := reg.alloc.LNumber2I(init)
					a[0] = v
					reg.put(RA+3, v)
					cf.Pc += int(inst&0x3ffff) - opMaxArgSbx //GETSBX
					continue
				}
			}
		}
		if jumpTable[op](L, inst, baseframe) == 1 {
			if L.hookSwitch {
				L.hookSwitch = false
				return false
			}
			return true
		}
		// moonpin: a metamethod this instruction called (__add, __index,
		// __newindex...) may have set a debug hook, where no Go call
		// returned into this loop to say so: the loop switches to
		// mainLoopWithHook now, after the instruction, as 5.1 sees a hook
		// at once (it waited for the look every 256 instructions).
		if L.hooked {
			return false
		}
		// moonpin: a call that left the frame as it was called a Go
		// function, which may have taken milliseconds (next over millions
		// of empty slots, a find in a long string): the next instruction
		// makes the look at the interrupt (n wraps to 0), not only the
		// 256th.
		if op == OP_CALL && L.currentFrame == cf {
			n = 255
		}
		cf = L.currentFrame
		fn = cf.Fn
		code = fn.Proto.Code
	}
}

// regv is the first target register to copy the return values to.
// It can be reg.top, indicating that the copied values are going into new registers, or it can be below reg.top
// Indicating that the values should be within the existing registers.
// b is the available number of return values + 1.
// n is the desired number of return values.
// If n more than the available return values then the extra values are set to nil.
// When this function returns the top of the registry will be set to regv+n.
func copyReturnValues(L *LState, regv, start, n, b int) { // +inline-start
	if b == 1 {
		// +inline-call L.reg.FillNil  regv n
	} else {
		// +inline-call L.reg.CopyRange regv start -1 n
		if b > 1 && n > (b-1) {
			// +inline-call L.reg.FillNil  regv+b-1 n-(b-1)
		}
	}
} // +inline-end

func switchToParentThread(L *LState, nargs int, haserror bool, kill bool) {
	parent := L.Parent
	if parent == nil {
		L.RaiseError("can not yield from outside of a coroutine")
	}
	// moonpin: the values move first, while nothing is switched: moving
	// many looks at the interrupt, which raises in the coroutine.
	var first LValue
	if !L.wrapped {
		first = LTrue
		if haserror {
			first = LFalse
		}
	}
	L.moveValues(parent, nargs, first)
	L.G.CurrentThread = parent
	L.Parent = nil
	if haserror {
		// moonpin: a coroutine dead of an error keeps its stack, the
		// function that raised it on top, for debug.traceback, as in 5.1.
		L.kill()
		return
	}
	L.stack.Pop()
	offset := L.currentFrame.LocalBase - L.currentFrame.ReturnBase
	L.currentFrame = L.stack.Last()
	L.reg.SetTop(L.reg.Top() - offset) // remove 'yield' function(including tailcalled functions)
	if kill {
		L.kill()
	} else if L.currentFrame == nil {
		// moonpin: `return coroutine.yield(x)` in the coroutine's own
		// function, a tail call, left no frame to resume into: upstream then
		// took the coroutine for one not started and crashed on resume.
		L.tailYielded = true
	}
}

func callGFunction(L *LState, tailcall bool) bool {
	frame := L.currentFrame
	if L.hooked {
		L.hookGoCall()
	}
	gfnret := frame.Fn.GFunction(L)
	if L.hooked && gfnret >= 0 {
		L.hookGoReturn(frame, tailcall)
	}
	if tailcall {
		L.currentFrame = L.RemoveCallerFrame()
	}

	if gfnret < 0 {
		// moonpin: a yield can only leave the coroutine's own mainLoop.
		// Inside a function called from Go (pcall, a metamethod, a
		// table.sort comparator, a gsub callback...), switching threads
		// would return into that Go code as if the call had ended, and the
		// next resume crashed (upstream issues #45, #306). Lua 5.1 raises
		// this error.
		if L.goCalls > 0 {
			L.raiseError(0, "attempt to yield across metamethod/C-call boundary")
		}
		// moonpin: the yield stays level 0 of the suspended coroutine
		// for the debug library, as in Lua 5.1.
		if !tailcall {
			L.yieldFrame, L.inYield = *frame, true
		}
		switchToParentThread(L, L.GetTop(), false, false)
		return true
	}

	wantret := frame.NRet
	if wantret == MultRet {
		wantret = gfnret
	}

	if tailcall && L.Parent != nil && L.stack.Sp() == 1 {
		switchToParentThread(L, wantret, false, true)
		return true
	}

	// +inline-call L.reg.CopyRange frame.ReturnBase L.reg.Top()-gfnret -1 wantret
	L.stack.Pop()
	L.currentFrame = L.stack.Last()
	return false
}

func threadRun(L *LState) {
	if L.stack.IsEmpty() {
		return
	}
	L.inYield = false

	defer func() {
		if rcv := recover(); rcv != nil {
			// moonpin: the coroutine is dead; close its upvalues so closures
			// it made keep their values (upstream relied on raiseError closing
			// every upvalue, which the pcall fix of issue #448 removed).
			L.closeUpvalues(0)
			var lv LValue
			if v, ok := rcv.(*ApiError); ok {
				lv = v.Object
			} else {
				lv = LString(fmt.Sprint(rcv))
			}
			if parent := L.Parent; parent != nil {
				if L.wrapped {
					// moonpin: the coroutine is dead and its parent runs
					// again (upstream left it "running" for good); a string
					// gets the caller's position, as Lua 5.1's wrap adds.
					L.G.CurrentThread = parent
					L.Parent = nil
					L.kill()
					// A number is a string here, as 5.1's lua_isstring
					// says: error(42) comes out as "42", positioned.
					if n, ok := lv.(LNumber); ok {
						lv = LString(n.String())
					}
					// An interrupt (the parent's context ended) has its
					// position already and is not the script's error: it
					// is not positioned twice.
					if s, ok := lv.(LString); ok && (parent.ctx == nil || parent.ctx.Err() == nil) {
						if where := parent.where51(1); where != "" {
							lv = LString(where + " " + string(s))
						}
					}
					L.Push(lv)
					parent.Panic(L)
				} else {
					L.SetTop(0)
					L.Push(lv)
					switchToParentThread(L, 1, true, true)
				}
			} else {
				panic(rcv)
			}
		}
	}()
	L.mainLoop(L, nil)
}

type instFunc func(*LState, uint32, *callFrame) int

var jumpTable [opCodeMax + 1]instFunc

func init() {
	jumpTable = [opCodeMax + 1]instFunc{
		func(L *LState, inst uint32, baseframe *callFrame) int { //OP_MOVE
			reg := L.reg
			cf := L.currentFrame
			lbase := cf.LocalBase
			A := int(inst>>18) & 0xff //GETA
			RA := lbase + A
			B := int(inst & 0x1ff) //GETB
			v := reg.Get(lbase + B)
			// +inline-call reg.Set RA v
			return 0
		},
		func(L *LState, inst uint32, baseframe *callFrame) int { //OP_MOVEN
			reg := L.reg
			cf := L.currentFrame
			lbase := cf.LocalBase
			A := int(inst>>18) & 0xff //GETA
			B := int(inst & 0x1ff)    //GETB
			C := int(inst>>9) & 0x1ff //GETC
			v := reg.Get(lbase + B)
			// +inline-call reg.Set lbase+A v
			code := cf.Fn.Proto.Code
			pc := cf.Pc
			for i := 0; i < C; i++ {
				inst = code[pc]
				pc++
				A = int(inst>>18) & 0xff //GETA
				B = int(inst & 0x1ff)    //GETB
				v := reg.Get(lbase + B)
				// +inline-call reg.Set lbase+A v
			}
			cf.Pc = pc
			return 0
		},
		func(L *LState, inst uint32, baseframe *callFrame) int { //OP_LOADK
			reg := L.reg
			cf := L.currentFrame
			lbase := cf.LocalBase
			A := int(inst>>18) & 0xff //GETA
			RA := lbase + A
			Bx := int(inst & 0x3ffff) //GETBX
			v := cf.Fn.Proto.Constants[Bx]
			// +inline-call reg.Set RA v
			return 0
		},
		func(L *LState, inst uint32, baseframe *callFrame) int { //OP_LOADBOOL
			reg := L.reg
			cf := L.currentFrame
			lbase := cf.LocalBase
			A := int(inst>>18) & 0xff //GETA
			RA := lbase + A
			B := int(inst & 0x1ff)    //GETB
			C := int(inst>>9) & 0x1ff //GETC
			if B != 0 {
				// +inline-call reg.Set RA LTrue
			} else {
				// +inline-call reg.Set RA LFalse
			}
			if C != 0 {
				cf.Pc++
			}
			return 0
		},
		func(L *LState, inst uint32, baseframe *callFrame) int { //OP_LOADNIL
			reg := L.reg
			cf := L.currentFrame
			lbase := cf.LocalBase
			A := int(inst>>18) & 0xff //GETA
			RA := lbase + A
			B := int(inst & 0x1ff) //GETB
			for i := RA; i <= lbase+B; i++ {
				// +inline-call reg.Set i LNil
			}
			return 0
		},
		func(L *LState, inst uint32, baseframe *callFrame) int { //OP_GETUPVAL
			reg := L.reg
			cf := L.currentFrame
			lbase := cf.LocalBase
			A := int(inst>>18) & 0xff //GETA
			RA := lbase + A
			B := int(inst & 0x1ff) //GETB
			v := cf.Fn.Upvalues[B].Value()
			// +inline-call reg.Set RA v
			return 0
		},
		func(L *LState, inst uint32, baseframe *callFrame) int { //OP_GETGLOBAL
			reg := L.reg
			cf := L.currentFrame
			lbase := cf.LocalBase
			A := int(inst>>18) & 0xff //GETA
			RA := lbase + A
			Bx := int(inst & 0x3ffff) //GETBX
			//reg.Set(RA, L.getField(cf.Fn.Env, cf.Fn.Proto.Constants[Bx]))
			v := L.getFieldString(cf.Fn.Env, cf.Fn.Proto.stringConstants[Bx])
			// +inline-call reg.Set RA v
			return 0
		},
		func(L *LState, inst uint32, baseframe *callFrame) int { //OP_GETTABLE
			reg := L.reg
			cf := L.currentFrame
			lbase := cf.LocalBase
			A := int(inst>>18) & 0xff //GETA
			RA := lbase + A
			B := int(inst & 0x1ff)    //GETB
			C := int(inst>>9) & 0x1ff //GETC
			v := L.getField(reg.Get(lbase+B), L.rkValue(C))
			// +inline-call reg.Set RA v
			return 0
		},
		func(L *LState, inst uint32, baseframe *callFrame) int { //OP_GETTABLEKS
			reg := L.reg
			cf := L.currentFrame
			lbase := cf.LocalBase
			A := int(inst>>18) & 0xff //GETA
			RA := lbase + A
			B := int(inst & 0x1ff)    //GETB
			C := int(inst>>9) & 0x1ff //GETC
			v := L.getFieldString(reg.Get(lbase+B), L.rkString(C))
			// +inline-call reg.Set RA v
			return 0
		},
		func(L *LState, inst uint32, baseframe *callFrame) int { //OP_SETGLOBAL
			reg := L.reg
			cf := L.currentFrame
			lbase := cf.LocalBase
			A := int(inst>>18) & 0xff //GETA
			RA := lbase + A
			Bx := int(inst & 0x3ffff) //GETBX
			//L.setField(cf.Fn.Env, cf.Fn.Proto.Constants[Bx], reg.Get(RA))
			L.setFieldString(cf.Fn.Env, cf.Fn.Proto.stringConstants[Bx], cf.Fn.Proto.stringBoxes[Bx], reg.Get(RA))
			return 0
		},
		func(L *LState, inst uint32, baseframe *callFrame) int { //OP_SETUPVAL
			reg := L.reg
			cf := L.currentFrame
			lbase := cf.LocalBase
			A := int(inst>>18) & 0xff //GETA
			RA := lbase + A
			B := int(inst & 0x1ff) //GETB
			cf.Fn.Upvalues[B].SetValue(reg.Get(RA))
			return 0
		},
		func(L *LState, inst uint32, baseframe *callFrame) int { //OP_SETTABLE
			reg := L.reg
			cf := L.currentFrame
			lbase := cf.LocalBase
			A := int(inst>>18) & 0xff //GETA
			RA := lbase + A
			B := int(inst & 0x1ff)    //GETB
			C := int(inst>>9) & 0x1ff //GETC
			L.setField(reg.Get(RA), L.rkValue(B), L.rkValue(C))
			return 0
		},
		func(L *LState, inst uint32, baseframe *callFrame) int { //OP_SETTABLEKS
			reg := L.reg
			cf := L.currentFrame
			lbase := cf.LocalBase
			A := int(inst>>18) & 0xff //GETA
			RA := lbase + A
			B := int(inst & 0x1ff)    //GETB
			C := int(inst>>9) & 0x1ff //GETC
			L.setFieldString(reg.Get(RA), L.rkString(B), L.rkBox(B), L.rkValue(C))
			return 0
		},
		func(L *LState, inst uint32, baseframe *callFrame) int { //OP_NEWTABLE
			reg := L.reg
			cf := L.currentFrame
			lbase := cf.LocalBase
			A := int(inst>>18) & 0xff //GETA
			RA := lbase + A
			B := int(inst & 0x1ff)    //GETB
			C := int(inst>>9) & 0x1ff //GETC
			v := newLTable(B, C)
			// +inline-call reg.Set RA v
			return 0
		},
		func(L *LState, inst uint32, baseframe *callFrame) int { //OP_SELF
			reg := L.reg
			cf := L.currentFrame
			lbase := cf.LocalBase
			A := int(inst>>18) & 0xff //GETA
			RA := lbase + A
			B := int(inst & 0x1ff)    //GETB
			C := int(inst>>9) & 0x1ff //GETC
			selfobj := reg.Get(lbase + B)
			v := L.getFieldString(selfobj, L.rkString(C))
			// +inline-call reg.Set RA v
			// +inline-call reg.Set RA+1 selfobj
			return 0
		},
		opArith, // OP_ADD
		opArith, // OP_SUB
		opArith, // OP_MUL
		opArith, // OP_DIV
		opArith, // OP_MOD
		opArith, // OP_POW
		func(L *LState, inst uint32, baseframe *callFrame) int { //OP_UNM
			reg := L.reg
			cf := L.currentFrame
			lbase := cf.LocalBase
			A := int(inst>>18) & 0xff //GETA
			RA := lbase + A
			B := int(inst & 0x1ff) //GETB
			unaryv := L.rkValue(B)
			if nm, ok := unaryv.(LNumber); ok {
				// +inline-call reg.Set RA -nm
			} else {
				op := L.metaOp1(unaryv, "__unm")
				if op != LNil { // moonpin: called if not a function, as 5.1
					// moonpin: with the operand twice, as 5.1's Arith
					// calls it (the second was nil)
					reg.Push(op)
					reg.Push(unaryv)
					reg.Push(unaryv)
					L.Call(2, 1)
					// +inline-call reg.Set RA reg.Pop()
				} else if str, ok1 := unaryv.(LString); ok1 {
					if num, err := parseNumber(string(str)); err == nil {
						// +inline-call reg.Set RA -num
					} else {
						L.typeError("perform arithmetic on", unaryv)
					}
				} else {
					L.typeError("perform arithmetic on", unaryv)
				}
			}
			return 0
		},
		func(L *LState, inst uint32, baseframe *callFrame) int { //OP_NOT
			reg := L.reg
			cf := L.currentFrame
			lbase := cf.LocalBase
			A := int(inst>>18) & 0xff //GETA
			RA := lbase + A
			B := int(inst & 0x1ff) //GETB
			if LVIsFalse(reg.Get(lbase + B)) {
				// +inline-call reg.Set RA LTrue
			} else {
				// +inline-call reg.Set RA LFalse
			}
			return 0
		},
		func(L *LState, inst uint32, baseframe *callFrame) int { //OP_LEN
			reg := L.reg
			cf := L.currentFrame
			lbase := cf.LocalBase
			A := int(inst>>18) & 0xff //GETA
			RA := lbase + A
			B := int(inst & 0x1ff) //GETB
			switch lv := L.rkValue(B).(type) {
			case LString:
				// +inline-call reg.SetNumber RA LNumber(len(lv))
			case *LTable:
				// moonpin: Lua 5.1 takes a table's length without __len
				// (upstream honoured it, as 5.2 does).
				// +inline-call reg.SetNumber RA LNumber(lv.Len())
			default:
				op := L.metaOp1(lv, "__len")
				if op != LNil { // moonpin: called if not a function, as 5.1
					reg.Push(op)
					reg.Push(lv)
					L.Call(1, 1)
					ret := reg.Pop()
					if ret.Type() == LTNumber {
						v, _ := ret.(LNumber)
						// +inline-call reg.SetNumber RA v
					} else {
						// +inline-call reg.Set RA ret
					}
				} else if lv.Type() == LTTable {
					// +inline-call reg.SetNumber RA LNumber(lv.(*LTable).Len())
				} else {
					L.typeError("get length of", lv)
				}
			}
			return 0
		},
		func(L *LState, inst uint32, baseframe *callFrame) int { //OP_CONCAT
			reg := L.reg
			cf := L.currentFrame
			lbase := cf.LocalBase
			A := int(inst>>18) & 0xff //GETA
			RA := lbase + A
			B := int(inst & 0x1ff)    //GETB
			C := int(inst>>9) & 0x1ff //GETC
			RC := lbase + C
			RB := lbase + B
			v := stringConcat(L, RC-RB+1, RC)
			// +inline-call reg.Set RA v
			return 0
		},
		func(L *LState, inst uint32, baseframe *callFrame) int { //OP_JMP
			cf := L.currentFrame
			Sbx := int(inst&0x3ffff) - opMaxArgSbx //GETSBX
			cf.Pc += Sbx
			return 0
		},
		func(L *LState, inst uint32, baseframe *callFrame) int { //OP_EQ
			cf := L.currentFrame
			A := int(inst>>18) & 0xff //GETA
			B := int(inst & 0x1ff)    //GETB
			C := int(inst>>9) & 0x1ff //GETC
			ret := equals(L, L.rkValue(B), L.rkValue(C), false)
			v := 1
			if ret {
				v = 0
			}
			if v == A {
				cf.Pc++
			}
			return 0
		},
		func(L *LState, inst uint32, baseframe *callFrame) int { //OP_LT
			cf := L.currentFrame
			A := int(inst>>18) & 0xff //GETA
			B := int(inst & 0x1ff)    //GETB
			C := int(inst>>9) & 0x1ff //GETC
			ret := lessThan(L, L.rkValue(B), L.rkValue(C))
			v := 1
			if ret {
				v = 0
			}
			if v == A {
				cf.Pc++
			}
			return 0
		},
		func(L *LState, inst uint32, baseframe *callFrame) int { //OP_LE
			cf := L.currentFrame
			A := int(inst>>18) & 0xff //GETA
			B := int(inst & 0x1ff)    //GETB
			C := int(inst>>9) & 0x1ff //GETC
			lhs := L.rkValue(B)
			rhs := L.rkValue(C)
			ret := false

			if v1, ok1 := lhs.(LNumber); ok1 {
				if v2, ok2 := rhs.(LNumber); ok2 {
					ret = v1 <= v2
				} else {
					L.compareError(lhs, rhs)
				}
			} else {
				if lhs.Type() != rhs.Type() {
					L.compareError(lhs, rhs)
				}
				switch lhs.Type() {
				case LTString:
					ret = compareStrings(L, string(lhs.(LString)), string(rhs.(LString))) <= 0
				default:
					switch objectRational(L, lhs, rhs, "__le") {
					case 1:
						ret = true
					case 0:
						ret = false
					default:
						ret = !objectRationalWithError(L, rhs, lhs, "__lt")
					}
				}
			}

			v := 1
			if ret {
				v = 0
			}
			if v == A {
				cf.Pc++
			}
			return 0
		},
		func(L *LState, inst uint32, baseframe *callFrame) int { //OP_TEST
			reg := L.reg
			cf := L.currentFrame
			lbase := cf.LocalBase
			A := int(inst>>18) & 0xff //GETA
			RA := lbase + A
			C := int(inst>>9) & 0x1ff //GETC
			if LVAsBool(reg.Get(RA)) == (C == 0) {
				cf.Pc++
			}
			return 0
		},
		func(L *LState, inst uint32, baseframe *callFrame) int { //OP_TESTSET
			reg := L.reg
			cf := L.currentFrame
			lbase := cf.LocalBase
			A := int(inst>>18) & 0xff //GETA
			RA := lbase + A
			B := int(inst & 0x1ff)    //GETB
			C := int(inst>>9) & 0x1ff //GETC
			if value := reg.Get(lbase + B); LVAsBool(value) != (C == 0) {
				// +inline-call reg.Set RA value
			} else {
				cf.Pc++
			}
			return 0
		},
		func(L *LState, inst uint32, baseframe *callFrame) int { //OP_CALL
			reg := L.reg
			cf := L.currentFrame
			lbase := cf.LocalBase
			A := int(inst>>18) & 0xff //GETA
			RA := lbase + A
			B := int(inst & 0x1ff)    //GETB
			C := int(inst>>9) & 0x1ff //GETC
			nargs := B - 1
			if B == 0 {
				nargs = reg.Top() - (RA + 1)
			}
			lv := reg.Get(RA)
			nret := C - 1
			var callable *LFunction
			var meta bool
			if fn, ok := lv.(*LFunction); ok {
				callable = fn
				meta = false
			} else {
				callable, meta = L.metaCall(lv)
			}
			// +inline-call L.pushCallFrame callFrame{Fn:callable,Pc:0,Base:RA,LocalBase:RA+1,ReturnBase:RA,NArgs:nargs,NRet:nret,Parent:cf,TailCall:0} lv meta
			if callable.IsG {
				if callGFunction(L, false) {
					return 1
				}
				// moonpin: the Go function (debug.sethook) may have set a
				// hook: the loop switches to mainLoopWithHook.
				if L.hooked {
					L.hookSwitch = true
					return 1
				}
			}
			return 0
		},
		func(L *LState, inst uint32, baseframe *callFrame) int { //OP_TAILCALL
			reg := L.reg
			cf := L.currentFrame
			lbase := cf.LocalBase
			A := int(inst>>18) & 0xff //GETA
			RA := lbase + A
			B := int(inst & 0x1ff) //GETB
			nargs := B - 1
			if B == 0 {
				nargs = reg.Top() - (RA + 1)
			}
			lv := reg.Get(RA)
			var callable *LFunction
			var meta bool
			if fn, ok := lv.(*LFunction); ok {
				callable = fn
				meta = false
			} else {
				callable, meta = L.metaCall(lv)
			}
			if callable == nil {
				L.typeError("call", lv)
			}
			// +inline-call L.closeUpvalues lbase
			if callable.IsG {
				luaframe := cf
				L.pushCallFrame(callFrame{
					Fn:         callable,
					Pc:         0,
					Base:       RA,
					LocalBase:  RA + 1,
					ReturnBase: cf.ReturnBase,
					NArgs:      nargs,
					NRet:       cf.NRet,
					Parent:     cf,
					TailCall:   0,
				}, lv, meta)
				if callGFunction(L, true) {
					return 1
				}
				if L.currentFrame == nil || L.currentFrame.Fn.IsG || luaframe == baseframe {
					return 1
				}
				if L.hooked {
					L.hookSwitch = true // as in OP_CALL
					return 1
				}
			} else {
				base := cf.Base
				cf.Fn = callable
				cf.Pc = 0
				cf.Base = RA
				cf.LocalBase = RA + 1
				cf.ReturnBase = cf.ReturnBase
				cf.NArgs = nargs
				cf.NRet = cf.NRet
				cf.TailCall++
				lbase := cf.LocalBase
				if meta {
					cf.NArgs++
					L.reg.Insert(lv, cf.LocalBase)
				}
				// +inline-call L.initCallFrame cf
				// +inline-call L.reg.CopyRange base RA -1 reg.Top()-RA-1
				cf.Base = base
				cf.LocalBase = base + (cf.LocalBase - lbase + 1)
			}
			return 0
		},
		func(L *LState, inst uint32, baseframe *callFrame) int { //OP_RETURN
			reg := L.reg
			cf := L.currentFrame
			lbase := cf.LocalBase
			A := int(inst>>18) & 0xff //GETA
			RA := lbase + A
			B := int(inst & 0x1ff) //GETB
			// +inline-call L.closeUpvalues lbase
			nret := B - 1
			if B == 0 {
				nret = reg.Top() - RA
			}
			n := cf.NRet
			if cf.NRet == MultRet {
				n = nret
			}

			if L.Parent != nil && L.stack.Sp() == 1 {
				// +inline-call copyReturnValues L reg.Top() RA n B
				switchToParentThread(L, n, false, true)
				return 1
			}
			islast := baseframe == L.stack.Pop() || L.stack.IsEmpty()
			// +inline-call copyReturnValues L cf.ReturnBase RA n B
			L.currentFrame = L.stack.Last()
			if islast || L.currentFrame == nil || L.currentFrame.Fn.IsG {
				return 1
			}
			return 0
		},
		func(L *LState, inst uint32, baseframe *callFrame) int { //OP_FORLOOP
			reg := L.reg
			cf := L.currentFrame
			lbase := cf.LocalBase
			A := int(inst>>18) & 0xff //GETA
			RA := lbase + A
			if init, ok1 := reg.Get(RA).(LNumber); ok1 {
				if limit, ok2 := reg.Get(RA + 1).(LNumber); ok2 {
					if step, ok3 := reg.Get(RA + 2).(LNumber); ok3 {
						init += step
						// moonpin: the counter and the loop variable
						// share one boxed number (it used to be boxed
						// twice, one allocation more per iteration).
						v := reg.alloc.LNumber2I(LNumber(init))
						// +inline-call reg.Set RA v
						if (step > 0 && init <= limit) || (step <= 0 && init >= limit) {
							Sbx := int(inst&0x3ffff) - opMaxArgSbx //GETSBX
							cf.Pc += Sbx
							// +inline-call reg.Set RA+3 v
						} else {
							// +inline-call reg.SetTop RA+1
						}
					} else {
						L.RaiseError("for statement step must be a number")
					}
				} else {
					L.RaiseError("for statement limit must be a number")
				}
			} else {
				L.RaiseError("for statement init must be a number")
			}
			return 0
		},
		func(L *LState, inst uint32, baseframe *callFrame) int { //OP_FORPREP
			reg := L.reg
			cf := L.currentFrame
			lbase := cf.LocalBase
			A := int(inst>>18) & 0xff //GETA
			RA := lbase + A
			Sbx := int(inst&0x3ffff) - opMaxArgSbx //GETSBX
			L.forPrep51(RA)
			if init, ok1 := reg.Get(RA).(LNumber); ok1 {
				if step, ok2 := reg.Get(RA + 2).(LNumber); ok2 {
					// +inline-call reg.SetNumber RA LNumber(init-step)
				} else {
					L.RaiseError("for statement step must be a number")
				}
			} else {
				L.RaiseError("for statement init must be a number")
			}
			cf.Pc += Sbx
			return 0
		},
		func(L *LState, inst uint32, baseframe *callFrame) int { //OP_TFORLOOP
			reg := L.reg
			cf := L.currentFrame
			lbase := cf.LocalBase
			A := int(inst>>18) & 0xff //GETA
			RA := lbase + A
			C := int(inst>>9) & 0x1ff //GETC
			nret := C
			// +inline-call reg.SetTop RA+3+2
			// +inline-call reg.Set RA+3+2 reg.Get(RA+2)
			// +inline-call reg.Set RA+3+1 reg.Get(RA+1)
			// +inline-call reg.Set RA+3 reg.Get(RA)
			L.callR(2, nret, RA+3)
			if value := reg.Get(RA + 3); value != LNil {
				// +inline-call reg.Set RA+2 value
				pc := cf.Fn.Proto.Code[cf.Pc]
				cf.Pc += int(pc&0x3ffff) - opMaxArgSbx
			}
			cf.Pc++
			return 0
		},
		func(L *LState, inst uint32, baseframe *callFrame) int { //OP_SETLIST
			reg := L.reg
			cf := L.currentFrame
			lbase := cf.LocalBase
			A := int(inst>>18) & 0xff //GETA
			RA := lbase + A
			B := int(inst & 0x1ff)    //GETB
			C := int(inst>>9) & 0x1ff //GETC
			if C == 0 {
				C = int(cf.Fn.Proto.Code[cf.Pc])
				cf.Pc++
			}
			offset := (C - 1) * FieldsPerFlush
			table := reg.Get(RA).(*LTable)
			nelem := B
			if B == 0 {
				nelem = reg.Top() - RA - 1
				// moonpin: {...} and {f()} of many values: the array is
				// sized once, checked against the memory limit, rather
				// than doubled value by value past it (see reserveArray).
				if nelem > FieldsPerFlush {
					table.reserveArray(L, offset+nelem)
				}
			}
			for i := 1; i <= nelem; i++ {
				table.RawSetInt(offset+i, reg.Get(RA+i))
				// moonpin: millions of values ({unpack(t)}) are set
				// with a look at the interrupt between thousands.
				if i%pollEvery == 0 {
					L.CheckInterrupt()
				}
			}
			return 0
		},
		func(L *LState, inst uint32, baseframe *callFrame) int { //OP_CLOSE
			cf := L.currentFrame
			lbase := cf.LocalBase
			A := int(inst>>18) & 0xff //GETA
			RA := lbase + A
			// +inline-call L.closeUpvalues RA
			return 0
		},
		func(L *LState, inst uint32, baseframe *callFrame) int { //OP_CLOSURE
			reg := L.reg
			cf := L.currentFrame
			lbase := cf.LocalBase
			A := int(inst>>18) & 0xff //GETA
			RA := lbase + A
			Bx := int(inst & 0x3ffff) //GETBX
			proto := cf.Fn.Proto.FunctionPrototypes[Bx]
			closure := newLFunctionL(proto, cf.Fn.Env, int(proto.NumUpvalues))
			// +inline-call reg.Set RA closure
			for i := 0; i < int(proto.NumUpvalues); i++ {
				inst = cf.Fn.Proto.Code[cf.Pc]
				cf.Pc++
				B := opGetArgB(inst)
				switch opGetOpCode(inst) {
				case OP_MOVE:
					closure.Upvalues[i] = L.findUpvalue(lbase + B)
				case OP_GETUPVAL:
					closure.Upvalues[i] = cf.Fn.Upvalues[B]
				}
			}
			return 0
		},
		func(L *LState, inst uint32, baseframe *callFrame) int { //OP_VARARG
			reg := L.reg
			cf := L.currentFrame
			lbase := cf.LocalBase
			A := int(inst>>18) & 0xff //GETA
			RA := lbase + A
			B := int(inst & 0x1ff) //GETB
			nparams := int(cf.Fn.Proto.NumParameters)
			nvarargs := cf.NArgs - nparams
			if nvarargs < 0 {
				nvarargs = 0
			}
			nwant := B - 1
			if B == 0 {
				nwant = nvarargs
			}
			// moonpin: ... of many values grows the stack by as many,
			// checked against the memory limit first.
			if RA+nwant > cap(reg.array) {
				L.checkAllocProduct(RA+nwant, slotSize)
			}
			// +inline-call reg.CopyRange RA cf.Base+nparams+1 cf.LocalBase nwant
			return 0
		},
		func(L *LState, inst uint32, baseframe *callFrame) int { //OP_NOP
			return 0
		},
	}
}

func opArith(L *LState, inst uint32, baseframe *callFrame) int { //OP_ADD, OP_SUB, OP_MUL, OP_DIV, OP_MOD, OP_POW
	reg := L.reg
	cf := L.currentFrame
	lbase := cf.LocalBase
	A := int(inst>>18) & 0xff //GETA
	RA := lbase + A
	opcode := int(inst >> 26) //GETOPCODE
	B := int(inst & 0x1ff)    //GETB
	C := int(inst>>9) & 0x1ff //GETC
	lhs := L.rkValue(B)
	rhs := L.rkValue(C)
	v1, ok1 := lhs.(LNumber)
	v2, ok2 := rhs.(LNumber)
	if ok1 && ok2 {
		v := numberArith(L, opcode, LNumber(v1), LNumber(v2))
		// +inline-call reg.SetNumber RA v
	} else {
		v := objectArith(L, opcode, lhs, rhs)
		// +inline-call reg.Set RA v
	}
	return 0
}

// luaModulo is Lua 5.1's luai_nummod, a - floor(a/b)*b. moonpin: upstream
// took math.Mod (C's fmod) and fixed its sign, which differs from 5.1 by a
// rounding for big or fractional operands (1e308 % 3 is 0 in 5.1) and on an
// infinite divisor (nan in 5.1), and math.Mod's loop of Frexp and Ldexp was
// 15% of a closure benchmark that takes a % per call. The conversion keeps
// the product rounded (no fused multiply-add), as 5.1's C compiles it.
func luaModulo(lhs, rhs LNumber) LNumber {
	a, b := float64(lhs), float64(rhs)
	return LNumber(a - float64(math.Floor(a/b)*b))
}

func numberArith(L *LState, opcode int, lhs, rhs LNumber) LNumber {
	switch opcode {
	case OP_ADD:
		return lhs + rhs
	case OP_SUB:
		return lhs - rhs
	case OP_MUL:
		return lhs * rhs
	case OP_DIV:
		return lhs / rhs
	case OP_MOD:
		return luaModulo(lhs, rhs)
	case OP_POW:
		flhs := float64(lhs)
		frhs := float64(rhs)
		return LNumber(powOf(flhs, frhs))
	}
	panic("should not reach here")
	return LNumber(0)
}

func objectArith(L *LState, opcode int, lhs, rhs LValue) LValue {
	event := ""
	switch opcode {
	case OP_ADD:
		event = "__add"
	case OP_SUB:
		event = "__sub"
	case OP_MUL:
		event = "__mul"
	case OP_DIV:
		event = "__div"
	case OP_MOD:
		event = "__mod"
	case OP_POW:
		event = "__pow"
	}
	op := L.metaOp2(lhs, rhs, event)
	if op != LNil { // moonpin: called if not a function, as 5.1
		L.reg.Push(op)
		L.reg.Push(lhs)
		L.reg.Push(rhs)
		L.Call(2, 1)
		return L.reg.Pop()
	}
	if str, ok := lhs.(LString); ok {
		if lnum, err := parseNumber(string(str)); err == nil {
			lhs = lnum
		}
	}
	if str, ok := rhs.(LString); ok {
		if rnum, err := parseNumber(string(str)); err == nil {
			rhs = rnum
		}
	}
	if v1, ok1 := lhs.(LNumber); ok1 {
		if v2, ok2 := rhs.(LNumber); ok2 {
			return numberArith(L, opcode, LNumber(v1), LNumber(v2))
		}
	}
	L.arithError(lhs, rhs)

	return LNil
}

func stringConcat(L *LState, total, last int) LValue {
	rhs := L.reg.Get(last)
	total--
	for i := last - 1; total > 0; {
		lhs := L.reg.Get(i)
		if !(LVCanConvToString(lhs) && LVCanConvToString(rhs)) {
			op := L.metaOp2(lhs, rhs, "__concat")
			if op != LNil { // moonpin: called if not a function, as 5.1
				L.reg.Push(op)
				L.reg.Push(lhs)
				L.reg.Push(rhs)
				L.Call(2, 1)
				rhs = L.reg.Pop()
				total--
				i--
			} else {
				culprit, at := lhs, i
				if LVCanConvToString(lhs) {
					culprit, at = rhs, i+1
				}
				L.typeErrorReg("concatenate", culprit, at-L.currentFrame.LocalBase)
				return LNil
			}
		} else {
			buf := make([]string, total+1)
			buf[total] = LVAsString(rhs)
			for total > 0 {
				lhs = L.reg.Get(i)
				if !LVCanConvToString(lhs) {
					break
				}
				buf[total-1] = LVAsString(lhs)
				i--
				total--
			}
			rhs = LString(joinChecked(L, buf)) // moonpin: within the memory limit, interruptible
		}
	}
	return rhs
}

func lessThan(L *LState, lhs, rhs LValue) bool {
	// optimization for numbers
	if v1, ok1 := lhs.(LNumber); ok1 {
		if v2, ok2 := rhs.(LNumber); ok2 {
			return v1 < v2
		}
		L.compareError(lhs, rhs)
	}
	if lhs.Type() != rhs.Type() {
		L.compareError(lhs, rhs)
		return false
	}
	ret := false
	switch lhs.Type() {
	case LTString:
		ret = compareStrings(L, string(lhs.(LString)), string(rhs.(LString))) < 0
	default:
		ret = objectRationalWithError(L, lhs, rhs, "__lt")
	}
	return ret
}

func equals(L *LState, lhs, rhs LValue, raw bool) bool {
	lt := lhs.Type()
	if lt != rhs.Type() {
		return false
	}

	ret := false
	switch lt {
	case LTNil:
		ret = true
	case LTNumber:
		v1, _ := lhs.(LNumber)
		v2, _ := rhs.(LNumber)
		ret = v1 == v2
	case LTBool:
		ret = bool(lhs.(LBool)) == bool(rhs.(LBool))
	case LTString:
		s1, s2 := string(lhs.(LString)), string(rhs.(LString))
		if len(s1) > copyPiece && len(s1) == len(s2) {
			ret = equalStrings(L, s1, s2) // moonpin: long ones look at the interrupt
		} else {
			ret = s1 == s2
		}
	case LTUserData, LTTable:
		if lhs == rhs {
			ret = true
		} else if !raw {
			switch objectRational(L, lhs, rhs, "__eq") {
			case 1:
				ret = true
			default:
				ret = false
			}
		}
	default:
		ret = lhs == rhs
	}
	return ret
}

func objectRationalWithError(L *LState, lhs, rhs LValue, event string) bool {
	switch objectRational(L, lhs, rhs, event) {
	case 1:
		return true
	case 0:
		return false
	}
	L.compareError(lhs, rhs)
	return false
}

func objectRational(L *LState, lhs, rhs LValue, event string) int {
	m1 := L.metaOp1(lhs, event)
	m2 := L.metaOp1(rhs, event)
	// moonpin: called if not a function (rawequal in both), as 5.1
	if m1 != LNil && m1 == m2 {
		L.reg.Push(m1)
		L.reg.Push(lhs)
		L.reg.Push(rhs)
		L.Call(2, 1)
		if LVAsBool(L.reg.Pop()) {
			return 1
		}
		return 0
	}
	return -1
}
