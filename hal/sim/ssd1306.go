package sim

import (
	"image"
	"image/color"
	"image/png"
	"io"
	"strings"
	"sync"
)

// SSD1306 geometry: 128 segments by 64 commons, the GDDRAM in 8 pages of
// 8 rows (Solomon Systech SSD1306 datasheet rev 1.1, section 8.7).
const (
	oledCols  = 128
	oledPages = 8
)

// SSD1306 control bytes (section 8.1.5.2): Co (bit 7) set means one byte
// follows and then another control byte; D/C# (bit 6) says data or command.
const (
	oledCo   = 0x80
	oledData = 0x40
)

// oledArgs is how many argument bytes each command with arguments takes
// (section 9, "Command Table").
var oledArgs = map[byte]int{
	0x81: 1, // set contrast
	0x8D: 1, // charge pump
	0x20: 1, // memory addressing mode
	0x21: 2, // column address start, end
	0x22: 2, // page address start, end
	0xA3: 2, // vertical scroll area
	0xA8: 1, // multiplex ratio
	0xD3: 1, // display offset
	0xD5: 1, // clock divide ratio / oscillator frequency
	0xD9: 1, // pre-charge period
	0xDA: 1, // COM pins hardware configuration
	0xDB: 1, // VCOMH deselect level
	0x26: 6, // right horizontal scroll
	0x27: 6, // left horizontal scroll
	0x29: 5, // vertical and right horizontal scroll
	0x2A: 5, // vertical and left horizontal scroll
}

// SSD1306 is a Solomon Systech SSD1306 128x64 OLED controller on I2C. It
// keeps its GDDRAM, so Screen shows what the panel would: the rows the
// multiplex ratio enables, with the segment remap and COM scan direction
// applied (0xA1 and 0xC8 are the usual upright module), inverted by 0xA7,
// dark while the display is off. Scrolling is accepted but not animated.
type SSD1306 struct {
	mu                 sync.Mutex
	ram                [oledPages][oledCols]byte
	on                 bool
	inverted           bool
	remap              bool // 0xA1: column 127 is SEG0
	comScan            bool // 0xC8: scan from COM[N-1] to COM0
	contrast           byte
	mux                int  // multiplex ratio + 1: the rows shown
	mode               byte // 0 horizontal, 1 vertical, 2 page addressing
	col, page          int
	colStart, colEnd   int
	pageStart, pageEnd int
	pending            []byte // a command waiting for its arguments
}

func newSSD1306() *SSD1306 {
	// Power-on values (section 10, "Command Descriptions").
	return &SSD1306{contrast: 0x7F, mux: 64, mode: 2, colEnd: oledCols - 1, pageEnd: oledPages - 1}
}

// Tx follows section 8.1.5: a write is a control byte followed by commands
// or data; a read returns the status byte (bit 6: display off).
func (d *SSD1306) Tx(w, r []byte) error {
	d.mu.Lock()
	defer d.mu.Unlock()
	for len(w) > 0 {
		ctrl := w[0]
		w = w[1:]
		n := len(w)
		if ctrl&oledCo != 0 {
			n = min(n, 1)
		}
		for _, b := range w[:n] {
			if ctrl&oledData != 0 {
				d.data(b)
			} else {
				d.command(b)
			}
		}
		w = w[n:]
	}
	for i := range r {
		r[i] = 0
		if !d.on {
			r[i] = 0x40
		}
	}
	return nil
}

func (d *SSD1306) command(b byte) {
	if len(d.pending) == 0 {
		if oledArgs[b] > 0 {
			d.pending = append(d.pending, b)
			return
		}
	} else {
		d.pending = append(d.pending, b)
		if len(d.pending) <= oledArgs[d.pending[0]] {
			return
		}
		b = d.pending[0]
	}
	args := d.pending
	d.pending = nil
	arg := func(i int) int { return int(args[i]) }
	switch {
	case b == 0x81:
		d.contrast = args[1]
	case b == 0x20:
		d.mode = args[1] & 3
	case b == 0x21:
		d.colStart, d.colEnd = arg(1)&0x7F, arg(2)&0x7F
		d.col = d.colStart
	case b == 0x22:
		d.pageStart, d.pageEnd = arg(1)&7, arg(2)&7
		d.page = d.pageStart
	case b == 0xA8:
		if m := arg(1)&0x3F + 1; m >= 16 {
			d.mux = m // values below 15 are invalid
		}
	case b == 0xA0 || b == 0xA1:
		d.remap = b == 0xA1
	case b == 0xA6 || b == 0xA7:
		d.inverted = b == 0xA7
	case b == 0xAE || b == 0xAF:
		d.on = b == 0xAF
	case b == 0xC0 || b == 0xC8:
		d.comScan = b == 0xC8
	case b >= 0xB0 && b <= 0xB7: // page start, for page addressing
		d.page = int(b & 7)
	case b <= 0x0F: // lower column start nibble, for page addressing
		d.col = d.col&0xF0 | int(b)
	case b >= 0x10 && b <= 0x1F: // higher column start nibble
		d.col = d.col&0x0F | int(b&7)<<4
	} // the rest (display start line, offset, clock, charge pump, scrolling) do not change the picture here
}

