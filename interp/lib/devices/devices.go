// Package devices is the Lua `devices` module: sensors, displays and
// outputs wired to the board, each a constructor that takes where the part
// is wired (an I2C bus from i2c.open or its name, an SPI port name, or a
// table of GPIO pins) and an options table, and returns a handle. The
// drivers are periph's (periph.io/x/devices), or ours in Go where periph's
// does not fit, so a script runs unchanged on the simulated board, whose
// register-level models they drive, and on real hardware. Readings are
// tables with documented units (°C, hPa, %RH, lux, V, A, W, g); a soft
// reset closes every handle.
package devices

import (
	"errors"
	"fmt"
	"io"
	"math"
	"slices"
	"strings"
	"sync"

	"github.com/moonpin/moonpin/hal"
	"github.com/moonpin/moonpin/interp/host"
	i2clib "github.com/moonpin/moonpin/interp/lib/i2c"
	lua "github.com/yuin/gopher-lua"
	"periph.io/x/conn/v3/i2c"
	"periph.io/x/conn/v3/spi"
)

// kinds are the device types, one constructor each, in the order of the
// README's table.
var kinds = []*kind{
	bme280Kind, ssd1306Kind, ads1115Kind, ads1015Kind, ina219Kind, bh1750Kind,
	pca9685Kind, mcp9808Kind, tmp102Kind, aht20Kind, ht16k33Kind, ws2812Kind,
	hd44780Kind, mcp23017Kind, adxl345Kind, hx711Kind, apa102Kind, max7219Kind, scd4xKind, mcp3008Kind,
}

// kind is a device type: its constructor's name and what it checks.
type kind struct {
	name    string   // the constructor, e.g. "bme280"
	part    string   // the parts it drives, for messages: "BME280/BMP280"
	addrs   []uint16 // the I2C addresses the part can have, the default first; nil for SPI
	pins    []string // for a part wired to GPIO pins, their roles (argument 1 names the pins)
	options []string // the option keys besides addr
	methods map[string]lua.LGFunction
	// slow says the driver sleeps (a conversion time): its calls run off
	// the loop goroutine so that Ctrl-C ends them at once.
	slow bool
	// open reads the options, on the loop goroutine, and returns how to
	// connect the driver on the wire w.
	open func(L *lua.LState, w *wire, o opts) connect
}

// connect makes a driver, on whichever goroutine: what it returns is kept
// in the handle's drv, and halt (if not nil) stops the part when the
// handle closes.
type connect func() (drv any, halt func() error, err error)

// typeName is the Lua type name of a kind's handles.
func (k *kind) typeName() string { return "devices." + k.name }

// Loader pushes the module table.
func Loader(L *lua.LState) int {
	constructors := make(map[string]lua.LGFunction, len(kinds))
	for _, k := range kinds {
		methods := map[string]lua.LGFunction{"close": closeDevice}
		for name, fn := range k.methods {
			methods[name] = fn
		}
		host.DefineType(L, k.typeName(), methods, (*device).String)
		constructors[k.name] = k.construct
	}
	L.Push(host.Module(L, "devices", constructors))
	return 1
}

// wire is where a device is connected: an I2C bus and address, an SPI
// port, or GPIO pins.
type wire struct {
	bus   i2c.Bus
	addr  uint16
	port  spi.Port
	pins  map[string]hal.Pin // by role, e.g. "clk"
	where string             // "0x76 on I2C1", "SPI1.0" or "clk GPIO5, data GPIO6"
	owned io.Closer          // what the constructor opened by name
}

// closers closes each of its members.
type closers []io.Closer

func (c closers) Close() error {
	var err error
	for _, x := range c {
		err = errors.Join(err, x.Close())
	}
	return err
}

// device is a handle's value.
type device struct {
	host.Tracked
	kind  *kind
	where string

	slow   bool            // calls run off the loop goroutine (see kind.slow)
	mu     sync.Mutex      // held while the driver runs, on whichever goroutine
	stop   <-chan struct{} // under mu: the caller's context's Done, closed when it gives the call up
	drv    any
	halt   func() error
	owned  io.Closer
	closed bool // set on the loop goroutine, under mu
}

