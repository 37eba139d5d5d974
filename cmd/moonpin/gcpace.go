package main

import (
	"os"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"sync"
)

// A Lua script that computes allocates a box for most numbers it makes
// (gopher-lua keeps values in interfaces), so even a loop that keeps nothing
// allocates some 160 MB per 10M iterations. With Go's pacing (GOGC=100, a
// 4 MB heap at least) and a live heap of a few MB that is a collection every
// few milliseconds: half the time of a numeric for loop, a third of a method
// call's, most of it write barriers while marking runs.
//
// gcPacer gives a small heap more room: after each collection it sets GOGC
// so that the next one comes at a sixteenth of the memory limit (16 MB for
// the default 256) rather than at twice the live heap. A heap that grows (a
// script building a big table) gets GOGC 200 while that keeps the next
// collection under half of the limit: each collection marks everything
// built so far, so fewer of them on the way up is most of what building
// costs (a table of 1M small tables: 3 collections rather than 5, 0.37 s of
// CPU to 0.26, the same peak). A collection that found almost nothing to
// free (nine tenths of what it looked at still live) says the heap is
// being built, not churned: the next one then comes at three quarters of
// the limit rather than half, as another collection on the way would only
// mark it all again (1M small tables: 1 collection rather than 3, 232 ms
// of CPU to 182, peak RSS 155 to 165 MB). This is how MicroPython runs: it
// collects when the heap it was given is full. A script that builds a few
// megabytes and then makes garbage holds up to three quarters of the limit
// for one cycle; its next collection frees most, and pacing is as before. Past
// that GOGC is 100, and so the peak a script reaches near its limit paces
// as before; the memory limit (debug.SetMemoryLimit) still makes the
// collector work harder near it whatever GOGC says.
type gcPacer struct {
	limit uint64
	// read returns the live heap of the last collection, the roots
	// (stacks and globals) the runtime scans and the bytes allocated
	// since the process began; set sets GOGC.
	read func() heapState
	set  func(percent int)

	mu      sync.Mutex
	percent int
	stopped bool
	last    heapState // at the collection before
}

// heapState is what the pacer reads of the heap after a collection.
type heapState struct{ live, roots, allocs uint64 }

// growing reports whether the collection that left now found nine tenths
// of what it looked at (what was live at the one before, and all allocated
// since) still live.
func (now heapState) growing(before heapState) bool {
	looked := before.live + (now.allocs - before.allocs)
	return looked > 0 && now.live >= looked/10*9
}

var paceOnce sync.Once

// paceGC starts pacing for a memory limit of limit bytes, once per process.
// A GOGC set in the environment is the user's and is left alone.
func paceGC(limit int64) {
	if limit <= 0 || os.Getenv("GOGC") != "" {
		return
	}
	paceOnce.Do(func() { startGCPacer(uint64(limit), readHeap, setGCPercent) })
}

func readHeap() heapState {
	s := []metrics.Sample{{Name: "/gc/heap/live:bytes"}, {Name: "/gc/scan/stack:bytes"}, {Name: "/gc/scan/globals:bytes"}, {Name: "/gc/heap/allocs:bytes"}}
	metrics.Read(s)
	return heapState{live: s[0].Value.Uint64(), roots: s[1].Value.Uint64() + s[2].Value.Uint64(), allocs: s[3].Value.Uint64()}
}

func setGCPercent(percent int) { debug.SetGCPercent(percent) }

// gcPercentFor is the GOGC for a live heap of live bytes under a memory
// limit of limit bytes, at least 100:
//   - a small heap's next collection comes at a sixteenth of the limit
//     (16 MB for the default 256 MB), not at twice the live heap: this is
//     what a script that computes and keeps little wants (see gcPacer);
//   - a bigger heap gets GOGC 200 (the next collection at three times the
//     live heap) while that stays under half of the limit, and the GOGC that
//     puts it at half of the limit after: a script that builds a big table
//     is collected two or three times on its way rather than five or six,
//     each collection marking all it has built so far. Past half of the
//     limit Go's own pacing (100) keeps the peak at twice the live heap;
//   - a heap being built (growing: the last collection freed almost
//     nothing) of a thirty-second of the limit or more (8 MB of 256) has
//     its next collection at three quarters of the limit; a smaller one,
//     such as the REPL's own at start, is paced as above.
//
// The runtime's goal is live + (live + roots) × GOGC/100, roots being the
// goroutine stacks and the globals it scans, and at least 4 MB × GOGC/100
// (its heap minimum), which caps the GOGC for a goal of g at g / 4 MB × 100.
func gcPercentFor(live, roots, limit uint64, growing bool) int {
	small := percentForGoal(live, roots, limit/16)
	if growing && live >= limit/32 {
		return max(small, percentForGoal(live, roots, limit/4*3))
	}
	return max(small, min(200, percentForGoal(live, roots, limit/2)))
}

// percentForGoal is the GOGC that puts the next collection at about goal
// bytes of heap, at least 100.
func percentForGoal(live, roots, goal uint64) int {
	most := goal * 100 / heapMinimum
	if live >= goal || most <= 100 {
		return 100
	}
	return int(max(100, min((goal-live)*100/max(live+roots, 1), most)))
}

// heapMinimum is the Go runtime's heap goal at GOGC=100 for a heap that
// small that the goal would be less (runtime.defaultHeapMinimum).
const heapMinimum = 4 << 20

func startGCPacer(limit uint64, read func() heapState, set func(percent int)) *gcPacer {
	p := &gcPacer{limit: limit, read: read, set: set, percent: 100}
	p.adjust()
	p.arm()
	return p
}

// gcCycle is an object whose only use is its finalizer, which the runtime
// runs after the collection that finds it unreachable: one per cycle.
type gcCycle struct{ p *gcPacer }

func (p *gcPacer) arm() {
	runtime.SetFinalizer(&gcCycle{p}, func(c *gcCycle) {
		if c.p.adjust() {
			c.p.arm()
		}
	})
}

// adjust sets GOGC for the live heap of the last collection; it reports
// false once the pacer is stopped.
func (p *gcPacer) adjust() bool {
	now := p.read()
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.stopped {
		return false
	}
	percent := gcPercentFor(now.live, now.roots, p.limit, now.growing(p.last))
	p.last = now
	if percent != p.percent {
		p.set(percent)
		p.percent = percent
	}
	return true
}

// stop ends the pacing and puts GOGC back to 100.
func (p *gcPacer) stop() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.stopped = true
	p.set(100)
	p.percent = 100
}
