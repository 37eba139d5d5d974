package loop

import (
	"container/heap"
	"time"
)

// Timer is a one-shot or periodic callback on the loop.
type Timer struct {
	loop    *Loop
	fn      func()
	when    time.Time
	period  time.Duration // zero for one-shot
	seq     uint64        // orders timers due at the same instant
	index   int           // in the heap; -1 when not scheduled
	running bool
	stopped bool
}

// After runs fn once, d from now. Owner.
func (l *Loop) After(d time.Duration, fn func()) *Timer {
	return l.schedule(&Timer{loop: l, fn: fn, when: l.clock.Now().Add(d)})
}

// Every runs fn every period, the first time one period from now. Owner.
// A run that is still going when the next is due (the callback slept) skips that
// turn rather than running twice at once; a loop that falls behind does not
// replay the missed runs in a burst.
func (l *Loop) Every(period time.Duration, fn func()) *Timer {
	if period <= 0 {
		period = time.Millisecond
	}
	return l.schedule(&Timer{loop: l, fn: fn, when: l.clock.Now().Add(period), period: period})
}

func (l *Loop) schedule(t *Timer) *Timer {
	l.seq++
	t.seq = l.seq
	heap.Push(&l.timers, t)
	return t
}

// Stop cancels the timer; it reports whether the timer was still active. Owner.
func (t *Timer) Stop() bool {
	if t.stopped {
		return false
	}
	t.stopped = true
	if t.index >= 0 && t.index < len(t.loop.timers) && t.loop.timers[t.index] == t {
		heap.Remove(&t.loop.timers, t.index)
		return true
	}
	return t.running
}

// Active reports whether the timer will fire again. Owner.
func (t *Timer) Active() bool { return !t.stopped && (t.index >= 0 || t.running) }

func (l *Loop) fire(t *Timer) {
	if t.period > 0 {
		next := t.when.Add(t.period)
		if now := l.clock.Now(); next.Before(now) {
			next = now.Add(t.period)
		}
		t.when = next
		l.schedule(t)
	}
	if t.running {
		return
	}
	t.running = true
	defer func() { t.running = false }()
	t.fn()
}

type timerHeap []*Timer

func (h timerHeap) Len() int { return len(h) }
func (h timerHeap) Less(i, j int) bool {
	if h[i].when.Equal(h[j].when) {
		return h[i].seq < h[j].seq
	}
	return h[i].when.Before(h[j].when)
}
func (h timerHeap) Swap(i, j int) {
	h[i], h[j] = h[j], h[i]
	h[i].index = i
	h[j].index = j
}
func (h *timerHeap) Push(x any) {
	t := x.(*Timer)
	t.index = len(*h)
	*h = append(*h, t)
}
func (h *timerHeap) Pop() any {
	old := *h
	t := old[len(old)-1]
	old[len(old)-1] = nil
	t.index = -1
	*h = old[:len(old)-1]
	return t
}
