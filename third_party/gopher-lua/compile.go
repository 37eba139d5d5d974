package lua

import (
	"fmt"
	"math"
	"reflect"
	"sort"

	"github.com/yuin/gopher-lua/ast"
)

/* internal constants & structs  {{{ */

// maxRegisters is the registers a function may use: 249, as Lua 5.1's
// MAXSTACK (250) allows (moonpin; upstream: 200, so a call with 200
// arguments or a return of 200 values, which 5.1 takes, did not compile).
const maxRegisters = 249

// tooComplex is Lua 5.1's error for a function that needs more registers.
const tooComplex = "function or expression too complex"

type expContextType int

const (
	ecGlobal expContextType = iota
	ecUpvalue
	ecLocal
	ecTable
	ecVararg
	ecMethod
	ecNone
)

const regNotDefined = opMaxArgsA + 1
const labelNoJump = 0

type expcontext struct {
	ctype expContextType
	reg   int
	// varargopt >= 0: wants varargopt+1 results, i.e  a = func()
	// varargopt = -1: ignore results             i.e  func()
	// varargopt = -2: receive all results        i.e  a = {func()}
	varargopt int
}

type assigncontext struct {
	ec       *expcontext
	keyrk    int
	valuerk  int
	keyks    bool
	needmove bool
}

type lblabels struct {
	t int
	f int
	e int
	b bool
}

type constLValueExpr struct {
	ast.ExprBase

	Value LValue
}

// }}}

/* utilities {{{ */
var _ecnone0 = &expcontext{ecNone, regNotDefined, 0}
var _ecnonem1 = &expcontext{ecNone, regNotDefined, -1}
var _ecnonem2 = &expcontext{ecNone, regNotDefined, -2}
var ecfuncdef = &expcontext{ecMethod, regNotDefined, 0}

func ecupdate(ec *expcontext, ctype expContextType, reg, varargopt int) {
	if ec == _ecnone0 || ec == _ecnonem1 || ec == _ecnonem2 {
		panic("can not update ec cache")
	}
	ec.ctype = ctype
	ec.reg = reg
	ec.varargopt = varargopt
}

func ecnone(varargopt int) *expcontext {
	switch varargopt {
	case 0:
		return _ecnone0
	case -1:
		return _ecnonem1
	case -2:
		return _ecnonem2
	}
	return &expcontext{ecNone, regNotDefined, varargopt}
}

func shouldmove(ec *expcontext, reg int) bool {
	return ec.ctype == ecLocal && ec.reg != regNotDefined && ec.reg != reg
}

func sline(pos ast.PositionHolder) int {
	return pos.Line()
}

func eline(pos ast.PositionHolder) int {
	line := pos.LastLine()
	if line == 0 {
		return pos.Line()
	}
	return line
}

// opLine is the line of an expression's last token (moonpin), where Lua
// 5.1 puts the instruction that applies its operator or index: 5.1's code
// generator emits it once that token is read. Upstream used the line where
// the expression starts, so an error in `y = 1 +\n x` named the line before
// x's. An operand's own last token is its closing ')' if parenthesized
// (endLine), and a call's its arguments' last (the call itself is on the
// line of its '(', callLine). The line is kept in the node's LastLine, so
// that each node of a deep chain is visited once; the parser sets it for
// an index (the name or ']'), a call, a table and a function.
func opLine(e ast.Expr) int {
	if line := e.LastLine(); line != 0 {
		return line // kept, or set by the parser
	}
	var line int
	switch ex := e.(type) {
	case *ast.ArithmeticOpExpr:
		line = endLine(ex.Rhs)
	case *ast.StringConcatOpExpr:
		line = endLine(ex.Rhs)
	case *ast.RelationalOpExpr:
		line = endLine(ex.Rhs)
	case *ast.LogicalOpExpr:
		line = endLine(ex.Rhs)
	case *ast.UnaryMinusOpExpr:
		line = endLine(ex.Expr)
	case *ast.UnaryNotOpExpr:
		line = endLine(ex.Expr)
	case *ast.UnaryLenOpExpr:
		line = endLine(ex.Expr)
	case *ast.AttrGetExpr:
		line = endLine(ex.Key)
	case *ast.FuncCallExpr:
		line = callLine(ex)
	default:
		return e.Line()
	}
	e.SetLastLine(line)
	return line
}

// endLine is the line of an operand's last token, its ')' if it is in
// parentheses (see opLine).
func endLine(e ast.Expr) int {
	if line := e.ParenEnd(); line != 0 {
		return line
	}
	return opLine(e)
}

// callLine is the line of a call's '(', '{' or string, as 5.1's funcargs
// (see opLine).
func callLine(ex *ast.FuncCallExpr) int {
	if ex.ArgsLine != 0 {
		return ex.ArgsLine
	}
	if ex.Func == nil {
		return ex.MethodLine
	}
	return opLine(ex.Func)
}

// takenLine is the line of the load of a variable or an index: where the
// syntax around it takes its value (ast.TakenAt), else where it ends.
func takenLine(e ast.Expr) int {
	switch ex := e.(type) {
	case *ast.IdentExpr:
		if ex.TakenLine != 0 {
			return ex.TakenLine
		}
	case *ast.AttrGetExpr:
		if ex.TakenLine != 0 {
			return ex.TakenLine
		}
	}
	return opLine(e)
}

func savereg(ec *expcontext, reg int) int {
	if ec.ctype != ecLocal || ec.reg == regNotDefined {
		return reg
	}
	return ec.reg
}

func raiseCompileError(context *funcContext, line int, format string, args ...interface{}) {
	msg := fmt.Sprintf(format, args...)
	panic(&CompileError{context: context, Line: line, Message: msg})
}

// foldLogical reduces `k and e` and `k or e` whose left side is a constant
// to e or k, as Lua 5.1's code generator does (luaK_goiftrue and
// luaK_goiffalse emit no test for a constant), so no test and jump hide
// e's value from the error messages' symbolic execution (moonpin). e keeps
// one value, as an operand of `and` and `or` does. A left side that is
// itself such an expression is folded first, one level deep, so a chain
// is not walked again at each of its levels.
func foldLogical(expr ast.Expr) ast.Expr {
	ex, ok := expr.(*ast.LogicalOpExpr)
	if !ok {
		return expr
	}
	lhs := ex.Lhs
	if inner, ok := lhs.(*ast.LogicalOpExpr); ok {
		if _, ok := constTruth(inner.Lhs); ok {
			lhs = foldLogical(inner)
		}
	}
	truth, ok := constTruth(lhs)
	if !ok {
		return expr
	}
	if truth == (ex.Operator == "or") {
		return lhs
	}
	switch rhs := ex.Rhs.(type) {
	case *ast.FuncCallExpr:
		rhs.AdjustRet = true
	case *ast.Comma3Expr:
		rhs.AdjustRet = true
	}
	return ex.Rhs
}

// constTruth tells whether expr is a constant, and whether it is true.
func constTruth(expr ast.Expr) (truth, ok bool) {
	switch ex := expr.(type) {
	case *ast.NilExpr, *ast.FalseExpr:
		return false, true
	case *ast.TrueExpr, *ast.NumberExpr, *ast.StringExpr, *constLValueExpr:
		return true, true
	case *ast.UnaryMinusOpExpr:
		_, ok := ex.Expr.(*ast.NumberExpr)
		return true, ok
	case *ast.UnaryNotOpExpr:
		// `not k` is a constant too, as 5.1's codenot makes it.
		truth, ok := constTruth(ex.Expr)
		return !truth, ok
	}
	return false, false
}

func isVarArgReturnExpr(expr ast.Expr) bool {
	switch ex := expr.(type) {
	case *ast.FuncCallExpr:
		return !ex.AdjustRet
	case *ast.Comma3Expr:
		return !ex.AdjustRet
	}
	return false
}

func lnumberValue(expr ast.Expr) (LNumber, bool) {
	if ex, ok := expr.(*ast.NumberExpr); ok {
		lv, err := parseNumber(ex.Value)
		if err != nil {
			lv = LNumber(math.NaN())
		}
		return lv, true
	} else if ex, ok := expr.(*constLValueExpr); ok {
		return ex.Value.(LNumber), true
	}
	return 0, false
}

/* utilities }}} */

type gotoLabelDesc struct { // {{{
	Id                 int
	Name               string
	Pc                 int
	Line               int
	NumActiveLocalVars int
}

func newLabelDesc(id int, name string, pc, line, n int) *gotoLabelDesc {
	return &gotoLabelDesc{
		Id:                 id,
		Name:               name,
		Pc:                 pc,
		Line:               line,
		NumActiveLocalVars: n,
	}
}

func (l *gotoLabelDesc) SetNumActiveLocalVars(n int) {
	l.NumActiveLocalVars = n
} // }}}

type CompileError struct { // {{{
	context *funcContext
	Line    int
	Message string
	// noPosition: the message is all, as Lua 5.1's errors raised while
	// loadstring (a Go function) runs, not by its parser (moonpin).
	noPosition bool
}

func (e *CompileError) Error() string {
	if e.noPosition {
		return e.Message
	}
	// moonpin: as Lua 5.1's errors read, "chunk:line: message" (upstream:
	// "compile error near line(1) chunk: message").
	return fmt.Sprintf("%v:%v: %v", e.context.Proto.SourceName, e.Line, e.Message)
} // }}}

type codeStore struct { // {{{
	codes []uint32
	lines []int
	pc    int
}

func (cd *codeStore) Add(inst uint32, line int) {
	if l := len(cd.codes); l <= 0 || cd.pc == l {
		cd.codes = append(cd.codes, inst)
		cd.lines = append(cd.lines, line)
	} else {
		cd.codes[cd.pc] = inst
		cd.lines[cd.pc] = line
	}
	cd.pc++
}

func (cd *codeStore) AddABC(op int, a int, b int, c int, line int) {
	cd.Add(opCreateABC(op, a, b, c), line)
}

func (cd *codeStore) AddABx(op int, a int, bx int, line int) {
	cd.Add(opCreateABx(op, a, bx), line)
}

func (cd *codeStore) AddASbx(op int, a int, sbx int, line int) {
	cd.Add(opCreateASbx(op, a, sbx), line)
}

func (cd *codeStore) PropagateKMV(top int, save *int, reg *int, inc int) {
	lastinst := cd.Last()
	if opGetArgA(lastinst) >= top {
		switch opGetOpCode(lastinst) {
		case OP_LOADK:
			cindex := opGetArgBx(lastinst)
			if cindex <= opMaxIndexRk {
				cd.Pop()
				*save = opRkAsk(cindex)
				return
			}
		case OP_MOVE:
			cd.Pop()
			*save = opGetArgB(lastinst)
			return
		}
	}
	*save = *reg
	*reg = *reg + inc
}

func (cd *codeStore) PropagateMV(top int, save *int, reg *int, inc int) {
	lastinst := cd.Last()
	if opGetArgA(lastinst) >= top {
		switch opGetOpCode(lastinst) {
		case OP_MOVE:
			cd.Pop()
			*save = opGetArgB(lastinst)
			return
		}
	}
	*save = *reg
	*reg = *reg + inc
}

