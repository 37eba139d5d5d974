package lua

import (
	"hash/maphash"
	"math/bits"
	"strings"
	"sync/atomic"
	"unsafe"
)

// defaultArrayCap is the capacity of an array part made by its first
// element; append grows it from there (moonpin: 32 slots, 512 bytes, for a
// table with one or two elements).
const defaultArrayCap = 4
const defaultHashCap = 32

type lValueArraySorter struct {
	L      *LState
	Fn     *LFunction
	Values []LValue
}

func (lv lValueArraySorter) Len() int {
	return len(lv.Values)
}

func (lv lValueArraySorter) Swap(i, j int) {
	lv.Values[i], lv.Values[j] = lv.Values[j], lv.Values[i]
}

func (lv lValueArraySorter) Less(i, j int) bool {
	if lv.Fn != nil {
		lv.L.Push(lv.Fn)
		lv.L.Push(lv.Values[i])
		lv.L.Push(lv.Values[j])
		lv.L.Call(2, 1)
		return LVAsBool(lv.L.reg.Pop())
	}
	return lessThan(lv.L, lv.Values[i], lv.Values[j])
}

func newLTable(acap int, hcap int) *LTable {
	if acap < 0 {
		acap = 0
	}
	if hcap < 0 {
		hcap = 0
	}
	var tb *LTable
	switch {
	case hcap > smallTableMax:
		tb = &LTable{}
		tb.setHash(&tableHash{strdict: make(map[string]LValue, hcap)})
	case hcap > 4:
		tb = &LTable{}
		tb.setSmall(make([]smallEntry, 0, hcap))
	case hcap > 0:
		tb = newSmallTable(hcap)
	default:
		tb = &LTable{}
	}
	if acap != 0 {
		tb.reserve(acap)
	}
	return tb
}

// newSmallTable returns a shaped table (see tableShape) with room for n (1
// to 4) values in the same allocation as the table (moonpin): a constructor
// such as {x = 1, y = 2} is one allocation and one object for the GC rather
// than two, 64 bytes (Go's 64-byte size class) with its keys in a shape
// that every table made by that constructor shares. The small part moves out
// when it outgrows the room, which then goes unused.
func newSmallTable(n int) *LTable {
	var tb *LTable
	switch n {
	case 1:
		tb = &new(shapedTable1).t
	case 2:
		tb = &new(struct {
			t LTable
			v [2]LValue
		}).t
	case 3:
		tb = &new(struct {
			t LTable
			v [3]LValue
		}).t
	default:
		tb = &new(struct {
			t LTable
			v [4]LValue
		}).t
	}
	tb.acaps = uint32(n) << lenBits
	tb.alens = shapedMark << lenBits
	tb.more = unsafe.Pointer(rootShape)
	return tb
}

// shapedTable1 is a table with room for one value; its values are at the
// same offset as in the others newSmallTable makes.
type shapedTable1 struct {
	t LTable
	v [1]LValue
}

// tableShape is the keys of a shaped table's small part, in the order they
// were set, shared by the tables whose keys were set in that order
// (moonpin): the tables a constructor such as {x = i, y = i} makes hold
// their values only, 16 bytes a key rather than smallEntry's 24. A shape
// never changes: a table given a new key takes the shape of its keys and
// that one (with), which shapeSlots keeps for the next table. A table whose
// new key does not fit in its room, or is too long to share, has its small
// part moved out to entries of its own (unshape), as before shapes.
type tableShape struct {
	parent *tableShape
	keys   []*string
	// last is the shape with gave for s last: a constructor's tables
	// take the same one each time.
	last atomic.Pointer[tableShape]
}

// shapeSlots holds the shapes with made last, a slot per (shape, key) pair's
// hash, as keyBoxes holds keys: a shape another pair takes the slot of is
// still the shape of the tables that have it, and made again for the next.
// Shared by every state of the process; they keep at most a few hundred
// KB (keys of at most keyBoxMax bytes, four deep).
var (
	shapeSlots [1024]atomic.Pointer[tableShape]
	rootShape  = &tableShape{}
)

// with returns the shape of s's keys and then box's, nil for a key too
// long to share. Shapes are found by their last key's text, not its box's
// address: two keys whose boxes take one slot of keyBoxes take it from
// each other, so a key's box is not always the same one, and the tables of
// a constructor of both got new shapes each.
func (s *tableShape) with(box *string) *tableShape {
	if c := s.last.Load(); c != nil && sameString(*c.keys[len(c.keys)-1], *box) {
		return c
	}
	if len(*box) > keyBoxMax {
		return nil
	}
	h := uint64(uintptr(unsafe.Pointer(s)))*0x9e3779b97f4a7c15 ^ maphash.String(keySeed, *box)
	slot := &shapeSlots[(h^h>>29)%uint64(len(shapeSlots))]
	c := slot.Load()
	if c == nil || c.parent != s || !sameString(*c.keys[len(c.keys)-1], *box) {
		// A shape keeps keyBox's copy, never the caller's box: a
		// script's string may share the bytes of a bigger one
		// (string.sub), which the process-wide shapes would keep alive.
		c = &tableShape{parent: s, keys: append(s.keys[:len(s.keys):len(s.keys)], keyBox(*box))}
		slot.Store(c)
	}
	s.last.Store(c)
	return c
}

