package parse

import (
	"fmt"

	"github.com/yuin/gopher-lua/ast"
)

// maxLocalVars is Lua 5.1's LUAI_MAXVARS, the local variables a function
// may have in scope at once.
const maxLocalVars = 200

// localCounter counts the local variables in scope in each function being
// read, as Lua 5.1's parser declares them, so that "function at line 1 has
// more than 200 local variables" comes where 5.1's comes (moonpin): on the
// line of the token after the name that goes past the limit (5.1's
// new_localvar runs once that token is read), and before a syntax error
// further on (5.1 parses and compiles in one pass; the compiler here sees
// the chunk only once it has parsed, and an unfinished function was
// "'end' expected"). It follows the tokens: a name after `local` or
// `local function` and its ','s, the names of a for (and its three hidden
// locals), a function's parameters (self, and arg for a '...', 5.1's
// LUA_COMPAT_VARARG), and the blocks that end them. The compiler keeps
// its own check (compile.go RegisterLocalVar) for what it declares itself.
type localCounter struct {
	funcs []localFunc // the main chunk first, the innermost last
	// pending is the locals the last token declared, counted with the
	// next one's line.
	pending int
	state   localState
	// forNames is how many names the for being read has so far.
	forNames int
	// fn is the function keyword being read up to its parameters.
	fn struct {
		line       int  // the line of 'function'
		named      bool // a function statement: 5.1's line is the keyword's
		self       bool // a method: self is its first local
		afterLocal bool
	}
}

type localFunc struct {
	line   int // 5.1's linedefined, 0 for the main chunk
	count  int
	scopes []localScope
	vararg bool // its parameters end with '...' (the main chunk's do)
}

type localScope struct {
	count   int  // the function's count when the block opened
	awaitDo bool // a while or for before its 'do'
}

type localState int

const (
	lsNone       localState = iota
	lsLocal                 // after `local`
	lsLocalName             // after a local's name
	lsLocalComma            // after a ',' in a local's names
	lsLocalFunc             // after `local function`
	lsFor                   // after `for`
	lsForName               // after a for's name
	lsForComma              // after a ',' in a for's names
	lsFunc                  // after `function`, up to its '('
	lsParams                // in a parameter list
)

// vararg says whether the function being read may use '...'.
func (lc *localCounter) vararg() bool {
	return len(lc.funcs) == 0 || lc.funcs[len(lc.funcs)-1].vararg
}

// take counts tok, the token just read, whose line (where it ends) is
// line. It returns an error when the locals declared before tok go past
// the limit.
func (lc *localCounter) take(tok ast.Token, line int, prev int) error {
	if len(lc.funcs) == 0 {
		lc.funcs = append(lc.funcs, localFunc{vararg: true})
	}
	f := &lc.funcs[len(lc.funcs)-1]
	if lc.pending > 0 {
		f.count += lc.pending
		lc.pending = 0
		if f.count > maxLocalVars {
			where := "main function"
			if f.line != 0 {
				where = fmt.Sprintf("function at line %d", f.line)
			}
			return fmt.Errorf("%s has more than %d local variables", where, maxLocalVars)
		}
	}
	t := tok.Type
	if t < 0 {
		return nil
	}
	switch lc.state {
	case lsLocal:
		if t == TFunction {
			lc.state = lsLocalFunc
			lc.fn.line, lc.fn.named, lc.fn.self, lc.fn.afterLocal = tok.Pos.Line, false, false, true
			return nil
		}
		if t == TIdent {
			lc.pending, lc.state = 1, lsLocalName
			return nil
		}
	case lsLocalName:
		if t == ',' {
			lc.state = lsLocalComma
			return nil
		}
	case lsLocalComma:
		if t == TIdent {
			lc.pending, lc.state = 1, lsLocalName
			return nil
		}
	case lsLocalFunc:
		lc.state = lsFunc
		if t == TIdent {
			lc.pending = 1
			return nil
		}
	case lsFor:
		if t == TIdent {
			lc.pending, lc.state = 4, lsForName // and the three hidden ones
			lc.forNames = 1
			return nil
		}
	case lsForName:
		if t == ',' {
			lc.state = lsForComma
			return nil
		}
	case lsForComma:
		if t == TIdent {
			lc.pending, lc.state = 1, lsForName
			lc.forNames++
			return nil
		}
	case lsFunc:
		switch t {
		case TIdent, '.':
			if t == TIdent && prev == TFunction && !lc.fn.afterLocal {
				lc.fn.named = true
			}
			return nil
		case ':':
			lc.fn.self = true
			return nil
		case '(':
			line := tok.Pos.Line
			if lc.fn.named {
				line = lc.fn.line
			}
			lc.funcs = append(lc.funcs, localFunc{line: line})
			lc.state = lsParams
			if lc.fn.self {
				lc.pending = 1
			}
			return nil
		}
	case lsParams:
		switch t {
		case TIdent, T3Comma: // a '...' declares arg
			lc.pending = 1
			if t == T3Comma {
				f.vararg = true
			}
			return nil
		case ',':
			return nil
		}
	}
	lc.state = lsNone
	n := len(f.scopes)
	switch t {
	case TLocal:
		lc.state = lsLocal
	case TFunction:
		lc.state = lsFunc
		lc.fn.line, lc.fn.named, lc.fn.self, lc.fn.afterLocal = tok.Pos.Line, false, false, false
	case TFor:
		f.scopes = append(f.scopes, localScope{count: f.count, awaitDo: true})
		lc.state = lsFor
	case TWhile:
		f.scopes = append(f.scopes, localScope{count: f.count, awaitDo: true})
	case TIf, TRepeat:
		f.scopes = append(f.scopes, localScope{count: f.count})
	case TDo:
		if n > 0 && f.scopes[n-1].awaitDo {
			f.scopes[n-1].awaitDo = false
		} else {
			f.scopes = append(f.scopes, localScope{count: f.count})
		}
	case TElse, TElseIf:
		if n > 0 {
			f.count = f.scopes[n-1].count
		}
	case TEnd, TUntil:
		if n > 0 {
			f.count = f.scopes[n-1].count
			f.scopes = f.scopes[:n-1]
		} else if t == TEnd && len(lc.funcs) > 1 {
			lc.funcs = lc.funcs[:len(lc.funcs)-1]
		}
	}
	return nil
}