func (cd *codeStore) AddLoadNil(a, b, line int) {
	// this method used to merge multiple consecutive LOADNIL instructions
	// of consecutive registers into a single LOADNIL instruction, but it
	// caused issues when the merged instructions were JMP targets, and so
	// generated invalid code; so the merging functionality has been removed.
	// It is safe to merge the LOADNIL instructions under certain conditions,
	// but additional logic / complexity would be needed here.
	cd.AddABC(OP_LOADNIL, a, b, 0, line)
}

func (cd *codeStore) SetOpCode(pc int, v int) {
	opSetOpCode(&cd.codes[pc], v)
}

func (cd *codeStore) SetA(pc int, v int) {
	opSetArgA(&cd.codes[pc], v)
}

func (cd *codeStore) SetB(pc int, v int) {
	opSetArgB(&cd.codes[pc], v)
}

func (cd *codeStore) SetC(pc int, v int) {
	opSetArgC(&cd.codes[pc], v)
}

func (cd *codeStore) SetBx(pc int, v int) {
	opSetArgBx(&cd.codes[pc], v)
}

func (cd *codeStore) SetSbx(pc int, v int) {
	opSetArgSbx(&cd.codes[pc], v)
}

func (cd *codeStore) At(pc int) uint32 {
	return cd.codes[pc]
}

func (cd *codeStore) List() []uint32 {
	return cd.codes[:cd.pc]
}

func (cd *codeStore) PosList() []int {
	return cd.lines[:cd.pc]
}

func (cd *codeStore) LastPC() int {
	return cd.pc - 1
}

func (cd *codeStore) Last() uint32 {
	if cd.pc == 0 {
		return opInvalidInstruction
	}
	// moonpin: the word after a SETLIST with C=0 is its block number, which
	// reads as a MOVE; taken for one, it was popped ("a.b = {...}" with
	// over 25550 items lost the assignment).
	if cd.pc >= 2 {
		if prev := cd.codes[cd.pc-2]; opGetOpCode(prev) == OP_SETLIST && opGetArgC(prev) == 0 {
			return opInvalidInstruction
		}
	}
	return cd.codes[cd.pc-1]
}

func (cd *codeStore) Pop() {
	cd.pc--
} /* }}} Code */

/* {{{ VarNamePool */

type varNamePoolValue struct {
	Index int
	Name  string
}

type varNamePool struct {
	names  []string
	offset int
}

func newVarNamePool(offset int) *varNamePool {
	return &varNamePool{names: make([]string, 0, 16), offset: offset}
}

func (vp *varNamePool) Names() []string {
	return vp.names
}

func (vp *varNamePool) List() []varNamePoolValue {
	result := make([]varNamePoolValue, len(vp.names), len(vp.names))
	for i, name := range vp.names {
		result[i].Index = i + vp.offset
		result[i].Name = name
	}
	return result
}

func (vp *varNamePool) LastIndex() int {
	return vp.offset + len(vp.names)
}

func (vp *varNamePool) Find(name string) int {
	for i := len(vp.names) - 1; i >= 0; i-- {
		if vp.names[i] == name {
			return i + vp.offset
		}
	}
	return -1
}

func (vp *varNamePool) RegisterUnique(name string) int {
	index := vp.Find(name)
	if index < 0 {
		return vp.Register(name)
	}
	return index
}

func (vp *varNamePool) Register(name string) int {
	vp.names = append(vp.names, name)
	return len(vp.names) - 1 + vp.offset
}

/* }}} VarNamePool */

/* FuncContext {{{ */

type codeBlock struct {
	LocalVars      *varNamePool
	BreakLabel     int
	Parent         *codeBlock
	RefUpvalue     bool
	LineStart      int
	LastLine       int
	labels         map[string]*gotoLabelDesc
	firstGotoIndex int
	// dbgLocals are the indices in Proto.DbgLocals of the block's locals
	// (moonpin: EndScope took their register numbers for these indices,
	// so it ended the scope of the wrong locals; upstream issues #252,
	// #413).
	dbgLocals []int
}

func newCodeBlock(localvars *varNamePool, blabel int, parent *codeBlock, pos ast.PositionHolder, firstGotoIndex int) *codeBlock {
	bl := &codeBlock{localvars, blabel, parent, false, 0, 0, map[string]*gotoLabelDesc{}, firstGotoIndex, nil}
	if pos != nil {
		bl.LineStart = pos.Line()
		bl.LastLine = pos.LastLine()
	}
	return bl
}

func (b *codeBlock) AddLabel(label *gotoLabelDesc) *gotoLabelDesc {
	if old, ok := b.labels[label.Name]; ok {
		return old
	}
	b.labels[label.Name] = label
	return nil
}

func (b *codeBlock) GetLabel(label string) *gotoLabelDesc {
	if v, ok := b.labels[label]; ok {
		return v
	}
	return nil
}

func (b *codeBlock) LocalVarsCount() int {
	count := 0
	for block := b; block != nil; block = block.Parent {
		count += len(block.LocalVars.Names())
	}
	return count
}

type funcContext struct {
	Proto           *FunctionProto
	Code            *codeStore
	Parent          *funcContext
	Upvalues        *varNamePool
	Block           *codeBlock
	Blocks          []*codeBlock
	regTop          int
	labelId         int
	labelPc         map[int]int
	gotosCount      int
	unresolvedGotos map[int]*gotoLabelDesc
	constIndex      map[LValue]int // moonpin: Proto.Constants by value
	stop            *compileStop   // moonpin: shared by a chunk's functions
	// upvalueLines is the line of each upvalue's first use in the
	// function or a function inside it (moonpin, for 5.1's limit).
	upvalueLines map[string]int
}

// nextLine is the line where Lua 5.1 resolves the name e (moonpin).
func nextLine(e *ast.IdentExpr) int {
	if e.NextLine != 0 {
		return e.NextLine
	}
	return e.Line()
}

// refUpvalue registers the upvalue name, used on line, and returns its
// index (moonpin: RegisterUnique, noting the line of its first use).
func (fc *funcContext) refUpvalue(name string, line int) int {
	if fc.upvalueLines == nil {
		fc.upvalueLines = map[string]int{}
	}
	if old, ok := fc.upvalueLines[name]; !ok || line < old {
		fc.upvalueLines[name] = line
	}
	return fc.Upvalues.RegisterUnique(name)
}

// checkUpvalues notes, when the function has more upvalues than Lua 5.1
// allows, the line where 5.1 would have found the one past its limit: the
// line of the first use of the upvalues, in the order of the lines, that
// goes past it (moonpin). The chunk's error is the first such line; a
// function around another, which finishes after it, wins a tie, as 5.1
// registers an upvalue from the outermost function in.
func (fc *funcContext) checkUpvalues() {
	names := fc.Upvalues.Names()
	if len(names) <= maxUpvalues {
		return
	}
	lines := make([]int, 0, len(names))
	for _, name := range names {
		lines = append(lines, fc.upvalueLines[name])
	}
	sort.Ints(lines)
	line := lines[maxUpvalues]
	if s := fc.stop; s != nil && (s.upvalueLine == 0 || line <= s.upvalueLine) {
		s.upvalueLine, s.upvalueFunc = line, fc.Proto.LineDefined
	}
}

// compileStop asks stopped, every pollEvery statements and expressions
// compiled, whether to give up (moonpin): compiling a chunk of megabytes
// takes seconds, and an interrupt must end it as it ends the parse.
type compileStop struct {
	stopped func() error
	n       uint32
	depth   int // expressions being compiled inside one another
	// upvalueLine is where the chunk first passes Lua 5.1's limit on a
	// function's upvalues, in the function defined on upvalueFunc.
	upvalueLine, upvalueFunc int
}

// maxExprDepth bounds how deeply the compiler recurses into an expression
// (moonpin). The parser builds a left-associative chain (a + b + c ..., f()(),
// a.b.c) without nesting, but the tree it makes is as deep as the chain is
// long, and compileExpr and constFold recursed down it without limit: 10M
// terms of "1+" overflowed the goroutine's stack, a fatal error the memory
// guard cannot see. Lua 5.1 compiles such chains in a loop; no hand-written
// chunk comes near this bound.
const maxExprDepth = 5000

const tooDeepExpr = "chunk has too many syntax levels"

// enter counts one more level of expression; leave ends it.
func (fc *funcContext) enter(line int) {
	fc.stop.depth++
	if fc.stop.depth > maxExprDepth {
		raiseCompileError(fc, line, tooDeepExpr)
	}
}

func (fc *funcContext) leave() { fc.stop.depth-- }

// poll raises a CompileError with stopped's error when it has one.
func (fc *funcContext) poll() {
	s := fc.stop
	if s == nil || s.stopped == nil {
		return
	}
	s.n++
	if s.n%pollEvery == 0 {
		if err := s.stopped(); err != nil {
			panic(&CompileError{context: fc, Line: 0, Message: err.Error()})
		}
	}
}

func newFuncContext(sourcename string, parent *funcContext) *funcContext {
	fc := &funcContext{
		Proto:           newFunctionProto(sourcename),
		Code:            &codeStore{make([]uint32, 0, 1024), make([]int, 0, 1024), 0},
		Parent:          parent,
		Upvalues:        newVarNamePool(0),
		Block:           newCodeBlock(newVarNamePool(0), labelNoJump, nil, nil, 0),
		regTop:          0,
		labelId:         1,
		labelPc:         map[int]int{},
		gotosCount:      0,
		unresolvedGotos: map[int]*gotoLabelDesc{},
		constIndex:      map[LValue]int{},
	}
	fc.Blocks = []*codeBlock{fc.Block}
	if parent != nil {
		fc.stop = parent.stop
	}
	return fc
}

func (fc *funcContext) CheckUnresolvedGoto() {
	for i := fc.Block.firstGotoIndex; i < fc.gotosCount; i++ {
		gotoLabel, ok := fc.unresolvedGotos[i]
		if !ok {
			continue
		}
		raiseCompileError(fc, fc.Proto.LastLineDefined, "no visible label '%s' for <goto> at line %d", gotoLabel.Name, gotoLabel.Line)
	}
}

func (fc *funcContext) AddUnresolvedGoto(label *gotoLabelDesc) {
	fc.unresolvedGotos[fc.gotosCount] = label
	fc.gotosCount++
}

func (fc *funcContext) AddNamedLabel(label *gotoLabelDesc) {
	if old := fc.Block.AddLabel(label); old != nil {
		raiseCompileError(fc, label.Line+1, "label '%s' already defined on line %d", label.Name, old.Line)
	}
	fc.SetLabelPc(label.Id, label.Pc)
}

func (fc *funcContext) GetNamedLabel(name string) *gotoLabelDesc {
	return fc.Block.GetLabel(name)
}

func (fc *funcContext) ResolveGoto(from, to *gotoLabelDesc, index int) {
	if from.NumActiveLocalVars < to.NumActiveLocalVars {
		varName := fc.Block.LocalVars.Names()[len(fc.Block.LocalVars.Names())-1]
		raiseCompileError(fc, to.Line+1, "<goto %s> at line %d jumps into the scope of local '%s'", to.Name, from.Line, varName)
	}
	fc.Code.SetSbx(from.Pc, to.Id)
	delete(fc.unresolvedGotos, index)
}

func (fc *funcContext) FindLabel(block *codeBlock, gotoLabel *gotoLabelDesc, i int) bool {
	target := block.GetLabel(gotoLabel.Name)
	if target != nil {
		if gotoLabel.NumActiveLocalVars > target.NumActiveLocalVars && block.RefUpvalue {
			fc.Code.SetA(gotoLabel.Pc-1, target.NumActiveLocalVars)
		}
		fc.ResolveGoto(gotoLabel, target, i)
		return true
	}
	return false
}

