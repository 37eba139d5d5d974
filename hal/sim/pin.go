package sim

import (
	"fmt"
	"time"

	"periph.io/x/conn/v3/gpio"
	"periph.io/x/conn/v3/physic"

	"github.com/moonpin/moonpin/hal"
)

// historyLimit bounds each pin's history, so a script blinking an LED for
// days on the simulated board does not grow without bound.
const historyLimit = 4096

// Change is a level written to an output pin, and when.
type Change struct {
	Level gpio.Level
	Time  time.Time
}

// line is the state of one pin, shared by its open handles. Its fields are
// guarded by Board.mu.
type line struct {
	name string
	num  int

	handles int
	output  bool
	out     gpio.Level
	pull    gpio.Pull
	edge    gpio.Edge
	driven  bool // something outside drives the input to drive
	drive   gpio.Level
	pending bool          // an edge arrived since WaitForEdge last returned it
	wake    chan struct{} // closed and replaced to wake WaitForEdge callers
	watch   *watch
	history []Change

	// onOut, if set, is a device on the line that follows its output
	// level (called with Board.mu held, on each change).
	onOut func(gpio.Level)

	pwmCapable bool
	duty       gpio.Duty        // while freq > 0
	freq       physic.Frequency // 0: not running PWM
}

type watch struct {
	owner  *pin
	events chan hal.Event
}

func newLine(name string, num int) *line {
	return &line{name: name, num: num, pull: gpio.Float, wake: make(chan struct{})}
}

// input is the level an input reads: its driver's, or else its pull's.
func (l *line) input() gpio.Level {
	if l.driven {
		return l.drive
	}
	return l.pull == gpio.PullUp
}

func (l *line) level() gpio.Level {
	if l.output {
		return l.out
	}
	return l.input()
}

func (l *line) notify() {
	close(l.wake)
	l.wake = make(chan struct{})
}

// edgeTo records an input's change to level if edge detection wants it.
func (l *line) edgeTo(level gpio.Level, t time.Time) {
	kind := gpio.FallingEdge
	if level {
		kind = gpio.RisingEdge
	}
	if l.edge&kind == 0 {
		return
	}
	l.pending = true
	l.notify()
	if l.watch != nil {
		select {
		case l.watch.events <- hal.Event{Level: level, Time: t}:
		default: // the watcher is behind; drop the edge as hal.Pin documents
		}
	}
}

func (l *line) stopWatch(w *watch) {
	if l.watch == w {
		l.watch, l.edge = nil, gpio.NoEdge
		close(w.events)
	}
}

// pin is a handle on a line; it implements hal.Pin.
type pin struct {
	b      *Board
	l      *line
	closed bool // guarded by b.mu
}

func (p *pin) String() string         { return p.l.name }
func (p *pin) Name() string           { return p.l.name }
func (p *pin) Number() int            { return p.l.num }
func (p *pin) DefaultPull() gpio.Pull { return gpio.Float }

func (p *pin) Pull() gpio.Pull {
	p.b.mu.Lock()
	defer p.b.mu.Unlock()
	return p.l.pull
}

// Halt interrupts WaitForEdge calls waiting on the line.
func (p *pin) Halt() error {
	p.b.mu.Lock()
	defer p.b.mu.Unlock()
	p.l.notify()
	return nil
}

// Function returns the direction and level, "In/High" or "Out/Low".
func (p *pin) Function() string {
	p.b.mu.Lock()
	defer p.b.mu.Unlock()
	dir := "In/"
	if p.l.output {
		dir = "Out/"
	}
	return dir + p.l.level().String()
}

// configurable reports why p can't be reconfigured; b.mu must be held.
func (p *pin) configurable() error {
	if p.closed {
		return fmt.Errorf("pin %s: %w", p.l.name, hal.ErrClosed)
	}
	if p.l.watch != nil {
		return fmt.Errorf("pin %s is being watched; stop the watch first", p.l.name)
	}
	return nil
}

func (p *pin) In(pull gpio.Pull, edge gpio.Edge) error {
	p.b.mu.Lock()
	defer p.b.mu.Unlock()
	if err := p.configurable(); err != nil {
		return err
	}
	l := p.l
	if pull != gpio.PullNoChange {
		l.pull = pull
	}
	l.output, l.edge, l.pending = false, edge, false
	l.freq = 0
	l.notify() // gpio.PinIn: In makes a waiting WaitForEdge return false
	return nil
}

