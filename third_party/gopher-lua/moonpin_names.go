package lua

import (
	"sort"
	"strings"
)

// moonpin: runtime errors that name the culprit as Lua 5.1 does
// ("attempt to index local 'a' (a nil value)"). The name is worked out only
// when an error is raised, from the instruction that failed and a symbolic
// run of the function's code up to it (Lua 5.1's getobjname and symbexec,
// ldebug.c), so the VM's fast paths are unchanged.

// typeError raises "attempt to <op> <kind> '<name>' (a <type> value)", or
// "attempt to <op> a <type> value" when v has no name: the running function
// is Go, or v is not in a register the current instruction reads.
func (ls *LState) typeError(op string, v LValue) {
	ls.typeErrorReg(op, v, ls.culpritReg(op, v))
}

// typeErrorReg is typeError for a value known to be in register reg of the
// current Lua frame (-1: none).
func (ls *LState) typeErrorReg(op string, v LValue, reg int) {
	if reg >= 0 {
		if kind, name := ls.objName(reg); kind != "" {
			ls.runError("attempt to %s %s '%s' (a %s value)", op, kind, name, v.Type().String())
		}
	}
	ls.runError("attempt to %s a %s value", op, v.Type().String())
}

// runError raises a runtime error as Lua 5.1's luaG_runerror: with the
// position of the running Lua function, and none when a Go function is
// running (table.sort comparing, rawset given a nil key, tostring calling
// a __tostring that cannot be called), where RaiseError gives its caller's
// as luaL_error does.
func (ls *LState) runError(format string, args ...any) {
	level := 1
	if ls.currentFrame != nil && ls.currentFrame.Fn.IsG {
		level = 0
	}
	ls.raiseError(level, format, args...)
}

// badTableKey says whether no table can hold key: nil or NaN, which Lua
// 5.1's luaH_set refuses.
func badTableKey(key LValue) bool {
	n, ok := key.(LNumber)
	return ok && n != n || key == LNil
}

// tableKeyError raises 5.1's error for a bad table key: with no position
// in a Go function (rawset), the running Lua function's otherwise.
func (ls *LState) tableKeyError(key LValue) {
	if key == LNil {
		ls.runError("table index is nil")
	}
	ls.runError("table index is NaN")
}

// arithError blames the first operand that is not a number, as Lua 5.1 does.
// The operand is found by its place in the instruction, not by its value:
// in `"s" % s` the constant is blamed, not the global of the same string.
func (ls *LState) arithError(lhs, rhs LValue) {
	const what = "perform arithmetic on"
	v, first := rhs, false
	if _, ok := lhs.(LNumber); !ok {
		v, first = lhs, true
	}
	reg := ls.culpritReg(what, v)
	if cf, pc, ok := ls.currentLuaPC(); ok && reg >= 0 {
		inst := cf.Fn.Proto.Code[pc]
		if op := opGetOpCode(inst); op >= OP_ADD && op <= OP_POW {
			place := opGetArgC(inst)
			if first {
				place = opGetArgB(inst)
			}
			if reg != place {
				reg = -1
			}
		}
	}
	ls.typeErrorReg(what, v, reg)
}

// compareError is Lua 5.1's message for an order comparison of values that
// have none.
func (ls *LState) compareError(lhs, rhs LValue) {
	t1, t2 := lhs.Type().String(), rhs.Type().String()
	if t1 == t2 {
		ls.runError("attempt to compare two %s values", t1)
	}
	ls.runError("attempt to compare %s with %s", t1, t2)
}

// currentLuaPC returns the Lua frame that is running and the pc of the
// instruction it is executing.
func (ls *LState) currentLuaPC() (*callFrame, int, bool) {
	cf := ls.currentFrame
	if cf == nil || cf.Fn == nil || cf.Fn.IsG || cf.Fn.Proto == nil {
		return nil, 0, false
	}
	pc := cf.Pc - 1
	if pc < 0 || pc >= len(cf.Fn.Proto.Code) {
		return nil, 0, false
	}
	return cf, pc, true
}

// culpritReg finds the register the current instruction reads v from, for
// the error "attempt to <what> ...".
func (ls *LState) culpritReg(what string, v LValue) int {
	cf, pc, ok := ls.currentLuaPC()
	if !ok {
		return -1
	}
	inst := cf.Fn.Proto.Code[pc]
	a, b, c := opGetArgA(inst), opGetArgB(inst), opGetArgC(inst)
	// A value that cannot be called is named only by a call: a metamethod
	// that is not a function fails in the instruction that called it (OP_ADD),
	// and may equal an operand there.
	op := opGetOpCode(inst)
	if (what == "call") != (op == OP_CALL || op == OP_TAILCALL) {
		return -1
	}
	var regs []int
	switch op {
	case OP_GETTABLE, OP_GETTABLEKS, OP_SELF, OP_UNM, OP_LEN:
		regs = []int{b}
	case OP_SETTABLE, OP_SETTABLEKS, OP_CALL, OP_TAILCALL:
		regs = []int{a}
	case OP_ADD, OP_SUB, OP_MUL, OP_DIV, OP_MOD, OP_POW:
		regs = []int{b, c}
	case OP_CONCAT:
		for r := c; r >= b; r-- {
			regs = append(regs, r)
		}
	}
	for _, r := range regs {
		if opIsK(r) {
			continue
		}
		idx := cf.LocalBase + r
		if idx < ls.reg.Top() && ls.reg.Get(idx) == v {
			return r
		}
	}
	return -1
}

