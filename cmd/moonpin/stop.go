package main

import (
	"fmt"
	"io"
	"os"
	"os/signal"
	"sync"
	"syscall"
	"time"
)

// stopDeadline is how long the running Lua has to unwind after a stop
// signal. Past it moonpin leaves the outputs safe itself and exits, whatever
// Lua is doing: a Go builtin that never checks the interrupt cannot keep a
// service from stopping, or a relay on.
const stopDeadline = 500 * time.Millisecond

// stopSignals end moonpin in order. SIGHUP (the terminal or the ssh session
// closed) is a stop like SIGTERM, not a crash.
var stopSignals = []os.Signal{os.Interrupt, syscall.SIGTERM, syscall.SIGHUP}

// stopper turns the stop signals into an orderly stop from the moment it is
// made, and never waits for Lua to do it: the first signal asks the running
// code to stop (see onStop) and starts the deadline; when the deadline passes
// or a second signal comes, it runs what was registered with atExit (outputs
// safe, the crash-loop record cleared, files synced) and exits. Its methods
// may be called from any goroutine.
type stopper struct {
	log  io.Writer
	exit func(code int) // os.Exit; tests replace it

	sigs     chan os.Signal
	stopping chan struct{} // closed at the first signal
	quit     chan struct{} // closed by release
	done     chan struct{} // the signal goroutine has ended

	// mu is held by a forced exit from start to end, so it never lands in
	// the middle of a step run by locked.
	mu          sync.Mutex
	sig         os.Signal
	ask         func() // asks the running code to stop
	cleanups    []func()
	interrupted int // exit status of a forced stop by SIGINT
}

// catchSignals installs the stopper. Call release when done.
func catchSignals(log io.Writer) *stopper {
	s := &stopper{
		log: log, exit: os.Exit, interrupted: 1,
		sigs:     make(chan os.Signal, 2),
		stopping: make(chan struct{}),
		quit:     make(chan struct{}),
		done:     make(chan struct{}),
	}
	signal.Notify(s.sigs, stopSignals...)
	go s.watch()
	return s
}

// release stops catching the signals and ends the stopper's goroutine.
func (s *stopper) release() {
	signal.Stop(s.sigs)
	close(s.quit)
	<-s.done
}

func (s *stopper) watch() {
	defer close(s.done)
	var deadline <-chan time.Time
	for {
		select {
		case sig := <-s.sigs:
			s.mu.Lock()
			first := s.sig == nil
			if first {
				s.sig = sig
				close(s.stopping)
			}
			ask := s.ask
			s.mu.Unlock()
			switch {
			case !first:
				s.force("a second signal, " + signalName(sig))
				return
			case ask == nil:
				// No Lua runs yet: nothing to wait for.
				s.force("")
				return
			}
			ask()
			t := time.NewTimer(stopDeadline)
			defer t.Stop()
			deadline = t.C
		case <-deadline:
			s.force(fmt.Sprintf("Lua did not stop within %v of %s (in a Go builtin that does not check the interrupt?); outputs set safe without it", stopDeadline, signalName(s.signal())))
			return
		case <-s.quit:
			return
		}
	}
}

// stopping is closed when the first stop signal comes.
func (s *stopper) stopRequested() <-chan struct{} { return s.stopping }

func (s *stopper) signal() os.Signal {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.sig
}

// terminated reports whether the service is being stopped (SIGTERM or
// SIGHUP): an orderly end, exit status 0.
func (s *stopper) terminated() bool {
	sig := s.signal()
	return sig == syscall.SIGTERM || sig == syscall.SIGHUP
}

// onStop sets how a stop signal asks the running code to stop; it runs at
// once if one came already. Until it is set a signal exits at once.
func (s *stopper) onStop(ask func()) {
	s.mu.Lock()
	s.ask = ask
	came := s.sig != nil
	s.mu.Unlock()
	if came {
		ask()
	}
}

// atExit registers fn to run if the stop is forced; the orderly stop does
// the same through its own deferred calls. They run in the order given.
func (s *stopper) atExit(fn func()) {
	s.locked(func() { s.cleanups = append(s.cleanups, fn) })
}

// locked runs fn so that a forced exit comes before it or after it and its
// atExit calls, never in between: the crash-loop record is written and its
// clearing registered as one step.
func (s *stopper) locked(fn func()) {
	s.mu.Lock()
	defer s.mu.Unlock()
	fn()
}

// force runs the cleanups and exits, saying why if why is not empty.
func (s *stopper) force(why string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if why != "" {
		fmt.Fprintf(s.log, "moonpin: stopping now: %s\n", why)
	}
	for _, fn := range s.cleanups {
		fn()
	}
	code := 0
	if s.sig == os.Interrupt {
		code = s.interrupted
	}
	s.exit(code)
}

func signalName(sig os.Signal) string {
	switch sig {
	case os.Interrupt:
		return "SIGINT"
	case syscall.SIGTERM:
		return "SIGTERM"
	case syscall.SIGHUP:
		return "SIGHUP"
	}
	return sig.String()
}
