package lua

import (
	"fmt"
	"strings"
	"unsafe"

	"github.com/yuin/gopher-lua/pm"
)

const emptyLString LString = LString("")

func OpenString(L *LState) int {
	var mod *LTable
	//_, ok := L.G.builtinMts[int(LTString)]
	//if !ok {
	mod = L.RegisterModule(StringLibName, strFuncs).(*LTable)
	gmatch := L.NewFunction(strGmatch)
	mod.RawSetString("gmatch", gmatch)
	mod.RawSetString("gfind", gmatch)
	mod.RawSetString("__index", mod)
	L.G.builtinMts[int(LTString)] = mod
	//}
	L.Push(mod)
	return 1
}

var strFuncs = map[string]LGFunction{
	"byte":    strByte,
	"char":    strChar,
	"dump":    strDump,
	"find":    strFind,
	"format":  strFormat,
	"gsub":    strGsub,
	"len":     strLen,
	"lower":   strLower,
	"match":   strMatch,
	"rep":     strRep,
	"reverse": strReverse,
	"sub":     strSub,
	"upper":   strUpper,
}

func strByte(L *LState) int {
	// moonpin: Lua 5.1's str_byte: the end defaults to the start, so
	// string.byte(s) is the first byte (upstream: every byte).
	str := L.CheckString(1)
	l := len(str)
	start := posRelat(L.OptInt(2, 1), l)
	end := posRelat(L.OptInt(3, start), l)
	start = max(start, 1) - 1 // from here a Go index
	end = min(end, l)
	if end <= start {
		return 0
	}

	// moonpin: the count is checked against the value stack's room and the
	// memory limit first, as unpack's is (Lua 5.1: "string slice too long");
	// upstream grew the stack a byte at a time, for seconds and hundreds of
	// MB, before "registry overflow".
	n := end - start
	if n > max(L.reg.maxSize, cap(L.reg.array))-L.reg.Top() {
		L.RaiseError("string slice too long")
	}
	L.reserveStack(n, 24) // a slot and a boxed number each
	var p Poller
	for i := start; i < end; i++ {
		L.Push(LNumber(str[i]))
		p.Poll(L)
	}
	return n
}

// posRelat is Lua 5.1's posrelat: a negative position counts from the end
// of a string of length l, and one before its start is 0.
func posRelat(pos, l int) int {
	if pos < 0 {
		pos += l + 1
	}
	return max(pos, 0)
}

func strChar(L *LState) int {
	top := L.GetTop()
	L.CheckAlloc(top)
	bytes := make([]byte, L.GetTop())
	for i := 1; i <= top; i++ {
		c := L.CheckInt(i)
		if c < 0 || c > 255 { // moonpin: as Lua 5.1 (upstream wrapped)
			L.ArgError(i, "invalid value")
		}
		bytes[i-1] = uint8(c)
	}
	L.Push(LString(string(bytes)))
	return 1
}

// strDump refuses: the fork compiles to its own instructions, which have no
// binary form a loadstring could read back (moonpin: the message says so and
// what to do, rather than "GopherLua does not support the string.dump").
func strDump(L *LState) int {
	L.CheckFunction(1)
	L.RaiseError("unable to dump given function: this VM has no bytecode; keep the function's source text and loadstring it")
	return 0
}

// searchInit is where string.find and string.match start, as Lua 5.1's
// str_find_aux reckons it: a negative init counts from the end, and the
// result is clamped to 0..len(str), so an empty match at the end is found.
// moonpin: upstream answered 1, 0 for an empty pattern whatever init said,
// panicked (slice bounds) on a plain find past the end, and found nothing
// for a match starting past the end.
func searchInit(L *LState, str string) int {
	return min(max(posRelat(L.OptInt(3, 1), len(str))-1, 0), len(str))
}

func strFind(L *LState) int {
	str := L.CheckString(1)
	pattern := L.CheckString(2)
	init := searchInit(L, str)
	plain := false
	if L.GetTop() == 4 {
		plain = LVAsBool(L.Get(4))
	}

	// moonpin: as Lua 5.1's str_find_aux, a pattern with none of its
	// special characters is looked for as plain text (so `("a)"):find("a)")`
	// is 1, 2 where the matcher would call the ')' an invalid capture).
	if plain || !hasSpecials(L, pattern) {
		pos := indexLooking(L, str[init:], pattern)
		if pos < 0 {
			L.Push(LNil)
			return 1
		}
		L.Push(LNumber(init+pos) + 1)
		L.Push(LNumber(init + pos + len(pattern)))
		return 2
	}

	mds, err := pm.Find(pattern, unsafeFastStringToReadOnlyBytes(str), init, 1, L.CheckInterrupt)
	if err != nil {
		L.RaiseError(err.Error())
	}
	if len(mds) == 0 {
		L.Push(LNil)
		return 1
	}
	md := mds[0]
	L.Push(LNumber(md.Capture(0) + 1))
	L.Push(LNumber(md.Capture(1)))
	for i := 2; i < md.CaptureLength(); i += 2 {
		if md.IsPosCapture(i) {
			L.Push(LNumber(md.Capture(i)))
		} else {
			L.Push(LString(str[md.Capture(i):md.Capture(i+1)]))
		}
	}
	return md.CaptureLength()/2 + 1
}

