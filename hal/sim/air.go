package sim

import (
	"fmt"
	"math"
	"sync"
)

// SCD4x is a Sensirion SCD40/SCD41 CO2 sensor (datasheet, section 3
// "Digital Interface Description"): 16-bit commands, and 16-bit words
// each followed by a CRC-8 (polynomial 0x31, init 0xFF). After
// start_periodic_measurement a measurement is ready at once here (every
// 5 s on the part); read_measurement returns CO2 in ppm, then temperature
// and humidity as fractions of 65535 over -45..130 °C and 0..100 %RH.
type SCD4x struct {
	mu        sync.Mutex
	measuring bool
	co2, t, h float64
}

var inCO2 = Input{"co2", "ppm", 0, 40000}

// SCD4x commands (datasheet table 9).
const (
	scdStart    = 0x21b1
	scdRead     = 0xec05
	scdStop     = 0x3f86
	scdReady    = 0xe4b8
	scdWakeUp   = 0x36f6
	scdSerial   = 0x3682
	scdReinit   = 0x3646
	scdGetTOffs = 0x2318
)

func newSCD4x() *SCD4x { return &SCD4x{co2: 600, t: 21, h: 45} }

func sensirionCRC(b []byte) byte {
	crc := byte(0xFF)
	for _, v := range b {
		crc ^= v
		for range 8 {
			if crc&0x80 != 0 {
				crc = crc<<1 ^ 0x31
			} else {
				crc <<= 1
			}
		}
	}
	return crc
}

func (d *SCD4x) Tx(w, r []byte) error {
	d.mu.Lock()
	defer d.mu.Unlock()
	if len(w) == 0 {
		// No command: the part acknowledges its address (a bus scan's
		// probe) and sends nothing, so the bus reads high.
		for i := range r {
			r[i] = 0xFF
		}
		return nil
	}
	if len(w) < 2 {
		return fmt.Errorf("SCD4x: a command is 2 bytes; got %d", len(w))
	}
	cmd := uint16(w[0])<<8 | uint16(w[1])
	var words []uint16
	switch {
	case cmd == scdStart:
		d.measuring = true
	case cmd == scdStop:
		d.measuring = false
	case cmd == scdWakeUp || cmd == scdReinit:
	case cmd == scdReady:
		words = []uint16{0x8000}
		if d.measuring {
			words[0] |= 0x0006 // the low 11 bits: a measurement is ready
		}
	case cmd == scdRead && d.measuring:
		words = []uint16{
			uint16(math.Round(d.co2)),
			uint16(math.Round((d.t + 45) * 65535 / 175)),
			uint16(math.Round(d.h * 65535 / 100)),
		}
	case cmd == scdSerial && !d.measuring:
		words = []uint16{0x1234, 0x5678, 0x9ABC}
	case cmd == scdGetTOffs && !d.measuring:
		words = []uint16{uint16(math.Round(4 * 65535 / 175.0))}
	default:
		// The part does not acknowledge a command it does not take in its
		// state (idle or measuring) or does not know.
		return fmt.Errorf("SCD4x: command 0x%04x not taken (measuring: %t)", cmd, d.measuring)
	}
	for i := range r {
		r[i] = 0
	}
	for i, v := range words {
		if 3*i+2 >= len(r) {
			break
		}
		r[3*i], r[3*i+1] = byte(v>>8), byte(v)
		r[3*i+2] = sensirionCRC(r[3*i : 3*i+2])
	}
	return nil
}

func (d *SCD4x) Type() string    { return "scd4x" }
func (d *SCD4x) Inputs() []Input { return []Input{inCO2, inTemperature, inHumidity} }

func (d *SCD4x) Set(values map[string]float64) error {
	d.mu.Lock()
	defer d.mu.Unlock()
	return setInputs(d.Type(), d.Inputs(), values, func(name string, v float64) {
		switch name {
		case "co2":
			d.co2 = v
		case "temperature":
			d.t = v
		case "humidity":
			d.h = v
		}
	})
}

// State implements Model: co2 (ppm), temperature (°C), humidity (%RH) and
// measuring.
func (d *SCD4x) State() map[string]any {
	d.mu.Lock()
	defer d.mu.Unlock()
	return map[string]any{"co2": d.co2, "temperature": d.t, "humidity": d.h, "measuring": d.measuring}
}
