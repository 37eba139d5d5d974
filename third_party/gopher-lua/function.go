package lua

import (
	"fmt"
	"strings"
)

const (
	VarArgHasArg   uint8 = 1
	VarArgIsVarArg uint8 = 2
	VarArgNeedsArg uint8 = 4
)

type DbgLocalInfo struct {
	Name    string
	StartPc int
	EndPc   int
}

type DbgCall struct {
	Name string
	Pc   int
}

type FunctionProto struct {
	SourceName         string
	LineDefined        int
	LastLineDefined    int
	NumUpvalues        uint8
	NumParameters      uint8
	IsVarArg           uint8
	NumUsedRegisters   uint8
	Code               []uint32
	Constants          []LValue
	FunctionPrototypes []*FunctionProto

	DbgSourcePositions []int
	DbgLocals          []*DbgLocalInfo
	DbgCalls           []DbgCall
	DbgUpvalues        []string

	stringConstants []string
	// stringBoxes are the boxes of the string constants (see stringBox),
	// nil for the other constants: keys a table may keep (moonpin).
	stringBoxes []*string
	// source is Lua 5.1's source of the chunk (moonpin), where it is not
	// "@" and SourceName: loadstring's text or "=name".
	source string
}

/* Upvalue {{{ */

type Upvalue struct {
	next   *Upvalue
	reg    *registry
	index  int
	value  LValue
	closed bool
}

func (uv *Upvalue) Value() LValue {
	//if uv.IsClosed() {
	if uv.closed || uv.reg == nil {
		return uv.value
	}
	//return uv.reg.Get(uv.index)
	return uv.reg.array[uv.index]
}

func (uv *Upvalue) SetValue(value LValue) {
	if uv.IsClosed() {
		uv.value = value
	} else {
		uv.reg.Set(uv.index, value)
	}
}

func (uv *Upvalue) Close() {
	value := uv.Value()
	uv.closed = true
	uv.value = value
}

func (uv *Upvalue) IsClosed() bool {
	return uv.closed || uv.reg == nil
}

func UpvalueIndex(i int) int {
	return GlobalsIndex - i
}

/* }}} */

/* FunctionProto {{{ */

func newFunctionProto(name string) *FunctionProto {
	return &FunctionProto{
		SourceName:         name,
		LineDefined:        0,
		LastLineDefined:    0,
		NumUpvalues:        0,
		NumParameters:      0,
		IsVarArg:           0,
		NumUsedRegisters:   2,
		Code:               make([]uint32, 0, 128),
		Constants:          make([]LValue, 0, 32),
		FunctionPrototypes: make([]*FunctionProto, 0, 16),

		DbgSourcePositions: make([]int, 0, 128),
		DbgLocals:          make([]*DbgLocalInfo, 0, 16),
		DbgCalls:           make([]DbgCall, 0, 128),
		DbgUpvalues:        make([]string, 0, 16),

		stringConstants: make([]string, 0, 32),
	}
}

// trim gives the prototype's lists their own arrays of their own length
// (moonpin): the code and line lists were the compiler's 1024-entry
// buffers, and the rest had room preallocated, some 17 KB a function kept
// for as long as it lived (15000 chunks from loadstring filled a 256 MB
// memory limit).
func (fp *FunctionProto) trim() {
	fp.Code = trimmed(fp.Code)
	fp.DbgSourcePositions = trimmed(fp.DbgSourcePositions)
	fp.Constants = trimmed(fp.Constants)
	fp.FunctionPrototypes = trimmed(fp.FunctionPrototypes)
	fp.DbgLocals = trimmed(fp.DbgLocals)
	fp.DbgCalls = trimmed(fp.DbgCalls)
	fp.DbgUpvalues = trimmed(fp.DbgUpvalues)
	fp.stringConstants = trimmed(fp.stringConstants)
	fp.stringBoxes = trimmed(fp.stringBoxes)
}

