package show_test

import (
	"context"
	"strings"
	"testing"

	"github.com/moonpin/moonpin/interp/show"
	lua "github.com/yuin/gopher-lua"
)

type pin struct{}

func (pin) Describe() string { return "GPIO17 (out, 1)" }

// eval returns the results of the Lua expression expr in a bare state that
// has a handle in the global PIN.
func eval(t testing.TB, L *lua.LState, expr string) []lua.LValue {
	t.Helper()
	top := L.GetTop()
	if err := L.DoString("return " + expr); err != nil {
		t.Fatalf("%s: %v", expr, err)
	}
	vs := make([]lua.LValue, L.GetTop()-top)
	for i := range vs {
		vs[i] = L.Get(top + 1 + i)
	}
	L.SetTop(top)
	return vs
}

func newState(t testing.TB) *lua.LState {
	L := lua.NewState()
	t.Cleanup(L.Close)
	ud := L.NewUserData()
	ud.Value = pin{}
	L.SetGlobal("PIN", ud)
	return L
}

func TestValues(t *testing.T) {
	L := newState(t)
	cases := []struct{ expr, want string }{
		{`nil`, `nil`},
		{`1, "two", nil, true`, `1, two, nil, true`},
		{`"", "", 1`, `"", "", 1`},
		{`{80, 118}`, `{80, 118}`},
		{`{a = 1, b = {2, 3}}`, `{a = 1, b = {2, 3}}`},
		{`{b = 1, a = 2, [4] = "x", 10, 20}`, `{10, 20, [4] = "x", a = 2, b = 1}`},
		{`{b = 1, [3] = "x", 10, 20}`, `{10, 20, "x", b = 1}`},
		{`{["with space"] = 1, ["end"] = 2, [true] = 3, [1.5] = 4}`, `{[1.5] = 4, ["end"] = 2, ["with space"] = 1, [true] = 3}`},
		{`{}`, `{}`},
		{`{"a\n\"b\"", "\0\0011", "\255"}`, `{"a\n\"b\"", "\0\0011", "\255"}`},
		{`1796396793.560665`, `1796396793.5607`},
		{`0.30000001192092896`, `0.30000001192093`},
		{`1e15, 1e100, -0.0, 1/0, -1/0`, `1e+15, 1e+100, -0, inf, -inf`},
		{`2^53`, `9.007199254741e+15`},
		{`{1/0}`, `{inf}`},
		{`"binary\1"`, `"binary\1"`},
		{`"héllo\tworld"`, "héllo\tworld"},
		{`PIN`, `GPIO17 (out, 1)`},
		{`{led = PIN}`, `{led = GPIO17 (out, 1)}`},
		{`{print}`, `{<function>}`},
		{`{coroutine.create(function() end)}`, `{<coroutine>}`},
		{`{{{{{{{1}}}}}}}`, `{{{{{{…}}}}}}`},
		{`{{{{{{}}}}}}`, `{{{{{{}}}}}}`},
		{`setmetatable({}, {__tostring = function() return "point(1, 2)" end})`, `point(1, 2)`},
		{`{p = setmetatable({}, {__tostring = function() return "point(1, 2)" end})}`, `{p = point(1, 2)}`},
		{`{s = string.rep("x", 200)}`, "{\n  s = \"" + strings.Repeat("x", show.MaxString) + "…\"\n}"},
		// keys past 2^63 and inf are keys, not items of the array part
		{`{[1e19] = "big", "one", [1/0] = "inf", [-1e19] = "neg"}`, `{"one", [-1e+19] = "neg", [1e+19] = "big", [inf] = "inf"}`},
		// a name longer than MaxString is a key like a long string
		{`{[string.rep("k", 200)] = 1}`, "{\n  [\"" + strings.Repeat("k", show.MaxString) + "…\"] = 1\n}"},
		// a __tostring text inside a table is cut as a string is, and
		// quoted if a terminal cannot show it; the value itself is whole
		{`{setmetatable({}, {__tostring = function() return string.rep("p", 200) end})}`, "{\n  " + strings.Repeat("p", show.MaxString) + "…\n}"},
		{`{setmetatable({}, {__tostring = function() return "\27[31m" end})}`, `{"\27[31m"}`},
		{`setmetatable({}, {__tostring = function() return string.rep("p", 200) end})`, strings.Repeat("p", 200)},
		// C1 controls (U+009B is CSI) are quoted
		{`"\194\155" .. "31mRED"`, `"\194\15531mRED"`},
	}
	for _, c := range cases {
		got := show.Values(L, eval(t, L, c.expr))
		if got != c.want {
			t.Errorf("%s\n got %s\nwant %s", c.expr, got, c.want)
		}
	}
}

