package parse

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"reflect"
	"strconv"
	"strings"

	"github.com/yuin/gopher-lua/ast"
)

const EOF = -1

// tZero is the token of a zero byte in the source (moonpin), which the
// parser refuses as any character that starts no token; 5.1's messages
// name no token for it.
const tZero = 0x100

// moonpin: form feed and vertical tab are white space too, as C's isspace
// in Lua 5.1's lexer (upstream: "Invalid token").
const whitespace1 = 1<<'\t' | 1<<' ' | 1<<'\f' | 1<<'\v'
const whitespace2 = whitespace1 | 1<<'\n' | 1<<'\r'

type Error struct {
	Pos     ast.Position
	Message string
	Token   string
	// Line is the chunk's last line, where Pos.Line is EOF (moonpin).
	Line int
	// noNear: the message names no token, as 5.1's limit errors.
	noNear bool
}

// Error reads as Lua 5.1's syntax errors: "chunk:line: message near
// 'token'", the token as written in the source, '<eof>' at the end
// (moonpin; upstream: "chunk line:1(column:5) near 'x':   syntax error").
func (e *Error) Error() string {
	line, near := e.Pos.Line, " near '"+e.Token+"'"
	if line == EOF {
		line, near = e.Line, " near '<eof>'"
	}
	if e.Message == tooDeep || e.noNear {
		near = ""
	}
	return fmt.Sprintf("%s:%d: %s%s", e.Pos.Source, line, e.Message, near)
}

func writeChar(buf *bytes.Buffer, c int) { buf.WriteByte(byte(c)) }

func isDecimal(ch int) bool { return '0' <= ch && ch <= '9' }

func isIdent(ch int, pos int) bool {
	return ch == '_' || 'A' <= ch && ch <= 'Z' || 'a' <= ch && ch <= 'z' || isDecimal(ch) && pos > 0
}

func isDigit(ch int) bool {
	return '0' <= ch && ch <= '9' || 'a' <= ch && ch <= 'f' || 'A' <= ch && ch <= 'F'
}

type Scanner struct {
	Pos    ast.Position
	reader *bufio.Reader
	// raw is the source text of the token being scanned, while capturing
	// (moonpin: error messages show tokens as written).
	raw       []byte
	capturing bool
	// lastLine is the line the source ends on, once Pos.Line is EOF.
	lastLine int
	// tokenPos is where the token being scanned starts.
	tokenPos ast.Position
}

func NewScanner(reader io.Reader, source string) *Scanner {
	return &Scanner{
		Pos: ast.Position{
			Source: source,
			Line:   1,
			Column: 0,
		},
		reader: bufio.NewReaderSize(reader, 4096),
	}
}

func (sc *Scanner) Error(tok string, msg string) *Error {
	return &Error{Pos: sc.Pos, Message: msg, Token: tok, Line: sc.lastLine}
}

func (sc *Scanner) TokenError(tok ast.Token, msg string) *Error {
	return &Error{Pos: tok.Pos, Message: msg, Token: tok.Str, Line: sc.lastLine}
}

func (sc *Scanner) readNext() int {
	ch, err := sc.reader.ReadByte()
	if err == io.EOF {
		return EOF
	}
	return int(ch)
}

func (sc *Scanner) Newline(ch int) {
	if ch < 0 {
		return
	}
	sc.Pos.Line += 1
	sc.Pos.Column = 0
	next := sc.Peek()
	if ch == '\n' && next == '\r' || ch == '\r' && next == '\n' {
		sc.reader.ReadByte()
	}
}

func (sc *Scanner) Next() int {
	ch := sc.readNext()
	switch ch {
	case '\n', '\r':
		sc.Newline(ch)
		ch = int('\n')
	case EOF:
		if sc.Pos.Line != EOF {
			sc.lastLine = sc.Pos.Line
		}
		sc.Pos.Line = EOF
		sc.Pos.Column = 0
		return ch
	default:
		sc.Pos.Column++
	}
	// moonpin: the next character is read too, as 5.1's lexer keeps it as
	// its current one, so load calls its reader function when 5.1 does
	// (a syntax error in the first token stops it after two calls).
	sc.reader.Peek(1)
	if sc.capturing {
		sc.raw = append(sc.raw, byte(ch))
	}
	return ch
}

