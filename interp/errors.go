package interp

import (
	"errors"
	"fmt"
	"strings"

	"github.com/moonpin/moonpin/interp/show"
	lua "github.com/yuin/gopher-lua"
	"github.com/yuin/gopher-lua/parse"
)

// Kind says how a chunk ended badly.
type Kind int

const (
	KindRuntime     Kind = iota // a Lua error
	KindSyntax                  // the chunk did not compile
	KindInterrupted             // Interrupt (Ctrl-C)
	KindMemory                  // the memory limit
	KindExit                    // os.exit
	KindReset                   // board.reset() asked for a soft reset
	KindResetLoop               // board.reset() again and again: not done (see ResetLoopLimit)
)

// Error is a failed chunk: the message with the script's file:line first, and
// the Lua traceback where there is one.
type Error struct {
	Kind      Kind
	Message   string
	Traceback string
	Code      int // for KindExit: the exit status
}

func (e *Error) Error() string {
	if e.Traceback == "" {
		return e.Message
	}
	return e.Message + "\n" + e.Traceback
}

// ExitCode is the process status a script run should end with for err.
func ExitCode(err error) int {
	var e *Error
	if errors.As(err, &e) && e.Kind == KindExit {
		return e.Code
	}
	if err != nil {
		return 1
	}
	return 0
}

// Reasons a state's context is cancelled; gopher-lua raises their text.
var (
	errInterrupted = errors.New("interrupted")
	errReset       = errors.New("soft reset")
)

type memoryError struct{ limitMB int64 }

func (e memoryError) Error() string { return fmt.Sprintf("memory limit exceeded (%d MB)", e.limitMB) }

type exitError struct{ code int }

func (e exitError) Error() string { return fmt.Sprintf("os.exit(%d)", e.code) }

// goFramesOnly reports whether a traceback names no Lua code, only "[C]"
// frames, which say nothing a reader can use.
func goFramesOnly(traceback string) bool {
	lines := strings.Split(traceback, "\n")
	if len(lines) < 2 || strings.TrimSpace(lines[0]) != "stack traceback:" {
		return false
	}
	for _, l := range lines[1:] {
		if !strings.HasPrefix(strings.TrimSpace(l), "[C]") {
			return false
		}
	}
	return true
}

// newError turns what gopher-lua returned into an *Error; reason is the state's
// cancel reason, if it was cancelled.
func newError(err error, reason error) *Error {
	e := &Error{Kind: KindRuntime, Message: err.Error()}
	var apiErr *lua.ApiError
	if errors.As(err, &apiErr) {
		e.Message = apiErr.Object.String()
		e.Traceback = strings.TrimSpace(apiErr.StackTrace)
		if goFramesOnly(e.Traceback) {
			// Nothing of the script's: the REPL showing a value whose
			// __tostring returned nil, a Go call's own error.
			e.Traceback = ""
		}
		switch apiErr.Object.(type) {
		case lua.LString, lua.LNumber, *lua.LNilType:
		default:
			// Lua 5.1's lua.c: a table, a boolean (even one with
			// __tostring) is not a message, and gets no traceback.
			// moonpin shows what it was, too: error({code = 2}) said
			// nothing of the code.
			e.Message, e.Traceback = "(error object is not a string): "+show.Raw(apiErr.Object), ""
		}
		if apiErr.Type == lua.ApiErrorSyntax {
			e.Kind, e.Traceback = KindSyntax, ""
			if apiErr.Cause != nil {
				e.Message = apiErr.Cause.Error()
			}
			e.Message = strings.TrimSpace(e.Message)
			// The fork words syntax errors as Lua 5.1 ("main.lua:3:
			// unexpected symbol near 'x'", "'end' expected (to close
			// 'if' at line 2) near '<eof>'"); moonpin adds the column
			// before the end of the chunk.
			var pe *parse.Error
			if errors.As(apiErr.Cause, &pe) && pe.Pos.Line != parse.EOF {
				e.Message = fmt.Sprintf("%s (column %d)", pe.Error(), pe.Pos.Column)
			}
		}
	}
	if e.Traceback == "" && (e.Kind != KindSyntax || reason != nil) {
		// An error raised outside a protected call carries its traceback
		// in its text: an interrupt or the memory limit while the chunk
		// compiled, which the fork reports as a failed load.
		if msg, tb, ok := strings.Cut(e.Message, "\nstack traceback:\n"); ok {
			e.Message, e.Traceback = msg, "stack traceback:\n"+tb
			if goFramesOnly(e.Traceback) {
				e.Traceback = ""
			}
		}
	}
	if reason != nil {
		e.Message = strings.TrimSpace(e.Message)
		switch r := reason.(type) {
		case memoryError:
			e.Kind = KindMemory
			e.Message += "; free memory (set big tables to nil) or start moonpin with a larger --mem-limit"
		case exitError:
			e.Kind, e.Code, e.Traceback = KindExit, r.code, ""
		default:
			switch reason {
			case errInterrupted:
				e.Kind = KindInterrupted
			case errReset:
				e.Kind, e.Traceback = KindReset, ""
			case errResetLoop:
				e.Kind, e.Traceback = KindResetLoop, ""
			}
		}
	}
	return e
}