// findPiece is how many bytes plain find searches, or looks at for
// special characters, between two looks at L's interrupt (moonpin): one
// strings.Index over 128 MB for a needle that almost matches everywhere
// took 185 ms, deaf to Ctrl-C.
const findPiece = 1 << 20

// indexLooking is strings.Index(s, sub), a piece at a time. A piece reaches
// len(sub)-1 bytes past its findPiece, so a match that starts in it is
// found in it, and the first piece with a match has the first match.
func indexLooking(L *LState, s, sub string) int {
	for start := 0; ; start += findPiece {
		if start > 0 {
			L.CheckInterrupt()
		}
		end := min(len(s), start+findPiece+len(sub)-1)
		if i := strings.Index(s[start:end], sub); i >= 0 {
			return start + i
		}
		if end == len(s) {
			return -1
		}
	}
}

// hasSpecials reports whether pattern has any of the pattern matcher's
// special characters, a piece at a time.
func hasSpecials(L *LState, pattern string) bool {
	for start := 0; start < len(pattern); start += findPiece {
		if start > 0 {
			L.CheckInterrupt()
		}
		if strings.IndexAny(pattern[start:min(len(pattern), start+findPiece)], "^$*+?.([%-") >= 0 {
			return true
		}
	}
	return false
}

func strGsub(L *LState) int {
	str := L.CheckString(1)
	pat := L.CheckString(2)
	// moonpin: as Lua 5.1, a number is a string replacement (upstream
	// refused it), and another type is refused with 5.1's words.
	repl := L.Get(3)
	switch lv := repl.(type) {
	case LNumber:
		repl = LString(lv.String())
	case LString, *LTable, *LFunction:
	default:
		L.ArgError(3, "string/function/table expected")
	}
	// moonpin: as Lua 5.1, at most n replacements, none for n <= 0
	// (upstream took a negative n as no limit).
	limit := L.OptInt(4, len(str)+1)

	// moonpin: the matches are found one at a time and the result is built
	// as they come, in a buffer that asks for memory before it grows:
	// collecting every match first and splicing each replacement into a
	// copy of the whole string took time and memory quadratic in the number
	// of matches.
	searcher, err := pm.NewSearcher(pat, unsafeFastStringToReadOnlyBytes(str), 0, L.CheckInterrupt)
	if err != nil {
		L.RaiseError(err.Error())
	}
	out := builder{L: L}
	last, n := 0, 0
	for n < limit {
		match, err := searcher.Next()
		if err != nil {
			L.RaiseError(err.Error())
		}
		if match == nil {
			break
		}
		n++
		start, end := match.Capture(0), match.Capture(1)
		out.writeString(str[last:start])
		last = end
		switch lv := repl.(type) {
		case LString:
			strGsubStr(L, &out, str, string(lv), match)
		case *LTable:
			out.writeString(strGsubTable(L, str, lv, match))
		case *LFunction:
			out.writeString(strGsubFunc(L, str, lv, match))
		}
	}
	if n == 0 {
		// moonpin: the subject as a string, also when it was a number
		// (upstream returned the number itself).
		if _, ok := L.Get(1).(LString); ok {
			L.SetTop(1)
		} else {
			L.SetTop(0)
			L.Push(LString(str))
		}
		L.Push(LNumber(0))
		return 2
	}
	out.writeString(str[last:])
	L.Push(LString(out.String()))
	L.Push(LNumber(n))
	return 2
}

func checkCaptureIndex(L *LState, m *pm.MatchData, idx int) {
	if idx <= 2 {
		return
	}
	if idx >= m.CaptureLength() {
		L.RaiseError("invalid capture index")
	}
}

func capturedString(L *LState, m *pm.MatchData, str string, idx int) string {
	checkCaptureIndex(L, m, idx)
	if idx >= m.CaptureLength() && idx == 2 {
		idx = 0
	}
	if m.IsPosCapture(idx) {
		return fmt.Sprint(m.Capture(idx))
	} else {
		return str[m.Capture(idx):m.Capture(idx+1)]
	}

}

