package main

import (
	"errors"
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"
	"sync"

	"github.com/moonpin/moonpin/hal"
	"github.com/moonpin/moonpin/hal/sim"
	"periph.io/x/conn/v3/gpio"
	"periph.io/x/conn/v3/physic"
)

// safeAction is what moonpin does, as it stops, to a pin the script left
// driving an output.
type safeAction string

const (
	safeLow   safeAction = "low"
	safeHigh  safeAction = "high"
	safeInput safeAction = "input" // stop driving it: high impedance
	safeKeep  safeAction = "keep"  // leave it as the script left it
)

// safeState is --safe-state: an action for every output, and others for
// some pins ("low,GPIO18=high": relays that switch off on high).
type safeState struct {
	all  safeAction
	pins map[string]safeAction // by the board's name for the line
}

func parseSafeAction(s string) (safeAction, bool) {
	a := safeAction(strings.ToLower(strings.TrimSpace(s)))
	return a, slices.Contains([]safeAction{safeLow, safeHigh, safeInput, safeKeep}, a)
}

// parseSafeState reads "ACTION" or "ACTION,PIN=ACTION,..."; ACTION is low,
// high, input or keep.
func parseSafeState(spec string) (safeState, error) {
	st := safeState{all: safeLow, pins: map[string]safeAction{}}
	if strings.TrimSpace(spec) == "" {
		return st, nil
	}
	for _, item := range strings.Split(spec, ",") {
		pin, action, perPin := strings.Cut(item, "=")
		if !perPin {
			action = pin
		}
		a, ok := parseSafeAction(action)
		if !ok {
			return st, fmt.Errorf("--safe-state %s: %q should be low, high, input or keep", spec, strings.TrimSpace(action))
		}
		if perPin {
			st.pins[strings.TrimSpace(pin)] = a
		} else {
			st.all = a
		}
	}
	return st, nil
}

// resolve puts the board's name for each pin named in place of the name
// given ("17" is "GPIO17" on a Pi), and drops the pins the board does not
// have, saying so.
func (st *safeState) resolve(board hal.Board) (notices []string) {
	named := st.pins
	st.pins = map[string]safeAction{}
	for _, name := range slices.Sorted(maps.Keys(named)) {
		p, err := board.Pin(name)
		if err != nil {
			notices = append(notices, fmt.Sprintf("--safe-state %s: %v; ignored", name, err))
			continue
		}
		st.pins[p.Name()] = named[name]
		p.Close()
	}
	return notices
}

func (st safeState) actionFor(pin string) safeAction {
	if a, ok := st.pins[pin]; ok {
		return a
	}
	return st.all
}

// outputGuard leaves the outputs the script drove in the safe state when
// the runtime closes, or when a stop signal finds Lua stuck and moonpin
// exits without it. On the simulated board it asks each line for its
// function, which is exact there; on other boards (periph's Function may
// reconfigure an output to read it) it wraps the board to follow the pins
// the script opens, and to fence them: once the safe state is set, the
// script's pins refuse to change, so a Lua goroutine still running cannot
// undo it before the process ends. The simulated board is not wrapped: its
// Lua module, sim, needs the board itself, and its outputs drive nothing.
type outputGuard struct {
	board   hal.Board // what the runtime is to use
	state   safeState
	log     io.Writer
	tracker *trackingBoard // nil on the simulated board
	once    sync.Once
}

func newOutputGuard(board hal.Board, state safeState, log io.Writer) *outputGuard {
	g := &outputGuard{board: board, state: state, log: log}
	if _, isSim := board.(*sim.Board); !isSim {
		g.tracker = &trackingBoard{Board: board, open: map[*trackedPin]struct{}{}}
		g.board = g.tracker
	}
	return g
}

// apply sets every pin still driven as an output to its safe state, once:
// after Lua has stopped and before the runtime closes the script's pins, or
// from the stopper while Lua is stuck. A second call waits for the first.
func (g *outputGuard) apply() {
	g.once.Do(func() {
		if g.tracker != nil {
			defer g.tracker.fence()()
		}
		g.setSafe("stopping")
	})
}

// atReset sets the outputs safe at a soft reset, after Lua has stopped and
// before the old state's pins are closed, without the fence: the next
// script drives them again. A line let go on a Pi keeps driving what it
// drove, so a relay the stopped script left on would have stayed on.
func (g *outputGuard) atReset() { g.setSafe("soft reset") }

