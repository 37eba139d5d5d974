package periph

import (
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
	"sync"
	"syscall"
	"time"

	"periph.io/x/conn/v3/gpio"
	"periph.io/x/conn/v3/i2c"
	"periph.io/x/conn/v3/i2c/i2creg"
	"periph.io/x/conn/v3/physic"
	"periph.io/x/conn/v3/spi"
	"periph.io/x/conn/v3/spi/spireg"

	"github.com/moonpin/moonpin/hal"
)

// board adapts periph's registries to hal.Board. It depends on the host only
// through lookup and the refs, so tests can build one over hal/sim.
type board struct {
	name     string
	pinNames []string
	lookup   func(name string) gpio.PinIO // nil if there is no such pin
	i2c      []*i2creg.Ref
	spi      []*spireg.Ref
	// Hints for NotFoundErrors, set when something is missing for a reason.
	pinHint, i2cHint, spiHint string

	mu     sync.Mutex
	lines  map[gpio.PinIO]*line
	open   map[io.Closer]struct{}
	closed bool
}

func newBoard(name string, pins []string, lookup func(string) gpio.PinIO, i2cRefs []*i2creg.Ref, spiRefs []*spireg.Ref) *board {
	return &board{
		name: name, pinNames: pins, lookup: lookup, i2c: i2cRefs, spi: spiRefs,
		lines: map[gpio.PinIO]*line{}, open: map[io.Closer]struct{}{},
	}
}

func (b *board) Name() string   { return b.name }
func (b *board) Pins() []string { return b.pinNames }

func (b *board) I2CBuses() []string {
	names := make([]string, len(b.i2c))
	for i, r := range b.i2c {
		names[i] = refName(r.Name, r.Aliases)
	}
	return names
}

func (b *board) SPIPorts() []string {
	names := make([]string, len(b.spi))
	for i, r := range b.spi {
		names[i] = refName(r.Name, r.Aliases)
	}
	return names
}

// refName prefers a bus's short alias ("I2C1") to its device ("/dev/i2c-1").
func refName(name string, aliases []string) string {
	if len(aliases) > 0 {
		return aliases[0]
	}
	return name
}

