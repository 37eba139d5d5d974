// Lua pattern match functions for Go
package pm

import (
	"fmt"
)

const (
	EOS               = -1
	_UNKNOWN          = -2
	maxRecursionLevel = 1000000
	maxCaptures       = 32 // moonpin: Lua 5.1's LUA_MAXCAPTURES
)

/* Error {{{ */

type Error struct {
	Pos     int
	Message string
}

func newError(pos int, message string, args ...interface{}) *Error {
	if len(args) == 0 {
		return &Error{pos, message}
	}
	return &Error{pos, fmt.Sprintf(message, args...)}
}

// Error is the message alone (moonpin: as Lua 5.1's, which has no position;
// upstream added " at 3" or " at EOS").
func (e *Error) Error() string { return e.Message }

// ErrorWithPos is upstream's Error: the message and the position in the
// pattern.
func (e *Error) ErrorWithPos() string {
	switch e.Pos {
	case EOS:
		return fmt.Sprintf("%s at EOS", e.Message)
	case _UNKNOWN:
		return fmt.Sprintf("%s", e.Message)
	default:
		return fmt.Sprintf("%s at %d", e.Message, e.Pos)
	}
}

/* }}} */

/* MatchData {{{ */

type MatchData struct {
	// captured positions
	// layout
	// xxxx xxxx xxxx xxx0 : caputured positions
	// xxxx xxxx xxxx xxx1 : position captured positions
	captures []uint32
}

func newMatchState() *MatchData { return &MatchData{[]uint32{}} }

func (st *MatchData) addPosCapture(s, pos int) {
	for s+1 >= len(st.captures) {
		st.captures = append(st.captures, 0)
	}
	st.captures[s] = (uint32(pos) << 1) | 1
	st.captures[s+1] = (uint32(pos) << 1) | 1
}

func (st *MatchData) setCapture(s, pos int) uint32 {
	for s >= len(st.captures) {
		st.captures = append(st.captures, 0)
	}
	v := st.captures[s]
	st.captures[s] = (uint32(pos) << 1)
	return v
}

func (st *MatchData) restoreCapture(s int, pos uint32) { st.captures[s] = pos }

func (st *MatchData) CaptureLength() int { return len(st.captures) }

func (st *MatchData) IsPosCapture(idx int) bool { return (st.captures[idx] & 1) == 1 }

func (st *MatchData) Capture(idx int) int { return int(st.captures[idx] >> 1) }

/* }}} */

/* scanner {{{ */

type scannerState struct {
	Pos     int
	started bool
}

type scanner struct {
	src   []byte
	State scannerState
	saved scannerState
}

func newScanner(src []byte) *scanner {
	return &scanner{
		src: src,
		State: scannerState{
			Pos:     0,
			started: false,
		},
		saved: scannerState{},
	}
}

func (sc *scanner) Length() int { return len(sc.src) }

func (sc *scanner) Next() int {
	if !sc.State.started {
		sc.State.started = true
		if len(sc.src) == 0 {
			sc.State.Pos = EOS
		}
	} else {
		sc.State.Pos = sc.NextPos()
	}
	if sc.State.Pos == EOS {
		return EOS
	}
	return int(sc.src[sc.State.Pos])
}

func (sc *scanner) CurrentPos() int {
	return sc.State.Pos
}

func (sc *scanner) NextPos() int {
	if sc.State.Pos == EOS || sc.State.Pos >= len(sc.src)-1 {
		return EOS
	}
	if !sc.State.started {
		return 0
	} else {
		return sc.State.Pos + 1
	}
}

func (sc *scanner) Peek() int {
	cureof := sc.State.Pos == EOS
	ch := sc.Next()
	if !cureof {
		if sc.State.Pos == EOS {
			sc.State.Pos = len(sc.src) - 1
		} else {
			sc.State.Pos--
			if sc.State.Pos < 0 {
				sc.State.Pos = 0
				sc.State.started = false
			}
		}
	}
	return ch
}

func (sc *scanner) Save() { sc.saved = sc.State }