func (sc *Scanner) Peek() int {
	ch := sc.readNext()
	if ch != EOF {
		sc.reader.UnreadByte()
	}
	return ch
}

func (sc *Scanner) skipWhiteSpace(whitespace int64) int {
	ch := sc.Next()
	for ; whitespace&(1<<uint(ch)) != 0; ch = sc.Next() {
	}
	return ch
}

func (sc *Scanner) skipComments(ch int) error {
	// multiline comment
	if sc.Peek() == '[' {
		// moonpin: as Lua 5.1's skip_sep, '[' and any '=' are read; only
		// a second '[' makes a long comment, else the comment is a short
		// one (upstream: "--[=x" was an unfinished long comment).
		ch = sc.Next()
		sep := 0
		for sc.Peek() == '=' {
			ch = sc.Next()
			sep++
		}
		if sc.Peek() == '[' {
			sc.Next()
			var buf bytes.Buffer
			if err := sc.scanLongBody(sep, &buf); err != nil {
				if e, ok := err.(*Error); ok && e.Message == "unterminated multiline string" {
					return sc.Error(buf.String(), "invalid multiline comment")
				}
				return err
			}
			return nil
		}
	}
	for {
		if ch == '\n' || ch == '\r' || ch < 0 {
			break
		}
		ch = sc.Next()
	}
	return nil
}

func (sc *Scanner) scanIdent(ch int, buf *bytes.Buffer) error {
	writeChar(buf, ch)
	for isIdent(sc.Peek(), 1) {
		writeChar(buf, sc.Next())
	}
	return nil
}

func (sc *Scanner) scanDecimal(ch int, buf *bytes.Buffer) error {
	writeChar(buf, ch)
	for isDecimal(sc.Peek()) {
		writeChar(buf, sc.Next())
	}
	return nil
}

// scanNumber is Lua 5.1's read_numeral (moonpin): digits and dots, an
// exponent with its sign, then any letters, digits and underscores, and the
// whole must be a number, else "malformed number" ("1e", "1.2.3", "3..2",
// "0x"). Upstream read what looked like a number and left the rest for the
// next token, so "1e" was accepted and "1.2.3" read as 1.2 and .3.
//
// A zero byte where 5.1 looks for the exponent's 'e' or its sign is taken
// as one (its check_next finds the string's terminating zero with strchr),
// and 5.1 reads the numeral as a C string, up to that byte: "1\0" is 1.
func (sc *Scanner) scanNumber(ch int, buf *bytes.Buffer) error {
	writeChar(buf, ch)
	for c := sc.Peek(); isDecimal(c) || c == '.'; c = sc.Peek() {
		writeChar(buf, sc.Next())
	}
	if c := sc.Peek(); c == 'e' || c == 'E' || c == 0 {
		writeChar(buf, sc.Next())
		if c := sc.Peek(); c == '+' || c == '-' || c == 0 {
			writeChar(buf, sc.Next())
		}
	}
	for c := sc.Peek(); c >= 0 && isIdent(c, 1); c = sc.Peek() {
		writeChar(buf, sc.Next())
	}
	if i := bytes.IndexByte(buf.Bytes(), 0); i >= 0 {
		buf.Truncate(i)
	}
	if !isNumeral(buf.String()) {
		return sc.Error(buf.String(), "malformed number")
	}
	return nil
}

// isNumeral says whether s converts as Lua 5.1's luaO_str2d (strtod, or
// strtoul for hexadecimal) converts a numeral.
func isNumeral(s string) bool {
	if strings.Contains(s, "_") {
		return false // Go's ParseFloat takes some, strtod none
	}
	if len(s) > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X') {
		if strings.Trim(s[2:], "0123456789abcdefABCDEF") == "" {
			return true
		}
	}
	_, err := strconv.ParseFloat(s, 64)
	if ne, ok := err.(*strconv.NumError); ok && ne.Err == strconv.ErrRange {
		return true
	}
	return err == nil && !strings.Contains(s, "_")
}

