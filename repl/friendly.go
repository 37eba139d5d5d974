package repl

import (
	"errors"
	"fmt"
	"regexp"
	"runtime"
	"strings"

	"github.com/moonpin/moonpin/interp"
	"github.com/moonpin/moonpin/interp/show"
	lua "github.com/yuin/gopher-lua"
	"github.com/yuin/gopher-lua/ast"
	"github.com/yuin/gopher-lua/parse"
)

const (
	prompt     = "> "
	contPrompt = ">> "
	pasteStart = "\r\npaste mode; Ctrl-C to cancel, Ctrl-D to finish\r\n=== "
	// chunkName is typed code's chunk, as lua5.1 names it: "stdin" in
	// messages and tracebacks, source "=stdin" (debug.getinfo).
	chunkName = "=stdin"
)

func (d *Device) banner() string {
	ctrlDDoes := "soft-resets"
	if d.opts.CtrlDExits {
		ctrlDDoes = "exits"
	}
	var b strings.Builder
	fmt.Fprintf(&b, "moonpin %s (%s) on %s (Lua 5.1, gopher-lua)\r\n", d.opts.Version, runtime.Version(), d.opts.Board)
	for _, n := range d.opts.Notices {
		b.WriteString(n + "\r\n")
	}
	if d.safeNote != "" {
		fmt.Fprintf(&b, "safe mode (%s): boot.lua and main.lua were skipped; board.reset() runs them.\r\n", d.safeNote)
	}
	fmt.Fprintf(&b, "Ctrl-C interrupts, Ctrl-D %s, Ctrl-E pastes, Ctrl-A raw REPL.\r\n", ctrlDDoes)
	return b.String()
}

// friendly is the interactive REPL. It returns when the mode changes (to the
// raw REPL) or the device closes.
func (d *Device) friendly(greet bool) error {
	d.atFriendly.Store(true)
	defer d.atFriendly.Store(false)
	if greet {
		d.resetAfterUnmount()
		d.greet(d.banner() + prompt)
	}
	ed := newEditor(d.say, &d.hist)
	var chunk []string // the lines of an incomplete chunk so far
	restart := func(p string) {
		chunk = nil
		ed.reset()
		d.say(p)
	}
	for {
		p := prompt
		if chunk != nil {
			p = contPrompt
		}
		d.showLine(p, ed)
		c, err := d.readKey(chunk == nil && ed.empty())
		d.showLine("", nil)
		if errors.Is(err, errFresh) {
			// Nothing of the last client's line stays, not even its
			// last "\r" (which would swallow a "\n" of the next).
			chunk = nil
			d.resetAfterUnmount()
			d.greet("\r\n" + d.banner() + prompt)
			ed = newEditor(d.say, &d.hist)
			continue
		}
		if errors.Is(err, errCallbackEnd) {
			d.say("\r\n")
			d.callbackEnded()
			restart(d.banner() + prompt)
			continue
		}
		var lost *lostError
		if errors.As(err, &lost) {
			// The line under way lost its middle: it is not run.
			d.say("\r\n" + errorText(lost))
			restart(prompt)
			continue
		}
		if err != nil {
			return err
		}
		switch ed.feed(c) {
		case keyEnter:
			d.say("\r\n")
			line := ed.text()
			if ed.tooLong {
				d.say(fmt.Sprintf("line too long (limit %d KB); paste long code with Ctrl-E or send it through the raw REPL\r\n", maxLine>>10))
				restart(prompt)
				continue
			}
			d.hist.add(line)
			if chunk == nil && strings.TrimSpace(line) == "" {
				restart(prompt)
				continue
			}
			chunk = append(chunk, line)
			if d.evalInteractive(strings.Join(chunk, "\n"), false) {
				ed.reset()
				d.say(contPrompt)
				continue
			}
			restart(prompt)
		case keySoftReset:
			if chunk != nil {
				// Ctrl-D ends a multi-line chunk early, as in MicroPython.
				d.say("\r\n")
				d.evalInteractive(strings.Join(chunk, "\n"), true)
				restart(prompt)
				continue
			}
			d.say("\r\n")
			if d.opts.CtrlDExits {
				d.endQuit()
				ed.reset()
				continue
			}
			d.softReset()
			restart(d.banner() + prompt)
		case keyCancel:
			d.say("\r\n")
			if d.interruptCallback() {
				// The line typed so far is kept, under the callback's error.
				p := prompt
				if chunk != nil {
					p = contPrompt
				}
				d.say(p + ed.redraw())
				continue
			}
			restart(prompt)
		case keyRaw:
			d.rawRequested()
			d.say("\r\n")
			d.raw = true
			return nil
		case keyFriendly:
			restart("\r\n" + d.banner() + prompt)
		case keyPaste:
			if d.paste() {
				d.softReset()
				restart(d.banner() + prompt)
				continue
			}
			restart(prompt)
		case keyTab:
			d.completeLine(ed)
		}
	}
}

