package interp_test

import (
	"errors"
	"testing"
	"time"

	"github.com/moonpin/moonpin/interp"
	"github.com/moonpin/moonpin/interp/interptest"
	"github.com/moonpin/moonpin/interp/loop"
)

// TestCallbackEndsWaitIdle: os.exit or board.reset() in a callback that runs
// after the script ends WaitIdle with that request, though a periodic
// timer is still active; os.exit also closes Exited with its code.
func TestCallbackEndsWaitIdle(t *testing.T) {
	for _, tc := range []struct {
		call string
		kind interp.Kind
	}{
		{"os.exit(3)", interp.KindExit},
		{"coroutine.wrap(function() os.exit(3) end)()", interp.KindExit},
		{"board.reset()", interp.KindReset},
	} {
		t.Run(tc.call, func(t *testing.T) {
			rt, out := interptest.New(t, nil)
			if err := rt.Exec("main.lua", `timer.every(1, function() end) timer.after(5, function() `+tc.call+` end)`); err != nil {
				t.Fatal(err)
			}
			err := rt.WaitIdle(nil)
			if k := kindOf(t, err); k != tc.kind {
				t.Fatalf("WaitIdle = %v, want kind %v; output %q", err, tc.kind, out.String())
			}
			exited := false
			select {
			case <-rt.Exited():
				exited = true
			default:
			}
			if want := tc.kind == interp.KindExit; exited != want || (want && rt.ExitCode() != 3) {
				t.Fatalf("Exited closed: %v, code %d", exited, rt.ExitCode())
			}
		})
	}
}

// TestResetLoopGuard: the fifth board.reset() within 2 s is a reset loop,
// with the script's file:line; resets further apart are not.
func TestResetLoopGuard(t *testing.T) {
	clock := loop.NewFakeClock(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC))
	rt, _ := interptest.New(t, &interp.Options{Clock: clock})
	reset := func() error {
		t.Helper()
		err := rt.Exec("main.lua", "board.reset()")
		if k := kindOf(t, err); k == interp.KindReset {
			if rerr := rt.Reset(); rerr != nil {
				t.Fatal(rerr)
			}
		}
		return err
	}
	for range 8 {
		clock.Advance(600 * time.Millisecond)
		if k := kindOf(t, reset()); k != interp.KindReset {
			t.Fatalf("resets 600ms apart: kind %v", k)
		}
	}
	clock.Advance(2 * time.Second)
	for i := range 4 {
		if k := kindOf(t, reset()); k != interp.KindReset {
			t.Fatalf("reset %d: kind %v", i+1, k)
		}
	}
	err := reset()
	var e *interp.Error
	if !errors.As(err, &e) || e.Kind != interp.KindResetLoop || e.Message[:len("main.lua:1: board.reset() 5 times")] != "main.lua:1: board.reset() 5 times" {
		t.Fatalf("fifth reset: %#v", err)
	}
	if k := kindOf(t, reset()); k != interp.KindReset {
		t.Fatalf("after the guard: kind %v, want a reset again", k)
	}
}

// TestStopInterruptsLaterRuns: after Stop every run is interrupted at once.
func TestStopInterruptsLaterRuns(t *testing.T) {
	rt, _ := interptest.New(t, nil)
	rt.Stop()
	for range 2 {
		if k := kindOf(t, rt.Exec("main.lua", "while true do end")); k != interp.KindInterrupted {
			t.Fatalf("run after Stop: kind %v", k)
		}
	}
}