func (sc *Scanner) scanString(quote int, buf *bytes.Buffer) error {
	ch := sc.Next()
	for ch != quote {
		if ch == '\n' || ch == '\r' || ch < 0 {
			return sc.Error(buf.String(), "unterminated string")
		}
		if ch == '\\' {
			if err := sc.scanEscape(ch, buf); err != nil {
				// moonpin: near the string read so far, as Lua 5.1.
				if e, ok := err.(*Error); ok {
					e.Token = string(rune(quote)) + e.Token
				}
				return err
			}
		} else {
			writeChar(buf, ch)
		}
		ch = sc.Next()
	}
	return nil
}

func (sc *Scanner) scanEscape(ch int, buf *bytes.Buffer) error {
	ch = sc.Next()
	switch ch {
	case 'a':
		buf.WriteByte('\a')
	case 'b':
		buf.WriteByte('\b')
	case 'f':
		buf.WriteByte('\f')
	case 'n':
		buf.WriteByte('\n')
	case 'r':
		buf.WriteByte('\r')
	case 't':
		buf.WriteByte('\t')
	case 'v':
		buf.WriteByte('\v')
	case '\\':
		buf.WriteByte('\\')
	case '"':
		buf.WriteByte('"')
	case '\'':
		buf.WriteByte('\'')
	case '\n':
		buf.WriteByte('\n')
	case '\r':
		buf.WriteByte('\n')
		sc.Newline('\r')
	default:
		if '0' <= ch && ch <= '9' {
			bytes := []byte{byte(ch)}
			for i := 0; i < 2 && isDecimal(sc.Peek()); i++ {
				bytes = append(bytes, byte(sc.Next()))
			}
			val, _ := strconv.ParseInt(string(bytes), 10, 32)
			if val > 255 {
				// moonpin: Lua 5.1's error (upstream kept the low byte).
				return sc.Error(buf.String(), "escape sequence too large")
			}
			writeChar(buf, int(val))
		} else {
			writeChar(buf, ch)
		}
	}
	return nil
}

func (sc *Scanner) countSep(ch int) (int, int) {
	count := 0
	for ; ch == '='; count = count + 1 {
		ch = sc.Next()
	}
	return count, ch
}

func (sc *Scanner) scanMultilineString(ch int, buf *bytes.Buffer) error {
	var count1 int
	count1, ch = sc.countSep(ch)
	if ch != '[' {
		return sc.Error(string(rune(ch)), "invalid multiline string")
	}
	return sc.scanLongBody(count1, buf)
}

// nestedLongString is Lua 5.1's error for a "[[" inside a "[[...]]"
// string or comment (its LUA_COMPAT_LSTR 1); "[=[" and the like nest.
const nestedLongString = "nesting of [[...]] is deprecated"

// scanLongBody reads a long string or comment from after its opening
// bracket, of level count1, to the end of its closing one.
func (sc *Scanner) scanLongBody(count1 int, buf *bytes.Buffer) error {
	var count2 int
	ch := sc.Next()
	if ch == '\n' || ch == '\r' {
		ch = sc.Next()
	}
	for {
		if ch < 0 {
			return sc.Error(buf.String(), "unterminated multiline string")
		} else if ch == ']' {
			count2, ch = sc.countSep(sc.Next())
			if count1 == count2 && ch == ']' {
				return nil
			}
			buf.WriteByte(']')
			buf.WriteString(strings.Repeat("=", count2))
			continue
		} else if ch == '[' && count1 == 0 && sc.Peek() == '[' {
			// moonpin: Lua 5.1 refuses it, near '['.
			sc.Next()
			return sc.Error("[", nestedLongString)
		}
		writeChar(buf, ch)
		ch = sc.Next()
	}
}

