package lua

import (
	"strings"
	"testing"
)

// Runtime errors name the culprit as Lua 5.1 does. Each want is what lua5.1
// prints for the chunk (loaded as "=c"): the messages must match word for
// word.
var lua51ErrorCases = []struct{ code, want string }{
	{"local a = nil; return a.b", "c:1: attempt to index local 'a' (a nil value)"},
	{"local a; a.b = 1", "c:1: attempt to index local 'a' (a nil value)"},
	{"return undefinedglobal.x", "c:1: attempt to index global 'undefinedglobal' (a nil value)"},
	{"undefinedglobal.x = 1", "c:1: attempt to index global 'undefinedglobal' (a nil value)"},
	{"return #undefinedglobal", "c:1: attempt to get length of global 'undefinedglobal' (a nil value)"},
	{"local t = {}; return t.x.y", "c:1: attempt to index field 'x' (a nil value)"},
	{"local t = {}; t.x.y = 1", "c:1: attempt to index field 'x' (a nil value)"},
	{"local t = {x = {}}; return t.x.y.z", "c:1: attempt to index field 'y' (a nil value)"},
	{"return undefinedfn()", "c:1: attempt to call global 'undefinedfn' (a nil value)"},
	{"local f; f()", "c:1: attempt to call local 'f' (a nil value)"},
	{"local t = {}; t.fn()", "c:1: attempt to call field 'fn' (a nil value)"},
	{"local t = {}; t:m()", "c:1: attempt to call method 'm' (a nil value)"},
	{"local t = {}; return t:method(1, 2)", "c:1: attempt to call method 'method' (a nil value)"},
	{"local v; return (function() return v.x end)()", "c:1: attempt to index upvalue 'v' (a nil value)"},
	{"local v; return (function() return v() end)()", "c:1: attempt to call upvalue 'v' (a nil value)"},
	{"local v; return (function() return #v end)()", "c:1: attempt to get length of upvalue 'v' (a nil value)"},
	{"local v; return (function() return v + 1 end)()", "c:1: attempt to perform arithmetic on upvalue 'v' (a nil value)"},
	{"local v = {}; return (function() return v .. \"s\" end)()", "c:1: attempt to concatenate upvalue 'v' (a table value)"},
	{"local a = {}; return a + 1", "c:1: attempt to perform arithmetic on local 'a' (a table value)"},
	{"local a = {}; return 1 + a", "c:1: attempt to perform arithmetic on local 'a' (a table value)"},
	{"local a, b = 1, {}; return a * b", "c:1: attempt to perform arithmetic on local 'b' (a table value)"},
	{"local a = \"abc\"; return a + 1", "c:1: attempt to perform arithmetic on local 'a' (a string value)"},
	{"local a = \"10\"; local b = {}; return a - b", "c:1: attempt to perform arithmetic on local 'b' (a table value)"},
	{"return {} + 1", "c:1: attempt to perform arithmetic on a table value"},
	{"return -{}", "c:1: attempt to perform arithmetic on a table value"},
	{"local a = {}; return -a", "c:1: attempt to perform arithmetic on local 'a' (a table value)"},
	{"local t = {}; return t.x + 1", "c:1: attempt to perform arithmetic on field 'x' (a nil value)"},
	{"local t = {}; return 2 ^ t.y", "c:1: attempt to perform arithmetic on field 'y' (a nil value)"},
	{"return g1 % 2", "c:1: attempt to perform arithmetic on global 'g1' (a nil value)"},
	{"local s = \"x\"; return s .. {}", "c:1: attempt to concatenate a table value"},
	{"local a = {}; return a .. \"x\"", "c:1: attempt to concatenate local 'a' (a table value)"},
	{"local a = nil; return \"x\" .. a", "c:1: attempt to concatenate local 'a' (a nil value)"},
	{"return \"x\" .. undefinedglobal", "c:1: attempt to concatenate global 'undefinedglobal' (a nil value)"},
	{"local t = {}; return t.name .. \"!\"", "c:1: attempt to concatenate field 'name' (a nil value)"},
	{"local a, b = \"a\", nil; return a .. b .. \"c\"", "c:1: attempt to concatenate local 'b' (a nil value)"},
	{"local a, b, c = \"a\", {}, \"c\"; return a .. b .. c", "c:1: attempt to concatenate local 'b' (a table value)"},
	{"return #nil", "c:1: attempt to get length of a nil value"},
	{"local n = 5; return #n", "c:1: attempt to get length of local 'n' (a number value)"},
	{"local t = {}; return #t.list", "c:1: attempt to get length of field 'list' (a nil value)"},
	{"return {} < {}", "c:1: attempt to compare two table values"},
	{"return 1 < \"x\"", "c:1: attempt to compare number with string"},
	{"return {} <= 1", "c:1: attempt to compare table with number"},
	{"local a, b = {}, {}; return a > b", "c:1: attempt to compare two table values"},
	{"return \"a\" < 1", "c:1: attempt to compare string with number"},
	{"local a = true; return a.x", "c:1: attempt to index local 'a' (a boolean value)"},
	{"local b = 1; return b.y", "c:1: attempt to index local 'b' (a number value)"},
	{"local f = print; return f.x", "c:1: attempt to index local 'f' (a function value)"},
	{"local t = setmetatable({}, {__index = function(t, k) return nil end}); return t.a.b", "c:1: attempt to index field 'a' (a nil value)"},
	{"local t = {}; t[1].x = 2", "c:1: attempt to index field '?' (a nil value)"},
	{"local t = {}; local k = \"key\"; return t[k].z", "c:1: attempt to index field '?' (a nil value)"},
	{"for i, v in undefinedglobal do end", "c:1: attempt to call a nil value"},
	{"local t = {}; t.a.b.c = 1", "c:1: attempt to index field 'a' (a nil value)"},
	{"local x = 1; x()", "c:1: attempt to call local 'x' (a number value)"},
	{"local s = \"str\"; s()", "c:1: attempt to call local 's' (a string value)"},
	{"return (\"x\")()", "c:1: attempt to call a string value"},
	{"local t = {{}}; return t[1].a.b", "c:1: attempt to index field 'a' (a nil value)"},
}

func TestMoonpinErrorsNameTheCulprit(t *testing.T) {
	L := NewState()
	defer L.Close()
	same := 0
	for _, tc := range lua51ErrorCases {
		fn, err := L.Load(strings.NewReader(tc.code), "c")
		if err != nil {
			t.Fatalf("%s: %v", tc.code, err)
		}
		L.Push(fn)
		got := "no error"
		if err := L.PCall(0, 0, nil); err != nil {
			got = err.(*ApiError).Object.String()
		}
		if got == tc.want {
			same++
		} else {
			t.Errorf("%s\n got %s\nwant %s", tc.code, got, tc.want)
		}
	}
	t.Logf("%d of %d messages match lua5.1's", same, len(lua51ErrorCases))
}