// shapedPart returns a shaped table's keys and their values (ok is false
// for any other table): the values are in the room after the table.
func (tb *LTable) shapedPart() (keys []*string, values []LValue, ok bool) {
	if tb.alens>>lenBits != shapedMark {
		return nil, nil, false
	}
	keys = (*tableShape)(tb.more).keys
	return keys, unsafe.Slice(tb.inlineValues(), len(keys)), true
}

// inlineValues is the first value of the room newSmallTable allocated
// after the table; only a shaped table has one.
func (tb *LTable) inlineValues() *LValue {
	return (*LValue)(unsafe.Add(unsafe.Pointer(tb), unsafe.Offsetof(shapedTable1{}.v)))
}

// unshape moves a shaped table's keys and values out to entries of its
// own, with room for one more, and clears the room it leaves.
func (tb *LTable) unshape() {
	keys, values, ok := tb.shapedPart()
	if !ok {
		return
	}
	small := make([]smallEntry, len(keys), len(keys)+1)
	for i, k := range keys {
		small[i] = smallEntry{k, values[i]}
	}
	clear(values)
	tb.setSmall(small)
}

// smallTableMax is how many string keys a table keeps in its small part
// (tb.smallPart(), searched linearly) before it moves them to its maps. moonpin:
// a {x = 1, y = 2} table was two maps, a keys slice and a key-to-index map.
const smallTableMax = 8

// smallEntry is one string key of a table's small part. A field assigned nil
// keeps its entry (with value LNil) so that next() can go on from it, as Lua
// allows during a traversal; the entry is reused or dropped when a new key
// needs the room.
//
// The key is a pointer to a string header that never changes, the box of an
// LString held in an LValue where there is one (a constant's, shared by every
// table the code makes: see stringBox), so an entry is 24 bytes rather than
// 32 (a table made by `{x = i, y = i}` 96 rather than 112) and next() hands
// the key out without boxing it again.
type smallEntry struct {
	key   *string
	value LValue
}

// keyBoxes holds the boxes keyBox made last, a slot per key's hash: keys
// that Go code sets (json.decode's objects, a driver's readings) come again
// and again, and tables that share a box for them keep 16 bytes less each.
var (
	keyBoxes [1024]atomic.Pointer[string]
	keySeed  = maphash.MakeSeed()
)

// keyBoxMax is the longest key keyBox looks for in keyBoxes.
const keyBoxMax = 40

// keyBox returns a box holding key for a table to keep: the one keyBoxes
// has for it, or a new one holding a copy of key (so that the cache holds
// only what it copied, never a slice of a bigger string alive).
func keyBox(key string) *string {
	if key == "__index" {
		return indexBox
	}
	if len(key) > keyBoxMax {
		p := new(string)
		*p = key
		return p
	}
	slot := &keyBoxes[maphash.String(keySeed, key)%uint64(len(keyBoxes))]
	if p := slot.Load(); p != nil && *p == key {
		return p
	}
	p := new(string)
	*p = strings.Clone(key)
	slot.Store(p)
	return p
}

// indexBox is the box keyBox always returns for "__index", kept apart from
// keyBoxes, whose slots other keys take over; indexKey is its string. The
// name constant "__index" of every chunk gets it, so a method call's look
// for its metatable's __index finds the key by address (sameString).
var (
	indexBox = func() *string { s := strings.Clone("__index"); return &s }()
	indexKey = *indexBox
)

// sameString is a == b, true at once for two strings that share their bytes
// (a key and a name constant, both from keyBox) without a call to compare
// them.
func sameString(a, b string) bool {
	return len(a) == len(b) && (unsafe.StringData(a) == unsafe.StringData(b) || a == b)
}

// lstringItab is the interface table of an LString held in an LValue.
var lstringItab = func() unsafe.Pointer {
	var v LValue = LString("")
	return (*iface)(unsafe.Pointer(&v)).itab
}()

// stringBox returns the box of an LValue holding an LString: a pointer to
// its string header, which no one writes to once the value is made.
func stringBox(v LValue) *string {
	return (*string)((*iface)(unsafe.Pointer(&v)).word)
}

// boxedString returns the LValue whose box is p (see stringBox): the LString
// *p, without boxing it again.
func boxedString(p *string) LValue {
	var v LValue
	i := (*iface)(unsafe.Pointer(&v))
	i.itab, i.word = lstringItab, unsafe.Pointer(p)
	return v
}

// lenBits is how many low bits of alens and acaps hold the array part's
// length and capacity; the bits above hold the small part's.
const (
	lenBits = 28
	lenMask = 1<<lenBits - 1
	// smallCapMax is the most entries the small part's capacity can say.
	smallCapMax = 1<<(32-lenBits) - 1
	// shapedMark in the small part's length marks a shaped table (see
	// tableShape), whose length is its shape's: an entries' length is at
	// most smallTableMax.
	shapedMark = smallCapMax
)

// aLen and aCap are the array part's length and capacity.
func (tb *LTable) aLen() int { return int(tb.alens & lenMask) }
func (tb *LTable) aCap() int { return int(tb.acaps & lenMask) }