// setSafe sets every output to its safe state; when (stopping, soft reset)
// begins each line of the log.
func (g *outputGuard) setSafe(when string) {
	outputs, release := g.outputs()
	defer release()
	for _, out := range outputs {
		name := out.Name()
		action := g.state.actionFor(name)
		if action == safeKeep {
			fmt.Fprintf(g.log, "moonpin: %s: %s left as it is (%s)\n", when, name, levelName(out.Read()))
			continue
		}
		var err error
		switch action {
		case safeLow:
			err = out.Out(gpio.Low)
		case safeHigh:
			err = out.Out(gpio.High)
		case safeInput:
			err = out.In(gpio.Float, gpio.NoEdge)
		}
		if err != nil {
			fmt.Fprintf(g.log, "moonpin: %s: %s: could not set it %s: %v\n", when, name, action, err)
			continue
		}
		fmt.Fprintf(g.log, "moonpin: %s: %s set %s\n", when, name, action)
	}
}

// outputs returns a handle on each line driven as an output, one per line,
// and a function that closes the handles it opened for the purpose.
func (g *outputGuard) outputs() (pins []hal.Pin, release func()) {
	if g.tracker != nil {
		// The lines underneath: the tracked handles are fenced now.
		var lines []hal.Pin
		for _, p := range g.tracker.outputs() {
			lines = append(lines, p.Pin)
		}
		return lines, func() {}
	}
	var opened []hal.Pin
	for _, name := range g.board.Pins() {
		p, err := g.board.Pin(name)
		if err != nil {
			continue
		}
		opened = append(opened, p)
		if strings.HasPrefix(p.Function(), "Out") {
			pins = append(pins, p)
		}
	}
	// The script's own handles keep their lines as they are when these
	// extra ones close.
	return pins, func() {
		for _, p := range opened {
			p.Close()
		}
	}
}

func levelName(l gpio.Level) string {
	if l {
		return "high"
	}
	return "low"
}

// trackingBoard is a board that knows which of the pins opened through it
// are outputs, and can fence them.
type trackingBoard struct {
	hal.Board
	mu   sync.Mutex
	open map[*trackedPin]struct{}
	seq  int

	// A pin change holds fenceMu for reading; fence takes it for writing,
	// so it waits for changes under way and makes the later ones fail.
	fenceMu sync.RWMutex
	fenced  bool
}

// errStopping is what a script's pin change gets once the outputs are set
// safe: moonpin is exiting.
var errStopping = errors.New("moonpin is stopping: outputs are in their safe state")

// fence makes every pin change through the board fail from now on, after
// waiting for those under way; the returned function lets go of the lock
// (the fence stays).
func (b *trackingBoard) fence() (unlock func()) {
	b.fenceMu.Lock()
	b.fenced = true
	return b.fenceMu.Unlock
}

// change makes a change to the pin's line unless the board is fenced;
// output says what the line is after it.
func (p *trackedPin) change(output bool, do func() error) error {
	p.b.fenceMu.RLock()
	defer p.b.fenceMu.RUnlock()
	if p.b.fenced {
		return fmt.Errorf("pin %s: %w", p.Name(), errStopping)
	}
	err := do()
	if err == nil {
		p.setOutput(output)
	}
	return err
}

type trackedPin struct {
	hal.Pin
	b      *trackingBoard
	order  int
	output bool // guarded by b.mu
}

func (b *trackingBoard) Pin(name string) (hal.Pin, error) {
	p, err := b.Board.Pin(name)
	if err != nil {
		return nil, err
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	b.seq++
	t := &trackedPin{Pin: p, b: b, order: b.seq}
	b.open[t] = struct{}{}
	return t, nil
}

// outputs returns one open handle for each line last made an output through
// it, oldest first.
func (b *trackingBoard) outputs() []*trackedPin {
	b.mu.Lock()
	var handles []*trackedPin
	for p := range b.open {
		if p.output {
			handles = append(handles, p)
		}
	}
	b.mu.Unlock()
	slices.SortFunc(handles, func(x, y *trackedPin) int { return x.order - y.order })
	seen := map[string]bool{}
	var pins []*trackedPin
	for _, p := range handles {
		if !seen[p.Name()] {
			seen[p.Name()] = true
			pins = append(pins, p)
		}
	}
	return pins
}

func (p *trackedPin) setOutput(output bool) {
	p.b.mu.Lock()
	defer p.b.mu.Unlock()
	// Every handle on the line sees the change: the line is one.
	for q := range p.b.open {
		if q.Name() == p.Name() {
			q.output = output
		}
	}
}

func (p *trackedPin) Out(l gpio.Level) error {
	return p.change(true, func() error { return p.Pin.Out(l) })
}

func (p *trackedPin) In(pull gpio.Pull, edge gpio.Edge) error {
	return p.change(false, func() error { return p.Pin.In(pull, edge) })
}

func (p *trackedPin) PWM(duty gpio.Duty, f physic.Frequency) error {
	return p.change(true, func() error { return p.Pin.PWM(duty, f) })
}

func (p *trackedPin) Close() error {
	p.b.mu.Lock()
	delete(p.b.open, p)
	p.b.mu.Unlock()
	return p.Pin.Close()
}
