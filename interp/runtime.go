package interp

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime/debug"
	"sync"
	"sync/atomic"
	"time"

	"github.com/moonpin/moonpin/hal"
	"github.com/moonpin/moonpin/hal/sim"
	"github.com/moonpin/moonpin/interp/host"
	fslib "github.com/moonpin/moonpin/interp/lib/fs"
	"github.com/moonpin/moonpin/interp/loop"
	lua "github.com/yuin/gopher-lua"
)

// Options configure a Runtime. The zero value runs scripts from the current
// directory, prints to os.Stdout and has no memory limit.
type Options struct {
	Root      string     // script root: boot.lua, main.lua, require and fs live here
	Out       io.Writer  // print and error reports from callbacks
	MemLimit  int64      // bytes of Go heap before a chunk fails with "memory limit exceeded"; 0 for none
	AllowExec bool       // keep io.popen and os.execute
	Clock     loop.Clock // nil for the wall clock
	// AllowRead and AllowWrite grant Lua files beyond the root (each path
	// and everything under it); writing implies reading.
	AllowRead, AllowWrite []string
	// Err is where io.stderr writes; nil means Out.
	Err io.Writer
	// ReadLine, when set, is the session's input, which io.read reads: the
	// REPL shows the prompt, echoes and edits the line.
	ReadLine host.LineReader
	// Stdin is what io.read reads when there is no session (`moonpin
	// script.lua < file`); nil with no ReadLine means an empty input.
	Stdin io.Reader
	// Board is what gpio, i2c and spi open; nil means a fresh simulated
	// board, which the runtime closes with itself.
	Board hal.Board
	// Setup, if set, runs on each new state after the standard modules are
	// loaded (the hardware modules hook in here).
	Setup func(L *lua.LState, h *host.Host) error
	// Watchdog, when positive, reports on Out each time the event loop stays
	// blocked longer than this (a script busy without sleeping), with the
	// line the script is on. It never stops the script.
	Watchdog time.Duration
	// CallbackEnded, if set, is called on the loop goroutine when a
	// callback that runs outside other Lua code (between REPL commands)
	// calls os.exit or board.reset() (Kind KindExit, KindReset or
	// KindResetLoop): the REPL waiting for input acts on it. WaitIdle
	// returns it as well.
	CallbackEnded func(*Error)
	// BeforeClose, if set, runs on the loop goroutine when the runtime
	// closes, after Lua has stopped and before the pins, buses and timers
	// the script opened are closed: the moment to leave outputs safe.
	BeforeClose func()
	// BeforeReset, if set, runs on the loop goroutine at a soft reset, after
	// Lua has stopped and before the pins, buses and timers the old state
	// opened are closed: outputs are left safe there too (a line let go
	// keeps driving on a Pi).
	BeforeReset func()
}

// Runtime runs Lua on its own goroutine. Its methods may be called from any
// goroutine except where noted; Do, Exec and the others that run Lua block
// until the code has run, and must not be called from inside running Lua
// (a callback or a module function), which would deadlock.
type Runtime struct {
	opts  Options
	root  string
	loop  *loop.Loop
	out   *lockedWriter
	err   io.Writer
	start time.Time

	grants host.Grants
	stdin  *inputStream

	mountMu sync.Mutex
	mount   host.Mount // serves the script root while set (moonctl mount)
	pump    *stdinPump // reads Stdin; nil with a session

	// Owned by the loop goroutine.
	L    *lua.LState
	host *host.Host

	ctxMu sync.Mutex
	ctx   *stateContext

	depth atomic.Int32 // Lua runs in progress (callbacks nest inside sleeps)
	guard *memGuard

	watchdog  *watchdog
	wantWhere atomic.Bool // the watchdog asks tick for the current line
	where     chan string // tick's answer

	// Owned by the loop goroutine.
	resets      ResetLoop // recent board.reset() calls, for resetRequest
	callbackEnd *Error    // os.exit or board.reset() from a callback, for WaitIdle
	// callbackFailed: a callback's error was reported (CallbackFailed)
	callbackFailed atomic.Bool

	exitOnce sync.Once
	exited   chan struct{} // closed at the first os.exit
	exitCode atomic.Int32

	stop     chan struct{}
	done     chan struct{}
	stopped  atomic.Bool   // Stop was called: every run is interrupted
	stopping chan struct{} // closed by the first Stop (Host.Stopping)
	stopOnce sync.Once
	closed   atomic.Bool
	ownBoard bool
}