// data stores a byte of 8 vertical pixels and moves the pointers as the
// addressing mode says (section 10.1.3).
func (d *SSD1306) data(b byte) {
	d.ram[d.page&7][d.col&0x7F] = b
	switch d.mode {
	case 0: // horizontal: along the page, then the next page of the window
		if d.col++; d.col > d.colEnd {
			d.col = d.colStart
			if d.page++; d.page > d.pageEnd {
				d.page = d.pageStart
			}
		}
	case 1: // vertical: down the pages, then the next column
		if d.page++; d.page > d.pageEnd {
			d.page = d.pageStart
			if d.col++; d.col > d.colEnd {
				d.col = d.colStart
			}
		}
	default: // page: along the page, wrapping within it
		d.col = (d.col + 1) % oledCols
	}
}

// Pixels returns the panel as the viewer sees it: rows of lit (true) pixels.
func (d *SSD1306) Pixels() [][]bool {
	d.mu.Lock()
	defer d.mu.Unlock()
	rows := make([][]bool, d.mux)
	for y := range rows {
		rows[y] = make([]bool, oledCols)
		com := y
		if !d.comScan {
			com = d.mux - 1 - y
		}
		for x := range oledCols {
			seg := x
			if !d.remap {
				seg = oledCols - 1 - x
			}
			lit := d.ram[com/8][seg]>>(com%8)&1 == 1
			rows[y][x] = d.on && lit != d.inverted
		}
	}
	return rows
}

// Type implements Model.
func (d *SSD1306) Type() string { return "ssd1306" }

// Inputs implements Model: an OLED measures nothing.
func (d *SSD1306) Inputs() []Input { return nil }

// Set implements Model.
func (d *SSD1306) Set(values map[string]float64) error {
	return setInputs(d.Type(), nil, values, nil)
}

// State implements Model: on, inverted, contrast, width, height and the
// screen as text (see Art).
func (d *SSD1306) State() map[string]any {
	px := d.Pixels()
	d.mu.Lock()
	defer d.mu.Unlock()
	return map[string]any{
		"on": d.on, "inverted": d.inverted, "contrast": float64(d.contrast),
		"width": float64(oledCols), "height": float64(d.mux), "screen": Art(px),
	}
}

// A Screen is a simulated display whose picture can be looked at.
type Screen interface {
	Model
	Pixels() [][]bool
}

// Art draws pixels as text, two rows to a line with half blocks (▀ ▄ █),
// in a frame, so a terminal shows the screen at about its proportions.
func Art(px [][]bool) string {
	if len(px) == 0 {
		return ""
	}
	w := len(px[0])
	var b strings.Builder
	b.WriteString("┌" + strings.Repeat("─", w) + "┐\n")
	for y := 0; y < len(px); y += 2 {
		b.WriteString("│")
		for x := range w {
			top := px[y][x]
			bottom := y+1 < len(px) && px[y+1][x]
			switch {
			case top && bottom:
				b.WriteString("█")
			case top:
				b.WriteString("▀")
			case bottom:
				b.WriteString("▄")
			default:
				b.WriteString(" ")
			}
		}
		b.WriteString("│\n")
	}
	b.WriteString("└" + strings.Repeat("─", w) + "┘\n")
	return b.String()
}

// WritePNG writes pixels as a PNG, each pixel scale×scale, lit pixels
// white on black.
func WritePNG(w io.Writer, px [][]bool, scale int) error {
	if len(px) == 0 {
		return png.Encode(w, image.NewGray(image.Rect(0, 0, 1, 1)))
	}
	img := image.NewGray(image.Rect(0, 0, len(px[0])*scale, len(px)*scale))
	for y, row := range px {
		for x, lit := range row {
			if !lit {
				continue
			}
			for dy := range scale {
				for dx := range scale {
					img.SetGray(x*scale+dx, y*scale+dy, color.Gray{Y: 0xFF})
				}
			}
		}
	}
	return png.Encode(w, img)
}
