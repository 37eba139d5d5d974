package main

import (
	"bytes"
	"context"
	"fmt"
	"os"

	"golang.org/x/term"
)

// escapeKey (Ctrl-]) leaves the REPL, as in telnet and mpremote.
const escapeKey = 0x1d

// repl connects the terminal to the device's friendly REPL: keys go to the
// device as they are (Ctrl-C interrupts, Ctrl-D soft-resets) and what the
// device sends is shown, until Ctrl-].
func (s *session) repl(_ bool, _ []string) error {
	c, err := s.conn()
	if err != nil {
		return err
	}
	if s.raw {
		if err := c.ExitRaw(s.ctx); err != nil {
			return err
		}
		s.raw = false
	}
	fmt.Fprintf(s.stderr, "Connected to %s; Ctrl-] leaves.\n", s.port)
	if f, ok := s.stdin.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		state, err := term.MakeRaw(int(f.Fd()))
		if err != nil {
			return fmt.Errorf("repl: %w", err)
		}
		defer func() {
			_ = term.Restore(int(f.Fd()), state)
			fmt.Fprintln(s.stderr)
		}()
	}
	ctx, cancel := context.WithCancel(s.ctx)
	defer cancel()
	// The keys are read on their own goroutine, which ends at Ctrl-] or the
	// end of input; a terminal read cannot be cancelled, so a REPL that the
	// device ends leaves it waiting for one last key.
	go func() {
		defer cancel()
		buf := make([]byte, 1024)
		for {
			n, err := s.stdin.Read(buf)
			keys := buf[:n]
			i := bytes.IndexByte(keys, escapeKey)
			if i >= 0 {
				keys = keys[:i]
			}
			if len(keys) > 0 {
				if _, werr := c.Write(keys); werr != nil {
					return
				}
			}
			if i >= 0 || err != nil {
				return
			}
		}
	}()
	return c.Copy(ctx, s.stdout)
}
