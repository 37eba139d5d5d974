package lua

import (
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
)

/* basic functions {{{ */

func OpenBase(L *LState) int {
	global := L.Get(GlobalsIndex).(*LTable)
	L.SetGlobal("_G", global)
	L.SetGlobal("_VERSION", LString(LuaVersion))
	L.SetGlobal("_GOPHER_LUA_VERSION", LString(PackageName+" "+PackageVersion))
	basemod := L.RegisterModule("_G", baseFuncs)
	global.RawSetString("ipairs", L.NewClosure(baseIpairs, L.NewFunction(ipairsaux)))
	global.RawSetString("pairs", L.NewClosure(basePairs, L.NewFunction(pairsaux)))
	L.Push(basemod)
	return 1
}

var baseFuncs = map[string]LGFunction{
	"assert":         baseAssert,
	"collectgarbage": baseCollectGarbage,
	"gcinfo":         baseGcinfo,
	"dofile":         baseDoFile,
	"error":          baseError,
	"getfenv":        baseGetFEnv,
	"getmetatable":   baseGetMetatable,
	"load":           baseLoad,
	"loadfile":       baseLoadFile,
	"loadstring":     baseLoadString,
	"next":           baseNext,
	"pcall":          basePCall,
	"print":          basePrint,
	"rawequal":       baseRawEqual,
	"rawget":         baseRawGet,
	"rawset":         baseRawSet,
	"select":         baseSelect,
	"_printregs":     base_PrintRegs,
	"setfenv":        baseSetFEnv,
	"setmetatable":   baseSetMetatable,
	"tonumber":       baseToNumber,
	"tostring":       baseToString,
	"type":           baseType,
	"unpack":         baseUnpack,
	"xpcall":         baseXPCall,
	// loadlib
	"module":  loModule,
	"require": loRequire,
	// hidden features
	"newproxy": baseNewProxy,
}

func baseAssert(L *LState) int {
	L.CheckAny(1) // moonpin: as Lua 5.1, "value expected"
	if !L.ToBool(1) {
		L.RaiseError(L.OptString(2, "assertion failed!"))
		return 0
	}
	return L.GetTop()
}

func baseDoFile(L *LState) int {
	src := L.ToString(1)
	top := L.GetTop()
	fn, err := L.LoadFile(src)
	if err != nil {
		L.Push(LString(err.Error()))
		L.Panic(L)
	}
	L.Push(fn)
	L.Call(0, MultRet)
	return L.GetTop() - top
}

func baseError(L *LState) int {
	obj := L.Get(1) // moonpin: error() raises nil, as in Lua 5.1

	level := L.OptInt(2, 1)
	// moonpin: a number is a string to 5.1's error, which gives it the
	// position too ("file:1: 0"); upstream raised the bare number.
	if n, ok := obj.(LNumber); ok && level > 0 {
		obj = LString(n.String())
	}
	L.Error(obj, level)
	return 0
}

// moonpin: getFunc is Lua 5.1's getfunc, for getfenv and setfenv: the
// function given, or the one running at a level (levels as 5.1 counts them,
// tail calls included); nil for level 0, the thread. 5.1's errors: "level
// must be non-negative", "invalid level" (upstream gave the globals for a
// level past the stack's end, and setfenv walked the frames without the
// tail calls), a number expected for anything else.
func getFunc(L *LState, opt bool) *LFunction {
	if fn, ok := L.Get(1).(*LFunction); ok {
		return fn
	}
	var level int
	if opt {
		level = L.OptInt(1, 1)
	} else {
		level = L.CheckInt(1)
	}
	if level < 0 {
		L.ArgError(1, "level must be non-negative")
	}
	if level == 0 {
		return nil
	}
	dbg, ok := L.GetStack(level)
	if !ok {
		L.ArgError(1, "invalid level")
	}
	if dbg.frame == nil {
		L.RaiseError("no function environment for tail call at level %d", level)
	}
	return dbg.frame.Fn
}

func baseGetFEnv(L *LState) int {
	switch fn := getFunc(L, true); {
	case fn == nil:
		L.Push(L.Env)
	case fn.IsG:
		L.Push(L.G.Global)
	default:
		L.Push(fn.Env)
	}
	return 1
}