func (sc *scanner) Restore() { sc.State = sc.saved }

/* }}} */

/* bytecode {{{ */

type opCode int

const (
	opChar opCode = iota
	opMatch
	opTailMatch
	opJmp
	opSplit
	opSave
	opPSave
	opBrace
	opNumber
	opStar     // moonpin: Class repeated greedily, as Lua's max_expand
	opLazy     // moonpin: Class repeated lazily, as Lua's min_expand
	opFrontier // moonpin: %f[set]
)

type inst struct {
	OpCode   opCode
	Class    class
	Operand1 int
	Operand2 int
}

/* }}} */

/* classes {{{ */

type class interface {
	Matches(ch int) bool
}

type dotClass struct{}

func (pn *dotClass) Matches(ch int) bool { return true }

type charClass struct {
	Ch int
}

func (pn *charClass) Matches(ch int) bool { return pn.Ch == ch }

type singleClass struct {
	Class int
}

func (pn *singleClass) Matches(ch int) bool {
	ret := false
	switch pn.Class {
	case 'a', 'A':
		ret = 'A' <= ch && ch <= 'Z' || 'a' <= ch && ch <= 'z'
	case 'c', 'C':
		ret = (0x00 <= ch && ch <= 0x1F) || ch == 0x7F
	case 'd', 'D':
		ret = '0' <= ch && ch <= '9'
	case 'l', 'L':
		ret = 'a' <= ch && ch <= 'z'
	case 'p', 'P':
		ret = (0x21 <= ch && ch <= 0x2f) || (0x3a <= ch && ch <= 0x40) || (0x5b <= ch && ch <= 0x60) || (0x7b <= ch && ch <= 0x7e)
	case 's', 'S':
		switch ch {
		case ' ', '\f', '\n', '\r', '\t', '\v':
			ret = true
		}
	case 'u', 'U':
		ret = 'A' <= ch && ch <= 'Z'
	case 'w', 'W':
		ret = '0' <= ch && ch <= '9' || 'A' <= ch && ch <= 'Z' || 'a' <= ch && ch <= 'z'
	case 'x', 'X':
		ret = '0' <= ch && ch <= '9' || 'a' <= ch && ch <= 'f' || 'A' <= ch && ch <= 'F'
	case 'z', 'Z':
		ret = ch == 0
	default:
		return ch == pn.Class
	}
	if 'A' <= pn.Class && pn.Class <= 'Z' {
		return !ret
	}
	return ret
}

type setClass struct {
	IsNot   bool
	Classes []class
}

func (pn *setClass) Matches(ch int) bool {
	for _, class := range pn.Classes {
		if class.Matches(ch) {
			return !pn.IsNot
		}
	}
	return pn.IsNot
}

type rangeClass struct {
	Begin class
	End   class
}

func (pn *rangeClass) Matches(ch int) bool {
	switch begin := pn.Begin.(type) {
	case *charClass:
		end, ok := pn.End.(*charClass)
		if !ok {
			return false
		}
		return begin.Ch <= ch && ch <= end.Ch
	}
	return false
}

// }}}

// patterns {{{

type pattern interface{}

type singlePattern struct {
	Class class
}

type seqPattern struct {
	MustHead bool
	MustTail bool
	Patterns []pattern
}

type repeatPattern struct {
	Type  int
	Class class
}

type posCapPattern struct{}

type capPattern struct {
	Pattern pattern
}

type numberPattern struct {
	N int
}

// frontierPattern is %f[set]: the empty string where the previous byte
// (0 at the start) is not in set and the next (0 at the end) is (moonpin:
// upstream read %f as the class of the letter f).
type frontierPattern struct {
	Class class
}

type bracePattern struct {
	Begin int
	End   int
}

// }}}

/* parse {{{ */

