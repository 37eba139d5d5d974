package parse

// moonpin: "chunk has too many syntax levels" where Lua 5.1 says it.
//
// Lua 5.1's recursive-descent parser counts its own recursion (lparser.c
// enterlevel, against LUAI_MAXCCALLS, 200): one level for each block being
// read (its chunk(): the main chunk, a do, then, else, repeat, loop or
// function body) and one for each expression or operand being read (its
// subexpr(): an expression after '=', ',', 'return', 'if', a call's or a
// parenthesized '(', a '[', a table's field; and the operand after each
// unary or binary operator whose operand is not finished, so a chain of
// right-associative '..' or '^', or of unary operators, nests). It checks
// when it enters a level, at the first token of the block or operand, and
// the count it starts from is that of the C calls under the parser (its
// nCcalls): 1 for the script lua5.1 runs, 2 when that script calls
// loadstring, one more for each pcall or metamethod around it
// (ParseNested's calls; LState.Load counts them as the VM does).
//
// The fork's LR parser holds the same structure on its stack, which the
// parser hands to the lexer at each push (a hand edit in parser.go, see
// MOONPIN.md): each open block's opening token, each operator whose
// operand is being read, and each token after which an expression is being
// read, is one level. The lexer counts them before it hands the parser a
// token that enters a level, incrementally from the lowest entry the
// parser changed since the last token.

// maxCCalls is Lua 5.1's LUAI_MAXCCALLS, the C calls and syntax levels
// that may nest.
const maxCCalls = 200

// defaultCalls is the C calls under a chunk that Parse reads: loadstring's
// in a script that lua5.1 runs.
const defaultCalls = 2

// The nonterminals the count looks for, numbered as goyacc numbers them:
// by their order in parser.go.y's %type lines (TestMoonpinSyntaxLevels
// fails if that order changes).
const (
	ntChunk1    = 2
	ntBlock     = 3
	ntFuncname  = 7
	ntVarlist   = 9
	ntNamelist  = 11
	ntExprlist  = 12
	ntExpr      = 13
	ntFieldlist = 23
	ntField     = 24
	ntFieldsep  = 25
	ntCallopen  = 26
)

// symToken maps goyacc's internal token numbers to the lexer's.
var symToken []int

func init() {
	symToken = make([]int, len(yyToknames)+1)
	for ch, in := range yyTok1 {
		if in > 0 && int(in) < len(symToken) {
			symToken[in] = ch
		}
	}
	for i, in := range yyTok2 {
		if in > 0 && int(in) < len(symToken) {
			symToken[in] = yyPrivate + i
		}
	}
}

// level kinds of a stack entry.
const (
	lvNone   = iota
	lvBlock  // opens a block: do, then, else, repeat, a function body's ')'
	lvOp     // an operator: its operand is being read
	lvSlot   // an expression follows it
	lvFields // '{' or a field separator: a field follows it
)

// syntaxLevels follows the parser's stack.
type syntaxLevels struct {
	stack []yySymType // the parser's stack, its top last
	// cum[i] is the levels of entries 1..i, counted with the entries
	// above them as they were then; entries from valid on have been
	// pushed since.
	cum   []int
	valid int
	// pending is the count to check at the next token when a name
	// follows '{' or a field separator: 5.1 enters a level for it only
	// if it is not a field's name, which the token after it tells.
	pending int
	// max is the levels the chunk may have open, its main chunk's among
	// them: maxCCalls less the C calls under the parser.
	max int
}

// pushed is called by the parser when it pushes entry p of stack.
func (l *syntaxLevels) pushed(stack []yySymType, p int) {
	l.stack = stack[:p+1]
	if p < l.valid {
		l.valid = p
	}
}

// symbol is the grammar symbol entry i was pushed for: the lexer's token
// type for a token, minus the nonterminal's number for a nonterminal, 0
// outside the stack.
func (l *syntaxLevels) symbol(i int) int {
	if i < 1 || i >= len(l.stack) {
		return 0
	}
	c := int(yyChk[l.stack[i].yys])
	if c >= 0 {
		if c < len(symToken) {
			return symToken[c]
		}
		return 0
	}
	return c
}