func (fc *funcContext) ResolveCurrentBlockGotosWithParentBlock() {
	blockActiveLocalVars := fc.Block.Parent.LocalVarsCount()
	for i := fc.Block.firstGotoIndex; i < fc.gotosCount; i++ {
		gotoLabel, ok := fc.unresolvedGotos[i]
		if !ok {
			continue
		}
		if gotoLabel.NumActiveLocalVars > blockActiveLocalVars {
			if fc.Block.RefUpvalue {
				fc.Code.SetA(gotoLabel.Pc-1, blockActiveLocalVars)
			}
			gotoLabel.SetNumActiveLocalVars(blockActiveLocalVars)
		}
		fc.FindLabel(fc.Block.Parent, gotoLabel, i)
	}
}

func (fc *funcContext) ResolveForwardGoto(target *gotoLabelDesc) {
	for i := fc.Block.firstGotoIndex; i <= fc.gotosCount; i++ {
		gotoLabel, ok := fc.unresolvedGotos[i]
		if !ok {
			continue
		}
		if gotoLabel.Name == target.Name {
			fc.ResolveGoto(gotoLabel, target, i)
		}
	}
}

// NewLabel returns a new jump label. A jump holds its label in its sBx
// field until the last pass resolves it, so a function has at most
// opMaxArgSbx labels (moonpin): past that the label wrapped around, and a
// chunk of 40000 lines like `x = (x or 0) + 1` jumped out of its code (an
// index-out-of-range panic) or looped for ever.
func (fc *funcContext) NewLabel() int {
	ret := fc.labelId
	if ret > opMaxArgSbx {
		raiseCompileError(fc, fc.Proto.LineDefined, "%s; split it into smaller functions", limitMessage(fc.Proto.LineDefined, opMaxArgSbx, "jump labels"))
	}
	fc.labelId++
	return ret
}

func (fc *funcContext) SetLabelPc(label int, pc int) {
	fc.labelPc[label] = pc
}

func (fc *funcContext) GetLabelPc(label int) int {
	return fc.labelPc[label]
}

func (fc *funcContext) ConstIndex(value LValue) int {
	// moonpin: a map rather than a scan of the constants, which made a
	// table constructor of n constants compile in n² steps (70000 took
	// minutes, Lua 5.1's verybig.lua).
	if i, ok := fc.constIndex[value]; ok {
		return i
	}
	if s, ok := value.(LString); ok && len(s) <= keyBoxMax {
		// moonpin: a name's constants in every function share one box
		// and one copy of its bytes (keyBox), which the tables it is set
		// in keep: a field's lookup finds its key by the pointer
		// (sameString) without comparing bytes.
		value = boxedString(keyBox(string(s)))
	}
	fc.Proto.Constants = append(fc.Proto.Constants, value)
	v := len(fc.Proto.Constants) - 1
	if v >= opMaxArgBx {
		// moonpin: Lua 5.1 stops one short of Bx's largest value, when
		// its vector of constants cannot grow, with this runtime error
		// (upstream: "too many constants", one later).
		panic(&CompileError{context: fc, Message: "constant table overflow", noPosition: true})
	}
	fc.constIndex[value] = v
	return v
}

// lastLine is the line of the last instruction emitted, or line if none:
// where Lua 5.1 puts the jump that ends a block (the line of the block's
// last token), which a line hook sees.
func (fc *funcContext) lastLine(line int) int {
	if pc := fc.Code.LastPC(); pc >= 0 {
		return fc.Code.PosList()[pc]
	}
	return line
}

func (fc *funcContext) BlockLocalVarsCount() int {
	count := 0
	for block := fc.Block; block != nil; block = block.Parent {
		count += len(block.LocalVars.Names())
	}
	return count
}

func (fc *funcContext) RegisterLocalVar(name string) int {
	if fc.BlockLocalVarsCount() >= maxLocalVars {
		line := fc.Proto.LineDefined
		if n := len(fc.Code.PosList()); n > 0 {
			line = fc.Code.PosList()[n-1]
		}
		raiseCompileError(fc, line, "%s", limitMessage(fc.Proto.LineDefined, maxLocalVars, "local variables"))
	}
	ret := fc.Block.LocalVars.Register(name)
	fc.Block.dbgLocals = append(fc.Block.dbgLocals, len(fc.Proto.DbgLocals))
	fc.Proto.DbgLocals = append(fc.Proto.DbgLocals, &DbgLocalInfo{Name: name, StartPc: fc.Code.LastPC() + 1})
	fc.SetRegTop(fc.RegTop() + 1)
	return ret
}

// activateLastLocals starts the scope of the n locals registered last at
// the next instruction (moonpin): a numeric for loop's hidden locals are
// registered before the expressions that give their values, but, as in Lua
// 5.1, are active only after them, so an error in those expressions does
// not name '(for index)'.
func (fc *funcContext) activateLastLocals(n int) {
	locals := fc.Proto.DbgLocals
	for _, l := range locals[len(locals)-n:] {
		l.StartPc = fc.Code.LastPC() + 1
	}
}

// forHiddenLocals are the names of a generic for's hidden locals, as Lua
// 5.1's debug.getlocal shows them.
var forHiddenLocals = [...]string{"(for generator)", "(for state)", "(for control)"}

// extendLocals ends the scope of the n locals from DbgLocals[first] at the
// last instruction (moonpin): a for loop's hidden locals are in scope up to
// its FORLOOP or TFORLOOP and the jump after, which come after the block
// that holds them is left, as in Lua 5.1, where they are in an outer block.
func (fc *funcContext) extendLocals(first, n int) {
	for _, l := range fc.Proto.DbgLocals[first : first+n] {
		l.EndPc = fc.Code.LastPC()
	}
}

func (fc *funcContext) FindLocalVarAndBlock(name string) (int, *codeBlock) {
	for block := fc.Block; block != nil; block = block.Parent {
		if index := block.LocalVars.Find(name); index > -1 {
			return index, block
		}
	}
	return -1, nil
}

func (fc *funcContext) FindLocalVar(name string) int {
	idx, _ := fc.FindLocalVarAndBlock(name)
	return idx
}

func (fc *funcContext) LocalVars() []varNamePoolValue {
	result := make([]varNamePoolValue, 0, 32)
	for _, block := range fc.Blocks {
		result = append(result, block.LocalVars.List()...)
	}
	return result
}

func (fc *funcContext) EnterBlock(blabel int, pos ast.PositionHolder) {
	fc.Block = newCodeBlock(newVarNamePool(fc.RegTop()), blabel, fc.Block, pos, fc.gotosCount)
	fc.Blocks = append(fc.Blocks, fc.Block)
}

func (fc *funcContext) CloseUpvalues() int {
	n := -1
	if fc.Block.RefUpvalue {
		n = fc.Block.Parent.LocalVars.LastIndex()
		fc.Code.AddABC(OP_CLOSE, n, 0, 0, fc.Block.LastLine)
	}
	return n
}

func (fc *funcContext) LeaveBlock() int {
	closed := fc.CloseUpvalues()
	fc.EndScope()

	if fc.Block.Parent != nil {
		fc.ResolveCurrentBlockGotosWithParentBlock()
	}
	fc.Block = fc.Block.Parent
	fc.SetRegTop(fc.Block.LocalVars.LastIndex())
	return closed
}

// EndScope ends the debug ranges of the block's locals. moonpin: upstream
// indexed DbgLocals by register (vr.Index), but DbgLocals is in declaration
// order and registers are reused, so a for loop's hidden locals got the
// chunk's end as theirs and the chunk's own locals none (upstream issues
// #252 and #413: debug.getlocal's wrong names after a for block).
func (fc *funcContext) EndScope() {
	for _, i := range fc.Block.dbgLocals {
		fc.Proto.DbgLocals[i].EndPc = fc.Code.LastPC()
	}
}

func (fc *funcContext) SetRegTop(top int) {
	if top > maxRegisters {
		// moonpin: 5.1's words, on the line of the code made last
		// (upstream: "too many local variables", on the function's).
		line := fc.Proto.LineDefined
		if pc := fc.Code.LastPC(); pc >= 0 {
			line = fc.Code.lines[pc]
		}
		raiseCompileError(fc, line, tooComplex)
	}
	fc.regTop = top
}

func (fc *funcContext) RegTop() int {
	return fc.regTop
}

/* FuncContext }}} */

func compileChunk(context *funcContext, chunk []ast.Stmt, untilFollows bool) { // {{{
	for i, stmt := range chunk {
		lastStmt := true
		for j := i + 1; j < len(chunk); j++ {
			_, ok := chunk[j].(*ast.LabelStmt)
			if !ok {
				lastStmt = false
				break
			}
		}
		compileStmt(context, stmt, lastStmt && !untilFollows)
	}
} // }}}

func compileBlock(context *funcContext, chunk []ast.Stmt) { // {{{
	if len(chunk) == 0 {
		return
	}
	ph := &ast.Node{}
	ph.SetLine(sline(chunk[0]))
	ph.SetLastLine(eline(chunk[len(chunk)-1]))
	context.EnterBlock(labelNoJump, ph)
	for i, stmt := range chunk {
		lastStmt := true
		for j := i + 1; j < len(chunk); j++ {
			_, ok := chunk[j].(*ast.LabelStmt)
			if !ok {
				lastStmt = false
				break
			}
		}
		compileStmt(context, stmt, lastStmt)
	}
	context.LeaveBlock()
} // }}}

func compileStmt(context *funcContext, stmt ast.Stmt, isLastStmt bool) { // {{{
	context.poll()
	switch st := stmt.(type) {
	case *ast.AssignStmt:
		compileAssignStmt(context, st)
	case *ast.LocalAssignStmt:
		compileLocalAssignStmt(context, st)
	case *ast.FuncCallStmt:
		compileFuncCallExpr(context, context.RegTop(), st.Expr.(*ast.FuncCallExpr), ecnone(-1))
	case *ast.DoBlockStmt:
		context.EnterBlock(labelNoJump, st)
		compileChunk(context, st.Stmts, false)
		context.LeaveBlock()
	case *ast.WhileStmt:
		compileWhileStmt(context, st)
	case *ast.RepeatStmt:
		compileRepeatStmt(context, st)
	case *ast.FuncDefStmt:
		compileFuncDefStmt(context, st)
	case *ast.ReturnStmt:
		compileReturnStmt(context, st)
	case *ast.IfStmt:
		compileIfStmt(context, st)
	case *ast.BreakStmt:
		compileBreakStmt(context, st)
	case *ast.NumberForStmt:
		compileNumberForStmt(context, st)
	case *ast.GenericForStmt:
		compileGenericForStmt(context, st)
	case *ast.LabelStmt:
		compileLabelStmt(context, st, isLastStmt)
	case *ast.GotoStmt:
		compileGotoStmt(context, st)
	}
} // }}}

