package parse

import (
	"fmt"
	"strings"

	"github.com/yuin/gopher-lua/ast"
)

// moonpin: syntax errors in Lua 5.1's words. goyacc reports "syntax error:
// unexpected X, expecting A or B" (with at most four expected tokens);
// lua51Message turns that into what Lua 5.1's recursive-descent parser says
// at the same point where the expected tokens tell, and "unexpected symbol"
// otherwise, as 5.1 does for a token that cannot start or continue an
// expression.

// tokenWords are the tokens as Lua 5.1's luaX_token2str shows them.
var tokenWords = map[string]string{
	"TAnd": "and", "TBreak": "break", "TDo": "do", "TElse": "else", "TElseIf": "elseif",
	"TEnd": "end", "TFalse": "false", "TFor": "for", "TFunction": "function", "TIf": "if",
	"TIn": "in", "TLocal": "local", "TNil": "nil", "TNot": "not", "TOr": "or",
	"TReturn": "return", "TRepeat": "repeat", "TThen": "then", "TTrue": "true",
	"TUntil": "until", "TWhile": "while", "TEqeq": "==", "TNeq": "~=",
	"TLte": "<=", "TGte": ">=", "T2Comma": "..", "T3Comma": "...", "T2Colon": "::",
	"TIdent": "<name>", "TNumber": "<number>", "TString": "<string>", "$end": "<eof>",
}

// notAVariable is the parser's error for a parenthesized expression, a
// call or a constant where a statement or an assignment's variable should
// be: 5.1's assignment checks that its target is a variable and says only
// "syntax error" (`(f)`, `(f()) = 1`, `a, f() = 1`).
const notAVariable = "syntax error"

// lua51Message words a goyacc error as Lua 5.1's parser would: expected
// is every token the parser could take in its state (ok false when it
// cannot tell), la the token it got, lastStat whether the block's last
// statement was a return (with its values read) or a break, after which
// 5.1 wants the block's end, and prefixVar whether the last prefix
// expression the parser read was a variable.
func lua51Message(msg string, expected map[string]bool, ok bool, la int, lastStat, prefixVar bool) string {
	switch {
	case msg == "parse error":
		// An expression statement that is not a call: 5.1 wanted an
		// assignment there.
		return "'=' expected"
	case msg == notAVariable:
		return msg
	case !strings.HasPrefix(msg, "syntax error"):
		return msg
	case !ok:
		return "unexpected symbol"
	}
	blockFollow := la == TEnd || la == TElse || la == TElseIf || la == TUntil || la <= 0
	onlySuffixes := len(expected) > 1
	for tok := range expected {
		if !callSuffix[tok] {
			onlySuffixes = false
		}
	}
	switch {
	case expected["TNumber"]:
		// An expression should start here.
		return "unexpected symbol"
	case expected["T3Comma"] && expected["TIdent"]:
		return "<name> or '...' expected"
	case expected["TThen"]:
		return "'then' expected"
	case expected["TDo"]:
		return "'do' expected"
	case expected["')'"]:
		return "')' expected"
	case expected["']'"]:
		return "']' expected"
	case expected["'}'"]:
		return "'}' expected"
	case expected["TIn"]:
		return "'=' or 'in' expected"
	case expected["TString"] && expected["'('"] && !expected["'.'"]:
		return "function arguments expected"
	case expected["'('"] && expected["TIdent"]:
		// A variable should start here (after an assignment's ','):
		// 5.1's primaryexp refuses anything else.
		return "unexpected symbol"
	case expected["'('"] && !expected["TString"]:
		// A function's parameter list should start here (after its
		// name, or 'function' in an expression).
		return "'(' expected"
	case len(expected) == 1 && expected["'='"]:
		// After a field's "[key]".
		return "'=' expected"
	case onlySuffixes:
		// A variable in an assignment's list: 5.1 wanted ',' or '='; a
		// call or a parenthesized expression there is not a variable.
		if !prefixVar {
			return notAVariable
		}
		return "'=' expected"
	case expected["TEnd"] || expected["TUntil"] || len(expected) == 0:
		// The block (or the chunk) may end here. 5.1 says so when the
		// token ends a block or follows a return or break; any other
		// token starts a statement that cannot start with it.
		if !blockFollow && !lastStat {
			return "unexpected symbol"
		}
		switch {
		case expected["TEnd"]:
			return "'end' expected"
		case expected["TUntil"]:
			return "'until' expected"
		}
		return "'<eof>' expected"
	case expected["','"]:
		return "',' expected"
	case expected["TIdent"]:
		return "'<name>' expected"
	}
	return "unexpected symbol"
}

