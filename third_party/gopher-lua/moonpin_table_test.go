package lua

import (
	"fmt"
	"hash/maphash"
	"strings"
	"sync"
	"testing"
	"unsafe"
)

// Tests of the small table part (MOONPIN.md): up to smallTableMax string
// keys live in tb.smallPart(), the maps exist only past that or for other keys.

// smallKeys returns the keys of tb's small part, shaped or not, without
// moving a shaped table's out as smallPart would.
func smallKeys(tb *LTable) []*string {
	if keys, _, ok := tb.shapedPart(); ok {
		return keys
	}
	var keys []*string
	for _, e := range tb.smallPart() {
		keys = append(keys, e.key)
	}
	return keys
}

func TestMoonpinSmallTableRepresentation(t *testing.T) {
	// 32 bytes on a 64-bit machine, Go's 32-byte size class, and 64 with
	// room for two values (80 with two entries of key and value; 48 and 96
	// with the small part's lengths and its pointer apart; 64 and 128 with
	// a slice header for the array part and an LValue for the metatable;
	// 112 before the small part, and with keys held as strings rather than
	// boxes).
	if size := unsafe.Sizeof(LTable{}); size > 32 {
		t.Errorf("LTable is %d bytes, more than 32", size)
	}
	if size := unsafe.Sizeof(struct {
		t LTable
		v [2]LValue
	}{}); size > 64 {
		t.Errorf("a table with room for two values is %d bytes, more than 64", size)
	}
	tb := newLTable(0, 2)
	tb.RawSetString("x", LNumber(1))
	tb.RawSetString("y", LNumber(2))
	if _, _, shaped := tb.shapedPart(); !shaped || !tb.isSmall() || len(smallKeys(tb)) != 2 {
		t.Fatalf("{x, y} is not small and shaped: shaped=%v small=%d hash=%v", shaped, len(smallKeys(tb)), tb.hashPart())
	}
	// nil keeps the key (a traversal may go on from it), a new key reuses it
	tb.RawSetString("x", LNil)
	if len(smallKeys(tb)) != 2 || tb.RawGetString("x") != LNil {
		t.Fatalf("x = nil: keys=%v", smallKeys(tb))
	}
	for i := 0; i < smallTableMax; i++ {
		tb.RawSetString(fmt.Sprint("k", i), LNumber(i))
		tb.RawSetString(fmt.Sprint("k", i), LNil)
	}
	if !tb.isSmall() || tb.RawGetString("y") != LNumber(2) {
		t.Fatalf("fields set and cleared made the table big: small=%v hash=%v", tb.smallPart(), tb.hashPart())
	}
	for i := 0; i <= smallTableMax; i++ {
		tb.RawSetString(fmt.Sprint("k", i), LNumber(i))
	}
	if tb.isSmall() || tb.sCap() != 0 || len(tb.hashPart().strdict) != smallTableMax+2 {
		t.Fatalf("%d keys stayed small: small=%d hash=%v", smallTableMax+2, len(tb.smallPart()), tb.hashPart())
	}
	if big := newLTable(0, smallTableMax+1); big.isSmall() {
		t.Fatal("a size hint past smallTableMax made a small table")
	}
	// a non-string key moves the small part to the maps
	m := newLTable(0, 0)
	m.RawSetString("a", LTrue)
	m.RawSetH(LNumber(1.5), LFalse)
	if m.isSmall() || m.RawGetString("a") != LTrue || m.RawGet(LNumber(1.5)) != LFalse {
		t.Fatalf("mixed keys: small=%v hash=%v", m.smallPart(), m.hashPart())
	}
	// the traversal order exists only once the table is traversed
	h := newLTable(0, 20)
	h.RawSetString("a", LTrue)
	h.RawSetString("b", LTrue)
	if h.hashPart().k2i != nil {
		t.Fatal("keys built for a table never traversed")
	}
	if k, _ := h.Next(LNil); k == LNil || h.hashPart().k2i == nil {
		t.Fatalf("Next: %v, hash %v", k, h.hashPart())
	}
}

