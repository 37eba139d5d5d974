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
// cleared now. Not inlined: rarely taken, it is kept out of the VM's call
// and return paths.
//
//go:noinline
func (rg *registry) leaveStale(oldtop int) {
	if ls, ok := rg.handler.(*LState); !ok || ls.ctx == nil {
		clear(rg.array[rg.top:oldtop])
		return
	}
	rg.stale = max(rg.stale, oldtop)
}

// sweep clears the highest piece of the stale slots still above top. Not
// inlined, as leaveStale.
//
//go:noinline
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

// makeSlots is make([]LValue, n), a big one made away from the Lua
// goroutine (AwaitAlloc): a value stack grown to 2M slots (s:byte(1, -1)
// of 2 MB) took up to 96 ms to make on a loaded machine. Once the context
// is done it is made in place: raising the error pushes it, maybe onto a
// full stack.
func (rg *registry) makeSlots(n int) []LValue {
	ls, _ := rg.handler.(*LState)
	if ls == nil || n > maxInt/slotSize {
		return make([]LValue, n)
	}
	return AwaitAlloc(ls, n*slotSize, func() []LValue { return make([]LValue, n) })
}

// moveValues moves ls's top n values onto other's stack, after first when
// it is not nil, as Push(first) and XMoveTo would: a resume's arguments, a
// yield's values, a coroutine's results. Many values (more than
// clearPiece) are copied a piece at a time with a look at ls's interrupt
// between pieces; pushed one by one, 4M of them took 400 ms and more. The
// interrupt raises in ls with both stacks' tops as they were, so the
// callers move before they switch threads.
func (ls *LState) moveValues(other *LState, n int, first LValue) {
	n = min(n, ls.GetTop())
	if n <= clearPiece || ls == other {
		if first != nil {
			other.Push(first)
		}
		ls.XMoveTo(other, n)
		return
	}
	// Before other's stack grows for them: making it once the interrupt
	// has come is done in place (AwaitAlloc), 64 MB for 4M values.
	ls.CheckInterrupt()
	dst := other.reg.top
	if first != nil {
		dst++
	}
	other.reg.checkSize(dst + n)
	src := ls.reg.top - n
	copyLooking(ls, other.reg.array[dst:dst+n], ls.reg.array[src:src+n], func(copied int) {
		// The copies above other's top are swept as its stale slots, or
		// cleared now where nothing sweeps.
		if other.ctx != nil {
			other.reg.stale = max(other.reg.stale, dst+copied)
		} else {
			clear(other.reg.array[dst : dst+copied])
		}
	})
	if first != nil {
		other.reg.array[dst-1] = first
	}
	other.reg.top = dst + n
	ls.reg.SetTop(src)
}

// copySlots copies the values below top to grown, a new stack. Many
// (more than clearPiece) go a piece at a time with a look at the interrupt
// between pieces: one copy of 4M values took 35 ms and more while the
// collector marked (a write barrier on each pointer), and its goroutine
// could not be preempted meanwhile. An interrupt leaves the stack as it was;
// grown is dropped. As in makeSlots, a context already done when the copy
// starts is not looked at: raising that error pushes it, maybe onto this
// very stack.
func (rg *registry) copySlots(grown []LValue) {
	ls, _ := rg.handler.(*LState)
	look := rg.top > clearPiece && ls != nil && ls.ctx != nil && ls.ctx.Err() == nil
	if afterMakeSlots != nil {
		afterMakeSlots()
	}
	if !look {
		copy(grown, rg.array[:rg.top])
		return
	}
	copyLooking(ls, grown, rg.array[:rg.top], nil)
}

// copyLooking copies src to dst, clearPiece values at a time, with a look
// at ls's interrupt between pieces; before the interrupt raises, undo, if
// not nil, is told how many were copied.
func copyLooking(ls *LState, dst, src []LValue, undo func(copied int)) {
	for i := 0; i < len(src); i += clearPiece {
		k := min(clearPiece, len(src)-i)
		copy(dst[i:i+k], src[i:i+k])
		if ls.interrupted() {
			if undo != nil {
				undo(i + k)
			}
			ls.CheckInterrupt()
		}
	}
}

// afterMakeSlots, when set, is called by copySlots as it starts to copy:
// the tests' interrupt, come during the copy.
var afterMakeSlots func()
