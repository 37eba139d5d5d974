package lua

import (
	"context"
	"errors"
	"runtime"
	"runtime/metrics"
	"strings"
	"testing"
	"time"
)

// Results and constructors of many values ask the memory limit before the
// stack or the table's array grows, for the size they will have; before,
// only unpack and string.byte asked, for the values alone, and a
// concatenation only from a megabyte.
func TestMoonpinManyValuesAskTheMemoryLimit(t *testing.T) {
	for _, c := range []struct {
		name, code string
		min, asks  int // asks of at least min bytes
	}{
		// unpack, the vararg's stack, the constructor's array.
		{"vararg constructor", `local t = {} for i = 1, 1e5 do t[i] = i end
			local function f(...) return {...} end
			f(unpack(t))`, 1e5 * 16, 3},
		// string.byte's values, its stack, the constructor's array.
		{"string.byte", `local t = {("x"):rep(2e5):byte(1, -1)}`, 2e5 * 16, 3},
		{"concatenation under a megabyte", `local s = ("x"):rep(2e5) local r = s .. s`, 4e5, 1},
	} {
		t.Run(c.name, func(t *testing.T) {
			L := NewState(Options{RegistryMaxSize: 1 << 20})
			defer L.Close()
			var asked []int
			L.G.MemCheck = func(L *LState, n int) error {
				asked = append(asked, n)
				return nil
			}
			errorIfScriptFail(t, L, c.code)
			big := 0
			for _, n := range asked {
				if n >= c.min {
					big++
				}
			}
			if big < c.asks {
				t.Fatalf("asked the limit for %v bytes: want %d asks of %d or more", asked, c.asks, c.min)
			}
		})
	}
	L := NewState(Options{RegistryMaxSize: 1 << 20})
	defer L.Close()
	L.G.MemCheck = func(L *LState, n int) error {
		if n >= 1<<20 {
			return errors.New("memory limit exceeded")
		}
		return nil
	}
	if err := L.DoString(`local t = {("x"):rep(1e5):byte(1, -1)}`); err == nil || !strings.Contains(err.Error(), "memory limit exceeded") {
		t.Fatalf("error %v, want the memory limit's", err)
	}
}

// compareStrings orders as Lua 5.1 in the C locale: bytes unsigned, a
// prefix first, zeros as any byte; long strings compare a piece at a time
// and stop at an interrupt.
func TestMoonpinStringComparison(t *testing.T) {
	L := NewState()
	defer L.Close()
	errorIfScriptFail(t, L, `
		assert("a" < "b" and "" < "a" and "ab" < "abc" and not ("abc" < "ab"))
		assert("a\0b" < "a\0c" and "a" < "a\0" and "\127" < "\128" and "\255" > "\1")
		assert("x" <= "x" and not ("x" < "x"))
		local big = ("x"):rep(3 * 2^20)
		assert(big .. "a" < big .. "b" and big < big .. "" .. "x" and big <= big .. "")
		assert(not (big .. "b" < big .. "a"))
		assert(big .. "a" == big .. "a" and big .. "a" ~= big .. "b" and big ~= big .. "a")
	`)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	L.SetContext(ctx)
	a, b := strings.Repeat("x", 1<<24), strings.Repeat("x", 1<<24)
	compare := L.NewFunction(func(L *LState) int {
		compareStrings(L, a, b)
		return 0
	})
	if err := L.CallByParam(P{Fn: compare, Protect: true}); err == nil {
		t.Fatal("comparison ran to its end after the context ended")
	}
	equal := L.NewFunction(func(L *LState) int {
		equalStrings(L, a, b)
		return 0
	})
	if err := L.CallByParam(P{Fn: equal, Protect: true}); err == nil {
		t.Fatal("equality ran to its end after the context ended")
	}
}