// callSuffix are the tokens that may follow a variable to make it a call
// or a longer variable.
var callSuffix = map[string]bool{"'('": true, "'.'": true, "':'": true, "'['": true, "'{'": true, "TString": true}

// stringText is a string token as 5.1's messages show it, from raw, its
// source text, and s, its value: the value between its delimiters (its
// escapes decoded, a long string's newlines as "\n" and without the one
// after its opening bracket), up to a zero byte, as 5.1 prints its buffer
// with %s.
func stringText(raw, s string) string {
	open, close := raw[:1], raw[:1]
	if raw[0] == '[' {
		level := len(raw) - len(strings.TrimLeft(raw[1:], "=")) - 1
		eq := strings.Repeat("=", level)
		open, close = "["+eq+"[", "]"+eq+"]"
	}
	return cutAtZero(open + s + close)
}

// cutAtZero is s up to its first zero byte.
func cutAtZero(s string) string {
	if i := strings.IndexByte(s, 0); i >= 0 {
		return s[:i]
	}
	return s
}

// lua51LexError rewords the scanner's errors as Lua 5.1's lexer words
// them, near the text read so far.
func lua51LexError(err error, sc *Scanner) error {
	e, ok := err.(*Error)
	if !ok {
		return err
	}
	raw := string(sc.raw)
	switch e.Message {
	case "unterminated string":
		if strings.HasSuffix(raw, "\n") && e.Pos.Line != EOF {
			// The newline that ended it is read: 5.1 names its line,
			// the string's last (an escaped newline may continue it).
			raw = strings.TrimSuffix(raw, "\n")
			line := sc.Pos.Line - 1
			e.Pos = sc.tokenPos
			if i := strings.LastIndexByte(raw, '\n'); i >= 0 {
				e.Pos.Column = len(raw) - i - 1
			} else {
				e.Pos.Column += len(raw)
			}
			e.Pos.Line = line
		}
		// 5.1 shows the string read so far, its escapes decoded.
		e.Message, e.Token = "unfinished string", cutAtZero(raw[:1]+e.Token)
	case "unterminated multiline string":
		e.Message = "unfinished long string"
	case "invalid multiline comment":
		e.Message = "unfinished long comment"
	case "invalid multiline string":
		// raw ends with the character that is not '[' or '=', unless
		// the chunk ended: 5.1 names the delimiter, on its line (a
		// newline after it is read here, not in 5.1).
		if e.Pos.Line != EOF {
			raw = raw[:len(raw)-1]
		}
		e.Pos = sc.tokenPos
		e.Message, e.Token = "invalid long string delimiter", raw
	case "illegal hexadecimal number":
		e.Message, e.Token = "malformed number", raw
	}
	return e
}

func init() {
	// The expected tokens are what lua51Message words its messages from.
	yyErrorVerbose = true
}

// expectedTokens is every token the parser could take in state, as
// yyErrorMessage finds them without its limit of four; ok is false when
// the state reduces by default, so any token might follow.
func expectedTokens(state int) (set map[string]bool, ok bool) {
	const tokStart = 4
	set = map[string]bool{}
	base := int(yyPact[state])
	for tok := tokStart; tok-1 < len(yyToknames); tok++ {
		if n := base + tok; n >= 0 && n < yyLast && int(yyChk[int(yyAct[n])]) == tok {
			set[yyTokname(tok)] = true
		}
	}
	if yyDef[state] == -2 {
		i := 0
		for yyExca[i] != -1 || int(yyExca[i+1]) != state {
			i += 2
		}
		for i += 2; yyExca[i] >= 0; i += 2 {
			if tok := int(yyExca[i]); tok >= tokStart && yyExca[i+1] != 0 {
				set[yyTokname(tok)] = true
			}
		}
		if yyExca[i+1] != 0 {
			return set, false
		}
	}
	return set, true
}