func (d *device) String() string {
	if d.closed {
		return fmt.Sprintf("%s(%s, closed)", d.kind.name, d.where)
	}
	return fmt.Sprintf("%s(%s)", d.kind.name, d.where)
}

// Close stops the part and closes the bus or port the handle opened. It
// waits for a driver call still running after an interrupt.
func (d *device) Close() error {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.closed {
		return nil
	}
	d.closed = true
	var err error
	if d.halt != nil {
		// Once the script closed the bus (or port) under the part, there
		// is nothing to halt it through: closing the handle still
		// succeeds, as a file's close does, for every kind.
		if herr := hal.Protect(d.halt); !errors.Is(herr, hal.ErrClosed) {
			err = herr
		}
	}
	if d.owned != nil {
		err = errors.Join(err, d.owned.Close())
	}
	return err
}

// construct implements devices.<kind>(where [, options]).
func (k *kind) construct(L *lua.LState) int {
	h := host.Of(L)
	o := opts{L: L, n: 2, fn: k.name}
	if L.GetTop() >= 2 && L.Get(2) != lua.LNil {
		o.t = L.CheckTable(2)
		keys := k.options
		if k.addrs != nil {
			keys = append([]string{"addr"}, keys...)
		}
		host.CheckOptions(L, o.t, 2, keys...)
	}
	w := k.address(L, h, o)
	connect := k.open(L, w, o)
	k.attach(L, h, w)
	d := &device{kind: k, where: w.where, owned: w.owned, slow: k.slow}
	err := d.run(L, func() error {
		var err error
		d.drv, d.halt, err = connect()
		return err
	})
	if s, ok := d.drv.(interface{ sleeps() bool }); ok {
		d.slow = s.sleeps()
	}
	if err != nil {
		if w.owned != nil {
			w.owned.Close()
		}
		d.raise(L, "", err)
	}
	d.Track(h, d)
	L.Push(host.NewHandle(L, k.typeName(), d))
	return 1
}

// address checks the where argument's board and the addr option; it opens
// nothing, so that a bad option leaks no bus.
func (k *kind) address(L *lua.LState, h *host.Host, o opts) *wire {
	if h.Board == nil {
		L.RaiseError("%s: no board (start moonpin with --board sim to simulate one)", k.name)
	}
	w := &wire{}
	if k.addrs == nil {
		return w
	}
	w.addr = k.addrs[0]
	if o.get("addr") != lua.LNil {
		v := o.number("addr", 0)
		i := slices.IndexFunc(k.addrs, func(a uint16) bool { return float64(a) == v })
		if i < 0 {
			host.ArgError(L, 2, "addr %s is not a %s address; it can be %s", host.Number(v), k.part, hexList(k.addrs))
		}
		w.addr = k.addrs[i]
	}
	return w
}

// attach resolves argument 1, opening the bus, port or pins it names.
func (k *kind) attach(L *lua.LState, h *host.Host, w *wire) {
	if k.pins != nil {
		k.attachPins(L, h, w)
		return
	}
	if k.addrs == nil { // SPI
		name, ok := L.Get(1).(lua.LString)
		if !ok {
			host.ArgError(L, 1, "expected an SPI port name such as %q; ports here: %s", "SPI0.0", strings.Join(h.Board.SPIPorts(), ", "))
		}
		p, err := h.Board.OpenSPI(string(name))
		if err != nil {
			L.RaiseError("%s: %s", k.name, err)
		}
		w.port, w.owned, w.where = p, p, p.String()
		return
	}
	var name string
	switch v := L.Get(1).(type) {
	case lua.LString:
		b, err := h.Board.OpenI2C(string(v))
		if err != nil {
			L.RaiseError("%s: %s", k.name, err)
		}
		w.bus, w.owned, name = b, b, b.String()
	case *lua.LUserData:
		w.bus, name = i2clib.Bus(L, 1)
	default:
		host.ArgError(L, 1, "expected an I2C bus (i2c.open(%q)) or its name; buses here: %s", "I2C1", strings.Join(h.Board.I2CBuses(), ", "))
	}
	w.where = fmt.Sprintf("0x%02x on %s", w.addr, name)
}

