// Package gpio is the Lua `gpio` module: pins by name, read and write, edge
// watches with debounce whose callbacks run on the event loop, and PWM where
// the board has it. Pins are closed by soft reset if the script does not.
package gpio

import (
	"errors"
	"fmt"
	"math"
	"time"

	"github.com/moonpin/moonpin/hal"
	"github.com/moonpin/moonpin/interp/host"
	lua "github.com/yuin/gopher-lua"
	"periph.io/x/conn/v3/gpio"
	"periph.io/x/conn/v3/physic"
)

const pinType = "gpio.pin"

// Lua's constants: modes, pulls and edges.
const (
	modeIn  = 0
	modeOut = 1
)

var pulls = map[int]gpio.Pull{0: gpio.Float, 1: gpio.PullUp, 2: gpio.PullDown}

var edges = map[int]gpio.Edge{1: gpio.RisingEdge, 2: gpio.FallingEdge, 3: gpio.BothEdges}

var constants = map[string]int{
	"IN": modeIn, "OUT": modeOut,
	"PULL_NONE": 0, "PULL_UP": 1, "PULL_DOWN": 2,
	"RISING": 1, "FALLING": 2, "BOTH": 3,
	"LOW": 0, "HIGH": 1,
}

var builtins = map[string]lua.LGFunction{
	"pin": open,
}

var methods = map[string]lua.LGFunction{
	"write":   write,
	"read":    read,
	"on":      func(L *lua.LState) int { return set(L, gpio.High) },
	"off":     func(L *lua.LState) int { return set(L, gpio.Low) },
	"toggle":  toggle,
	"watch":   watch,
	"unwatch": unwatch,
	"pwm":     pwm,
	"close":   closePin,
	"name":    func(L *lua.LState) int { L.Push(lua.LString(check(L).name)); return 1 },
}

// Loader pushes the module table.
func Loader(L *lua.LState) int {
	host.DefineType(L, pinType, methods, func(p *pin) string {
		mode := map[int]string{modeIn: "in", modeOut: "out"}[p.mode]
		if p.pin == nil {
			mode = "closed"
		}
		return fmt.Sprintf("pin(%s, %s)", p.name, mode)
	})
	mod := host.Module(L, "gpio", builtins)
	for name, v := range constants {
		mod.RawSetString(name, lua.LNumber(v))
	}
	L.Push(mod)
	return 1
}

type pin struct {
	pin   hal.Pin // nil once closed
	name  string
	mode  int
	watch *watchState
	host.Tracked
}

// Describe is what the REPL shows: "GPIO17 (out, 1)", "GPIO27 (in, 0, watched)".
func (p *pin) Describe() string {
	if p.pin == nil {
		return p.name + " (closed)"
	}
	mode := map[int]string{modeIn: "in", modeOut: "out"}[p.mode]
	watched := ""
	if p.watch != nil {
		watched = ", watched"
	}
	return fmt.Sprintf("%s (%s, %v%s)", p.name, mode, levelValue(p.pin.Read()), watched)
}

type watchState struct {
	stop    func()
	release func() // lets the loop go idle again
	h       *host.Host
}

// watchers are the watched pin handles of each runtime by pin name: a pin
// is watched through one handle at a time, and the newest wins, as a
// MicroPython Pin's irq() replaces the handler. Opening or watching a pin
// that another handle watches (a script's set-up run again in the REPL,
// the old handle lost) stops that watch, with a notice, rather than
// failing with "being watched" until a soft reset.
var watchers host.Newest[string, *pin]

// takeOver stops the watch of another handle on the pin named name in h's
// runtime, if one watches it (p itself has stopped its own).
func takeOver(h *host.Host, name string) {
	if old, ok := watchers.Take(h, name); ok {
		old.stopWatch()
		fmt.Fprintf(h.Out, "gpio: stopped the earlier watch on %s: a pin is watched through one handle at a time\n", name)
	}
}

// Close releases the pin; soft reset calls it for pins the script left open.
func (p *pin) Close() error {
	if p.pin == nil {
		return nil
	}
	p.stopWatch()
	err := p.pin.Close()
	p.pin = nil
	return err
}