// openers is the stack of blocks and brackets the parser is inside, for
// Lua 5.1's check_match: "'end' expected (to close 'if' at line 3)" when
// the opening token is on another line than the error. The lexer takes a
// token once the next one is read (take), so at an error the stack holds
// what the tokens before the one the parser refused opened.
type openers struct {
	stack []opener
	last  int // the token taken last
}

type opener struct {
	tok  int // TIf, TWhile, TFor, TDo, TRepeat, TFunction, '(', '{' or '['
	line int
	// awaitDo: a while or for before its 'do', which opens no block.
	awaitDo bool
	// params: a function before its parameter list; atParen: 5.1 names
	// that list's line (a local or anonymous function), not the keyword's.
	params, atParen bool
	// quiet: 5.1 checks the closer without naming the opener (a
	// parameter list, '[').
	quiet bool
}

// closers are the tokens that close each opener.
var closers = map[int]int{
	TIf: TEnd, TWhile: TEnd, TFor: TEnd, TDo: TEnd, TFunction: TEnd,
	TRepeat: TUntil, '(': ')', '{': '}', '[': ']',
}

func (o *openers) take(tok ast.Token) {
	last := o.last
	o.last = tok.Type
	n := len(o.stack)
	var top *opener
	if n > 0 {
		top = &o.stack[n-1]
	}
	switch tok.Type {
	case TIf, TWhile, TFor, TRepeat:
		o.stack = append(o.stack, opener{tok: tok.Type, line: tok.Pos.Line, awaitDo: tok.Type == TWhile || tok.Type == TFor})
	case TDo:
		if top != nil && top.awaitDo {
			top.awaitDo = false
		} else {
			o.stack = append(o.stack, opener{tok: TDo, line: tok.Pos.Line})
		}
	case TFunction:
		o.stack = append(o.stack, opener{tok: TFunction, line: tok.Pos.Line, params: true, atParen: last == TLocal})
	case '(':
		p := opener{tok: '(', line: tok.Pos.Line}
		if top != nil && top.params {
			top.params, p.quiet = false, true
			if top.atParen || last == TFunction {
				top.line = tok.Pos.Line
			}
		}
		o.stack = append(o.stack, p)
	case '{':
		o.stack = append(o.stack, opener{tok: '{', line: tok.Pos.Line})
	case '[':
		o.stack = append(o.stack, opener{tok: '[', line: tok.Pos.Line, quiet: true})
	case TEnd, TUntil, ')', '}', ']':
		if top != nil && closers[top.tok] == tok.Type {
			o.stack = o.stack[:n-1]
		}
	}
}

// inLoop says whether a break may stand here: a loop's block is open in
// the function being read.
func (o *openers) inLoop() bool {
	for i := len(o.stack) - 1; i >= 0; i-- {
		switch o.stack[i].tok {
		case TWhile, TFor, TRepeat:
			return true
		case TFunction:
			return false
		}
	}
	return false
}

// words are the openers and closers as 5.1 names them.
var words = map[int]string{
	TIf: "if", TWhile: "while", TFor: "for", TDo: "do", TFunction: "function",
	TRepeat: "repeat", TEnd: "end", TUntil: "until",
	'(': "(", ')': ")", '{': "{", '}': "}", '[': "[", ']': "]",
}

// toClose adds "(to close 'x' at line n)" to msg, the parser's error at
// line, where Lua 5.1's check_match would.
func (o *openers) toClose(msg string, line int) string {
	n := len(o.stack)
	if n == 0 {
		return msg
	}
	top := o.stack[n-1]
	if top.quiet || top.line == line || msg != "'"+words[closers[top.tok]]+"' expected" {
		return msg
	}
	return fmt.Sprintf("%s (to close '%s' at line %d)", msg, words[top.tok], top.line)
}
