package periph

import (
	"errors"
	"io/fs"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"go.uber.org/goleak"
	"periph.io/x/conn/v3/gpio"
	"periph.io/x/conn/v3/i2c"
	"periph.io/x/conn/v3/i2c/i2creg"
	"periph.io/x/conn/v3/physic"
	"periph.io/x/conn/v3/spi"
	"periph.io/x/conn/v3/spi/spireg"

	"github.com/moonpin/moonpin/hal"
	"github.com/moonpin/moonpin/hal/haltest"
	"github.com/moonpin/moonpin/hal/sim"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// simBoard builds the adapter over a simulated board, as New builds it over
// periph's registries: lookup returns one shared gpio.PinIO per line.
func simBoard(t *testing.T) (*board, *sim.Board) {
	sb := sim.New()
	var mu sync.Mutex
	lines := map[string]hal.Pin{}
	lookup := func(name string) gpio.PinIO {
		p, err := sb.Pin(name)
		if err != nil {
			return nil
		}
		mu.Lock()
		defer mu.Unlock()
		if shared, ok := lines[p.Name()]; ok {
			p.Close()
			return shared
		}
		lines[p.Name()] = p
		return p
	}
	var i2cRefs []*i2creg.Ref
	for _, name := range sb.I2CBuses() {
		open := func() (i2c.BusCloser, error) { return sb.OpenI2C(name) }
		i2cRefs = append(i2cRefs, &i2creg.Ref{Name: "/sim/" + name, Aliases: []string{name}, Open: open})
	}
	var spiRefs []*spireg.Ref
	for _, name := range sb.SPIPorts() {
		open := func() (spi.PortCloser, error) { return sb.OpenSPI(name) }
		spiRefs = append(spiRefs, &spireg.Ref{Name: "/sim/" + name, Aliases: []string{name}, Open: open})
	}
	b := newBoard("adapter", sb.Pins(), lookup, i2cRefs, spiRefs)
	t.Cleanup(func() {
		b.Close()
		sb.Close()
	})
	return b, sb
}

// driven lets haltest drive the simulated pins under the adapter.
type driven struct {
	*board
	sim *sim.Board
}

func (d driven) SetInput(name string, l gpio.Level) error { return d.sim.SetInput(name, l) }
func (d driven) Release(name string) error                { return d.sim.Release(name) }

func TestConformance(t *testing.T) {
	b, sb := simBoard(t)
	haltest.Run(t, driven{b, sb})
}

// ioctlLike reads an output the way gpioioctl does: by reconfiguring it as a
// pulled-up input. Methods it lacks are not called.
type ioctlLike struct {
	gpio.PinIO
	output bool
	level  gpio.Level
}

func (f *ioctlLike) Name() string { return "LINE" }
func (f *ioctlLike) Out(l gpio.Level) error {
	f.output, f.level = true, l
	return nil
}
func (f *ioctlLike) Read() gpio.Level {
	if f.output {
		f.output, f.level = false, gpio.High
	}
	return f.level
}

func TestReadKeepsOutput(t *testing.T) {
	fake := &ioctlLike{}
	b := newBoard("fake", []string{"LINE"}, func(string) gpio.PinIO { return fake }, nil, nil)
	p, err := b.Pin("LINE")
	if err != nil {
		t.Fatal(err)
	}
	if err := p.Out(gpio.Low); err != nil {
		t.Fatal(err)
	}
	if got := p.Read(); got != gpio.Low || !fake.output {
		t.Errorf("Read() = %s, and the line is still an output: %v", got, fake.output)
	}
	if got := p.Function(); got != "Out/Low" || !fake.output {
		t.Errorf("Function() = %q, and the line is still an output: %v", got, fake.output)
	}
}

func TestIoctlTimeout(t *testing.T) {
	for in, want := range map[time.Duration]time.Duration{
		-1: 0, -time.Second: 0, 0: time.Millisecond, time.Second: time.Second,
	} {
		if got := ioctlTimeout(in); got != want {
			t.Errorf("ioctlTimeout(%v) = %v, want %v", in, got, want)
		}
	}
}

type failingBus struct{ err error }

func (f failingBus) String() string                  { return "failing" }
func (f failingBus) Tx(uint16, []byte, []byte) error { return f.err }
func (f failingBus) SetSpeed(physic.Frequency) error { return nil }
func (f failingBus) Close() error                    { return nil }

func TestNACKIsErrNoDevice(t *testing.T) {
	for _, c := range []struct {
		err    error
		noDev  bool
		prefix string
	}{
		{errors.New("sysfs-i2c: remote I/O error"), true, "i2c: no device at 0x77 on I2C9 (sysfs-i2c: remote I/O error)"},
		{syscall.ENXIO, true, "i2c: no device at 0x77 on I2C9"},
		{errors.New("sysfs-i2c: connection timed out"), false, "sysfs-i2c: connection timed out"},
	} {
		ref := &i2creg.Ref{Name: "/dev/i2c-9", Aliases: []string{"I2C9"}, Open: func() (i2c.BusCloser, error) { return failingBus{c.err}, nil }}
		b := newBoard("fake", nil, func(string) gpio.PinIO { return nil }, []*i2creg.Ref{ref}, nil)
		bus, err := b.OpenI2C("I2C9")
		if err != nil {
			t.Fatal(err)
		}
		err = bus.Tx(0x77, []byte{0}, nil)
		if errors.Is(err, hal.ErrNoDevice) != c.noDev || !strings.HasPrefix(err.Error(), c.prefix) {
			t.Errorf("%v became %v", c.err, err)
		}
	}
}

func TestExplain(t *testing.T) {
	denied := &fs.PathError{Op: "open", Path: "/dev/i2c-1", Err: syscall.EACCES}
	if err := explain(denied, "i2c"); !errors.Is(err, fs.ErrPermission) ||
		err.Error() != "open /dev/i2c-1: permission denied; is the user in group i2c?" {
		t.Errorf("permission: %v", err)
	}
	busy := errors.New("GPIOLine.Out(): line_request ioctl: device or resource busy")
	if err := explain(busy, "gpio"); !strings.HasSuffix(err.Error(), "is another program using it? (gpioinfo lists who holds GPIO lines)") {
		t.Errorf("busy: %v", err)
	}
	other := errors.New("no such thing")
	if err := explain(other, "gpio"); err != other {
		t.Errorf("other: %v", err)
	}
	if err := checkAccess("/dev/i2c-no-such-bus", 0, "i2c"); err != nil {
		t.Errorf("a missing device is for the driver to report, got %v", err)
	}
}

func TestNotFoundHints(t *testing.T) {
	b := newBoard("pi", []string{"GPIO4"}, func(string) gpio.PinIO { return nil }, nil, nil)
	b.pinHint = "open /dev/gpiochip0: permission denied; is the user in group gpio?"
	b.i2cHint = "is I2C enabled?"
	_, pinErr := b.Pin("GPIO17")
	_, i2cErr := b.OpenI2C("I2C1")
	for err, want := range map[error]string{
		pinErr: "no pin GPIO17 on pi; pins here: GPIO4; open /dev/gpiochip0: permission denied; is the user in group gpio?",
		i2cErr: "no I2C bus I2C1 on pi; this board has none; is I2C enabled?",
	} {
		if err == nil || err.Error() != want {
			t.Errorf("got %v, want %q", err, want)
		}
	}
}

// TestNew runs on whatever this machine is, so it only checks that New
// either finds hardware or says what to do instead.
func TestNew(t *testing.T) {
	b, err := New()
	if err != nil {
		if Available() || !strings.HasSuffix(err.Error(), "use the simulated board") {
			t.Errorf("New: %v (GPIO chips available: %v)", err, Available())
		}
		return
	}
	if b.Name() == "" {
		t.Error("the board has no name")
	}
	if err := b.Close(); err != nil {
		t.Error(err)
	}
}

// panicky is a line whose driver panics while it waits for an edge.
type panicky struct{ gpio.PinIO }

func (f *panicky) Name() string                   { return "LINE" }
func (f *panicky) Pull() gpio.Pull                { return gpio.PullNoChange }
func (f *panicky) In(gpio.Pull, gpio.Edge) error  { return nil }
func (f *panicky) Halt() error                    { return nil }
func (f *panicky) WaitForEdge(time.Duration) bool { panic("edge driver failed") }

// A watch whose driver panics ends with an event carrying the panic as a
// *hal.PanicError, then closes its channel; the process lives on.
func TestWatchDriverPanic(t *testing.T) {
	b := newBoard("fake", []string{"LINE"}, func(string) gpio.PinIO { return &panicky{} }, nil, nil)
	defer b.Close()
	p, err := b.Pin("LINE")
	if err != nil {
		t.Fatal(err)
	}
	events, stop, err := p.Watch(gpio.BothEdges)
	if err != nil {
		t.Fatal(err)
	}
	ev, ok := <-events
	var pe *hal.PanicError
	if !ok || !errors.As(ev.Err, &pe) || pe.Error() != "edge driver failed" {
		t.Fatalf("got event %+v (open %t), want one carrying the panic", ev, ok)
	}
	if _, ok := <-events; ok {
		t.Fatal("the channel stays open after the failure")
	}
	stop()
	if err := p.In(gpio.PullNoChange, gpio.NoEdge); err != nil {
		t.Fatalf("the line is still watched after stop: %v", err)
	}
}
