package repl_test

import (
	"strings"
	"testing"
)

// TestCtrlCOfStuckCallbackKeepsLine: Ctrl-C at the prompt while a timer
// callback is stuck in a loop stops the callback, reports it once and gives
// back the prompt with the line typed so far, which the user goes on with.
func TestCtrlCOfStuckCallbackKeepsLine(t *testing.T) {
	d := startDevice(t, nil, quickOpts())
	d.Expect("> ")
	d.Send("timer.after(10, function() print('stuck') while true do end end)\r")
	d.Expect("stuck\r\n")
	d.Send("x = 4")
	d.Expect("x = 4")
	d.Send("\x03")
	report := d.Expect("\r\n> x = 4")
	if n := strings.Count(report, "interrupted"); n != 1 {
		t.Fatalf("the interrupt is reported %d times, want once: %q", n, report)
	}
	if !strings.Contains(report, "error in callback: stdin:1: interrupted") {
		t.Fatalf("no report of the interrupted callback: %q", report)
	}
	d.Send("2\r")
	d.Expect("2\r\n> ")
	d.Send("x\r")
	d.Expect("x\r\n42\r\n> ")
	d.Send("y = 1\x03")
	if got := d.Expect("\r\n> "); strings.Contains(got, "interrupted") {
		t.Fatalf("Ctrl-C with nothing running reports an interrupt: %q", got)
	}
	d.Send("y\r")
	d.Expect("y\r\nnil\r\n> ")
}