// strGsubStr writes the replacement string repl for match to out.
// moonpin: as Lua 5.1's add_s, % followed by a non-digit writes only that
// character (upstream kept the %), and a % at the end writes the zero byte
// that 5.1 reads past the string's end.
func strGsubStr(L *LState, out *builder, str string, repl string, match *pm.MatchData) {
	for i := 0; i < len(repl); i++ {
		c := repl[i]
		if c != '%' {
			out.writeByte(c)
			continue
		}
		if i++; i == len(repl) {
			out.writeByte(0)
			break
		}
		if c = repl[i]; c >= '0' && c <= '9' {
			out.writeString(capturedString(L, match, str, 2*(int(c)-48)))
		} else {
			out.writeByte(c)
		}
	}
}

// strGsubTable returns what replaces match: the value in repl, or the match
// itself if that is false or nil.
func strGsubTable(L *LState, str string, repl *LTable, match *pm.MatchData) string {
	idx := 0
	if match.CaptureLength() > 2 { // has captures
		idx = 2
	}
	var value LValue
	if match.IsPosCapture(idx) {
		value = L.GetTable(repl, LNumber(match.Capture(idx)))
	} else {
		value = L.GetField(repl, str[match.Capture(idx):match.Capture(idx+1)])
	}
	return gsubValue(L, str, value, match)
}

// strGsubFunc returns what replaces match: what repl returns, or the match
// itself if that is false or nil.
func strGsubFunc(L *LState, str string, repl *LFunction, match *pm.MatchData) string {
	L.Push(repl)
	nargs := 0
	if match.CaptureLength() > 2 { // has captures
		for i := 2; i < match.CaptureLength(); i += 2 {
			if match.IsPosCapture(i) {
				L.Push(LNumber(match.Capture(i)))
			} else {
				L.Push(LString(capturedString(L, match, str, i)))
			}
			nargs++
		}
	} else {
		L.Push(LString(capturedString(L, match, str, 0)))
		nargs++
	}
	L.Call(nargs, 1)
	return gsubValue(L, str, L.reg.Pop(), match)
}

// gsubValue returns what replaces match for the value a table or function
// replacement gave: the match itself for false or nil, the string or the
// number. moonpin: another value raises Lua 5.1's "invalid replacement
// value" (upstream put "" in its place).
func gsubValue(L *LState, str string, value LValue, match *pm.MatchData) string {
	switch lv := value.(type) {
	case LString:
		return string(lv)
	case LNumber:
		return lv.String()
	}
	if LVIsFalse(value) {
		return str[match.Capture(0):match.Capture(1)]
	}
	L.RaiseError("invalid replacement value (a %s)", value.Type().String())
	return ""
}

// strMatchData is gmatch's iterator state. moonpin: it finds the matches as
// the loop asks for them, as Lua does, instead of all of them up front.
type strMatchData struct {
	str      string
	searcher *pm.Searcher
	err      error   // the pattern's error, raised by the first call, as 5.1's
	L        *LState // the state calling the iterator, whose interrupt the search obeys
}

// strGmatchIter is gmatch's iterator over md (moonpin: a Go closure holds
// md; upstream's iterator took it as a userdata, its first argument, which
// gmatch returned too, where 5.1 returns the iterator alone).
func strGmatchIter(L *LState, md *strMatchData) int {
	md.L = L
	if md.err != nil {
		L.RaiseError("%s", md.err.Error())
	}
	str := md.str
	match, err := md.searcher.Next()
	if err != nil {
		L.RaiseError(err.Error())
	}
	if match == nil {
		return 0
	}
	L.Push(L.Get(1))
	if match.CaptureLength() == 2 {
		L.Push(LString(str[match.Capture(0):match.Capture(1)]))
		return 1
	}

	for i := 2; i < match.CaptureLength(); i += 2 {
		if match.IsPosCapture(i) {
			L.Push(LNumber(match.Capture(i)))
		} else {
			L.Push(LString(str[match.Capture(i):match.Capture(i+1)]))
		}
	}
	return match.CaptureLength()/2 - 1
}

func strGmatch(L *LState) int {
	str := L.CheckString(1)
	pattern := L.CheckString(2)
	md := &strMatchData{str: str, L: L}
	if strings.HasPrefix(pattern, "^") {
		// moonpin: gmatch has no anchor; Lua 5.1 matches a leading ^
		// literally (upstream anchored it and matched once at most).
		pattern = "%" + pattern
	}
	md.searcher, md.err = pm.NewSearcher(pattern, unsafeFastStringToReadOnlyBytes(str), 0, func() { md.L.CheckInterrupt() })
	L.Push(L.NewFunction(func(L *LState) int { return strGmatchIter(L, md) }))
	return 1
}

