package interp

import (
	"testing"

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
	err = r.Do(func(L *lua.LState) error {
		if n := testing.AllocsPerRun(100, func() {
			if err := r.guard.reserve(L, 1<<20); err != nil {
				t.Fatal(err)
			}
		}); n != 0 {
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
