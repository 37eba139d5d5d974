package lua

import (
	"context"
	"fmt"
	"runtime"
	"strings"
	"testing"

	"github.com/yuin/gopher-lua/parse"
)

// Tests of moonpin's changes to gopher-lua (MOONPIN.md lists them).

// An error caught by pcall leaves the upvalues of the functions outside it
// alone (upstream issue #448).
func TestMoonpinPcallKeepsUpvalues(t *testing.T) {
	L := NewState()
	defer L.Close()
	errorIfScriptFail(t, L, `
		local x = 0
		local function inc() x = x + 1 end
		pcall(error, "e")
		inc()
		assert(x == 1, x)
		local ok = pcall(function()
			local y = 5
			getter = function() y = y + 1 return y end
			error("e")
		end)
		assert(not ok)
		assert(getter() == 6)
		assert(getter() == 7)`)
}

// A coroutine that dies of an error closes its upvalues, so the closures
// it made keep their values as in Lua 5.1. With the pcall fix alone they
// pointed into the dead coroutine's cleared stack and a call crashed with a
// nil dereference.
func TestMoonpinDeadCoroutineClosesUpvalues(t *testing.T) {
	L := NewState()
	defer L.Close()
	errorIfScriptFail(t, L, `
		local get
		local co = coroutine.create(function()
			local v = 42
			get = function() return v end
			local t = nil
			return t.x
		end)
		assert(coroutine.resume(co) == false)
		assert(get() == 42)

		local wget
		local w = coroutine.wrap(function()
			local v = "kept"
			wget = function() return v end
			error("dies")
		end)
		assert(pcall(w) == false)
		assert(wget() == "kept")

		local yget
		local yco = coroutine.create(function()
			local v = 1
			yget = function() v = v + 1 return v end
			coroutine.yield()
			error("dies after yield")
		end)
		coroutine.resume(yco)
		assert(yget() == 2)
		assert(coroutine.resume(yco) == false)
		assert(yget() == 3)
		assert(yget() == 4)`)
}

// The VM looks at the context every 256 instructions and when a call
// returns, so a context cancelled during a short chunk still fails it, and
// Tick runs on the state's goroutine.
func TestMoonpinContextAndTick(t *testing.T) {
	L := NewState()
	defer L.Close()
	ctx, cancel := context.WithCancel(context.Background())
	L.SetContext(ctx)
	ticks := 0
	L.G.Tick = func(*LState) { ticks++ }
	L.SetGlobal("cancel", L.NewFunction(func(*LState) int { cancel(); return 0 }))
	errorIfScriptFail(t, L, `for i = 1, 1000 do end`)
	if ticks < 3 {
		t.Errorf("Tick ran %d times in a 1000-iteration loop, want at least 3", ticks)
	}
	errorIfScriptNotFail(t, L, `cancel()`, context.Canceled.Error())
}

// Table constructors of more than 25550 items (511 SETLIST blocks of 50)
// keep every item and their assignment (upstream PR #537).
func TestMoonpinBigTableConstructors(t *testing.T) {
	items := make([]string, 30000)
	for i := range items {
		items[i] = fmt.Sprint(i + 1)
	}
	big := "{" + strings.Join(items, ",") + "}"
	L := NewState()
	defer L.Close()
	errorIfScriptFail(t, L, `
		local t = `+big+`
		assert(#t == 30000 and t[25551] == 25551 and t[30000] == 30000, #t)
		a = {}
		a.b = `+big+`
		assert(a.b and #a.b == 30000)
		local q = {k = `+big+`, j = 5}
		assert(#q.k == 30000 and q.j == 5)`)
}

// A constructor with 70000 distinct constants compiles in well under a
// second (the constant lookup was a scan: minutes) and keeps them apart.
func TestMoonpinManyConstants(t *testing.T) {
	var b strings.Builder
	b.WriteString("local t = {")
	for i := 0; i < 70000; i++ {
		fmt.Fprintf(&b, "k%d = %d.5, ", i, i)
	}
	b.WriteString("}\nassert(t.k0 == 0.5 and t.k69999 == 69999.5 and t.k12345 == 12345.5)")
	L := NewState()
	defer L.Close()
	errorIfScriptFail(t, L, b.String())
}