func parseClass(sc *scanner, allowset bool) class {
	ch := sc.Next()
	switch ch {
	case '%':
		c := sc.Next()
		if c == EOS {
			panic(newError(sc.CurrentPos(), "%s", "malformed pattern (ends with '%')"))
		}
		return &singleClass{c}
	case '.':
		if allowset {
			return &dotClass{}
		}
		return &charClass{ch}
	case '[':
		if allowset {
			return parseClassSet(sc)
		}
		return &charClass{ch}
	//case '^' '$', '(', ')', ']', '*', '+', '-', '?':
	//	panic(newError(sc.CurrentPos(), "invalid %c", ch))
	case EOS:
		panic(newError(sc.CurrentPos(), "unexpected EOS"))
	default:
		return &charClass{ch}
	}
}

// parseClassSet reads a set whose '[' the scanner has just read.
// moonpin: as Lua 5.1, the set ends at the first ']' that is neither its
// first character nor escaped (classEnd: "malformed pattern (missing ']')"
// without one), and its items are read as matchbracketclass reads them: a
// %-escape is a class, c-d is a range only where c is not escaped and a
// character follows the '-' before the end (`[%a-z]` is letters, '-' and
// 'z'; upstream made a range of %a and z, which matched nothing).
func parseClassSet(sc *scanner) class {
	src, open := sc.src, sc.CurrentPos()
	end := open + 1
	if end < len(src) && src[end] == '^' {
		end++
	}
	for {
		if end >= len(src) {
			panic(newError(open, "malformed pattern (missing ']')"))
		}
		end++
		if src[end-1] == '%' && end < len(src) {
			end++
		}
		if end < len(src) && src[end] == ']' {
			break
		}
	}
	set := &setClass{false, []class{}}
	p := open
	if src[p+1] == '^' {
		set.IsNot = true
		p++
	}
	for p++; p < end; p++ {
		switch {
		case src[p] == '%':
			p++
			set.Classes = append(set.Classes, &singleClass{int(src[p])})
		case src[p+1] == '-' && p+2 < end:
			set.Classes = append(set.Classes, &rangeClass{&charClass{int(src[p])}, &charClass{int(src[p+2])}})
			p += 2
		default:
			set.Classes = append(set.Classes, &charClass{int(src[p])})
		}
	}
	sc.State = scannerState{Pos: end, started: true}
	return set
}

// captureState is what parsePattern knows of the captures read so far
// (moonpin): how many were opened, and a bit for each closed one, so that a
// back reference %n to a capture not (yet) closed and a 33rd capture fail
// as in Lua 5.1.
type captureState struct {
	opened int
	closed uint32 // bit n-1: capture n is closed
}

