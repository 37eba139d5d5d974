package main

import (
	"testing"
	"time"
)

// TestMeterCountsFromTheFirstAcknowledgement: the rate and the time left
// count from the first bytes the device acknowledged, not from the start
// of the transfer, and no rate shows before it is measured.
func TestMeterCountsFromTheFirstAcknowledgement(t *testing.T) {
	now := time.Unix(1000, 0)
	m := &meter{size: 20 << 20, now: func() time.Time { return now }}
	steps := []struct {
		after time.Duration
		done  int64
		want  string
	}{
		{0, 32 << 10, "32.0KB/20.0MB"},
		{100 * time.Millisecond, 64 << 10, "64.0KB/20.0MB"},
		{time.Second - 100*time.Millisecond, (32 << 10) + 2<<20, "2.0MB/20.0MB, 2.0MB/s, 9s left"},
		{4 * time.Second, (32 << 10) + 10<<20, "10.0MB/20.0MB, 2.0MB/s, 5s left"},
	}
	for _, s := range steps {
		now = now.Add(s.after)
		if got := m.update(s.done); got != s.want {
			t.Errorf("after %v with %d bytes: %q, want %q", s.after, s.done, got, s.want)
		}
	}
}