var reservedWords = map[string]int{
	"and": TAnd, "break": TBreak, "do": TDo, "else": TElse, "elseif": TElseIf,
	"end": TEnd, "false": TFalse, "for": TFor, "function": TFunction,
	"if": TIf, "in": TIn, "local": TLocal, "nil": TNil, "not": TNot, "or": TOr,
	"return": TReturn, "repeat": TRepeat, "then": TThen, "true": TTrue,
	"until": TUntil, "while": TWhile}

func (sc *Scanner) Scan(lexer *Lexer) (ast.Token, error) {
redo:
	var err error
	tok := ast.Token{}
	newline := false

	ch := sc.skipWhiteSpace(whitespace1)
	if ch == '\n' || ch == '\r' {
		newline = true
		ch = sc.skipWhiteSpace(whitespace2)
	}

	if ch == '(' && lexer.PrevTokenType == ')' {
		lexer.PNewLine = newline
	} else {
		lexer.PNewLine = false
	}

	var _buf bytes.Buffer
	buf := &_buf
	tok.Pos = sc.Pos
	sc.tokenPos = sc.Pos
	sc.raw = sc.raw[:0]
	if ch >= 0 {
		sc.raw = append(sc.raw, byte(ch))
	}
	sc.capturing = true
	defer func() { sc.capturing = false }()

	switch {
	case isIdent(ch, 0):
		tok.Type = TIdent
		err = sc.scanIdent(ch, buf)
		tok.Str = buf.String()
		if err != nil {
			goto finally
		}
		if typ, ok := reservedWords[tok.Str]; ok {
			tok.Type = typ
		}
	case isDecimal(ch):
		tok.Type = TNumber
		err = sc.scanNumber(ch, buf)
		tok.Str = buf.String()
	default:
		switch ch {
		case EOF:
			tok.Type = EOF
		case '-':
			if sc.Peek() == '-' {
				err = sc.skipComments(sc.Next())
				if err != nil {
					goto finally
				}
				goto redo
			} else {
				tok.Type = ch
				tok.Str = string(rune(ch))
			}
		case '"', '\'':
			tok.Type = TString
			err = sc.scanString(ch, buf)
			tok.Str = buf.String()
		case '[':
			if c := sc.Peek(); c == '[' || c == '=' {
				tok.Type = TString
				err = sc.scanMultilineString(sc.Next(), buf)
				tok.Str = buf.String()
			} else {
				tok.Type = ch
				tok.Str = string(rune(ch))
			}
		case '=':
			if sc.Peek() == '=' {
				tok.Type = TEqeq
				tok.Str = "=="
				sc.Next()
			} else {
				tok.Type = ch
				tok.Str = string(rune(ch))
			}
		case '~':
			if sc.Peek() == '=' {
				tok.Type = TNeq
				tok.Str = "~="
				sc.Next()
			} else {
				tok.Type = ch // moonpin: a token the parser refuses, as in 5.1
				tok.Str = "~"
			}
		case '<':
			if sc.Peek() == '=' {
				tok.Type = TLte
				tok.Str = "<="
				sc.Next()
			} else {
				tok.Type = ch
				tok.Str = string(rune(ch))
			}
		case '>':
			if sc.Peek() == '=' {
				tok.Type = TGte
				tok.Str = ">="
				sc.Next()
			} else {
				tok.Type = ch
				tok.Str = string(rune(ch))
			}
		case '.':
			ch2 := sc.Peek()
			switch {
			case isDecimal(ch2):
				tok.Type = TNumber
				err = sc.scanNumber(ch, buf)
				tok.Str = buf.String()
			case ch2 == '.' || ch2 == 0:
				// moonpin: a zero byte is a '.' here, as in 5.1
				// (see scanNumber).
				writeChar(buf, ch)
				sc.Next()
				writeChar(buf, '.')
				if c := sc.Peek(); c == '.' || c == 0 {
					sc.Next()
					writeChar(buf, '.')
					tok.Type = T3Comma
				} else {
					tok.Type = T2Comma
				}
			default:
				tok.Type = '.'
				writeChar(buf, ch)
			}
			tok.Str = buf.String()
		case ':':
			if sc.Peek() == ':' {
				tok.Type = T2Colon
				tok.Str = "::"
				sc.Next()
			} else {
				tok.Type = ch
				tok.Str = string(rune(ch))
			}
		case '+', '*', '/', '%', '^', '#', '(', ')', '{', '}', ']', ';', ',':
			tok.Type = ch
			tok.Str = string(rune(ch))
		default:
			// moonpin: any other character is a token of its own, as in
			// Lua 5.1, which the parser then refuses with its message
			// (`x @` is "'=' expected near '@'"; upstream's lexer said
			// "Invalid token" at once). A zero byte is not the end.
			tok.Type = ch
			if ch == 0 {
				tok.Type = tZero
			}
			tok.Str = string(rune(ch))
		}
	}

finally:
	tok.Name = TokenName(int(tok.Type))
	return tok, err
}

