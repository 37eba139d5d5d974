package lua

import (
	"fmt"
	"strings"
	"unsafe"
)

// moonpin: builtins that can run long or allocate much at once check the
// state's context and its memory limit, as the VM checks the context between
// instructions. Without this a call into Go (a backtracking pattern, a huge
// string.rep) could neither be interrupted nor stopped at the limit.

// pollEvery is how many units of work (matcher steps, copied elements,
// comparisons) a builtin does between looks at the context: a few
// microseconds of work, so an interrupt lands well within a millisecond while
// the look (a non-blocking receive) costs well under 1%.
const pollEvery = 1024

// CheckInterrupt raises the error the VM raises when L's context is done
// ("interrupted", "memory limit exceeded (64 MB)", ...). Builtins call it
// from their loops; with no context it does nothing.
func (ls *LState) CheckInterrupt() {
	if ls.interrupted() {
		ls.RaiseError("%s", ls.ctx.Err().Error())
	}
}

// interrupted says whether ls's context is done, without raising.
func (ls *LState) interrupted() bool {
	if ls.ctx == nil {
		return false
	}
	select {
	case <-ls.ctx.Done():
		return true
	default:
		return false
	}
}

// contextErr is the error of L's context, nil while it runs or without one.
func (ls *LState) contextErr() error {
	if ls.ctx == nil {
		return nil
	}
	return ls.ctx.Err()
}

// CheckAlloc raises an error if allocating n more bytes at once would take
// the state past its memory limit (Global.MemCheck); builtins that know the
// size of what they build call it before allocating. Small sizes are left to
// the embedder's sampling of the heap: checking costs a read of the heap's
// size.
func (ls *LState) CheckAlloc(n int) {
	check := ls.G.MemCheck
	if check == nil || n < minCheckedAlloc {
		return
	}
	if err := check(ls, n); err != nil {
		ls.RaiseError("%s", err.Error())
	}
}

// minCheckedAlloc is the size below which CheckAlloc does not ask MemCheck.
const minCheckedAlloc = 64 << 10

// Poller counts units of work and looks at the context every pollEvery of
// them. The zero value is ready to use. Exported (moonpin) for the
// runtime's own loops over Lua data (json, the REPL's printer, dir, tab
// completion), which look at the interrupt at the same pace.
type Poller struct{ n uint32 }

// Poll counts one unit of work and, every pollEvery of them, raises the
// interrupt if L's context is done.
func (p *Poller) Poll(L *LState) {
	p.n++
	if p.n%pollEvery == 0 {
		L.CheckInterrupt()
	}
}

// checkAllocProduct is CheckAlloc for count items of size bytes each,
// raising "too large" when the product overflows an int.
func (ls *LState) checkAllocProduct(count, size int) {
	if err := ls.allocError(count, size); err != nil {
		ls.RaiseError("%s", err.Error())
	}
}

// allocError is checkAllocProduct's error, returned rather than raised,
// for callers outside a Lua call. MemCheck's error has cancelled the state's
// context too, as a raised one does.
func (ls *LState) allocError(count, size int) error {
	if count <= 0 || size <= 0 {
		return nil
	}
	if count > maxInt/size {
		return fmt.Errorf("result too large (%d × %d bytes)", count, size)
	}
	if check := ls.G.MemCheck; check != nil && count*size >= minCheckedAlloc {
		if err := check(ls, count*size); err != nil {
			return err
		}
	}
	// At most half the address space at once, where the memory limit
	// allows more or there is none: on a 32-bit board Go's allocator
	// rounds 2 GB up past the largest int and panics (string.rep("x",
	// 2^31)); on 64 bits this is no limit.
	if count > maxInt/2/size {
		return fmt.Errorf("result too large (%d × %d bytes)", count, size)
	}
	return nil
}

const maxInt = int(^uint(0) >> 1)