// kind is what entry i, whose symbol is s, opens.
func (l *syntaxLevels) kind(i, s int) int {
	switch s {
	case TDo, TThen, TElse, TRepeat:
		return lvBlock
	case ')':
		// Only a function body's ')' stays on the stack: a call's and a
		// parenthesized expression's are reduced at once.
		return lvBlock
	case TOr, TAnd, '>', '<', TGte, TLte, TEqeq, TNeq, T2Comma, '+', '-', '*', '/', '%', '^', TNot, '#':
		return lvOp
	case '=', '[', TReturn, TIf, TElseIf, TWhile, TUntil, TIn, -ntCallopen:
		return lvSlot
	case ',':
		if b := l.symbol(i - 1); b == -ntExprlist || b == -ntExpr {
			return lvSlot // not a list of names or variables
		}
	case '(':
		if b := l.symbol(i - 1); b != TFunction && b != -ntFuncname && b != TIdent {
			return lvSlot // not a parameter list
		}
	case '{', -ntFieldsep:
		return lvFields
	}
	return lvNone
}

// active says whether entry i, of kind k, has its level open: the top's
// always; below it, a block until it is reduced, an operator until its
// operation is, and an expression's or field's opener until what follows
// it is finished.
func (l *syntaxLevels) active(i, k int) bool {
	if k == lvNone {
		return false
	}
	above, above2 := l.symbol(i+1), l.symbol(i+2)
	if above == 0 {
		return true
	}
	switch k {
	case lvBlock:
		return above != -ntBlock
	case lvOp:
		return true
	}
	switch above {
	case -ntExprlist, -ntFieldlist, -ntField, -ntBlock:
		return false
	case -ntExpr:
		switch above2 {
		case ',', TDo, TThen, ']':
			return false
		}
	}
	if k == lvFields {
		// A field's key or name is no expression.
		return above != '[' && !(above == TIdent && above2 == '=')
	}
	return true
}

// count returns the levels open on the stack, the main chunk's with them.
func (l *syntaxLevels) count() int {
	top := len(l.stack) - 1
	// An entry's count depends on the two above it.
	from := l.valid - 2
	if from < 1 {
		from = 1
	}
	if len(l.cum) < top+1 {
		l.cum = append(l.cum, make([]int, top+1-len(l.cum))...)
	}
	for i := from; i <= top; i++ {
		n := 0
		if i > 1 {
			n = l.cum[i-1]
		}
		if l.active(i, l.kind(i, l.symbol(i))) {
			n++
		}
		l.cum[i] = n
	}
	l.valid = top + 1
	if top < 1 {
		return 1
	}
	return 1 + l.cum[top]
}

// enters says whether tok, the next token, enters a level in Lua 5.1's
// parser, and the count of levels then; it may leave the answer to the
// token after it (pending).
func (l *syntaxLevels) enters(tok int) (bool, int) {
	if p := l.pending; p > 0 {
		l.pending = 0
		if tok != '=' {
			return true, p
		}
	}
	top := len(l.stack) - 1
	if top < 1 {
		return false, 0
	}
	s := l.symbol(top)
	k := l.kind(top, s)
	if s == -ntChunk1 && len(l.stack[top].stmts) == 0 && top > 1 && l.kind(top-1, l.symbol(top-1)) == lvBlock {
		// A block's first token: the parser has reduced its empty
		// list of statements already.
		return true, l.count()
	}
	switch {
	case k == lvNone:
		return false, 0
	case s == -ntCallopen && tok == ')':
		return false, 0
	case s == TReturn:
		switch tok {
		case TEnd, TElse, TElseIf, TUntil, ';', EOF:
			return false, 0
		}
	case k == lvFields:
		switch tok {
		case '}', '[':
			return false, 0
		case TIdent:
			l.pending = l.count()
			return false, 0
		}
	}
	return true, l.count()
}

// tooDeep says whether tok, the next token, takes the chunk past Lua
// 5.1's limit.
func (l *syntaxLevels) tooDeep(tok int) bool {
	if len(l.stack) <= l.max && l.pending == 0 {
		// Each level but the main chunk's is an entry of the stack
		// but the first: too few to pass the limit. What is pushed
		// meanwhile is counted when there are more.
		return false
	}
	in, n := l.enters(tok)
	return in && n > l.max
}