func compileAssignStmtLeft(context *funcContext, stmt *ast.AssignStmt) (int, []*assigncontext) { // {{{
	reg := context.RegTop()
	acs := make([]*assigncontext, 0, len(stmt.Lhs))
	for _, lhs := range stmt.Lhs {
		switch st := lhs.(type) {
		case *ast.IdentExpr:
			identtype := getIdentRefType(context, context, st)
			ec := &expcontext{identtype, regNotDefined, 0}
			switch identtype {
			case ecGlobal:
				context.ConstIndex(LString(st.Value))
			case ecUpvalue:
				context.refUpvalue(st.Value, nextLine(st))
			case ecLocal:
				ec.reg = context.FindLocalVar(st.Value)
				reg = copyConflictingLocal(context, acs, ec.reg, reg, sline(st))
			}
			acs = append(acs, &assigncontext{ec, 0, 0, false, false})
		case *ast.AttrGetExpr:
			ac := &assigncontext{&expcontext{ecTable, regNotDefined, 0}, 0, 0, false, false}
			compileExprWithKMVPropagation(context, st.Object, &reg, &ac.ec.reg)
			ac.keyrk = reg
			reg += compileExpr(context, reg, st.Key, ecnone(0))
			if _, ok := st.Key.(*ast.StringExpr); ok {
				ac.keyks = true
			}
			acs = append(acs, ac)

		default:
			panic("invalid left expression.")
		}
	}
	return reg, acs
} // }}}

// copyConflictingLocal copies local to the free register reg when an
// earlier target of the assignment indexes a table held in that local, or
// indexes by it, and points the target at the copy, as Lua 5.1's
// check_conflict: the stores run right to left, so the local's new value
// would be used (t.x, t = 1, 2 indexed the number). It returns the next free
// register.
func copyConflictingLocal(context *funcContext, acs []*assigncontext, local, reg, line int) int {
	copied := false
	for _, ac := range acs {
		if ac.ec.ctype != ecTable {
			continue
		}
		if ac.ec.reg == local {
			ac.ec.reg = reg
			copied = true
		}
		if !ac.keyks && ac.keyrk == local {
			ac.keyrk = reg
			copied = true
		}
	}
	if !copied {
		return reg
	}
	context.Code.AddABC(OP_MOVE, reg, local, 0, line)
	return reg + 1
}

// assignedLater reports whether a target after the i-th one is the local in
// register r: its store runs before the i-th target's.
func assignedLater(acs []*assigncontext, i, r int) bool {
	for _, ac := range acs[i+1:] {
		if ac.ec.ctype == ecLocal && ac.ec.reg == r {
			return true
		}
	}
	return false
}

func compileAssignStmtRight(context *funcContext, stmt *ast.AssignStmt, reg int, acs []*assigncontext) (int, []*assigncontext) { // {{{
	lennames := len(stmt.Lhs)
	lenexprs := len(stmt.Rhs)
	namesassigned := 0

	for namesassigned < lennames {
		ac := acs[namesassigned]
		ec := ac.ec
		var expr ast.Expr = nil
		if namesassigned >= lenexprs {
			expr = &ast.NilExpr{}
			expr.SetLine(sline(stmt.Lhs[namesassigned]))
			expr.SetLastLine(eline(stmt.Lhs[namesassigned]))
		} else if isVarArgReturnExpr(stmt.Rhs[namesassigned]) && (lenexprs-namesassigned-1) <= 0 {
			varargopt := lennames - namesassigned - 1
			regstart := reg
			reginc := compileExpr(context, reg, stmt.Rhs[namesassigned], ecnone(varargopt))
			reg += reginc
			for i := namesassigned; i < namesassigned+int(reginc); i++ {
				acs[i].needmove = true
				if acs[i].ec.ctype == ecTable {
					acs[i].valuerk = regstart + (i - namesassigned)
				}
			}
			namesassigned = lennames
			continue
		}

		if expr == nil {
			expr = stmt.Rhs[namesassigned]
		}
		// moonpin: in a multiple assignment only the last value, when
		// the values and the names are as many, goes straight into its
		// local, as in 5.1: an earlier one would change a local that a
		// later value reads (a, b = b, a gave 2 2), and the assignments
		// are made right to left (a, a = 1, 2 leaves 1), and not before
		// the extra values are evaluated (c = a, c.x read the new c).
		// Upstream issue #440.
		valueec := ec
		if ec.ctype == ecLocal && (namesassigned < lennames-1 || lenexprs != lennames) {
			valueec = ecnone(0)
		}
		idx := reg
		reginc := compileExpr(context, reg, expr, valueec)
		if ec.ctype == ecTable {
			// moonpin: a value read from a local that a later target
			// assigns stays in its register, since that store runs
			// first (u[i], i = i, 5 stored 5).
			last := context.Code.Last()
			readsAssigned := opGetOpCode(last) == OP_MOVE && opGetArgA(last) == idx && assignedLater(acs, namesassigned, opGetArgB(last))
			if _, ok := expr.(*ast.LogicalOpExpr); !ok && !readsAssigned {
				context.Code.PropagateKMV(context.RegTop(), &ac.valuerk, &reg, reginc)
			} else {
				ac.valuerk = idx
				reg += reginc
			}
		} else {
			ac.needmove = reginc != 0
			reg += reginc
		}
		namesassigned += 1
	}

	rightreg := reg - 1

	// extra right exprs
	for i := namesassigned; i < lenexprs; i++ {
		varargopt := -1
		if i != lenexprs-1 {
			varargopt = 0
		}
		reg += compileExpr(context, reg, stmt.Rhs[i], ecnone(varargopt))
	}
	return rightreg, acs
} // }}}

func compileAssignStmt(context *funcContext, stmt *ast.AssignStmt) { // {{{
	code := context.Code
	lennames := len(stmt.Lhs)
	reg, acs := compileAssignStmtLeft(context, stmt)
	reg, acs = compileAssignStmtRight(context, stmt, reg, acs)
	// moonpin: the stores are on the line of the statement's last token,
	// where 5.1 makes them, after the values (upstream: each target's
	// line, so `t.a.b =\n  1` with t.a nil failed a line early).
	line := eline(stmt)

	for i := lennames - 1; i >= 0; i-- {
		ex := stmt.Lhs[i]
		switch acs[i].ec.ctype {
		case ecLocal:
			if acs[i].needmove {
				code.AddABC(OP_MOVE, context.FindLocalVar(ex.(*ast.IdentExpr).Value), reg, 0, line)
				reg -= 1
			}
		case ecGlobal:
			code.AddABx(OP_SETGLOBAL, reg, context.ConstIndex(LString(ex.(*ast.IdentExpr).Value)), line)
			reg -= 1
		case ecUpvalue:
			code.AddABC(OP_SETUPVAL, reg, context.refUpvalue(ex.(*ast.IdentExpr).Value, nextLine(ex.(*ast.IdentExpr))), 0, line)
			reg -= 1
		case ecTable:
			opcode := OP_SETTABLE
			if acs[i].keyks {
				opcode = OP_SETTABLEKS
			}
			code.AddABC(opcode, acs[i].ec.reg, acs[i].keyrk, acs[i].valuerk, line)
			// moonpin: only a value in its own register (not a constant,
			// nor a local's register that PropagateKMV took instead) frees
			// one; upstream freed one for a local too, so an earlier
			// target took its value from the wrong register once values
			// stayed in registers (f, a.d = f, d; upstream issue #315).
			if !opIsK(acs[i].valuerk) && acs[i].valuerk == reg {
				reg -= 1
			}
		}
	}
} // }}}

func compileRegAssignment(context *funcContext, names []string, exprs []ast.Expr, reg int, nvars int, line int) { // {{{
	lennames := len(names)
	lenexprs := len(exprs)
	namesassigned := 0
	ec := &expcontext{}

	for namesassigned < lennames && namesassigned < lenexprs {
		if isVarArgReturnExpr(exprs[namesassigned]) && (lenexprs-namesassigned-1) <= 0 {

			varargopt := nvars - namesassigned
			ecupdate(ec, ecVararg, reg, varargopt-1)
			compileExpr(context, reg, exprs[namesassigned], ec)
			reg += varargopt
			namesassigned = lennames
		} else {
			ecupdate(ec, ecLocal, reg, 0)
			compileExpr(context, reg, exprs[namesassigned], ec)
			reg += 1
			namesassigned += 1
		}
	}

	// extra left names
	if lennames > namesassigned {
		restleft := lennames - namesassigned - 1
		// moonpin: none at a function's start, where the registers are
		// nil already, as Lua 5.1's luaK_nil (a line hook sees no line
		// for `local a` there).
		if context.Code.LastPC() >= 0 {
			context.Code.AddLoadNil(reg, reg+restleft, line)
		}
		reg += restleft
	}

	// extra right exprs
	for i := namesassigned; i < lenexprs; i++ {
		varargopt := -1
		if i != lenexprs-1 {
			varargopt = 0
		}
		ecupdate(ec, ecNone, reg, varargopt)
		reg += compileExpr(context, reg, exprs[i], ec)
	}
} // }}}

func compileLocalAssignStmt(context *funcContext, stmt *ast.LocalAssignStmt) { // {{{
	reg := context.RegTop()
	if len(stmt.Names) == 1 && len(stmt.Exprs) == 1 {
		if _, ok := stmt.Exprs[0].(*ast.FunctionExpr); ok {
			context.RegisterLocalVar(stmt.Names[0])
			compileRegAssignment(context, stmt.Names, stmt.Exprs, reg, len(stmt.Names), sline(stmt))
			return
		}
	}

	compileRegAssignment(context, stmt.Names, stmt.Exprs, reg, len(stmt.Names), sline(stmt))
	// moonpin: the statement's line for the limit, which RegisterLocalVar
	// takes from the last instruction, and `local a` at a function's start
	// has none.
	if context.BlockLocalVarsCount()+len(stmt.Names) > maxLocalVars {
		raiseCompileError(context, sline(stmt), "%s", limitMessage(context.Proto.LineDefined, maxLocalVars, "local variables"))
	}
	for _, name := range stmt.Names {
		context.RegisterLocalVar(name)
	}
} // }}}

func compileReturnStmt(context *funcContext, stmt *ast.ReturnStmt) { // {{{
	lenexprs := len(stmt.Exprs)
	code := context.Code
	reg := context.RegTop()
	a := reg
	lastisvaarg := false

	if lenexprs == 1 {
		switch ex := stmt.Exprs[0].(type) {
		case *ast.IdentExpr:
			if idx := context.FindLocalVar(ex.Value); idx > -1 {
				code.AddABC(OP_RETURN, idx, 2, 0, sline(stmt))
				return
			}
		case *ast.FuncCallExpr:
			if ex.AdjustRet { // return (func())
				reg += compileExpr(context, reg, ex, ecnone(0))
			} else {
				reg += compileExpr(context, reg, ex, ecnone(-2))
				code.SetOpCode(code.LastPC(), OP_TAILCALL)
			}
			code.AddABC(OP_RETURN, a, 0, 0, sline(stmt))
			return
		}
	}

	for i, expr := range stmt.Exprs {
		if i == lenexprs-1 && isVarArgReturnExpr(expr) {
			compileExpr(context, reg, expr, ecnone(-2))
			lastisvaarg = true
		} else {
			reg += compileExpr(context, reg, expr, ecnone(0))
		}
	}
	count := reg - a + 1
	if lastisvaarg {
		count = 0
	}
	context.Code.AddABC(OP_RETURN, a, count, 0, sline(stmt))
} // }}}

