package parse

import (
	"strings"
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
	"TUntil": "until", "TWhile": "while", "TGoto": "goto", "TEqeq": "==", "TNeq": "~=",
	"TLte": "<=", "TGte": ">=", "T2Comma": "..", "T3Comma": "...", "T2Colon": "::",
	"TIdent": "<name>", "TNumber": "<number>", "TString": "<string>", "$end": "<eof>",
}

func lua51Message(msg string) string {
	switch {
	case msg == "parse error":
		// An expression statement that is not a call: 5.1 wanted an
		// assignment there.
		return "'=' expected"
	case !strings.HasPrefix(msg, "syntax error"):
		return msg
	}
	_, list, ok := strings.Cut(msg, ", expecting ")
	if !ok {
		return "unexpected symbol"
	}
	expected := map[string]bool{}
	var words []string
	for _, tok := range strings.Split(list, " or ") {
		expected[tok] = true
		if w, ok := tokenWords[tok]; ok {
			words = append(words, w)
		} else {
			words = append(words, strings.Trim(tok, "'"))
		}
	}
	switch {
	case expected["TEnd"]:
		return "'end' expected"
	case expected["'}'"]:
		return "'}' expected"
	case expected["TUntil"]:
		return "'until' expected"
	case expected["T3Comma"] && expected["TIdent"]:
		return "<name> or '...' expected"
	case expected["TIn"]:
		return "'=' or 'in' expected"
	case expected["TString"] && expected["'('"]:
		return "function arguments expected"
	case len(words) == 1:
		return "'" + words[0] + "' expected"
	case expected["TIdent"]:
		return "'<name>' expected"
	}
	return "unexpected symbol"
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
			// The newline that ended it is read: 5.1 names its line.
			raw = strings.TrimSuffix(raw, "\n")
			e.Pos = sc.tokenPos
			e.Pos.Column += len(raw)
		}
		e.Message, e.Token = "unfinished string", raw
	case "unterminated multiline string":
		e.Message = "unfinished long string"
	case "invalid multiline comment":
		e.Message = "unfinished long comment"
	case "invalid multiline string":
		// raw ends with the character that is not '[' or '='.
		e.Message, e.Token = "invalid long string delimiter", raw[:len(raw)-1]
	case "illegal hexadecimal number":
		e.Message, e.Token = "malformed number", raw
	case "Invalid '~' token", "Invalid token":
		e.Message, e.Token = "unexpected symbol", raw
	}
	return e
}

// syntaxLevels counts nesting as Lua 5.1 counts its parser's recursion
// ("chunk has too many syntax levels" past about 200): each open bracket
// and block, and each '..' or '^' in a chain of them (right-associative,
// so 5.1 recurses for each).
type syntaxLevels struct {
	depth  int
	chain  int
	chains []int
}

// maxSyntaxLevels is where Lua 5.1 stops: 197 nested blocks or 196
// nested brackets pass there, one more fails.
const maxSyntaxLevels = 197

// count takes the next token and says whether the chunk is now too deep.
func (l *syntaxLevels) count(tok int) bool {
	switch tok {
	case '(', '{', '[':
		l.chains = append(l.chains, l.chain)
		l.chain = 0
		l.depth++
	case ')', '}', ']':
		if n := len(l.chains); n > 0 {
			l.chain = l.chains[n-1]
			l.chains = l.chains[:n-1]
		}
		l.depth--
	case TFunction, TDo, TThen, TRepeat:
		l.depth++
		l.chain = 0
	case TEnd, TUntil, TElseIf:
		l.depth--
		l.chain = 0
	case T2Comma, '^':
		l.chain++
	case TIdent, TNumber, TString, TNil, TTrue, TFalse, T3Comma, '.', ':', '-', '#', TNot:
	default:
		l.chain = 0
	}
	return l.depth+l.chain > maxSyntaxLevels
}

func init() {
	// The expected tokens are what lua51Message words its messages from.
	yyErrorVerbose = true
}