// parsePattern reads a pattern, or a capture's when toplevel is false.
func parsePattern(sc *scanner, toplevel bool, caps *captureState) *seqPattern {
	pat := &seqPattern{}
	if toplevel {
		if sc.Peek() == '^' {
			sc.Next()
			pat.MustHead = true
		}
	}
	for {
		ch := sc.Peek()
		switch ch {
		case '%':
			sc.Save()
			sc.Next()
			switch sc.Peek() {
			case '0', '1', '2', '3', '4', '5', '6', '7', '8', '9':
				n := sc.Next() - '0'
				if n == 0 || caps.closed&(1<<(n-1)) == 0 {
					panic(newError(sc.CurrentPos(), "invalid capture index"))
				}
				pat.Patterns = append(pat.Patterns, &numberPattern{n})
			case 'b':
				sc.Next()
				b, e := sc.Next(), sc.Next()
				if b == EOS || e == EOS {
					panic(newError(sc.CurrentPos(), "unbalanced pattern"))
				}
				pat.Patterns = append(pat.Patterns, &bracePattern{b, e})
			case 'f':
				sc.Next()
				if sc.Peek() != '[' {
					panic(newError(sc.CurrentPos(), "%s", "missing '[' after '%f' in pattern"))
				}
				pat.Patterns = append(pat.Patterns, &frontierPattern{parseClass(sc, true)})
			default:
				sc.Restore()
				pat.Patterns = append(pat.Patterns, &singlePattern{parseClass(sc, true)})
			}
		case '.', '[', ']':
			pat.Patterns = append(pat.Patterns, &singlePattern{parseClass(sc, true)})
		//case ']':
		//	panic(newError(sc.CurrentPos(), "invalid ']'"))
		case ')':
			if toplevel {
				panic(newError(sc.CurrentPos(), "invalid pattern capture"))
			}
			return pat
		case '(':
			sc.Next()
			if caps.opened == maxCaptures {
				panic(newError(sc.CurrentPos(), "too many captures"))
			}
			n := caps.opened
			caps.opened++
			if sc.Peek() == ')' {
				sc.Next()
				pat.Patterns = append(pat.Patterns, &posCapPattern{})
			} else {
				ret := &capPattern{parsePattern(sc, false, caps)}
				if sc.Peek() != ')' {
					panic(newError(sc.CurrentPos(), "unfinished capture"))
				}
				sc.Next()
				pat.Patterns = append(pat.Patterns, ret)
			}
			caps.closed |= 1 << n
		case '*', '+', '-', '?':
			sc.Next()
			if len(pat.Patterns) > 0 {
				spat, ok := pat.Patterns[len(pat.Patterns)-1].(*singlePattern)
				if ok {
					pat.Patterns = pat.Patterns[0 : len(pat.Patterns)-1]
					pat.Patterns = append(pat.Patterns, &repeatPattern{ch, spat.Class})
					continue
				}
			}
			pat.Patterns = append(pat.Patterns, &singlePattern{&charClass{ch}})
		case '$':
			if toplevel && (sc.NextPos() == sc.Length()-1 || sc.NextPos() == EOS) {
				pat.MustTail = true
			} else {
				pat.Patterns = append(pat.Patterns, &singlePattern{&charClass{ch}})
			}
			sc.Next()
		case EOS:
			sc.Next()
			goto exit
		default:
			sc.Next()
			pat.Patterns = append(pat.Patterns, &singlePattern{&charClass{ch}})
		}
	}
exit:
	return pat
}

type iptr struct {
	insts   []inst
	capture int
}

func compilePattern(p pattern, ps ...*iptr) []inst {
	var ptr *iptr
	toplevel := false
	if len(ps) == 0 {
		toplevel = true
		ptr = &iptr{[]inst{inst{opSave, nil, 0, -1}}, 2}
	} else {
		ptr = ps[0]
	}
	switch pat := p.(type) {
	case *singlePattern:
		ptr.insts = append(ptr.insts, inst{opChar, pat.Class, -1, -1})
	case *seqPattern:
		for _, cp := range pat.Patterns {
			compilePattern(cp, ptr)
		}
	case *repeatPattern:
		idx := len(ptr.insts)
		switch pat.Type {
		// moonpin: '*', '+' and '-' loop in one instruction, as Lua's
		// matcher does, where a split per repetition recursed once per
		// character matched (a million levels of Go stack for "a*$" on a
		// megabyte, past any memory limit).
		case '*':
			ptr.insts = append(ptr.insts, inst{opStar, pat.Class, -1, -1})
		case '+':
			ptr.insts = append(ptr.insts,
				inst{opChar, pat.Class, -1, -1},
				inst{opStar, pat.Class, -1, -1})
		case '-':
			ptr.insts = append(ptr.insts, inst{opLazy, pat.Class, -1, -1})
		case '?':
			ptr.insts = append(ptr.insts,
				inst{opSplit, nil, idx + 1, idx + 2},
				inst{opChar, pat.Class, -1, -1})
		}
	case *posCapPattern:
		ptr.insts = append(ptr.insts, inst{opPSave, nil, ptr.capture, -1})
		ptr.capture += 2
	case *capPattern:
		c0, c1 := ptr.capture, ptr.capture+1
		ptr.capture += 2
		ptr.insts = append(ptr.insts, inst{opSave, nil, c0, -1})
		compilePattern(pat.Pattern, ptr)
		ptr.insts = append(ptr.insts, inst{opSave, nil, c1, -1})
	case *bracePattern:
		ptr.insts = append(ptr.insts, inst{opBrace, nil, pat.Begin, pat.End})
	case *numberPattern:
		ptr.insts = append(ptr.insts, inst{opNumber, nil, pat.N, -1})
	case *frontierPattern:
		ptr.insts = append(ptr.insts, inst{opFrontier, pat.Class, -1, -1})
	}
	if toplevel {
		if p.(*seqPattern).MustTail {
			ptr.insts = append(ptr.insts, inst{opSave, nil, 1, -1}, inst{opTailMatch, nil, -1, -1})
		}
		ptr.insts = append(ptr.insts, inst{opSave, nil, 1, -1}, inst{opMatch, nil, -1, -1})
	}
	return ptr.insts
}