// New makes a runtime with a fresh state and starts its loop goroutine.
func New(opts Options) (*Runtime, error) {
	if opts.Root == "" {
		opts.Root = "."
	}
	root, err := filepath.Abs(opts.Root)
	if err != nil {
		return nil, fmt.Errorf("script root %s: %w", opts.Root, err)
	}
	if fi, err := os.Stat(root); err != nil {
		return nil, fmt.Errorf("script root: %w", err)
	} else if !fi.IsDir() {
		return nil, fmt.Errorf("script root %s is not a directory", root)
	}
	if opts.Out == nil {
		opts.Out = os.Stdout
	}
	ownBoard := opts.Board == nil
	if ownBoard {
		opts.Board = sim.New()
	}
	r := &Runtime{
		opts:     opts,
		root:     root,
		loop:     loop.New(opts.Clock),
		out:      &lockedWriter{w: opts.Out},
		stop:     make(chan struct{}),
		stopping: make(chan struct{}),
		done:     make(chan struct{}),
		ownBoard: ownBoard,
		where:    make(chan string, 1),
		exited:   make(chan struct{}),
	}
	r.start = r.loop.Clock().Now()
	r.err = r.out
	if opts.Err != nil {
		r.err = &lockedWriter{w: opts.Err}
	}
	if r.grants, err = grants(opts.AllowRead, opts.AllowWrite); err != nil {
		return nil, err
	}
	switch {
	case opts.ReadLine != nil:
		r.stdin = sessionInput(opts.ReadLine)
	case opts.Stdin != nil:
		r.pump = newStdinPump(opts.Stdin)
		r.stdin = newInputStream(r.pump.read)
	default:
		r.stdin = newInputStream(func(context.Context, []byte) (int, error) { return 0, io.EOF })
	}
	if err := r.newState(); err != nil {
		return nil, err
	}
	r.guard = startMemGuard(r, opts.MemLimit)
	go func() {
		defer close(r.done)
		r.loop.Run(r.stop)
	}()
	r.watchdog = startWatchdog(r, opts.Watchdog)
	return r, nil
}

// SetMount makes m serve the script root in place of the board's
// directory, for this state and those soft resets make, until SetMount(nil)
// gives the board its own root back (moonctl mount and its end).
func (r *Runtime) SetMount(m host.Mount) {
	r.mountMu.Lock()
	r.mount = m
	r.mountMu.Unlock()
}

// Mount returns the mount serving the script root, or nil.
func (r *Runtime) Mount() host.Mount {
	r.mountMu.Lock()
	defer r.mountMu.Unlock()
	return r.mount
}

// Root returns the absolute script root.
func (r *Runtime) Root() string { return r.root }

// Board returns the board the hardware modules use.
func (r *Runtime) Board() hal.Board { return r.opts.Board }

// Loop returns the runtime's event loop.
func (r *Runtime) Loop() *loop.Loop { return r.loop }