// objName says what register reg of the running Lua function holds at the
// current instruction: ("local", name), ("global", name), ("field", key),
// ("upvalue", name), ("method", name), or "" when it cannot tell.
func (ls *LState) objName(reg int) (kind, name string) {
	cf, pc, ok := ls.currentLuaPC()
	if !ok {
		return "", ""
	}
	return objNameAt(cf.Fn, pc, reg)
}

func objNameAt(fn *LFunction, pc, reg int) (kind, name string) {
	p := fn.Proto
	if name, ok := localName(p, reg, pc); ok {
		return "local", name
	}
	last, ok := lastSetter(p, pc, reg)
	if !ok {
		return "", ""
	}
	inst := p.Code[last]
	switch opGetOpCode(inst) {
	case OP_GETGLOBAL:
		if s, ok := p.Constants[opGetArgBx(inst)].(LString); ok {
			return "global", string(s)
		}
	case OP_MOVE, OP_MOVEN:
		// A MOVEN is the first of its run of MOVEs; the others stay
		// MOVEs, each found as the last setter of its own register.
		b, a := opGetArgB(inst), opGetArgA(inst)
		if b < a {
			return objNameAt(fn, last, b)
		}
		// The compiler leaves a register's move onto itself after some
		// `and`/`or` operands ("s" and u): the value is the one before it.
		if b == a {
			return objNameAt(fn, last, a)
		}
	case OP_GETTABLE, OP_GETTABLEKS:
		return "field", constName(p, opGetArgC(inst))
	case OP_GETUPVAL:
		if u := opGetArgB(inst); u < len(p.DbgUpvalues) {
			return "upvalue", p.DbgUpvalues[u]
		}
		return "upvalue", "?"
	case OP_SELF:
		return "method", constName(p, opGetArgC(inst))
	}
	return "", ""
}

// localName names the local variable in register reg at pc: the reg+1-th
// of the locals active there, in the order they started (their registers
// are given in that order), as Lua 5.1's luaF_getlocalname; debug.getlocal
// uses it too (LFunction.LocalName). DbgLocals run from StartPc to EndPc
// inclusive; their end pcs are right since EndScope's fix (compile.go).
func localName(p *FunctionProto, reg, pc int) (string, bool) {
	var active []*DbgLocalInfo
	for _, l := range p.DbgLocals {
		if l.StartPc <= pc && pc <= l.EndPc {
			active = append(active, l)
		}
	}
	if reg >= len(active) {
		return "", false
	}
	sort.SliceStable(active, func(i, j int) bool { return active[i].StartPc < active[j].StartPc })
	return active[reg].Name, true
}

func constName(p *FunctionProto, rk int) string {
	if opIsK(rk) {
		if s, ok := p.Constants[opIndexK(rk)].(LString); ok {
			return string(s)
		}
	}
	return "?"
}

// lastSetter is Lua 5.1's symbexec: the pc of the last instruction before
// lastpc that set register reg, following forward jumps that do not skip
// lastpc.
func lastSetter(p *FunctionProto, lastpc, reg int) (int, bool) {
	last := -1
	code := p.Code
	for pc := 0; pc < lastpc && pc < len(code); pc++ {
		inst := code[pc]
		op := opGetOpCode(inst)
		a := opGetArgA(inst)
		if op <= opCodeMax && opProps[op].SetRegA && a == reg {
			last = pc
		}
		switch op {
		case OP_LOADNIL:
			if a <= reg && reg <= opGetArgB(inst) {
				last = pc
			}
		case OP_TFORLOOP:
			if reg >= a+2 {
				last = pc
			}
		case OP_CALL, OP_TAILCALL:
			if reg >= a {
				last = pc
			}
		case OP_JMP:
			if dest := pc + 1 + opGetArgSbx(inst); pc < dest && dest <= lastpc {
				pc = dest - 1
			}
		case OP_SETLIST:
			if opGetArgC(inst) == 0 {
				pc++ // the block number
			}
		case OP_CLOSURE:
			if bx := opGetArgBx(inst); bx < len(p.FunctionPrototypes) {
				pc += int(p.FunctionPrototypes[bx].NumUpvalues) // its upvalue pseudo-instructions
			}
		}
	}
	return last, last >= 0
}

// chunkID is how Lua 5.1 shows a chunk's name (luaO_chunkid with
// LUA_IDSIZE): "=name" as name, "@file" as file (its last 52 bytes), and
// any other source as [string "its first line"], cut to 43 bytes with
// "...".
func chunkID(source string) string {
	return chunkIDSize(source, 60)
}

// syntaxChunkID is chunkID for a syntax error, which 5.1's lexer shows in
// 80 bytes (MAXSRC): a file's last 72 bytes, a string's first 63.
func syntaxChunkID(source string) string {
	return chunkIDSize(source, 80)
}

func chunkIDSize(source string, idSize int) string {
	switch {
	case strings.HasPrefix(source, "="):
		if len(source) > idSize {
			return source[1:idSize]
		}
		return source[1:]
	case strings.HasPrefix(source, "@"):
		name := source[1:]
		if max := idSize - len(" '...' ") - 1; len(name) > max {
			return "..." + name[len(name)-max:]
		}
		return name
	}
	line := source
	if i := strings.IndexAny(source, "\n\r"); i >= 0 {
		line = source[:i]
	}
	if max := idSize - len(" [string \"...\"] ") - 1; len(line) > max {
		line = line[:max]
	}
	if len(line) < len(source) {
		return `[string "` + line + `..."]`
	}
	return `[string "` + source + `"]`
}