func TestMoonpinSmallTableSemantics(t *testing.T) {
	L := NewState()
	defer L.Close()
	errorIfScriptFail(t, L, `
		local function count(t)
			local n, seen = 0, {}
			for k, v in pairs(t) do
				assert(not seen[k], "key seen twice: " .. tostring(k))
				seen[k] = true
				assert(rawget(t, k) == v)
				n = n + 1
			end
			return n, seen
		end

		-- reads, writes, rawget/rawset/rawequal, # with an array part
		local t = {x = 1, y = 2, 10, 20, 30}
		assert(t.x == 1 and t.y == 2 and #t == 3)
		t.x = t.x + 1
		assert(rawget(t, "x") == 2)
		rawset(t, "z", 3)
		assert(t.z == 3 and rawequal(t, t) and not rawequal(t, {x = 2}))
		assert(count(t) == 6)
		t.y = nil
		assert(t.y == nil and rawget(t, "y") == nil and count(t) == 5)

		-- nil assigned to every field during a traversal (Lua 5.1 allows it)
		local u = {a = 1, b = 2, c = 3, d = 4, 1, 2}
		for k in pairs(u) do u[k] = nil end
		assert(next(u) == nil)
		local u2 = {a = 1, b = 2, c = 3}
		local k1 = next(u2)
		u2[k1] = nil
		local k2 = next(u2, k1)
		assert(k2 ~= nil and k2 ~= k1)
		assert(select("#", next(u2, k2)) >= 1)

		-- growing past the small part during a traversal visits each old key once
		local g = {}
		for i = 1, 8 do g["k" .. i] = i end
		local visited, n = {}, 0
		for k, v in pairs(g) do
			if type(v) == "number" and v <= 8 then
				assert(not visited[k]); visited[k] = true; n = n + 1
			end
			if n == 4 and not g.extra1 then
				for i = 1, 4 do g["extra" .. i] = "x" end
			end
		end
		assert(n == 8, n)
		assert(count(g) == 12)
		for i = 1, 8 do assert(g["k" .. i] == i) end

		-- keys of mixed types
		local m = {x = 1}
		m[1.5] = "f"; m[true] = "b"; m[m] = "self"; m[-1] = "neg"; m[1] = "one"
		assert(m.x == 1 and m[1.5] == "f" and m[true] == "b" and m[m] == "self" and m[-1] == "neg" and m[1] == "one")
		assert(count(m) == 6)
		m[true] = nil
		assert(m[true] == nil and count(m) == 5)

		-- table library on tables with a small part
		local s = {tag = "s", 5, 3, 9, 1}
		table.sort(s)
		assert(table.concat(s, ",") == "1,3,5,9" and s.tag == "s")
		table.insert(s, 7); table.insert(s, 1, 0)
		assert(table.concat(s, ",") == "0,1,3,5,9,7")
		assert(table.remove(s) == 7 and table.remove(s, 1) == 0 and #s == 4 and s.tag == "s")

		-- as metatables and __index tables
		local P = {}
		P.__index = P
		function P.new(x) return setmetatable({x = x}, P) end
		function P:get() return self.x end
		function P:inc() self.x = self.x + 1 end
		local p = P.new(2)
		p:inc()
		assert(p:get() == 3 and getmetatable(p) == P and rawget(p, "get") == nil)
		local d = setmetatable({}, {__index = {a = 1}, __newindex = function(t, k, v) rawset(t, k, v * 2) end})
		assert(d.a == 1)
		d.b = 5
		assert(rawget(d, "b") == 10)

		-- fields set and cleared many times do not accumulate
		local q = {}
		for i = 1, 1000 do q["k" .. i] = i; q["k" .. i] = nil end
		assert(next(q) == nil)
		q.a = 1
		assert(next(q) == "a")

		-- next from an unknown key, and a big table cleared while traversed
		local big = {}
		for i = 1, 100 do big["k" .. i] = i end
		for k in pairs(big) do big[k] = nil end
		assert(next(big) == nil)
	`)
}

