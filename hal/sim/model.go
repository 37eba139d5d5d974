package sim

import (
	"fmt"
	"maps"
	"math"
	"slices"
	"strings"

	"github.com/moonpin/moonpin/hal"
)

// Model is a simulated device that Lua's sim module and tests can look at and
// play the world for, in the units of the Lua API (°C, hPa, %RH, lux, V, A,
// g, ppm). Every device type a board file names is a Model.
type Model interface {
	// Type is the board file's name for the device type, e.g. "bme280".
	Type() string
	// State reports what the device measures and shows: numbers
	// (float64), flags, strings and lists of numbers ([]float64), by name.
	State() map[string]any
	// Inputs lists the names Set takes, with their units and ranges.
	Inputs() []Input
	// Set sets quantities of the world the device measures; a name it does
	// not measure, or a value out of its range, is an error that says
	// which names and ranges it takes.
	Set(values map[string]float64) error
}

// Input is a quantity a Model measures, with its range.
type Input struct {
	Name, Unit string
	Min, Max   float64
}

func (in Input) String() string {
	return fmt.Sprintf("%s (%s..%s %s)", in.Name, hal.Number(in.Min), hal.Number(in.Max), in.Unit)
}

// setInputs checks values against the inputs of the device typ and, if all
// are known and in range, stores each through store. The caller holds the
// device's lock.
func setInputs(typ string, inputs []Input, values map[string]float64, store func(name string, v float64)) error {
	for _, name := range slices.Sorted(maps.Keys(values)) {
		v := values[name]
		i := slices.IndexFunc(inputs, func(in Input) bool { return in.Name == name })
		switch {
		case i < 0 && len(inputs) == 0:
			return fmt.Errorf("%s: measures nothing that can be set", typ)
		case i < 0:
			return fmt.Errorf("%s: measures no %s; it takes %s", typ, hal.Quote(name), inputList(inputs))
		case math.IsNaN(v) || v < inputs[i].Min || v > inputs[i].Max:
			return fmt.Errorf("%s: %s %s is outside %s..%s %s", typ, name, hal.Number(v), hal.Number(inputs[i].Min), hal.Number(inputs[i].Max), inputs[i].Unit)
		}
	}
	for name, v := range values {
		store(name, v)
	}
	return nil
}

func inputList(inputs []Input) string {
	s := make([]string, len(inputs))
	for i, in := range inputs {
		s[i] = in.String()
	}
	return strings.Join(s, ", ")
}

// Environment inputs, shared by the sensors that measure them.
var (
	inTemperature = Input{"temperature", "°C", -40, 85}
	inPressure    = Input{"pressure", "hPa", 300, 1100}
	inHumidity    = Input{"humidity", "%RH", 0, 100}
)

// Models returns the devices on a bus or port that are Models, by address
// (0 for an SPI port's device), or the device wired to GPIO pins whose
// first pin (an HX711's clk) is busOrPort, at 0.
func (b *Board) Models(busOrPort string) (map[uint16]Model, error) {
	out := map[uint16]Model{}
	if x, err := b.bus(busOrPort); err == nil {
		for addr, d := range x.devices {
			if m, ok := d.(Model); ok {
				out[addr] = m
			}
		}
		return out, nil
	}
	if m, ok := b.wired[busOrPort]; ok {
		out[0] = m
		return out, nil
	}
	p, err := b.port(busOrPort)
	if err != nil {
		wired := "none"
		if len(b.wired) > 0 {
			wired = keys(b.wired)
		}
		return nil, fmt.Errorf("no I2C bus, SPI port or device on pin %s; buses: %s; ports: %s; devices on pins: %s", busOrPort,
			strings.Join(b.I2CBuses(), ", "), strings.Join(b.SPIPorts(), ", "), wired)
	}
	if m, ok := p.dev.(Model); ok {
		out[0] = m
	}
	return out, nil
}
