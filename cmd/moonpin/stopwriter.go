package main

import (
	"errors"
	"io"
	"os"
	"sync"
	"time"
)

// stopWriter is the script's stdout or stderr when that is a pipe, a FIFO
// or a terminal: a write that waits there (moonpin x.lua | less, with less
// stopped, and the pipe full) gives up when a stop is asked for, so the
// script ends as an interrupt ends it, its files flushed and closed. A
// blocking write(2) on the process's stdout can neither take a deadline
// nor be made non-blocking (the flag would be the shell's and every child's
// too), so the writes are made by a goroutine of the writer's, and one
// still waiting at the stop is left to it: the process is about to exit.
type stopWriter struct {
	w    io.Writer
	stop <-chan struct{}
	// size and held, for a pipe, FIFO or terminal: a write that fits in
	// the room the file has (size less what it holds unread, held)
	// cannot wait, and is made at once (a hand-over to the goroutine for
	// each of a million prints took 2.5 times as long). room is what is
	// left of the room last seen, counted down by each such write and
	// looked at again (a system call, which took as long as the write) only
	// once it is used up. It is half of what the file had, for stdout and
	// stderr may be one file.
	size, room int
	held       func() (int, error)

	mu      sync.Mutex
	req     chan []byte
	res     chan result
	pending bool // a write given up at the stop has not returned
}

type result struct {
	n   int
	err error
}

// errOutputStuck is a write given up at a stop.
var errOutputStuck = errors.New("output stuck (nothing reads it); stopping")

// stopGrace is how long a write under way at the stop may still take to
// finish: one that was not waiting completes within it.
const stopGrace = 50 * time.Millisecond

// guardOutput returns w as a stopWriter where w is a file that can wait (a
// pipe, FIFO, terminal or device), else w.
func guardOutput(w io.Writer, stop <-chan struct{}) io.Writer {
	f, ok := w.(*os.File)
	if !ok {
		return w
	}
	fi, err := f.Stat()
	if err != nil || fi.Mode().IsRegular() {
		return w
	}
	s := &stopWriter{w: w, stop: stop, req: make(chan []byte), res: make(chan result, 1)}
	s.size, s.held = outputRoom(int(f.Fd()), fi.Mode())
	go s.run()
	return s
}

// fits reports whether n bytes fit in the file's room now.
func (s *stopWriter) fits(n int) bool {
	if n <= s.room {
		return true
	}
	if s.size <= 0 {
		return false
	}
	held, err := s.held()
	if err != nil {
		return false
	}
	s.room = (s.size - held) / 2
	return n <= s.room
}

// run makes the writes; it ends with the process.
func (s *stopWriter) run() {
	for p := range s.req {
		n, err := s.w.Write(p)
		s.res <- result{n, err}
	}
}

func (s *stopWriter) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.pending && s.fits(len(p)) {
		s.room -= len(p)
		return s.w.Write(p)
	}
	if s.pending {
		select {
		case <-s.res:
			s.pending = false
		case <-s.stop:
			return 0, errOutputStuck
		}
	}
	s.req <- p
	select {
	case r := <-s.res:
		return r.n, r.err
	case <-s.stop:
	}
	select {
	case r := <-s.res:
		return r.n, r.err
	case <-time.After(stopGrace):
		// p stays the goroutine's: the caller's buffer may change under
		// a write that ends after the process, at worst.
		s.pending = true
		return 0, errOutputStuck
	}
}
