package main

import (
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"golang.org/x/sys/unix"
)

// countingMain counts its runs in the file "runs" and says which run it is.
const countingMain = `local n = tonumber(fs.exists("runs") and fs.read("runs") or "0") + 1
fs.write("runs", tostring(n))
print("main run " .. n)
`

// TestCallbackEndsAtThePrompt: os.exit() or board.reset() in a timer or a
// pin callback, while the REPL waits at its prompt, soft-reboots as it does
// typed at the prompt: a fresh state, main.lua again, a new prompt; with no
// client attached as well.
func TestCallbackEndsAtThePrompt(t *testing.T) {
	b := startBoard(t, map[string]string{"main.lua": countingMain})
	tm := b.open()
	tm.sync()
	run := 1
	for _, cb := range []string{
		`timer.after(20, function() board.reset() end)`,
		`timer.after(20, function() os.exit(3) end)`,
		`local p = gpio.pin("GPIO5", gpio.IN) p:watch(gpio.RISING, function() os.exit() end) timer.after(5, function() sim.set("GPIO5", 1) end)`,
		`timer.every(5, function() pcall(board.reset) end)`,
	} {
		tm.Send("x = 42\r")
		tm.Expect("> ")
		tm.Send(cb + "\r")
		run++
		got := tm.Expect("main run " + strconv.Itoa(run) + "\r\n")
		if !strings.Contains(got, "soft reboot\r\n") {
			t.Fatalf("%s: no soft reboot: %q", cb, got)
		}
		tm.Expect("> ")
		tm.Send("x\r")
		tm.Expect("x\r\nnil\r\n> ")
	}

	// In the raw REPL, between commands: a soft reset as Ctrl-D there
	// makes (boot.lua only), then the raw REPL again.
	tm.Send("\r\x01")
	tm.Expect("raw REPL; CTRL-B to exit\r\n>")
	tm.Send("x = 42 timer.after(20, function() board.reset() end)\x04")
	tm.Expect("OK\x04\x04>")
	tm.Expect("soft reboot\r\nraw REPL; CTRL-B to exit\r\n>")
	tm.Send("print(x)\x04")
	tm.Expect("OKnil\r\n\x04\x04>")
	tm.Send("\x02")
	tm.sync()

	// main.lua writes "runs" through a temporary file, renamed into place.
	fd, err := unix.InotifyInit1(unix.IN_CLOEXEC)
	if err != nil {
		t.Fatal(err)
	}
	events := os.NewFile(uintptr(fd), "inotify")
	defer events.Close()
	if _, err := unix.InotifyAddWatch(fd, b.root, unix.IN_MOVED_TO); err != nil {
		t.Fatal(err)
	}
	tm.Send(`timer.after(200, function() board.reset() end)` + "\r")
	tm.Expect("> ")
	tm.Close()
	ran := make(chan struct{})
	go func() {
		defer close(ran)
		buf := make([]byte, 4096)
		for {
			if _, err := events.Read(buf); err != nil {
				return
			}
			if n, _ := os.ReadFile(b.root + "/runs"); string(n) == strconv.Itoa(run+1) {
				return
			}
		}
	}()
	select {
	case <-ran:
	case <-time.After(waitLimit):
		t.Fatal("no soft reboot with no client attached")
	}
	tm = b.open()
	tm.sync()
}