// trimmed returns s in an array of its own length, nil if it is empty (an
// empty slice of a bigger array would keep the array).
func trimmed[T any](s []T) []T {
	if len(s) == 0 {
		return nil
	}
	if len(s) == cap(s) {
		return s
	}
	return append(make([]T, 0, len(s)), s...)
}

func (fp *FunctionProto) String() string {
	return fp.str(1, 0)
}

func (fp *FunctionProto) str(level int, count int) string {
	indent := strings.Repeat("  ", level-1)
	buf := []string{}
	buf = append(buf, fmt.Sprintf("%v; function [%v] definition (level %v)\n",
		indent, count, level))
	buf = append(buf, fmt.Sprintf("%v; %v upvalues, %v params, %v stacks\n",
		indent, fp.NumUpvalues, fp.NumParameters, fp.NumUsedRegisters))
	for reg, linfo := range fp.DbgLocals {
		buf = append(buf, fmt.Sprintf("%v.local %v ; %v\n", indent, linfo.Name, reg))
	}
	for reg, upvalue := range fp.DbgUpvalues {
		buf = append(buf, fmt.Sprintf("%v.upvalue %v ; %v\n", indent, upvalue, reg))
	}
	for reg, conzt := range fp.Constants {
		buf = append(buf, fmt.Sprintf("%v.const %v ; %v\n", indent, conzt.String(), reg))
	}
	buf = append(buf, "\n")

	protono := 0
	for no, code := range fp.Code {
		inst := opGetOpCode(code)
		if inst == OP_CLOSURE {
			buf = append(buf, "\n")
			buf = append(buf, fp.FunctionPrototypes[protono].str(level+1, protono))
			buf = append(buf, "\n")
			protono++
		}
		buf = append(buf, fmt.Sprintf("%v[%03d] %v (line:%v)\n",
			indent, no+1, opToString(code), fp.DbgSourcePositions[no]))

	}
	buf = append(buf, fmt.Sprintf("%v; end of function\n", indent))
	return strings.Join(buf, "")
}

/* }}} */

/* LFunction {{{ */

func newLFunctionL(proto *FunctionProto, env *LTable, nupvalue int) *LFunction {
	// moonpin: a closure of one or two upvalues is made with them in one
	// allocation, not two (the function and its slice of upvalues): the
	// function is 56 bytes, so with one upvalue the pair still fits the
	// 64-byte size class. bench/vm's closure workload, which makes 1M of
	// them, spent 5% of its time making the slices.
	switch nupvalue {
	case 1:
		c := &struct {
			fn  LFunction
			ups [1]*Upvalue
		}{fn: LFunction{Env: env, Proto: proto}}
		c.fn.Upvalues = c.ups[:]
		return &c.fn
	case 2:
		c := &struct {
			fn  LFunction
			ups [2]*Upvalue
		}{fn: LFunction{Env: env, Proto: proto}}
		c.fn.Upvalues = c.ups[:]
		return &c.fn
	}
	return &LFunction{
		IsG: false,
		Env: env,

		Proto:     proto,
		GFunction: nil,
		Upvalues:  make([]*Upvalue, nupvalue),
	}
}

func newLFunctionG(gfunc LGFunction, env *LTable, nupvalue int) *LFunction {
	return &LFunction{
		IsG: true,
		Env: env,

		Proto:     nil,
		GFunction: gfunc,
		Upvalues:  make([]*Upvalue, nupvalue),
	}
}

func (fn *LFunction) LocalName(regno, pc int) (string, bool) {
	if fn.IsG {
		return "", false
	}
	// moonpin: upstream's test was off by one at either end (a local was
	// not yet active at its first instruction, and no longer at its
	// last), which localName, as Lua 5.1's luaF_getlocalname, is not.
	if regno < 1 {
		return "", false
	}
	return localName(fn.Proto, regno-1, pc)
}

/* }}} */