func compileIfStmt(context *funcContext, stmt *ast.IfStmt) { // {{{
	thenlabel := context.NewLabel()
	elselabel := context.NewLabel()
	endlabel := context.NewLabel()

	compileBranchCondition(context, context.RegTop(), stmt.Condition, thenlabel, elselabel, false)
	context.SetLabelPc(thenlabel, context.Code.LastPC())
	compileBlock(context, stmt.Then)
	if len(stmt.Else) > 0 {
		context.Code.AddASbx(OP_JMP, 0, endlabel, context.lastLine(sline(stmt)))
	}
	context.SetLabelPc(elselabel, context.Code.LastPC())
	if len(stmt.Else) > 0 {
		compileBlock(context, stmt.Else)
		context.SetLabelPc(endlabel, context.Code.LastPC())
	}

} // }}}

func compileBranchCondition(context *funcContext, reg int, expr ast.Expr, thenlabel, elselabel int, hasnextcond bool) { // {{{
	// TODO folding constants?
	code := context.Code
	flip := 0
	jumplabel := elselabel
	if hasnextcond {
		flip = 1
		jumplabel = thenlabel
	}

	switch ex := expr.(type) {
	case *ast.FalseExpr, *ast.NilExpr:
		if !hasnextcond {
			code.AddASbx(OP_JMP, 0, elselabel, sline(expr))
			return
		}
	case *ast.TrueExpr, *ast.NumberExpr, *ast.StringExpr:
		if !hasnextcond {
			return
		}
	case *ast.UnaryNotOpExpr:
		compileBranchCondition(context, reg, ex.Expr, elselabel, thenlabel, !hasnextcond)
		return
	case *ast.LogicalOpExpr:
		if folded := foldLogical(ex); folded != expr {
			compileBranchCondition(context, reg, folded, thenlabel, elselabel, hasnextcond)
			return
		}
		switch ex.Operator {
		case "and":
			nextcondlabel := context.NewLabel()
			compileBranchCondition(context, reg, ex.Lhs, nextcondlabel, elselabel, false)
			context.SetLabelPc(nextcondlabel, context.Code.LastPC())
			compileBranchCondition(context, reg, ex.Rhs, thenlabel, elselabel, hasnextcond)
		case "or":
			nextcondlabel := context.NewLabel()
			compileBranchCondition(context, reg, ex.Lhs, thenlabel, nextcondlabel, true)
			context.SetLabelPc(nextcondlabel, context.Code.LastPC())
			compileBranchCondition(context, reg, ex.Rhs, thenlabel, elselabel, hasnextcond)
		}
		return
	case *ast.RelationalOpExpr:
		compileRelationalOpExprAux(context, reg, ex, flip, jumplabel)
		return
	}

	a := reg
	compileExprWithMVPropagation(context, expr, &reg, &a)
	code.AddABC(OP_TEST, a, 0, 0^flip, sline(expr))
	code.AddASbx(OP_JMP, 0, jumplabel, sline(expr))
} // }}}

func compileWhileStmt(context *funcContext, stmt *ast.WhileStmt) { // {{{
	thenlabel := context.NewLabel()
	elselabel := context.NewLabel()
	condlabel := context.NewLabel()

	start := context.Code.LastPC()
	context.SetLabelPc(condlabel, start)
	compileBranchCondition(context, context.RegTop(), stmt.Condition, thenlabel, elselabel, false)
	context.SetLabelPc(thenlabel, context.Code.LastPC())
	context.EnterBlock(elselabel, stmt)
	compileChunk(context, stmt.Stmts, false)
	context.CloseUpvalues()
	// moonpin: the jump back is on the line of the loop's last code, as
	// 5.1's; a loop with none (`while true do end`) is on its own line
	// (it took the line of the code before the loop, where an interrupt
	// of the loop was then reported).
	line := stmt.Line()
	if context.Code.LastPC() > start {
		line = context.lastLine(eline(stmt))
	}
	context.Code.AddASbx(OP_JMP, 0, condlabel, line)
	context.LeaveBlock()
	context.SetLabelPc(elselabel, context.Code.LastPC())
} // }}}

func compileRepeatStmt(context *funcContext, stmt *ast.RepeatStmt) { // {{{
	initlabel := context.NewLabel()
	thenlabel := context.NewLabel()
	elselabel := context.NewLabel()

	context.SetLabelPc(initlabel, context.Code.LastPC())
	context.SetLabelPc(elselabel, context.Code.LastPC())
	context.EnterBlock(thenlabel, stmt)
	compileChunk(context, stmt.Stmts, true)
	compileBranchCondition(context, context.RegTop(), stmt.Condition, thenlabel, elselabel, false)

	context.SetLabelPc(thenlabel, context.Code.LastPC())
	n := context.LeaveBlock()

	if n > -1 {
		label := context.NewLabel()
		context.Code.AddASbx(OP_JMP, 0, label, eline(stmt))
		context.SetLabelPc(elselabel, context.Code.LastPC())
		context.Code.AddABC(OP_CLOSE, n, 0, 0, eline(stmt))
		context.Code.AddASbx(OP_JMP, 0, initlabel, eline(stmt))
		context.SetLabelPc(label, context.Code.LastPC())
	}

} // }}}

func compileBreakStmt(context *funcContext, stmt *ast.BreakStmt) { // {{{
	for block := context.Block; block != nil; block = block.Parent {
		if label := block.BreakLabel; label != labelNoJump {
			if block.RefUpvalue {
				context.Code.AddABC(OP_CLOSE, block.Parent.LocalVars.LastIndex(), 0, 0, sline(stmt))
			}
			context.Code.AddASbx(OP_JMP, 0, label, sline(stmt))
			return
		}
	}
	raiseCompileError(context, sline(stmt), "no loop to break")
} // }}}

func compileFuncDefStmt(context *funcContext, stmt *ast.FuncDefStmt) { // {{{
	if stmt.Name.Func == nil {
		reg := context.RegTop()
		var treg, kreg int
		compileExprWithKMVPropagation(context, stmt.Name.Receiver, &reg, &treg)
		kreg = loadRk(context, &reg, stmt.Func, LString(stmt.Name.Method))
		compileExpr(context, reg, stmt.Func, ecfuncdef)
		context.Code.AddABC(OP_SETTABLE, treg, kreg, reg, sline(stmt.Name.Receiver))
	} else {
		astmt := &ast.AssignStmt{Lhs: []ast.Expr{stmt.Name.Func}, Rhs: []ast.Expr{stmt.Func}}
		astmt.SetLine(sline(stmt.Func))
		// moonpin: 5.1 stores a function statement's function on the
		// line of its 'function' (funcstat's luaK_fixline).
		astmt.SetLastLine(sline(stmt.Func))
		compileAssignStmt(context, astmt)
	}
} // }}}

func compileNumberForStmt(context *funcContext, stmt *ast.NumberForStmt) { // {{{
	code := context.Code
	endlabel := context.NewLabel()
	ec := &expcontext{}

	context.EnterBlock(endlabel, stmt)
	reg := context.RegTop()
	hidden := len(context.Proto.DbgLocals)
	rindex := context.RegisterLocalVar("(for index)")
	ecupdate(ec, ecLocal, rindex, 0)
	compileExpr(context, reg, stmt.Init, ec)

	reg = context.RegTop()
	rlimit := context.RegisterLocalVar("(for limit)")
	ecupdate(ec, ecLocal, rlimit, 0)
	compileExpr(context, reg, stmt.Limit, ec)

	reg = context.RegTop()
	rstep := context.RegisterLocalVar("(for step)")
	// moonpin: FORPREP, which checks the three values, is on the line of
	// the 'do' in 5.1; here that of the last value's last token.
	prepLine := opLine(stmt.Limit)
	if stmt.Step != nil {
		prepLine = opLine(stmt.Step)
	}
	if stmt.Step == nil {
		stmt.Step = &ast.NumberExpr{Value: "1"}
		stmt.Step.SetLine(sline(stmt.Init))
	}
	ecupdate(ec, ecLocal, rstep, 0)
	compileExpr(context, reg, stmt.Step, ec)
	context.activateLastLocals(3)

	code.AddASbx(OP_FORPREP, rindex, 0, prepLine)

	context.RegisterLocalVar(stmt.Name)

	bodypc := code.LastPC()
	compileChunk(context, stmt.Stmts, false)

	context.LeaveBlock()

	flpc := code.LastPC()
	code.AddASbx(OP_FORLOOP, rindex, bodypc-(flpc+1), sline(stmt))
	context.extendLocals(hidden, 3)

	context.SetLabelPc(endlabel, code.LastPC())
	code.SetSbx(bodypc, flpc-bodypc)

} // }}}

func compileGenericForStmt(context *funcContext, stmt *ast.GenericForStmt) { // {{{
	code := context.Code
	endlabel := context.NewLabel()
	bodylabel := context.NewLabel()
	fllabel := context.NewLabel()
	nnames := len(stmt.Names)

	context.EnterBlock(endlabel, stmt)
	// moonpin: the expressions set the hidden locals as `local f, s, c =
	// explist` does, before they are registered, as Lua 5.1's forlist.
	// Upstream registered them first and passed the loop's names, so a
	// missing value was not set to nil (the control variable kept what the
	// register held before; upstream issue #514) and a constant key in the
	// expressions was loaded into a register (the error naming the field
	// '?').
	compileRegAssignment(context, forHiddenLocals[:], stmt.Exprs, context.RegTop(), len(forHiddenLocals), sline(stmt))
	hidden := len(context.Proto.DbgLocals)
	rgen := context.RegisterLocalVar(forHiddenLocals[0])
	context.RegisterLocalVar(forHiddenLocals[1])
	context.RegisterLocalVar(forHiddenLocals[2])

	code.AddASbx(OP_JMP, 0, fllabel, sline(stmt))

	for _, name := range stmt.Names {
		context.RegisterLocalVar(name)
	}

	context.SetLabelPc(bodylabel, code.LastPC())
	compileChunk(context, stmt.Stmts, false)

	context.LeaveBlock()

	context.SetLabelPc(fllabel, code.LastPC())
	// moonpin: the line of the loop's first expression, as Lua 5.1's
	// forlist, so an error calling the iterator names it.
	code.AddABC(OP_TFORLOOP, rgen, 0, nnames, sline(stmt.Exprs[0]))
	code.AddASbx(OP_JMP, 0, bodylabel, sline(stmt))
	context.extendLocals(hidden, len(forHiddenLocals))

	context.SetLabelPc(endlabel, code.LastPC())
} // }}}

func compileLabelStmt(context *funcContext, stmt *ast.LabelStmt, isLastStmt bool) { // {{{
	labelId := context.NewLabel()
	label := newLabelDesc(labelId, stmt.Name, context.Code.LastPC(), sline(stmt), context.BlockLocalVarsCount())
	context.AddNamedLabel(label)
	if isLastStmt {
		label.SetNumActiveLocalVars(context.Block.Parent.LocalVarsCount())
	}
	context.ResolveForwardGoto(label)
} // }}}

func compileGotoStmt(context *funcContext, stmt *ast.GotoStmt) { // {{{
	context.Code.AddABC(OP_CLOSE, 0, 0, 0, sline(stmt))
	context.Code.AddASbx(OP_JMP, 0, labelNoJump, sline(stmt))
	label := newLabelDesc(-1, stmt.Label, context.Code.LastPC(), sline(stmt), context.BlockLocalVarsCount())
	context.AddUnresolvedGoto(label)
	context.FindLabel(context.Block, label, context.gotosCount-1)
} // }}}

