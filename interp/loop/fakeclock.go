package loop

import (
	"sync"
	"time"
)

// FakeClock is a Clock for tests: time moves only when Advance is called.
// Any goroutine may call its methods.
type FakeClock struct {
	mu      sync.Mutex
	now     time.Time
	waiters []*fakeTimer
	changed chan struct{} // closed and replaced whenever a timer is created
}

type fakeTimer struct {
	when time.Time
	c    chan time.Time
	done bool
}

// NewFakeClock returns a clock set to start.
func NewFakeClock(start time.Time) *FakeClock {
	return &FakeClock{now: start, changed: make(chan struct{})}
}

// Now returns the fake time.
func (c *FakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

// TimerAt returns a channel that fires once Advance has moved time to when.
func (c *FakeClock) TimerAt(when time.Time) (<-chan time.Time, func() bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	t := &fakeTimer{when: when, c: make(chan time.Time, 1)}
	if !when.After(c.now) {
		t.done = true
		t.c <- c.now
	} else {
		c.waiters = append(c.waiters, t)
	}
	close(c.changed)
	c.changed = make(chan struct{})
	return t.c, func() bool {
		c.mu.Lock()
		defer c.mu.Unlock()
		wasActive := !t.done
		t.done = true
		return wasActive
	}
}

// Advance moves time forward by d and fires the timers that came due.
func (c *FakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
	kept := c.waiters[:0]
	for _, t := range c.waiters {
		switch {
		case t.done:
		case !t.when.After(c.now):
			t.done = true
			t.c <- c.now
		default:
			kept = append(kept, t)
		}
	}
	c.waiters = kept
}

// AdvanceToNext moves time to the earliest pending timer and fires it; it
// reports false when no timer is pending.
func (c *FakeClock) AdvanceToNext() bool {
	c.mu.Lock()
	var next time.Time
	for _, t := range c.waiters {
		if !t.done && (next.IsZero() || t.when.Before(next)) {
			next = t.when
		}
	}
	c.mu.Unlock()
	if next.IsZero() {
		return false
	}
	c.Advance(next.Sub(c.Now()))
	return true
}

// Waiting returns a channel that is closed the next time someone calls TimerAt,
// so a test can wait for the loop to go to sleep before advancing time.
func (c *FakeClock) Waiting() <-chan struct{} {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.changed
}
