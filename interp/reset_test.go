package interp_test

import (
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"strings"
	"testing"

	"github.com/moonpin/moonpin/interp"
	"github.com/moonpin/moonpin/interp/interptest"
	lua "github.com/yuin/gopher-lua"
)

const resetScript = `
big = {} for i = 1, 2000 do big[i] = ("x"):rep(10) .. i end
tick = timer.every(1, function() ticks = (ticks or 0) + 1 end)
co = coroutine.wrap(function() coroutine.yield(1) end) co()
assert(fs.exists("state.txt") == false)`

func TestSoftResetReleasesTheOldState(t *testing.T) {
	rt, out := interptest.New(t, nil)
	if err := rt.Exec("setup", resetScript+`
	timer.after(20, function() print("old timer fired") end)`); err != nil {
		t.Fatal(err)
	}
	if err := rt.Reset(); err != nil {
		t.Fatal(err)
	}
	err := rt.Exec("after", `assert(big == nil and tick == nil, "globals survived the reset") time.sleep_ms(40)`)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(out.String(), "old timer fired") {
		t.Fatal("a timer of the old state fired after the reset")
	}
	rt.Do(func(*lua.LState) error {
		if n := rt.Loop().Tracked(); n != 0 {
			t.Errorf("%d resources still tracked after reset", n)
		}
		return nil
	})
}

func TestThousandSoftResetsDoNotLeak(t *testing.T) {
	if testing.Short() || raceEnabled {
		t.Skip("slow, and the race detector's memory makes the numbers meaningless")
	}
	// The memory profiler's buckets (one per new allocation stack, runtime
	// memory outside the heap) grew by 1–2 MB over the first thousand
	// resets under load, once, and made this fail in CI: off while measuring.
	defer func(rate int) { runtime.MemProfileRate = rate }(runtime.MemProfileRate)
	runtime.MemProfileRate = 0
	rt, _ := interptest.New(t, nil)
	cycle := func(n int) {
		for range n {
			if err := rt.Exec("main.lua", resetScript); err != nil {
				t.Fatal(err)
			}
			if err := rt.Reset(); err != nil {
				t.Fatal(err)
			}
		}
	}
	cycle(100) // warm up: pools, code caches, heap size
	// Two windows of 1000 resets each: a leak grows both; a one-off (the
	// runtime's own memory under load, threads it starts, pages it keeps)
	// at most one. Each window alone was measured before, and under a
	// loaded CI run one grew 2120 KB with the live heap +4 KB. The bound is
	// on the smaller window, so it is the same 2 KB a reset as before.
	heap0, rss0 := settle()
	cycle(1000)
	heap1, rss1 := settle()
	cycle(1000)
	heap2, rss2 := settle()
	t.Logf("1000 resets, twice: heap %+d KB, %+d KB; RSS %+d KB, %+d KB",
		(heap1-heap0)>>10, (heap2-heap1)>>10, (rss1-rss0)>>10, (rss2-rss1)>>10)
	if grew := min(heap1-heap0, heap2-heap1); grew > 1<<20 {
		t.Errorf("live heap grew by %d KB in each of two runs of 1000 soft resets", grew>>10)
	}
	if grew := min(rss1-rss0, rss2-rss1); rss0 > 0 && grew > 2<<20 {
		t.Errorf("RSS grew by %d KB in each of two runs of 1000 soft resets, want < 2048 KB", grew>>10)
	}
}

// settle collects garbage and returns the live heap and the process's
// anonymous RSS (residentBytes) less the heap pages the Go runtime keeps idle
// for reuse after FreeOSMemory, which it does not always give back: under
// load up to 1.8 MB of them stayed, with the live heap +0 KB, and failed the
// soak test. What is left is memory something holds.
func settle() (heap, rss int64) {
	runtime.GC()
	debug.FreeOSMemory()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return int64(ms.HeapAlloc), residentBytes() - int64(ms.HeapIdle-ms.HeapReleased)
}

func TestSoftResetClosesPinsBusesAndWatches(t *testing.T) {
	rt, out := interptest.New(t, nil)
	err := rt.Exec("hw", `
	led = gpio.pin("GPIO17", gpio.OUT) led:on()
	button = gpio.pin("GPIO27", gpio.IN, gpio.PULL_UP)
	button:watch(gpio.BOTH, function() print("old watch fired") end)
	bus = i2c.open("I2C1") adc = spi.open("SPI0.0")`)
	if err != nil {
		t.Fatal(err)
	}
	if err := rt.Reset(); err != nil {
		t.Fatal(err)
	}
	err = rt.Exec("after", `
	assert(led == nil)
	local b = gpio.pin("GPIO27", gpio.IN, gpio.PULL_UP)
	b:watch(gpio.FALLING, function() print("new watch fired") end)
	sim.set("GPIO27", 0)
	time.sleep_ms(20)
	i2c.open("I2C1"):scan()`)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(out.String(), "old watch fired") {
		t.Error("a watch of the old state fired after the reset")
	}
	if !strings.Contains(out.String(), "new watch fired") {
		t.Error("the new state's watch did not fire")
	}
}

// Values every state reached were the process's: require's mark for a
// module being loaded kept the metatable a script gave it, and with it the
// old state's functions and data (a module that did so with 100 MB of
// tables kept them after Ctrl-D); math.random's generator went on with the
// old state's sequence, and math.randomseed did nothing.
func TestSoftResetSharesNoLuaValue(t *testing.T) {
	rt, _ := interptest.New(t, nil)
	module := `
	local mark = package.loaded.m
	assert(type(mark) == "userdata")
	assert(tostring(mark) ~= "the old state's", "require's loading mark kept the old state's metatable")
	debug.setmetatable(mark, {__tostring = function() return "the old state's" end})`
	if err := os.WriteFile(filepath.Join(rt.Root(), "m.lua"), []byte(module), 0o644); err != nil {
		t.Fatal(err)
	}
	seeded := `
	require "m"
	math.randomseed(42)
	local first = {}
	for i = 1, 5 do first[i] = math.random(1000000) end
	math.randomseed(42)
	for i = 1, 5 do assert(math.random(1000000) == first[i], "math.randomseed(42) twice gave two sequences") end
	seq = table.concat(first, " ")`
	var seqs [2]string
	for i := range seqs {
		err := rt.Do(func(L *lua.LState) error {
			if err := interp.LoadAndRun(L, interp.Load, "probe", seeded); err != nil {
				return err
			}
			seqs[i] = L.GetGlobal("seq").String()
			return nil
		})
		if err != nil {
			t.Fatalf("state %d: %v", i, err)
		}
		if err := rt.Reset(); err != nil {
			t.Fatal(err)
		}
	}
	if seqs[0] != seqs[1] {
		t.Errorf("math.randomseed(42) gave %q, and after a soft reset %q", seqs[0], seqs[1])
	}
}

func TestBoardResetUnwindsAndAsksForAReset(t *testing.T) {
	rt, out := interptest.New(t, nil)
	err := rt.Exec("r", `pcall(board.reset) print("after reset")`)
	if k := kindOf(t, err); k != interp.KindReset {
		t.Fatalf("kind %v: %v", k, err)
	}
	if strings.Contains(out.String(), "after reset") {
		t.Fatal("code after board.reset() ran")
	}
}