func compileExpr(context *funcContext, reg int, expr ast.Expr, ec *expcontext) int { // {{{
	context.poll()
	context.enter(sline(expr))
	defer context.leave()
	code := context.Code
	sreg := savereg(ec, reg)
	sused := 1
	if sreg < reg {
		sused = 0
	}

	switch ex := expr.(type) {
	case *ast.StringExpr:
		code.AddABx(OP_LOADK, sreg, context.ConstIndex(LString(ex.Value)), sline(ex))
		return sused
	case *ast.NumberExpr:
		num, err := parseNumber(ex.Value)
		if err != nil {
			num = LNumber(math.NaN())
		}
		code.AddABx(OP_LOADK, sreg, context.ConstIndex(num), sline(ex))
		return sused
	case *constLValueExpr:
		code.AddABx(OP_LOADK, sreg, context.ConstIndex(ex.Value), sline(ex))
		return sused
	case *ast.NilExpr:
		code.AddLoadNil(sreg, sreg, sline(ex))
		return sused
	case *ast.FalseExpr:
		code.AddABC(OP_LOADBOOL, sreg, 0, 0, sline(ex))
		return sused
	case *ast.TrueExpr:
		code.AddABC(OP_LOADBOOL, sreg, 1, 0, sline(ex))
		return sused
	case *ast.IdentExpr:
		switch getIdentRefType(context, context, ex) {
		case ecGlobal:
			code.AddABx(OP_GETGLOBAL, sreg, context.ConstIndex(LString(ex.Value)), takenLine(ex))
		case ecUpvalue:
			code.AddABC(OP_GETUPVAL, sreg, context.refUpvalue(ex.Value, nextLine(ex)), 0, takenLine(ex))
		case ecLocal:
			b := context.FindLocalVar(ex.Value)
			code.AddABC(OP_MOVE, sreg, b, 0, takenLine(ex))
		}
		return sused
	case *ast.Comma3Expr:
		if context.Proto.IsVarArg == 0 {
			raiseCompileError(context, sline(ex), "cannot use '...' outside a vararg function near '...'") // moonpin: 5.1's words
		}
		context.Proto.IsVarArg &= ^VarArgNeedsArg
		code.AddABC(OP_VARARG, sreg, 2+ec.varargopt, 0, sline(ex))
		if context.RegTop() > (sreg+2+ec.varargopt) || ec.varargopt < -1 {
			return 0
		}
		return (sreg + 1 + ec.varargopt) - reg
	case *ast.AttrGetExpr:
		a := sreg
		b := reg
		compileExprWithMVPropagation(context, ex.Object, &reg, &b)
		c := reg
		compileExprWithKMVPropagation(context, ex.Key, &reg, &c)
		opcode := OP_GETTABLE
		if _, ok := ex.Key.(*ast.StringExpr); ok {
			opcode = OP_GETTABLEKS
		}
		code.AddABC(opcode, a, b, c, takenLine(ex))
		return sused
	case *ast.TableExpr:
		compileTableExpr(context, reg, ex, ec)
		return 1
	case *ast.ArithmeticOpExpr:
		compileArithmeticOpExpr(context, reg, ex, ec)
		return sused
	case *ast.StringConcatOpExpr:
		compileStringConcatOpExpr(context, reg, ex, ec)
		return sused
	case *ast.UnaryMinusOpExpr, *ast.UnaryNotOpExpr, *ast.UnaryLenOpExpr:
		compileUnaryOpExpr(context, reg, ex, ec)
		return sused
	case *ast.RelationalOpExpr:
		compileRelationalOpExpr(context, reg, ex, ec)
		return sused
	case *ast.LogicalOpExpr:
		if folded := foldLogical(ex); folded != expr {
			return compileExpr(context, reg, folded, ec)
		}
		compileLogicalOpExpr(context, reg, ex, ec)
		return sused
	case *ast.FuncCallExpr:
		return compileFuncCallExpr(context, reg, ex, ec)
	case *ast.FunctionExpr:
		childcontext := newFuncContext(context.Proto.SourceName, context)
		compileFunctionExpr(childcontext, ex, ec)
		protono := len(context.Proto.FunctionPrototypes)
		context.Proto.FunctionPrototypes = append(context.Proto.FunctionPrototypes, childcontext.Proto)
		// moonpin: on the line of the function's `end`, where Lua 5.1
		// makes the closure (a line hook sees it there).
		code.AddABx(OP_CLOSURE, sreg, protono, eline(ex))
		for _, upvalue := range childcontext.Upvalues.List() {
			localidx, block := context.FindLocalVarAndBlock(upvalue.Name)
			if localidx > -1 {
				code.AddABC(OP_MOVE, 0, localidx, 0, eline(ex))
				block.RefUpvalue = true
			} else {
				upvalueidx := context.refUpvalue(upvalue.Name, childcontext.upvalueLines[upvalue.Name])
				code.AddABC(OP_GETUPVAL, 0, upvalueidx, 0, eline(ex))
			}
		}
		return sused
	default:
		panic(fmt.Sprintf("expr %v not implemented.", reflect.TypeOf(ex).Elem().Name()))
	}

} // }}}

func compileExprWithPropagation(context *funcContext, expr ast.Expr, reg *int, save *int, propergator func(int, *int, *int, int)) { // {{{
	reginc := compileExpr(context, *reg, expr, ecnone(0))
	if _, ok := expr.(*ast.LogicalOpExpr); ok {
		*save = *reg
		*reg = *reg + reginc
	} else {
		propergator(context.RegTop(), save, reg, reginc)
	}
} // }}}

func compileExprWithKMVPropagation(context *funcContext, expr ast.Expr, reg *int, save *int) { // {{{
	compileExprWithPropagation(context, expr, reg, save, context.Code.PropagateKMV)
} // }}}

func compileExprWithMVPropagation(context *funcContext, expr ast.Expr, reg *int, save *int) { // {{{
	compileExprWithPropagation(context, expr, reg, save, context.Code.PropagateMV)
} // }}}

func constFold(context *funcContext, exp ast.Expr) ast.Expr { // {{{
	context.enter(sline(exp))
	defer context.leave()
	switch expr := exp.(type) {
	case *ast.ArithmeticOpExpr:
		lvalue, lisconst := lnumberValue(constFold(context, expr.Lhs))
		rvalue, risconst := lnumberValue(constFold(context, expr.Rhs))
		if lisconst && risconst {
			switch expr.Operator {
			case "+":
				return &constLValueExpr{Value: lvalue + rvalue}
			case "-":
				return &constLValueExpr{Value: lvalue - rvalue}
			case "*":
				return &constLValueExpr{Value: lvalue * rvalue}
			case "/":
				return &constLValueExpr{Value: lvalue / rvalue}
			case "%":
				return &constLValueExpr{Value: luaModulo(lvalue, rvalue)}
			case "^":
				return &constLValueExpr{Value: LNumber(powOf(float64(lvalue), float64(rvalue)))}
			default:
				panic(fmt.Sprintf("unknown binop: %v", expr.Operator))
			}
		} else {
			return expr
		}
	case *ast.UnaryMinusOpExpr:
		expr.Expr = constFold(context, expr.Expr)
		if value, ok := lnumberValue(expr.Expr); ok {
			return &constLValueExpr{Value: LNumber(-value)}
		}
		return expr
	default:

		return exp
	}
} // }}}

func compileFunctionExpr(context *funcContext, funcexpr *ast.FunctionExpr, ec *expcontext) { // {{{
	context.Proto.LineDefined = sline(funcexpr)
	context.Proto.LastLineDefined = eline(funcexpr)
	if len(funcexpr.ParList.Names) > maxRegisters {
		raiseCompileError(context, context.Proto.LineDefined, "register overflow")
	}
	context.Proto.NumParameters = uint8(len(funcexpr.ParList.Names))
	if ec.ctype == ecMethod {
		context.Proto.NumParameters += 1
		context.RegisterLocalVar("self")
	}
	for _, name := range funcexpr.ParList.Names {
		context.RegisterLocalVar(name)
	}
	if funcexpr.ParList.HasVargs {
		if CompatVarArg {
			// moonpin: a main chunk has no `arg` local, as in Lua 5.1, so
			// the VM must not make one (it wrote the table into the
			// chunk's first register, where `local a` found it once the
			// LOADNIL at a function's start was dropped).
			context.Proto.IsVarArg = VarArgHasArg
			if context.Parent != nil {
				context.Proto.IsVarArg |= VarArgNeedsArg
				context.RegisterLocalVar("arg")
			}
		}
		context.Proto.IsVarArg |= VarArgIsVarArg
	}

	compileChunk(context, funcexpr.Stmts, false)

	context.Code.AddABC(OP_RETURN, 0, 1, 0, eline(funcexpr))
	context.EndScope()
	context.CheckUnresolvedGoto()
	context.Proto.Code = context.Code.List()
	context.Proto.DbgSourcePositions = context.Code.PosList()
	context.Proto.DbgUpvalues = context.Upvalues.Names()
	context.checkUpvalues()
	context.Proto.NumUpvalues = uint8(len(context.Proto.DbgUpvalues))
	for _, clv := range context.Proto.Constants {
		sv := ""
		var box *string
		if slv, ok := clv.(LString); ok {
			sv = string(slv)
			box = stringBox(clv)
		}
		context.Proto.stringConstants = append(context.Proto.stringConstants, sv)
		context.Proto.stringBoxes = append(context.Proto.stringBoxes, box)
	}
	patchCode(context)
	context.Proto.trim()
} // }}}

func compileTableExpr(context *funcContext, reg int, ex *ast.TableExpr, ec *expcontext) { // {{{
	code := context.Code
	/*
		tablereg := savereg(ec, reg)
		if tablereg == reg {
			reg += 1
		}
	*/
	tablereg := reg
	reg++
	code.AddABC(OP_NEWTABLE, tablereg, 0, 0, sline(ex))
	tablepc := code.LastPC()
	regbase := reg

	arraycount := 0
	// pending: items in registers not yet stored by a SETLIST (moonpin:
	// a keyed field after the 50th item, or any multiple of 50, stored
	// the 50 registers again, its own key and value now in the first of
	// them: {7, 7, ... (50 items), x = {}} had t[1] == x's table)
	pending := 0
	lastvararg := false
	for i, field := range ex.Fields {
		islast := i == len(ex.Fields)-1
		if field.Key == nil {
			if islast && isVarArgReturnExpr(field.Value) {
				reg += compileExpr(context, reg, field.Value, ecnone(-2))
				lastvararg = true
			} else {
				reg += compileExpr(context, reg, field.Value, ecnone(0))
				arraycount += 1
				pending += 1
			}
		} else {
			regorg := reg
			b := reg
			compileExprWithKMVPropagation(context, field.Key, &reg, &b)
			c := reg
			compileExprWithKMVPropagation(context, field.Value, &reg, &c)
			opcode := OP_SETTABLE
			if _, ok := field.Key.(*ast.StringExpr); ok {
				opcode = OP_SETTABLEKS
			}
			code.AddABC(opcode, tablereg, b, c, sline(ex))
			reg = regorg
		}
		if pending == FieldsPerFlush || (islast && pending > 0) || lastvararg {
			reg = regbase
			// the block of the first item stored: a call's results
			// after a flushed block begin the next one
			c := (arraycount-pending)/FieldsPerFlush + 1
			b := pending
			pending = 0
			if islast && isVarArgReturnExpr(field.Value) {
				b = 0
			}
			line := sline(field.Value)
			if field.Key != nil {
				line = sline(field.Key)
			}
			if islast && ex.LastLine() != 0 {
				line = ex.LastLine() // moonpin: the '}', as 5.1's lastlistfield
			}
			// moonpin: a block number over 511 goes in the next instruction
			// word; upstream wrote 0 there, so a constructor lost every item
			// past 25550 (511 blocks of 50).
			if c > 511 {
				code.AddABC(OP_SETLIST, tablereg, b, 0, line)
				code.Add(uint32(c), line)
			} else {
				code.AddABC(OP_SETLIST, tablereg, b, c, line)
			}
		}
	}
	code.SetB(tablepc, int2Fb(arraycount))
	code.SetC(tablepc, int2Fb(len(ex.Fields)-arraycount))
	if shouldmove(ec, tablereg) {
		code.AddABC(OP_MOVE, ec.reg, tablereg, 0, sline(ex))
	}
} // }}}