/* }}} parse */

/* VM {{{ */

// Simple recursive virtual machine based on the
// "Regular Expression Matching: the Virtual Machine Approach" (https://swtch.com/~rsc/regexp/regexp2.html)
//
// moonpin: a matcher counts its steps and calls poll every pollEvery of them,
// so that a pattern that backtracks exponentially (or a quadratic %b scan)
// can be interrupted: poll panics to stop the search.
type matcher struct {
	src   []byte
	insts []inst
	steps uint32
	poll  func()
}

// pollEvery is the number of matcher steps between calls of poll: a few
// microseconds of matching.
const pollEvery = 1024

// scanPiece is how many bytes a scan inside one step (a class's run, a
// balance) counts at a time: at most a millisecond between two polls.
const scanPiece = 1 << 16

func (vm *matcher) step(n int) {
	before := vm.steps
	vm.steps += uint32(n)
	if vm.poll != nil && (before/pollEvery != vm.steps/pollEvery) {
		vm.poll()
	}
}

func (vm *matcher) run(pc, sp, recLevel int, m *MatchData) (bool, int, *MatchData) {
	recLevel++
	if recLevel > maxRecursionLevel {
		panic(newError(_UNKNOWN, "pattern/input too complex"))
	}
	vm.step(1)
	if m == nil {
		m = newMatchState()
	}
	src, insts := vm.src, vm.insts
redo:
	inst := insts[pc]
	switch inst.OpCode {
	case opChar:
		if sp >= len(src) || !inst.Class.Matches(int(src[sp])) {
			return false, sp, m
		}
		pc++
		sp++
		goto redo
	case opMatch:
		return true, sp, m
	case opTailMatch:
		return sp >= len(src), sp, m
	case opJmp:
		pc = inst.Operand1
		goto redo
	case opSplit:
		if ok, nsp, _ := vm.run(inst.Operand1, sp, recLevel, m); ok {
			return true, nsp, m
		}
		pc = inst.Operand2
		goto redo
	case opStar:
		// moonpin: a run of millions (`^a*$` over 128 MB: 275 ms) is
		// counted as it is scanned, not after
		n := 0
		for sp+n < len(src) && inst.Class.Matches(int(src[sp+n])) {
			n++
			if n%scanPiece == 0 {
				vm.step(scanPiece)
			}
		}
		vm.step(n % scanPiece)
		for ; n >= 0; n-- {
			if ok, nsp, _ := vm.run(pc+1, sp+n, recLevel, m); ok {
				return true, nsp, m
			}
		}
		return false, sp, m
	case opLazy:
		for {
			if ok, nsp, _ := vm.run(pc+1, sp, recLevel, m); ok {
				return true, nsp, m
			}
			if sp >= len(src) || !inst.Class.Matches(int(src[sp])) {
				return false, sp, m
			}
			sp++
		}
	case opSave:
		s := m.setCapture(inst.Operand1, sp)
		if ok, nsp, _ := vm.run(pc+1, sp, recLevel, m); ok {
			return true, nsp, m
		}
		m.restoreCapture(inst.Operand1, s)
		return false, sp, m
	case opPSave:
		m.addPosCapture(inst.Operand1, sp+1)
		pc++
		goto redo
	case opBrace:
		if sp >= len(src) || int(src[sp]) != inst.Operand1 {
			return false, sp, m
		}
		count := 1
		begin := sp
		for sp = sp + 1; sp < len(src); sp++ {
			if int(src[sp]) == inst.Operand2 {
				count--
			}
			if count == 0 {
				vm.step(sp - begin)
				pc++
				sp++
				goto redo
			}
			if int(src[sp]) == inst.Operand1 {
				count++
			}
			// moonpin: counted as it is scanned, as opStar's run
			if sp-begin == scanPiece {
				vm.step(scanPiece)
				begin = sp
			}
		}
		vm.step(sp - begin)
		return false, sp, m
	case opFrontier:
		prev, next := 0, 0
		if sp > 0 {
			prev = int(src[sp-1])
		}
		if sp < len(src) {
			next = int(src[sp])
		}
		if inst.Class.Matches(prev) || !inst.Class.Matches(next) {
			return false, sp, m
		}
		pc++
		goto redo
	case opNumber:
		idx := inst.Operand1 * 2
		if idx >= m.CaptureLength()-1 {
			panic(newError(_UNKNOWN, "invalid capture index"))
		}
		if m.IsPosCapture(idx) {
			// moonpin: a position capture is no text; as in 5.1 (whose
			// length for it is CAP_POSITION, -2 as a size_t), a
			// back-reference to it never matches. Upstream sliced the
			// subject with the position: a match, or a Go panic past
			// its end ("()%1*").
			return false, sp, m
		}
		capture := src[m.Capture(idx):m.Capture(idx+1)]
		vm.step(len(capture))
		for i := 0; i < len(capture); i++ {
			if i+sp >= len(src) || capture[i] != src[i+sp] {
				return false, sp, m
			}
		}
		pc++
		sp += len(capture)
		goto redo
	}
	panic("should not reach here")
}

