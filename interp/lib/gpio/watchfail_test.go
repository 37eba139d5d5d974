package gpio_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"periph.io/x/conn/v3/gpio"

	"github.com/moonpin/moonpin/hal"
	"github.com/moonpin/moonpin/hal/sim"
	"github.com/moonpin/moonpin/interp"
	"github.com/moonpin/moonpin/interp/interptest"
)

// failingWatchBoard is the simulated board but for its pins' watches,
// which fail at once, as a line whose driver panicked does.
type failingWatchBoard struct{ *sim.Board }

type failingWatchPin struct{ hal.Pin }

func (b failingWatchBoard) Pin(name string) (hal.Pin, error) {
	p, err := b.Board.Pin(name)
	if err != nil {
		return nil, err
	}
	return failingWatchPin{p}, nil
}

func (p failingWatchPin) Watch(gpio.Edge) (<-chan hal.Event, func(), error) {
	events := make(chan hal.Event, 1)
	events <- hal.Event{Err: &hal.PanicError{Value: errors.New("runtime error: index out of range")}}
	close(events)
	return events, func() {}, nil
}

// A watch that fails ends: the script's run ends (the watch no longer
// holds the loop), the failure is reported as a callback's error is, and
// the pin is no longer watched.
func TestWatchFails(t *testing.T) {
	board := failingWatchBoard{sim.New()}
	defer board.Close()
	errOut := &interptest.Buffer{}
	rt, _ := interptest.New(t, &interp.Options{Board: board, Err: errOut})
	err := rt.RunScript("watch.lua", `
		local b = gpio.pin("GPIO27", gpio.IN)
		b:watch(gpio.BOTH, function() end)
	`, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	// A guard, not a wait for output: without the fix the failed watch
	// holds the loop for ever.
	stop := make(chan struct{})
	guard := time.AfterFunc(10*time.Second, func() { close(stop) })
	if err := rt.WaitIdle(stop); err != nil {
		t.Fatal(err)
	}
	if !guard.Stop() {
		t.Fatal("the failed watch still holds the loop")
	}
	want := "error in callback: gpio: the watch on GPIO27 stopped: the driver failed: runtime error: index out of range"
	if got := errOut.String(); !strings.Contains(got, want) {
		t.Errorf("stderr %q, want %q", got, want)
	}
	if !rt.CallbackFailed() {
		t.Error("CallbackFailed() is false")
	}
}
