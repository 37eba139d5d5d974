package main

import (
	"os/exec"
	"strings"
	"testing"
)

// TestEvalExpressionList: eval takes what a function call takes, an
// expression list, and prints every value; a syntax error points into the
// text the user gave, not into the code moonctl wraps it in.
func TestEvalExpressionList(t *testing.T) {
	b := startBoard(t, nil)
	if got := b.ok("eval", "1, 'two', nil"); got != "1, two, nil\n" {
		t.Fatalf("eval of a list printed %q", got)
	}
	if got := b.ok("eval", "1 + 1 -- a comment"); got != "2\n" {
		t.Fatalf("eval with a comment printed %q", got)
	}
	if got := b.ok("eval", "print('only printed')"); got != "only printed\n" {
		t.Fatalf("eval of a call that returns nothing printed %q", got)
	}
	// Columns, where the device's message gives one, count in the user's
	// text; line numbers are the user's lines.
	for _, c := range []struct{ expr, where, near, column string }{
		{"1 +* 2", "stdin:1:", "near '*'", "(column 4)"},
		{"x = 1", "stdin:1:", "near '='", "(column 3)"},
		{"1,\n2 +* 2", "stdin:2:", "near '*'", "(column 4)"},
		{"'unfinished", "stdin:1:", "unfinished string", "(column 12)"},
		{"1 +", "stdin:1:", "near the end", "(column 4)"},
	} {
		r := b.moonctl("eval", c.expr)
		if r.code != 1 || !strings.Contains(r.stderr, c.where) || !strings.Contains(r.stderr, c.near) ||
			strings.Contains(r.stderr, "column") && !strings.Contains(r.stderr, c.column) {
			t.Errorf("eval %q: exit %d, stderr %q; want an error at %s %s %s", c.expr, r.code, r.stderr, c.where, c.near, c.column)
		}
	}
}

// TestEvalOnATerminal: on a terminal, eval shows a string that would move
// the cursor or clear the screen quoted, as the prompt does (it cleared
// the screen); piped, strings stay as they are.
func TestEvalOnATerminal(t *testing.T) {
	b := startBoard(t, nil)
	const expr = `"a\27[2Jb", "plain"`
	tm := newTerminal(t)
	p := tm.start(t, exec.Command(moonctlBin, "-p", b.path, "eval", expr))
	tm.out.Expect(`"a\27[2Jb", plain` + "\r\n")
	if err := p.wait(t, "eval"); err != nil {
		t.Fatalf("eval on a terminal: %v", err)
	}
	if got := b.ok("eval", expr); got != "a\x1b[2Jb, plain\n" {
		t.Fatalf("eval piped printed %q", got)
	}
}