func (p *pin) stopWatch() {
	if p.watch != nil {
		watchers.Drop(p.watch.h, p.name, p)
		p.watch.stop()
		p.watch.release()
		p.watch = nil
	}
}

func board(L *lua.LState) hal.Board {
	b := host.Of(L).Board
	if b == nil {
		L.RaiseError("gpio: no board (start moonpin with --board sim to simulate one)")
	}
	return b
}

// open implements gpio.pin(name, mode, pull).
func open(L *lua.LState) int {
	name := L.CheckString(1)
	mode := host.OptChoice(L, 2, modeIn)
	if mode != modeIn && mode != modeOut {
		L.ArgError(2, "expected gpio.IN or gpio.OUT")
	}
	pull, ok := pulls[host.OptChoice(L, 3, 0)]
	if !ok {
		L.ArgError(3, "expected gpio.PULL_UP, gpio.PULL_DOWN or gpio.PULL_NONE")
	}
	if mode == modeOut && L.GetTop() >= 3 && pull != gpio.Float {
		L.ArgError(3, "a pull applies to inputs only")
	}
	h := host.Of(L)
	hp, err := board(L).Pin(name)
	if err != nil {
		L.RaiseError("gpio: %s", err)
	}
	takeOver(h, hp.Name())
	if mode == modeOut {
		err = hp.Out(gpio.Low)
	} else {
		err = hp.In(pull, gpio.NoEdge)
	}
	if err != nil {
		hp.Close()
		L.RaiseError("gpio: %s: %s", name, err)
	}
	p := &pin{pin: hp, name: hp.Name(), mode: mode}
	p.Track(h, p)
	L.Push(host.NewHandle(L, pinType, p))
	return 1
}

// check returns the open pin that is argument 1.
func check(L *lua.LState) *pin {
	p, ok := L.CheckUserData(1).Value.(*pin)
	if !ok {
		L.ArgError(1, "gpio pin expected")
	}
	if p.pin == nil {
		L.RaiseError("gpio: pin %s is closed", p.name)
	}
	return p
}

func output(L *lua.LState) *pin {
	p := check(L)
	if p.mode != modeOut {
		L.RaiseError("gpio: pin %s is an input; open it with gpio.pin(%q, gpio.OUT) to write", p.name, p.name)
	}
	return p
}

// level reads a Lua value as a level: 0/1, true/false.
func level(L *lua.LState, n int) gpio.Level {
	switch v := L.Get(n).(type) {
	case lua.LBool:
		return gpio.Level(v)
	case lua.LNumber:
		if v == 0 || v == 1 {
			return v == 1
		}
	}
	L.ArgError(n, fmt.Sprintf("expected 0, 1, true or false, got %s", L.Get(n).String()))
	return gpio.Low
}

func write(L *lua.LState) int { return set(L, level(L, 2)) }

func set(L *lua.LState, l gpio.Level) int {
	p := output(L)
	if err := p.pin.Out(l); err != nil {
		L.RaiseError("gpio: %s: %s", p.name, err)
	}
	return 0
}

func read(L *lua.LState) int {
	p := check(L)
	L.Push(levelValue(p.pin.Read()))
	return 1
}

func levelValue(l gpio.Level) lua.LNumber {
	if l {
		return 1
	}
	return 0
}

func toggle(L *lua.LState) int {
	p := output(L)
	if err := p.pin.Out(!p.pin.Read()); err != nil {
		L.RaiseError("gpio: %s: %s", p.name, err)
	}
	return 0
}