func baseGetMetatable(L *LState) int {
	L.Push(L.GetMetatable(L.CheckAny(1)))
	return 1
}

func ipairsaux(L *LState) int {
	tb := L.CheckTable(1)
	i := L.CheckInt(2)
	i++
	v := tb.RawGetInt(i)
	if v == LNil {
		return 0
	} else {
		L.Pop(1)
		L.Push(LNumber(i))
		L.Push(LNumber(i))
		L.Push(v)
		return 2
	}
}

func baseIpairs(L *LState) int {
	tb := L.CheckTable(1)
	L.Push(L.Get(UpvalueIndex(1)))
	L.Push(tb)
	L.Push(LNumber(0))
	return 3
}

// loadaux loads a chunk named chunkname. source, when not "", is what
// debug.getinfo gives as its source (moonpin: Lua 5.1's, the chunk's text
// or "=name" as given to loadstring and load; a file's is "@" and its name).
func loadaux(L *LState, reader io.Reader, chunkname, source string) int {
	if fn, err := L.Load(interruptReader{L, reader}, chunkname); err != nil {
		// An interrupt while parsing is raised, not returned.
		L.CheckInterrupt()
		msg := err.Error()
		if rest, ok := strings.CutPrefix(msg, chunkname+":"); ok && source != "" {
			msg = syntaxChunkID(source) + ":" + rest // moonpin: 5.1's lexer's longer name
		}
		L.Push(LNil)
		L.Push(LString(msg))
		return 2
	} else {
		if source != "" {
			setSource(fn.Proto, source)
		}
		L.Push(fn)
		return 1
	}
}

func setSource(p *FunctionProto, source string) {
	p.source = source
	for _, child := range p.FunctionPrototypes {
		setSource(child, source)
	}
}

func baseLoad(L *LState) int {
	source := L.OptString(2, "=(load)") // moonpin: checked first, as in 5.1
	fn := L.CheckFunction(1)
	chunkname := chunkID(source)
	r := &functionReader{L: L, fn: fn}
	top := L.GetTop()
	n := loadaux(L, r, chunkname, source)
	switch {
	case r.memErr != nil:
		L.RaiseError("%s", r.memErr.Error())
	case r.err != nil:
		L.SetTop(top)
		L.Push(LNil)
		L.Push(r.err)
		return 2
	}
	return n
}

// functionReader reads a chunk from load's reader function, a call each
// time the parser wants more, as 5.1's lua_load does: a syntax error stops
// the reading (moonpin; upstream called the function to the end first).
// A reader that fails makes load return nil and its error, as in Lua 5.1
// (upstream let the error through); so does one that returns neither a
// string nor nil.
type functionReader struct {
	L      *LState
	fn     *LFunction
	piece  string
	done   bool
	err    LValue // the reader's error, once it failed
	memErr error  // the memory limit's, raised once the parser stops
	size   int
}

// readerCheckStep is how much source functionReader reads between two
// checks against the memory limit (a check reads the heap's size).
const readerCheckStep = 4 << 10

func (r *functionReader) Read(p []byte) (int, error) {
	for r.piece == "" {
		if r.done {
			return 0, io.EOF
		}
		if err := r.next(); err != nil {
			r.done = true
			return 0, io.EOF
		}
	}
	n := copy(p, r.piece)
	r.piece = r.piece[n:]
	return n, nil
}

// next calls the reader function for the next piece; an error ends the
// chunk.
func (r *functionReader) next() error {
	L := r.L
	top := L.GetTop()
	defer L.SetTop(top)
	L.Push(r.fn)
	if err := L.pcall(0, 1, nil, false); err != nil {
		L.CheckInterrupt() // an interrupt is not the reader's error
		if aerr, ok := err.(*ApiError); ok {
			r.err = aerr.Object
		} else {
			r.err = LString(err.Error())
		}
		return err
	}
	ret := L.Get(-1)
	if ret == LNil {
		return io.EOF
	}
	if !LVCanConvToString(ret) {
		r.err = LString("reader function must return a string")
		return io.EOF
	}
	piece := ret.String()
	if piece == "" {
		return io.EOF
	}
	before := r.size
	r.size += len(piece)
	if r.size/readerCheckStep != before/readerCheckStep {
		if err := L.allocError(r.size, parseBytesPerByte); err != nil {
			r.memErr = err
			return err
		}
	}
	r.piece = piece
	return nil
}

