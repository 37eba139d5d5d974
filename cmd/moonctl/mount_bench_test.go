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
// and fs.read of the same file, which leaves out the compiling that
// dominates a require. The board times mountRuns of each in Lua
// (package.loaded cleared before each require), so neither moonctl's start
// nor the raw REPL is counted.
func BenchmarkMountRequire(b *testing.B) {
	const mountRuns = 200
	module := tenKBModule()
	bd := startBoard(b, map[string]string{"m10k.lua": module})
	bd.hold()
	dir := b.TempDir()
	writeTree(b, dir, map[string]string{"m10k.lua": module})
	code := fmt.Sprintf(`local n = %d
local t0 = time.ticks_us()
for i = 1, n do package.loaded.m10k = nil assert(require("m10k").n == 500) end
local t1 = time.ticks_us()
for i = 1, n do assert(#fs.read("m10k.lua") == %d) end
print(time.ticks_diff(t1, t0), time.ticks_diff(time.ticks_us(), t1))`, mountRuns, len(module))
	each := func(args ...string) (require, read time.Duration) {
		out := bd.ok(append(args, "exec", code)...)
		f := strings.Fields(out)
		a, err1 := strconv.Atoi(f[0])
		c, err2 := strconv.Atoi(f[len(f)-1])
		if len(f) != 2 || err1 != nil || err2 != nil {
			b.Fatalf("printed %q", out)
		}
		return time.Duration(a) * time.Microsecond / mountRuns, time.Duration(c) * time.Microsecond / mountRuns
	}
	var rootReq, rootRead, mountReq, mountRead []time.Duration
	b.ResetTimer()
	for range b.N {
		req, read := each()
		rootReq, rootRead = append(rootReq, req), append(rootRead, read)
		req, read = each("mount", dir, "+")
		mountReq, mountRead = append(mountReq, req), append(mountRead, read)
	}
	b.StopTimer()
	us := func(d []time.Duration) float64 { return float64(median(d).Nanoseconds()) / 1e3 }
	b.ReportMetric(us(rootReq), "root-require-us")
	b.ReportMetric(us(mountReq), "mount-require-us")
	b.ReportMetric(us(mountReq)/us(rootReq), "mount/root-require")
	b.ReportMetric(us(rootRead), "root-read-us")
	b.ReportMetric(us(mountRead), "mount-read-us")
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