// yacc interface {{{

// MaxStackDepth bounds the parser's stack (moonpin). Without it a chunk
// such as "return "..("("):rep(1e6) grows the stack to hundreds of
// megabytes. Lua 5.1 stops at 200 nested levels with the same message; a
// level takes a few stack entries here, so any chunk Lua 5.1 accepts fits.
const MaxStackDepth = 5000

const tooDeep = "chunk has too many syntax levels"

type Lexer struct {
	scanner       *Scanner
	Stmts         []ast.Stmt
	PNewLine      bool
	Token         ast.Token
	PrevTokenType int
	// moonpin: raw is the current token as written; levels counts syntax
	// levels as Lua 5.1 does (see countLevels); lastLine is the line the
	// previous token ended on, and callParens the '(' that start a line.
	raw        string
	levels     syntaxLevels
	lastLine   int
	callParens map[ast.Position]bool
	// errState is the parser's state at a syntax error, -1 before one.
	errState int
	// lastStat says a return or break was the last statement read in the
	// current block; outerStat holds it for the blocks around each function
	// being read, so that a function in a return's values (`return
	// f(function() end) x`) leaves it as it was.
	lastStat bool
	// nextIdent is a name whose NextLine the next token sets.
	nextIdent *ast.IdentExpr
	// prevPrev is the type of the token before the previous one.
	prevPrev int
	// lastStatBefore is lastStat as it was before the current token,
	// which a syntax error at that token is worded from (`break do` or
	// `return 1 function` are "'end' expected", as 5.1's).
	lastStatBefore bool
	// labelPos is where the last "::" is, or the one before it when the
	// current token is a "::" (the label being read, at an error).
	labelPos, lastLabelPos ast.Position
	outerStat              []bool
	// open is what the tokens before the current one left open.
	open openers
	// locals counts the local variables in scope, for 5.1's limit.
	locals localCounter
	// prefixIsVar says the last prefix expression the parser reduced was
	// a variable, not a call or a parenthesized expression (set by the
	// grammar's prefixexp actions, through prefixRead); tokens counts the
	// tokens read, methodAt is the count at the last token of the last
	// prefix expression or function name, which a method's ':' may
	// follow, and labelAt the count at the "::" at labelPos.
	prefixIsVar                            bool
	tokens, methodAt, labelAt, lastLabelAt int
}

// assignTarget checks, as Lua 5.1's assignment does once it has read a
// further variable to assign, that the n variables before it are within
// its limit: the levels its parser may still open (moonpin).
func (lx *Lexer) assignTarget(n int) {
	if limit := lx.levels.max - lx.levels.count(); n > limit {
		line := lx.scanner.Pos.Line
		if line == EOF {
			line = lx.scanner.lastLine
		}
		where := "main function"
		if f := lx.locals.funcs; len(f) > 0 && f[len(f)-1].line != 0 {
			where = fmt.Sprintf("function at line %d", f[len(f)-1].line)
		}
		pos := lx.scanner.Pos
		pos.Line = line
		panic(&Error{Pos: pos, Message: fmt.Sprintf("%s has more than %d variables in assignment", where, limit), Line: line, noNear: true})
	}
}

