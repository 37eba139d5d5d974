package main

import (
	"runtime"
	"sync/atomic"
	"testing"
	"time"
)

func TestGCPercentFor(t *testing.T) {
	const mb = 1 << 20
	for _, c := range []struct {
		live, roots, minGoal uint64
		want                 int
	}{
		{0, 0, 16 * mb, 400},           // before the first collection: the heap minimum's cap
		{mb / 2, mb / 2, 16 * mb, 400}, // a tiny heap: capped, 16 MB by the heap minimum
		{3 * mb, mb, 16 * mb, 325},     // 3 + 4 × 3.25 = 16 MB
		{6 * mb, 0, 16 * mb, 166},      // 6 + 6 × 1.66 ≈ 16 MB
		{7 * mb, 2 * mb, 16 * mb, 100},
		{8 * mb, 0, 16 * mb, 100}, // half of minGoal: pacing as Go's default
		{200 * mb, 0, 16 * mb, 100},
		{mb, 0, 4 * mb, 100}, // a 64 MB limit: Go's own minimum already
	} {
		if got := gcPercentFor(c.live, c.roots, c.minGoal); got != c.want {
			t.Errorf("gcPercentFor(%d, %d, %d) = %d, want %d", c.live, c.roots, c.minGoal, got, c.want)
		}
	}
}

// TestGCPacerFollowsCollections checks that the pacer sets GOGC from the
// heap of each collection and that stop puts it back (on a fake heap and a
// fake GOGC: other tests of the package run the process's pacer).
func TestGCPacerFollowsCollections(t *testing.T) {
	const mb = 1 << 20
	var live atomic.Uint64
	live.Store(mb)
	set := make(chan int, 16)
	p := startGCPacer(64*mb, func() (uint64, uint64) { return live.Load(), 0 }, func(percent int) { set <- percent })
	if got := <-set; got != 1600 {
		t.Fatalf("GOGC at start = %d, want 1600 (64 MB / 4 MB × 100)", got)
	}
	live.Store(40 * mb) // past half of 64 MB: Go's own pacing
	deadline := time.After(5 * time.Second)
	for got := 0; got != 100; {
		runtime.GC()
		select {
		case got = <-set:
			if got != 100 {
				t.Fatalf("GOGC for a 40 MB heap = %d, want 100", got)
			}
		case <-deadline:
			t.Fatal("no adjustment after collections for 5 s")
		default:
		}
	}
	live.Store(8 * mb)
	p.stop()
	if got := <-set; got != 100 {
		t.Fatalf("GOGC at stop = %d, want 100", got)
	}
	runtime.GC()
	runtime.GC()
	select {
	case got := <-set:
		t.Fatalf("GOGC set to %d after stop", got)
	default:
	}
}
