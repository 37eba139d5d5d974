package repl_test

import (
	"testing"

	"go.uber.org/goleak"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

func TestFriendlyTranscript(t *testing.T) {
	d := startDevice(t, nil, nil)
	d.expect("on sim")
	d.expect("\r\n> ")
	d.send("1 + 1\r")
	d.exact("1 + 1\r\n2\r\n> ")
	d.send("function f(x)\r")
	d.exact("function f(x)\r\n>> ")
	d.send("return x * 2\r")
	d.exact("return x * 2\r\n>> ")
	d.send("end\r")
	d.exact("end\r\n> ")
	d.send("f(21)\r")
	d.exact("f(21)\r\n42\r\n> ")
	d.send("print('a', nil)\r")
	d.exact("print('a', nil)\r\na\tnil\r\n> ")
	d.send("error('boom')\r")
	got := d.expect("\r\n> ")
	if want := "stdin:1: boom\r\nstack traceback:"; !contains(got, want) {
		t.Fatalf("error transcript %q lacks %q", got, want)
	}
	d.send("while true do end\r")
	d.expect("while true do end\r\n")
	d.send("\x03")
	got = d.expect("> ")
	if !contains(got, "interrupted") {
		t.Fatalf("Ctrl-C transcript %q lacks interrupted", got)
	}
	d.send("x = 5\r")
	d.exact("x = 5\r\n> ")
	d.send("\x04")
	got = d.expect("> ")
	if !contains(got, "soft reboot\r\n") {
		t.Fatalf("soft reset transcript %q", got)
	}
	d.send("x\r")
	d.exact("x\r\nnil\r\n> ")
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