// paste is paste mode: lines are echoed and kept until Ctrl-D runs them as
// one chunk or Ctrl-C drops them. It reports whether the chunk asked for a
// soft reset.
func (d *Device) paste() (reset bool) {
	d.say(pasteStart)
	var code []byte
	lastCR := false
	var lost *lostError
	for {
		c, err := d.in.readByte(0)
		if errors.As(err, &lost) {
			continue
		}
		if err != nil {
			return false
		}
		cr := lastCR
		lastCR = c == '\r'
		switch {
		case c == ctrlC:
			d.say("\r\n")
			return false
		case c == ctrlD:
			d.say("\r\n")
			if lost != nil {
				d.say(errorText(lost) + "the paste is not run\r\n")
				return false
			}
			if len(code) > maxChunk {
				d.say(fmt.Sprintf("paste too long (limit %d MB)\r\n", maxChunk>>20))
				return false
			}
			var err error
			d.command(func() {
				err = d.runLua(func(L *lua.LState) error { return runChunk(L, chunkName, string(code)) })
			})
			if err != nil && wantsReset(err) {
				return true
			}
			if err != nil {
				d.sayError(err)
			}
			return false
		case c == '\n' && cr:
		case c == '\r' || c == '\n':
			code = append(code, '\n')
			d.say("\r\n=== ")
		default:
			if len(code) <= maxChunk {
				code = append(code, c)
			}
			d.sayBytes([]byte{c})
		}
	}
}

// evalInteractive runs a REPL chunk, printing the values of an expression:
// "return <chunk>" is tried first, then the chunk itself. It reports whether
// the chunk is incomplete (the plain chunk fails to parse at its end), in
// which case nothing ran. final says no more lines will come: an incomplete
// chunk is then an error.
func (d *Device) evalInteractive(src string, final bool) (incomplete bool) {
	code := src
	// "=expr" is Lua 5.1's; with it even io.write's true is shown.
	echoWrite := false
	if strings.HasPrefix(code, "=") {
		code = "return " + code[1:]
		echoWrite = true
	}
	var err error
	statement := false
	bareLocal := d.promptLocals[strings.TrimSpace(code)] // a name a line's local declared
	d.command(func() {
		err = d.runLua(func(L *lua.LState) error {
			// Checked, as every chunk is (a chunk of many lines
			// parses again with each line).
			fn, err := L.LoadChecked("return "+code, chunkName)
			if err != nil {
				fn, err = interp.Load(L, code, chunkName)
				if err != nil {
					if echoWrite {
						unshiftColumn(err)
					}
					if !final && isIncomplete(err) {
						incomplete = true
						return nil
					}
					return err
				}
				statement = true
			}
			if err := callAndShow(L, fn, !echoWrite && isWriteCall(code), d.say); err != nil {
				return err
			}
			if bareLocal && L.GetGlobal(strings.TrimSpace(code)) == lua.LNil {
				d.say(localHint(strings.TrimSpace(code)))
			}
			return nil
		})
	})
	if incomplete {
		return true
	}
	if statement {
		d.notePromptLocals(code)
	}
	var e *interp.Error
	if d.opts.CtrlDExits && errors.As(err, &e) && e.Kind == interp.KindExit {
		d.endQuit()
		return false
	}
	if err != nil && wantsReset(err) {
		d.softReset()
		d.say(d.banner())
		return false
	}
	if err != nil {
		d.sayError(err)
		if m := globalName.FindStringSubmatch(err.Error()); m != nil && d.promptLocals[m[1]] {
			d.say(localHint(m[1]))
		}
	}
	return false
}

