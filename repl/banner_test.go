package repl_test

import (
	"net"
	"runtime"
	"strings"
	"testing"

	"github.com/moonpin/moonpin/internal/expect"
	"github.com/moonpin/moonpin/interp"
	"github.com/moonpin/moonpin/repl"
)

func TestBannerShowsVersionGoAndBoard(t *testing.T) {
	d := startDevice(t, nil, &repl.Options{Version: "v9.8.7", Board: "Raspberry Pi Zero 2 W", Notices: []string{"note: root is fine"}})
	want := "moonpin v9.8.7 (" + runtime.Version() + ") on Raspberry Pi Zero 2 W (Lua 5.1, gopher-lua)\r\nnote: root is fine\r\nCtrl-C"
	if got := d.Expect("Ctrl-C"); !strings.HasSuffix(got, want) {
		t.Fatalf("banner %q, want it to end %q", got, want)
	}
}

// TestSafeModeSaysWhy: a safe boot skips boot.lua and main.lua, the banner
// says why until a soft reset, and the soft reset runs them.
func TestSafeModeSaysWhy(t *testing.T) {
	files := map[string]string{"boot.lua": "booted = true\n", "main.lua": "print('main ran')\n"}
	d := startDevice(t, files, &repl.Options{Board: "sim", SafeReason: "GPIO26 held low"})
	got := d.Expect("Ctrl-A raw REPL.\r\n> ")
	if !strings.Contains(got, "safe mode (GPIO26 held low): boot.lua and main.lua were skipped") || strings.Contains(got, "main ran") {
		t.Fatalf("safe boot transcript %q", got)
	}
	d.Send("booted\r")
	d.Exact("booted\r\nnil\r\n> ")
	d.Send("\x02") // Ctrl-B greets again: the note stays until a soft reset
	if got := d.Expect("Ctrl-A raw REPL.\r\n> "); !strings.Contains(got, "safe mode (GPIO26 held low)") {
		t.Fatalf("second greeting %q", got)
	}
	d.Send("board.reset()\r")
	got = d.Expect("Ctrl-A raw REPL.\r\n")
	if !strings.Contains(got, "main ran\r\n") || strings.Contains(got, "safe mode") {
		t.Fatalf("soft reset transcript %q", got)
	}
	d.Send("booted\r")
	d.Expect("booted\r\ntrue\r\n> ")
}

func TestSafeFlagIsItsOwnReason(t *testing.T) {
	d := startDevice(t, map[string]string{"main.lua": "print('main ran')\n"}, &repl.Options{Board: "sim", Safe: true})
	if got := d.Expect("Ctrl-A raw REPL.\r\n> "); !strings.Contains(got, "safe mode (--safe)") || strings.Contains(got, "main ran") {
		t.Fatalf("transcript %q", got)
	}
}

// TestOneGreetingWhenStartRacesServe: moonpin starts the device (boot and
// main.lua) before any client is attached, so the REPL's first greeting
// races the first connection. Whichever wins, the client is greeted once.
func TestOneGreetingWhenStartRacesServe(t *testing.T) {
	runs := 200
	if testing.Short() {
		runs = 20
	}
	for range runs {
		d, err := repl.New(repl.Options{Version: "test", Board: "sim", Safe: true, Runtime: interp.Options{Root: t.TempDir()}})
		if err != nil {
			t.Fatal(err)
		}
		host, dev := net.Pipe()
		served := make(chan error, 1)
		go d.Start()
		go func() { served <- d.Serve(dev) }()
		w := expect.New(t, host)
		w.Expect("Ctrl-A raw REPL.\r\n> ")
		w.Send("1\r")
		w.Exact("1\r\n1\r\n> ")
		w.Close()
		<-served
		d.Close()
	}
}

// TestExitLoopFromACallbackStops: os.exit from a callback soft-reboots, and
// main.lua's timer does it again: a reset loop, stopped as board.reset()'s
// is (it rebooted about 90 times a second, clearing the line a person
// typed at every reboot, and Ctrl-C could not stop it).
func TestExitLoopFromACallbackStops(t *testing.T) {
	d := startDevice(t, map[string]string{"main.lua": "timer.every(10, function() os.exit(1) end)\n"}, nil)
	got := d.Expect("Ctrl-A raw REPL.\r\n> ")
	for greetings := 1; !strings.Contains(got, "a reset loop"); greetings++ {
		if greetings == 20 {
			t.Fatalf("still rebooting after %d greetings: %q", greetings, got)
		}
		got = d.Expect("Ctrl-A raw REPL.\r\n> ")
	}
	if !strings.Contains(got, "os.exit() from callbacks 5 times within 2s") {
		t.Fatalf("the loop's end says %q", got)
	}
	d.Send("print(6*7)\r")
	d.Expect("print(6*7)\r\n42\r\n> ")
}