// newState builds a fresh Lua state with moonpin's globals. Loop goroutine (or
// before it starts).
func (r *Runtime) newState() error {
	L := lua.NewState(lua.Options{
		CallStackSize: 20000,
		// The value stack starts at 16K slots and grows in 64K steps, so
		// table.concat and unpack of 100k elements work without a resize
		// per push; 4M slots (64 MB) is far beyond any sane script.
		RegistrySize:     16 * 1024,
		RegistryGrowStep: 64 * 1024,
		RegistryMaxSize:  4 * 1024 * 1024,
	})
	r.ctxMu.Lock()
	r.ctx = newStateContext()
	L.SetContext(r.ctx)
	r.ctxMu.Unlock()
	h := &host.Host{
		Loop: r.loop, Root: r.root, Grants: r.grants, Out: r.out, Err: r.err, Start: r.start,
		ReadLine:  r.stdin.lineReader(r.opts.ReadLine, r.out),
		AllowExec: r.opts.AllowExec, Board: r.opts.Board,
		SoftReset: func() { r.cancel(r.resetRequest()) },
		Stopping:  r.stopping,
		Mount:     r.Mount,
	}
	h.Invoke = func(fn *lua.LFunction, args ...lua.LValue) error {
		// Once os.exit has ended the runtime, a callback has asked for a
		// reset, or Stop was called, no callback runs, and one that Stop
		// interrupts is not reported: a timer due in the moment between
		// os.exit and the stop printed "error in callback: interrupted".
		if r.ending() {
			return nil
		}
		outer := r.depth.Load() == 0
		err := r.run(func(L *lua.LState) error {
			L.Push(fn)
			for _, a := range args {
				L.Push(a)
			}
			return L.PCall(len(args), 0, nil)
		})
		var e *Error
		if errors.As(err, &e) && (e.Kind == KindExit || e.Kind == KindReset || e.Kind == KindResetLoop) {
			// Under other Lua code (a time.sleep) the cancelled context
			// unwinds that code too, which reports it; a callback of its
			// own ends WaitIdle, which returns it.
			if outer && r.callbackEnd == nil {
				r.callbackEnd = e
				r.loop.EndIdle()
				if r.opts.CallbackEnded != nil {
					r.opts.CallbackEnded(e)
				}
			}
		} else if err != nil {
			h.Report(err)
		}
		return err
	}
	h.Report = func(err error) {
		if r.ending() {
			return
		}
		// Where io.stderr writes: stderr when a script runs, the
		// session's output on the REPL.
		fmt.Fprintf(r.err, "error in callback: %v\n", err)
		r.callbackFailed.Store(true)
	}
	host.Attach(L, h)
	if r.opts.Watchdog > 0 {
		L.G.Tick = r.tick
	}
	L.G.MemCheck = func(L *lua.LState, n int) error { return r.guard.reserve(L, n) }
	wrapCoroutines(L, func() context.Context { return r.ctx })
	wrapProtectedCalls(L)
	if err := installGlobals(L, h, r.stdin); err != nil {
		L.Close()
		return err
	}
	if r.opts.Setup != nil {
		if err := r.opts.Setup(L, h); err != nil {
			L.Close()
			return err
		}
	}
	r.L, r.host = L, h
	return nil
}

// Do runs fn on the loop goroutine as one run of Lua code: under the state's
// interrupt context and the memory guard. An error fn returns (typically from
// L.PCall) comes back as an *Error.
func (r *Runtime) Do(fn func(L *lua.LState) error) error {
	if r.closed.Load() {
		return errors.New("runtime closed")
	}
	result := make(chan error, 1)
	if err := r.loop.PostIdle(func() { result <- r.run(fn) }); err != nil {
		return err
	}
	select {
	case err := <-result:
		return err
	case <-r.done:
		return errors.New("runtime closed")
	}
}

// run runs fn on the loop goroutine. A run at the outer level that finds the
// context cancelled by an earlier interrupt starts over with a fresh one, and
// one that ends cancelled leaves a fresh context behind it: an interrupt hits
// only the code running when it came.
func (r *Runtime) run(fn func(L *lua.LState) error) error {
	// Only this goroutine changes depth. The stale context is replaced
	// before the run counts as busy, so an Interrupt that sees it busy
	// always cancels the context this run uses.
	outer := r.depth.Load() == 0
	if outer && r.ctx.Err() != nil {
		r.freshContext()
	}
	r.depth.Add(1)
	defer r.depth.Add(-1)
	if r.stopped.Load() {
		r.cancel(errInterrupted)
	}
	if outer {
		r.guard.begin()
	}
	err := safeCall(r.L, fn)
	if outer {
		r.guard.end()
		r.stdin.endCommand()
	}
	reason := r.ctx.Err()
	if exit, ok := reason.(exitError); ok {
		r.exitOnce.Do(func() {
			r.exitCode.Store(int32(exit.code))
			close(r.exited)
		})
	}
	if outer && reason != nil {
		r.freshContext()
		// A debug hook ends with the code it watched: one that loops
		// would otherwise stop every later chunk until interrupted.
		r.L.SetHook(lua.LNil, "", 0)
	}
	if err == nil {
		return nil
	}
	return newError(err, reason)
}