func TestCycle(t *testing.T) {
	L := newState(t)
	vs := eval(t, L, `(function() local t = {name = "loop"}; t.self = t; t.list = {t}; return t end)()`)
	got := show.Values(L, vs)
	if want := `{list = {<cycle>}, name = "loop", self = <cycle>}`; got != want {
		t.Fatalf("got %s, want %s", got, want)
	}
	// The same table twice, not inside itself, is no cycle.
	vs = eval(t, L, `(function() local t = {1}; return {t, t} end)()`)
	if got := show.Values(L, vs); got != `{{1}, {1}}` {
		t.Fatalf("shared table: %s", got)
	}
}

// A __tostring that shows what it holds with Value (i2c's scan list
// does, in Go; a Lua one can through repr) meets the cycle its caller is in
// as a plain table does: "<cycle>", not a C stack overflow.
func TestCycleThroughToString(t *testing.T) {
	L := newState(t)
	L.SetGlobal("REPR", L.NewFunction(func(L *lua.LState) int {
		L.Push(lua.LString(show.Value(L, L.Get(1))))
		return 1
	}))
	for _, c := range []struct{ expr, want string }{
		{`(function() local t = setmetatable({}, {__tostring = function(s) return "T" .. REPR(s[1]) end}); t[1] = t; return t end)()`, `T<cycle>`},
		{`(function() local t = setmetatable({}, {__tostring = function(s) return "T" .. REPR(s[1]) end}); t[1] = {t}; return {t} end)()`, `{T{<cycle>}}`},
		{`(function() local t = setmetatable({}, {__tostring = function(s) return "T" .. REPR(s[1]) end}); t[1] = 5; return {t, t} end)()`, `{T5, T5}`},
	} {
		if got := show.Values(L, eval(t, L, c.expr)); got != c.want {
			t.Errorf("%s\n got %s\nwant %s", c.expr, got, c.want)
		}
	}
}

func TestIndents(t *testing.T) {
	L := newState(t)
	vs := eval(t, L, `{name = "bme280", address = 118, calibration = {t1 = 28485, t2 = 26735, t3 = 50, p1 = 36738, p2 = -10635}, readings = {21.5, 21.75, 22, 22.25, 22.5, 22.75, 23, 23.25, 23.5, 23.75, 24, 24.25, 24.5, 24.75, 25}}`)
	got := show.Values(L, vs)
	want := `{
  address = 118,
  calibration = {p1 = 36738, p2 = -10635, t1 = 28485, t2 = 26735, t3 = 50},
  name = "bme280",
  readings = {
    21.5, 21.75, 22, 22.25, 22.5, 22.75, 23, 23.25, 23.5, 23.75, 24, 24.25,
    24.5, 24.75, 25
  }
}`
	if got != want {
		t.Fatalf("got\n%s\nwant\n%s", got, want)
	}
	for _, line := range strings.Split(got, "\n") {
		if len(line) > show.Width {
			t.Errorf("line longer than %d: %q", show.Width, line)
		}
	}
}

// largeTables are tables a user may type at the prompt; their printing is
// bounded in size (checked here) and in time (BenchmarkShowLargeTables: the
// README gives its figures; a wall-clock limit here failed under qemu).
var largeTables = []struct{ name, expr string }{
	{"array10k", `(function() local t = {} for i = 1, 10000 do t[i] = i end return t end)()`},
	{"names10k", `(function() local t = {} for i = 1, 10000 do t["key" .. i] = string.rep("v", 50) end return t end)()`},
	{"nested10k", `(function() local t = {} for i = 1, 10000 do t[i] = {i, {i, {i, "x"}}} end return t end)()`},
	{"sparse200k", `(function() local t = {} for i = 1, 200000 do t[i * 7 % 200003] = i end return t end)()`},
}

// TestValuesShareOneBudget: an expression's results share one Budget, so
// unpack of many tables or numbers shows a few and "… n more values"
// (each had its own 3 KB: 184 MB for 60000 tables in moonpin).
func TestValuesShareOneBudget(t *testing.T) {
	L := newState(t)
	many := func(expr string, n int) []lua.LValue {
		v := eval(t, L, expr)[0]
		vs := make([]lua.LValue, n)
		for i := range vs {
			vs[i] = v
		}
		return vs
	}
	for name, vs := range map[string][]lua.LValue{
		"tables":  many(`(function() local b = {} for i = 1, 100 do b["key" .. i] = ("v"):rep(50) end return b end)()`, 60000),
		"numbers": many(`1.5`, 200000),
		"strings": many(`("s"):rep(100)`, 200000),
	} {
		got := show.Values(L, vs)
		if len(got) > 2*show.Budget || !strings.HasSuffix(got, " more values") {
			t.Errorf("%s: %d bytes, want under %d ending in … n more values: %.200s", name, len(got), 2*show.Budget, got)
		}
	}
	if got := show.Values(L, eval(t, L, `1, 2, 3`)); got != "1, 2, 3" {
		t.Errorf("1, 2, 3 shows as %q", got)
	}
}

