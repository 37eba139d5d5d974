package interp_test

import (
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/moonpin/moonpin/interp"
	"github.com/moonpin/moonpin/interp/interptest"
)

// TestOneCallStaysUnderTheLimit: builtins that read a file or build a
// result of a size they can know first check it against the memory limit
// before allocating, so one call cannot take the process far past the limit
// (a hostile probe found each of these allocating hundreds of megabytes,
// or crashing the process, under a 64 MB limit). Each case is also bounded
// by what it allocated while it ran.
func TestOneCallStaysUnderTheLimit(t *testing.T) {
	const limit = 64 << 20
	root := t.TempDir()
	sparse := filepath.Join(root, "sparse.bin")
	if f, err := os.Create(sparse); err != nil {
		t.Fatal(err)
	} else {
		f.Truncate(256 << 20)
		f.Close()
	}
	if f, err := os.Create(filepath.Join(root, "forty.bin")); err != nil {
		t.Fatal(err)
	} else {
		f.Truncate(40 << 20)
		f.Close()
	}
	if err := os.WriteFile(filepath.Join(root, "gen.lua"), []byte(strings.Repeat("a=1 ", 4<<20)), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name, code string
		kind       interp.Kind // 0: no error
		maxAlloc   uint64
	}{
		{"setvbuf", `local f = io.tmpfile() assert(f:setvbuf("full", 2^40)) f:write("x") f:close()`, 0, 8 << 20},
		{"fs.read", `s = fs.read("sparse.bin")`, interp.KindMemory, 16 << 20},
		// A file under the limit was read into a buffer and then copied
		// into the string: twice its size, 80 MB here, past the limit
		// that allowed 40.
		{"fs.read under the limit", `s = fs.read("forty.bin") assert(#s == 40 * 2^20)`, 0, 44 << 20},
		// It read its files whole, unchecked, 2 GB for a sparse 1 GB one.
		{"mqtt ca_file", `mqtt.connect{url = "tls://127.0.0.1:1", ca_file = "sparse.bin"}`, interp.KindMemory, 16 << 20},
		{"loadfile", `f = loadfile("gen.lua")`, interp.KindMemory, 40 << 20},
		{"dofile", `dofile("gen.lua")`, interp.KindMemory, 40 << 20},
		{"require", `require("gen")`, interp.KindMemory, 40 << 20},
		{"string.upper", `local s = ("x"):rep(40 * 2^20) u = s:upper()`, interp.KindMemory, 60 << 20},
		{"string.lower", `local s = ("X"):rep(40 * 2^20) u = s:lower()`, interp.KindMemory, 60 << 20},
		{"struct.pack", `s = struct.pack("c1000000000", "x")`, interp.KindMemory, 16 << 20},
		// Its results grew the value stack by doubling, unchecked: 199 MB
		// here, then "registry overflow".
		{"struct.unpack", `local f, d = ("b"):rep(1e7), ("x"):rep(1e7) n = select("#", struct.unpack(f, d))`, interp.KindMemory, 100<<20 + raceBoxBytes},
		{"os.date", `s = os.date(("%c"):rep(5e6))`, interp.KindMemory, 40 << 20},
		// It joined its arguments into one buffer, unchecked: 160 MB here.
		{"file:write", `local s = ("x"):rep(20 * 2^20) local f = io.tmpfile() f:write(s, s, s, s, s, s, s, s) f:close()`, 0, 40 << 20},
		{"fs.write", `local s = ("x"):rep(40 * 2^20) fs.write("out.bin", s) fs.remove("out.bin")`, 0, 60 << 20},
	} {
		t.Run(c.name, func(t *testing.T) {
			rt, _ := interptest.New(t, &interp.Options{Root: root, MemLimit: limit})
			var before, after runtime.MemStats
			runtime.ReadMemStats(&before)
			err := rt.Exec("hog.lua", c.code)
			runtime.ReadMemStats(&after)
			if c.kind == 0 {
				if err != nil {
					t.Fatal(err)
				}
			} else if k := kindOf(t, err); k != c.kind {
				t.Fatalf("kind %v, want %v: %v", k, c.kind, err)
			}
			if n := after.TotalAlloc - before.TotalAlloc; n > c.maxAlloc {
				t.Errorf("allocated %d MB while it ran, want at most %d MB", n>>20, c.maxAlloc>>20)
			}
		})
	}
}