// Compiling a parsed chunk looks at the state's context, as parsing does:
// a chunk of megabytes compiles for seconds.
func TestMoonpinCompileStopsAtTheContext(t *testing.T) {
	chunk, err := parse.Parse(strings.NewReader(strings.Repeat("x = 1\n", 1e5)), "big")
	if err != nil {
		t.Fatal(err)
	}
	calls := 0
	stopped := func() error {
		calls++
		if calls == 3 {
			return context.Canceled
		}
		return nil
	}
	_, err = compile(chunk, "big", stopped)
	if err == nil || !strings.Contains(err.Error(), "context canceled") {
		t.Fatalf("compile: %v, want it to stop with the context's error", err)
	}
	if calls != 3 {
		t.Fatalf("asked %d times after the stop", calls)
	}
	// Through LState.Load, with a context already cancelled.
	L := NewState()
	defer L.Close()
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	L.SetContext(ctx)
	if _, err := L.Load(strings.NewReader(strings.Repeat("x = 1\n", 1e4)), "chunk"); err == nil {
		t.Fatal("Load with a cancelled context compiled")
	}
}

// The single-character quantifiers '*', '+' and '-' loop, as Lua's
// max_expand and min_expand do, instead of recursing once per character: on
// a subject of 10 million characters the recursion took 300–400 MB of Go
// stack and failed with "pattern/input too complex" where Lua 5.1 matches.
func TestMoonpinQuantifiersDoNotRecursePerCharacter(t *testing.T) {
	L := NewState()
	defer L.Close()
	errorIfScriptFail(t, L, `
		local s = ("a"):rep(1e7)
		local i, j = s:find("a*$")  assert(i == 1 and j == 1e7, i .. " " .. tostring(j))
		i, j = s:find("a+$")        assert(i == 1 and j == 1e7)
		i, j = (s .. "b"):find("a-b") assert(i == 1 and j == 1e7 + 1)
		assert(#s:match(".*") == 1e7 and #(s .. "b"):match("^.-b") == 1e7 + 1)
		-- greedy backs off, lazy extends, captures and anchors still hold
		assert(("xaaab"):match("a*") == "" and ("aaab"):match("(a*)(a)b") == "aa")
		assert(("aaab"):match("a-(a*)b") == "aaa" and ("<<a>>"):match("<(.-)>") == "<a")
		assert(("abc"):find("b*", 2) == 2 and select(2, ("abc"):find("b*", 2)) == 2)
		assert(("aaa"):gsub("a-", "x") == "xaxaxax" and ("aaa"):gsub("a*", "x") == "xx")
		assert(("  pad  "):match("^%s*(.-)%s*$") == "pad")`)
}

// string.byte over a slice longer than the value stack has room for fails at
// once with Lua 5.1's message, as unpack does, instead of growing the stack a
// value at a time to "registry overflow".
func TestMoonpinStringByteChecksItsCount(t *testing.T) {
	L := NewState(Options{RegistryMaxSize: 1 << 16})
	defer L.Close()
	errorIfScriptFail(t, L, `
		local ok, err = pcall(string.byte, ("x"):rep(1e6), 1, -1)
		assert(not ok and err:find("string slice too long"), err)
		assert(select("#", string.byte(("x"):rep(1000), 1, -1)) == 1000)
		assert(select("#", string.byte("abc", 2, 10)) == 2 and string.byte("abc", -1) == 99)`)
}

// The VM loop with a context keeps the running frame's code in a local; a
// tail call puts another function in the same frame, and the loop must run
// that function's code, not go on with the caller's.
func TestMoonpinTailCallWithContext(t *testing.T) {
	L := NewState()
	defer L.Close()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	L.SetContext(ctx)
	err := L.DoString(`
local function b(n) return n * 2, "b" end
local function a(n) return b(n + 1) end
local function count(n, acc) if n == 0 then return acc end return count(n - 1, acc + 1) end
local x, who = a(1)
assert(x == 4 and who == "b", "a(1) gave " .. tostring(x) .. ", " .. tostring(who))
assert(count(1000, 0) == 1000)
local t = setmetatable({}, {__call = function(_, v) return v + 1 end})
local function viaMeta(v) return t(v) end
assert(viaMeta(1) == 2)`)
	if err != nil {
		t.Fatal(err)
	}
}

