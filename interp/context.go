package interp

import (
	"context"
	"sync"
	"time"
)

// stateContext is the long-lived context of one Lua state. gopher-lua checks
// Done() before every instruction, so Done returns a stored channel: no lock,
// no lazy allocation, unlike context.WithCancel. Coroutines get a child of it
// (gopher-lua calls context.WithCancel on it); AfterFunc lets the context
// package link them without a goroutine per coroutine.
type stateContext struct {
	done chan struct{}

	mu     sync.Mutex
	reason error
	after  map[*afterFunc]struct{}
}

type afterFunc struct{ fn func() }

func newStateContext() *stateContext {
	return &stateContext{done: make(chan struct{}), after: map[*afterFunc]struct{}{}}
}

func (c *stateContext) Deadline() (time.Time, bool) { return time.Time{}, false }
func (c *stateContext) Done() <-chan struct{}       { return c.done }
func (c *stateContext) Value(any) any               { return nil }

func (c *stateContext) Err() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.reason
}

// cancel stops the state's running code with reason; the first reason wins.
func (c *stateContext) cancel(reason error) {
	c.mu.Lock()
	if c.reason != nil {
		c.mu.Unlock()
		return
	}
	c.reason = reason
	fns := c.after
	c.after = nil
	close(c.done)
	c.mu.Unlock()
	for f := range fns {
		f.fn()
	}
}

// AfterFunc is the hook context.WithCancel looks for on a parent.
func (c *stateContext) AfterFunc(fn func()) (stop func() bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.reason != nil {
		go fn()
		return func() bool { return false }
	}
	f := &afterFunc{fn}
	c.after[f] = struct{}{}
	return func() bool {
		c.mu.Lock()
		defer c.mu.Unlock()
		_, ok := c.after[f]
		delete(c.after, f)
		return ok
	}
}

var _ context.Context = (*stateContext)(nil)
