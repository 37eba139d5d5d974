package lua

func OpenTable(L *LState) int {
	tabmod := L.RegisterModule(TabLibName, tableFuncs)
	L.Push(tabmod)
	return 1
}

var tableFuncs = map[string]LGFunction{
	"getn":     tableGetN,
	"concat":   tableConcat,
	"foreach":  tableForeach,
	"foreachi": tableForeachi,
	"insert":   tableInsert,
	"maxn":     tableMaxN,
	"remove":   tableRemove,
	"setn":     tableSetN,
	"sort":     tableSort,
}

// tableSetN is Lua 5.1's table.setn, which is there only to say it is
// obsolete (moonpin: upstream lacks it, so old code got "attempt to call a
// nil value").
func tableSetN(L *LState) int {
	L.CheckTable(1)
	L.RaiseError("'setn' is obsolete")
	return 0
}

// tableForeach is Lua 5.1's table.foreach (deprecated in 5.1, gone in 5.2,
// but in the 5.1 manual and old code; moonpin: upstream lacks it): f(k, v)
// for each pair as next gives them, stopping at the first non-nil result,
// which it returns.
func tableForeach(L *LState) int {
	tbl := L.CheckTable(1)
	fn := L.CheckFunction(2)
	p := &Poller{}
	for k, v, _ := tbl.next(L, LNil); k != LNil; k, v, _ = tbl.next(L, k) {
		p.Poll(L)
		L.Push(fn)
		L.Push(k)
		L.Push(v)
		L.Call(2, 1)
		if r := L.Get(-1); r != LNil {
			return 1
		}
		L.Pop(1)
	}
	return 0
}

// tableForeachi is Lua 5.1's table.foreachi: f(i, t[i]) for i from 1 to
// #t, as table.foreach stopping at the first non-nil result.
func tableForeachi(L *LState) int {
	tbl := L.CheckTable(1)
	fn := L.CheckFunction(2)
	p := &Poller{}
	n := tbl.Len()
	for i := 1; i <= n; i++ {
		p.Poll(L)
		L.Push(fn)
		L.Push(LNumber(i))
		L.Push(tbl.RawGetInt(i))
		L.Call(2, 1)
		if r := L.Get(-1); r != LNil {
			return 1
		}
		L.Pop(1)
	}
	return 0
}

// tableSort is Lua 5.1's auxsort (ltablib.c), step for step, so that an
// order function is called with the same pairs as in lua5.1 and an invalid
// one ("a <= b", "return true") raises "invalid order function for
// sorting" where 5.1 does. moonpin: upstream used Go's sort.Sort, which
// never detects it and leaves the table in some order.
func tableSort(L *LState) int {
	tbl := L.CheckTable(1)
	// moonpin: the elements 1..#t, as 5.1 sorts, not the whole array part
	// (upstream compared the nils a shrunk array keeps past #t:
	// `t[3] = nil table.sort(t)` failed "attempt to compare nil with
	// number"); and a nil comparator is none, as 5.1's
	// lua_isnoneornil (upstream: "function expected, got nil").
	s := luaSorter{L: L, t: tbl, p: &Poller{}}
	s.view()
	if L.Get(2) != LNil {
		s.fn = L.CheckFunction(2)
	}
	s.sort(1, tbl.Len())
	return 0
}

type luaSorter struct {
	L  *LState
	fn *LFunction
	// t is the table sorted, read and written straight in the slots of
	// its array part 1..n (n = #t), while that stays the array part and
	// its length (moonpin): a comparator that changed the table
	// (table.remove) left a view of the array holding Go nils past the
	// array's new end, and the next comparison crashed on one ("invalid
	// memory address"); one that grew it had the sort write into the array
	// it had left. Once the table changes, n is 0 and t is read and
	// written at each step, as 5.1's rawgeti and rawseti do.
	t      *LTable
	n      int
	arrayp *LValue // the array part when n was taken
	alen   uint32  // and its length
	// p looks at the interrupt every so many comparisons (moonpin):
	// sorting a big table takes long even when the comparisons are in Go.
	p *Poller
}

// view takes n, the elements of t's array part the sort reads and writes
// straight in their slots.
func (s *luaSorter) view() {
	s.n, s.arrayp, s.alen = s.t.Len(), s.t.arrayp, s.t.alens&lenMask
}

// check drops the view once Lua code (a comparator, an __lt) has made
// the array part another or of another length.
func (s *luaSorter) check() {
	if s.n != 0 && (s.arrayp != s.t.arrayp || s.alen != s.t.alens&lenMask) {
		s.n = 0
	}
}

// get is t[i], as rawgeti gives it.
func (s *luaSorter) get(i int) LValue {
	if uint(i-1) < uint(s.n) {
		return s.t.at(i - 1)
	}
	return s.t.RawGetInt(i)
}

