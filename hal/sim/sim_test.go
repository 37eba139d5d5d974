package sim_test

import (
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"go.uber.org/goleak"
	"periph.io/x/conn/v3/gpio"
	"periph.io/x/conn/v3/physic"
	"periph.io/x/conn/v3/spi"

	"github.com/moonpin/moonpin/hal"
	"github.com/moonpin/moonpin/hal/haltest"
	"github.com/moonpin/moonpin/hal/sim"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

func TestConformance(t *testing.T) {
	b := sim.New()
	defer b.Close()
	haltest.Run(t, b)
}

// clock is a fake clock that moves a second each time it is read.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(time.Second)
	return c.t
}

var epoch = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)

func at(s int) time.Time { return epoch.Add(time.Duration(s) * time.Second) }

func noErr(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// must(f())(t) returns f's result, failing t if f failed.
func must[T any](v T, err error) func(*testing.T) T {
	return func(t *testing.T) T {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
}

func TestDefaultBoard(t *testing.T) {
	b := sim.New()
	pins := b.Pins()
	if b.Name() != "sim" || len(pins) != 28 || pins[0] != "GPIO0" || pins[27] != "GPIO27" {
		t.Errorf("board %s has pins %v", b.Name(), pins)
	}
	if got := b.I2CBuses(); !slices.Equal(got, []string{"I2C1"}) {
		t.Errorf("I2CBuses() = %v", got)
	}
	if got := b.SPIPorts(); !slices.Equal(got, []string{"SPI0.0", "SPI0.1", "SPI1.0"}) {
		t.Errorf("SPIPorts() = %v", got)
	}
}

func TestNames(t *testing.T) {
	b := sim.New()
	defer b.Close()
	for _, name := range []string{"GPIO17", "17", "gpiochip0:17"} {
		if p := must(b.Pin(name))(t); p.Name() != "GPIO17" || p.Number() != 17 {
			t.Errorf("Pin(%q) is %s, line %d", name, p.Name(), p.Number())
		}
	}
	must(b.OpenI2C("/dev/i2c-1"))(t)
	must(b.OpenSPI("/dev/spidev0.1"))(t)

	_, pinErr := b.Pin("GPIO99")
	_, chipErr := b.Pin("gpiochip0:28")
	_, i2cErr := b.OpenI2C("I2C3")
	_, spiErr := b.OpenSPI("/dev/spidev2.0")
	for _, c := range []struct {
		err  error
		want string
	}{
		{pinErr, "no pin GPIO99 on sim; pins here: GPIO0..GPIO27"},
		{chipErr, "no pin gpiochip0:28 on sim; pins here: GPIO0..GPIO27"},
		{i2cErr, "no I2C bus I2C3 on sim; buses here: I2C1"},
		{spiErr, "no SPI port /dev/spidev2.0 on sim; ports here: SPI0.0, SPI0.1, SPI1.0"},
	} {
		if c.err == nil || c.err.Error() != c.want {
			t.Errorf("got error %v, want %q", c.err, c.want)
		}
	}
	if b.SetInput("GPIO99", gpio.High) == nil || b.History("GPIO99") != nil {
		t.Error("the control API accepts an unknown pin")
	}
}

func TestHistoryAndEdgeTimes(t *testing.T) {
	clk := &clock{t: epoch}
	b := sim.New(sim.WithClock(clk.now))
	defer b.Close()
	p := must(b.Pin("GPIO5"))(t)
	for _, l := range []gpio.Level{gpio.High, gpio.High, gpio.Low} {
		noErr(t, p.Out(l)) // the second High is no change
	}
	noErr(t, p.In(gpio.PullDown, gpio.NoEdge))
	noErr(t, p.Out(gpio.Low)) // an input becoming an output is a change
	want := []sim.Change{{gpio.High, at(1)}, {gpio.Low, at(2)}, {gpio.Low, at(3)}}
	if got := b.History("5"); !slices.Equal(got, want) {
		t.Errorf("History = %v, want %v", got, want)
	}

	noErr(t, p.In(gpio.PullDown, gpio.NoEdge))
	events, stop := watch(t, p, gpio.BothEdges)
	defer stop()
	noErr(t, b.SetInput("GPIO5", gpio.High))
	noErr(t, b.SetInput("GPIO5", gpio.High)) // no change, no edge
	noErr(t, b.Release("GPIO5"))             // pulled down again
	for _, want := range []hal.Event{{Level: gpio.High, Time: at(4)}, {Level: gpio.Low, Time: at(5)}} {
		if got := <-events; got != want {
			t.Errorf("event %+v, want %+v", got, want)
		}
	}
}

func watch(t *testing.T, p hal.Pin, edge gpio.Edge) (<-chan hal.Event, func()) {
	t.Helper()
	events, stop, err := p.Watch(edge)
	if err != nil {
		t.Fatal(err)
	}
	return events, stop
}

func TestHistoryIsBounded(t *testing.T) {
	b := sim.New()
	p := must(b.Pin("GPIO5"))(t)
	for i := range 5000 {
		noErr(t, p.Out(i%2 == 0))
	}
	if h := b.History("GPIO5"); len(h) != 4096 || h[len(h)-1].Level != gpio.Low {
		t.Errorf("after 5000 changes, history has %d", len(h))
	}
}

func TestWatchDropsWhenFull(t *testing.T) {
	b := sim.New()
	p := must(b.Pin("GPIO6"))(t)
	events, stop := watch(t, p, gpio.BothEdges)
	for i := range 2 * hal.WatchBuffer {
		noErr(t, b.SetInput("GPIO6", i%2 == 0))
	}
	stop()
	n := 0
	for range events {
		n++
	}
	if n != hal.WatchBuffer {
		t.Errorf("kept %d events, want %d", n, hal.WatchBuffer)
	}
}

func TestReleasedLineResets(t *testing.T) {
	b := sim.New()
	p := must(b.Pin("GPIO7"))(t)
	noErr(t, p.In(gpio.PullUp, gpio.NoEdge))
	noErr(t, p.Out(gpio.High))
	noErr(t, p.Close())
	p = must(b.Pin("GPIO7"))(t)
	if p.Function() != "In/Low" || p.Pull() != gpio.Float {
		t.Errorf("a released line reopens as %s with %s", p.Function(), p.Pull())
	}
}

// TestPWM: the default board has PWM on the Pi's hardware PWM pins; the
// board tells its duty and frequency, and Out, In and the last Close stop it.
func TestPWM(t *testing.T) {
	b := sim.New()
	p := must(b.Pin("GPIO18"))(t)
	noErr(t, p.PWM(gpio.DutyMax/4, 1*physic.KiloHertz))
	duty, freq, err := b.PWM("GPIO18")
	if err != nil || duty != gpio.DutyMax/4 || freq != physic.KiloHertz {
		t.Fatalf("PWM(GPIO18) = %v, %v, %v", duty, freq, err)
	}
	if p.Read() != gpio.Low || p.Function() != "Out/Low" {
		t.Errorf("at 25%%: Read %v, Function %s", p.Read(), p.Function())
	}
	noErr(t, p.PWM(gpio.DutyHalf, 50*physic.Hertz))
	if p.Read() != gpio.High {
		t.Errorf("at 50%%: Read %v", p.Read())
	}
	noErr(t, p.Out(gpio.Low))
	if _, freq, _ := b.PWM("GPIO18"); freq != 0 {
		t.Errorf("PWM still at %v after Out", freq)
	}
	noErr(t, p.PWM(gpio.DutyHalf, 50*physic.Hertz))
	noErr(t, p.Close())
	if _, freq, _ := b.PWM("18"); freq != 0 {
		t.Errorf("PWM still at %v after the pin closed", freq)
	}

	q := must(b.Pin("GPIO17"))(t)
	defer q.Close()
	if err := q.PWM(gpio.DutyHalf, physic.KiloHertz); err == nil || err.Error() != "pin GPIO17 has no PWM on sim; PWM pins: GPIO12, GPIO13, GPIO18, GPIO19" {
		t.Errorf("PWM on GPIO17: %v", err)
	}
	r := must(b.Pin("GPIO12"))(t)
	defer r.Close()
	if err := r.PWM(gpio.DutyHalf, 0); err == nil {
		t.Error("PWM at 0 Hz did not fail")
	}
	if _, _, err := b.PWM("GPIO99"); err == nil {
		t.Error("PWM of an unknown pin did not fail")
	}
}

func TestBoardClose(t *testing.T) {
	b := sim.New()
	p := must(b.Pin("GPIO8"))(t)
	bus := must(b.OpenI2C("I2C1"))(t)
	port := must(b.OpenSPI("SPI0.1"))(t)
	noErr(t, b.Close())
	if err := p.Out(gpio.High); !errors.Is(err, hal.ErrClosed) {
		t.Errorf("pin after board Close: %v", err)
	}
	if err := bus.Tx(0x20, []byte{0}, nil); !errors.Is(err, hal.ErrClosed) {
		t.Errorf("bus after board Close: %v", err)
	}
	if _, err := port.Connect(physic.MegaHertz, spi.Mode0, 8); !errors.Is(err, hal.ErrClosed) {
		t.Errorf("port after board Close: %v", err)
	}
	if _, err := b.Pin("GPIO8"); !errors.Is(err, hal.ErrClosed) {
		t.Errorf("Pin after board Close: %v", err)
	}
}

func TestLoad(t *testing.T) {
	path := filepath.Join(t.TempDir(), "bench.json")
	noErr(t, os.WriteFile(path, []byte(`{
		"name": "bench",
		"pins": ["LED", "BUTTON", "GPIO4..GPIO6"],
		"i2c": [{"name": "I2C0", "devices": [{"type": "regs", "addr": 32}, {"type": "at24c32", "addr": "0x57"}]}],
		"spi": [{"name": "SPI1.2", "device": {"type": "loopback"}}]
	}`), 0o644))
	b := must(sim.Load(path))(t)
	if got := b.Pins(); b.Name() != "bench" || !slices.Equal(got, []string{"LED", "BUTTON", "GPIO4", "GPIO5", "GPIO6"}) {
		t.Errorf("board %s has pins %v", b.Name(), got)
	}
	if p := must(b.Pin("gpiochip0:1"))(t); p.Name() != "BUTTON" {
		t.Errorf("line 1 is %s", p.Name())
	}
	if p := must(b.Pin("5"))(t); p.Name() != "GPIO5" {
		t.Errorf(`"5" is %s`, p.Name())
	}
	must(b.I2CDevice("I2C0", 0x20))(t)
	must(b.I2CDevice("I2C0", 0x57))(t)
	must(b.SPIDevice("/dev/spidev1.2"))(t)
}

func TestLoadErrors(t *testing.T) {
	dir := t.TempDir()
	for _, c := range []struct{ json, want string }{
		{`{"pins": ["GPIO0..GPIO3", "GPIO2"]}`, `pins: "GPIO2": each pin needs a name of its own`},
		{`{"pins": ["GPIO3..GPIO0"]}`, `pins: range "GPIO3..GPIO0" should look like GPIO0..GPIO27`},
		{`{"pins": ["17"]}`, `pins: "17": a number is short for GPIO17, so it can't be a name`},
		{`{"pins": ["a:1"]}`, `pins: "a:1": ':' is kept for chip lines`},
		{`{"pinz": []}`, `unknown field "pinz"`},
		{`{"i2c": [{"name": "I2C1", "devices": [{"type": "regs", "addr": 32}, {"type": "bmp999", "addr": "0x77"}]}]}`,
			`i2c[0] "I2C1" device 1 (bmp999 at 0x77): unknown type "bmp999"; types: ads1015, ads1115, adxl345, aht20, at24c32, bh1750, bme280, bmp280, hd44780, hd44780_20x4, ht16k33, ina219, mcp23017, mcp9808, pca9685, regs, scd4x, ssd1306, tmp102`},
		{`{"i2c": [{"name": "I2C1", "devices": [{"type": "regs"}]}]}`, `device 0 (regs at 0x00): the address must be in 0x03..0x77`},
		{`{"i2c": [{"name": "I2C1", "devices": [{"type": "regs", "addr": "0x20"}, {"type": "regs", "addr": 32}]}]}`,
			`device 1 (regs at 0x20): another device has this address`},
		{`{"i2c": [{"name": "I2C1", "devices": [{"type": "regs", "addr": "twenty"}]}]}`, `address "twenty" should be a number`},
		{`{"pins": ["GPIO5"], "gpio": [{"type": "hx711", "clk": "GPIO5", "data": "GPIO6"}]}`, `gpio[0] "hx711": data: `},
		{`{"pins": ["GPIO5"], "gpio": [{"type": "hx711", "clk": "GPIO5", "data": "GPIO5"}]}`, `gpio[0] "hx711": clk and data are both GPIO5`},
		{`{"pins": ["GPIO5", "GPIO6", "GPIO7"], "gpio": [{"type": "hx711", "clk": "GPIO5", "data": "GPIO6"}, {"type": "hx711", "clk": "GPIO7", "data": "GPIO6"}]}`,
			`gpio[1] "hx711": GPIO7 or GPIO6 already has a device`},
		{`{"gpio": [{"type": "dht22"}]}`, `gpio[0] "dht22": unknown type; types: hx711 (with clk and data pins)`},
		{`{"spi": [{"name": "SPI0.0", "device": {"type": "mcp3004"}}]}`,
			`spi[0] "SPI0.0": unknown device type "mcp3004"; types: apa102, loopback, max7219, mcp3008`},
		{`{"i2c": [{"name": "X"}], "spi": [{"name": "X", "device": {"type": "loopback"}}]}`, `spi[0] "X": a port needs a name of its own`},
		{"{\n\"pins\": [\"A\",]\n}", `board.json:2: invalid character ']'`},
		{`{"pins": ["GPIO0..GPIO3"], "pwm": ["GPIO4"]}`, `pwm: no pin GPIO4 on sim`},
	} {
		path := filepath.Join(dir, "board.json")
		noErr(t, os.WriteFile(path, []byte(c.json), 0o644))
		_, err := sim.Load(path)
		if err == nil || !strings.HasPrefix(err.Error(), path) || !strings.Contains(err.Error(), c.want) {
			t.Errorf("Load(%s): got %v, want the file name and %q", c.json, err, c.want)
		}
	}
	if _, err := sim.Load(filepath.Join(dir, "missing.json")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("Load of a missing file: %v", err)
	}
}