// safeCall turns a Go panic that escaped gopher-lua into an error.
func safeCall(L *lua.LState, fn func(L *lua.LState) error) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("internal error: %v", p)
		}
	}()
	return fn(L)
}

func (r *Runtime) freshContext() {
	r.ctxMu.Lock()
	defer r.ctxMu.Unlock()
	r.ctx = newStateContext()
	r.L.SetContext(r.ctx)
}

// cancel stops the running code with reason. Any goroutine.
func (r *Runtime) cancel(reason error) {
	r.ctxMu.Lock()
	ctx := r.ctx
	r.ctxMu.Unlock()
	ctx.cancel(reason)
}

// Abort stops the Lua code that is running now as Interrupt does, with err
// as its error, which pcall cannot catch: a mount that ended under it. Any
// goroutine.
func (r *Runtime) Abort(err error) {
	if r.depth.Load() > 0 {
		r.cancel(err)
	}
}

// Interrupt stops the Lua code that is running now (Ctrl-C), including code
// inside pcall and blocked in time.sleep; the chunk fails with KindInterrupted.
// It does nothing to code that starts later. Any goroutine.
func (r *Runtime) Interrupt() {
	if r.depth.Load() > 0 {
		r.cancel(errInterrupted)
	}
}

// Exited is closed when Lua first calls os.exit, anywhere; ExitCode is then
// the status it asked for. Any goroutine.
func (r *Runtime) Exited() <-chan struct{} { return r.exited }

// ExitCode is the status of the first os.exit, or 0. Any goroutine.
func (r *Runtime) ExitCode() int { return int(r.exitCode.Load()) }

// A reset loop is ResetLoopLimit board.reset() calls within
// ResetLoopWindow: a script that resets at its top would restart about 150
// times a second forever. The call that completes one does not reset: it
// fails with KindResetLoop, so the boot stops there and says why.
const (
	ResetLoopLimit  = 5
	ResetLoopWindow = 2 * time.Second
)

// ResetLoopNote says, in a few words, why the reset-loop guard stopped the
// boot (the REPL banner's safe-mode reason).
var ResetLoopNote = fmt.Sprintf("a reset loop: board.reset() %d times within %v", ResetLoopLimit, ResetLoopWindow)

var errResetLoop = fmt.Errorf("board.reset() %d times within %v: a reset loop, stopped; the script is not run again until you fix it (reset only when something changed, e.g. a pin or a file) and soft-reboot with Ctrl-D or restart moonpin", ResetLoopLimit, ResetLoopWindow)

// resetRequest is the reason board.reset() cancels the running code with:
// a soft reset, or the end of a reset loop. Loop goroutine.
func (r *Runtime) resetRequest() error {
	if r.resets.Add(r.loop.Clock().Now()) {
		return errResetLoop
	}
	return errReset
}

// ResetLoop counts resets (board.reset(), and the REPL's os.exit from a
// callback) and tells when one completes a reset loop: ResetLoopLimit of
// them within ResetLoopWindow. The zero value is ready to use; one
// goroutine at a time.
type ResetLoop struct{ recent []time.Time }

// Add counts a reset at now and reports whether it completes a loop; the
// count then starts again.
func (l *ResetLoop) Add(now time.Time) bool {
	recent := l.recent[:0]
	for _, t := range l.recent {
		if now.Sub(t) < ResetLoopWindow {
			recent = append(recent, t)
		}
	}
	l.recent = append(recent, now)
	if len(l.recent) >= ResetLoopLimit {
		l.recent = nil
		return true
	}
	return false
}

// ending reports whether the runtime is on its way out: a callback called
// os.exit or board.reset(), or Stop was called. Loop goroutine. (Not
// r.exited: over a session os.exit soft-reboots and callbacks run again.)
func (r *Runtime) ending() bool {
	return r.stopped.Load() || r.callbackEnd != nil
}

// Stop interrupts the Lua code running now and every run after it: a chunk,
// a callback, a boot after a soft reset. A signal that stops moonpin cannot
// be lost between two runs. Any goroutine.
func (r *Runtime) Stop() {
	r.stopped.Store(true)
	r.stopOnce.Do(func() { close(r.stopping) })
	r.cancel(errInterrupted)
}

