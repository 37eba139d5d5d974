package sim

import (
	"fmt"
	"math"
	"sync"
	"time"

	"periph.io/x/conn/v3/gpio"
)

// HX711 is an Avia HX711 24-bit load-cell ADC wired to two pins, PD_SCK
// (clk) and DOUT (data), as its datasheet's "Serial Interface" describes:
// DOUT low says a conversion is ready; each clk rising edge shifts out the
// next bit, most significant first, of a two's complement count; the 25th
// pulse sets channel A, gain 128 for the next conversion and DOUT goes
// high, then low again as the next conversion is ready: at once, or, with
// the input rate set (10 or 80 a second, as the chip's RATE pin chooses),
// a conversion time later. The cell on it reads hx711Zero counts unloaded
// and hx711PerKg more per kg of load.
type HX711 struct {
	b         *Board
	clk, data *line

	mu    sync.Mutex // guards load and rate; the lines' state is under Board.mu
	load  float64
	rate  float64 // conversions a second; 0 for the next one ready at once
	count int     // clk pulses of this read
	word  int32   // the conversion being shifted out
	busy  bool    // converting (with a rate): data is high until it is done; under Board.mu
}

// The simulated cell's calibration: what an example's scale and tare find.
const (
	hx711Zero  = 8000
	hx711PerKg = 42000
)

var (
	inLoad = Input{"load", "kg", -20, 20}
	inRate = Input{"rate", "Hz", 0, 80}
)

// addHX711 attaches an HX711 to the pins clk and data; b.mu need not be
// held (the board is being built).
func (b *Board) addHX711(clk, data string) (*HX711, error) {
	c, err := b.line(clk)
	if err != nil {
		return nil, fmt.Errorf("clk: %w", err)
	}
	d, err := b.line(data)
	if err != nil {
		return nil, fmt.Errorf("data: %w", err)
	}
	switch {
	case c == d:
		return nil, fmt.Errorf("clk and data are both %s", clk)
	case c.onOut != nil || d.onOut != nil || d.driven:
		return nil, fmt.Errorf("%s or %s already has a device", clk, data)
	}
	h := &HX711{b: b, clk: c, data: d}
	c.onOut = h.clock
	d.driven, d.drive = true, gpio.Low // a conversion is ready
	return h, nil
}

// clock follows a change of the clk line; Board.mu is held.
func (h *HX711) clock(level gpio.Level) {
	if !level {
		if h.count >= 25 {
			h.count = 0
			h.mu.Lock()
			rate := h.rate
			h.mu.Unlock()
			if rate == 0 {
				h.b.driveLocked(h.data, gpio.Low) // the next conversion is ready
				return
			}
			h.busy = true
			time.AfterFunc(time.Duration(float64(time.Second)/rate), func() {
				h.b.mu.Lock()
				defer h.b.mu.Unlock()
				h.busy = false
				if h.count == 0 {
					h.b.driveLocked(h.data, gpio.Low)
				}
			})
		}
		return
	}
	if h.count == 0 {
		h.mu.Lock()
		h.word = h.counts()
		h.mu.Unlock()
		if h.busy {
			// Clocked before the conversion is ready: what comes out is
			// no conversion (all ones, -1, as google/periph#439 saw).
			h.word = -1
		}
	}
	h.count++
	switch {
	case h.count <= 24:
		h.b.driveLocked(h.data, h.word>>(24-h.count)&1 == 1)
	case h.count == 25:
		h.b.driveLocked(h.data, gpio.High)
	}
}

// counts is the conversion of the load, clipped to 24 bits; h.mu is held.
func (h *HX711) counts() int32 {
	v := math.Round(hx711Zero + h.load*hx711PerKg)
	return int32(max(min(v, 1<<23-1), -1<<23))
}

func (h *HX711) Type() string    { return "hx711" }
func (h *HX711) Inputs() []Input { return []Input{inLoad, inRate} }

func (h *HX711) Set(values map[string]float64) error {
	h.mu.Lock()
	defer h.mu.Unlock()
	return setInputs(h.Type(), h.Inputs(), values, func(name string, v float64) {
		if name == "rate" {
			h.rate = v
		} else {
			h.load = v
		}
	})
}

// State implements Model: load (kg), rate (Hz) and counts, the conversion
// the load gives.
func (h *HX711) State() map[string]any {
	h.mu.Lock()
	defer h.mu.Unlock()
	return map[string]any{"load": h.load, "rate": h.rate, "counts": float64(h.counts())}
}