// sCap is the small part's capacity (a shaped table's room). Its length is
// in alens's top bits, or shapedMark for a shaped table, whose length is its
// shape's (smallPart, shapedPart).
func (tb *LTable) sCap() int { return int(tb.acaps >> lenBits) }

// arr returns the array part while it is one slice (not chunked).
func (tb *LTable) arr() []LValue {
	return unsafe.Slice(tb.arrayp, tb.acaps&lenMask)[:tb.alens&lenMask]
}

// setArr makes a the array part; one bigger than a chunk is put in chunks.
func (tb *LTable) setArr(a []LValue) {
	if cap(a) > chunkSlots {
		tb.arrayp, tb.acaps = nil, tb.acaps&^lenMask
		tb.chunkArray(a, cap(a))
		tb.setLen(len(a))
		return
	}
	tb.alens = tb.alens&^lenMask | uint32(len(a))
	tb.acaps = tb.acaps&^lenMask | uint32(cap(a))
	tb.arrayp = unsafe.SliceData(a)
}

// An array part bigger than chunkSlots is kept in chunks of that many
// slots (moonpin), not in one slice: growing it adds a chunk rather than
// copying it all into a new slice of twice the size. Building a list of 1M
// elements one at a time allocated its array about twice over (the old
// copies, 24 MB, stay until the next collection) and held up to twice the
// room it needed (24 MB for 16); each byte a first touch, a page fault.
// Now it is 16 MB and at most one chunk of room. An access to an element
// of a chunked array reads the chunk's pointer first; one of an array of
// up to chunkSlots, most tables, is as before.
//
// A chunked array part's tb.arrayp points to its chunks' pointers (the
// spine), tb.aCap() is the chunks' slots, always more than chunkSlots
// (two chunks at least), and the spine's capacity is the power of two
// spineCap gives for their number, so a chunk more can tell when the
// spine is full.
const (
	chunkBits  = 11
	chunkSlots = 1 << chunkBits // 32 KB a chunk
	chunkMask  = chunkSlots - 1
)

type arrayChunk [chunkSlots]LValue

// chunked reports whether the array part is in chunks.
func (tb *LTable) chunked() bool { return tb.acaps&lenMask > chunkSlots }

// chunks returns a chunked array part's chunks.
func (tb *LTable) chunks() []*arrayChunk {
	n := int(tb.acaps&lenMask) >> chunkBits
	return unsafe.Slice((**arrayChunk)(unsafe.Pointer(tb.arrayp)), spineCap(n))[:n]
}

// spineCap is the capacity of the spine of n chunks: n rounded up to a
// power of two.
func spineCap(n int) int { return 1 << bits.Len(uint(n-1)) }

// slot returns the array part's slot i, which must be below its length.
func (tb *LTable) slot(i int) *LValue {
	if tb.acaps&lenMask <= chunkSlots {
		return (*LValue)(unsafe.Add(unsafe.Pointer(tb.arrayp), uintptr(i)*unsafe.Sizeof(LValue(nil))))
	}
	c := *(**arrayChunk)(unsafe.Add(unsafe.Pointer(tb.arrayp), uintptr(i>>chunkBits)*unsafe.Sizeof((*arrayChunk)(nil))))
	return &c[i&chunkMask]
}

// at returns the array part's element i, which must be below its length.
func (tb *LTable) at(i int) LValue { return *tb.slot(i) }

// setLen sets the array part's length, at most its capacity.
func (tb *LTable) setLen(n int) { tb.alens = tb.alens&^lenMask | uint32(n) }

// reserve gives the array part room for n slots at least.
func (tb *LTable) reserve(n int) {
	switch {
	case n <= tb.aCap():
	case n <= chunkSlots:
		grown := make([]LValue, tb.aLen(), n)
		copy(grown, tb.arr())
		tb.setArr(grown)
	case tb.chunked():
		tb.chunkArray(nil, n)
	default:
		a := tb.arr()
		tb.arrayp, tb.acaps = nil, tb.acaps&^lenMask
		tb.chunkArray(a, n)
	}
}

// chunkArray puts the array part in chunks with room for n slots at
// least: the chunks it has (none unless it is chunked) and new ones, and
// a's elements, a slice that was the array part, copied into them.
func (tb *LTable) chunkArray(a []LValue, n int) {
	want := min(max((n+chunkMask)>>chunkBits, 2), lenMask>>chunkBits) // aCap says at most 2^28 slots, more than MaxArrayIndex
	var spine []*arrayChunk
	if tb.chunked() {
		spine = tb.chunks()
	}
	if want > cap(spine) {
		grown := make([]*arrayChunk, len(spine), spineCap(want))
		copy(grown, spine)
		spine = grown
	}
	for len(spine) < want {
		c := new(arrayChunk)
		touchFresh(c[:]) // see appendArray
		if len(a) > 0 {
			a = a[copy(c[:], a):]
		}
		spine = append(spine, c)
	}
	tb.arrayp = (*LValue)(unsafe.Pointer(unsafe.SliceData(spine)))
	tb.acaps = tb.acaps&^lenMask | uint32(want<<chunkBits)
}

