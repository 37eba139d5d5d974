package interp

import (
	"fmt"
	"strings"
	"time"

	lua "github.com/yuin/gopher-lua"
)

// watchdog reports an event loop that has been blocked longer than its limit:
// a script busy without sleeping starves timers, pin callbacks and posted
// work. It only reports; Ctrl-C is what stops the script.
//
// It posts a ping to the loop and waits for it on the loop's clock. When the
// limit passes first, it asks the VM for the line it is on: the runtime's
// Tick hook, called by gopher-lua on the loop goroutine every 256
// instructions, answers through where. A loop blocked in a Go function never
// ticks, and the report says so.
type watchdog struct {
	rt    *Runtime
	limit time.Duration
	quit  chan struct{}
	done  chan struct{}
}

// whereWait bounds how long the watchdog waits for the VM to name its line:
// a VM that runs Lua ticks within microseconds.
const whereWait = 250 * time.Millisecond

func startWatchdog(rt *Runtime, limit time.Duration) *watchdog {
	w := &watchdog{rt: rt, limit: limit, quit: make(chan struct{}), done: make(chan struct{})}
	if limit <= 0 {
		close(w.done)
		return w
	}
	go w.run()
	return w
}

func (w *watchdog) run() {
	defer close(w.done)
	clock := w.rt.loop.Clock()
	for {
		pong := make(chan struct{})
		if w.rt.loop.Post(func() { close(pong) }) != nil {
			return
		}
		if !w.wait(pong) {
			return
		}
		// Ping again after half the limit: a loop that blocks right after
		// a pong is reported between 1 and 1.5 limits later.
		pause, stop := clock.TimerAt(clock.Now().Add(w.limit / 2))
		select {
		case <-pause:
		case <-w.quit:
			stop()
			return
		}
	}
}

// wait waits for pong, reporting once if the limit passes first; it returns
// false when the watchdog stops.
func (w *watchdog) wait(pong chan struct{}) bool {
	clock := w.rt.loop.Clock()
	expired, stop := clock.TimerAt(clock.Now().Add(w.limit))
	defer stop()
	select {
	case <-pong:
		return true
	case <-w.quit:
		return false
	case <-expired:
	}
	w.report()
	select {
	case <-pong:
		return true
	case <-w.quit:
		return false
	}
}

func (w *watchdog) report() {
	where := ""
	if w.rt.Busy() {
		where = w.rt.currentLine()
	}
	var b strings.Builder
	fmt.Fprintf(&b, "watchdog: the event loop has been blocked for more than %v", w.limit)
	switch {
	case where != "":
		fmt.Fprintf(&b, ", at %s", strings.TrimSuffix(where, ":"))
	case w.rt.Busy():
		b.WriteString(", inside a Go function")
	}
	b.WriteString("; timers and callbacks wait until the script sleeps (time.sleep). Ctrl-C interrupts it.\n")
	fmt.Fprint(w.rt.out, b.String())
}

func (w *watchdog) stop() {
	select {
	case <-w.done:
		return
	default:
	}
	close(w.quit)
	<-w.done
}

// currentLine asks the VM for the line it is running ("main.lua:3:"), or ""
// if it does not answer in whereWait. Any goroutine but the loop's.
func (r *Runtime) currentLine() string {
	select {
	case <-r.where: // a late answer to an earlier question
	default:
	}
	r.wantWhere.Store(true)
	t := time.NewTimer(whereWait)
	defer t.Stop()
	select {
	case s := <-r.where:
		return s
	case <-t.C:
		r.wantWhere.Store(false)
		return ""
	}
}

// tick is gopher-lua's Global.Tick: it runs on the loop goroutine between
// two instructions, where reading the call stack is safe.
func (r *Runtime) tick(L *lua.LState) {
	if r.wantWhere.Load() && r.wantWhere.CompareAndSwap(true, false) {
		select {
		case r.where <- L.Where(0):
		default:
		}
	}
}