// TestMoonpinSetFieldNewindex checks that a field assignment calls
// __newindex exactly when the key is absent or nil, in the small part and in
// the maps (setFieldString's one search, setExistingString).
func TestMoonpinSetFieldNewindex(t *testing.T) {
	L := NewState()
	defer L.Close()
	for _, n := range []int{1, smallTableMax + 2} {
		code := fmt.Sprintf(`
local log = {}
local t = setmetatable({}, {__newindex = function(t, k, v) log[#log + 1] = k rawset(t, k, v) end})
for i = 1, %d do rawset(t, "k" .. i, i) end
rawset(t, "x", 1)
t.x = 2     -- present: no __newindex
t.x = nil   -- present: no __newindex
t.x = 3     -- nil now: __newindex
t.y = 4     -- absent: __newindex
t.y = 5     -- present
assert(table.concat(log, ",") == "x,y", table.concat(log, ","))
assert(t.x == 3 and t.y == 5)`, n)
		if err := L.DoString(code); err != nil {
			t.Errorf("%d keys: %v", n+1, err)
		}
	}
}

// TestMoonpinSetFieldPlainTable: a table without a metatable is assigned
// without a search first; its keys are still checked, a nil value still
// removes, and a metatable set afterwards is asked again.
func TestMoonpinSetFieldPlainTable(t *testing.T) {
	L := NewState()
	defer L.Close()
	err := L.DoString(`
local t = {x = 1}
t.x = nil t.y = 2 t[1] = "a" t[1.5] = "b" t[true] = "c"
assert(t.x == nil and next(t, nil) ~= nil and t.y == 2 and t[1] == "a" and t[1.5] == "b" and t[true] == "c")
for _, k in ipairs({"nil", "0/0"}) do
  local ok, msg = pcall(loadstring("local t = {} t[" .. k .. "] = 1"))
  assert(not ok and msg:find(k == "nil" and "table index is nil" or "table index is NaN"), msg)
end
local log = {}
setmetatable(t, {__newindex = function(t, k, v) log[#log + 1] = tostring(k) rawset(t, k, v) end})
t.y = 3 t.z = 4 t[1] = "A" t[2] = "B"
assert(table.concat(log, ",") == "z,2", table.concat(log, ","))`)
	if err != nil {
		t.Error(err)
	}
}

// TestMoonpinArrayTailIsNil: the slots past an array part's length are
// nil, whatever removed them (appendArray writes them without a barrier, as
// touchFresh does to a grown array's fresh pages), and a grown array keeps
// its values and its nils.
func TestMoonpinArrayTailIsNil(t *testing.T) {
	tb := newLTable(0, 0)
	for i := 1; i <= 3000; i++ {
		tb.RawSetInt(i, LString(fmt.Sprint(i)))
	}
	tb.Remove(3000) // the last
	tb.Remove(-1)   // the last, as table.remove(t) asks
	tb.Remove(5)    // one inside
	if n := tb.aLen(); n != 2997 {
		t.Fatalf("len %d after three removes, want 2997", n)
	}
	for i := tb.aLen(); i < tb.aCap(); i++ {
		if v := *tb.slot(i); v != nil {
			t.Fatalf("slot %d past the length holds %v, want nil", i, v)
		}
	}
	for i := 2998; i <= 20000; i++ {
		tb.RawSetInt(i, LNumber(i))
	}
	for i, want := range map[int]LValue{1: LString("1"), 5: LString("6"), 2997: LString("2998"), 2998: LNumber(2998), 20000: LNumber(20000)} {
		if got := tb.RawGetInt(i); got != want {
			t.Errorf("t[%d] = %v, want %v", i, got, want)
		}
	}
	for i := tb.aLen(); i < tb.aCap(); i++ {
		if v := *tb.slot(i); v != nil {
			t.Fatalf("a grown array's tail holds %v at %d, want nil", v, i)
		}
	}
}

// touchFresh writes only the words that start a page, and writes zero.
func TestMoonpinTouchFresh(t *testing.T) {
	s := make([]LValue, 2000)
	touchFresh(s[3:])
	for i, v := range s {
		if v != nil {
			t.Fatalf("slot %d = %v after touchFresh", i, v)
		}
	}
	touchFresh(nil)
}