func strLen(L *LState) int {
	str := L.CheckString(1)
	L.Push(LNumber(len(str)))
	return 1
}

func strLower(L *LState) int {
	str := L.CheckString(1)
	L.Push(LString(buildBytes(L, len(str), func(i int) byte {
		c := str[i]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		return c
	})))
	return 1
}

// buildBytes returns the string of n bytes whose i-th is at(i) (moonpin),
// for upper, lower and reverse: its size is checked against the memory
// limit first, and the interrupt every megabyte. Upper and lower are
// byte-wise as in Lua 5.1 (C's toupper in the "C" locale), where
// strings.ToUpper was Unicode-aware ("é" became "É", and an invalid byte
// such as "\255" became the three bytes of U+FFFD, so binary data grew and
// changed); reverse made three copies.
func buildBytes(L *LState, n int, at func(i int) byte) string {
	L.CheckAlloc(n)
	out := roomFor(L, n)[:n]
	for i := range out {
		if i&(1<<20-1) == 0 {
			L.CheckInterrupt()
		}
		out[i] = at(i)
	}
	return unsafe.String(unsafe.SliceData(out), len(out))
}

func strMatch(L *LState) int {
	str := L.CheckString(1)
	pattern := L.CheckString(2)
	offset := searchInit(L, str)
	mds, err := pm.Find(pattern, unsafeFastStringToReadOnlyBytes(str), offset, 1, L.CheckInterrupt)
	if err != nil {
		L.RaiseError(err.Error())
	}
	if len(mds) == 0 {
		L.Push(LNil)
		return 1 // moonpin: upstream pushed nil and returned no value
	}
	md := mds[0]
	nsubs := md.CaptureLength() / 2
	switch nsubs {
	case 1:
		L.Push(LString(str[md.Capture(0):md.Capture(1)]))
		return 1
	default:
		for i := 2; i < md.CaptureLength(); i += 2 {
			if md.IsPosCapture(i) {
				L.Push(LNumber(md.Capture(i)))
			} else {
				L.Push(LString(str[md.Capture(i):md.Capture(i+1)]))
			}
		}
		return nsubs - 1
	}
}

func strRep(L *LState) int {
	str := L.CheckString(1)
	n := L.CheckInt(2)
	if n <= 0 || len(str) == 0 {
		L.Push(emptyLString)
		return 1
	}
	// moonpin: the size is checked against the memory limit first, and a
	// big result is written in slices with a look at the interrupt between
	// them (into memory that is not zeroed first).
	L.checkAllocProduct(n, len(str))
	total := n * len(str)
	if total <= repChunk {
		L.Push(LString(strings.Repeat(str, n)))
		return 1
	}
	chunk := strings.Repeat(str, max(1, repChunk/len(str)))
	b := AwaitAlloc(L, total, func() *strings.Builder {
		b := new(strings.Builder)
		b.Grow(total)
		return b
	})
	for b.Len()+len(chunk) <= total {
		b.WriteString(chunk)
		L.CheckInterrupt()
	}
	b.WriteString(chunk[:total-b.Len()]) // a whole number of str
	L.Push(LString(b.String()))
	return 1
}

// repChunk is the most string.rep copies between looks at the interrupt: a
// fraction of a millisecond.
const repChunk = 1 << 20

func strReverse(L *LState) int {
	str := L.CheckString(1)
	L.Push(LString(buildBytes(L, len(str), func(i int) byte { return str[len(str)-1-i] })))
	return 1
}

func strSub(L *LState) int {
	str := L.CheckString(1)
	start := luaIndex2StringIndex(str, L.CheckInt(2), true)
	end := luaIndex2StringIndex(str, L.OptInt(3, -1), false)
	l := len(str)
	if start >= l || end < start {
		L.Push(emptyLString)
	} else {
		L.Push(LString(str[start:end]))
	}
	return 1
}

func strUpper(L *LState) int {
	str := L.CheckString(1)
	L.Push(LString(buildBytes(L, len(str), func(i int) byte {
		c := str[i]
		if 'a' <= c && c <= 'z' {
			c -= 'a' - 'A'
		}
		return c
	})))
	return 1
}

func luaIndex2StringIndex(str string, i int, start bool) int {
	if start && i != 0 {
		i -= 1
	}
	l := len(str)
	if i < 0 {
		i = l + i + 1
	}
	i = intMax(0, i)
	if !start && i > l {
		i = l
	}
	return i
}

//
