package interp

import (
	"errors"
	"fmt"
	"strings"

	lua "github.com/yuin/gopher-lua"
	"github.com/yuin/gopher-lua/parse"
)

// Load compiles code as the chunk called name, checked as loadstring is
// (L.LoadChecked: the parse's memory against the limit, the interrupt as
// the parser reads), whatever brings it: a REPL line, a raw REPL chunk,
// main.lua, require. A chunk that ends too early (the most common slip when
// editing main.lua: a missing 'end') gets the line gopher-lua leaves out:
// its error names what is left open and where it was opened, as Lua 5.1's
// does.
func Load(L *lua.LState, code, name string) (*lua.LFunction, error) {
	fn, err := L.LoadChecked(code, name)
	return explained(fn, err, code)
}

// explained is Load's result for fn and err from compiling code.
func explained(fn *lua.LFunction, err error, code string) (*lua.LFunction, error) {
	if err != nil {
		return nil, explainEOF(err, code)
	}
	return fn, nil
}

// LoadScript is Load for the text of a file (a script, main.lua, dofile,
// loadfile): a first line that starts with '#', such as
// "#!/usr/bin/env moonpin", is skipped as Lua 5.1's loadfile skips it. The
// line stays, empty, so errors keep the file's line numbers. loadstring and
// REPL lines go through Load, where '#' is a syntax error as in Lua 5.1.
func LoadScript(L *lua.LState, code, name string) (*lua.LFunction, error) {
	return Load(L, skipHashLine(code), name)
}

func skipHashLine(code string) string {
	if !strings.HasPrefix(code, "#") {
		return code
	}
	if i := strings.IndexByte(code, '\n'); i >= 0 {
		return code[i:]
	}
	return ""
}

// eofError is a syntax error at the end of the chunk with what was left
// open. It unwraps to gopher-lua's error, so code that asks whether a chunk
// is merely incomplete (the REPL's continuation lines) still can.
type eofError struct {
	err  *parse.Error
	line int    // the chunk's last line
	what string // "'end' expected (to close 'if' at line 2) at end of input"
}

func (e *eofError) Error() string { return e.err.Error() }
func (e *eofError) Unwrap() error { return e.err }

func explainEOF(err error, code string) error {
	var api *lua.ApiError
	var pe *parse.Error
	if !errors.As(err, &api) || api.Type != lua.ApiErrorSyntax || !errors.As(api.Cause, &pe) || pe.Pos.Line != parse.EOF {
		return err
	}
	what, ok := unclosed(code)
	if !ok {
		return err
	}
	api.Cause = &eofError{err: pe, line: strings.Count(strings.TrimRight(code, "\r\n"), "\n") + 1, what: what}
	return api
}

// unclosed scans code with gopher-lua's own lexer and says what the chunk
// leaves open at its end: the innermost block or bracket, or a string or
// long comment. ok is false when it cannot tell.
func unclosed(code string) (what string, ok bool) {
	type opener struct {
		name, closer string
		line         int
		awaitDo      bool // a while or for whose 'do' has not come yet
	}
	var open []opener
	push := func(name, closer string, line int) {
		open = append(open, opener{name: name, closer: closer, line: line})
	}
	pop := func(closer string) bool {
		if len(open) == 0 || open[len(open)-1].closer != closer {
			return false
		}
		open = open[:len(open)-1]
		return true
	}
	sc := parse.NewScanner(strings.NewReader(code), "")
	lx := &parse.Lexer{}
	for {
		tok, err := sc.Scan(lx)
		if err != nil {
			var pe *parse.Error
			if errors.As(err, &pe) && strings.HasPrefix(pe.Message, "unterminated") {
				return fmt.Sprintf("%s starting at line %d", pe.Message, tok.Pos.Line), true
			}
			return "", false
		}
		lx.PrevTokenType = tok.Type
		line := tok.Pos.Line
		switch tok.Type {
		case parse.EOF:
			if len(open) == 0 {
				return "", false
			}
			top := open[len(open)-1]
			return fmt.Sprintf("'%s' expected (to close '%s' at line %d) at end of input", top.closer, top.name, top.line), true
		case parse.TFunction:
			push("function", "end", line)
		case parse.TIf:
			push("if", "end", line)
		case parse.TWhile, parse.TFor:
			push(tok.Str, "end", line)
			open[len(open)-1].awaitDo = true
		case parse.TDo:
			if n := len(open); n > 0 && open[n-1].awaitDo {
				open[n-1].awaitDo = false
			} else {
				push("do", "end", line)
			}
		case parse.TRepeat:
			push("repeat", "until", line)
		case parse.TEnd:
			if !pop("end") {
				return "", false
			}
		case parse.TUntil:
			if !pop("until") {
				return "", false
			}
		case '(':
			push("(", ")", line)
		case '{':
			push("{", "}", line)
		case '[':
			push("[", "]", line)
		case ')', '}', ']':
			if !pop(string(rune(tok.Type))) {
				return "", false
			}
		}
	}
}