// A constructor's table keeps its values in the room allocated after it and
// its keys in a shape that tables given the same keys in the same order
// share; once the keys outgrow the room they move out to entries, and the
// room is cleared (nothing it held is kept alive by it).
func TestMoonpinShapedTables(t *testing.T) {
	make2 := func(k1, k2 string) *LTable {
		tb := newLTable(0, 2)
		tb.RawSetString(k1, LNumber(1))
		tb.RawSetString(k2, LNumber(2))
		return tb
	}
	a, b := make2("x", "y"), make2("x", "y")
	if a.more != b.more || len(smallKeys(a)) != 2 || *smallKeys(a)[1] != "y" {
		t.Fatalf("two {x, y}: shapes %p and %p, keys %v", a.more, b.more, smallKeys(a))
	}
	if c := make2("y", "x"); c.more == a.more || *smallKeys(c)[0] != "y" {
		t.Fatalf("{y, x} shares {x, y}'s shape, or its keys are %v", smallKeys(c))
	}
	if n := testing.AllocsPerRun(100, func() { make2("x", "y") }); n != 1 {
		t.Errorf("a {x, y} table made with keys set before takes %v allocations, want 1", n)
	}
	// a third key does not fit in the room: entries of its own
	a.RawSetString("z", LNumber(3))
	if _, _, shaped := a.shapedPart(); shaped || len(a.smallPart()) != 3 || a.sCap() < 3 {
		t.Fatalf("{x, y, z}: shaped=%v small part %v", shaped, a.smallPart())
	}
	for i, v := range unsafe.Slice(a.inlineValues(), 2) {
		if v != nil {
			t.Errorf("room slot %d still holds %v once the values moved out", i, v)
		}
	}
	for k, want := range map[string]LValue{"x": LNumber(1), "y": LNumber(2), "z": LNumber(3)} {
		if got := a.RawGetString(k); got != want {
			t.Errorf("%s = %v, want %v", k, got, want)
		}
	}
	// b is as it was
	if b.RawGetString("x") != LNumber(1) || b.RawGetString("y") != LNumber(2) || b.RawGetString("z") != LNil {
		t.Errorf("b changed with a: %v %v %v", b.RawGetString("x"), b.RawGetString("y"), b.RawGetString("z"))
	}
	// a key longer than keyBoxMax gets no shape (shapes are never freed)
	long := strings.Repeat("k", keyBoxMax+1)
	d := newLTable(0, 2)
	d.RawSetString(long, LTrue)
	if _, _, shaped := d.shapedPart(); shaped || d.RawGetString(long) != LTrue {
		t.Fatalf("a long key: shaped=%v value %v", shaped, d.RawGetString(long))
	}
}

// Shapes are found again for the same keys in the same order, and more
// pairs of shape and key than shapeSlots holds still give each table its
// own keys.
func TestMoonpinShapesTakeOverSlots(t *testing.T) {
	s := &tableShape{}
	c := s.with(keyBox("child0"))
	if s.with(keyBox("child0")) != c || len(c.keys) != 1 || *c.keys[0] != "child0" || c.parent != s {
		t.Fatalf("the shape with child0 is not found again: %v", c)
	}
	tables := make([]*LTable, 4*len(shapeSlots))
	for i := range tables {
		tb := newLTable(0, 2)
		tb.RawSetString(fmt.Sprint("a", i), LNumber(i))
		tb.RawSetString(fmt.Sprint("b", i%7), LNumber(-i))
		tables[i] = tb
	}
	for i, tb := range tables {
		keys := smallKeys(tb)
		if len(keys) != 2 || *keys[0] != fmt.Sprint("a", i) || *keys[1] != fmt.Sprint("b", i%7) ||
			tb.RawGetString(fmt.Sprint("a", i)) != LNumber(i) || tb.RawGetString(fmt.Sprint("b", i%7)) != LNumber(-i) {
			t.Fatalf("table %d: keys %v", i, keys)
		}
	}
}

