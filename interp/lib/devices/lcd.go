package devices

import (
	"time"

	"github.com/moonpin/moonpin/interp/host"
	lua "github.com/yuin/gopher-lua"
	"periph.io/x/conn/v3/i2c"
)

// hd44780 drives a character LCD (HD44780, 16x2 or 20x4) through the
// PCF8574 I2C backpack it is usually sold with: P0 RS, P1 RW, P2 E, P3 the
// backlight, P4..P7 D4..D7. The driver is ours, in Go: periph's hd44780
// wants six GPIO pins (through pcf857x that is one I2C write per pin
// change) and its set-up never sends the function set for two lines.
// Options: addr (0x27 or 0x3F, or the others a PCF8574/PCF8574A can
// have), cols (16 or 20), rows (1, 2 or 4), backlight (default true).
var hd44780Kind = &kind{
	name:    "hd44780",
	part:    "HD44780 LCD (PCF8574 backpack)",
	addrs:   []uint16{0x27, 0x20, 0x21, 0x22, 0x23, 0x24, 0x25, 0x26, 0x3F, 0x38, 0x39, 0x3A, 0x3B, 0x3C, 0x3D, 0x3E},
	options: []string{"cols", "rows", "backlight"},
	slow:    true,
	methods: map[string]lua.LGFunction{
		"text":      lcdText,
		"clear":     lcdClear,
		"backlight": lcdLight,
		"cursor":    lcdCursor,
	},
	open: func(L *lua.LState, w *wire, o opts) connect {
		cols := int(o.oneOf("cols", 16, 16, 20))
		rows := int(o.oneOf("rows", 2, 1, 2, 4))
		light := true
		if v := o.get("backlight"); v != lua.LNil {
			light = lua.LVAsBool(v)
		}
		return func() (any, func() error, error) {
			l := &lcd{dev: &i2c.Dev{Bus: w.bus, Addr: w.addr}, cols: cols, rows: rows, light: light}
			if err := l.init(); err != nil {
				return nil, nil, err
			}
			return l, l.halt, nil
		}
	},
}

// PCF8574 port bits on the backpack.
const (
	lcdRS        = 1 << 0
	lcdE         = 1 << 2
	lcdBacklight = 1 << 3
)

// lcdRowStart is each row's first DDRAM address.
var lcdRowStart = []byte{0x00, 0x40, 0x14, 0x54}

type lcd struct {
	dev        *i2c.Dev
	cols, rows int
	light      bool
}

// send writes a byte as two nibbles, each strobed by E (the PCF8574 sets
// its port to each byte of a write in turn; at 100 kHz a byte takes 90 µs,
// more than an instruction's 37 µs).
func (l *lcd) send(b byte, rs bool) error {
	ctl := byte(0)
	if rs {
		ctl |= lcdRS
	}
	if l.light {
		ctl |= lcdBacklight
	}
	hi, lo := b&0xF0|ctl, b<<4|ctl
	return l.dev.Tx([]byte{hi | lcdE, hi, lo | lcdE, lo}, nil)
}

// nibble strobes one 4-bit transfer, for the set-up while the controller
// may be in 8-bit mode.
func (l *lcd) nibble(n byte) error {
	b := n<<4 | lcdBacklight
	return l.dev.Tx([]byte{b | lcdE, b}, nil)
}

// init follows the datasheet's "Initializing by Instruction" for 4-bit
// mode, which works whatever state the controller is in.
func (l *lcd) init() error {
	time.Sleep(40 * time.Millisecond) // power-on: VCC rises to 4.5 V
	for _, step := range []struct {
		n    byte
		wait time.Duration
	}{{3, 4100 * time.Microsecond}, {3, 100 * time.Microsecond}, {3, 100 * time.Microsecond}, {2, 100 * time.Microsecond}} {
		if err := l.nibble(step.n); err != nil {
			return err
		}
		time.Sleep(step.wait)
	}
	function := byte(0x20) // 4-bit, one line, 5x8 dots
	if l.rows > 1 {
		function |= 0x08
	}
	for _, b := range []byte{function, 0x08, 0x06} { // display off; entry: increment
		if err := l.send(b, false); err != nil {
			return err
		}
	}
	if err := l.clear(); err != nil {
		return err
	}
	return l.send(0x0C, false) // display on, no cursor
}

func (l *lcd) clear() error {
	if err := l.send(0x01, false); err != nil {
		return err
	}
	time.Sleep(2 * time.Millisecond) // 1.52 ms
	return nil
}

// halt clears the LCD and turns it and the backlight off.
func (l *lcd) halt() error {
	if err := l.clear(); err != nil {
		return err
	}
	l.light = false
	return l.send(0x08, false)
}

func checkLCD(L *lua.LState) *lcd { return check(L, "hd44780").drv.(*lcd) }

// text(col, row, s) writes s from column col of row row ((0, 0) is the top
// left), cut at the end of the row.
func lcdText(L *lua.LState) int {
	l := checkLCD(L)
	col := host.CheckInt(L, 2, "column", 0, l.cols-1)
	row := host.CheckInt(L, 3, "row", 0, l.rows-1)
	s := L.CheckString(4)
	if len(s) > l.cols-col {
		s = s[:l.cols-col]
	}
	call(L, "hd44780", "text", func(d *device) error {
		if err := l.send(0x80|(lcdRowStart[row]+byte(col)), false); err != nil {
			return err
		}
		for i := 0; i < len(s); i++ {
			if err := l.send(s[i], true); err != nil {
				return err
			}
		}
		return nil
	})
	return 0
}

// clear blanks every character.
func lcdClear(L *lua.LState) int {
	call(L, "hd44780", "clear", func(d *device) error { return d.drv.(*lcd).clear() })
	return 0
}

// lcdLight: backlight(on) turns the backlight on or off.
func lcdLight(L *lua.LState) int {
	l := checkLCD(L)
	on := color(L, 2)
	call(L, "hd44780", "backlight", func(d *device) error {
		l.light = on
		b := byte(0)
		if on {
			b = lcdBacklight
		}
		return l.dev.Tx([]byte{b}, nil)
	})
	return 0
}

// cursor(on) shows or hides the underline cursor.
func lcdCursor(L *lua.LState) int {
	on := lua.LVAsBool(L.Get(2))
	if _, ok := L.Get(2).(lua.LBool); !ok {
		host.ArgError(L, 2, "expected true or false, got %s", L.Get(2).Type())
	}
	call(L, "hd44780", "cursor", func(d *device) error {
		b := byte(0x0C)
		if on {
			b |= 0x02
		}
		return d.drv.(*lcd).send(b, false)
	})
	return 0
}
