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
// so that the next one comes at minGoal bytes of heap (a sixteenth of the
// memory limit, 16 MB for the default 256) rather than at twice the live
// heap, and back to 100 once the live heap is half of minGoal or more. Big
// heaps, and so the peak a script reaches near its limit, pace as before; the
// memory limit (debug.SetMemoryLimit) still makes the collector work harder
// near it whatever GOGC says.
type gcPacer struct {
	minGoal uint64
	// read returns the live heap of the last collection and the roots
	// (stacks and globals) the runtime scans; set sets GOGC.
	read func() (live, roots uint64)
	set  func(percent int)

	mu      sync.Mutex
	percent int
	stopped bool
}

var paceOnce sync.Once

// paceGC starts pacing for a memory limit of limit bytes, once per process.
// A GOGC set in the environment is the user's and is left alone.
func paceGC(limit int64) {
	if limit <= 0 || os.Getenv("GOGC") != "" {
		return
	}
	paceOnce.Do(func() { startGCPacer(uint64(limit)/16, readHeap, setGCPercent) })
}

func readHeap() (live, roots uint64) {
	s := []metrics.Sample{{Name: "/gc/heap/live:bytes"}, {Name: "/gc/scan/stack:bytes"}, {Name: "/gc/scan/globals:bytes"}}
	metrics.Read(s)
	return s[0].Value.Uint64(), s[1].Value.Uint64() + s[2].Value.Uint64()
}

func setGCPercent(percent int) { debug.SetGCPercent(percent) }

// gcPercentFor is the GOGC that puts the next collection at about minGoal
// bytes of heap for a live heap of live bytes, and at least 100. The
// runtime's goal is live + (live + roots) × GOGC/100, roots being the
// goroutine stacks and the globals it scans, and at least 4 MB × GOGC/100
// (its heap minimum), which caps GOGC at minGoal / 4 MB × 100.
func gcPercentFor(live, roots, minGoal uint64) int {
	most := minGoal * 100 / heapMinimum
	if 2*live >= minGoal || most <= 100 {
		return 100
	}
	return int(max(100, min((minGoal-live)*100/max(live+roots, 1), most)))
}

// heapMinimum is the Go runtime's heap goal at GOGC=100 for a heap that
// small that the goal would be less (runtime.defaultHeapMinimum).
const heapMinimum = 4 << 20

func startGCPacer(minGoal uint64, read func() (live, roots uint64), set func(percent int)) *gcPacer {
	p := &gcPacer{minGoal: minGoal, read: read, set: set, percent: 100}
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
	live, roots := p.read()
	percent := gcPercentFor(live, roots, p.minGoal)
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.stopped {
		return false
	}
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