// attachPins opens the pins of argument 1, a table {role = "GPIO5", ...}.
func (k *kind) attachPins(L *lua.LState, h *host.Host, w *wire) {
	example := make([]string, len(k.pins))
	for i, role := range k.pins {
		example[i] = fmt.Sprintf("%s = \"GPIO%d\"", role, 5+i)
	}
	t, ok := L.Get(1).(*lua.LTable)
	if !ok {
		host.ArgError(L, 1, "expected the pins, e.g. {%s}", strings.Join(example, ", "))
	}
	host.CheckOptions(L, t, 1, k.pins...)
	names := make([]string, len(k.pins))
	for i, role := range k.pins {
		name, ok := t.RawGetString(role).(lua.LString)
		if !ok {
			host.ArgError(L, 1, "%s must be a pin name, e.g. {%s}", role, strings.Join(example, ", "))
		}
		names[i] = string(name)
	}
	var opened closers
	w.pins = map[string]hal.Pin{}
	where := make([]string, len(k.pins))
	for i, role := range k.pins {
		p, err := h.Board.Pin(names[i])
		if err != nil {
			opened.Close()
			L.RaiseError("%s: %s: %s", k.name, role, err)
		}
		for other, q := range w.pins {
			if q.Name() == p.Name() {
				p.Close()
				opened.Close()
				host.ArgError(L, 1, "%s and %s are both %s; each needs a pin of its own", other, role, p.Name())
			}
		}
		opened = append(opened, p)
		w.pins[role] = p
		where[i] = role + " " + p.Name()
	}
	w.owned, w.where = opened, strings.Join(where, ", ")
}

func hexList(addrs []uint16) string {
	s := make([]string, len(addrs))
	for i, a := range addrs {
		s[i] = fmt.Sprintf("0x%02x", a)
	}
	return strings.Join(s, " or ")
}

// run calls fn with the driver to itself. A slow kind's call runs on
// another goroutine while the loop goroutine waits for it or for an
// interrupt, which raises the Lua error at once (the call finishes in the
// background and Close waits for it). A panic in the driver, on either
// goroutine, is a *hal.PanicError: a chip that sends what its driver does
// not expect fails the call, not the process.
func (d *device) run(L *lua.LState, fn func() error) error {
	if !d.slow {
		d.mu.Lock()
		defer d.mu.Unlock()
		return hal.Protect(fn)
	}
	var done <-chan struct{}
	if ctx := L.Context(); ctx != nil {
		done = ctx.Done()
	}
	result := make(chan error, 1)
	go func() {
		// The lock is free before the result is: whoever the result
		// wakes finds the device unlocked (Protect does not panic).
		d.mu.Lock()
		d.stop = done
		err := hal.Protect(fn)
		d.stop = nil
		d.mu.Unlock()
		result <- err
	}()
	select {
	case err := <-result:
		return err
	case <-done:
		host.RaiseCancel(L)
		return nil
	}
}

// stopped reports, to a driver call made of many conversions (a tare),
// that the call was given up: the Lua code was interrupted, and a soft
// reset's Close may be waiting for the lock. The call should end at once.
// Under mu.
func (d *device) stopped() bool {
	select {
	case <-d.stop:
		return true
	default:
		return false
	}
}

// errStopped ends a driver call that was given up; no one sees it.
var errStopped = errors.New("stopped")

// raise turns a driver error into a Lua error that names the device and,
// for a part that does not answer, says how to find it.
func (d *device) raise(L *lua.LState, what string, err error) {
	// The driver's own prefixes ("bme280: bme280: I2C1: closed") repeat
	// what this message starts with.
	msg := err.Error()
	for p := d.kind.name + ": "; strings.HasPrefix(msg, p); {
		msg = msg[len(p):]
	}
	var pe *hal.PanicError
	switch {
	case errors.Is(err, hal.ErrNoDevice):
		msg = fmt.Sprintf("no %s answers at %s; check the wiring and the addr option (bus:scan() lists the addresses that answer)", d.kind.part, d.where)
	case errors.As(err, &pe):
		// The driver met data it does not expect: most likely another
		// chip at the address, or a faulty one.
		at := "on "
		if d.kind.addrs != nil {
			at = "at "
		}
		msg = fmt.Sprintf("the driver failed: %s; the chip's data looks wrong: is the part %s%s the %s it was opened as?",
			strings.TrimPrefix(msg, "runtime error: "), at, d.where, d.kind.part)
	}
	if what != "" {
		what = " " + what
	}
	L.RaiseError("%s%s: %s", d, what, msg)
}

