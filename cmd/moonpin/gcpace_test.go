package main

import (
	"os"
	"runtime"
	"runtime/metrics"
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

// TestGCPacerFollowsCollections checks that the pacer sets GOGC after each
// collection and that stop puts it back.
func TestGCPacerFollowsCollections(t *testing.T) {
	if os.Getenv("GOGC") != "" {
		t.Skip("GOGC is set in the environment")
	}
	p := startGCPacer(64 << 20)
	defer p.stop()
	if got := gogc(); got != 1600 {
		t.Fatalf("GOGC after start = %d, want 1600 (64 MB / 4 MB × 100)", got)
	}
	p.mu.Lock()
	p.percent = 0 // a value adjust never sets: the next adjust must write GOGC again
	p.mu.Unlock()
	deadline := time.Now().Add(5 * time.Second)
	for {
		runtime.GC()
		p.mu.Lock()
		percent := p.percent
		p.mu.Unlock()
		if percent != 0 {
			if got := gogc(); got != percent || percent < 100 {
				t.Fatalf("GOGC = %d, pacer's percent %d", got, percent)
			}
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("no adjustment after collections for 5 s")
		}
		time.Sleep(time.Millisecond)
	}
	p.stop()
	if got := gogc(); got != 100 {
		t.Fatalf("GOGC after stop = %d, want 100", got)
	}
}

func gogc() int {
	s := []metrics.Sample{{Name: "/gc/gogc:percent"}}
	metrics.Read(s)
	return int(s[0].Value.Uint64())
}
