package loop

import "time"

// Clock is the loop's source of time; tests inject a fake one.
type Clock interface {
	Now() time.Time
	// TimerAt returns a channel that receives once the clock reaches when
	// (at once if it already has), and a stop function. The deadline is
	// absolute so that no time can pass between reading Now and arming
	// the timer: with a relative duration, a fake clock advanced in
	// between moved the deadline out by the whole step.
	TimerAt(when time.Time) (<-chan time.Time, func() bool)
}

// RealClock is the wall clock.
type RealClock struct{}

// Now returns time.Now().
func (RealClock) Now() time.Time { return time.Now() }

// TimerAt wraps time.NewTimer.
func (RealClock) TimerAt(when time.Time) (<-chan time.Time, func() bool) {
	t := time.NewTimer(time.Until(when))
	return t.C, t.Stop
}