// A shape keeps keyBox's copy of a key, never the box of a script's string:
// a string.sub of a big string shares its bytes, and a shape (process-wide,
// in shapeSlots) would keep the big one alive after its state is gone.
func TestMoonpinShapesKeepNoSliceOfABigString(t *testing.T) {
	big := strings.Repeat("q", 1<<20)
	lo, hi := uintptr(unsafe.Pointer(unsafe.StringData(big))), uintptr(unsafe.Pointer(unsafe.StringData(big)))+uintptr(len(big))
	inBig := func(p *string) bool {
		d := uintptr(unsafe.Pointer(unsafe.StringData(*p)))
		return d >= lo && d < hi
	}
	tb := newLTable(0, 2)
	tb.RawSetH(LString(big[:3]), LTrue)
	tb.RawSetH(LString(big[5:9]), LFalse)
	keys, _, shaped := tb.shapedPart()
	if !shaped || len(keys) != 2 || tb.RawGetString("qqq") != LTrue || tb.RawGetString("qqqq") != LFalse {
		t.Fatalf("shaped %v, keys %v", shaped, keys)
	}
	for s := (*tableShape)(tb.more); s != nil; s = s.parent {
		for _, k := range s.keys {
			if inBig(k) {
				t.Errorf("a shape keeps %q, a slice of the big string", *k)
			}
		}
		if c := s.last.Load(); c != nil && inBig(c.keys[len(c.keys)-1]) {
			t.Errorf("a shape's last child keeps a slice of the big string")
		}
	}
	for i := range shapeSlots {
		if c := shapeSlots[i].Load(); c != nil && inBig(c.keys[len(c.keys)-1]) {
			t.Errorf("shapeSlots[%d] keeps a slice of the big string", i)
		}
	}
}

// TestMoonpinShapeRace: states on several goroutines give tables keys at
// once, sharing shapes (run with -race).
func TestMoonpinShapeRace(t *testing.T) {
	var wg sync.WaitGroup
	for g := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 2000 {
				tb := newLTable(0, 3)
				keys := []string{fmt.Sprint("r", (i+g)%5), fmt.Sprint("s", i%3), fmt.Sprint("t", g)}
				for j, k := range keys {
					tb.RawSetString(k, LNumber(j))
				}
				for j, k := range keys {
					if got := tb.RawGetString(k); got != LNumber(j) || *smallKeys(tb)[j] != k {
						t.Errorf("%s = %v, want %d (keys %v)", k, got, j, smallKeys(tb))
						return
					}
				}
			}
		}()
	}
	wg.Wait()
}

// TestMoonpinKeyBoxes: a table keeps a string key as a box (smallEntry): a
// constructor's tables share its constant's, Go code's keys share keyBox's,
// a key boxed apart from another of the same text is the same key, and
// next() hands keys out without boxing them again.
func TestMoonpinKeyBoxes(t *testing.T) {
	L := NewState()
	defer L.Close()
	if err := L.DoString(`
function make(i) return {x = i, y = i} end
a, b = make(1), make(2)`); err != nil {
		t.Fatal(err)
	}
	a, b := L.GetGlobal("a").(*LTable), L.GetGlobal("b").(*LTable)
	if a.more != b.more {
		t.Errorf("two tables of one constructor have two shapes, %p and %p", a.more, b.more)
	}

	big := strings.Repeat("k", 1000) + "temperature"
	key := big[1000:]
	c, d := newLTable(0, 0), newLTable(0, 0)
	c.RawSetString(key, LNumber(1))
	d.RawSetString("temperature", LNumber(2))
	if c.smallPart()[0].key != d.smallPart()[0].key {
		t.Error("two tables Go code set the same key in hold two boxes")
	}
	if unsafe.StringData(*c.smallPart()[0].key) == unsafe.StringData(key) {
		t.Error("a key sliced from a bigger string keeps that string alive in keyBoxes")
	}

	// the same text from Lua and from Go is one key
	L.SetGlobal("c", c)
	if err := L.DoString(`
c.temperature = 3
local n = 0
for k, v in pairs(c) do n = n + 1 assert(k == "temperature" and v == 3) end
assert(n == 1)
rawset(c, ("temp" .. "erature"), 4)
assert(c.temperature == 4 and next(c, "temperature") == nil)`); err != nil {
		t.Fatal(err)
	}

	if n := testing.AllocsPerRun(100, func() {
		for k, _ := b.Next(LNil); k != LNil; k, _ = b.Next(k) {
		}
	}); n != 0 {
		t.Errorf("a traversal of {x, y} allocates %v times", n)
	}
}