// TestMoonpinCoroutineEndsWithContext: a coroutine that returns, on a state
// with a context, gives its values to resume. Its death cancels its own
// context (kill), which the check on the way out of the loop took for an
// interrupt: the last resume of every coroutine failed with "context
// canceled".
func TestMoonpinCoroutineEndsWithContext(t *testing.T) {
	L := NewState()
	defer L.Close()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	L.SetContext(ctx)
	err := L.DoString(`
local n = 0
for i in coroutine.wrap(function() for i = 1, 3 do coroutine.yield(i) end end) do n = n + i end
assert(n == 6, n)
local co = coroutine.create(function(a) local b = coroutine.yield(a + 1) return b * 2 end)
local ok1, v1 = coroutine.resume(co, 1)
local ok2, v2 = coroutine.resume(co, 5)
assert(ok1 and v1 == 2 and ok2 and v2 == 10, tostring(v2))
assert(coroutine.status(co) == "dead")
assert(coroutine.wrap(function() return "r" end)() == "r")`)
	if err != nil {
		t.Fatal(err)
	}
}

// TestMoonpinLoadCheckedSource: a name that starts with '=' is Lua 5.1's
// chunkname for a chunk that is not a file ("=stdin", "=(command line)").
func TestMoonpinLoadCheckedSource(t *testing.T) {
	L := NewState()
	defer L.Close()
	for _, c := range []struct{ name, source, short, errPrefix string }{
		{"=stdin", "=stdin", "stdin", "stdin:1:"},
		{"=(command line)", "=(command line)", "(command line)", "(command line):1:"},
		{"main.lua", "@main.lua", "main.lua", "main.lua:1:"},
	} {
		fn, err := L.LoadChecked(`local i = debug.getinfo(1, "S") return i.source, i.short_src, pcall(function() error("x") end)`, c.name)
		if err != nil {
			t.Fatal(err)
		}
		L.Push(fn)
		L.Call(0, 4)
		source, short, msg := L.Get(-4).String(), L.Get(-3).String(), L.Get(-1).String()
		L.Pop(4)
		if source != c.source || short != c.short || !strings.HasPrefix(msg, c.errPrefix) {
			t.Errorf("%q: source %q, short_src %q, error %q; want %q, %q, %q...", c.name, source, short, msg, c.source, c.short, c.errPrefix)
		}
		if _, err := L.LoadChecked("x = = 1", c.name); err == nil || !strings.Contains(err.Error(), c.errPrefix) {
			t.Errorf("%q: syntax error %v, want it to begin %q", c.name, err, c.errPrefix)
		}
	}
}

// deepRecursionState is a state with moonpin's call stack (20000 frames)
// and a global probe(n) that runs check at the depth where Lua calls it.
func deepRecursionState(t *testing.T, check func(L *LState)) *LState {
	t.Helper()
	L := NewState(Options{CallStackSize: 20000, RegistrySize: 16 * 1024, RegistryGrowStep: 64 * 1024, RegistryMaxSize: 4 * 1024 * 1024})
	L.SetGlobal("probe", L.NewFunction(func(L *LState) int {
		check(L)
		return 0
	}))
	return L
}