func (b *board) Pin(name string) (hal.Pin, error) {
	gp := b.lookup(name)
	if gp == nil {
		return nil, &hal.NotFoundError{Kind: "pin", Name: name, Board: b.name, Have: b.pinNames, Hint: b.pinHint}
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	if err := b.usable(); err != nil {
		return nil, err
	}
	l := b.lines[gp]
	if l == nil {
		l = &line{io: gp}
		b.lines[gp] = l
	}
	l.handles++
	p := &pin{PinIO: gp, b: b, l: l, name: gp.Name()}
	if p.name == "" {
		p.name = name
	}
	b.open[p] = struct{}{}
	return p, nil
}

func (b *board) OpenI2C(name string) (i2c.BusCloser, error) {
	for _, r := range b.i2c {
		if name != r.Name && !slices.Contains(r.Aliases, name) {
			continue
		}
		if err := checkAccess(r.Name, os.O_RDWR, "i2c"); err != nil {
			return nil, err
		}
		inner, err := r.Open()
		if err != nil {
			return nil, explain(err, "i2c")
		}
		x := &bus{BusCloser: inner, b: b, name: refName(r.Name, r.Aliases)}
		if err := b.track(x); err != nil {
			return nil, err
		}
		return x, nil
	}
	return nil, &hal.NotFoundError{Kind: "I2C bus", Name: name, Board: b.name, Have: b.I2CBuses(), Hint: b.i2cHint}
}

func (b *board) OpenSPI(name string) (spi.PortCloser, error) {
	for _, r := range b.spi {
		if name != r.Name && !slices.Contains(r.Aliases, name) {
			continue
		}
		if err := checkAccess(r.Name, os.O_RDWR, "spi"); err != nil {
			return nil, err
		}
		inner, err := r.Open()
		if err != nil {
			return nil, explain(err, "spi")
		}
		p := &port{PortCloser: inner, b: b, name: refName(r.Name, r.Aliases)}
		if err := b.track(p); err != nil {
			return nil, err
		}
		return p, nil
	}
	return nil, &hal.NotFoundError{Kind: "SPI port", Name: name, Board: b.name, Have: b.SPIPorts(), Hint: b.spiHint}
}

// track records an open bus or port, or closes it if the board is closed.
func (b *board) track(c io.Closer) error {
	b.mu.Lock()
	err := b.usable()
	if err == nil {
		b.open[c] = struct{}{}
	}
	b.mu.Unlock()
	if err != nil {
		c.Close()
	}
	return err
}

func (b *board) Close() error {
	b.mu.Lock()
	b.closed = true
	open := make([]io.Closer, 0, len(b.open))
	for c := range b.open {
		open = append(open, c)
	}
	b.mu.Unlock()
	var errs []error
	for _, c := range open {
		errs = append(errs, c.Close())
	}
	return errors.Join(errs...)
}

// usable is called with b.mu held.
func (b *board) usable() error {
	if b.closed {
		return fmt.Errorf("board %s: %w", b.name, hal.ErrClosed)
	}
	return nil
}

// checkAccess opens a device as its driver will, to explain a permission
// error; other errors are left for the driver to report.
func checkAccess(path string, flag int, group string) error {
	if !strings.HasPrefix(path, "/dev/") {
		return nil
	}
	f, err := os.OpenFile(path, flag, 0)
	if err != nil {
		if e := explain(err, group); e != err {
			return e
		}
		return nil
	}
	return f.Close()
}

// explain adds how to fix the usual failures to err from a device of the
// given group.
func explain(err error, group string) error {
	switch {
	case hasErrno(err, syscall.EACCES) || hasErrno(err, syscall.EPERM):
		return fmt.Errorf("%w; is the user in group %s?", err, group)
	case hasErrno(err, syscall.EBUSY):
		return fmt.Errorf("%w; is another program using it? (gpioinfo lists who holds GPIO lines)", err)
	}
	return err
}

// hasErrno reports whether err is errno, or says so at its end: periph's
// drivers often format errors with %v or errors.New, dropping the errno.
func hasErrno(err error, errno syscall.Errno) bool {
	return errors.Is(err, errno) || strings.HasSuffix(err.Error(), errno.Error())
}

// line is the state of one GPIO line, shared by its handles; guarded by
// board.mu.
type line struct {
	io       gpio.PinIO
	handles  int
	output   bool
	level    gpio.Level // written while output, since reading may reconfigure
	watching bool
}

// watchPoll bounds how long stopping a watch takes when Halt comes just
// before the watcher starts waiting, and so is lost.
const watchPoll = 100 * time.Millisecond

// pin is a handle on a line; it implements hal.Pin. The embedded PinIO
// serves the methods that need no more than periph gives.
type pin struct {
	gpio.PinIO
	b      *board
	l      *line
	name   string // the line's, or the "gpiochip0:8" it was opened by if it has none
	closed bool   // guarded by b.mu
	stop   func() // this handle's watch; guarded by b.mu
}

func (p *pin) Name() string   { return p.name }
func (p *pin) String() string { return p.name }

// configurable reports why p can't be reconfigured; b.mu must be held.
func (p *pin) configurable() error {
	if p.closed {
		return fmt.Errorf("pin %s: %w", p.Name(), hal.ErrClosed)
	}
	if p.l.watching {
		return fmt.Errorf("pin %s is being watched; stop the watch first", p.Name())
	}
	return nil
}

func (p *pin) fail(op string, err error) error {
	return explain(fmt.Errorf("pin %s: %s: %w", p.Name(), op, err), "gpio")
}

func (p *pin) In(pull gpio.Pull, edge gpio.Edge) error {
	p.b.mu.Lock()
	defer p.b.mu.Unlock()
	if err := p.configurable(); err != nil {
		return err
	}
	if err := p.l.io.In(pull, edge); err != nil {
		return p.fail("In", err)
	}
	p.l.output = false
	return nil
}

func (p *pin) Out(level gpio.Level) error {
	p.b.mu.Lock()
	defer p.b.mu.Unlock()
	if err := p.configurable(); err != nil {
		return err
	}
	if err := p.l.io.Out(level); err != nil {
		return p.fail("Out", err)
	}
	p.l.output, p.l.level = true, level
	return nil
}

func (p *pin) PWM(duty gpio.Duty, f physic.Frequency) error {
	p.b.mu.Lock()
	defer p.b.mu.Unlock()
	if err := p.configurable(); err != nil {
		return err
	}
	if err := p.l.io.PWM(duty, f); err != nil {
		return p.fail("PWM", err)
	}
	p.l.output = false // no single level to remember: Read asks the driver
	return nil
}

func (p *pin) Read() gpio.Level {
	p.b.mu.Lock()
	closed, output, level := p.closed, p.l.output, p.l.level
	p.b.mu.Unlock()
	switch {
	case closed:
		return gpio.Low
	case output:
		return level // gpioioctl would reconfigure an output as an input to read it
	}
	return p.l.io.Read()
}

// Function describes the line without asking the driver about an output:
// gpioioctl's Function reads the line, which turns an output into an input.
func (p *pin) Function() string {
	p.b.mu.Lock()
	closed, output, level := p.closed, p.l.output, p.l.level
	p.b.mu.Unlock()
	switch {
	case closed:
		return "closed"
	case output:
		return "Out/" + level.String()
	}
	return p.l.io.Function()
}

func (p *pin) WaitForEdge(timeout time.Duration) bool {
	p.b.mu.Lock()
	closed := p.closed
	p.b.mu.Unlock()
	return !closed && waitForEdge(p.l.io, timeout)
}

func (p *pin) Watch(edge gpio.Edge) (<-chan hal.Event, func(), error) {
	p.b.mu.Lock()
	defer p.b.mu.Unlock()
	if err := p.configurable(); err != nil {
		return nil, nil, err
	}
	switch {
	case p.l.output:
		return nil, nil, fmt.Errorf("pin %s is an output; make it an input before watching it", p.Name())
	case edge < gpio.RisingEdge || edge > gpio.BothEdges:
		return nil, nil, fmt.Errorf("pin %s: watch a RisingEdge, FallingEdge or BothEdges, not %s", p.Name(), edge)
	}
	if err := p.l.io.In(p.l.io.Pull(), edge); err != nil {
		return nil, nil, p.fail("Watch", err)
	}
	events := make(chan hal.Event, hal.WatchBuffer)
	quit, done := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(done)
		defer close(events)
		// The loop runs the line's driver: a panic in it ends the watch
		// with an event that carries it, not the process.
		err := hal.Protect(func() error {
			for {
				select {
				case <-quit:
					return nil
				default:
				}
				if !waitForEdge(p.l.io, watchPoll) {
					continue
				}
				select {
				case events <- hal.Event{Level: p.l.io.Read(), Time: time.Now()}:
				default: // the watcher is behind; drop the edge as hal.Pin documents
				}
			}
		})
		if err != nil {
			select {
			case events <- hal.Event{Time: time.Now(), Err: err}:
			case <-quit:
			}
		}
	}()
	p.l.watching = true
	p.stop = sync.OnceFunc(func() {
		close(quit)
		p.l.io.Halt()
		<-done
		p.b.mu.Lock()
		defer p.b.mu.Unlock()
		p.l.watching, p.stop = false, nil
	})
	return events, p.stop, nil
}