// CallbackFailed reports whether a callback (a timer's, a pin watch's)
// has ended in an error since the runtime was made: a script run from the
// command line then ends with status 1, as one whose main chunk failed.
// Any goroutine.
func (r *Runtime) CallbackFailed() bool { return r.callbackFailed.Load() }

// Busy reports whether Lua code is running. Any goroutine.
func (r *Runtime) Busy() bool { return r.depth.Load() > 0 }

// Exec compiles code as a chunk called name and runs it.
func (r *Runtime) Exec(name, code string) error {
	return r.exec(Load, name, code)
}

// ExecScript is Exec for the text of a script file: a first line starting
// with '#' ("#!/usr/bin/env moonpin") is skipped, as Lua 5.1 does.
func (r *Runtime) ExecScript(name, code string) error {
	return r.exec(LoadScript, name, code)
}

// RunScript is ExecScript for a script run from the command line, as the
// lua5.1 command runs one: the global arg holds the script's name at 0, its
// arguments from 1, and what came before the name (the command and its
// flags) at -1, -2, ...; the chunk gets the arguments as "...".
func (r *Runtime) RunScript(name, code string, before, args []string) error {
	return r.Do(func(L *lua.LState) error {
		argt := L.CreateTable(len(args), len(before)+1)
		argt.RawSetInt(0, lua.LString(name))
		for i, a := range args {
			argt.RawSetInt(i+1, lua.LString(a))
		}
		for i, b := range before {
			argt.RawSetInt(i-len(before), lua.LString(b))
		}
		L.SetGlobal("arg", argt)
		fn, err := LoadScript(L, code, name)
		if err != nil {
			return err
		}
		L.Push(fn)
		for _, a := range args {
			L.Push(lua.LString(a))
		}
		return L.PCall(len(args), 0, nil)
	})
}

func (r *Runtime) exec(load loader, name, code string) error {
	return r.Do(func(L *lua.LState) error { return LoadAndRun(L, load, name, code) })
}

// loader compiles code as the chunk called name (Load, LoadScript).
type loader func(L *lua.LState, code, name string) (*lua.LFunction, error)

// LoadAndRun compiles code with load (Load for typed code, LoadScript for
// the text of a file) and runs it.
func LoadAndRun(L *lua.LState, load loader, name, code string) error {
	fn, err := load(L, code, name)
	if err != nil {
		return err
	}
	L.Push(fn)
	return L.PCall(0, 0, nil)
}

// ExecFile runs a Lua file; a relative path is taken from the script root.
// Errors name the file as given, so tracebacks read "main.lua:3: ...".
func (r *Runtime) ExecFile(path string) error {
	full := path
	if !filepath.IsAbs(path) {
		full = filepath.Join(r.root, path)
	}
	return r.Do(func(L *lua.LState) error {
		var code []byte
		err := Protect(L, func(L *lua.LState) (err error) {
			code, err = fslib.ReadRegularFor(L, full)
			return err
		})
		if err != nil {
			return fmt.Errorf("cannot run %s: %w", path, err)
		}
		return LoadAndRun(L, LoadScript, path, string(code))
	})
}

// Protect calls fn on L as a Lua call, from outside one: what fn raises
// (the memory limit, an interrupt, as fslib.ReadRegularFor does) comes back
// as its error, as what it returns does. Loop goroutine.
func Protect(L *lua.LState, fn func(L *lua.LState) error) error {
	var ret error
	err := L.CallByParam(lua.P{Fn: L.NewFunction(func(L *lua.LState) int {
		ret = fn(L)
		return 0
	}), Protect: true})
	if err != nil {
		return err
	}
	return ret
}

// Boot runs boot.lua, then main.lua unless skipMain, each only if it exists.
// An error in boot.lua is reported and main.lua still runs, as MicroPython does;
// an interrupt, exit or reset request stops the boot there.
func (r *Runtime) Boot(skipMain bool) error {
	var errs []error
	for _, name := range []string{"boot.lua", "main.lua"} {
		if name == "main.lua" && skipMain {
			break
		}
		if _, err := os.Stat(filepath.Join(r.root, name)); err != nil {
			continue
		}
		if err := r.ExecFile(name); err != nil {
			errs = append(errs, err)
			var e *Error
			if errors.As(err, &e) && e.Kind != KindRuntime && e.Kind != KindSyntax {
				break
			}
		}
	}
	return errors.Join(errs...)
}