func baseLoadFile(L *LState) int {
	var reader io.Reader
	var chunkname string
	var err error
	if L.GetTop() < 1 {
		reader = os.Stdin
		chunkname = "<stdin>"
	} else {
		chunkname = L.CheckString(1)
		reader, err = os.Open(chunkname)
		if err != nil {
			L.Push(LNil)
			L.Push(LString(fmt.Sprintf("can not open file: %v", chunkname)))
			return 2
		}
		defer reader.(*os.File).Close()
	}
	return loadaux(L, reader, chunkname, "")
}

func baseLoadString(L *LState) int {
	// moonpin: the chunk is named as Lua 5.1 shows it, its short_src:
	// [string "..."] for its text, "=name" as name, "@file" as file.
	// gopher-lua has one name for debug.getinfo's source and short_src and
	// for messages; messages matter more.
	src := L.CheckString(1)
	L.checkAllocProduct(len(src), parseBytesPerByte)
	source := L.OptString(2, src)
	return loadaux(L, strings.NewReader(src), chunkID(source), source)
}

// LoadChecked is Load for the source src, with loadstring's checks
// (moonpin): the memory its parse will take against the state's limit,
// and the interrupt while the parser reads. Either comes back as the error;
// it need not run inside a Lua call. For all that moonpin loads: a line, a
// raw REPL chunk, main.lua, require, dofile, loadfile.
//
// A name that starts with '=' is Lua 5.1's chunkname for a chunk that is
// not a file (lua5.1 names typed lines "=stdin" and -e's chunk
// "=(command line)"): the chunk is called the rest of it in messages and
// tracebacks, and debug.getinfo's source is the name as given.
func (ls *LState) LoadChecked(src, name string) (*LFunction, error) {
	if err := ls.allocError(len(src), parseBytesPerByte); err != nil {
		return nil, err
	}
	source, short := "", name
	if strings.HasPrefix(name, "=") {
		source, short = name, chunkID(name)
	}
	fn, err := ls.Load(interruptReader{ls, strings.NewReader(src)}, short)
	if err == nil && source != "" {
		setSource(fn.Proto, source)
	}
	return fn, err
}

// parseBytesPerByte is about the least memory the parser and compiler take
// per byte of source (moonpin): a chunk of 12 MB peaked at 750 MB.
const parseBytesPerByte = 32

// interruptReader feeds the parser and looks at L's interrupt before each
// read, every few kilobytes of source (moonpin): parsing megabytes takes
// seconds.
type interruptReader struct {
	L *LState
	r io.Reader
}

func (r interruptReader) Read(p []byte) (int, error) {
	r.L.CheckInterrupt()
	return r.r.Read(p)
}

func baseNext(L *LState) int {
	tb := L.CheckTable(1)
	index := LNil
	if L.GetTop() >= 2 {
		index = L.Get(2)
	}
	key, value := checkedNext(L, tb, index)
	if key == LNil {
		L.Push(LNil)
		return 1
	}
	L.Push(key)
	L.Push(value)
	return 2
}

// checkedNext is tb.Next for next and pairs, which fail on a key the table
// does not have (moonpin), with no position, as 5.1's luaG_runerror does in
// a C function.
func checkedNext(L *LState, tb *LTable, key LValue) (LValue, LValue) {
	k, v, ok := tb.next(L, key)
	if !ok {
		L.raiseError(0, "invalid key to 'next'")
	}
	return k, v
}

func pairsaux(L *LState) int {
	tb := L.CheckTable(1)
	key, value := checkedNext(L, tb, L.Get(2))
	if key == LNil {
		return 0
	} else {
		L.Pop(1)
		L.Push(key)
		L.Push(key)
		L.Push(value)
		return 2
	}
}

func basePairs(L *LState) int {
	tb := L.CheckTable(1)
	L.Push(L.Get(UpvalueIndex(1)))
	L.Push(tb)
	L.Push(LNil)
	return 3
}