func (p *pin) Close() error {
	p.b.mu.Lock()
	if p.closed {
		p.b.mu.Unlock()
		return nil
	}
	p.closed = true
	delete(p.b.open, p)
	stop := p.stop
	p.b.mu.Unlock()
	if stop != nil {
		stop()
	}
	p.b.mu.Lock()
	defer p.b.mu.Unlock()
	if p.l.handles--; p.l.handles == 0 {
		delete(p.b.lines, p.l.io)
		release(p.l.io)
	}
	return nil
}

// bus wraps an I2C bus to report NACKs as hal.ErrNoDevice and to make Close
// idempotent.
type bus struct {
	i2c.BusCloser
	b      *board
	name   string
	closed bool // guarded by b.mu
}

func (x *bus) String() string { return x.name }

func (x *bus) Tx(addr uint16, w, r []byte) error {
	x.b.mu.Lock()
	closed := x.closed
	x.b.mu.Unlock()
	if closed {
		return fmt.Errorf("%s: %w", x.name, hal.ErrClosed)
	}
	err := x.BusCloser.Tx(addr, w, r)
	if err != nil && !errors.Is(err, hal.ErrNoDevice) && (hasErrno(err, syscall.EREMOTEIO) || hasErrno(err, syscall.ENXIO)) {
		return fmt.Errorf("%w at 0x%02x on %s (%w)", hal.ErrNoDevice, addr, x.name, err)
	}
	return err
}

func (x *bus) Close() error {
	x.b.mu.Lock()
	defer x.b.mu.Unlock()
	if x.closed {
		return nil
	}
	x.closed = true
	delete(x.b.open, x)
	return x.BusCloser.Close()
}

// port wraps an SPI port so that Close is idempotent and its connection fails
// with hal.ErrClosed after it.
type port struct {
	spi.PortCloser
	b      *board
	name   string
	closed bool // guarded by b.mu
}

func (p *port) String() string { return p.name }

func (p *port) usable() error {
	p.b.mu.Lock()
	defer p.b.mu.Unlock()
	if p.closed {
		return fmt.Errorf("%s: %w", p.name, hal.ErrClosed)
	}
	return nil
}

func (p *port) Connect(f physic.Frequency, mode spi.Mode, bits int) (spi.Conn, error) {
	if err := p.usable(); err != nil {
		return nil, err
	}
	c, err := p.PortCloser.Connect(f, mode, bits)
	if err != nil {
		return nil, err
	}
	return &spiConn{Conn: c, p: p}, nil
}

func (p *port) Close() error {
	p.b.mu.Lock()
	defer p.b.mu.Unlock()
	if p.closed {
		return nil
	}
	p.closed = true
	delete(p.b.open, p)
	return p.PortCloser.Close()
}

type spiConn struct {
	spi.Conn
	p *port
}

func (c *spiConn) Tx(w, r []byte) error {
	if err := c.p.usable(); err != nil {
		return err
	}
	return c.Conn.Tx(w, r)
}

func (c *spiConn) TxPackets(pkts []spi.Packet) error {
	if err := c.p.usable(); err != nil {
		return err
	}
	return c.Conn.TxPackets(pkts)
}
