package sim

import (
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"periph.io/x/conn/v3/gpio"
	"periph.io/x/conn/v3/i2c"
	"periph.io/x/conn/v3/physic"
	"periph.io/x/conn/v3/spi"

	"github.com/moonpin/moonpin/hal"
)

// Board is a simulated board. It implements hal.Board; its other methods
// drive inputs and inspect outputs and devices. All are safe for concurrent
// use.
type Board struct {
	name  string
	now   func() time.Time
	lines []*line
	buses []*bus
	ports []*port
	wired map[string]Model // devices on GPIO pins, by their first pin's name

	mu     sync.Mutex
	open   map[io.Closer]struct{}
	closed bool
}

// Option configures a Board.
type Option func(*Board)

// WithClock makes the board stamp edges and output changes with now instead
// of time.Now.
func WithClock(now func() time.Time) Option {
	return func(b *Board) { b.now = now }
}

// New returns the default board, a Pi-like one described by default.json:
// GPIO0..GPIO27; I2C1 with a BME280 at 0x76, an AT24C32 at 0x50 and a
// register file at 0x20; SPI0.0 with an MCP3008 and SPI0.1 a loopback.
func New(opts ...Option) *Board {
	b, err := parse("default.json", defaultJSON, opts)
	if err != nil {
		panic(err) // default.json is embedded, and its test parses it
	}
	return b
}

func newBoard(name string, opts []Option) *Board {
	b := &Board{name: name, now: time.Now, open: map[io.Closer]struct{}{}}
	for _, o := range opts {
		o(b)
	}
	return b
}

// Name implements hal.Board.
func (b *Board) Name() string { return b.name }

// Pins implements hal.Board.
func (b *Board) Pins() []string {
	names := make([]string, len(b.lines))
	for i, l := range b.lines {
		names[i] = l.name
	}
	return names
}

// I2CBuses implements hal.Board.
func (b *Board) I2CBuses() []string {
	names := make([]string, len(b.buses))
	for i, x := range b.buses {
		names[i] = x.name
	}
	return names
}

// SPIPorts implements hal.Board.
func (b *Board) SPIPorts() []string {
	names := make([]string, len(b.ports))
	for i, p := range b.ports {
		names[i] = p.name
	}
	return names
}

// Pin implements hal.Board. Line N of chip gpiochip0 is the Nth pin.
func (b *Board) Pin(name string) (hal.Pin, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if err := b.usable(); err != nil {
		return nil, err
	}
	l, err := b.line(name)
	if err != nil {
		return nil, err
	}
	l.handles++
	p := &pin{b: b, l: l}
	b.open[p] = struct{}{}
	return p, nil
}

// OpenI2C implements hal.Board.
func (b *Board) OpenI2C(name string) (i2c.BusCloser, error) {
	x, err := b.bus(name)
	if err != nil {
		return nil, err
	}
	h := &busHandle{b: b, bus: x}
	if err := b.remember(h); err != nil {
		return nil, err
	}
	return h, nil
}

// OpenSPI implements hal.Board.
func (b *Board) OpenSPI(name string) (spi.PortCloser, error) {
	p, err := b.port(name)
	if err != nil {
		return nil, err
	}
	h := &portHandle{b: b, port: p}
	if err := b.remember(h); err != nil {
		return nil, err
	}
	return h, nil
}

// Close implements hal.Board.
func (b *Board) Close() error {
	b.mu.Lock()
	b.closed = true
	open := make([]io.Closer, 0, len(b.open))
	for c := range b.open {
		open = append(open, c)
	}
	b.mu.Unlock()
	for _, c := range open {
		c.Close()
	}
	return nil
}

// usable is called with b.mu held.
func (b *Board) usable() error {
	if b.closed {
		return fmt.Errorf("board %s: %w", b.name, hal.ErrClosed)
	}
	return nil
}

// remember registers a new bus or port handle, for Close, unless the board
// is closed.
func (b *Board) remember(c io.Closer) error {
	b.mu.Lock()
	defer b.mu.Unlock()
	if err := b.usable(); err != nil {
		return err
	}
	b.open[c] = struct{}{}
	return nil
}

// forget removes a closed handle; b.mu must be held.
func (b *Board) forget(c io.Closer) { delete(b.open, c) }

