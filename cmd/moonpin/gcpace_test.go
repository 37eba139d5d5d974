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
		live, roots, limit uint64
		growing            bool
		want               int
	}{
		{0, 0, 256 * mb, false, 400},           // before the first collection: the heap minimum's cap
		{mb / 2, mb / 2, 256 * mb, false, 400}, // a tiny heap: capped, 16 MB by the heap minimum
		{3 * mb, mb, 256 * mb, false, 325},     // 3 + 4 × 3.25 = 16 MB
		{6 * mb, 0, 256 * mb, false, 200},      // 16 MB would be 166: bigger, 6 + 6 × 2
		{8 * mb, 0, 256 * mb, false, 200},
		{40 * mb, 2 * mb, 256 * mb, false, 200}, // 40 + 42 × 2 = 124 MB, under half of the limit
		{50 * mb, 0, 256 * mb, false, 156},      // 50 + 50 × 1.56 = 128 MB, half of the limit
		{64 * mb, 0, 256 * mb, false, 100},      // half of the limit needs 100 already
		{200 * mb, 0, 256 * mb, false, 100},     // past half of the limit: Go's own pacing
		{mb, 0, 64 * mb, false, 200},            // a 64 MB limit: Go's minimum is its sixteenth already
		{12 * mb, 0, 64 * mb, false, 166},
		// a heap being built: the next collection at three quarters of
		// the limit; a sixteenth still for a small one (under 8 MB of 256)
		{16 * mb, 0, 256 * mb, true, 1100}, // 16 + 16 × 11 = 192 MB
		{46 * mb, 2 * mb, 256 * mb, true, 304},
		{mb, 0, 256 * mb, true, 400},
		{7 * mb, 0, 256 * mb, true, 200},
		{8 * mb, 0, 256 * mb, true, 2300},
		{200 * mb, 0, 256 * mb, true, 100}, // past three quarters: Go's own
	} {
		if got := gcPercentFor(c.live, c.roots, c.limit, c.growing); got != c.want {
			t.Errorf("gcPercentFor(%d MB, %d MB, %d MB, %v) = %d, want %d", c.live/mb, c.roots/mb, c.limit/mb, c.growing, got, c.want)
		}
	}
}

// TestHeapGrowing: a collection that found nine tenths of what it looked at
// (the live heap before, and all allocated since) still live tells of a heap
// being built.
func TestHeapGrowing(t *testing.T) {
	const mb = 1 << 20
	for _, c := range []struct {
		before, now heapState
		want        bool
	}{
		{heapState{}, heapState{live: 16 * mb, allocs: 15 * mb}, true},                                  // the first, all kept
		{heapState{}, heapState{live: 2 * mb, allocs: 16 * mb}, false},                                  // the first, most freed
		{heapState{live: 16 * mb, allocs: 16 * mb}, heapState{live: 46 * mb, allocs: 47 * mb}, true},    // 46 of 47
		{heapState{live: 16 * mb, allocs: 16 * mb}, heapState{live: 40 * mb, allocs: 47 * mb}, false},   // 40 of 47
		{heapState{live: 50 * mb, allocs: 900 * mb}, heapState{live: 50 * mb, allocs: 950 * mb}, false}, // churning
		{heapState{live: 5 * mb, allocs: 9 * mb}, heapState{live: 5 * mb, allocs: 9 * mb}, true},        // nothing allocated, nothing freed
	} {
		if got := c.now.growing(c.before); got != c.want {
			t.Errorf("%+v after %+v: growing %v, want %v", c.now, c.before, got, c.want)
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
	p := startGCPacer(mb<<10, func() heapState { return heapState{live: live.Load()} }, func(percent int) { set <- percent })
	if got := <-set; got != 1600 {
		t.Fatalf("GOGC at start = %d, want 1600 (a sixteenth of 1 GB / 4 MB × 100)", got)
	}
	live.Store(600 * mb) // past half of 1 GB: Go's own pacing
	deadline := time.After(5 * time.Second)
	for got := 0; got != 100; {
		runtime.GC()
		select {
		case got = <-set:
			if got != 100 {
				t.Fatalf("GOGC for a 600 MB heap = %d, want 100", got)
			}
		case <-deadline:
			t.Fatal("no adjustment after collections for 5 s")
		default:
		}
	}
	live.Store(8 * mb)
	p.stop()
	// A collection's finalizer that ran between the two lines above set
	// GOGC for the 8 MB heap first (any allocation in the process may
	// start a collection); what stop sets is the last word, and nothing
	// comes after it.
	got := 0
	for len(set) > 0 {
		got = <-set
	}
	if got != 100 {
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
