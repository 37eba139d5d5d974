package loop

import "time"

// Clock is the loop's source of time; tests inject a fake one.
type Clock interface {
	Now() time.Time
	// NewTimer returns a channel that receives once d has passed, and a stop function.
	NewTimer(d time.Duration) (<-chan time.Time, func() bool)
}

// RealClock is the wall clock.
type RealClock struct{}

// Now returns time.Now().
func (RealClock) Now() time.Time { return time.Now() }

// NewTimer wraps time.NewTimer.
func (RealClock) NewTimer(d time.Duration) (<-chan time.Time, func() bool) {
	t := time.NewTimer(d)
	return t.C, t.Stop
}