// smallPart returns the small part's entries, in tb.more. A shaped table's
// small part is moved out to entries first (unshape): code that only reads
// looks at shapedPart first.
func (tb *LTable) smallPart() []smallEntry {
	n := tb.acaps >> lenBits
	if n == 0 {
		return nil
	}
	if tb.alens>>lenBits == shapedMark {
		tb.unshape()
		n = tb.acaps >> lenBits
	}
	return unsafe.Slice((*smallEntry)(tb.more), n)[:tb.alens>>lenBits]
}

// hashPart returns the maps, nil while the table has its small part.
func (tb *LTable) hashPart() *tableHash {
	if tb.acaps>>lenBits != 0 {
		return nil
	}
	return (*tableHash)(tb.more)
}

// setSmall makes small the small part's entries; small is a slice of the
// small part or a new one, or nil for none.
func (tb *LTable) setSmall(small []smallEntry) {
	if cap(small) > smallCapMax {
		small = small[:len(small):smallCapMax]
	}
	var p unsafe.Pointer
	if cap(small) != 0 {
		p = unsafe.Pointer(unsafe.SliceData(small))
	}
	tb.alens = tb.alens&lenMask | uint32(len(small))<<lenBits
	tb.acaps = tb.acaps&lenMask | uint32(cap(small))<<lenBits
	tb.more = p
}

// setHash gives the table its maps; it has no small part from then on.
func (tb *LTable) setHash(h *tableHash) {
	tb.alens &= lenMask
	tb.acaps &= lenMask
	tb.more = unsafe.Pointer(h)
}

// isSmall reports whether the table's hash part is still its small part:
// no maps yet, string keys only (possibly none).
func (tb *LTable) isSmall() bool {
	return tb.hashPart() == nil
}

// smallToHash moves the small part into strdict. The traversal order keys
// is built in the small part's order (nil-valued entries included), so a
// traversal that adds keys goes on where it was, as before the small part.
func (tb *LTable) smallToHash() {
	h := &tableHash{}
	small := tb.smallPart()
	tb.setHash(h)
	if len(small) == 0 {
		return
	}
	n := 2 * len(small)
	h.strdict = make(map[string]LValue, n)
	h.keys, h.k2i = make([]LValue, 0, n), make(map[LValue]int, n)
	for _, e := range small {
		if e.value != LNil {
			h.strdict[*e.key] = e.value
		}
		k := boxedString(e.key)
		h.k2i[k] = len(h.keys)
		h.keys = append(h.keys, k)
	}
}

// tableHash is a table's hash part once it has outgrown the small part.
type tableHash struct {
	dict    map[LValue]LValue
	strdict map[string]LValue
	// the traversal order, made by the first next (nil before): the keys,
	// and each key's index in them
	keys []LValue
	k2i  map[LValue]int
}

// buildKeysFor makes the traversal order of the hash part, which a table
// only needs once it is traversed with next (moonpin: it was kept for every
// table, one boxed key and a map entry per key). L is the state whose
// script traverses (next, pairs, table.foreach, table.maxn), or nil for Go
// code (Next, ForEach's callers). For millions of keys
// the order is hundreds of MB built in one go, 400 ms for 1M number keys:
// its size is checked against L's memory limit first (it was found by the
// limit's sampling after, 360 MB under a 256 MB limit), it is made through
// AwaitAlloc, and L's interrupt is looked at while it is filled. An
// interrupt leaves the table without an order, as before.
func (tb *LTable) buildKeysFor(L *LState) {
	h := tb.hashPart()
	if h.k2i != nil {
		return
	}
	n := len(h.strdict) + len(h.dict)
	var keys []LValue
	var k2i map[LValue]int
	if L == nil || n < orderChecked {
		keys, k2i = make([]LValue, 0, n), make(map[LValue]int, n)
	} else {
		// bytes a key: 16 in keys, 46 in k2i, and a string's box
		L.checkAllocProduct(n, 62)
		L.CheckAlloc(16 * len(h.strdict))
		keys = AwaitAlloc(L, 16*n, func() []LValue { return make([]LValue, 0, n) })
		k2i = AwaitAlloc(L, 46*n, func() map[LValue]int { return make(map[LValue]int, n) })
	}
	for k := range h.strdict {
		if L != nil && len(keys)%orderChecked == orderChecked-1 {
			L.CheckInterrupt()
		}
		lk := LString(k)
		k2i[lk] = len(keys)
		keys = append(keys, lk)
	}
	for k := range h.dict {
		if L != nil && len(keys)%orderChecked == orderChecked-1 {
			L.CheckInterrupt()
		}
		k2i[k] = len(keys)
		keys = append(keys, k)
	}
	h.keys, h.k2i = keys, k2i
}

// orderChecked is how many keys buildKeysFor adds between two looks at the
// interrupt, and the fewest it checks against the memory limit.
const orderChecked = 1 << 14

