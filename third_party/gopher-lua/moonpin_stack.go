package lua

// moonpin: the value stack's slots above its top are cleared so that what
// they held can be collected (nothing reads them: a slot is written before
// the top is raised over it). Clearing millions at once (the stack above a
// Go function's 4M results, or above a protected call that caught an error
// among them) took tens of milliseconds, a hundred and more while the
// collector marked, with its write barrier on each slot, and with no look
// at the interrupt. A large range is now left to sweep, which the VM calls
// every 256 instructions, where it looks at the interrupt: a piece of it
// each time. A range left behind is mostly written over before the sweep
// reaches it (a loop that makes many results each time round).

// clearPiece is the most slots cleared at once: 512 KB, under a millisecond
// while the collector marks.
const clearPiece = 32 << 10

// clearAbove clears the slots from top up to oldtop, which a lowered top
// left behind, or marks them stale for sweep if there are many.
func (rg *registry) clearAbove(oldtop int) {
	if oldtop-rg.top > clearPiece {
		rg.leaveStale(oldtop)
		return
	}
	clear(rg.array[rg.top:oldtop])
}

// leaveStale marks the slots from top up to oldtop for sweep, where there
// is a sweep: the loop that runs with a context. Without one they are
// cleared now.
//go:noinline (rarely taken: kept out of the VM's hot paths)
func (rg *registry) leaveStale(oldtop int) {
	if ls, ok := rg.handler.(*LState); !ok || ls.ctx == nil {
		clear(rg.array[rg.top:oldtop])
		return
	}
	rg.stale = max(rg.stale, oldtop)
}

// sweep clears the highest piece of the stale slots still above top.
//go:noinline (rarely taken: kept out of the VM's hot paths)
func (rg *registry) sweep() {
	lo := max(rg.top, rg.stale-clearPiece)
	if lo < rg.stale {
		clear(rg.array[lo:rg.stale])
	}
	rg.stale = lo
	if lo == rg.top {
		rg.stale = 0
	}
}

// sweepAll clears every stale slot: the state is leaving the loop that
// sweeps (RemoveContext).
func (rg *registry) sweepAll() {
	if rg.stale > rg.top {
		clear(rg.array[rg.top:rg.stale])
	}
	rg.stale = 0
}

// movedAhead is where CopyRange's loop starts: for many values it has
// moved them already, a piece at a time (moveLarge), and the loop only sets
// the destinations past limit to nil.
func (rg *registry) movedAhead(regv, start, limit, n int) int {
	if n <= clearPiece {
		return 0
	}
	return rg.moveLarge(regv, start, limit, n)
}

// moveLarge moves the values at start.. below limit to regv.. (at most n
// of them), clearPiece at a time with a look at the interrupt between, and
// returns how many it moved. The interrupt's error leaves the move half
// done, as any error in an instruction leaves its registers: the protected
// call that catches it lowers the top under them.
func (rg *registry) moveLarge(regv, start, limit, n int) int {
	if start < 0 {
		return 0
	}
	m := min(n, max(limit-start, 0))
	ls, _ := rg.handler.(*LState)
	if ls != nil && ls.ctx != nil && regv+m > rg.top {
		// Destinations above the top, if the move stops half done.
		rg.stale = max(rg.stale, regv+m)
	}
	piece := func(i int) {
		k := min(clearPiece, m-i)
		copy(rg.array[regv+i:regv+i+k], rg.array[start+i:start+i+k])
		if ls != nil {
			ls.CheckInterrupt()
		}
	}
	if regv <= start {
		for i := 0; i < m; i += clearPiece {
			piece(i)
		}
	} else {
		// Up the stack onto itself: the highest piece first.
		for i := (m - 1) / clearPiece * clearPiece; i >= 0; i -= clearPiece {
			piece(i)
		}
	}
	return m
}

// releaseStack clears every stale slot now, a piece at a time with a look
// at the interrupt between: a collection is to find what they held.
func (ls *LState) releaseStack() {
	for ls.reg.stale != 0 {
		ls.reg.sweep()
		ls.CheckInterrupt()
	}
}

// ReleaseStack clears what the value stack still holds above its top, left
// to be cleared piece by piece as the VM runs (moonpin), before a
// collection that must find all the garbage: a memory limit's, which runs
// one whole too. It raises nothing, so it can be called outside a Lua call.
func (ls *LState) ReleaseStack() { ls.reg.sweepAll() }

// bigStack is the size from which a new value stack is allocated away
// from the Lua goroutine (makeSlots): 1M slots, 16 MB.
const bigStack = 1 << 20

// makeSlots is make([]LValue, n). A big one is made by another goroutine
// while this one waits for it or the interrupt: the runtime zeroes the
// whole array first, with no way to stop, and a stack grown to 2M slots
// (s:byte(1, -1) of 2 MB) took up to 96 ms to make on a loaded machine.
// Interrupted, it raises the interrupt's error, and the array the other
// goroutine goes on making is garbage. Once the context is done it makes
// the array itself: raising that error may push onto a full stack, and
// would raise again.
func (rg *registry) makeSlots(n int) []LValue {
	ls, _ := rg.handler.(*LState)
	if n < bigStack || ls == nil || ls.ctx == nil || ls.ctx.Err() != nil {
		return make([]LValue, n)
	}
	made := make(chan []LValue, 1)
	go func() { made <- make([]LValue, n) }()
	select {
	case a := <-made:
		return a
	case <-ls.ctx.Done():
		ls.RaiseError("%s", ls.ctx.Err().Error())
		return nil
	}
}
