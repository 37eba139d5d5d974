package haltest

import (
	"errors"
	"strconv"
	"strings"
	"testing"
	"time"

	"periph.io/x/conn/v3/gpio"
	"periph.io/x/conn/v3/physic"
	"periph.io/x/conn/v3/spi"

	"github.com/moonpin/moonpin/hal"
)

// Driver is implemented by boards whose inputs a test can drive, such as
// hal/sim's. Run checks pulls and edges through it when the board has it.
type Driver interface {
	// SetInput drives a pin from outside.
	SetInput(name string, level gpio.Level) error
	// Release stops driving it; its pull decides its level.
	Release(name string) error
}

// deadline bounds every wait for something that should happen.
const deadline = 5 * time.Second

// Run checks that b keeps the promises of hal.Board and hal.Pin. It drives
// the last pin as an output and the one before as an input, so on real
// hardware run it with nothing attached to those. It leaves b open.
func Run(t *testing.T, b hal.Board) {
	t.Helper()
	pins := b.Pins()
	if b.Name() == "" {
		t.Error("Name() is empty")
	}
	if len(pins) == 0 {
		t.Fatal("Pins() is empty")
	}
	out, in := pins[len(pins)-1], pins[max(len(pins)-2, 0)]
	drv, _ := b.(Driver)

	t.Run("Pins", func(t *testing.T) { testPins(t, b, pins) })
	t.Run("UnknownPin", func(t *testing.T) { testUnknownPin(t, b, pins) })
	t.Run("Output", func(t *testing.T) { testOutput(t, b, out, drv) })
	t.Run("SharedHandles", func(t *testing.T) { testSharedHandles(t, b, out) })
	t.Run("Input", func(t *testing.T) {
		if drv == nil {
			t.Skip("the board can't drive inputs")
		}
		testInput(t, b, in, drv)
	})
	t.Run("Watch", func(t *testing.T) { testWatch(t, b, in, drv) })
	t.Run("WaitForEdge", func(t *testing.T) { testWaitForEdge(t, b, in, drv) })
	t.Run("Close", func(t *testing.T) { testClose(t, b, out) })
	t.Run("I2C", func(t *testing.T) { testI2C(t, b) })
	t.Run("SPI", func(t *testing.T) { testSPI(t, b) })
}

