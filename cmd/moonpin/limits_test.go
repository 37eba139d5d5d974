package main

import (
	"os/exec"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/moonpin/moonpin/internal/bintest"
)

// TestCtrlCStopsBacktrackingPattern: Ctrl-C gets back to the prompt from a
// pattern that backtracks for ever inside string.find.
func TestCtrlCStopsBacktrackingPattern(t *testing.T) {
	b := startBoard(t, nil)
	tm := b.open()
	tm.sync()
	line := `string.find(string.rep("a",40), string.rep("a?",40)..string.rep("a",40))`
	tm.Send(line + "\r")
	tm.Expect(line + "\r\n")
	start := time.Now()
	tm.Send("\x03")
	got := tm.Expect("\r\n> ")
	if !strings.Contains(got, "interrupted") {
		t.Fatalf("Ctrl-C transcript %q", got)
	}
	latency := time.Since(start)
	t.Logf("Ctrl-C to prompt: %v", latency)
	if latency > time.Second {
		t.Fatalf("Ctrl-C took %v to reach the prompt", latency)
	}
	tm.sync()
}

// TestMemoryLimitPeakRSS runs the memory hogs under --mem-limit 64
// and checks that each fails with the memory error while the process's
// peak RSS stays near the limit.
func TestMemoryLimitPeakRSS(t *testing.T) {
	if bintest.Race {
		t.Skip("the race detector's shadow memory makes RSS meaningless")
	}
	const maxPeakMB = 160 // the limit, the Go runtime's slack and the binary
	// Allocations the memory guard's 5 ms samples let past the limit twice
	// over (132 to 195 MB) unless the allocation asks first: held closer.
	const maxSampledPeakMB = 110
	for _, c := range []struct {
		name, code string
		maxMB      int64
	}{
		{"string.rep 2^30", `s = string.rep("x", 2^30)`, maxPeakMB},
		{"eight string.rep 2^27", `t = {} for i = 1, 8 do t[i] = string.rep(tostring(i), 2^27) end`, maxPeakMB},
		{"gsub growth", `s = string.rep("ab", 2^24):gsub("a", "aaaa")`, maxPeakMB},
		{"deep parse", `local f, err = loadstring("return " .. ("("):rep(1e6)) assert(not f) error(err)`, maxPeakMB},
		{"string.byte into a constructor", `local s = string.rep("a", 2e6) t = {s:byte(1, -1)}`, maxSampledPeakMB},
		{"vararg constructors", `local function g(...) local a, b, c, d = {...}, {...}, {...}, {...} end local t = {} for i = 1, 1e6 do t[i] = i end g(unpack(t))`, maxSampledPeakMB},
		// Its array part grew by doubling, one large allocation each
		// time (111 MB); it now grows a 32 KB chunk at a time.
		{"list grown an element at a time", `t = {} for i = 1, 1e7 do t[i] = i end`, maxSampledPeakMB},
		{"concatenations under a megabyte", `local s, t = string.rep("a", 1e6), {} for i = 1, 200 do t[i] = s .. i end`, maxSampledPeakMB},
		{"json escaping", `s = json.encode(string.rep("\1", 3e7))`, maxPeakMB},
		{"struct.pack shared string", `local s, t = string.rep("x", 1e7), {} for i = 1, 40 do t[i] = s end s = struct.pack(("z"):rep(40), unpack(t))`, maxPeakMB},
		{"json shared string", `local s = string.rep("\1", 1e7) s = json.encode({s, s, s, s, s, s, s, s})`, maxPeakMB},
		// Each client is goroutines whose stacks the heap's figures left
		// out: 222 to 265 MB before the guard counted them.
		{"mqtt clients left open", `t = {} for i = 1, 1e5 do t[i] = mqtt.connect{url = "tcp://127.0.0.1:1"} end`, maxPeakMB},
	} {
		t.Run(c.name, func(t *testing.T) {
			cmd := exec.Command(moonpinBin, "--mem-limit", "64", "-e", c.code)
			out, err := cmd.CombinedOutput()
			if err == nil {
				t.Fatalf("succeeded under --mem-limit 64: %s", out)
			}
			want := "memory limit exceeded (64 MB)"
			if c.name == "deep parse" {
				want = "chunk has too many syntax levels"
			}
			if !strings.Contains(string(out), want) {
				t.Fatalf("output %q does not say %q", out, want)
			}
			peakMB := cmd.ProcessState.SysUsage().(*syscall.Rusage).Maxrss >> 10
			t.Logf("peak RSS %d MB", peakMB)
			if peakMB > c.maxMB {
				t.Fatalf("peak RSS %d MB under --mem-limit 64, want <= %d", peakMB, c.maxMB)
			}
		})
	}
}

// TestOfflineMQTTQueueWithinLimit: a thousand publishes of one 1 MB payload
// while the broker is away queue the payload, not a thousand copies of it
// (it reached 116 MB RSS and the memory limit under --mem-limit 64).
func TestOfflineMQTTQueueWithinLimit(t *testing.T) {
	if bintest.Race {
		t.Skip("the race detector's shadow memory makes RSS meaningless")
	}
	code := `local c = mqtt.connect{url = "tcp://127.0.0.1:1"}
		local s = string.rep("x", 2^20 - 8)
		for i = 1, 1000 do c:publish("t/x", s) end
		c:close()`
	cmd := exec.Command(moonpinBin, "--mem-limit", "64", "-e", code)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("failed under --mem-limit 64: %v: %s", err, out)
	}
	peakMB := cmd.ProcessState.SysUsage().(*syscall.Rusage).Maxrss >> 10
	t.Logf("peak RSS %d MB", peakMB)
	if peakMB > 64 {
		t.Fatalf("peak RSS %d MB for 1000 queued references to one 1 MB payload, want <= 64", peakMB)
	}
}
