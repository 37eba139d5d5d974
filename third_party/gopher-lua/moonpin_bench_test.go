package lua

import "testing"

// formatWorkloads each call string.format 10000 times (ns/op is per 10000
// calls); "len" is the floor, the cost of the loop and of calling a
// builtin that does next to nothing.
var formatWorkloads = []struct{ name, call string }{
	{"len", `string.len("abc")`},
	{"d", `string.format("%d", i)`},
	{"s", `string.format("%s", "abc")`},
	{"5.2f", `string.format("%5.2f", i / 7)`},
	{"g", `string.format("%g", i / 7)`},
	{"x", `string.format("%x", i)`},
	{"mixed", `string.format("%d: %s = %.3f (%5d)", i, "key", i * 0.5, i)`},
}

func BenchmarkStringFormat(b *testing.B) {
	for _, w := range formatWorkloads {
		b.Run(w.name, func(b *testing.B) {
			L := NewState()
			defer L.Close()
			fn, err := L.LoadString("for i = 1, 10000 do local s = " + w.call + " end")
			if err != nil {
				b.Fatal(err)
			}
			for range b.N {
				L.Push(fn)
				if err := L.PCall(0, 0, nil); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// vmWorkloads are the VM workloads, scaled to 1M iterations.
var vmWorkloads = []struct{ name, code string }{
	{"loop", `local s = 0 for i = 1, 1000000 do s = s + i end`},
	{"fib", `local function fib(n) if n < 2 then return n end return fib(n - 1) + fib(n - 2) end fib(27)`},
	{"method", `
local P = {} P.__index = P
function P.new(x) return setmetatable({x = x}, P) end
function P:get() return self.x end
local p, s = P.new(2), 0
for i = 1, 1000000 do s = s + p:get() end`},
	{"move", `
local Point = {} Point.__index = Point
function Point:move(dx) self.x = self.x + dx end
local p = setmetatable({x = 0, y = 0}, Point)
for i = 1, 1000000 do p:move(1) end`},
	{"field", `local t, s = {x = 1, y = 2}, 0 for i = 1, 1000000 do s = s + t.x + t.y end`},
	{"fieldset", `local p = {x = 0, y = 0} for i = 1, 1000000 do p.x = p.x + 1 end`},
	{"newtable", `local t for i = 1, 1000000 do t = {x = i, y = i} end`},
	{"list", `local t = {} for i = 1, 1000000 do t[i] = i end`},
	{"closure", `
local s = 0
for i = 1, 100000 do
	local function f(a) return a + i end
	for j = 1, 7 do s = f(s) end
end`},
}

func BenchmarkVM(b *testing.B) {
	for _, w := range vmWorkloads {
		b.Run(w.name, func(b *testing.B) {
			b.ReportAllocs()
			L := NewState()
			defer L.Close()
			fn, err := L.LoadString(w.code)
			if err != nil {
				b.Fatal(err)
			}
			for range b.N {
				L.Push(fn)
				if err := L.PCall(0, 0, nil); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// patternWorkloads each run a pattern function 10000 times (ns/op is per
// 10000 calls), for find, match, gsub and gmatch's parse and match costs.
var patternWorkloads = []struct{ name, call string }{
	{"find-plain", `local s = string.find("hello world, hello moon", "moon")`},
	{"find", `local s = string.find("hello world, hello moon", "m%a+")`},
	{"match", `local s = string.match("key = value", "^(%w+)%s*=%s*(%w+)$")`},
	{"gsub-str", `local s = string.gsub("hello world, hello moon", "o", "0")`},
	{"gsub-cap", `local s = string.gsub("hello world", "(%w+)", "<%1>")`},
	{"gsub-table", `local s = string.gsub("$a $b $c", "%$(%w+)", t)`},
	{"gmatch", `for w in string.gmatch("one two three four", "%a+") do end`},
	{"set", `local s = string.find("the year 2024!", "[%d%-]+")`},
}

func BenchmarkStringPatterns(b *testing.B) {
	for _, w := range patternWorkloads {
		b.Run(w.name, func(b *testing.B) {
			L := NewState()
			defer L.Close()
			fn, err := L.LoadString(`local t = {a = 1, b = "x", c = false} for i = 1, 10000 do ` + w.call + " end")
			if err != nil {
				b.Fatal(err)
			}
			for range b.N {
				L.Push(fn)
				if err := L.PCall(0, 0, nil); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// deepRecursionWorkloads each recurse 10000 levels deep doing one thing at
// each level (ns/op is per recursion). Making a closure, a coroutine with an
// upvalue or a failing pcall at each level was quadratic in the depth
// (MOONPIN.md: a recursion that makes a closure or a coroutine at each level).
var deepRecursionWorkloads = []struct{ name, body string }{
	{"plain", ``},
	{"closure", `local g = function() return n end`},
	{"upvalues", `local a, b = n, -n local g = function() return a + b + n end`},
	{"coroutine", `local co = coroutine.wrap(function() return n end) co()`},
	{"pcall-error", `local ok = pcall(error, "x")`},
	{"table", `local t = {n, x = n}`},
}

func BenchmarkDeepRecursion(b *testing.B) {
	for _, w := range deepRecursionWorkloads {
		b.Run(w.name, func(b *testing.B) {
			b.ReportAllocs()
			L := NewState(Options{CallStackSize: 20000, RegistrySize: 16 * 1024, RegistryGrowStep: 64 * 1024, RegistryMaxSize: 4 * 1024 * 1024})
			defer L.Close()
			fn, err := L.LoadString(`local function f(n) if n == 0 then return 0 end ` + w.body + ` return 1 + f(n - 1) end assert(f(10000) == 10000)`)
			if err != nil {
				b.Fatal(err)
			}
			for range b.N {
				L.Push(fn)
				if err := L.PCall(0, 0, nil); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
