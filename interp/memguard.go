package interp

import (
	"runtime/metrics"
	"sync"
	"time"

	lua "github.com/yuin/gopher-lua"
)

// memGuard watches the Go heap while Lua runs and cancels the running chunk
// with "memory limit exceeded" when a script outgrows the limit. gopher-lua's
// own limit (SetMx) calls os.Exit, which would brick the device.
//
// Sampling cannot stop one call that allocates a gigabyte at once
// (string.rep, table.concat, gsub): in 5 ms it is done. Those builtins ask
// reserve first, through the state's MemCheck hook.
//
// It samples live heap (as of the last GC) every few milliseconds while a run
// is in progress and sleeps otherwise. A run fails only if the heap grew by
// more than slack since it began: after a failure the big table is still
// referenced, and the user's next line — usually `t = nil` — must be allowed
// to run.
type memGuard struct {
	rt    *Runtime
	limit uint64

	loop heapSamples // the loop goroutine's: begin and reserve

	mu       sync.Mutex
	active   bool
	baseline uint64
	wake     chan struct{}
	quit     chan struct{}
	exited   chan struct{}
}

const (
	memSampleEvery = 5 * time.Millisecond
	liveMetric     = "/gc/heap/live:bytes"
	allocMetric    = "/memory/classes/heap/objects:bytes"
	stacksMetric   = "/memory/classes/heap/stacks:bytes"
)

func startMemGuard(rt *Runtime, limit int64) *memGuard {
	g := &memGuard{rt: rt, wake: make(chan struct{}, 1), quit: make(chan struct{}), exited: make(chan struct{})}
	if limit <= 0 {
		close(g.exited)
		return g
	}
	g.limit = uint64(limit)
	go g.watch()
	return g
}

// heapBytes returns the live heap at the last GC and the bytes in allocated
// objects now (live plus garbage not yet collected), each with the
// goroutines' stacks: what a script holds includes the goroutines its
// resources run (an MQTT client's connection, a pin's watch), and a loop
// that opens thousands of them grew past the limit by stacks alone (1e5
// mqtt.connect calls under a 64 MB limit: 245 MB of RSS before the heap
// told).
//
// It reads into samples of its caller's goroutine, so that a read allocates
// nothing: the sampler reads every 5 ms while Lua runs and reserve on every
// checked call, and a slice made per read was 128 bytes of garbage each
// time.
func (s *heapSamples) heapBytes() (live, allocated uint64) {
	if s[0].Name == "" {
		s[0].Name, s[1].Name, s[2].Name = liveMetric, allocMetric, stacksMetric
	}
	metrics.Read(s[:])
	stacks := s[2].Value.Uint64()
	return s[0].Value.Uint64() + stacks, s[1].Value.Uint64() + stacks
}

// heapSamples is one goroutine's samples for heapBytes.
type heapSamples [3]metrics.Sample

// reclaimableHeap is the heap memory a collection and a release to the
// system could give back: objects (live or not) and free pages still held.
func reclaimableHeap() uint64 {
	s := []metrics.Sample{{Name: allocMetric}, {Name: "/memory/classes/heap/free:bytes"}}
	metrics.Read(s)
	return s[0].Value.Uint64() + s[1].Value.Uint64()
}

// begin and end bracket an outer run. Loop goroutine.
func (g *memGuard) begin() {
	if g.limit == 0 {
		return
	}
	// Allocated bytes, not live: the live figure can be stale, from before
	// the previous chunk built the data this one inherits.
	_, allocated := g.loop.heapBytes()
	g.mu.Lock()
	g.active, g.baseline = true, allocated
	g.mu.Unlock()
	select {
	case g.wake <- struct{}{}:
	default:
	}
}

func (g *memGuard) end() {
	if g.limit == 0 {
		return
	}
	g.mu.Lock()
	g.active = false
	g.mu.Unlock()
}

// reserve is the Lua state's MemCheck: it fails, and cancels the running
// chunk as the sampler would, when the live heap plus n bytes would pass the
// limit. A collection is forced only when the heap with its garbage is that
// big, so calls far below the limit cost one read of the heap's size. Loop
// goroutine.
func (g *memGuard) reserve(L *lua.LState, n int) error {
	if g.limit == 0 {
		return nil
	}
	if _, allocated := g.loop.heapBytes(); allocated+uint64(n) <= g.limit {
		return nil
	}
	// What the value stack holds above its top (left to clear piece by
	// piece) would survive the collection.
	L.ReleaseStack()
	// Ctrl-C does not wait for the collection: tens of milliseconds here,
	// seconds on a Pi Zero.
	if err := L.Collect(); err != nil {
		return err
	}
	if live, _ := g.loop.heapBytes(); live+uint64(n) <= g.limit {
		return nil
	}
	err := memoryError{limitMB: int64(g.limit >> 20)}
	g.rt.cancel(err)
	return err
}

func (g *memGuard) watch() {
	defer close(g.exited)
	ticker := time.NewTicker(memSampleEvery)
	defer ticker.Stop()
	slack := max(g.limit/16, 1<<20)
	samples := new(heapSamples)
	for {
		g.mu.Lock()
		active := g.active
		g.mu.Unlock()
		if !active {
			select {
			case <-g.wake:
				continue
			case <-g.quit:
				return
			}
		}
		select {
		case <-ticker.C:
		case <-g.quit:
			return
		}
		live, allocated := samples.heapBytes()
		// Live heap is exact but known only after a GC; a heap with twice the
		// limit allocated is over it whatever the GC has yet to find. The
		// lock keeps the run that was measured the one that is cancelled.
		g.mu.Lock()
		if g.active && ((live > g.limit && live > g.baseline+slack) || allocated > 2*g.limit+g.baseline) {
			g.rt.cancel(memoryError{limitMB: int64(g.limit >> 20)})
		}
		g.mu.Unlock()
	}
}

func (g *memGuard) stop() {
	if g.limit > 0 {
		close(g.quit)
	}
	<-g.exited
}