// A list grown one element at a time, by t[i] = v, table.insert at its
// end or at its front, never makes an allocation the memory guard's
// sampling of the heap could miss: past chunkSlots its array part grows a
// chunk (32 KB) at a time. Before the chunks, the doubling was one large
// allocation (`for i = 1, 1e7 do t[i] = i end` peaked at 111 MB of RSS
// under a 64 MB limit), and each asked the memory limit first.
// (moonpin's TestMemoryLimitPeakRSS runs that loop under the limit.)
func TestMoonpinGrowingListAllocatesNothingLarge(t *testing.T) {
	for _, c := range []struct {
		code string
		n    int
	}{
		{`for i = 1, 1e6 do t[i] = i end`, 1e6},
		{`for i = 1, 1e6 do table.insert(t, i) end`, 1e6},
		{`for i = 1, 2e4 do table.insert(t, 1, i) end`, 2e4},
	} {
		L := NewState()
		large := largeAllocs()
		if err := L.DoString("t = {} " + c.code); err != nil {
			t.Fatal(err)
		}
		if n := largeAllocs() - large; n != 0 {
			t.Errorf("%s: %d allocations of more than 64 KB", c.code, n)
		}
		tb := L.GetGlobal("t").(*LTable)
		if want := (c.n + chunkMask) >> chunkBits; !tb.chunked() || len(tb.chunks()) != want {
			t.Errorf("%s: %d slots in %d chunks, want %d chunks", c.code, tb.aCap(), len(tb.chunks()), want)
		}
		for _, i := range []int{1, chunkSlots, chunkSlots + 1, c.n} {
			want := LNumber(i)
			if strings.Contains(c.code, "insert(t, 1") {
				want = LNumber(c.n + 1 - i)
			}
			if got := tb.RawGetInt(i); got != want {
				t.Errorf("%s: t[%d] = %v, want %v", c.code, i, got, want)
			}
		}
		L.Close()
	}
}

// largeAllocs is how many objects of more than 64 KB the process has
// allocated.
func largeAllocs() (n uint64) {
	s := []metrics.Sample{{Name: "/gc/heap/allocs-by-size:bytes"}}
	metrics.Read(s)
	h := s[0].Value.Float64Histogram()
	for i, c := range h.Counts {
		if h.Buckets[i] > 64<<10 {
			n += c
		}
	}
	return n
}

// Returning millions of values from a Go function, and dropping them, is
// work in pieces with a look at the interrupt between: the VM moved the
// results into place and set every slot above the new top to nil in one go
// each (64 MB of pointers for 4M results, with the collector's write
// barrier on each while it marks), and growing the stack for them made
// and zeroed the whole new stack; an interrupt waited for all of it:
// 105-140 ms for `select("#", s:byte(1, -1))` on 2M bytes on a loaded
// machine, past the 100 ms moonpin holds Ctrl-C to.
func TestMoonpinManyResultsStopAtTheInterrupt(t *testing.T) {
	const n = 4 << 20
	for _, c := range []struct{ name, code string }{
		// The interrupt comes as the results are moved into place.
		{"results moved", `local n = select("#", many())`},
		// The results are dropped: select's 4M arguments, and the stack
		// above the protected call when its error is caught.
		{"results dropped", `many() while true do end`},
		{"results in a table", `pcall(function() local t = {many()} end) while true do end`},
		// The stack grows to 4M slots for string.byte's results, 64 MB
		// made and zeroed.
		{"stack grown", `local s = ("x"):rep(n) interrupt() local n = select("#", s:byte(1, -1))`},
	} {
		t.Run(c.name, func(t *testing.T) {
			L := NewState(Options{RegistrySize: 16 << 10, RegistryGrowStep: 64 << 10, RegistryMaxSize: n + 1<<20})
			defer L.Close()
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			L.SetContext(ctx)
			var stopped time.Time
			interrupt := func() {
				// Garbage the collector marks meanwhile: its write
				// barrier is on.
				go runtime.GC()
				stopped = time.Now()
				cancel()
			}
			L.SetGlobal("n", LNumber(n))
			L.SetGlobal("interrupt", L.NewFunction(func(L *LState) int { interrupt(); return 0 }))
			L.SetGlobal("many", L.NewFunction(func(L *LState) int {
				for i := 0; i < n; i++ {
					L.Push(LNumber(i))
				}
				interrupt()
				return n
			}))
			err := L.DoString(c.code)
			latency := time.Since(stopped)
			if err == nil || !strings.Contains(err.Error(), context.Canceled.Error()) {
				t.Fatalf("error %v, want %q", err, context.Canceled)
			}
			t.Logf("stopped %v after the interrupt", latency)
			if latency > 10*time.Millisecond && !raceEnabled {
				t.Errorf("stopped %v after the interrupt, want within 10 ms", latency)
			}
		})
	}
}