func basePCall(L *LState) int {
	L.CheckAny(1)
	v := L.Get(1)
	if v.Type() != LTFunction && L.GetMetaField(v, "__call").Type() != LTFunction {
		L.Push(LFalse)
		L.Push(LString("attempt to call a " + v.Type().String() + " value"))
		return 2
	}
	nargs := L.GetTop() - 1
	// moonpin: no traceback, which the error's value leaves out (it cost
	// time in proportion to the depth of the stack).
	if err := L.pcall(nargs, MultRet, nil, false); err != nil {
		L.Push(LFalse)
		if aerr, ok := err.(*ApiError); ok {
			L.Push(aerr.Object)
		} else {
			L.Push(LString(err.Error()))
		}
		return 2
	} else {
		L.Insert(LTrue, 1)
		return L.GetTop()
	}
}

func basePrint(L *LState) int {
	top := L.GetTop()
	for i := 1; i <= top; i++ {
		s := L.ToStringMeta(L.Get(i))
		if !LVCanConvToString(s) {
			L.RaiseError("'tostring' must return a string to 'print'") // moonpin: as 5.1
		}
		fmt.Print(s.String())
		if i != top {
			fmt.Print("\t")
		}
	}
	fmt.Println("")
	return 0
}

func base_PrintRegs(L *LState) int {
	L.printReg()
	return 0
}

func baseRawEqual(L *LState) int {
	if L.CheckAny(1) == L.CheckAny(2) {
		L.Push(LTrue)
	} else {
		L.Push(LFalse)
	}
	return 1
}

func baseRawGet(L *LState) int {
	L.Push(L.RawGet(L.CheckTable(1), L.CheckAny(2)))
	return 1
}

func baseRawSet(L *LState) int {
	tb := L.CheckTable(1)
	L.RawSet(tb, L.CheckAny(2), L.CheckAny(3))
	L.Push(tb) // moonpin: returns the table, as Lua 5.1's rawset
	return 1
}

func baseSelect(L *LState) int {
	// moonpin: as 5.1's luaB_select: a string starting with '#' counts,
	// anything else is an index, a numeric string too.
	if s, ok := L.Get(1).(LString); ok && strings.HasPrefix(string(s), "#") {
		L.Push(LNumber(L.GetTop() - 1))
		return 1
	}
	idx := L.CheckInt(1)
	num := L.GetTop()
	if idx < 0 {
		idx = num + idx
	} else if idx > num {
		idx = num
	}
	if 1 > idx {
		L.ArgError(1, "index out of range")
	}
	return num - idx
}

func baseSetFEnv(L *LState) int {
	env := L.CheckTable(2)
	fn := getFunc(L, false)
	if fn == nil {
		L.Env = env
		return 0
	}
	if fn.IsG {
		L.RaiseError("'setfenv' cannot change environment of given object")
	}
	fn.Env = env
	L.Push(fn)
	return 1
}

func baseSetMetatable(L *LState) int {
	// moonpin: only tables, as in Lua 5.1; upstream set the metatable
	// shared by every value of the type (setmetatable(1, mt) gave all
	// numbers metamethods). The first argument is checked first, and the
	// second must be there, as in 5.1.
	obj := L.CheckTable(1)
	mt := L.Get(2)
	if t := mt.Type(); L.GetTop() < 2 || t != LTNil && t != LTTable {
		L.ArgError(2, "nil or table expected")
	}
	if m := L.metatable(obj, true); m != LNil {
		if tb, ok := m.(*LTable); ok && tb.RawGetString("__metatable") != LNil {
			L.RaiseError("cannot change a protected metatable")
		}
	}
	L.SetMetatable(obj, mt)
	L.SetTop(1)
	return 1
}