// identRead sets ident's NextLine, now if the parser holds the token after
// the name as its lookahead, else once the lexer reads it.
func (lx *Lexer) identRead(ident *ast.IdentExpr, lookahead bool) {
	if lookahead {
		ident.NextLine = lx.consumedLine(false)
	} else {
		lx.nextIdent = ident
	}
}

// prefixRead records that the parser has read a prefix expression, a
// variable (isVar) or not, that ends at the current token or, when the
// parser holds a lookahead, the one before.
func (lx *Lexer) prefixRead(isVar, lookahead bool) {
	lx.prefixIsVar = isVar
	lx.methodMayFollow(lookahead)
}

// methodMayFollow records that what the parser has read up to the current
// token (or the one before, with a lookahead) may be followed by a
// method's ':'.
func (lx *Lexer) methodMayFollow(lookahead bool) {
	lx.methodAt = lx.tokens
	if lookahead {
		lx.methodAt--
	}
}

func (lx *Lexer) Lex(lval *yySymType) int {
	lx.tokens++
	lx.open.take(lx.Token)
	lx.prevPrev = lx.PrevTokenType
	lx.PrevTokenType = lx.Token.Type
	lx.lastLine = lx.scanner.Pos.Line
	tok, err := lx.scanner.Scan(lx)
	if err != nil {
		panic(lua51LexError(err, lx.scanner))
	}
	lx.countLocals(tok)
	if lx.nextIdent != nil {
		lx.nextIdent.NextLine = lx.consumedLine(false)
		lx.nextIdent = nil
	}
	lx.raw = string(lx.scanner.raw)
	if lx.Token.Type == TBreak && !lx.open.inLoop() {
		// moonpin: 5.1's breakstat refuses a break outside a loop once
		// the token after it is read, near that token (the compiler
		// said it without a token, after any later syntax error).
		e := lx.scanner.Error(nearText(tok, lx.raw), "no loop to break")
		e.noNear = tok.Type == tZero
		panic(e)
	}
	// 5.1 enters a block's level even at the end ("do" at the end).
	if lx.levels.tooDeep(tok.Type) {
		lx.Error(tooDeep)
	}
	if tok.Type < 0 {
		lx.Token.Type = EOF
		return 0
	}
	if tok.Type == '(' && tok.Pos.Line != lx.lastLine && lx.lastLine > 0 && !lx.fieldName() {
		if lx.callParens == nil {
			lx.callParens = map[ast.Position]bool{}
		}
		lx.callParens[tok.Pos] = true
	}
	if tok.Type == T2Colon {
		lx.lastLabelPos, lx.lastLabelAt = lx.labelPos, lx.labelAt
		lx.labelPos, lx.labelAt = tok.Pos, lx.tokens
	}
	lx.lastStatBefore = lx.lastStat
	switch tok.Type {
	case TReturn, TBreak:
		lx.lastStat = true
	case TFunction:
		lx.outerStat = append(lx.outerStat, lx.lastStat)
		lx.lastStat = false
	case TEnd:
		// The opener this 'end' closes is on top: the lexer has taken
		// every token before it.
		lx.lastStat = false
		if n, m := len(lx.open.stack), len(lx.outerStat); n > 0 && m > 0 && lx.open.stack[n-1].tok == TFunction {
			lx.lastStat = lx.outerStat[m-1]
			lx.outerStat = lx.outerStat[:m-1]
		}
	case TElse, TElseIf, TUntil, TDo, TThen, TRepeat:
		lx.lastStat = false
	}
	lval.token = tok
	lx.Token = tok
	return int(tok.Type)
}

