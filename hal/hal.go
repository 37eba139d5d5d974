package hal

import (
	"errors"
	"fmt"
	"math"
	"runtime/debug"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"periph.io/x/conn/v3/gpio"
	"periph.io/x/conn/v3/i2c"
	"periph.io/x/conn/v3/physic"
	"periph.io/x/conn/v3/spi"
)

// Board is a computer's pins and buses, by name. Its methods, and those of
// what it opens, are safe for concurrent use.
type Board interface {
	// Name describes the board, e.g. "sim" or "Raspberry Pi 4 Model B Rev 1.4".
	Name() string
	// Pins lists the pin names in board order, e.g. GPIO0..GPIO27.
	Pins() []string
	// Pin opens a pin by name ("GPIO17"), by number ("17" for "GPIO17") or
	// by chip line ("gpiochip0:17"). Opening a pin again gives another
	// handle on the same line; the line is released when the last one closes.
	Pin(name string) (Pin, error)
	// I2CBuses lists the I2C bus names, e.g. I2C1.
	I2CBuses() []string
	// OpenI2C opens a bus by name ("I2C1") or device ("/dev/i2c-1").
	//
	// Tx fails with an error wrapping ErrNoDevice when no device acknowledges
	// the address. A Tx that neither writes nor reads does not touch the bus
	// and returns nil (as periph's Linux bus does): probe with a 1-byte read.
	// Close may be called more than once; Tx after Close wraps ErrClosed.
	OpenI2C(name string) (i2c.BusCloser, error)
	// SPIPorts lists the SPI port names, e.g. SPI0.0 and SPI0.1.
	SPIPorts() []string
	// OpenSPI opens a port by name ("SPI0.0") or device ("/dev/spidev0.0").
	// Connect may be called once per opened port. Close may be called more
	// than once; Tx after Close wraps ErrClosed.
	OpenSPI(name string) (spi.PortCloser, error)
	// Close closes every pin, bus and port still open.
	Close() error
}

// Pin is an open GPIO line. It is a gpio.PinIO, so periph's drivers accept
// it, and it keeps these promises beyond gpio.PinIO's:
//   - Read on an output returns the level last written and leaves it an output.
//   - WaitForEdge(-1) waits forever and WaitForEdge(0) polls; Halt
//     interrupts a waiting WaitForEdge, which returns false.
//   - In, Out and PWM fail while the line is watched.
//   - After Close, the other methods fail with ErrClosed, Read returns Low and
//     WaitForEdge false.
type Pin interface {
	gpio.PinIO
	// Watch enables edge detection on an input and sends each edge on
	// events. Up to WatchBuffer unread events wait in the channel; later edges
	// are dropped until it is drained. stop ends the watch and closes events;
	// once it returns no event is sent, and calling it again does nothing.
	// A watch whose driver fails sends a last event with Err set and closes
	// events; the line stays watched until stop.
	// Closing the pin stops its watch too. A line has at most one watch.
	Watch(edge gpio.Edge) (events <-chan Event, stop func(), err error)
	// Close releases the handle. Closing it again returns nil.
	Close() error
}

// Event is an edge seen by Pin.Watch, or the end of a watch whose driver
// failed: then Err is set (a *PanicError) and the channel closes after it.
type Event struct {
	Level gpio.Level // the level after the edge
	Time  time.Time
	Err   error
}

// WatchBuffer is how many unread events a watch keeps.
const WatchBuffer = 64

var (
	// ErrNoDevice is wrapped by I2C errors when no device acknowledged the
	// address, e.g. "i2c: no device at 0x77 on I2C1".
	ErrNoDevice = errors.New("i2c: no device")
	// ErrClosed is wrapped by errors from pins, buses and ports used after
	// Close, e.g. "pin GPIO17: closed".
	ErrClosed = errors.New("closed")
)

// PanicError is a Go panic in driver code, caught on the goroutine that ran
// it so that it fails the call and not the process: a chip that sends what
// its driver does not expect (periph's bmxx80 divides by zero on some
// calibration words) must not take the runtime down.
type PanicError struct {
	Value any    // what the driver panicked with
	Stack []byte // the goroutine's stack at the panic, for a bug report
}

// Error is the panic's value: "runtime error: integer divide by zero".
func (e *PanicError) Error() string { return fmt.Sprint(e.Value) }

// Recover, deferred where driver code runs, turns a panic into a
// *PanicError in *err:
//
//	func call(fn func() error) (err error) {
//		defer hal.Recover(&err)
//		return fn()
//	}
func Recover(err *error) {
	if p := recover(); p != nil {
		*err = &PanicError{Value: p, Stack: debug.Stack()}
	}
}

// Protect calls fn and returns its error, or a *PanicError if it panics.
func Protect(fn func() error) (err error) {
	defer Recover(&err)
	return fn()
}