func baseToNumber(L *LState) int {
	base := L.OptInt(2, 10)
	// moonpin: as Lua 5.1: base 10 is the language's own conversion (so
	// "13e2" and "0x10" are numbers); other bases are strtoul's.
	if base == 10 {
		switch lv := L.CheckAny(1).(type) {
		case LNumber:
			L.Push(lv)
		case LString:
			if n, err := parseNumber(string(lv)); err == nil {
				L.Push(n)
			} else {
				L.Push(LNil)
			}
		default:
			L.Push(LNil)
		}
		return 1
	}
	str := L.CheckString(1) // moonpin: before the base, as in 5.1
	if base < 2 || base > 36 {
		L.ArgError(2, "base out of range")
	}
	if z := strings.IndexByte(str, 0); z >= 0 {
		str = str[:z] // moonpin: 5.1's strtoul stops at the zero byte
	}
	str = strings.Trim(str, " \t\n\v\f\r")
	neg := strings.HasPrefix(str, "-")
	if neg || strings.HasPrefix(str, "+") {
		str = str[1:]
	}
	if base == 16 && len(str) > 2 && str[0] == '0' && (str[1] == 'x' || str[1] == 'X') {
		str = str[2:]
	}
	v, err := strconv.ParseUint(str, base, 64)
	if err != nil && !errors.Is(err, strconv.ErrRange) || str == "" || str[0] == '+' || str[0] == '-' {
		L.Push(LNil)
		return 1
	}
	n := float64(v)
	if neg {
		// strtoul negates in unsigned arithmetic, so 64-bit lua5.1 gives
		// 1.844674407371e+19 for tonumber("-10", 36); Lua 5.1's own
		// math.lua expects -36, as upstream and Lua 5.2 give.
		n = -n
	}
	L.Push(LNumber(n))
	return 1
}

func baseToString(L *LState) int {
	v1 := L.CheckAny(1)
	L.Push(L.ToStringMeta(v1))
	return 1
}

func baseType(L *LState) int {
	L.Push(LString(L.CheckAny(1).Type().String()))
	return 1
}

func baseUnpack(L *LState) int {
	tb := L.CheckTable(1)
	start := L.OptInt(2, 1)
	end := L.OptInt(3, tb.Len())
	if start > end {
		return 0
	}
	// moonpin: the count is checked against the value stack's room and the
	// memory limit first (16 bytes a slot), and the copy looks at the
	// interrupt every so often.
	n := end - start + 1
	if n <= 0 || n > max(L.reg.maxSize, cap(L.reg.array))-L.reg.Top() {
		L.RaiseError("too many results to unpack")
	}
	L.checkAllocProduct(n, 16)
	var p Poller
	for i := start; i <= end; i++ {
		L.Push(tb.RawGetInt(i))
		p.Poll(L)
	}
	return n
}

func baseXPCall(L *LState) int {
	// moonpin: as Lua 5.1, any value is taken as the handler; one that
	// cannot be called fails as a failing handler does, with "error in error
	// handling" (upstream refused it with a bad-argument error up front).
	// The handler is checked first, and a function that is not one is
	// called as any value is: the handler gets "attempt to call a number
	// value" (upstream: bad argument #1).
	handler := L.CheckAny(2)
	fn := L.Get(1)
	if fn.Type() != LTFunction && L.GetMetaField(fn, "__call").Type() != LTFunction {
		// The call fails in xpcall, a Go function: no position.
		typ := fn.Type().String()
		fn = L.NewFunction(func(L *LState) int {
			L.RaiseError("attempt to call a %s value", typ)
			return 0
		})
	}
	var errfunc *LFunction
	if f, ok := handler.(*LFunction); ok {
		errfunc = f
	} else {
		typ := L.Get(2).Type().String()
		errfunc = L.NewFunction(func(L *LState) int {
			L.RaiseError("attempt to call a %s value", typ)
			return 0
		})
	}

	top := L.GetTop()
	L.Push(fn)
	if err := L.pcall(0, MultRet, errfunc, false); err != nil { // moonpin: no traceback, as pcall
		L.Push(LFalse)
		if aerr, ok := err.(*ApiError); ok {
			L.Push(aerr.Object)
		} else {
			L.Push(LString(err.Error()))
		}
		return 2
	} else {
		L.Insert(LTrue, top+1)
		return L.GetTop() - top
	}
}

/* }}} */

/* load lib {{{ */