func (p *pin) Out(level gpio.Level) error {
	p.b.mu.Lock()
	defer p.b.mu.Unlock()
	if err := p.configurable(); err != nil {
		return err
	}
	l := p.l
	changed := !l.output || l.out != level
	if changed {
		l.history = append(l.history, Change{Level: level, Time: p.b.now()})
		if len(l.history) > historyLimit {
			l.history = l.history[1:]
		}
	}
	l.output, l.out, l.edge, l.pending = true, level, gpio.NoEdge, false
	l.freq = 0
	if changed && l.onOut != nil {
		l.onOut(level)
	}
	return nil
}

// The range of a Raspberry Pi's PWM (hal.FrequencyError), which the
// simulated board keeps so that a script that runs here runs there.
const (
	minPWM = (25*physic.MegaHertz + 1<<32 - 1) / (1 << 32)
	maxPWM = 25 * physic.MegaHertz / 2
)

// PWM runs PWM on a pin the board file lists under "pwm" (on the default
// board GPIO12, GPIO13, GPIO18 and GPIO19, the Raspberry Pi's hardware PWM
// pins). The pin is an output and reads High while the duty is at least
// half; Board.PWM tells the duty and frequency. Out or In stops it.
func (p *pin) PWM(duty gpio.Duty, freq physic.Frequency) error {
	p.b.mu.Lock()
	defer p.b.mu.Unlock()
	if err := p.configurable(); err != nil {
		return err
	}
	l := p.l
	switch {
	case !l.pwmCapable:
		return fmt.Errorf("pin %s has no PWM on %s; %s", l.name, p.b.name, p.b.pwmPins())
	case freq < minPWM || freq > maxPWM:
		return &hal.FrequencyError{Pin: l.name, Freq: freq, Min: minPWM, Max: maxPWM}
	case duty < 0 || duty > gpio.DutyMax:
		return fmt.Errorf("pin %s: duty %s is out of range", l.name, duty)
	}
	l.output, l.out, l.edge, l.pending = true, duty >= gpio.DutyHalf, gpio.NoEdge, false
	l.duty, l.freq = duty, freq
	return nil
}

func (p *pin) Read() gpio.Level {
	p.b.mu.Lock()
	defer p.b.mu.Unlock()
	if p.closed {
		return gpio.Low
	}
	return p.l.level()
}

func (p *pin) WaitForEdge(timeout time.Duration) bool {
	p.b.mu.Lock()
	if p.closed {
		p.b.mu.Unlock()
		return false
	}
	if p.l.pending {
		p.l.pending = false
		p.b.mu.Unlock()
		return true
	}
	wake := p.l.wake
	p.b.mu.Unlock()

	var expired <-chan time.Time
	if timeout >= 0 {
		t := time.NewTimer(timeout)
		defer t.Stop()
		expired = t.C
	}
	select {
	case <-wake:
	case <-expired:
		return false
	}
	p.b.mu.Lock()
	defer p.b.mu.Unlock()
	got := p.l.pending && !p.closed
	if got {
		p.l.pending = false
	}
	return got
}

func (p *pin) Watch(edge gpio.Edge) (<-chan hal.Event, func(), error) {
	p.b.mu.Lock()
	defer p.b.mu.Unlock()
	if err := p.configurable(); err != nil {
		return nil, nil, err
	}
	switch {
	case p.l.output:
		return nil, nil, fmt.Errorf("pin %s is an output; make it an input before watching it", p.l.name)
	case edge < gpio.RisingEdge || edge > gpio.BothEdges:
		return nil, nil, fmt.Errorf("pin %s: watch a RisingEdge, FallingEdge or BothEdges, not %s", p.l.name, edge)
	}
	w := &watch{owner: p, events: make(chan hal.Event, hal.WatchBuffer)}
	p.l.watch, p.l.edge, p.l.pending = w, edge, false
	stop := func() {
		p.b.mu.Lock()
		defer p.b.mu.Unlock()
		p.l.stopWatch(w)
	}
	return w.events, stop, nil
}

func (p *pin) Close() error {
	p.b.mu.Lock()
	defer p.b.mu.Unlock()
	if p.closed {
		return nil
	}
	p.closed = true
	p.b.forget(p)
	l := p.l
	if l.watch != nil && l.watch.owner == p {
		l.stopWatch(l.watch)
	}
	if l.handles--; l.handles == 0 {
		// Released lines go back to how the board started them.
		l.output, l.pull, l.edge, l.pending = false, gpio.Float, gpio.NoEdge, false
		l.freq = 0
	}
	l.notify() // a WaitForEdge on this handle returns false
	return nil
}