func compileArithmeticOpExpr(context *funcContext, reg int, expr *ast.ArithmeticOpExpr, ec *expcontext) { // {{{
	exp := constFold(context, expr)
	if ex, ok := exp.(*constLValueExpr); ok {
		exp.SetLine(sline(expr))
		compileExpr(context, reg, ex, ec)
		return
	}
	expr, _ = exp.(*ast.ArithmeticOpExpr)
	a := savereg(ec, reg)
	b := reg
	compileExprWithKMVPropagation(context, expr.Lhs, &reg, &b)
	c := reg
	compileExprWithKMVPropagation(context, expr.Rhs, &reg, &c)

	op := 0
	switch expr.Operator {
	case "+":
		op = OP_ADD
	case "-":
		op = OP_SUB
	case "*":
		op = OP_MUL
	case "/":
		op = OP_DIV
	case "%":
		op = OP_MOD
	case "^":
		op = OP_POW
	}
	context.Code.AddABC(op, a, b, c, opLine(expr))
} // }}}

func compileStringConcatOpExpr(context *funcContext, reg int, expr *ast.StringConcatOpExpr, ec *expcontext) { // {{{
	code := context.Code
	crange := 1
	for current := expr.Rhs; current != nil; {
		if ex, ok := current.(*ast.StringConcatOpExpr); ok {
			crange += 1
			current = ex.Rhs
		} else {
			current = nil
		}
	}
	a := savereg(ec, reg)
	basereg := reg
	reg += compileExpr(context, reg, expr.Lhs, ecnone(0))
	reg += compileExpr(context, reg, expr.Rhs, ecnone(0))
	for pc := code.LastPC(); pc != 0 && opGetOpCode(code.At(pc)) == OP_CONCAT; pc-- {
		code.Pop()
	}
	code.AddABC(OP_CONCAT, a, basereg, basereg+crange, opLine(expr))
} // }}}

func compileUnaryOpExpr(context *funcContext, reg int, expr ast.Expr, ec *expcontext) { // {{{
	opcode := 0
	code := context.Code
	var operandexpr ast.Expr
	switch ex := expr.(type) {
	case *ast.UnaryMinusOpExpr:
		exp := constFold(context, ex)
		if lvexpr, ok := exp.(*constLValueExpr); ok {
			exp.SetLine(sline(expr))
			compileExpr(context, reg, lvexpr, ec)
			return
		}
		ex, _ = exp.(*ast.UnaryMinusOpExpr)
		operandexpr = ex.Expr
		opcode = OP_UNM
	case *ast.UnaryNotOpExpr:
		switch ex.Expr.(type) {
		case *ast.TrueExpr:
			code.AddABC(OP_LOADBOOL, savereg(ec, reg), 0, 0, sline(expr))
			return
		case *ast.FalseExpr, *ast.NilExpr:
			code.AddABC(OP_LOADBOOL, savereg(ec, reg), 1, 0, sline(expr))
			return
		default:
			opcode = OP_NOT
			operandexpr = ex.Expr
		}
	case *ast.UnaryLenOpExpr:
		opcode = OP_LEN
		operandexpr = ex.Expr
	}

	a := savereg(ec, reg)
	b := reg
	compileExprWithMVPropagation(context, operandexpr, &reg, &b)
	code.AddABC(opcode, a, b, 0, opLine(expr))
} // }}}

func compileRelationalOpExprAux(context *funcContext, reg int, expr *ast.RelationalOpExpr, flip int, label int) { // {{{
	code := context.Code
	b := reg
	compileExprWithKMVPropagation(context, expr.Lhs, &reg, &b)
	c := reg
	compileExprWithKMVPropagation(context, expr.Rhs, &reg, &c)
	switch expr.Operator {
	case "<":
		code.AddABC(OP_LT, 0^flip, b, c, opLine(expr))
	case ">":
		code.AddABC(OP_LT, 0^flip, c, b, opLine(expr))
	case "<=":
		code.AddABC(OP_LE, 0^flip, b, c, opLine(expr))
	case ">=":
		code.AddABC(OP_LE, 0^flip, c, b, opLine(expr))
	case "==":
		code.AddABC(OP_EQ, 0^flip, b, c, opLine(expr))
	case "~=":
		code.AddABC(OP_EQ, 1^flip, b, c, opLine(expr))
	}
	code.AddASbx(OP_JMP, 0, label, opLine(expr))
} // }}}

func compileRelationalOpExpr(context *funcContext, reg int, expr *ast.RelationalOpExpr, ec *expcontext) { // {{{
	a := savereg(ec, reg)
	code := context.Code
	jumplabel := context.NewLabel()
	compileRelationalOpExprAux(context, reg, expr, 1, jumplabel)
	code.AddABC(OP_LOADBOOL, a, 0, 1, opLine(expr))
	context.SetLabelPc(jumplabel, code.LastPC())
	code.AddABC(OP_LOADBOOL, a, 1, 0, opLine(expr))
} // }}}

func compileLogicalOpExpr(context *funcContext, reg int, expr *ast.LogicalOpExpr, ec *expcontext) { // {{{
	a := savereg(ec, reg)
	code := context.Code
	endlabel := context.NewLabel()
	lb := &lblabels{context.NewLabel(), context.NewLabel(), endlabel, false}
	nextcondlabel := context.NewLabel()
	if expr.Operator == "and" {
		compileLogicalOpExprAux(context, reg, expr.Lhs, ec, nextcondlabel, endlabel, false, lb)
		context.SetLabelPc(nextcondlabel, code.LastPC())
		compileLogicalOpExprAux(context, reg, expr.Rhs, ec, endlabel, endlabel, false, lb)
	} else {
		compileLogicalOpExprAux(context, reg, expr.Lhs, ec, endlabel, nextcondlabel, true, lb)
		context.SetLabelPc(nextcondlabel, code.LastPC())
		compileLogicalOpExprAux(context, reg, expr.Rhs, ec, endlabel, endlabel, false, lb)
	}

	if lb.b {
		context.SetLabelPc(lb.f, code.LastPC())
		code.AddABC(OP_LOADBOOL, a, 0, 1, sline(expr))
		context.SetLabelPc(lb.t, code.LastPC())
		code.AddABC(OP_LOADBOOL, a, 1, 0, sline(expr))
	}

	lastinst := code.Last()
	if opGetOpCode(lastinst) == OP_JMP && opGetArgSbx(lastinst) == endlabel {
		code.Pop()
	}

	context.SetLabelPc(endlabel, code.LastPC())
} // }}}

func compileLogicalOpExprAux(context *funcContext, reg int, expr ast.Expr, ec *expcontext, thenlabel, elselabel int, hasnextcond bool, lb *lblabels) { // {{{
	// moonpin: `not k` is the constant true or false, as 5.1's codenot
	// makes it, so that its operator jumps as for the constant.
	if not, ok := expr.(*ast.UnaryNotOpExpr); ok {
		if truth, ok := constTruth(not); ok {
			var k ast.Expr = &ast.FalseExpr{}
			if truth {
				k = &ast.TrueExpr{}
			}
			k.SetLine(sline(expr))
			compileLogicalOpExprAux(context, reg, k, ec, thenlabel, elselabel, hasnextcond, lb)
			return
		}
	}
	context.enter(sline(expr))
	defer context.leave()
	// TODO folding constants?
	code := context.Code
	flip := 0
	jumplabel := elselabel
	if hasnextcond {
		flip = 1
		jumplabel = thenlabel
	}

	switch ex := expr.(type) {
	case *ast.FalseExpr:
		if elselabel == lb.e {
			code.AddASbx(OP_JMP, 0, lb.f, sline(expr))
			lb.b = true
		} else {
			code.AddASbx(OP_JMP, 0, elselabel, sline(expr))
		}
		return
	case *ast.NilExpr:
		if elselabel == lb.e {
			compileExpr(context, reg, expr, ec)
			code.AddASbx(OP_JMP, 0, lb.e, sline(expr))
		} else {
			code.AddASbx(OP_JMP, 0, elselabel, sline(expr))
		}
		return
	case *ast.TrueExpr:
		if thenlabel == lb.e {
			code.AddASbx(OP_JMP, 0, lb.t, sline(expr))
			lb.b = true
		} else {
			code.AddASbx(OP_JMP, 0, thenlabel, sline(expr))
		}
		return
	case *ast.NumberExpr, *ast.StringExpr:
		if thenlabel == lb.e {
			compileExpr(context, reg, expr, ec)
			code.AddASbx(OP_JMP, 0, lb.e, sline(expr))
		} else {
			code.AddASbx(OP_JMP, 0, thenlabel, sline(expr))
		}
		return
	case *ast.LogicalOpExpr:
		if folded := foldLogical(ex); folded != expr {
			compileLogicalOpExprAux(context, reg, folded, ec, thenlabel, elselabel, hasnextcond, lb)
			return
		}
		switch ex.Operator {
		case "and":
			nextcondlabel := context.NewLabel()
			compileLogicalOpExprAux(context, reg, ex.Lhs, ec, nextcondlabel, elselabel, false, lb)
			context.SetLabelPc(nextcondlabel, context.Code.LastPC())
			compileLogicalOpExprAux(context, reg, ex.Rhs, ec, thenlabel, elselabel, hasnextcond, lb)
		case "or":
			nextcondlabel := context.NewLabel()
			compileLogicalOpExprAux(context, reg, ex.Lhs, ec, thenlabel, nextcondlabel, true, lb)
			context.SetLabelPc(nextcondlabel, context.Code.LastPC())
			compileLogicalOpExprAux(context, reg, ex.Rhs, ec, thenlabel, elselabel, hasnextcond, lb)
		}
		return
	case *ast.RelationalOpExpr:
		if thenlabel == elselabel {
			flip ^= 1
			jumplabel = lb.t
			lb.b = true
		} else if thenlabel == lb.e {
			jumplabel = lb.t
			lb.b = true
		} else if elselabel == lb.e {
			jumplabel = lb.f
			lb.b = true
		}
		compileRelationalOpExprAux(context, reg, ex, flip, jumplabel)
		return
	}

	a := reg
	sreg := savereg(ec, a)
	isLastAnd := elselabel == lb.e && thenlabel != elselabel
	isLastOr := thenlabel == lb.e && hasnextcond

	if ident, ok := expr.(*ast.IdentExpr); ok && (isLastAnd || isLastOr) && getIdentRefType(context, context, ident) == ecLocal {
		b := context.FindLocalVar(ident.Value)
		op := OP_TESTSET
		if sreg == b {
			op = OP_TEST
		}
		code.AddABC(op, sreg, b, 0^flip, sline(expr))
	} else if !hasnextcond && thenlabel == elselabel {
		reg += compileExpr(context, reg, expr, &expcontext{ec.ctype, intMax(a, sreg), ec.varargopt})
		last := context.Code.Last()
		if opGetOpCode(last) == OP_MOVE && opGetArgA(last) == a {
			context.Code.SetA(context.Code.LastPC(), sreg)
		} else {
			context.Code.AddABC(OP_MOVE, sreg, a, 0, sline(expr))
		}
	} else {
		reg += compileExpr(context, reg, expr, ecnone(0))
		if !hasnextcond {
			code.AddABC(OP_TEST, a, 0, 0^flip, sline(expr))
		} else {
			code.AddABC(OP_TESTSET, sreg, a, 0^flip, sline(expr))
		}
	}
	code.AddASbx(OP_JMP, 0, jumplabel, sline(expr))
} // }}}