func loModule(L *LState) int {
	name := L.CheckString(1)
	loaded := L.GetField(L.Get(RegistryIndex), "_LOADED")
	tb := L.GetField(loaded, name)
	if _, ok := tb.(*LTable); !ok {
		tb = L.FindTable(L.Get(GlobalsIndex).(*LTable), name, 1)
		if tb == LNil {
			L.RaiseError("name conflict for module '%v'", name) // moonpin: 5.1's words
		}
		L.SetField(loaded, name, tb)
	}
	if L.GetField(tb, "_NAME") == LNil {
		L.SetField(tb, "_M", tb)
		L.SetField(tb, "_NAME", LString(name))
		names := strings.Split(name, ".")
		pname := ""
		if len(names) > 1 {
			pname = strings.Join(names[:len(names)-1], ".") + "."
		}
		L.SetField(tb, "_PACKAGE", LString(pname))
	}

	caller := L.currentFrame.Parent
	if caller == nil || caller.Fn.IsG {
		L.RaiseError("'module' not called from a Lua function") // moonpin: 5.1's words
	}
	L.SetFEnv(caller.Fn, tb)

	top := L.GetTop()
	for i := 2; i <= top; i++ {
		L.Push(L.Get(i))
		L.Push(tb)
		L.Call(1, 0)
	}
	return 0 // moonpin: as 5.1 (upstream returned the module)
}

// loadingMark is what package.loaded holds for a module while require
// loads it. moonpin: one per state (upstream had one *LUserData for the
// process, which a module could read from package.loaded and give a
// metatable that every later state saw, keeping the state that set it
// alive; its nil metatable crashed getmetatable).
func loadingMark(L *LState) *LUserData {
	if L.G.loading == nil {
		L.G.loading = L.NewUserData()
	}
	return L.G.loading
}

func loRequire(L *LState) int {
	name := L.CheckString(1)
	loaded := L.GetField(L.Get(RegistryIndex), "_LOADED")
	lv := L.GetField(loaded, name)
	loopdetection := loadingMark(L)
	if LVAsBool(lv) {
		if lv == loopdetection {
			L.RaiseError("loop or previous error loading module '%s'", name) // moonpin: 5.1's words
		}
		L.Push(lv)
		return 1
	}
	loaders, ok := L.GetField(L.Get(RegistryIndex), "_LOADERS").(*LTable)
	if !ok {
		L.RaiseError("package.loaders must be a table")
	}
	// moonpin: as Lua 5.1, the loaders' messages, each starting "\n\t", are
	// joined as they are (upstream joined them with "\n\t" and ended with
	// ", ", and left the name unquoted).
	messages := []string{}
	var modasfunc LValue
	for i := 1; ; i++ {
		loader := L.RawGetInt(loaders, i)
		if loader == LNil {
			L.RaiseError("module '%s' not found:%s", name, strings.Join(messages, ""))
		}
		L.Push(loader)
		L.Push(LString(name))
		L.Call(1, 1)
		ret := L.reg.Pop()
		switch retv := ret.(type) {
		case *LFunction:
			modasfunc = retv
			goto loopbreak
		case LString:
			messages = append(messages, string(retv))
		case LNumber:
			messages = append(messages, retv.String())
		}
	}
loopbreak:
	L.SetField(loaded, name, loopdetection)
	L.Push(modasfunc)
	L.Push(LString(name))
	L.Call(1, 1)
	ret := L.reg.Pop()
	modv := L.GetField(loaded, name)
	if ret != LNil && modv == loopdetection {
		L.SetField(loaded, name, ret)
		L.Push(ret)
	} else if modv == loopdetection {
		L.SetField(loaded, name, LTrue)
		L.Push(LTrue)
	} else {
		L.Push(modv)
	}
	return 1
}

/* }}} */

/* hidden features {{{ */

func baseNewProxy(L *LState) int {
	L.SetTop(1)
	// moonpin: as 5.1, a true value that is not a boolean must be a proxy,
	// a userdata newproxy made with a metatable (5.1 keeps those
	// metatables in a weak table; here the userdata's Value marks it);
	// upstream took anything, and then io.stdout's metatable on a userdata
	// that is no file.
	d, isUserData := L.Get(1).(*LUserData)
	if arg := L.Get(1); LVAsBool(arg) && arg.Type() != LTBool && (!isUserData || d.Value != (proxyMark{}) || L.GetMetatable(d) == LNil) {
		L.ArgError(1, "boolean or proxy expected")
	}
	ud := L.NewUserData()
	ud.Value = proxyMark{}
	if L.Get(1) == LTrue {
		L.SetMetatable(ud, L.NewTable())
	} else if isUserData {
		L.SetMetatable(ud, L.GetMetatable(d))
	}
	L.Push(ud)
	return 1
}

// proxyMark is the Value of a userdata newproxy made (moonpin).
type proxyMark struct{}

/* }}} */

//