// compareStrings orders two strings as Lua 5.1's l_strcmp does in the C
// locale, byte by byte (strings.Compare, where upstream's strCmp compared a
// byte per loop, 10x slower). Strings of megabytes are compared a piece at
// a time with a look at the interrupt after each: `a < b` in a loop, between
// two of the VM's looks at the interrupt, took a second.
func compareStrings(L *LState, s1, s2 string) int {
	n := min(len(s1), len(s2))
	for n > copyPiece {
		if c := strings.Compare(s1[:copyPiece], s2[:copyPiece]); c != 0 {
			return c
		}
		s1, s2, n = s1[copyPiece:], s2[copyPiece:], n-copyPiece
		L.CheckInterrupt()
	}
	return strings.Compare(s1, s2)
}

// equalStrings is s1 == s2, a megabyte at a time with a look at the
// interrupt after each, as compareStrings: two distinct strings of equal
// length compare whole.
func equalStrings(L *LState, s1, s2 string) bool {
	if len(s1) != len(s2) {
		return false
	}
	for len(s1) > copyPiece {
		if s1[:copyPiece] != s2[:copyPiece] {
			return false
		}
		s1, s2 = s1[copyPiece:], s2[copyPiece:]
		L.CheckInterrupt()
	}
	return s1 == s2
}

// bigAlloc is the size from which a builtin's buffer, or the value stack,
// is allocated by another goroutine (AwaitAlloc). It was 16 MB: the first
// pairs of a table of 1M keys made its 16,000,000-byte order in place, and
// while the collector marked, the allocation's assist (or its wait for
// the collector's credit) held Ctrl-C up to 142 ms on a busy machine.
// Another goroutine and a channel cost microseconds, a megabyte's zeroing
// about a hundred.
const bigAlloc = 1 << 20

// AwaitAlloc returns alloc(), which allocates about size bytes (moonpin). A
// big allocation is made by another goroutine while this one waits for it
// or for L's interrupt: the runtime finds the memory, zeroes it where it
// must, and, while the collector marks, has the allocating goroutine do
// marking work in proportion first, none of it looking at the interrupt
// (string.rep of 2 GB took 101 ms to stop on a loaded machine, in its
// Builder's Grow; a value stack of 2M slots 96 ms). Interrupted, it raises
// the interrupt's error, and what the other goroutine goes on allocating is
// garbage: alloc must touch nothing but what it allocates. Once L's context
// is done, alloc runs here: raising that error may itself need memory (a
// stack to push it on).
func AwaitAlloc[T any](L *LState, size int, alloc func() T) T {
	if size < bigAlloc || L.ctx == nil || L.ctx.Err() != nil {
		return alloc()
	}
	return awaitAlloc(L, alloc)
}

// awaitAlloc is AwaitAlloc's wait, not inlined where AwaitAlloc is: its
// channel and goroutine made the frames of callers on hot paths bigger.
//
//go:noinline
func awaitAlloc[T any](L *LState, alloc func() T) T {
	type result struct {
		v     T
		fault any // what alloc panicked with, raised here
	}
	made := make(chan result, 1)
	go func() {
		// A panic in alloc (a size the runtime refuses) would end the
		// process on this goroutine: it is raised on L's, as where alloc
		// runs in place.
		defer func() {
			if p := recover(); p != nil {
				made <- result{fault: p}
			}
		}()
		made <- result{v: alloc()}
	}()
	select {
	case r := <-made:
		if r.fault != nil {
			panic(r.fault)
		}
		return r.v
	case <-L.ctx.Done():
		L.RaiseError("%s", L.ctx.Err().Error())
		panic("unreachable")
	}
}

// slotSize is the bytes of one value on the stack or in a table's array.
const slotSize = int(unsafe.Sizeof(LValue(nil)))

// reserveStack makes room on the value stack for n more values, each
// taking size bytes with what it holds, after asking the memory limit: a
// builtin that pushes millions of results (string.byte) grows the stack
// once rather than at each doubling, with the old copy still live. The
// caller has checked that n fits the stack's maximum.
func (ls *LState) reserveStack(n, size int) {
	ls.checkAllocProduct(n, size)
	need := ls.reg.Top() + n
	if need <= cap(ls.reg.array) {
		return
	}
	ls.checkAllocProduct(need, slotSize)
	// moonpin: an interrupt that came first stops the call before the
	// stack is made (see makeSlots).
	ls.CheckInterrupt()
	ls.reg.forceResize(max(need, min(need+ls.reg.growBy, ls.reg.maxSize)))
}