// A value stack that grows with millions of values on it copies them to
// the new one a piece at a time with a look at the interrupt between: one
// copy of 4M values took 35 ms and more while the collector marked (a write
// barrier on each pointer), with its goroutine not preemptible meanwhile.
// The interrupt comes once the new stack is made (afterMakeSlots), as the
// copy starts: the copy stops, and the stack stays the one it was.
func TestMoonpinStackGrowthCopyStopsAtTheInterrupt(t *testing.T) {
	const n = 4 << 20
	L := NewState(Options{RegistrySize: 16 << 10, RegistryGrowStep: 64 << 10, RegistryMaxSize: 3 * n})
	defer L.Close()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	L.SetContext(ctx)
	var stopped time.Time
	var before, after int
	L.SetGlobal("n", LNumber(n))
	L.SetGlobal("grow", L.NewFunction(func(L *LState) int {
		afterMakeSlots = func() {
			afterMakeSlots = nil
			stopped = time.Now()
			cancel()
		}
		defer func() {
			afterMakeSlots = nil
			after = cap(L.reg.array)
		}()
		before = cap(L.reg.array)
		L.reg.checkSize(L.reg.Top() + n)
		return 0
	}))
	err := L.DoString(`local t = {} for i = 1, n do t[i] = i end
		local function g(...) grow() end
		g(unpack(t))`)
	latency := time.Since(stopped)
	if err == nil || !strings.Contains(err.Error(), context.Canceled.Error()) {
		t.Fatalf("error %v, want %q", err, context.Canceled)
	}
	t.Logf("stopped %v after the interrupt; the stack's capacity %d before, %d after", latency, before, after)
	if after != before {
		t.Errorf("the stack grew from %d to %d slots: the copy went on past the interrupt", before, after)
	}
	if latency > 100*time.Millisecond && !raceEnabled {
		t.Errorf("stopped %v after the interrupt, want within 100 ms", latency)
	}
}

// A panic in AwaitAlloc's allocation (a size the runtime refuses) is
// raised in Lua, as where the allocation runs in place; on the goroutine
// that made it, it ended the process (a 32-bit board's string.rep of 2 GB).
func TestMoonpinBigAllocationPanicIsAnError(t *testing.T) {
	L := NewState()
	defer L.Close()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	L.SetContext(ctx)
	L.SetGlobal("alloc", L.NewFunction(func(L *LState) int {
		AwaitAlloc(L, bigAlloc, func() []byte { panic("the allocation failed") })
		return 0
	}))
	err := L.DoString(`alloc()`)
	if err == nil || !strings.Contains(err.Error(), "the allocation failed") {
		t.Fatalf("error %v, want the allocation's panic", err)
	}
}

// Values moved between a coroutine and its resumer (a resume's arguments,
// a yield's values, a coroutine's results) look at the interrupt too: the
// interrupt comes just before the move, in a Go function that then resumes
// or yields. Pushed one by one, 4M values took 400 ms and more.
func TestMoonpinCoroutineMovesStopAtTheInterrupt(t *testing.T) {
	const n = 4 << 20
	for _, c := range []struct{ name, code string }{
		{"resume's arguments", `co = coroutine.create(function(...) return select("#", ...) end)
			print(interruptThenResume(co, unpack(t)))`},
		{"yield's values", `local co = coroutine.wrap(function() interruptThenYield(unpack(t)) end)
			print(select("#", co()))`},
		{"yield's values, resumed", `local co = coroutine.create(function() interruptThenYield(unpack(t)) end)
			print(select("#", coroutine.resume(co)))`},
	} {
		t.Run(c.name, func(t *testing.T) {
			L := NewState(Options{RegistrySize: 16 << 10, RegistryGrowStep: 64 << 10, RegistryMaxSize: n + 1<<20})
			defer L.Close()
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			L.SetContext(ctx)
			var stopped time.Time
			interrupt := func() {
				go runtime.GC()
				stopped = time.Now()
				cancel()
			}
			big := L.CreateTable(n, 0)
			for i := 1; i <= n; i++ {
				big.RawSetInt(i, LNumber(i))
			}
			L.SetGlobal("t", big)
			L.SetGlobal("interruptThenResume", L.NewFunction(func(L *LState) int { interrupt(); return coResume(L) }))
			L.SetGlobal("interruptThenYield", L.NewFunction(func(L *LState) int { interrupt(); return coYield(L) }))
			err := L.DoString(c.code)
			latency := time.Since(stopped)
			if err == nil || !strings.Contains(err.Error(), context.Canceled.Error()) {
				t.Fatalf("error %v, want %q", err, context.Canceled)
			}
			t.Logf("stopped %v after the interrupt", latency)
			if latency > 10*time.Millisecond && !raceEnabled {
				t.Errorf("stopped %v after the interrupt, want within 10 ms", latency)
			}
			// A resume the interrupt stopped left its coroutine as it
			// was: not started, nothing on its stack above its function.
			if co, ok := L.GetGlobal("co").(*LState); ok {
				if st := L.Status(co); st != "suspended" || co.isStarted() || co.reg.Top() != co.stack.Last().LocalBase {
					t.Errorf("coroutine after the interrupted resume: %s, started %v, stack top %d, its function's base %d",
						st, co.isStarted(), co.reg.Top(), co.stack.Last().LocalBase)
				}
			}
		})
	}
}