// globalName finds the global an error message names ("attempt to call
// global 'f' (a nil value)").
var globalName = regexp.MustCompile(`global '([A-Za-z_][A-Za-z0-9_]*)'`)

// notePromptLocals remembers the names that code, a line (or lines) run
// at the prompt, declared local at its top level: each line is a chunk of
// its own, so they were gone once it ended. A later line that finds such a
// name nil, or an error that names it as a global, gets a hint (users of
// MicroPython, and of Lua, trip on it).
func (d *Device) notePromptLocals(code string) {
	if !strings.Contains(code, "local") {
		return
	}
	chunk, err := parse.Parse(strings.NewReader(code), chunkName)
	if err != nil {
		return
	}
	for _, st := range chunk {
		if l, ok := st.(*ast.LocalAssignStmt); ok {
			for _, name := range l.Names {
				if d.promptLocals == nil {
					d.promptLocals = make(map[string]bool)
				}
				d.promptLocals[name] = true
			}
		}
	}
}

// localHint explains why name, declared local on an earlier line, is nil.
func localHint(name string) string {
	return fmt.Sprintf("hint: `local %s` ended with its line (each line at the prompt is a chunk of its own); leave out `local` to keep %s\r\n", name, name)
}

// unshiftColumn puts a syntax error's column on line 1 of an "=expr" chunk
// back where the user typed it: the parser read "return expr", six
// characters longer.
func unshiftColumn(err error) {
	var apiErr *lua.ApiError
	var pe *parse.Error
	if errors.As(err, &apiErr) && errors.As(apiErr.Cause, &pe) && pe.Pos.Line == 1 && pe.Pos.Column > len("return ") {
		pe.Pos.Column -= len("return ") - len("=")
	}
}

// callAndShow calls fn and writes its results as show.Values gives them
// (an error in a __tostring is the chunk's error); nothing when there are
// none. quietTrue drops a lone true: what io.write returns after writing.
func callAndShow(L *lua.LState, fn *lua.LFunction, quietTrue bool, write func(string)) error {
	top := L.GetTop()
	defer L.SetTop(top)
	L.Push(fn)
	if err := L.PCall(0, lua.MultRet, nil); err != nil {
		return err
	}
	vals := make([]lua.LValue, L.GetTop()-top)
	for i := range vals {
		vals[i] = L.Get(top + 1 + i)
	}
	if len(vals) == 0 || (quietTrue && len(vals) == 1 && vals[0] == lua.LTrue) {
		return nil
	}
	// In a protected call, as a builtin runs: the printer raises the
	// interrupt while it scans a big table.
	var s string
	if err := protected(L, func(L *lua.LState) { s = show.Values(L, vals) }); err != nil {
		return err
	}
	write(string(crlf([]byte(s))) + "\r\n")
	return nil
}

// isIncomplete reports whether a compile error says the chunk ended too
// soon: more lines may complete it. gopher-lua puts such errors at EOF.
// An unfinished one-line string is not completed by another line.
func isIncomplete(err error) bool {
	var api *lua.ApiError
	if !errors.As(err, &api) || api.Type != lua.ApiErrorSyntax {
		return false
	}
	var pe *parse.Error
	if !errors.As(api.Cause, &pe) {
		return false
	}
	return pe.Pos.Line == parse.EOF && pe.Message != "unfinished string"
}
