package repl_test

import (
	"strings"
	"testing"
	"time"
)

// maxInterruptLatency is the runtime's promise for Ctrl-C; the race
// detector and -short (CI's slow runners) are not held to it.
const maxInterruptLatency = 100 * time.Millisecond

func latencyChecked() bool { return !raceEnabled && !testing.Short() }

// TestCtrlCStopsWorkOnBigTables: showing an expression's value and
// completing a field name scan the table on the Go side; Ctrl-C stops both
// as it stops Lua code (they ran to the end, seconds for millions of keys).
func TestCtrlCStopsWorkOnBigTables(t *testing.T) {
	if raceEnabled {
		t.Skip("building tables of millions of keys takes too long under the race detector")
	}
	d := startDevice(t, nil, quickOpts())
	d.Expect("> ")
	d.Send(`h = {} for i = 1, 1e6 do h["k" .. i] = i end` + "\r")
	// Building h under qemu, with CI's other packages testing alongside,
	// took over the default 10 s.
	d.Timeout = 3 * time.Minute
	d.Expect("> ")
	d.Timeout = 10 * time.Second
	// Showing h sorts its million keys (0.24 s on a quiet x86-64); a
	// sparse array shows its first 50 entries and counts the rest in
	// tens of milliseconds, which a Ctrl-C sent after the echo could miss.
	d.Send("h\r")
	d.Expect("h\r\n")
	start := time.Now()
	d.Send("\x03")
	got := d.Expect("> ")
	latency := time.Since(start)
	t.Logf("showing h: prompt %v after Ctrl-C", latency)
	if !strings.Contains(got, "interrupted") {
		t.Fatalf("Ctrl-C while showing h: %q lacks interrupted", got)
	}
	if latency > maxInterruptLatency && latencyChecked() {
		t.Fatalf("showing h: prompt %v after Ctrl-C, want < %v", latency, maxInterruptLatency)
	}
	// Ctrl-C stops the completion and leaves the line as it was.
	d.Send("h.\t")
	d.Expect("h.")
	start = time.Now()
	d.Send("\x03\x7f\x7fx = 1\r")
	d.Expect("x = 1\r\n> ")
	latency = time.Since(start)
	t.Logf("completing h.: next line done %v after Ctrl-C", latency)
	if latency > maxInterruptLatency && latencyChecked() {
		t.Fatalf("completing h.: next line done %v after Ctrl-C, want < %v", latency, maxInterruptLatency)
	}
}