// addKey appends a new hash key to the traversal order, if there is one.
// Keys assigned nil stay in the order (a traversal may go on from them);
// when they are more than half of it, a new key (which Lua 5.1 does not
// allow during a traversal) drops the order.
func (tb *LTable) addKey(k LValue) {
	h := tb.hashPart()
	if h.k2i == nil {
		return
	}
	if _, ok := h.k2i[k]; ok {
		return
	}
	if live := len(h.strdict) + len(h.dict); len(h.keys) >= 16 && len(h.keys) >= 2*live {
		// moonpin: the order is dropped, for the next traversal to build
		// (buildKeysFor, which looks at the interrupt and the memory
		// limit), rather than rebuilt here: for millions of keys that was
		// most of a second, in a table assignment deaf to Ctrl-C.
		h.keys, h.k2i = nil, nil
		return
	}
	h.k2i[k] = len(h.keys)
	h.keys = append(h.keys, k)
}

// Len returns length of this LTable without using __len.
func (tb *LTable) Len() int {
	if tb.arrayp == nil {
		return 0
	}
	var prev LValue = LNil
	for i := tb.aLen() - 1; i >= 0; i-- {
		v := tb.at(i)
		if prev == LNil && v != LNil {
			return i + 1
		}
		prev = v
	}
	return 0
}

// Append appends a given LValue to this LTable.
func (tb *LTable) Append(value LValue) {
	if value == LNil {
		return
	}
	n := tb.aLen()
	if n == 0 || tb.at(n-1) != LNil {
		tb.appendArray(value)
	} else {
		i := n - 2
		for ; i >= 0; i-- {
			if tb.at(i) != LNil {
				break
			}
		}
		*tb.slot(i + 1) = value
	}
}

// Insert inserts a given LValue at position `i` in this table.
func (tb *LTable) Insert(i int, value LValue) {
	n := tb.aLen()
	if i > n {
		tb.RawSetInt(i, value)
		return
	}
	if i <= 0 {
		tb.RawSet(LNumber(i), value)
		return
	}
	i -= 1
	tb.appendArray(LNil)
	tb.moveSlots(i+1, i, n-i)
	*tb.slot(i) = value
}

// moveSlots moves the array part's n elements from from on to to on, as
// copy, within its length.
func (tb *LTable) moveSlots(to, from, n int) {
	if !tb.chunked() {
		a := tb.arr()
		copy(a[to:to+n], a[from:from+n])
		return
	}
	if to < from {
		for k := 0; k < n; k++ {
			*tb.slot(to + k) = tb.at(from + k)
		}
		return
	}
	for k := n - 1; k >= 0; k-- {
		*tb.slot(to + k) = tb.at(from + k)
	}
}

// MaxN returns a maximum number key that nil value does not exist before it.
func (tb *LTable) MaxN() int {
	for i := tb.aLen() - 1; i >= 0; i-- {
		if tb.at(i) != LNil {
			return i + 1
		}
	}
	return 0
}

// Remove removes from this table the element at a given position.
func (tb *LTable) Remove(pos int) LValue {
	larray := tb.aLen()
	if larray == 0 {
		return LNil
	}
	i := pos - 1
	oldval := LNil
	switch {
	case i >= larray:
		// nothing to do
	case i == larray-1 || i < 0:
		oldval = tb.at(larray - 1)
		*tb.slot(larray - 1) = nil // see appendArray
		tb.setLen(larray - 1)
	default:
		oldval = tb.at(i)
		tb.moveSlots(i, i+1, larray-1-i)
		*tb.slot(larray - 1) = nil
		tb.setLen(larray - 1)
	}
	return oldval
}

// RawSet sets a given LValue to a given index without the __newindex metamethod.
// It is recommended to use `RawSetString` or `RawSetInt` for performance
// if you already know the given LValue is a string or number.
func (tb *LTable) RawSet(key LValue, value LValue) {
	switch v := key.(type) {
	case LNumber:
		if isArrayKey(v) {
			index := int(v) - 1
			alen := tb.aLen()
			switch {
			case index < alen:
				*tb.slot(index) = value
			case index == alen && tb.dictLen() == 0:
				tb.appendArray(value)
			case inArrayReach(index, alen):
				tb.setArrayTail(index, value)
			default:
				tb.RawSetH(key, value)
			}
			return
		}
	case LString:
		tb.setString(string(v), stringBox(key), value)
		return
	}

	tb.RawSetH(key, value)
}