// TestValuesInterrupted: an interrupt stops a display of many results,
// each too small to reach the printer's own check.
func TestValuesInterrupted(t *testing.T) {
	L := newState(t)
	vs := make([]lua.LValue, 5000)
	for i := range vs {
		vs[i] = eval(t, L, `{1}`)[0]
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	L.SetContext(ctx)
	defer L.RemoveContext()
	finished := false
	L.SetGlobal("show", L.NewFunction(func(L *lua.LState) int {
		cancel() // Ctrl-C, as the display begins
		show.ValuesAsText(L, vs)
		finished = true
		return 0
	}))
	if err := L.DoString(`show()`); err == nil || finished {
		t.Fatalf("showing 5000 results went on to the end after an interrupt (error %v)", err)
	}
}

func TestLargeTablesAreBounded(t *testing.T) {
	L := newState(t)
	for _, tc := range largeTables {
		got := show.Values(L, eval(t, L, tc.expr))
		if len(got) > 4096 || !strings.Contains(got, " more") {
			t.Errorf("%s: %d bytes, want under 4 KB ending in … n more:\n%s", tc.name, len(got), got)
		}
	}
}

func BenchmarkShowLargeTables(b *testing.B) {
	L := newState(b)
	for _, tc := range largeTables {
		v := eval(b, L, tc.expr)
		b.Run(tc.name, func(b *testing.B) {
			for b.Loop() {
				show.Values(L, v)
			}
		})
	}
}

func TestKeysSortedSmallestKept(t *testing.T) {
	L := newState(t)
	v := eval(t, L, `(function() local t = {} for i = 1000, 1, -1 do t["k" .. i] = i end return t end)()`)
	got := show.Value(L, v[0])
	if !strings.HasPrefix(got, "{\n  k1 = 1,\n  k2 = 2,\n") || !strings.Contains(got, "k50 = 50,\n  … 950 more\n}") {
		t.Fatalf("got %s", got)
	}
	v = eval(t, L, `{a10 = 1, a9 = 2, a09 = 3, b = 4, a1b = 6, a1a = 7, ["10"] = 8, ["9"] = 9}`)
	if got := show.Value(L, v[0]); got != `{["9"] = 9, ["10"] = 8, a1a = 7, a1b = 6, a09 = 3, a9 = 2, a10 = 1, b = 4}` {
		t.Fatalf("natural order: %s", got)
	}
}

func TestTostringError(t *testing.T) {
	L := newState(t)
	fn := func(L *lua.LState) int {
		L.Push(lua.LString(show.Values(L, []lua.LValue{L.Get(1)})))
		return 1
	}
	L.SetGlobal("show", L.NewFunction(fn))
	for _, c := range []struct{ expr, want string }{
		// The error as raised, its position once, not the printer's too.
		{`{setmetatable({}, {__tostring = function() error("bad tostring") end})}`, `false	<string>:1: bad tostring`},
		{`setmetatable({}, {__tostring = function() error({}) end})`, `false	table`},
		{`setmetatable({}, {__tostring = function() return nil end})`, `false	'__tostring' must return a string (it returned nil); return tostring(...) of what to show`},
		// A number is shown, as print shows it in Lua 5.1.
		{`{setmetatable({}, {__tostring = function() return 42 end})}`, `true	{42}`},
	} {
		if err := L.DoString(`local ok, v = pcall(show, ` + c.expr + `) R = tostring(ok) .. "\t" .. (type(v) == "string" and v or type(v))`); err != nil {
			t.Fatalf("%s: %v", c.expr, err)
		}
		if got := L.GetGlobal("R").String(); got != c.want {
			t.Errorf("%s\n got %s\nwant %s", c.expr, got, c.want)
		}
	}
	if L.GetTop() != 0 {
		t.Fatalf("stack left with %d values", L.GetTop())
	}
}

func TestQuoteReadsBack(t *testing.T) {
	L := newState(t)
	for _, s := range []string{"", "plain", "a\"b\\c", "\x00\x01" + "9\n\r\t", "\xff\xfe", "ünïcode", "\x7f1", "\u009b31m", "\u0085" + "7"} {
		q := show.Quote(s, -1)
		if err := L.DoString("R = " + q); err != nil {
			t.Fatalf("%q quoted as %s: %v", s, q, err)
		}
		if got := string(L.GetGlobal("R").(lua.LString)); got != s {
			t.Errorf("%q quoted as %s reads back as %q", s, q, got)
		}
	}
}