// TestMoonpinKeyBoxRace: states on several goroutines box keys at once
// (keyBoxes is shared by the process; run with -race).
func TestMoonpinKeyBoxRace(t *testing.T) {
	var wg sync.WaitGroup
	for g := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 2000 {
				tb := newLTable(0, 0)
				for j := range 3 {
					k := fmt.Sprint("k", (i*7+g+j)%300)
					tb.RawSetString(k, LNumber(j))
				}
				for j := range 3 {
					k := fmt.Sprint("k", (i*7+g+j)%300)
					if got := tb.RawGetString(k); got != LNumber(j) || *smallKeys(tb)[j] != k {
						t.Errorf("%s = %v, want %d", k, got, j)
						return
					}
				}
			}
		}()
	}
	wg.Wait()
}

// TestMoonpinSortWhileTheComparatorChangesTheTable: a comparator that
// removes from the table or adds to it no longer crashes the sort ("invalid
// memory address": the sort's view of the array held Go nils past its new
// end) nor sorts an array the table has left (a crash hunt found it).
func TestMoonpinSortWhileTheComparatorChangesTheTable(t *testing.T) {
	L := NewState()
	defer L.Close()
	err := L.DoString(`
local T = {5, 3, 8, 1, 9, 2}
local ok, msg = pcall(table.sort, T, function(a, b) table.remove(T) return a < b end)
assert(not ok and msg:find("attempt to compare"), msg)
local U = {5, 3, 8, 1, 9, 2}
local grown = false
table.sort(U, function(a, b) if not grown then grown = true for i = 1, 100 do U[#U + 1] = 0 end end return a < b end)
local seen = {}
for i = 1, 6 do seen[U[i]] = true end
assert(#U == 106, #U)
local n = 0 for k in pairs(seen) do n = n + 1 end
assert(n >= 5, "the sorted values went elsewhere")
-- the same with arrays in chunks (past 2048 elements), read and written
-- in place while the array part stays as the sort found it
local B = {} for i = 1, 5000 do B[i] = (i * 7919) % 5000 end
ok, msg = pcall(table.sort, B, function(a, b) table.remove(B) return a < b end)
assert(not ok and msg:find("attempt to compare"), msg)
local V, sum = {}, 0
for i = 1, 3000 do V[i] = (i * 7919) % 3001 sum = sum + V[i] end
grown = false
table.sort(V, function(a, b) if not grown then grown = true for i = 1, 5000 do V[#V + 1] = -1 end end return a < b end)
assert(#V == 8000, #V)
for i = 1, 3000 do sum = sum - V[i] assert(i == 1 or V[i - 1] <= V[i], i) end
assert(sum == 0, "the sorted values went elsewhere")`)
	if err != nil {
		t.Error(err)
	}
}

// TestMoonpinHandlerClosureAfterErrorInErrorHandling: a closure made by
// an xpcall handler that then fails ("error in error handling") keeps its
// upvalue's value; the handler's frames were dropped without closing it,
// and the closure read the cleared stack, a Go nil ("invalid memory
// address" in print; a crash hunt found it).
func TestMoonpinHandlerClosureAfterErrorInErrorHandling(t *testing.T) {
	L := NewState()
	defer L.Close()
	err := L.DoString(`
local ok, e = xpcall(function() error("first") end, function(e) local z = e .. "!" G2 = function() return z end error(z) end)
assert(not ok and e == "error in error handling", tostring(e))
local v = G2()
assert(type(v) == "string" and v:find("first!"), tostring(v))`)
	if err != nil {
		t.Error(err)
	}
}