// appendArray appends v to the array part, doubling its capacity when it
// is full, as Lua 5.1's rehash does. moonpin: Go's append grows a large
// slice by a quarter, so a sequence built one element at a time was copied
// about five times its final size over its growth, each copy with the GC's
// write barriers while it marks (a quarter of building 1M tables into a
// list); doubling copies it about twice.
//
// The doubling is an append (runtime growslice), not make and copy: copy
// into a new slice while the GC marks reads every destination slot first
// (the write barrier's old value), which maps the kernel's zero page there,
// and the write that follows is then a copy-on-write fault with a TLB flush
// on every CPU, per 4 KB page; growslice's barrier reads only the source.
// Building 1M tables into a list: 0.45 -> 0.33 s of CPU on two cores, most
// of it system time.
//
// The same fault came later for the new array's second half: the GC, when
// it marks, reads all of a large object, the slots past the length too,
// which maps the zero page there, and each append's first store into such
// a page was then the copy-on-write fault. So a grown array's fresh pages
// are written first (touchFresh), as Lua 5.1's resize sets every new slot
// to nil; the memory is committed at the growth rather than with the
// appends, up to the doubled capacity, as in 5.1.
//
// An array part past chunkSlots grows by a chunk instead (see chunked).
func (tb *LTable) appendArray(v LValue) {
	n, c := tb.aLen(), tb.aCap()
	switch {
	case n < c:
	case c == 0:
		tb.setArr(make([]LValue, 0, defaultArrayCap))
	case n >= chunkSlots/2:
		// doubled, it would be past a chunk: two chunks, or one more
		tb.reserve(max(n+1, chunkSlots+1))
	case n >= 256:
		tb.setArr(append(tb.arr(), make([]LValue, n+1)...)[:n]) // n would grow by a quarter until past 2n
		touchFresh(tb.arr()[n:cap(tb.arr())])
	default:
		tb.setArr(append(tb.arr(), v))
		return
	}
	tb.setLen(n + 1)
	*tb.slot(n) = v
}

// reserveArray gives the array part room for n entries, when it is a
// sequence of n-k entries that k more are about to extend (a constructor's
// SETLIST), after asking the memory limit: growing it an entry at a time
// reallocates it at each doubling, its old copy still live, and takes the
// heap far past the limit between two samples of the memory guard.
func (tb *LTable) reserveArray(L *LState, n int) {
	if n <= tb.aCap() || tb.dictLen() != 0 {
		return
	}
	L.checkAllocProduct(n, slotSize)
	tb.reserve(n)
}

// touchFresh writes the first word of every 4 KB page that starts inside
// fresh, zeroed (nil) slots, with a plain store of zero: no write barrier,
// which would read the word first. Storing nil over nil needs no barrier.
func touchFresh(fresh []LValue) {
	const page = 4096
	if len(fresh) == 0 {
		return
	}
	p := uintptr(unsafe.Pointer(unsafe.SliceData(fresh)))
	end := p + uintptr(len(fresh))*unsafe.Sizeof(fresh[0])
	for a := (p + page - 1) &^ (page - 1); a < end; a += page {
		*(*uintptr)(unsafe.Add(unsafe.Pointer(unsafe.SliceData(fresh)), a-p)) = 0
	}
}

// RawSetInt sets a given LValue at a position `key` without the __newindex metamethod.
func (tb *LTable) RawSetInt(key int, value LValue) {
	if key < 1 || key >= MaxArrayIndex {
		tb.RawSetH(LNumber(key), value)
		return
	}
	index := key - 1
	alen := tb.aLen()
	switch {
	case index < alen:
		*tb.slot(index) = value
	case index == alen && tb.dictLen() == 0:
		tb.appendArray(value)
	case inArrayReach(index, alen):
		tb.setArrayTail(index, value)
	default:
		tb.RawSetH(LNumber(key), value)
	}
}

// moonpin: an integer key far past the end of the array part goes to the
// hash part, as in Lua 5.1, instead of growing the array to it with nils
// (upstream: `t[2^25] = true` allocated 512 MB, and Lua 5.1's nextvar.lua
// ran out of memory). Keys in the hash part are always past the end of the
// array; when the array grows to reach them they move into it.

// inArrayReach says whether 0-based index, at or past the array's length
// alen, is near enough to grow the array to it: a few slots, or half the
// array's length, so a sequence filled in order (or with small holes)
// stays an array.
func inArrayReach(index, alen int) bool {
	gap := index - alen
	return gap <= 8 || gap <= alen/2
}

// setArrayTail sets 0-based index, at or past the array's length, growing
// the array to it and moving into it the keys the hash part held there and
// just after.
func (tb *LTable) setArrayTail(index int, value LValue) {
	for tb.aLen() < index {
		tb.appendArray(tb.takeH(tb.aLen() + 1))
	}
	tb.takeH(index + 1)
	tb.appendArray(value)
	for tb.dictLen() > 0 {
		v := tb.takeH(tb.aLen() + 1)
		if v == LNil {
			break
		}
		tb.appendArray(v)
	}
}

// takeH removes integer key from the hash part, returning its value.
func (tb *LTable) takeH(key int) LValue {
	if tb.dictLen() == 0 {
		return LNil
	}
	k := LNumber(key)
	v, ok := tb.hashPart().dict[k]
	if !ok {
		return LNil
	}
	delete(tb.hashPart().dict, k)
	return v
}

// dictLen is how many keys other than strings the hash part holds.
func (tb *LTable) dictLen() int {
	if tb.hashPart() == nil {
		return 0
	}
	return len(tb.hashPart().dict)
}

// RawSetString sets a given LValue to a given string index without the __newindex metamethod.
func (tb *LTable) RawSetString(key string, value LValue) {
	tb.setString(key, nil, value)
}

