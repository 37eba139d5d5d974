package repl_test

import (
	"testing"

	"go.uber.org/goleak"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

func TestFriendlyTranscript(t *testing.T) {
	d := startDevice(t, nil, nil)
	d.Expect("on sim")
	d.Expect("\r\n> ")
	d.Send("1 + 1\r")
	d.Exact("1 + 1\r\n2\r\n> ")
	d.Send("function f(x)\r")
	d.Exact("function f(x)\r\n>> ")
	d.Send("return x * 2\r")
	d.Exact("return x * 2\r\n>> ")
	d.Send("end\r")
	d.Exact("end\r\n> ")
	d.Send("f(21)\r")
	d.Exact("f(21)\r\n42\r\n> ")
	d.Send("print('a', nil)\r")
	d.Exact("print('a', nil)\r\na\tnil\r\n> ")
	d.Send("error('boom')\r")
	got := d.Expect("\r\n> ")
	if want := "stdin:1: boom\r\nstack traceback:"; !contains(got, want) {
		t.Fatalf("error transcript %q lacks %q", got, want)
	}
	// typed code is lua5.1's chunk "=stdin": stdin in messages, its
	// source "=stdin"
	d.Send("print(debug.getinfo(1, 'S').source)\r")
	d.Exact("print(debug.getinfo(1, 'S').source)\r\n=stdin\r\n> ")
	d.Send("while true do end\r")
	d.Expect("while true do end\r\n")
	d.Send("\x03")
	got = d.Expect("> ")
	if !contains(got, "interrupted") {
		t.Fatalf("Ctrl-C transcript %q lacks interrupted", got)
	}
	d.Send("x = 5\r")
	d.Exact("x = 5\r\n> ")
	d.Send("\x04")
	got = d.Expect("> ")
	if !contains(got, "soft reboot\r\n") {
		t.Fatalf("soft reset transcript %q", got)
	}
	d.Send("x\r")
	d.Exact("x\r\nnil\r\n> ")
}

func contains(s, sub string) bool { return len(sub) == 0 || indexOf(s, sub) >= 0 }

func indexOf(s, sub string) int {
	for i := 0; i+len(sub) <= len(s); i++ {
		if s[i:i+len(sub)] == sub {
			return i
		}
	}
	return -1
}

// TestContinuationLines: a chunk that ends where more lines could finish
// it (the parser's error at its end) asks for them with ">> "; one that
// cannot be finished so is an error at once.
func TestContinuationLines(t *testing.T) {
	d := startDevice(t, nil, nil)
	d.Expect("\r\n> ")
	for _, c := range []struct{ lines []string }{
		{[]string{"for i=1,3 do", "x = i", "end"}},
		{[]string{"t = {", "1,", "2}"}},
		{[]string{"print(", "1)"}},
		{[]string{"if false then", "elseif", "false then end"}},
		{[]string{"s = [[abc", "]]"}},
		{[]string{"repeat", "until true"}},
	} {
		for _, l := range c.lines[:len(c.lines)-1] {
			d.Send(l + "\r")
			d.Exact(l + "\r\n>> ")
		}
		last := c.lines[len(c.lines)-1]
		d.Send(last + "\r")
		if got := d.Expect("\r\n> "); contains(got, "expected") || contains(got, "unexpected") {
			t.Errorf("%q: %q", c.lines, got)
		}
	}
	for _, c := range []struct{ line, want string }{
		{"x = \"abc", "unfinished string"},
		{"t = {1,, 2", "unexpected symbol near ','"},
		{"t = {1,, 2", "(column 8)"},
		// "=expr" is parsed as "return expr": the column is still the
		// one typed (it was 6 more).
		{"=x = 1", "'<eof>' expected near '=' (column 4)"},
	} {
		d.Send(c.line + "\r")
		if got := d.Expect("\r\n> "); !contains(got, c.want) {
			t.Errorf("%q answered %q, want %q", c.line, got, c.want)
		}
	}
}

// TestPromptLocalHint: a name a line at the prompt declared local is gone
// on the next line (each line is a chunk); finding it nil, or an error
// about it as a global, comes with a hint that says so. A global of the
// same name, or one a later line sets, gets none.
func TestPromptLocalHint(t *testing.T) {
	d := startDevice(t, nil, nil)
	d.Expect("\r\n> ")
	hint := func(name string) string {
		return "hint: `local " + name + "` ended with its line (each line at the prompt is a chunk of its own); leave out `local` to keep " + name + "\r\n> "
	}
	d.Send("local y = 3\r")
	d.Exact("local y = 3\r\n> ")
	d.Send("y\r")
	d.Exact("y\r\nnil\r\n" + hint("y"))
	d.Send("local function f() return 1 end\r")
	d.Exact("local function f() return 1 end\r\n> ")
	d.Send("f()\r")
	if got := d.Expect("\r\n> "); !contains(got, "attempt to call global 'f' (a nil value)") || !contains(got, hint("f")) {
		t.Fatalf("calling f: %q", got)
	}
	d.Send("x = 5 local x = 6\r")
	d.Exact("x = 5 local x = 6\r\n> ")
	d.Send("x\r")
	d.Exact("x\r\n5\r\n> ")
	d.Send("y = 4\r")
	d.Exact("y = 4\r\n> ")
	d.Send("y\r")
	d.Exact("y\r\n4\r\n> ")
	d.Send("if true then local z = 1 end\r")
	d.Exact("if true then local z = 1 end\r\n> ")
	d.Send("z\r")
	d.Exact("z\r\nnil\r\n> ")
}

// TestCtrlCTypedAhead: a Ctrl-C sent with the line it should stop, read
// before the command began, interrupts it, as one sent a moment later
// does; it sat in the queue and the loop ran on.
func TestCtrlCTypedAhead(t *testing.T) {
	d := startDevice(t, nil, nil)
	d.Expect("\r\n> ")
	d.Send("while true do end\r\x03")
	if got := d.Expect("\r\n> "); !contains(got, "interrupted") {
		t.Fatalf("typed-ahead Ctrl-C: %q", got)
	}
	d.Send("print('after')\r")
	d.Expect("after\r\n> ")
}