/* }}} */

/* API {{{ */

// Searcher finds the matches of a pattern in a subject one at a time, so
// that gsub and gmatch need not hold every match at once (moonpin).
type Searcher struct {
	vm   matcher
	sp   int
	head bool // the pattern is anchored with ^: one try only
	done bool
}

// NewSearcher compiles pattern p for a search of src from offset. poll, if
// not nil, is called every few microseconds of matching; it stops the search
// by panicking, and the Searcher lets that panic through.
func NewSearcher(p string, src []byte, offset int, poll func()) (s *Searcher, err error) {
	defer recoverError(&err)
	pat := parsePattern(newScanner([]byte(p)), true, &captureState{})
	return &Searcher{
		vm:   matcher{src: src, insts: compilePattern(pat), poll: poll},
		sp:   offset,
		head: pat.MustHead,
	}, nil
}

// Next returns the next match, or nil when there is none left.
func (s *Searcher) Next() (md *MatchData, err error) {
	defer recoverError(&err)
	for !s.done && s.sp <= len(s.vm.src) {
		ok, nsp, ms := s.vm.run(0, s.sp, 0, nil)
		s.sp++
		s.done = s.head
		if ok {
			if s.sp < nsp {
				s.sp = nsp
			}
			return ms, nil
		}
	}
	s.done = true
	return nil, nil
}

// recoverError turns the matcher's *Error panics into an error; other
// panics (poll's) go on.
func recoverError(err *error) {
	if v := recover(); v != nil {
		if perr, ok := v.(*Error); ok {
			*err = perr
		} else {
			panic(v)
		}
	}
}

// Find returns up to limit matches of pattern p in src from offset (all of
// them if limit is negative); poll is as for NewSearcher.
func Find(p string, src []byte, offset, limit int, poll func()) (matches []*MatchData, err error) {
	s, err := NewSearcher(p, src, offset, poll)
	if err != nil {
		return nil, err
	}
	matches = []*MatchData{}
	for len(matches) != limit {
		md, err := s.Next()
		if err != nil {
			return nil, err
		}
		if md == nil {
			break
		}
		matches = append(matches, md)
	}
	return matches, nil
}

/* }}} */