// setString is RawSetString with box, if not nil, a string header holding
// key that the table may keep for it (see smallEntry); without one, a new
// key is boxed.
func (tb *LTable) setString(key string, box *string, value LValue) {
	if keys, values, ok := tb.shapedPart(); ok {
		for i, k := range keys {
			if k == box || sameString(*k, key) {
				values[i] = value
				return
			}
		}
		if value == LNil {
			return
		}
		if box == nil {
			box = keyBox(key)
		}
		if n := len(keys); n < tb.sCap() {
			if shape := (*tableShape)(tb.more).with(box); shape != nil {
				unsafe.Slice(tb.inlineValues(), n+1)[n] = value
				tb.more = unsafe.Pointer(shape)
				return
			}
		}
		// no room, or no shape to share: the key goes to entries
		tb.unshape()
	}
	if tb.isSmall() {
		small := tb.smallPart()
		for i := range small {
			if k := small[i].key; k == box || sameString(*k, key) {
				small[i].value = value
				return
			}
		}
		if value == LNil {
			return
		}
		if box == nil {
			box = keyBox(key)
		}
		if len(small) == smallTableMax {
			// room from fields assigned nil (a new key is not allowed
			// during a traversal, so their entries are no longer needed)
			n := 0
			for _, e := range small {
				if e.value != LNil {
					small[n] = e
					n++
				}
			}
			for i := n; i < len(small); i++ {
				small[i] = smallEntry{}
			}
			small = small[:n]
		}
		if n := len(small); n < cap(small) && n < smallTableMax {
			// room left (a constructor's table has it for its keys):
			// the entry and the length only
			small[:n+1][n] = smallEntry{box, value}
			tb.alens = tb.alens&lenMask | uint32(n+1)<<lenBits
			return
		}
		if len(small) < smallTableMax {
			tb.setSmall(append(small, smallEntry{box, value}))
			return
		}
		tb.setSmall(small)
		tb.smallToHash()
	}
	h := tb.hashPart()
	if value == LNil {
		delete(h.strdict, key)
		return
	}
	if h.strdict == nil {
		h.strdict = make(map[string]LValue, defaultHashCap)
	}
	h.strdict[key] = value
	if h.k2i != nil {
		tb.addKey(LString(key))
	}
}

// setExistingString sets key to value if the table holds a value other
// than nil for it, as RawGetString then RawSetString would, with one search
// of the small part, and reports whether it did (moonpin).
func (tb *LTable) setExistingString(key string, value LValue) bool {
	if keys, values, ok := tb.shapedPart(); ok {
		for i, k := range keys {
			if sameString(*k, key) {
				if values[i] == LNil {
					return false
				}
				values[i] = value
				return true
			}
		}
		return false
	}
	if tb.hashPart() == nil {
		small := tb.smallPart()
		for i := range small {
			if sameString(*small[i].key, key) {
				if small[i].value == LNil {
					return false
				}
				small[i].value = value
				return true
			}
		}
		return false
	}
	if v, ok := tb.hashPart().strdict[key]; ok && v != LNil {
		tb.RawSetString(key, value)
		return true
	}
	return false
}

// RawSetH sets a given LValue to a given index without the __newindex metamethod.
func (tb *LTable) RawSetH(key LValue, value LValue) {
	if s, ok := key.(LString); ok {
		tb.setString(string(s), stringBox(key), value)
		return
	}
	if tb.hashPart() == nil {
		if value == LNil {
			return
		}
		tb.smallToHash()
	}
	h := tb.hashPart()
	if value == LNil {
		delete(h.dict, key)
		return
	}
	if h.dict == nil {
		h.dict = make(map[LValue]LValue, len(h.strdict))
	}
	h.dict[key] = value
	if h.k2i != nil {
		tb.addKey(key)
	}
}

// RawGet returns an LValue associated with a given key without __index metamethod.
func (tb *LTable) RawGet(key LValue) LValue {
	switch v := key.(type) {
	case LNumber:
		if isArrayKey(v) {
			index := int(v) - 1
			if index < tb.aLen() {
				return tb.at(index)
			}
		}
	case LString:
		return tb.RawGetString(string(v))
	}
	if tb.hashPart() == nil {
		return LNil
	}
	if v, ok := tb.hashPart().dict[key]; ok {
		return v
	}
	return LNil
}

// RawGetInt returns an LValue at position `key` without __index metamethod.
func (tb *LTable) RawGetInt(key int) LValue {
	index := key - 1
	if uint(index) < uint(tb.aLen()) {
		return tb.at(index)
	}
	// moonpin: an integer key outside the array part lives in the hash
	// part (t[0], keys past a hole or far out); upstream answered nil.
	if tb.hashPart() == nil {
		return LNil
	}
	if v, ok := tb.hashPart().dict[LNumber(key)]; ok {
		return v
	}
	return LNil
}

// RawGet returns an LValue associated with a given key without __index metamethod.
func (tb *LTable) RawGetH(key LValue) LValue {
	if s, sok := key.(LString); sok {
		return tb.RawGetString(string(s))
	}
	if tb.hashPart() == nil {
		return LNil
	}
	if v, ok := tb.hashPart().dict[key]; ok {
		return v
	}
	return LNil
}