// FrequencyError reports a PWM frequency a pin cannot make, with the range
// it can. The BCM283x's PWM counts a 25 MHz clock in a 32-bit range
// register, so its pins run at 25 MHz / 2^32 (0.00582 Hz) to 12.5 MHz.
type FrequencyError struct {
	Pin      string
	Freq     physic.Frequency
	Min, Max physic.Frequency
}

func (e *FrequencyError) Error() string {
	return fmt.Sprintf("pin %s: PWM frequency %s is outside %s..%s", e.Pin, Hertz(e.Freq), Hertz(e.Min), Hertz(e.Max))
}

// Hertz shows a frequency to 3 significant digits, as a person writes it:
// "12.5 MHz", "0.00582 Hz", "25 kHz".
func Hertz(f physic.Frequency) string {
	hz := float64(f) / float64(physic.Hertz)
	unit := "Hz"
	for _, u := range []struct {
		scale float64
		name  string
	}{{1e9, "GHz"}, {1e6, "MHz"}, {1e3, "kHz"}} {
		if hz >= u.scale {
			hz /= u.scale
			unit = u.name
			break
		}
	}
	return strconv.FormatFloat(hz, 'g', 3, 64) + " " + unit
}

// NotFoundError reports a name a board does not have and lists those it has.
type NotFoundError struct {
	Kind  string // "pin", "I2C bus" or "SPI port"
	Name  string
	Board string
	Have  []string
	Hint  string // how to get one, if known
}

func (e *NotFoundError) Error() string {
	s := fmt.Sprintf("no %s %s on %s; ", e.Kind, Quote(e.Name), e.Board)
	if len(e.Have) == 0 {
		s += "this board has none"
	} else {
		// "pin" -> "pins", "I2C bus" -> "buses", "SPI port" -> "ports".
		noun := e.Kind[strings.LastIndexByte(e.Kind, ' ')+1:]
		if strings.HasSuffix(noun, "s") {
			noun += "e"
		}
		s += noun + "s here: " + ranges(e.Have)
	}
	if e.Hint != "" {
		s += "; " + e.Hint
	}
	return s
}

// Quote shows a name from a script in an error: as it is when it is a
// plain name, quoted when it is empty or holds spaces or control bytes, and
// cut short when long, so that a megabyte of name is not a megabyte of error:
// GPIO17, "", "GPIO4\x00", "xxxx"... (1000000 bytes).
func Quote(name string) string {
	plain := name != "" && len(name) <= quoteMost
	for i := 0; i < len(name) && plain; i++ {
		plain = name[i] > ' ' && name[i] < 0x7f && name[i] != '"'
	}
	if plain {
		return name
	}
	return Quoted(name)
}

// Quoted is Quote for text that is always shown quoted (a topic, an id, a
// payload): "a/+", "a b", "xxxx"... (1000000 bytes).
func Quoted(s string) string {
	if len(s) <= quoteMost {
		return strconv.Quote(s)
	}
	cut := quoteMost
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return fmt.Sprintf("%s... (%d bytes)", strconv.Quote(s[:cut]), len(s))
}

// Number writes a number from a script as Lua writes it (%.14g, "inf",
// "-inf"), but NaN as "nan" whatever its sign (0/0 is -nan on x86 and nan on
// ARM): 268369916, 0.5, 1.1805916207174e+21.
func Number(v float64) string {
	switch {
	case math.IsNaN(v):
		return "nan"
	case math.IsInf(v, 1):
		return "inf"
	case math.IsInf(v, -1):
		return "-inf"
	}
	return strconv.FormatFloat(v, 'g', 14, 64)
}

// quoteMost is how many bytes of a name Quote and Quoted show.
const quoteMost = 40

// ranges joins names, writing runs of three or more consecutive numbers
// with the same prefix as first..last: "GPIO0..GPIO27, LED".
func ranges(names []string) string {
	var out []string
	for i := 0; i < len(names); {
		prefix, n, ok := splitNumber(names[i])
		j := i + 1
		for ok && j < len(names) {
			p, m, more := splitNumber(names[j])
			if !more || p != prefix || m != n+(j-i) {
				break
			}
			j++
		}
		if j-i >= 3 {
			out = append(out, names[i]+".."+names[j-1])
		} else {
			out = append(out, names[i:j]...)
		}
		i = j
	}
	return strings.Join(out, ", ")
}

// splitNumber splits "GPIO17" into "GPIO" and 17.
func splitNumber(s string) (prefix string, n int, ok bool) {
	prefix = strings.TrimRight(s, "0123456789")
	n, err := strconv.Atoi(s[len(prefix):])
	return prefix, n, err == nil
}

// ChipLine parses a chip line name such as "gpiochip0:17".
func ChipLine(name string) (chip string, line int, ok bool) {
	chip, num, found := strings.Cut(name, ":")
	if !found || !strings.HasPrefix(chip, "gpiochip") {
		return "", 0, false
	}
	line, err := strconv.Atoi(num)
	if err != nil || line < 0 {
		return "", 0, false
	}
	return chip, line, true
}
