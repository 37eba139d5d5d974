package main

import (
	"fmt"
	"strconv"
	"strings"
	"testing"
	"time"
)

// BenchmarkMountRequire times `require` of a 10 KB module over moonctl
// mount (the board asks moonctl for the file over the pty: a stat and a
// read) against the same module in the board's own root, in the same run;
// and, to show what the mount itself costs, require of a one-line module
// and fs.read of the 10 KB file, which leave out the compiling that
// dominates a 10 KB require. The board times mountRuns of each in Lua
// (package.loaded cleared before each require), so neither moonctl's start
// nor the raw REPL is counted.
func BenchmarkMountRequire(b *testing.B) {
	const mountRuns = 200
	module := tenKBModule()
	files := map[string]string{"m10k.lua": module, "tiny.lua": "return 1\n"}
	bd := startBoard(b, files)
	bd.hold()
	dir := b.TempDir()
	writeTree(b, dir, files)
	code := fmt.Sprintf(`local n = %d
local t0 = time.ticks_us()
for i = 1, n do package.loaded.m10k = nil assert(require("m10k").n == 500) end
local t1 = time.ticks_us()
for i = 1, n do package.loaded.tiny = nil assert(require("tiny") == 1) end
local t2 = time.ticks_us()
for i = 1, n do assert(#fs.read("m10k.lua") == %d) end
print(time.ticks_diff(t1, t0), time.ticks_diff(t2, t1), time.ticks_diff(time.ticks_us(), t2))`, mountRuns, len(module))
	// each returns the time of one require of m10k, of tiny and of one read.
	each := func(args ...string) [3]time.Duration {
		out := bd.ok(append(args, "exec", code)...)
		var got [3]time.Duration
		f := strings.Fields(out)
		if len(f) != len(got) {
			b.Fatalf("printed %q", out)
		}
		for i := range got {
			us, err := strconv.Atoi(f[i])
			if err != nil {
				b.Fatalf("printed %q", out)
			}
			got[i] = time.Duration(us) * time.Microsecond / mountRuns
		}
		return got
	}
	var root, mounted [3][]time.Duration
	b.ResetTimer()
	for range b.N {
		r, m := each(), each("mount", dir, "+")
		for i := range r {
			root[i], mounted[i] = append(root[i], r[i]), append(mounted[i], m[i])
		}
	}
	b.StopTimer()
	us := func(d []time.Duration) float64 { return float64(median(d).Nanoseconds()) / 1e3 }
	for i, what := range []string{"require10k", "require-tiny", "read10k"} {
		b.ReportMetric(us(root[i]), "root-"+what+"-us")
		b.ReportMetric(us(mounted[i]), "mount-"+what+"-us")
		b.ReportMetric(us(mounted[i])/us(root[i]), "mount/root-"+what)
	}
}

// tenKBModule is a Lua module of about 10 KB: a table of 500 entries.
func tenKBModule() string {
	var s strings.Builder
	s.WriteString("local t = {n = 500}\n")
	for i := range 500 {
		fmt.Fprintf(&s, "t[%d] = %q\n", i, strings.Repeat("v", 8))
	}
	s.WriteString("return t\n")
	return s.String()
}
