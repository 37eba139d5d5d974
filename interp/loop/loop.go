package loop

import (
	"container/heap"
	"errors"
	"fmt"
	"io"
	"sync"
	"time"
)

// ErrClosed is returned by Post after Close.
var ErrClosed = errors.New("loop: closed")

// Loop is an event loop with timers. The zero value is not usable; call New.
type Loop struct {
	clock Clock

	mu     sync.Mutex
	queue  []func()
	idleQ  []func() // jobs that run only at the outer level, never inside Sleep
	closed bool
	wake   chan struct{} // has room for one pending wake-up

	// Owned by the loop goroutine.
	timers  timerHeap
	seq     uint64
	holds   map[*struct{ id int }]struct{}
	closers map[*closer]struct{}
	endIdle bool // EndIdle was called: RunUntilIdle returns
}

// New returns a loop driven by clock (RealClock{} when nil).
func New(clock Clock) *Loop {
	if clock == nil {
		clock = RealClock{}
	}
	return &Loop{clock: clock, wake: make(chan struct{}, 1), closers: map[*closer]struct{}{}, holds: map[*struct{ id int }]struct{}{}}
}

// Clock returns the loop's clock. Any goroutine.
func (l *Loop) Clock() Clock { return l.clock }

// Post queues fn to run on the loop goroutine, soon: in Run, RunUntilIdle or
// inside a Sleep. Any goroutine. It never blocks and fails only after Close.
func (l *Loop) Post(fn func()) error { return l.enqueue(&l.queue, fn) }

// PostIdle queues fn to run when the loop is idle: in Run or RunUntilIdle,
// never nested inside a Sleep, so fn never runs in the middle of Lua code.
// Any goroutine.
func (l *Loop) PostIdle(fn func()) error { return l.enqueue(&l.idleQ, fn) }

func (l *Loop) enqueue(q *[]func(), fn func()) error {
	l.mu.Lock()
	if l.closed {
		l.mu.Unlock()
		return ErrClosed
	}
	*q = append(*q, fn)
	l.mu.Unlock()
	select {
	case l.wake <- struct{}{}:
	default:
	}
	return nil
}

// Run processes posted work and timers until stop is closed. Owner.
func (l *Loop) Run(stop <-chan struct{}) {
	for {
		if l.runReady(true) {
			continue
		}
		if !l.wait(stop, time.Time{}) {
			return
		}
	}
}

// Sleep runs posted work and timers for d. It returns ErrInterrupted as soon as
// done closes. Owner. Timer callbacks may themselves call Sleep.
func (l *Loop) Sleep(done <-chan struct{}, d time.Duration) error {
	deadline := l.clock.Now().Add(d)
	ran := false
	for {
		select {
		case <-done:
			return ErrInterrupted
		default:
		}
		// Work that is ready runs at least once, so sleep(0) lets callbacks in.
		if ran && !l.clock.Now().Before(deadline) {
			return nil
		}
		if l.runReady(false) {
			ran = true
			continue
		}
		if !l.clock.Now().Before(deadline) {
			return nil
		}
		if !l.wait(done, deadline) {
			return ErrInterrupted
		}
	}
}

// ErrInterrupted is returned by Sleep when its done channel closes.
var ErrInterrupted = errors.New("interrupted")

// RunUntilIdle runs work and timers until no timer is active, nothing is held
// (see Hold) and the queue is empty, or until stop closes or a job calls
// EndIdle. It reports whether the loop went idle. Owner. `moonpin script.lua`
// uses it to keep running after main returns for as long as callbacks can
// still happen. Stop is checked between jobs too: timers due back to back
// must not keep it running.
func (l *Loop) RunUntilIdle(stop <-chan struct{}) bool {
	l.endIdle = false
	for {
		select {
		case <-stop:
			return false
		default:
		}
		if l.runReady(true) {
			if l.endIdle {
				l.endIdle = false
				return false
			}
			continue
		}
		if len(l.timers) == 0 && len(l.holds) == 0 {
			return true
		}
		if !l.wait(stop, time.Time{}) {
			return false
		}
	}
}

// EndIdle makes the RunUntilIdle in progress return, not idle, once the job
// running now is done: a callback called os.exit. Owner; outside
// RunUntilIdle it does nothing.
func (l *Loop) EndIdle() { l.endIdle = true }

// Hold keeps RunUntilIdle running until release is called (a pin watch holds
// the loop while it is active). Owner; release is owner-only too.
func (l *Loop) Hold() (release func()) {
	key := &struct{ id int }{len(l.holds)}
	l.holds[key] = struct{}{}
	return func() { delete(l.holds, key) }
}

// runReady runs one posted job or one due timer and reports whether it did;
// idle says whether PostIdle jobs may run too.
func (l *Loop) runReady(idle bool) bool {
	l.mu.Lock()
	for _, q := range []*[]func(){&l.queue, &l.idleQ} {
		if len(*q) == 0 || (q == &l.idleQ && !idle) {
			continue
		}
		fn := (*q)[0]
		(*q)[0] = nil
		*q = (*q)[1:]
		l.mu.Unlock()
		fn()
		return true
	}
	l.mu.Unlock()
	if len(l.timers) > 0 && !l.timers[0].when.After(l.clock.Now()) {
		l.fire(heap.Pop(&l.timers).(*Timer))
		return true
	}
	return false
}

// wait blocks until work is posted, the next timer is due, deadline passes
// (zero means none) or stop closes; it returns false only when stop closed.
func (l *Loop) wait(stop <-chan struct{}, deadline time.Time) bool {
	next := deadline
	if len(l.timers) > 0 && (next.IsZero() || l.timers[0].when.Before(next)) {
		next = l.timers[0].when
	}
	var timeout <-chan time.Time
	if !next.IsZero() {
		c, cancel := l.clock.TimerAt(next)
		defer cancel()
		timeout = c
	}
	select {
	case <-stop:
		return false
	case <-l.wake:
	case <-timeout:
	}
	return true
}

// Reset stops every timer, drops every hold and closes every tracked resource,
// leaving the loop ready for a fresh Lua state (soft reset). Owner. It returns
// the first error from a tracked Close; a Close that panics (driver code
// runs in it) is such an error.
func (l *Loop) Reset() error {
	for _, t := range l.timers {
		t.index = -1
		t.stopped = true
	}
	l.timers = nil
	clear(l.holds)
	var first error
	for c := range l.closers {
		delete(l.closers, c)
		if err := closeSafely(c); err != nil && first == nil {
			first = err
		}
	}
	return first
}

// closeSafely closes c, turning a panic into an error.
func closeSafely(c *closer) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("closing %T: %v", c.Closer, p)
		}
	}()
	return c.Close()
}

// Close resets the loop and refuses further posts. Owner.
func (l *Loop) Close() error {
	l.mu.Lock()
	l.closed = true
	l.queue, l.idleQ = nil, nil
	l.mu.Unlock()
	return l.Reset()
}

type closer struct{ io.Closer }

// Track registers c to be closed by Close (soft reset closes what a script
// opened). The returned untrack removes it again, for resources the script
// closes itself. Owner.
func (l *Loop) Track(c io.Closer) (untrack func()) {
	key := &closer{c}
	l.closers[key] = struct{}{}
	return func() { delete(l.closers, key) }
}

// Tracked returns how many resources are registered. Owner.
func (l *Loop) Tracked() int { return len(l.closers) }