// TestTraversalOrderStaysUnderTheLimit: the first next or pairs of a table
// of many keys builds its traversal order, which is checked against the
// limit first: it was built whole, 60 MB here, and the limit's sampling
// found it after (a 208 MB table's reached 360 MB under 256).
func TestTraversalOrderStaysUnderTheLimit(t *testing.T) {
	rt, _ := interptest.New(t, &interp.Options{MemLimit: 64 << 20})
	if err := rt.Exec("build.lua", `t = {} for i = 1, 6e5 do t[-i] = i end`); err != nil {
		t.Fatal(err)
	}
	for _, code := range []string{`for k in pairs(t) do break end`, `next(t)`, `table.maxn(t)`} {
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		err := rt.Exec("walk.lua", code)
		runtime.ReadMemStats(&after)
		if k := kindOf(t, err); k != interp.KindMemory {
			t.Fatalf("%s: kind %v, want the memory error: %v", code, k, err)
		}
		if n := after.TotalAlloc - before.TotalAlloc; n > 8<<20 {
			t.Errorf("%s: allocated %d MB while it ran, want at most 8 MB", code, n>>20)
		}
	}
	if err := rt.Exec("small.lua", `t = nil collectgarbage() local u = {} for i = 1, 1000 do u[-i] = i end
		local n = 0 for k in pairs(u) do n = n + 1 end assert(n == 1000)`); err != nil {
		t.Fatalf("runtime unusable after: %v", err)
	}
}

// TestBigChunksStayUnderTheLimit: a chunk's parse is checked against the
// limit however it comes: typed or sent to the raw REPL (Exec), or a file
// the runtime runs (ExecFile: a script, boot.lua, main.lua). A 16 MB chunk
// peaked at 851 MB under a 64 MB limit; main.lua read whole first.
func TestBigChunksStayUnderTheLimit(t *testing.T) {
	const limit = 64 << 20
	root := t.TempDir()
	code := strings.Repeat("a=1 ", 4<<20)
	if err := os.WriteFile(filepath.Join(root, "main.lua"), []byte(code), 0o644); err != nil {
		t.Fatal(err)
	}
	sparse := filepath.Join(root, "sparse.lua")
	if f, err := os.Create(sparse); err != nil {
		t.Fatal(err)
	} else {
		f.Truncate(256 << 20)
		f.Close()
	}
	for _, c := range []struct {
		name string
		run  func(rt *interp.Runtime) error
	}{
		{"Exec", func(rt *interp.Runtime) error { return rt.Exec("big", code) }},
		{"ExecScript", func(rt *interp.Runtime) error { return rt.ExecScript("big", code) }},
		{"ExecFile", func(rt *interp.Runtime) error { return rt.ExecFile("main.lua") }},
		{"ExecFile sparse", func(rt *interp.Runtime) error { return rt.ExecFile("sparse.lua") }},
		{"Boot", func(rt *interp.Runtime) error { return rt.Boot(false) }},
	} {
		t.Run(c.name, func(t *testing.T) {
			rt, _ := interptest.New(t, &interp.Options{Root: root, MemLimit: limit})
			var before, after runtime.MemStats
			runtime.ReadMemStats(&before)
			err := c.run(rt)
			runtime.ReadMemStats(&after)
			if k := kindOf(t, err); k != interp.KindMemory {
				t.Fatalf("kind %v, want the memory error: %v", k, err)
			}
			if n := after.TotalAlloc - before.TotalAlloc; n > 40<<20 {
				t.Errorf("allocated %d MB while it ran, want at most 40 MB", n>>20)
			}
			if err := rt.Exec("after.lua", `x = 1`); err != nil {
				t.Fatalf("runtime unusable after: %v", err)
			}
		})
	}
}

// TestManyCoroutinesFit: a coroutine starts with small stacks that grow,
// so thousands fit under a 64 MB limit (each took the main state's 16K-slot
// value stack and 1024-frame call stack, about 280 KB: 240 of them hit the
// limit). A coroutine that recurses deeply still can.
func TestManyCoroutinesFit(t *testing.T) {
	rt, _ := interptest.New(t, &interp.Options{MemLimit: 64 << 20})
	err := rt.Exec("co.lua", `
		local t = {}
		for i = 1, 2000 do
			t[i] = coroutine.create(function(x) coroutine.yield(x + 1) return x end)
			assert(select(2, coroutine.resume(t[i], i)) == i + 1)
		end
		local function depth(n) if n == 0 then return 0 end return 1 + depth(n - 1) end
		local co = coroutine.create(function() return depth(900) end)
		local ok, d = coroutine.resume(co)
		assert(ok and d == 900, tostring(d))
		local big = coroutine.wrap(function() return select("#", unpack({}, 1, 100000)) end)
		assert(big() == 100000)`)
	if err != nil {
		t.Fatal(err)
	}
}