func compileFuncCallExpr(context *funcContext, reg int, expr *ast.FuncCallExpr, ec *expcontext) int { // {{{
	funcreg := reg
	if ec.ctype == ecLocal && ec.reg == (int(context.Proto.NumParameters)-1) {
		funcreg = ec.reg
		reg = ec.reg
	}
	argc := len(expr.Args)
	islastvararg := false
	name := "(anonymous)"

	if expr.Func != nil { // hoge.func()
		reg += compileExpr(context, reg, expr.Func, ecnone(0))
		name = getExprName(context, expr.Func)
	} else { // hoge:method()
		b := reg
		compileExprWithMVPropagation(context, expr.Receiver, &reg, &b)
		c := loadRk(context, &reg, expr, LString(expr.Method))
		context.Code.AddABC(OP_SELF, funcreg, b, c, expr.MethodLine)
		// increments a register for an implicit "self"
		reg = b + 1
		reg2 := funcreg + 2
		if reg2 > reg {
			reg = reg2
		}
		argc += 1
		name = string(expr.Method)
	}

	for i, ar := range expr.Args {
		islastvararg = (i == len(expr.Args)-1) && isVarArgReturnExpr(ar)
		if islastvararg {
			compileExpr(context, reg, ar, ecnone(-2))
		} else {
			reg += compileExpr(context, reg, ar, ecnone(0))
		}
	}
	b := argc + 1
	if islastvararg {
		b = 0
	}
	context.Code.AddABC(OP_CALL, funcreg, b, ec.varargopt+2, callLine(expr))
	context.Proto.DbgCalls = append(context.Proto.DbgCalls, DbgCall{Pc: context.Code.LastPC(), Name: name})

	if ec.varargopt == 0 && shouldmove(ec, funcreg) {
		context.Code.AddABC(OP_MOVE, ec.reg, funcreg, 0, callLine(expr))
		return 1
	}
	if context.RegTop() > (funcreg+2+ec.varargopt) || ec.varargopt < -1 {
		return 0
	}
	return ec.varargopt + 1
} // }}}

func loadRk(context *funcContext, reg *int, expr ast.Expr, cnst LValue) int { // {{{
	cindex := context.ConstIndex(cnst)
	if cindex <= opMaxIndexRk {
		return opRkAsk(cindex)
	} else {
		ret := *reg
		*reg++
		context.Code.AddABx(OP_LOADK, ret, cindex, sline(expr))
		return ret
	}
} // }}}

func getIdentRefType(context *funcContext, current *funcContext, expr *ast.IdentExpr) expContextType { // {{{
	if current == nil {
		return ecGlobal
	} else if current.FindLocalVar(expr.Value) > -1 {
		if current == context {
			return ecLocal
		}
		return ecUpvalue
	}
	return getIdentRefType(context, current.Parent, expr)
} // }}}

func getExprName(context *funcContext, expr ast.Expr) string { // {{{
	switch ex := expr.(type) {
	case *ast.IdentExpr:
		return ex.Value
	case *ast.AttrGetExpr:
		switch kex := ex.Key.(type) {
		case *ast.StringExpr:
			return kex.Value
		}
		return "?"
	}
	return "?"
} // }}}

// topRegister is the highest register inst sets or reads as patchCode
// counts them, -1 for none (moonpin).
func topRegister(inst uint32) int {
	switch opGetOpCode(inst) {
	case OP_CLOSURE, OP_SETGLOBAL, OP_SETUPVAL, OP_EQ, OP_LT, OP_LE, OP_TEST,
		OP_TAILCALL, OP_RETURN, OP_FORPREP, OP_FORLOOP, OP_TFORLOOP,
		OP_SETLIST, OP_CLOSE, OP_JMP, OP_NOP:
		return -1
	case OP_CALL:
		return opGetArgA(inst) + opGetArgC(inst) - 2
	case OP_VARARG:
		return opGetArgA(inst) + opGetArgB(inst) - 1
	case OP_SELF:
		return opGetArgA(inst) + 1
	case OP_LOADNIL:
		return opGetArgB(inst)
	}
	return opGetArgA(inst)
}

func patchCode(context *funcContext) { // {{{
	maxreg := 1
	if np := int(context.Proto.NumParameters); np > 1 {
		maxreg = np
	}
	moven := 0
	code := context.Code.List()
	for pc := 0; pc < len(code); pc++ {
		inst := code[pc]
		curop := opGetOpCode(inst)
		switch curop {
		case OP_CLOSURE:
			pc += int(context.Proto.FunctionPrototypes[opGetArgBx(inst)].NumUpvalues)
			moven = 0
			continue
		case OP_SETGLOBAL, OP_SETUPVAL, OP_EQ, OP_LT, OP_LE, OP_TEST,
			OP_TAILCALL, OP_RETURN, OP_FORPREP, OP_FORLOOP, OP_TFORLOOP,
			OP_SETLIST, OP_CLOSE:
			/* nothing to do */
		case OP_CALL:
			if reg := opGetArgA(inst) + opGetArgC(inst) - 2; reg > maxreg {
				maxreg = reg
			}
		case OP_VARARG:
			if reg := opGetArgA(inst) + opGetArgB(inst) - 1; reg > maxreg {
				maxreg = reg
			}
		case OP_SELF:
			if reg := opGetArgA(inst) + 1; reg > maxreg {
				maxreg = reg
			}
		case OP_LOADNIL:
			if reg := opGetArgB(inst); reg > maxreg {
				maxreg = reg
			}
		case OP_JMP: // jump to jump optimization
			distance := 0
			count := 0 // avoiding infinite loops
			for at, jmp := pc, inst; opGetOpCode(jmp) == OP_JMP && count < 5; at, jmp = pc+distance+1, context.Code.At(pc+distance+1) {
				// moonpin: a jump before this one has been resolved
				// already: its Sbx is a distance, not a label (upstream
				// read it as a label, and `if false then local x end` in
				// a generic for made the loop's jump back a NOP; upstream
				// issue #540).
				d := context.GetLabelPc(opGetArgSbx(jmp)) - pc
				if at < pc {
					d = at + opGetArgSbx(jmp) - pc
				}
				if d > opMaxArgSbx {
					if distance == 0 {
						// moonpin: 5.1's words, on the jump's line
						// (upstream: "too long to jump.", on the
						// function's).
						raiseCompileError(context, context.Code.lines[pc], "control structure too long")
					}
					break
				}
				distance = d
				count++
			}
			if distance == 0 {
				// moonpin: its distance is 0 as well: TFORLOOP reads the
				// jump after it whatever its opcode, and `for k in
				// pairs(t) do break end` (the loop's jump back threaded to
				// the break's target, the next instruction) jumped by the
				// label number left there: past the code's end ("index
				// out of range"), or elsewhere.
				context.Code.SetSbx(pc, 0)
				context.Code.SetOpCode(pc, OP_NOP)
			} else {
				context.Code.SetSbx(pc, distance)
			}
		default:
			if reg := opGetArgA(inst); reg > maxreg {
				maxreg = reg
			}
		}

		// bulk move optimization(reducing op dipatch costs)
		if curop == OP_MOVE {
			moven++
		} else {
			if moven > 1 {
				context.Code.SetOpCode(pc-moven, OP_MOVEN)
				context.Code.SetC(pc-moven, intMin(moven-1, opMaxArgsC))
			}
			moven = 0
		}
	}
	maxreg++
	if maxreg > maxRegisters {
		// moonpin: 5.1's words, on the line of the first instruction
		// that goes past the limit (upstream: "register overflow(too many
		// local variables)", on the function's line).
		line := context.Proto.LineDefined
		for pc, inst := range code {
			if topRegister(inst) >= maxRegisters {
				line = context.Code.lines[pc]
				break
			}
		}
		raiseCompileError(context, line, tooComplex)
	}
	context.Proto.NumUsedRegisters = uint8(maxreg)
} // }}}

func Compile(chunk []ast.Stmt, name string) (proto *FunctionProto, err error) { // {{{
	return compile(chunk, name, nil)
}

// compile is Compile that gives up with stopped's error when it has one
// (moonpin).
func compile(chunk []ast.Stmt, name string, stopped func() error) (proto *FunctionProto, err error) {
	defer func() {
		if rcv := recover(); rcv != nil {
			if _, ok := rcv.(*CompileError); ok {
				err = rcv.(error)
			} else {
				panic(rcv)
			}
		}
	}()
	err = nil
	parlist := &ast.ParList{HasVargs: true, Names: []string{}}
	funcexpr := &ast.FunctionExpr{ParList: parlist, Stmts: chunk}
	if len(chunk) > 0 {
		funcexpr.SetLastLine(sline(chunk[0]))
		// moonpin: the chunk's closing return is on its last line, as in
		// Lua 5.1 (upstream: the line after, which a line hook saw).
		funcexpr.SetLastLine(eline(chunk[len(chunk)-1]))
	}
	context := newFuncContext(name, nil)
	context.stop = &compileStop{stopped: stopped}
	compileFunctionExpr(context, funcexpr, ecnone(0))
	proto = context.Proto
	if s := context.stop; s.upvalueLine != 0 {
		// moonpin: on the line where 5.1 finds it, in the function
		// where it does (upstream had no limit).
		return nil, &CompileError{context: context, Line: s.upvalueLine,
			Message: limitMessage(s.upvalueFunc, maxUpvalues, "upvalues")}
	}
	return
} // }}}

// maxUpvalues and maxLocalVars are Lua 5.1's LUAI_MAXUPVALUES and
// LUAI_MAXVARS (moonpin: upstream had no limit on upvalues, and said "too
// many local variables" past 200 registers).
const (
	maxUpvalues  = 60
	maxLocalVars = 200
)

// limitMessage is Lua 5.1's errorlimit.
func limitMessage(lineDefined, limit int, what string) string {
	if lineDefined == 0 {
		return fmt.Sprintf("main function has more than %d %s", limit, what)
	}
	return fmt.Sprintf("function at line %d has more than %d %s", lineDefined, limit, what)
}
