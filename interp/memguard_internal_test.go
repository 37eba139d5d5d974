package interp

import (
	"fmt"
	"runtime"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	lua "github.com/yuin/gopher-lua"
)

// TestMemCheckAllocatesNothing: the memory limit's check of a builtin's
// allocation (reserve) reads the heap's size without allocating; it made a
// slice of samples on every read, as the sampler did every 5 ms, 128 bytes
// of garbage each.
func TestMemCheckAllocatesNothing(t *testing.T) {
	r, err := New(Options{Root: t.TempDir(), MemLimit: 256 << 20})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	// t.Error, not t.Fatal, on the loop goroutine: Fatal would end it
	// and leave r.Close waiting for it.
	err = r.Do(func(L *lua.LState) error {
		var failed error
		if n := testing.AllocsPerRun(100, func() {
			if err := r.guard.reserve(L, 1<<20); err != nil {
				failed = err
			}
		}); failed != nil {
			t.Error(failed)
		} else if n != 0 {
			t.Errorf("reserve allocates %v times a call; want 0", n)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	var s heapSamples
	if live, allocated := s.heapBytes(); live == 0 || allocated < live/2 {
		t.Errorf("heapBytes: live %d, allocated %d", live, allocated)
	}
}

// TestMemCheckCollectionStopsAtTheInterrupt: the check collects garbage
// when the heap with it is too big for what the builtin asks; a
// collection of a big heap takes tens of milliseconds here (seconds on a
// Pi Zero), and Ctrl-C does not wait for it. It ran on the loop
// goroutine; an interrupt that came first still started it.
func TestMemCheckCollectionStopsAtTheInterrupt(t *testing.T) {
	if testing.Short() {
		t.Skip("a heap of 5M objects: run without -short")
	}
	const limit = 1 << 40
	r, err := New(Options{Root: t.TempDir(), MemLimit: limit})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	// 5M objects to mark.
	keep := make([]*[2]int, 5e6)
	for i := range keep {
		keep[i] = new([2]int)
	}
	defer runtime.KeepAlive(keep)
	// check makes garbage, then asks for what takes the heap with it
	// just past the limit, which the live heap leaves room for: the check
	// collects.
	// With interrupt, it interrupts the check 1 ms in, and says when it
	// did (0: not before the check returned).
	check := func(L *lua.LState, interrupt bool) (err error, took, sent time.Duration) {
		for range 1000 {
			garbage = make([]byte, 16<<10)
		}
		_, allocated := r.guard.loop.heapBytes()
		start := time.Now()
		var interrupted atomic.Int64
		if interrupt {
			timer := time.AfterFunc(time.Millisecond, func() {
				interrupted.Store(int64(time.Since(start)))
				r.Interrupt()
			})
			defer timer.Stop()
		}
		err = r.guard.reserve(L, int(limit-allocated)+1)
		took = time.Since(start)
		return err, took, time.Duration(interrupted.Load())
	}
	// An interrupt that came first: no collection.
	err = r.Do(func(L *lua.LState) error {
		r.Interrupt()
		if err, took, _ := check(L, false); err == nil {
			t.Errorf("the check passed, after %v, in a chunk already interrupted", took)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	runtime.GC()
	collection := time.Since(start)
	// An interrupt while it collects; the best of three tries, as the
	// timer that sends it can run late on a busy machine. A check that
	// goes on with its collection after the interrupt fails each try.
	var tries []string
	for range 3 {
		var took, sent time.Duration
		err = r.Do(func(L *lua.LState) error {
			err, took, sent = check(L, true)
			return err
		})
		switch {
		case sent == 0 || sent >= took:
			tries = append(tries, fmt.Sprintf("the collection ended, after %v, before the interrupt came", took))
		case took-sent > collection/2:
			tries = append(tries, fmt.Sprintf("the check went on %v after the interrupt (%v in), its error %v", took-sent, sent, err))
		case err == nil:
			tries = append(tries, fmt.Sprintf("the check passed, after %v, though interrupted %v in", took, sent))
		default:
			t.Logf("a collection takes %v; the check stopped %v after the interrupt", collection, took-sent)
			return
		}
	}
	t.Errorf("a collection takes %v; in 3 tries: %s", collection, strings.Join(tries, "; "))
}

// garbage keeps the compiler from leaving out the allocations made for it.
var garbage []byte