// countLocals counts the locals declared before tok, the token just read,
// and fails as 5.1 does past its limit, on the line where tok ends.
func (lx *Lexer) countLocals(tok ast.Token) {
	line := lx.consumedLine(false)
	if err := lx.locals.take(tok, line, lx.Token.Type); err != nil {
		// The column (moonpin's messages show it) is where tok starts.
		pos := tok.Pos
		if tok.Type < 0 {
			pos = lx.scanner.Pos
		}
		pos.Line = line
		panic(&Error{Pos: pos, Message: err.Error(), Line: line, noNear: true})
	}
}

// consumedLine is the line on which the last token the parser has taken
// ends (moonpin: Lua 5.1's lastline, the line its code generator gives an
// instruction emitted then): the current token's, or, when the parser holds
// the next token as its lookahead, the one's before it.
func (lx *Lexer) consumedLine(lookahead bool) int {
	if lookahead {
		return lx.lastLine
	}
	if line := lx.scanner.Pos.Line; line != EOF {
		return line
	}
	return lx.scanner.lastLine
}

// nearText is tok, whose source text is raw, as Lua 5.1's messages name
// it (moonpin).
func nearText(tok ast.Token, raw string) string {
	switch {
	case tok.Type == T2Comma || tok.Type == T3Comma:
		return tok.Str // written with a zero byte for a '.'
	case tok.Type >= 0 && tok.Type < 0x20 || tok.Type == 0x7f:
		// A control character as 5.1's luaX_token2str shows it.
		return fmt.Sprintf("char(%d)", tok.Type)
	case tok.Type == TString:
		return stringText(raw, tok.Str)
	case tok.Type == TNumber:
		return cutAtZero(raw) // as 5.1 prints its buffer
	}
	return raw
}

// fieldName says whether the previous token is a name that starts a
// table's field. Lua 5.1 reads the token after it ahead, to tell a field's
// name from an expression, and so takes the line of that token for the
// name's: a call's '(' on the next line is not ambiguous there
// (`{f\n(x)}` is a call).
func (lx *Lexer) fieldName() bool {
	if lx.PrevTokenType != TIdent {
		return false
	}
	switch lx.prevPrev {
	case '{', ',', ';':
		n := len(lx.open.stack)
		return n > 0 && lx.open.stack[n-1].tok == '{'
	}
	return false
}

// startsLine says whether the '(' token tok is the first on its line: Lua
// 5.1 refuses it as a call's arguments, "ambiguous syntax (function call x
// new statement)" (moonpin: upstream refused it only after a ')').
func (lx *Lexer) startsLine(tok ast.Token) bool {
	return lx.callParens[tok.Pos]
}

func (lx *Lexer) Error(message string) {
	var expected map[string]bool
	ok := false
	if lx.errState >= 0 {
		expected, ok = expectedTokens(lx.errState)
	}
	msg := lua51Message(message, expected, ok, lx.Token.Type, lx.lastStatBefore && lx.PrevTokenType != TReturn, lx.prefixIsVar)
	if msg == "'=' or 'in' expected" && lx.locals.forNames > 1 {
		msg = "'in' expected" // a numeric for has one name
	}
	raw := nearText(lx.Token, lx.raw)
	if lx.Token.Type == T2Colon && message != tooDeep {
		// Lua 5.1 reads "::" (moonpin's labels) as two ':', and refuses
		// the first, or the second after a method call's ':'.
		raw = ":"
		if expected["':'"] || lx.methodAt == lx.tokens-1 {
			// After a prefix expression (or a function's name) 5.1
			// reads a method's ':' and wants its name.
			msg = "'<name>' expected"
		}
	}
	if message != tooDeep && (len(expected) == 1 && expected["T2Colon"] || lx.PrevTokenType == T2Colon && len(expected) == 1 && expected["TIdent"]) {
		// A label cut short: 5.1 refused its first ':', or wanted a
		// method's name after the second.
		pos, at := lx.labelPos, lx.labelAt
		if lx.Token.Type == T2Colon {
			pos, at = lx.lastLabelPos, lx.lastLabelAt
		}
		msg = "unexpected symbol"
		if lx.methodAt == at-1 {
			msg = "'<name>' expected"
		}
		panic(&Error{Pos: pos, Message: msg, Token: ":", Line: lx.scanner.lastLine})
	}
	line := lx.scanner.Pos.Line
	if line == EOF {
		line = lx.scanner.lastLine
	}
	e := lx.scanner.Error(raw, lx.open.toClose(msg, line))
	e.noNear = lx.Token.Type == tZero // 5.1 names no token 0
	panic(e)
}