// An array part made big at once (a constructor's, CreateTable's) is made
// in chunks, not as one slice to be copied into them, and keeps its
// elements when it grows again.
func TestMoonpinBigArrayMadeInChunks(t *testing.T) {
	tb := newLTable(5000, 0)
	if !tb.chunked() || len(tb.chunks()) != 3 || tb.aLen() != 0 {
		t.Fatalf("newLTable(5000, 0): chunked %v, %d slots, length %d", tb.chunked(), tb.aCap(), tb.aLen())
	}
	for i := 1; i <= 7000; i++ {
		tb.RawSetInt(i, LNumber(i))
	}
	if len(tb.chunks()) != 4 || tb.RawGetInt(6144) != LNumber(6144) || tb.RawGetInt(6145) != LNumber(6145) || tb.Len() != 7000 {
		t.Fatalf("after 7000 elements: %d chunks, t[6144] %v, t[6145] %v, #t %d", len(tb.chunks()), tb.RawGetInt(6144), tb.RawGetInt(6145), tb.Len())
	}
}

// Name constants are keyBox's boxes, so the keys they set share their bytes
// with the same name elsewhere; "__index" always has indexKey's, so that a
// lookup of a metatable's __index matches it by address (sameString). (Other
// names share a box while keyBoxes keeps it, which another key can take
// over, so only "__index" is certain.)
func TestMoonpinNameConstantsShareBytes(t *testing.T) {
	L := NewState()
	defer L.Close()
	// keys enough to take over every slot of keyBoxes first
	if err := L.DoString(`local t = {} for i = 1, 20000 do t["k" .. i] = i end
		P = {} P.__index = P`); err != nil {
		t.Fatal(err)
	}
	p := L.GetGlobal("P").(*LTable)
	found := false
	for _, e := range p.smallPart() {
		if *e.key == "__index" {
			found = true
			if unsafe.StringData(*e.key) != unsafe.StringData(indexKey) {
				t.Errorf(`P's "__index" key does not share indexKey's bytes`)
			}
		}
	}
	if !found {
		t.Fatalf(`no "__index" key in P's small part`)
	}
	if v := L.GetField(setmetatableOf(L, p), "__index"); v != p {
		t.Errorf("an object's __index lookup: %v, want P", v)
	}
}

// setmetatableOf returns a new table whose metatable is mt.
func setmetatableOf(L *LState, mt *LTable) *LTable {
	o := L.NewTable()
	o.Metatable = mt
	return o
}

// TestMoonpinShapesOfCollidingKeys: two keys of a constructor whose key
// boxes take the same slot of keyBoxes (one in 1024 pairs, by the
// process's random seed) each took the slot back from the other, and
// shapes were found by their boxes' addresses: every table the
// constructor made got shapes of its own, two allocations more a table.
// CI met it with "x" and "y" in TestMoonpinShapedTables.
func TestMoonpinShapesOfCollidingKeys(t *testing.T) {
	slotOf := func(k string) uint64 { return maphash.String(keySeed, k) % uint64(len(keyBoxes)) }
	other := ""
	for i := 0; other == ""; i++ {
		if k := fmt.Sprintf("k%d", i); slotOf(k) == slotOf("x") {
			other = k
		}
	}
	L := NewState()
	defer L.Close()
	if err := L.DoString(fmt.Sprintf(`
function make(i) return {x = i, %[1]s = i} end
a, b, c = make(1), make(2), make(3)
assert(c.x == 3 and c.%[1]s == 3)`, other)); err != nil {
		t.Fatal(err)
	}
	a, b, c := L.GetGlobal("a").(*LTable), L.GetGlobal("b").(*LTable), L.GetGlobal("c").(*LTable)
	if a.more != b.more || b.more != c.more {
		t.Errorf("three tables of {x = i, %s = i} (keys in one slot of keyBoxes) have shapes %p, %p and %p", other, a.more, b.more, c.more)
	}
	// Go code's keys too.
	make2 := func() *LTable {
		tb := newLTable(0, 2)
		tb.RawSetString("x", LNumber(1))
		tb.RawSetString(other, LNumber(2))
		return tb
	}
	if d, e := make2(), make2(); d.more != e.more {
		t.Errorf("two tables given x and %s from Go have shapes %p and %p", other, d.more, e.more)
	}
}