// RawGetString returns an LValue associated with a given key without __index metamethod.
func (tb *LTable) RawGetString(key string) LValue {
	// smallPart and hashPart written out: a method call looks a name up
	// two or three times
	if n := tb.acaps >> lenBits; n != 0 {
		if tb.alens>>lenBits == shapedMark {
			keys := (*tableShape)(tb.more).keys
			values := unsafe.Slice(tb.inlineValues(), len(keys))
			for i, k := range keys {
				if sameString(*k, key) {
					return values[i]
				}
			}
			return LNil
		}
		for _, e := range unsafe.Slice((*smallEntry)(tb.more), n)[:tb.alens>>lenBits] {
			if sameString(*e.key, key) {
				return e.value
			}
		}
		return LNil
	}
	if h := (*tableHash)(tb.more); h != nil {
		if v, ok := h.strdict[key]; ok {
			return v
		}
	}
	return LNil
}

// ForEach iterates over this table of elements, yielding each in turn to a given function.
func (tb *LTable) ForEach(cb func(LValue, LValue)) {
	for i := 0; i < tb.aLen(); i++ {
		if v := tb.at(i); v != LNil {
			cb(LNumber(i+1), v)
		}
	}
	if keys, values, ok := tb.shapedPart(); ok {
		for i, k := range keys {
			if values[i] != LNil {
				cb(boxedString(k), values[i])
			}
		}
	} else {
		for _, e := range tb.smallPart() {
			if e.value != LNil {
				cb(boxedString(e.key), e.value)
			}
		}
	}
	if tb.hashPart() != nil {
		for k, v := range tb.hashPart().strdict {
			if v != LNil {
				cb(LString(k), v)
			}
		}
	}
	if tb.hashPart() != nil {
		for k, v := range tb.hashPart().dict {
			if v != LNil {
				cb(k, v)
			}
		}
	}
}

// This function is equivalent to lua_next ( http://www.lua.org/manual/5.1/manual.html#lua_next ).
func (tb *LTable) Next(key LValue) (LValue, LValue) {
	k, v, _ := tb.next(nil, key)
	return k, v
}

// next is Next that also reports whether key is one of the table's keys
// (nil, the start, is; so is a key assigned nil since, which a traversal
// may go on from). moonpin: Lua 5.1's next fails on any other key ("invalid
// key to 'next'"), where upstream ended the traversal or, for a key missing
// from a big table, started it again from its second key. L, where not
// nil, is the state whose script traverses (buildKeysFor).
func (tb *LTable) next(L *LState, key LValue) (LValue, LValue, bool) {
	init := key == LNil
	if init {
		key = LNumber(0)
	}
	deadSlot := false
	if kv, ok := key.(LNumber); ok && isInteger(kv) && int(kv) >= 0 && kv < LNumber(MaxArrayIndex) {
		index := int(kv)
		if init || index >= 1 && index <= tb.aLen() {
			for ; index < tb.aLen(); index++ {
				if v := tb.at(index); v != LNil {
					return LNumber(index + 1), v, true
				}
			}
			k, v := tb.hashFrom(L, 0)
			return k, v, true
		}
		// A slot the array part had (table.remove shortens it; 5.1's
		// array keeps its size) is a key a traversal may go on from.
		deadSlot = index >= 1 && index <= tb.aCap()
	}
	i, found := tb.hashPos(L, key)
	switch {
	case found:
		k, v := tb.hashFrom(L, i+1)
		return k, v, true
	case deadSlot:
		k, v := tb.hashFrom(L, 0)
		return k, v, true
	}
	return LNil, LNil, false
}

// hashPos returns key's position in the traversal order of the hash part
// (the small part while the table has no maps), if key is there.
func (tb *LTable) hashPos(L *LState, key LValue) (int, bool) {
	if tb.isSmall() {
		if s, ok := key.(LString); ok {
			if keys, _, ok := tb.shapedPart(); ok {
				for i, k := range keys {
					if *k == string(s) {
						return i, true
					}
				}
				return 0, false
			}
			for i, e := range tb.smallPart() {
				if *e.key == string(s) {
					return i, true
				}
			}
		}
		return 0, false
	}
	tb.buildKeysFor(L)
	i, ok := tb.hashPart().k2i[key]
	return i, ok
}

// hashFrom returns the first live entry of the hash part from position i
// of its traversal order on.
func (tb *LTable) hashFrom(L *LState, i int) (LValue, LValue) {
	if tb.isSmall() {
		return tb.nextSmall(i)
	}
	tb.buildKeysFor(L)
	return tb.nextKey(i)
}

// nextSmall returns the first live entry of the small part from index i on.
func (tb *LTable) nextSmall(i int) (LValue, LValue) {
	if keys, values, ok := tb.shapedPart(); ok {
		for ; i < len(keys); i++ {
			if values[i] != LNil {
				return boxedString(keys[i]), values[i]
			}
		}
		return LNil, LNil
	}
	small := tb.smallPart()
	for ; i < len(small); i++ {
		if e := small[i]; e.value != LNil {
			return boxedString(e.key), e.value
		}
	}
	return LNil, LNil
}

// nextKey returns the first live key of the traversal order from index i on.
func (tb *LTable) nextKey(i int) (LValue, LValue) {
	keys := tb.hashPart().keys
	for ; i < len(keys); i++ {
		key := keys[i]
		if v := tb.RawGetH(key); v != LNil {
			return key, v
		}
	}
	return LNil, LNil
}
