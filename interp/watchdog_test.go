package interp_test

import (
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/moonpin/moonpin/interp"
	"github.com/moonpin/moonpin/interp/interptest"
	"github.com/moonpin/moonpin/interp/loop"
	lua "github.com/yuin/gopher-lua"
)

// watchedOutput collects output and tells when it contains a text.
type watchedOutput struct {
	mu   sync.Mutex
	buf  strings.Builder
	more chan struct{}
}

func newWatchedOutput() *watchedOutput { return &watchedOutput{more: make(chan struct{}, 1)} }

func (o *watchedOutput) Write(p []byte) (int, error) {
	o.mu.Lock()
	o.buf.Write(p)
	o.mu.Unlock()
	select {
	case o.more <- struct{}{}:
	default:
	}
	return len(p), nil
}

func (o *watchedOutput) String() string {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.buf.String()
}

// advanceUntil moves the fake clock from timer to timer until the output
// contains want.
func advanceUntil(t *testing.T, clock *loop.FakeClock, out *watchedOutput, want string) {
	t.Helper()
	deadline := time.NewTimer(10 * time.Second)
	defer deadline.Stop()
	for !strings.Contains(out.String(), want) {
		waiting := clock.Waiting()
		if clock.AdvanceToNext() {
			continue
		}
		select {
		case <-waiting:
		case <-out.more:
		case <-deadline.C:
			t.Fatalf("no %q in the output: %q", want, out.String())
		}
	}
}

func waitOutput(t *testing.T, out *watchedOutput, want string) {
	t.Helper()
	deadline := time.NewTimer(10 * time.Second)
	defer deadline.Stop()
	for !strings.Contains(out.String(), want) {
		select {
		case <-out.more:
		case <-deadline.C:
			t.Fatalf("no %q in the output: %q", want, out.String())
		}
	}
}

func TestWatchdogReportsStuckLine(t *testing.T) {
	for name, code := range map[string]string{
		"main chunk":   "print('spinning')\nlocal n = 0\nwhile true do\n  n = n + 1\nend\n",
		"in function":  "local function spin()\n  while true do end\nend\nprint('spinning')\nspin()\n",
		"in coroutine": "print('spinning')\nlocal co = coroutine.wrap(function()\n  while true do end\nend)\nco()\n",
	} {
		t.Run(name, func(t *testing.T) {
			clock := loop.NewFakeClock(time.Unix(1000, 0))
			out := newWatchedOutput()
			rt, _ := interptest.New(t, &interp.Options{Out: out, Clock: clock, Watchdog: 5 * time.Second})
			result := make(chan error, 1)
			go func() { result <- rt.Exec("main.lua", code) }()
			waitOutput(t, out, "spinning\n")
			advanceUntil(t, clock, out, "watchdog:")
			report := out.String()
			if !regexp.MustCompile(`watchdog: the event loop has been blocked for more than 5s, at main\.lua:[2-5];`).MatchString(report) {
				t.Fatalf("report %q", report)
			}
			select {
			case err := <-result:
				t.Fatalf("the watchdog stopped the script: %v", err)
			default:
			}
			if !rt.Busy() {
				t.Fatal("script not running after the report")
			}
			rt.Interrupt()
			if err := <-result; kindOf(t, err) != interp.KindInterrupted {
				t.Fatalf("after Ctrl-C: %v", err)
			}
			if n := strings.Count(out.String(), "watchdog:"); n != 1 {
				t.Fatalf("%d reports for one stall: %q", n, out.String())
			}
		})
	}
}

// TestWatchdogQuietWhileSleeping: a script that sleeps lets the loop run, so
// however long it runs, nothing is reported. The clock is real: a fake one
// moved ahead by the test could pass the limit before the loop goroutine has
// been scheduled to answer.
func TestWatchdogQuietWhileSleeping(t *testing.T) {
	out := newWatchedOutput()
	rt, _ := interptest.New(t, &interp.Options{Out: out, Watchdog: time.Second})
	if err := rt.Exec("main.lua", "for i = 1, 100 do time.sleep(0.01) end print('slept')"); err != nil {
		t.Fatal(err)
	}
	if got := out.String(); got != "slept\n" {
		t.Fatalf("output %q", got)
	}
}

// TestWatchdogInsideGoFunction: a loop blocked in Go code never reaches the
// VM's tick; the report says so instead of naming a line.
func TestWatchdogInsideGoFunction(t *testing.T) {
	clock := loop.NewFakeClock(time.Unix(1000, 0))
	out := newWatchedOutput()
	release := make(chan struct{})
	rt, _ := interptest.New(t, &interp.Options{Out: out, Clock: clock, Watchdog: time.Second})
	if err := rt.Do(func(L *lua.LState) error {
		L.SetGlobal("block", L.NewFunction(func(*lua.LState) int { <-release; return 0 }))
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	result := make(chan error, 1)
	go func() { result <- rt.Exec("main.lua", "print('blocking')\nblock()") }()
	waitOutput(t, out, "blocking\n")
	advanceUntil(t, clock, out, "watchdog:")
	if !strings.Contains(out.String(), "blocked for more than 1s, inside a Go function;") {
		t.Fatalf("report %q", out.String())
	}
	close(release)
	if err := <-result; err != nil {
		t.Fatal(err)
	}
}