func (s *luaSorter) swap(i, j int) {
	if uint(i-1) < uint(s.n) && uint(j-1) < uint(s.n) {
		p, q := s.t.slot(i-1), s.t.slot(j-1)
		*p, *q = *q, *p
		return
	}
	a, b := s.get(i), s.get(j)
	s.t.RawSetInt(i, b)
	s.t.RawSetInt(j, a)
}

func (s *luaSorter) less(x, y LValue) bool {
	s.p.Poll(s.L)
	var r bool
	if s.fn != nil {
		s.L.Push(s.fn)
		s.L.Push(x)
		s.L.Push(y)
		s.L.Call(2, 1)
		r = LVAsBool(s.L.reg.Pop())
	} else {
		r = lessThan(s.L, x, y)
	}
	s.check()
	return r
}

func (s *luaSorter) sort(l, u int) {
	for l < u {
		if s.less(s.get(u), s.get(l)) {
			s.swap(l, u)
		}
		if u-l == 1 {
			break
		}
		i := (l + u) / 2
		if s.less(s.get(i), s.get(l)) {
			s.swap(i, l)
		} else if s.less(s.get(u), s.get(i)) {
			s.swap(i, u)
		}
		if u-l == 2 {
			break
		}
		pivot := s.get(i)
		s.swap(i, u-1)
		i, j := l, u-1
		for {
			for i++; s.less(s.get(i), pivot); i++ {
				if i > u {
					s.L.RaiseError("invalid order function for sorting")
				}
			}
			for j--; s.less(pivot, s.get(j)); j-- {
				if j < l {
					s.L.RaiseError("invalid order function for sorting")
				}
			}
			if j < i {
				break
			}
			s.swap(i, j)
		}
		s.swap(u-1, i)
		if i-l < u-i {
			j, i, l = l, i-1, i+1
		} else {
			j, i, u = i+1, u, i-1
		}
		s.sort(j, i)
	}
}

func tableGetN(L *LState) int {
	L.Push(LNumber(L.CheckTable(1).Len()))
	return 1
}

// tableMaxN is Lua 5.1's table.maxn: the largest positive numeric key,
// integer or not, or 0 (moonpin: upstream looked only at the array part,
// so {[24.5] = 3} and {[1000] = true} gave 0).
func tableMaxN(L *LState) int {
	tbl := L.CheckTable(1)
	max := LNumber(tbl.MaxN())
	var p Poller // moonpin: millions of keys took half a second
	for k, _, _ := tbl.next(L, LNil); k != LNil; k, _, _ = tbl.next(L, k) {
		p.Poll(L)
		if n, ok := k.(LNumber); ok && n > max {
			max = n
		}
	}
	L.Push(max)
	return 1
}

func tableRemove(L *LState) int {
	tbl := L.CheckTable(1)
	// moonpin: as Lua 5.1, a position outside 1..#t removes nothing and
	// returns nothing (upstream returned nil).
	n := tbl.Len()
	pos := L.OptInt(2, n)
	if pos < 1 || pos > n {
		return 0
	}
	L.Push(tbl.Remove(pos))
	return 1
}

func tableConcat(L *LState) int {
	sep := LString(L.OptString(2, "")) // moonpin: checked first, as in 5.1
	tbl := L.CheckTable(1)
	// moonpin: as Lua 5.1, i..j is taken as given, and a nil in it is an
	// error (upstream clamped both to 1..#t, so a range past the end
	// joined what was there).
	i := L.OptInt(3, 1)
	j := L.OptInt(4, tbl.Len())
	if i > j {
		L.Push(emptyLString)
		return 1
	}
	// moonpin: the pieces go straight into a buffer that asks for memory
	// before it grows, with a look at the interrupt every so often, instead
	// of onto the value stack (two slots per element) for one big join.
	out := builder{L: L}
	var p Poller
	for ; i <= j; i++ {
		v := tbl.RawGetInt(i)
		if !LVCanConvToString(v) {
			L.RaiseError("invalid value (%s) at index %d in table for 'concat'", v.Type().String(), i)
		}
		out.writeString(LVAsString(v))
		if i != j {
			out.writeString(string(sep))
		}
		p.Poll(L)
	}
	L.Push(LString(out.String()))
	return 1
}

func tableInsert(L *LState) int {
	tbl := L.CheckTable(1)
	nargs := L.GetTop()
	if nargs != 2 && nargs != 3 {
		L.RaiseError("wrong number of arguments to 'insert'")
	}
	if L.GetTop() == 2 {
		tbl.Append(L.Get(2))
		return 0
	}
	tbl.Insert(int(L.CheckInt(2)), L.CheckAny(3))
	return 0
}

//