// check returns argument 1 as an open device of the kind named k.
func check(L *lua.LState, k string) *device {
	d, ok := L.CheckUserData(1).Value.(*device)
	if !ok || d.kind.name != k {
		L.ArgError(1, "devices."+k+" expected")
	}
	if d.closed {
		L.RaiseError("%s is closed", d)
	}
	return d
}

// call runs fn on the open device of kind k in argument 1 and raises its
// error, saying what was being done.
func call(L *lua.LState, k string, what string, fn func(d *device) error) *device {
	d := check(L, k)
	if err := d.run(L, func() error { return fn(d) }); err != nil {
		d.raise(L, what, err)
	}
	return d
}

func closeDevice(L *lua.LState) int {
	d, ok := L.CheckUserData(1).Value.(*device)
	if !ok {
		L.ArgError(1, "device expected")
	}
	if d.closed {
		return 0
	}
	d.Untrack()
	if err := d.Close(); err != nil {
		L.RaiseError("closing %s: %s", d, err)
	}
	return 0
}

// opts reads a constructor's options table (nil when none was given).
type opts struct {
	L  *lua.LState
	t  *lua.LTable
	n  int
	fn string
}

func (o opts) get(key string) lua.LValue {
	if o.t == nil {
		return lua.LNil
	}
	return o.t.RawGetString(key)
}

// number returns option key, or def when it is absent.
func (o opts) number(key string, def float64) float64 {
	switch v := o.get(key).(type) {
	case *lua.LNilType:
		return def
	case lua.LNumber:
		if math.IsNaN(float64(v)) {
			host.ArgError(o.L, o.n, "%s must be a number, got nan", key)
		}
		return float64(v)
	default:
		host.ArgError(o.L, o.n, "%s must be a number, got %s", key, v.Type())
		return 0
	}
}

// within returns option key, or def, checked to lie in lo..hi.
func (o opts) within(key string, def, lo, hi float64, unit string) float64 {
	v := o.number(key, def)
	if !(v >= lo && v <= hi) {
		host.ArgError(o.L, o.n, "%s %s is outside %s..%s%s", key, host.Number(v), host.Number(lo), host.Number(hi), unit)
	}
	return v
}

// oneOf returns option key, or def, checked to be one of choices.
func (o opts) oneOf(key string, def float64, choices ...float64) float64 {
	v := o.number(key, def)
	if !slices.Contains(choices, v) {
		s := make([]string, len(choices))
		for i, c := range choices {
			s[i] = host.Number(c)
		}
		host.ArgError(o.L, o.n, "%s %s is not one of %s", key, host.Number(v), strings.Join(s, ", "))
	}
	return v
}

// str returns option key, or def, checked to be one of choices.
func (o opts) str(key, def string, choices ...string) string {
	switch v := o.get(key).(type) {
	case *lua.LNilType:
		return def
	case lua.LString:
		if !slices.Contains(choices, string(v)) {
			host.ArgError(o.L, o.n, "%s %s is not one of %s", key, hal.Quoted(string(v)), strings.Join(choices, ", "))
		}
		return string(v)
	default:
		host.ArgError(o.L, o.n, "%s must be a string, got %s", key, v.Type())
		return ""
	}
}

// reading returns a table of the named numbers, rounded to digits after
// the point so that printed readings are not noisy with float error.
func reading(L *lua.LState, kv ...any) *lua.LTable {
	t := L.CreateTable(0, len(kv)/2)
	for i := 0; i+1 < len(kv); i += 2 {
		t.RawSetString(kv[i].(string), lua.LNumber(kv[i+1].(float64)))
	}
	return t
}

// round rounds x to n digits after the point.
func round(x float64, n int) float64 {
	p := math.Pow10(n)
	return math.Round(x*p) / p
}
