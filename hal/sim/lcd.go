package sim

import (
	"strings"
	"sync"
)

// HD44780 is a character LCD (Hitachi HD44780 or a clone, 16x2 or 20x4)
// behind the PCF8574 I2C backpack Pi users wire it with. The backpack's
// port drives the LCD: P0 RS, P1 RW, P2 E, P3 the backlight, P4..P7 D4..D7.
// The controller latches D4..D7 when E falls (datasheet, "Interfacing to
// the MPU"): in 8-bit mode, as after power-on, one strobe is an instruction
// whose low nibble reads 0; after the function set that clears DL, two
// strobes, high nibble first, make each byte. It keeps its DDRAM, so
// Screen shows the characters the glass would.
type HD44780 struct {
	mu         sync.Mutex
	typ        string
	cols, rows int
	port       byte // the PCF8574's outputs, last written
	fourBit    bool
	half       bool // in 4-bit mode, the high nibble of a byte has come
	high       byte
	ddram      [0x80]byte
	addr       byte // the address counter
	cgram      bool // data goes to CGRAM (not kept) until a DDRAM address is set
	decrement  bool // entry mode I/D = 0
	on         bool // display control D
	cursor     bool
	twoLines   bool
}

// PCF8574 port bits on the common backpack.
const (
	lcdRS        = 1 << 0
	lcdE         = 1 << 2
	lcdBacklight = 1 << 3
)

// lcdRowStart is where each glass row starts in DDRAM (20x4 rows 3 and 4
// continue rows 1 and 2).
var lcdRowStart = []byte{0x00, 0x40, 0x14, 0x54}

func newHD44780(typ string, cols, rows int) *HD44780 {
	d := &HD44780{typ: typ, cols: cols, rows: rows}
	for i := range d.ddram {
		d.ddram[i] = ' '
	}
	return d
}

// Tx takes the bytes a PCF8574 is written, each a new port state; a read
// returns the port.
func (d *HD44780) Tx(w, r []byte) error {
	d.mu.Lock()
	defer d.mu.Unlock()
	for _, b := range w {
		if d.port&lcdE != 0 && b&lcdE == 0 {
			d.strobe(d.port)
		}
		d.port = b
	}
	for i := range r {
		r[i] = d.port
	}
	return nil
}

// strobe latches D4..D7 (and RS) of the port as it was while E was high.
func (d *HD44780) strobe(port byte) {
	nibble := port >> 4
	rs := port&lcdRS != 0
	if !d.fourBit {
		d.execute(rs, nibble<<4)
		return
	}
	if !d.half {
		d.high, d.half = nibble, true
		return
	}
	d.half = false
	d.execute(rs, d.high<<4|nibble)
}

// execute runs an instruction (rs false) or writes data (rs true), after
// the datasheet's table 6.
func (d *HD44780) execute(rs bool, b byte) {
	if rs {
		if !d.cgram {
			d.ddram[d.addr&0x7F] = b
		}
		d.step()
		return
	}
	switch {
	case b&0x80 != 0: // set DDRAM address
		d.addr, d.cgram = b&0x7F, false
	case b&0x40 != 0: // set CGRAM address
		d.cgram = true
	case b&0x20 != 0: // function set: DL, N, F
		d.fourBit = b&0x10 == 0
		d.twoLines = b&0x08 != 0
		d.half = false
	case b&0x10 != 0: // cursor or display shift
		if b&0x08 == 0 { // a cursor move
			if b&0x04 != 0 {
				d.addr++
			} else {
				d.addr--
			}
		}
	case b&0x08 != 0: // display on/off control
		d.on, d.cursor = b&0x04 != 0, b&0x02 != 0
	case b&0x04 != 0: // entry mode set
		d.decrement = b&0x02 == 0
	case b&0x02 != 0: // return home
		d.addr, d.cgram = 0, false
	case b == 0x01: // clear display
		for i := range d.ddram {
			d.ddram[i] = ' '
		}
		d.addr, d.decrement, d.cgram = 0, false, false
	}
}

// step moves the address counter after a data write.
func (d *HD44780) step() {
	if d.decrement {
		d.addr--
	} else {
		d.addr++
	}
	d.addr &= 0x7F
}

// lines returns the text each glass row shows; a dark display shows
// blanks.
func (d *HD44780) lines() []string {
	out := make([]string, d.rows)
	for row := range d.rows {
		var b strings.Builder
		for col := range d.cols {
			c := d.ddram[(lcdRowStart[row]+byte(col))&0x7F]
			if !d.on || c < 0x20 || c > 0x7E {
				c = ' '
			}
			b.WriteByte(c)
		}
		out[row] = b.String()
	}
	return out
}

// Text returns what the glass shows as text in a frame.
func (d *HD44780) Text() string {
	d.mu.Lock()
	defer d.mu.Unlock()
	var b strings.Builder
	b.WriteString("┌" + strings.Repeat("─", d.cols) + "┐\n")
	for _, l := range d.lines() {
		b.WriteString("│" + l + "│\n")
	}
	b.WriteString("└" + strings.Repeat("─", d.cols) + "┘\n")
	return b.String()
}

// Lines returns the text each row of the glass shows.
func (d *HD44780) Lines() []string {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.lines()
}

// A CharScreen is a simulated character display.
type CharScreen interface {
	Model
	Lines() []string // each row's characters
	Text() string    // the rows in a frame
}

func (d *HD44780) Type() string    { return d.typ }
func (d *HD44780) Inputs() []Input { return nil }

func (d *HD44780) Set(values map[string]float64) error {
	return setInputs(d.typ, nil, values, nil)
}

// State implements Model: on, backlight, cursor, two_lines, cols, rows
// and text (the glass rows joined by newlines).
func (d *HD44780) State() map[string]any {
	d.mu.Lock()
	defer d.mu.Unlock()
	return map[string]any{
		"on": d.on, "backlight": d.port&lcdBacklight != 0, "cursor": d.cursor, "two_lines": d.twoLines,
		"cols": float64(d.cols), "rows": float64(d.rows), "text": strings.Join(d.lines(), "\n"),
	}
}