// builder builds a string piece by piece (gsub, table.concat), asking
// CheckAlloc before each growth of its buffer and looking at the interrupt
// while it copies (see appendChecked).
type builder struct {
	L   *LState
	buf []byte
}

func (b *builder) reserve(n int) {
	if cap(b.buf)-len(b.buf) >= n {
		return
	}
	if cap(b.buf) > (maxInt-n)/2 {
		b.L.RaiseError("string too large")
	}
	size := 2*cap(b.buf) + n
	b.L.CheckAlloc(size)
	b.buf = appendChecked(b.L, roomFor(b.L, size), b.buf)
}

// roomFor is an empty buffer of capacity n for L's builtins to fill: not
// zeroed (makeNoZero), and made away from L's goroutine when big
// (AwaitAlloc).
func roomFor(L *LState, n int) []byte {
	return AwaitAlloc(L, n, func() []byte { return makeNoZero(n) })
}

// Room is roomFor for Go libraries (moonpin), after asking CheckAlloc for
// n bytes: an empty buffer to fill with AppendChecked (moonpin's io reads
// and json strings).
func Room(L *LState, n int) []byte {
	L.CheckAlloc(n)
	return roomFor(L, n)
}

// makeNoZero is make([]byte, 0, n) without the zeroing (moonpin): the
// runtime zeroes a make's bytes first, with no look at the interrupt, and
// a builder's room of 128 MB took as long to zero as to fill. A
// strings.Builder's room is not zeroed; its first byte is written so that
// the room has an address, and the slice made over it is the only
// reference to the room once the Builder is gone.
func makeNoZero(n int) []byte {
	var sb strings.Builder
	sb.Grow(n)
	sb.WriteByte(0)
	s := sb.String()
	return unsafe.Slice(unsafe.StringData(s), sb.Cap())[:0]
}

func (b *builder) writeString(s string) {
	b.reserve(len(s))
	b.buf = appendChecked(b.L, b.buf, s)
}

func (b *builder) writeByte(c byte) {
	b.reserve(1)
	b.buf = append(b.buf, c)
}

// String is what was built; the builder must not be used after.
func (b *builder) String() string { return unsafe.String(unsafe.SliceData(b.buf), len(b.buf)) }

// copyPiece is how much appendChecked copies between looks at the
// interrupt: a copy of hundreds of megabytes takes seconds on a Pi Zero.
const copyPiece = 1 << 20

// appendChecked is append(dst, s...) a megabyte at a time, with a look at
// the interrupt after each. The caller has made room (and asked CheckAlloc).
func appendChecked[B string | []byte](L *LState, dst []byte, s B) []byte {
	for len(s) > copyPiece {
		dst = append(dst, s[:copyPiece]...)
		s = s[copyPiece:]
		L.CheckInterrupt()
	}
	return append(dst, s...)
}

// AppendChecked is appendChecked for Go libraries (moonpin): append(dst,
// s...) a megabyte at a time with a look at L's interrupt between. Ask
// CheckAlloc for the room first.
func AppendChecked[B string | []byte](L *LState, dst []byte, s B) []byte {
	return appendChecked(L, dst, s)
}

// joinChecked is strings.Join(parts, ""), checked against the memory
// limit, copying with appendChecked.
func joinChecked(L *LState, parts []string) string {
	n := joinedLen(parts)
	// Checked from CheckAlloc's threshold, not copyPiece's: strings of
	// just under a megabyte each, kept, passed the limit twice over.
	L.CheckAlloc(n)
	if n < copyPiece {
		return strings.Join(parts, "")
	}
	// The room is not zeroed first (moonpin): make's was, with no look at
	// the interrupt, and zeroing 64 MB of reused heap took over 100 ms on
	// a slow machine before the copy that looks at it every megabyte
	// began.
	b := builder{L: L, buf: roomFor(L, n)}
	for _, s := range parts {
		b.buf = appendChecked(L, b.buf, s)
	}
	return b.String()
}

// joinedLen is the length of the concatenation of parts.
func joinedLen(parts []string) int {
	n := 0
	for _, s := range parts {
		n += len(s)
	}
	return n
}
