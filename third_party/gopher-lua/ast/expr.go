package ast

type Expr interface {
	PositionHolder
	exprMarker()
	ParenEnd() int
	SetParenEnd(int)
}

type ExprBase struct {
	Node
	parenEnd int // moonpin: see ParenEnd
}

func (expr *ExprBase) exprMarker() {}

// ParenEnd is the line of the ')' that closes the parentheses around the
// expression, 0 if none (moonpin: an operator applied to it is on that
// line in Lua 5.1).
func (expr *ExprBase) ParenEnd() int { return expr.parenEnd }

// SetParenEnd records the line of the expression's closing ')'; the
// outermost parentheses are the last recorded.
func (expr *ExprBase) SetParenEnd(line int) { expr.parenEnd = line }

/* ConstExprs {{{ */

type ConstExpr interface {
	Expr
	constExprMarker()
}

type ConstExprBase struct {
	ExprBase
}

func (expr *ConstExprBase) constExprMarker() {}

type TrueExpr struct {
	ConstExprBase
}

type FalseExpr struct {
	ConstExprBase
}

type NilExpr struct {
	ConstExprBase
}

type NumberExpr struct {
	ConstExprBase

	Value string
}

type StringExpr struct {
	ConstExprBase

	Value string
}

/* ConstExprs }}} */

type Comma3Expr struct {
	ExprBase
	AdjustRet bool
}

type IdentExpr struct {
	ExprBase

	Value     string
	TakenLine int // moonpin: see TakenAt
	// NextLine is the line where the token after the name ends (moonpin):
	// where Lua 5.1's lexer stands when its parser resolves the name, the
	// line of its error when the name is an upvalue past its limit.
	NextLine int
}

type AttrGetExpr struct {
	ExprBase

	Object    Expr
	Key       Expr
	TakenLine int // moonpin: see TakenAt
}

// TakenAt records (moonpin) that the value of e, a variable or an index, is
// taken at the token on line: Lua 5.1's code generator emits the load of a
// variable (GETGLOBAL, GETTABLE) only when the syntax around it needs the
// value, which for the left operand of a binary operator is at the
// operator, for an item of a list of expressions at the ',' after it, for
// the last argument of a call at its ')', for a parenthesized expression
// at the ')', for an item of a table constructor at the separator after
// it or the '}', and for a method call's object at the method's name. The
// first record is kept: the value is taken once. Other expressions are
// emitted where they end and are left alone.
func TakenAt(e Expr, line int) {
	switch ex := e.(type) {
	case *IdentExpr:
		if ex.TakenLine == 0 {
			ex.TakenLine = line
		}
	case *AttrGetExpr:
		if ex.TakenLine == 0 {
			ex.TakenLine = line
		}
	}
}

type TableExpr struct {
	ExprBase

	Fields []*Field
}

type FuncCallExpr struct {
	ExprBase

	Func       Expr
	Receiver   Expr
	Method     string
	MethodLine int // moonpin: the line of the method's name
	ArgsLine   int // moonpin: the line of the arguments' '(', '{' or string
	Args       []Expr
	AdjustRet  bool
}

type LogicalOpExpr struct {
	ExprBase

	Operator string
	Lhs      Expr
	Rhs      Expr
}

type RelationalOpExpr struct {
	ExprBase

	Operator string
	Lhs      Expr
	Rhs      Expr
}

type StringConcatOpExpr struct {
	ExprBase

	Lhs Expr
	Rhs Expr
}

type ArithmeticOpExpr struct {
	ExprBase

	Operator string
	Lhs      Expr
	Rhs      Expr
}

type UnaryMinusOpExpr struct {
	ExprBase
	Expr Expr
}

type UnaryNotOpExpr struct {
	ExprBase
	Expr Expr
}

type UnaryLenOpExpr struct {
	ExprBase
	Expr Expr
}

type FunctionExpr struct {
	ExprBase

	ParList *ParList
	Stmts   []Stmt
}