// watch(edge, fn(level, timestamp_us), {debounce_ms = N}) calls fn on the
// event loop for each edge. Debouncing drops edges that come sooner than
// debounce_ms after the last one passed on. A callback that errors is
// reported and the watch stopped.
func watch(L *lua.LState) int {
	p := check(L)
	L.CheckNumber(2)
	edge, ok := edges[host.OptChoice(L, 2, -1)]
	if !ok {
		L.ArgError(2, "expected gpio.RISING, gpio.FALLING or gpio.BOTH")
	}
	fn := L.CheckFunction(3)
	var debounce time.Duration
	if opts := L.OptTable(4, nil); opts != nil {
		host.CheckOptions(L, opts, 4, "debounce_ms")
		ms, ok := opts.RawGetString("debounce_ms").(lua.LNumber)
		if v := opts.RawGetString("debounce_ms"); v != lua.LNil && (!ok || ms < 0 || math.IsNaN(float64(ms))) {
			L.ArgError(4, "debounce_ms must be a non-negative number")
		}
		debounce = host.Duration(float64(ms), time.Millisecond)
	}
	if p.mode != modeIn {
		L.RaiseError("gpio: pin %s is an output; watch needs an input", p.name)
	}
	p.stopWatch()
	h := host.Of(L)
	takeOver(h, p.name)
	events, stop, err := p.pin.Watch(edge)
	if err != nil {
		L.RaiseError("gpio: %s: %s", p.name, err)
	}
	ws := &watchState{stop: stop, release: h.Loop.Hold(), h: h}
	p.watch = ws
	watchers.Swap(h, p.name, p)
	var last time.Time
	deliver := func(ev hal.Event) {
		if p.watch != ws {
			return // unwatched or rewatched since the edge came
		}
		if ev.Err != nil {
			// The line's driver failed: the watch is over.
			p.stopWatch()
			h.Fail(fmt.Errorf("gpio: the watch on %s stopped: the driver failed: %w", p.name, ev.Err))
			return
		}
		if debounce > 0 && !last.IsZero() && ev.Time.Sub(last) < debounce {
			return
		}
		last = ev.Time
		us := lua.LNumber(ev.Time.Sub(h.Start) / time.Microsecond)
		if err := h.Callback(fn, levelValue(ev.Level), us); err != nil && p.watch == ws {
			p.stopWatch()
		}
	}
	go func() {
		for ev := range events {
			if h.Loop.Post(func() { deliver(ev) }) != nil {
				return
			}
		}
	}()
	return 0
}

func unwatch(L *lua.LState) int {
	check(L).stopWatch()
	return 0
}

// pwm(freq_hz, duty) drives the pin with PWM, duty from 0 to 1.
func pwm(L *lua.LState) int {
	p := output(L)
	hz := float64(L.CheckNumber(2))
	duty := float64(L.CheckNumber(3))
	if !(hz > 0) {
		L.ArgError(2, "expected a frequency in Hz above 0")
	}
	if !(duty >= 0 && duty <= 1) {
		L.ArgError(3, "expected a duty cycle from 0 to 1")
	}
	d := gpio.Duty(math.Round(duty * float64(gpio.DutyMax)))
	// physic.Frequency counts µHz in an int64: clamp to it, so that the
	// board refuses 2^63 Hz rather than a wrapped negative, and 1e-300 Hz
	// rather than 0 (a division by zero in periph's bcm283x driver).
	f := physic.Frequency(math.MaxInt64)
	if µhz := hz * float64(physic.Hertz); µhz < math.MaxInt64 {
		f = max(physic.Frequency(math.Round(µhz)), 1)
	}
	if err := p.pin.PWM(d, f); err != nil {
		var fe *hal.FrequencyError
		switch {
		case errors.Is(err, hal.ErrClosed):
			L.RaiseError("gpio: pin %s is closed", p.name)
		case errors.As(err, &fe) && f > fe.Max:
			host.ArgError(L, 2, "frequency %s Hz is too high; the most is %s", host.Number(hz), hal.Hertz(fe.Max))
		case errors.As(err, &fe) && f < fe.Min:
			host.ArgError(L, 2, "frequency %s Hz is too low; the least is %s", host.Number(hz), hal.Hertz(fe.Min))
		}
		L.RaiseError("gpio: %s: PWM: %s", p.name, err)
	}
	return 0
}

func closePin(L *lua.LState) int {
	p, ok := L.CheckUserData(1).Value.(*pin)
	if !ok {
		L.ArgError(1, "gpio pin expected")
	}
	if p.pin != nil {
		p.Untrack()
		if err := p.Close(); err != nil {
			L.RaiseError("gpio: closing %s: %s", p.name, err)
		}
	}
	return 0
}