// A recursion that makes a closure at each level looks at the open upvalues
// of the running function only: they are first in the state's list
// (highest stack index first, as Lua 5.1's openupval), so capturing a local
// (findUpvalue) and returning (closeUpvalues) pass over none of the
// callers'. Upstream kept the list lowest first: each capture walked the
// upvalues of every level below, and each return the whole list, so 15000
// levels took seconds. The work is counted, not timed: the open upvalues
// before the running function's own, at depth 1000 and 4000.
func TestMoonpinDeepRecursionUpvalueWork(t *testing.T) {
	for _, depth := range []int{1000, 4000} {
		passed, open := -1, 0
		L := deepRecursionState(t, func(L *LState) {
			caller := L.currentFrame.Parent // the Lua function that called probe
			passed, open = -1, 0
			for uv := L.uvcache; uv != nil; uv = uv.next {
				if passed < 0 && uv.index >= caller.LocalBase {
					passed = open
				}
				open++
			}
		})
		errorIfScriptFail(t, L, fmt.Sprintf(`
			local depth = %d
			local gets = {}
			local function f(n)
				local a, b = n, -n
				gets[n] = function() return a + b + n end
				if n == depth then probe() return 0 end
				return 1 + f(n + 1)
			end
			assert(f(1) == depth - 1)
			assert(gets[1]() == 1 and gets[depth]() == depth)`, depth))
		L.Close()
		// a, b and n at each level, and the chunk's depth, gets and f.
		if open != 3*depth+3 {
			t.Errorf("depth %d: %d open upvalues, want %d", depth, open, 3*depth+3)
		}
		if passed != 0 {
			t.Errorf("depth %d: %d open upvalues of the callers before the running function's (each capture and return walks them)", depth, passed)
		}
	}
}

// Closures made at every level of a deep recursion share their variables
// with the level while it runs and keep them after it returns, whatever the
// order in which levels capture, return, fail in a pcall or end in a tail
// call; as in Lua 5.1.
func TestMoonpinDeepRecursionUpvalues(t *testing.T) {
	L := deepRecursionState(t, func(*LState) {})
	defer L.Close()
	errorIfScriptFail(t, L, `
		local sets, gets = {}, {}
		local function f(n)
			local x = n
			sets[n] = function(v) x = v end
			local ok = pcall(function()
				local y = x
				gets[n] = function() return x + y end
				if n % 7 == 0 then error("e") end
			end)
			assert(ok == (n % 7 ~= 0))
			if n == 3000 then
				for i = 1, n do sets[i](2 * i) end
				for i = 1, n do assert(gets[i]() == 3 * i, i) end
				return 0
			end
			if n % 5 == 0 then
				local co = coroutine.wrap(function() local z = x coroutine.yield(function() return z + x end) end)
				assert(co()() == 2 * n)
			end
			local r = 1 + f(n + 1)
			assert(x == 2 * n)
			return r
		end
		assert(f(1) == 2999)
		for i = 1, 3000 do sets[i](i) assert(gets[i]() == 2 * i, i) end
		local function g(n, acc) local c = function() return n end acc[#acc + 1] = c if n == 0 then return acc end return g(n - 1, acc) end
		local acc = g(2000, {})
		for i = 1, #acc do assert(acc[i]() == 2001 - i) end`)
}

// pcall (the Lua function) makes no traceback for the error it catches:
// the traceback counts every level of the stack, so a pcall that failed at
// each level of a deep recursion cost time in the square of the depth, and
// pcall drops it. The work is counted as allocations, not timed: a failing
// pcall at a depth of 3000 allocates no more than a few values beyond a
// succeeding one (a traceback is some 30 more). LState.PCall, the Go API,
// still gives one in ApiError.StackTrace.
func TestMoonpinPcallMakesNoTraceback(t *testing.T) {
	var fails, succeeds float64
	L := deepRecursionState(t, func(L *LState) {
		fail, ok := L.GetGlobal("fail").(*LFunction)
		succeed, ok2 := L.GetGlobal("succeed").(*LFunction)
		if !ok || !ok2 {
			t.Fatal("fail or succeed is not a function")
		}
		run := func(fn *LFunction) func() {
			return func() {
				L.Push(fn)
				L.Call(0, 0)
			}
		}
		fails = testing.AllocsPerRun(20, run(fail))
		succeeds = testing.AllocsPerRun(20, run(succeed))
	})
	defer L.Close()
	errorIfScriptFail(t, L, `
		function fail() assert(not pcall(error, "x")) end
		function succeed() assert(pcall(type, 1)) end
		local function f(n) if n == 0 then probe() return 0 end return 1 + f(n - 1) end
		assert(f(3000) == 3000)`)
	t.Logf("allocations: failing pcall %v, succeeding %v", fails, succeeds)
	if fails > succeeds+8 {
		t.Errorf("a failing pcall at depth 3000 allocates %v, a succeeding one %v: a traceback is made", fails, succeeds)
	}
	err := L.DoString(`local function f(n) if n == 0 then error("deep") end return 1 + f(n - 1) end f(3000)`)
	aerr, ok := err.(*ApiError)
	if !ok || !strings.Contains(aerr.StackTrace, "stack traceback:") || !strings.Contains(aerr.StackTrace, "...") {
		t.Errorf("LState.PCall's error has no traceback: %#v", err)
	}
}