// Many values move between a coroutine and its resumer whole and in order,
// with a context and without one (moveValues copies them in pieces).
func TestMoonpinCoroutineMovesManyValues(t *testing.T) {
	const n = 100000 // over clearPiece: the copy in pieces
	code := `
local n = ...
local t = {}
for i = 1, n do t[i] = i end
local function check(what, ...)
  local m = select("#", ...)
  local a, b = ...
  local z = select(m, ...)
  assert(m == n and a == 1 and b == 2 and z == n, what .. ": " .. m .. " values, " .. tostring(a) .. " .. " .. tostring(z))
end
local co = coroutine.create(function(...)
  check("resume's arguments", ...)
  check("resume's arguments again", coroutine.yield(unpack(t)))
  return unpack(t)
end)
local function resumed(ok, ...) assert(ok, ...) return ... end
check("yield's values", resumed(coroutine.resume(co, unpack(t))))
check("results", resumed(coroutine.resume(co, unpack(t))))
assert(coroutine.status(co) == "dead")
local w = coroutine.wrap(function(...) check("wrap's arguments", ...) return coroutine.yield(...) end)
check("wrap's values", w(unpack(t)))
check("wrap's results", w(unpack(t)))
-- the stack above the resumer's top keeps nothing it moved
local before = select("#", unpack(t))
local co2 = coroutine.create(function(...) return select("#", ...) end)
assert(select(2, coroutine.resume(co2, unpack(t))) == n)
`
	for _, withContext := range []bool{false, true} {
		L := NewState(Options{RegistrySize: 1 << 10, RegistryGrowStep: 1 << 10, RegistryMaxSize: 4 << 20})
		if withContext {
			ctx, cancel := context.WithCancel(context.Background())
			L.SetContext(ctx)
			defer cancel()
		}
		fn, err := L.LoadString(code)
		if err != nil {
			t.Fatal(err)
		}
		L.Push(fn)
		L.Push(LNumber(n))
		if err := L.PCall(1, 0, nil); err != nil {
			t.Errorf("context %v: %v", withContext, err)
		}
		L.Close()
	}
}

// A big allocation waits for the interrupt too (AwaitAlloc): the runtime's
// own work for it (finding, zeroing, and the collector's assist) does not
// look at it. alloc here is an allocation that takes a second.
func TestMoonpinBigAllocationStopsAtTheInterrupt(t *testing.T) {
	L := NewState()
	defer L.Close()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	L.SetContext(ctx)
	release := make(chan struct{})
	defer close(release)
	slow := func() []byte {
		<-release
		return nil
	}
	var stopped time.Time
	L.SetGlobal("alloc", L.NewFunction(func(L *LState) int {
		time.AfterFunc(10*time.Millisecond, func() {
			stopped = time.Now()
			cancel()
		})
		AwaitAlloc(L, bigAlloc, slow)
		return 0
	}))
	err := L.DoString(`alloc()`)
	if err == nil || !strings.Contains(err.Error(), context.Canceled.Error()) {
		t.Fatalf("error %v, want %q", err, context.Canceled)
	}
	if latency := time.Since(stopped); latency > 100*time.Millisecond {
		t.Errorf("stopped %v after the interrupt, want within 100 ms", latency)
	}
	// Small allocations, and any once the context is done, are made in
	// place.
	for _, size := range []int{bigAlloc - 1, bigAlloc} {
		if got := AwaitAlloc(L, size, func() int { return size }); got != size {
			t.Errorf("AwaitAlloc(%d) = %d", size, got)
		}
	}
}