func (lx *Lexer) TokenError(tok ast.Token, message string) {
	panic(lx.scanner.TokenError(tok, message))
}

func Parse(reader io.Reader, name string) (chunk []ast.Stmt, err error) {
	return ParseNested(reader, name, defaultCalls)
}

// ParseNested is Parse for a chunk loaded with calls C calls under the
// parser, as Lua 5.1 counts them (its nCcalls): they take from the syntax
// levels the chunk may nest (moonpin; Parse takes 2, loadstring's in a
// script).
func ParseNested(reader io.Reader, name string, calls int) (chunk []ast.Stmt, err error) {
	lexer := &Lexer{scanner: NewScanner(reader, name), Token: ast.Token{Str: ""}, PrevTokenType: TNil, errState: -1, methodAt: -1}
	lexer.levels.max = maxCCalls - calls
	chunk = nil
	defer func() {
		if e := recover(); e != nil {
			err, _ = e.(error)
		}
	}()
	yyParse(lexer)
	chunk = lexer.Stmts
	return
}

// }}}

// Dump {{{

func isInlineDumpNode(rv reflect.Value) bool {
	switch rv.Kind() {
	case reflect.Struct, reflect.Slice, reflect.Interface, reflect.Ptr:
		return false
	default:
		return true
	}
}

func dump(node interface{}, level int, s string) string {
	rt := reflect.TypeOf(node)
	if fmt.Sprint(rt) == "<nil>" {
		return strings.Repeat(s, level) + "<nil>"
	}

	rv := reflect.ValueOf(node)
	buf := []string{}
	switch rt.Kind() {
	case reflect.Slice:
		if rv.Len() == 0 {
			return strings.Repeat(s, level) + "<empty>"
		}
		for i := 0; i < rv.Len(); i++ {
			buf = append(buf, dump(rv.Index(i).Interface(), level, s))
		}
	case reflect.Ptr:
		vt := rv.Elem()
		tt := rt.Elem()
		indicies := []int{}
		for i := 0; i < tt.NumField(); i++ {
			if strings.Index(tt.Field(i).Name, "Base") > -1 {
				continue
			}
			indicies = append(indicies, i)
		}
		switch {
		case len(indicies) == 0:
			return strings.Repeat(s, level) + "<empty>"
		case len(indicies) == 1 && isInlineDumpNode(vt.Field(indicies[0])):
			for _, i := range indicies {
				buf = append(buf, strings.Repeat(s, level)+"- Node$"+tt.Name()+": "+dump(vt.Field(i).Interface(), 0, s))
			}
		default:
			buf = append(buf, strings.Repeat(s, level)+"- Node$"+tt.Name())
			for _, i := range indicies {
				if isInlineDumpNode(vt.Field(i)) {
					inf := dump(vt.Field(i).Interface(), 0, s)
					buf = append(buf, strings.Repeat(s, level+1)+tt.Field(i).Name+": "+inf)
				} else {
					buf = append(buf, strings.Repeat(s, level+1)+tt.Field(i).Name+": ")
					buf = append(buf, dump(vt.Field(i).Interface(), level+2, s))
				}
			}
		}
	default:
		buf = append(buf, strings.Repeat(s, level)+fmt.Sprint(node))
	}
	return strings.Join(buf, "\n")
}

func Dump(chunk []ast.Stmt) string {
	return dump(chunk, 0, "   ")
}

// }}