// A compiled function keeps what it needs, not the compiler's buffers: each
// kept the 1024-entry code and line buffers and the prototype's
// preallocated lists, about 17 KB, so 15000 chunks from
// loadstring("return "..i) filled a 256 MB memory limit that lua5.1 holds
// them in 10 MB.
func TestMoonpinCompiledFunctionSize(t *testing.T) {
	L := NewState()
	defer L.Close()
	const n = 2000
	kept := make([]*LFunction, 0, n)
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	for i := range n {
		fn, err := L.LoadString(fmt.Sprintf("local a = %d return function() return a + 1 end", i))
		if err != nil {
			t.Fatal(err)
		}
		kept = append(kept, fn)
	}
	runtime.GC()
	runtime.ReadMemStats(&after)
	per := (int64(after.HeapAlloc) - int64(before.HeapAlloc)) / n
	runtime.KeepAlive(kept)
	if per > 2048 {
		t.Fatalf("a compiled chunk with one nested function keeps %d bytes; want at most 2048", per)
	}
	t.Logf("%d bytes per chunk", per)
	// What was kept still runs.
	L.Push(kept[n-1])
	L.Call(0, 1)
	L.Push(L.Get(-1))
	L.Call(0, 1)
	if got := L.Get(-1); got != LNumber(n) {
		t.Fatalf("the last chunk's function returned %v; want %d", got, n)
	}
}

// A coroutine shares its creator's globals: NewThread made a whole Global
// (registry and globals tables, a map of metatables) for each coroutine
// and dropped it, most of coroutine.create's allocation.
func TestMoonpinCoroutineAllocation(t *testing.T) {
	L := NewState()
	defer L.Close()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	L.SetContext(ctx)
	fn, err := L.LoadString(`local f = function() end for i = 1, 1000 do coroutine.resume(coroutine.create(f)) end`)
	if err != nil {
		t.Fatal(err)
	}
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	L.Push(fn)
	L.Call(0, 0)
	runtime.ReadMemStats(&after)
	per := (after.TotalAlloc - before.TotalAlloc) / 1000
	t.Logf("%d bytes allocated per coroutine", per)
	if per > 6000 {
		t.Fatalf("a coroutine made and resumed allocates %d bytes; want at most 6000", per)
	}
}

// A closure of one or two upvalues is one allocation with its slice of
// upvalues (upstream: two), and the slice holds exactly its upvalues.
func TestMoonpinClosureIsOneAllocation(t *testing.T) {
	proto := &FunctionProto{}
	env := newLTable(0, 0)
	for n := 0; n <= 3; n++ {
		want := 1.0
		if n == 3 {
			want = 2 // the function, then its slice
		}
		var fn *LFunction
		if got := testing.AllocsPerRun(100, func() { fn = newLFunctionL(proto, env, n) }); got != want {
			t.Errorf("a closure of %d upvalues takes %v allocations; want %v", n, got, want)
		}
		if len(fn.Upvalues) != n || cap(fn.Upvalues) != n || fn.Proto != proto || fn.Env != env || fn.IsG {
			t.Errorf("a closure of %d upvalues: %d upvalues (room for %d), proto %p, env %p, IsG %v", n, len(fn.Upvalues), cap(fn.Upvalues), fn.Proto, fn.Env, fn.IsG)
		}
	}
	// Two closures of one scope share their upvalue, and it outlives the
	// scope.
	L := NewState()
	defer L.Close()
	if err := L.DoString(`
local function pair(n)
  return function() n = n + 1 return n end, function() return n end
end
local inc, get = pair(10)
inc() inc()
assert(get() == 12, get())
local inc2, get2 = pair(0)
inc2()
assert(get() == 12 and get2() == 1)`); err != nil {
		t.Fatal(err)
	}
}