// Open opens the pin name on b, failing t if it cannot, and closes it when
// the test ends.
func Open(t *testing.T, b hal.Board, name string) hal.Pin {
	t.Helper()
	p, err := b.Pin(name)
	if err != nil {
		t.Fatalf("Pin(%q): %v", name, err)
	}
	t.Cleanup(func() { p.Close() })
	return p
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// recv waits for an event or for events to close.
func recv(t *testing.T, events <-chan hal.Event) (hal.Event, bool) {
	t.Helper()
	select {
	case ev, ok := <-events:
		return ev, ok
	case <-time.After(deadline):
		t.Fatalf("no event and no close within %v", deadline)
		return hal.Event{}, false
	}
}

func checkNotFound(t *testing.T, err error, name, listed string) {
	t.Helper()
	var nf *hal.NotFoundError
	switch {
	case !errors.As(err, &nf):
		t.Errorf("opening %q: got %v, want a *hal.NotFoundError", name, err)
	case !strings.Contains(err.Error(), name) || !strings.Contains(err.Error(), listed):
		t.Errorf("opening %q: %q should name it and list %s", name, err, listed)
	}
}

// first returns the name a NotFoundError lists first.
func first(names []string) string {
	if len(names) == 0 {
		return "none"
	}
	return names[0]
}

func testPins(t *testing.T, b hal.Board, pins []string) {
	seen := map[string]bool{}
	for _, name := range pins {
		if seen[name] {
			t.Errorf("Pins() lists %s twice", name)
		}
		seen[name] = true
		p := Open(t, b, name)
		if p.Name() != name {
			t.Errorf("Pin(%q).Name() = %q", name, p.Name())
		}
		must(t, p.Close())
	}
	// A number is short for GPIO<number>.
	for _, name := range pins {
		num, ok := strings.CutPrefix(name, "GPIO")
		if n, err := strconv.Atoi(num); ok && err == nil && strconv.Itoa(n) == num {
			if p := Open(t, b, num); p.Name() != name {
				t.Errorf("Pin(%q).Name() = %q, want %s", num, p.Name(), name)
			}
			break
		}
	}
}

func testUnknownPin(t *testing.T, b hal.Board, pins []string) {
	for _, name := range []string{"NOPE99", "9999", "gpiochip99:0"} {
		_, err := b.Pin(name)
		checkNotFound(t, err, name, pins[0])
	}
}

func testOutput(t *testing.T, b hal.Board, name string, drv Driver) {
	p := Open(t, b, name)
	for _, level := range []gpio.Level{gpio.High, gpio.Low, gpio.High} {
		must(t, p.Out(level))
		for range 2 {
			if got := p.Read(); got != level {
				t.Fatalf("after Out(%s), Read() = %s", level, got)
			}
		}
	}
	if drv != nil {
		// Had Read made the output an input, it would now read what drives it.
		must(t, drv.SetInput(name, gpio.Low))
		defer drv.Release(name)
		if got := p.Read(); got != gpio.High {
			t.Errorf("an output at High driven Low from outside reads %s", got)
		}
	}
}

func testSharedHandles(t *testing.T, b hal.Board, name string) {
	p, q := Open(t, b, name), Open(t, b, name)
	must(t, p.Out(gpio.High))
	if got := q.Read(); got != gpio.High {
		t.Errorf("one handle wrote High, the other reads %s", got)
	}
	must(t, p.Close())
	must(t, q.Out(gpio.Low))
	if got := q.Read(); got != gpio.Low {
		t.Errorf("after closing the other handle, Out(Low) reads back %s", got)
	}
}

func testInput(t *testing.T, b hal.Board, name string, drv Driver) {
	p := Open(t, b, name)
	must(t, drv.Release(name))
	steps := []struct {
		do   func() error
		want gpio.Level
	}{
		{func() error { return p.In(gpio.PullUp, gpio.NoEdge) }, gpio.High},
		{func() error { return p.In(gpio.PullDown, gpio.NoEdge) }, gpio.Low},
		{func() error { return drv.SetInput(name, gpio.High) }, gpio.High},
		{func() error { return drv.SetInput(name, gpio.Low) }, gpio.Low},
		{func() error { return p.In(gpio.PullUp, gpio.NoEdge) }, gpio.Low}, // still driven
		{func() error { return drv.Release(name) }, gpio.High},
	}
	for i, s := range steps {
		must(t, s.do())
		if got := p.Read(); got != s.want {
			t.Errorf("step %d: Read() = %s, want %s", i, got, s.want)
		}
	}
	if got := p.Pull(); got != gpio.PullUp {
		t.Errorf("Pull() = %s after In(PullUp)", got)
	}
}

func testWatch(t *testing.T, b hal.Board, name string, drv Driver) {
	p := Open(t, b, name)
	must(t, p.In(gpio.PullDown, gpio.NoEdge))
	if _, _, err := p.Watch(gpio.NoEdge); err == nil {
		t.Error("Watch(NoEdge) succeeded")
	}
	events, stop, err := p.Watch(gpio.RisingEdge)
	must(t, err)
	if _, _, err := p.Watch(gpio.BothEdges); err == nil {
		t.Error("a second watch on a line succeeded")
	}
	if err := p.Out(gpio.High); err == nil {
		t.Error("Out on a watched pin succeeded")
	}
	if drv != nil {
		must(t, drv.SetInput(name, gpio.High))
		first, _ := recv(t, events)
		// A falling edge is not watched, so the next event is the rise after it.
		must(t, drv.SetInput(name, gpio.Low))
		must(t, drv.SetInput(name, gpio.High))
		second, _ := recv(t, events)
		must(t, drv.Release(name))
		if first.Level != gpio.High || second.Level != gpio.High {
			t.Errorf("rising edges gave levels %s and %s", first.Level, second.Level)
		}
		if first.Time.IsZero() || second.Time.Before(first.Time) {
			t.Errorf("edge times %v then %v", first.Time, second.Time)
		}
	}
	stop()
	if ev, ok := recv(t, events); ok {
		t.Errorf("after stop, got %+v instead of a closed channel", ev)
	}
	stop()
	must(t, p.Out(gpio.High))
	if _, _, err := p.Watch(gpio.RisingEdge); err == nil {
		t.Error("watching an output succeeded")
	}

	// Closing the pin stops its watch.
	must(t, p.In(gpio.PullDown, gpio.NoEdge))
	events, _, err = p.Watch(gpio.BothEdges)
	must(t, err)
	must(t, p.Close())
	if _, ok := recv(t, events); ok {
		t.Error("closing a watched pin left its events open")
	}
}

func testWaitForEdge(t *testing.T, b hal.Board, name string, drv Driver) {
	p := Open(t, b, name)
	must(t, p.In(gpio.PullDown, gpio.RisingEdge))
	if drv != nil {
		must(t, drv.SetInput(name, gpio.High))
		if !p.WaitForEdge(deadline) {
			t.Error("WaitForEdge missed an edge that came before it")
		}
		if p.WaitForEdge(0) {
			t.Error("WaitForEdge(0) reported an edge twice")
		}
		must(t, drv.Release(name))
	}

	// Halt interrupts WaitForEdge(-1). It can only interrupt a wait that has
	// begun, so repeat it until the wait ends.
	done := make(chan bool, 1)
	go func() { done <- p.WaitForEdge(-1) }()
	timeout := time.After(deadline)
	for {
		must(t, p.Halt())
		select {
		case got := <-done:
			if got {
				t.Error("WaitForEdge interrupted by Halt returned true")
			}
			return
		case <-time.After(10 * time.Millisecond):
		case <-timeout:
			t.Fatalf("Halt did not interrupt WaitForEdge(-1) within %v", deadline)
		}
	}
}

func testClose(t *testing.T, b hal.Board, name string) {
	p := Open(t, b, name)
	must(t, p.Out(gpio.High))
	must(t, p.Close())
	must(t, p.Close())
	_, _, watchErr := p.Watch(gpio.RisingEdge)
	for what, err := range map[string]error{
		"Out":   p.Out(gpio.Low),
		"In":    p.In(gpio.PullDown, gpio.NoEdge),
		"Watch": watchErr,
	} {
		if !errors.Is(err, hal.ErrClosed) {
			t.Errorf("%s after Close: got %v, want hal.ErrClosed", what, err)
		}
	}
	if p.Read() != gpio.Low || p.WaitForEdge(0) {
		t.Error("a closed pin reads High or reports edges")
	}
	Open(t, b, name)
}

func testI2C(t *testing.T, b hal.Board) {
	for _, name := range b.I2CBuses() {
		bus, err := b.OpenI2C(name)
		must(t, err)
		other, err := b.OpenI2C(name)
		must(t, err)
		must(t, other.Close())
		must(t, bus.Close())
		must(t, bus.Close())
		if err := bus.Tx(0x50, nil, make([]byte, 1)); !errors.Is(err, hal.ErrClosed) {
			t.Errorf("%s: Tx after Close: got %v, want hal.ErrClosed", name, err)
		}
	}
	_, err := b.OpenI2C("I2C99")
	checkNotFound(t, err, "I2C99", first(b.I2CBuses()))
}

func testSPI(t *testing.T, b hal.Board) {
	for _, name := range b.SPIPorts() {
		p, err := b.OpenSPI(name)
		must(t, err)
		c, err := p.Connect(physic.MegaHertz, spi.Mode0, 8)
		must(t, err)
		if _, err := p.Connect(physic.MegaHertz, spi.Mode0, 8); err == nil {
			t.Errorf("%s: a second Connect succeeded", name)
		}
		must(t, c.Tx(make([]byte, 3), make([]byte, 3)))
		must(t, p.Close())
		must(t, p.Close())
		if err := c.Tx(make([]byte, 3), make([]byte, 3)); !errors.Is(err, hal.ErrClosed) {
			t.Errorf("%s: Tx after Close: got %v, want hal.ErrClosed", name, err)
		}
	}
	_, err := b.OpenSPI("SPI9.9")
	checkNotFound(t, err, "SPI9.9", first(b.SPIPorts()))
}
