package sim

import (
	"strings"
	"sync"
)

// MAX7219 is a Maxim MAX7219 8-digit LED display driver with a 7-segment
// display, on an SPI port (datasheet, "Serial-Addressing Modes" and table
// 2 "Register Address Map"): each 16-bit word, register then data, is
// latched when chip select rises; with one chip, the last word of a
// transfer is its. Digit 0 (register 1) is the rightmost, as on the common
// 8-digit modules. State reports text (what the lit digits read, Code B
// digits and "." for a decimal point; "?" for a digit not in Code B), on,
// intensity (0..15), digits (the raw register values, digit 0 first).
type MAX7219 struct {
	mu                           sync.Mutex
	digit                        [8]byte
	decode, intensity, scanLimit byte
	on, test                     bool
}

// codeB is the MAX7219's Code B font (table 5), by the low nibble.
const codeB = "0123456789-EHLP "

func (d *MAX7219) Transfer(w, r []byte) {
	clear(r)
	if len(w) < 2 {
		return
	}
	reg, v := w[len(w)-2]&0x0F, w[len(w)-1]
	d.mu.Lock()
	defer d.mu.Unlock()
	switch {
	case reg >= 1 && reg <= 8:
		d.digit[reg-1] = v
	case reg == 0x9:
		d.decode = v
	case reg == 0xA:
		d.intensity = v & 0x0F
	case reg == 0xB:
		d.scanLimit = v & 0x07
	case reg == 0xC:
		d.on = v&1 == 1
	case reg == 0xF:
		d.test = v&1 == 1
	}
}

// text reads the digits the scan limit shows, leftmost first; d.mu is held.
func (d *MAX7219) text() string {
	if !d.on {
		return ""
	}
	var b strings.Builder
	for i := int(d.scanLimit); i >= 0; i-- {
		v := d.digit[i]
		switch {
		case d.decode>>i&1 == 1:
			b.WriteByte(codeB[v&0x0F])
		case v&0x7F == 0:
			b.WriteByte(' ')
		default:
			b.WriteByte('?')
		}
		if v&0x80 != 0 {
			b.WriteByte('.')
		}
	}
	return b.String()
}

func (d *MAX7219) Type() string    { return "max7219" }
func (d *MAX7219) Inputs() []Input { return nil }

func (d *MAX7219) Set(values map[string]float64) error {
	return setInputs("max7219", nil, values, nil)
}

func (d *MAX7219) State() map[string]any {
	d.mu.Lock()
	defer d.mu.Unlock()
	digits := make([]float64, 8)
	for i, v := range d.digit {
		digits[i] = float64(v)
	}
	return map[string]any{"text": d.text(), "on": d.on, "intensity": float64(d.intensity), "digits": digits, "test": d.test}
}