// WaitIdle keeps the loop running callbacks until no timer or watch is left,
// stop closes, or a callback calls os.exit or board.reset(); it returns that
// callback's error (KindExit, KindReset or KindResetLoop), else nil. `moonpin script.lua`
// uses it after the script returns.
func (r *Runtime) WaitIdle(stop <-chan struct{}) error {
	result := make(chan error, 1)
	if err := r.loop.PostIdle(func() {
		if r.callbackEnd == nil {
			r.loop.RunUntilIdle(stop)
		}
		end := r.callbackEnd
		// An os.exit stays recorded, so that no callback due before the
		// caller stops the runtime runs; a reset is consumed (the caller
		// resets and waits again).
		if end == nil || end.Kind != KindExit {
			r.callbackEnd = nil
		}
		if end == nil {
			result <- nil
			return
		}
		result <- end
	}); err != nil {
		return nil
	}
	select {
	case err := <-result:
		return err
	case <-r.done:
		return nil
	}
}

// Reset is a soft reset: running code is interrupted, everything the state
// opened (timers, pins, buses) is closed and a fresh state replaces it. It does not rerun boot.lua or main.lua;
// call Boot for that.
func (r *Runtime) Reset() error {
	if r.closed.Load() {
		return errors.New("runtime closed")
	}
	r.Interrupt()
	result := make(chan error, 1)
	if err := r.loop.PostIdle(func() { result <- r.reset() }); err != nil {
		return err
	}
	select {
	case err := <-result:
		return err
	case <-r.done:
		return errors.New("runtime closed")
	}
}

func (r *Runtime) reset() error {
	r.callbackEnd = nil
	r.host.Kill()
	if r.opts.BeforeReset != nil {
		r.opts.BeforeReset()
	}
	closeErr := r.loop.Reset()
	r.L.Close()
	if err := r.newState(); err != nil {
		return err
	}
	// The old state's data is garbage now; when there is much of it, give
	// its pages back to the system, or the process stays as big as the
	// script ever made it.
	if reclaimableHeap() > 32<<20 {
		debug.FreeOSMemory()
	}
	if closeErr != nil {
		return fmt.Errorf("soft reset: closing the old state's resources: %w", closeErr)
	}
	return nil
}

// Close interrupts running code, closes everything the state opened and stops
// the loop goroutine. Safe to call more than once.
func (r *Runtime) Close() error {
	if r.closed.Swap(true) {
		return nil
	}
	r.cancel(errInterrupted)
	result := make(chan error, 1)
	if err := r.loop.PostIdle(func() {
		r.host.Kill()
		if r.opts.BeforeClose != nil {
			r.opts.BeforeClose()
		}
		err := r.loop.Close()
		r.L.Close()
		result <- err
	}); err != nil {
		return err
	}
	err := <-result
	if r.pump != nil {
		r.pump.close()
	}
	close(r.stop)
	<-r.done
	r.guard.stop()
	r.watchdog.stop()
	if r.ownBoard {
		err = errors.Join(err, r.opts.Board.Close())
	}
	return err
}

// grants makes the paths of --allow-read and --allow-write absolute.
func grants(read, write []string) (host.Grants, error) {
	var g host.Grants
	for _, set := range []struct {
		flag  string
		paths []string
		into  *[]string
	}{{"--allow-read", read, &g.Read}, {"--allow-write", write, &g.Write}} {
		for _, p := range set.paths {
			if p == "" {
				return g, fmt.Errorf("%s: empty path", set.flag)
			}
			abs, err := filepath.Abs(p)
			if err != nil {
				return g, fmt.Errorf("%s %s: %w", set.flag, p, err)
			}
			*set.into = append(*set.into, abs)
		}
	}
	return g, nil
}

// lockedWriter serialises writes from the loop and from callers such as a REPL.
type lockedWriter struct {
	mu sync.Mutex
	w  io.Writer
}

func (w *lockedWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.w.Write(p)
}
