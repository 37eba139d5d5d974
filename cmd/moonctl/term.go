package main

import (
	"context"
	"fmt"
	"os"

	"github.com/moonpin/moonpin/internal/keyboard"
	"golang.org/x/term"
)

// repl connects the terminal to the device's friendly REPL: keys go to the
// device as they are (Ctrl-C interrupts, Ctrl-D soft-resets) and what the
// device sends is shown, until Ctrl-] or Ctrl-X.
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
	fmt.Fprintf(s.stderr, "Connected to %s; Ctrl-] or Ctrl-X leaves.\n", s.port)
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
	// The keys are read on their own goroutine, which ends at Ctrl-] (or Ctrl-X) or the
	// end of input; a terminal read cannot be cancelled, so a REPL that the
	// device ends leaves it waiting for one last key.
	go func() {
		defer cancel()
		_ = keyboard.Forward(c, s.stdin, true)
	}()
	return c.Copy(ctx, s.stdout)
}