// SetInput drives a pin from outside, as a button or a sensor would. If the
// pin is an input and its level changes, that is an edge, stamped with the
// board's clock. An output ignores what drives it until it becomes an input.
func (b *Board) SetInput(name string, level gpio.Level) error {
	return b.drive(name, true, level)
}

// Release stops driving a pin from outside; its pull decides its level
// again (high with PullUp, low otherwise), which may be an edge.
func (b *Board) Release(name string) error {
	return b.drive(name, false, gpio.Low)
}

func (b *Board) drive(name string, driven bool, level gpio.Level) error {
	b.mu.Lock()
	defer b.mu.Unlock()
	l, err := b.line(name)
	if err != nil {
		return err
	}
	b.setDrive(l, driven, level)
	return nil
}

// driveLocked drives line l from a simulated device; b.mu is held.
func (b *Board) driveLocked(l *line, level gpio.Level) { b.setDrive(l, true, level) }

func (b *Board) setDrive(l *line, driven bool, level gpio.Level) {
	before := l.input()
	l.driven, l.drive = driven, level
	if after := l.input(); after != before && !l.output {
		l.edgeTo(after, b.now())
	}
}

// History returns the levels written to a pin while it was an output, oldest
// first, up to the last historyLimit. It returns nil for an unknown pin.
func (b *Board) History(name string) []Change {
	h, _ := b.HistoryOf(name)
	return h
}

// HistoryOf is History with the error for a pin the board does not have.
func (b *Board) HistoryOf(name string) ([]Change, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	l, err := b.line(name)
	if err != nil {
		return nil, err
	}
	return slices.Clone(l.history), nil
}

// PWM returns the duty and frequency a pin's PWM runs at; freq is 0 when the
// pin is not running PWM.
func (b *Board) PWM(name string) (duty gpio.Duty, freq physic.Frequency, err error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	l, err := b.line(name)
	if err != nil {
		return 0, 0, err
	}
	if l.freq == 0 {
		return 0, 0, nil
	}
	return l.duty, l.freq, nil
}

// pwmPins says which pins have PWM; b.mu need not be held.
func (b *Board) pwmPins() string {
	var names []string
	for _, l := range b.lines {
		if l.pwmCapable {
			names = append(names, l.name)
		}
	}
	if len(names) == 0 {
		return "no pin here has PWM"
	}
	return "PWM pins: " + strings.Join(names, ", ")
}

// I2CDevice returns the device at addr on a bus, to be type-asserted to
// *BME280, *AT24C32 or *Registers.
func (b *Board) I2CDevice(bus string, addr uint16) (I2CDevice, error) {
	x, err := b.bus(bus)
	if err != nil {
		return nil, err
	}
	return x.device(addr)
}

// SPIDevice returns the device on a port, to be type-asserted to *MCP3008 or
// *Loopback.
func (b *Board) SPIDevice(port string) (SPIDevice, error) {
	p, err := b.port(port)
	if err != nil {
		return nil, err
	}
	return p.dev, nil
}

// line resolves a pin name; b.mu must be held.
func (b *Board) line(name string) (*line, error) {
	find := func(name string) *line {
		for _, l := range b.lines {
			if l.name == name {
				return l
			}
		}
		return nil
	}
	if l := find(name); l != nil {
		return l, nil
	}
	if _, err := strconv.Atoi(name); err == nil {
		if l := find("GPIO" + name); l != nil {
			return l, nil
		}
	}
	if chip, n, ok := hal.ChipLine(name); ok && chip == "gpiochip0" && n < len(b.lines) {
		return b.lines[n], nil
	}
	return nil, &hal.NotFoundError{Kind: "pin", Name: name, Board: b.name, Have: b.Pins()}
}

func (b *Board) bus(name string) (*bus, error) {
	want := name
	if n, ok := strings.CutPrefix(name, "/dev/i2c-"); ok {
		want = "I2C" + n
	}
	for _, x := range b.buses {
		if x.name == want {
			return x, nil
		}
	}
	return nil, &hal.NotFoundError{Kind: "I2C bus", Name: name, Board: b.name, Have: b.I2CBuses()}
}

func (b *Board) port(name string) (*port, error) {
	want := name
	if n, ok := strings.CutPrefix(name, "/dev/spidev"); ok {
		want = "SPI" + n
	}
	for _, p := range b.ports {
		if p.name == want {
			return p, nil
		}
	}
	return nil, &hal.NotFoundError{Kind: "SPI port", Name: name, Board: b.name, Have: b.SPIPorts()}
}
