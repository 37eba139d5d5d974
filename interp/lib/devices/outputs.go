package devices

import (
	"math"

	"github.com/moonpin/moonpin/interp/host"
	lua "github.com/yuin/gopher-lua"
	"periph.io/x/conn/v3/gpio"
	"periph.io/x/conn/v3/i2c"
	"periph.io/x/conn/v3/physic"
	"periph.io/x/devices/v3/apa102"
	"periph.io/x/devices/v3/ht16k33"
	"periph.io/x/devices/v3/max7219"
	"periph.io/x/devices/v3/nrzled"
	"periph.io/x/devices/v3/pca9685"
	"periph.io/x/devices/v3/ssd1306"
)

// ssd1306 drives a Solomon Systech SSD1306 OLED (128x64 or 128x32) on
// I2C. Drawing goes to a frame buffer in the handle; show() sends what
// changed. Options: addr (0x3C or 0x3D), height (64 or 32), flip (rotate
// the picture by 180°).
var ssd1306Kind = &kind{
	name:    "ssd1306",
	part:    "SSD1306",
	addrs:   []uint16{0x3C, 0x3D},
	options: []string{"height", "flip"},
	methods: map[string]lua.LGFunction{
		"clear":    oledClear,
		"pixel":    oledPixel,
		"line":     oledLine,
		"rect":     oledRect,
		"text":     oledText,
		"show":     oledShow,
		"contrast": oledContrast,
		"invert":   oledInvert,
	},
	open: func(L *lua.LState, w *wire, o opts) connect {
		so := ssd1306.DefaultOpts
		so.H = int(o.oneOf("height", 64, 64, 32))
		if lua.LVAsBool(o.get("flip")) {
			so.MirrorHorizontal, so.MirrorVertical = true, true
		}
		return func() (any, func() error, error) {
			// periph's driver talks to 0x3C; at 0x3D, move its transactions.
			var bus i2c.Bus = w.bus
			if w.addr != 0x3C {
				bus = &movedBus{Bus: w.bus, from: 0x3C, to: w.addr}
			}
			dev, err := ssd1306.NewI2C(bus, &so)
			if err != nil {
				return nil, nil, err
			}
			return &oled{dev: dev, w: so.W, h: so.H, buf: make([]byte, so.W*so.H/8)}, dev.Halt, nil
		}
	},
}

// movedBus sends a driver's transactions for address from to address to.
type movedBus struct {
	i2c.Bus
	from, to uint16
}

func (b *movedBus) Tx(addr uint16, w, r []byte) error {
	if addr == b.from {
		addr = b.to
	}
	return b.Bus.Tx(addr, w, r)
}

// oled is an SSD1306 with its frame buffer, in the controller's layout:
// pages of 8 rows, a byte per column with the top row in bit 0.
type oled struct {
	dev  *ssd1306.Dev
	w, h int
	buf  []byte
}

func (o *oled) set(x, y int, on bool) {
	if !o.on(x, y) {
		return // drawing is clipped to the screen
	}
	i, bit := y/8*o.w+x, byte(1)<<(y%8)
	if on {
		o.buf[i] |= bit
	} else {
		o.buf[i] &^= bit
	}
}

func checkOLED(L *lua.LState) *oled { return check(L, "ssd1306").drv.(*oled) }

// color reads an optional on/off argument: true or 1 lights (the default).
func color(L *lua.LState, n int) bool {
	switch v := L.Get(n).(type) {
	case *lua.LNilType:
		return true
	case lua.LBool:
		return bool(v)
	case lua.LNumber:
		return v != 0
	default:
		host.ArgError(L, n, "expected true/1 (lit) or false/0 (dark), got %s", v.Type())
		return false
	}
}

// coord reads a coordinate argument, rounded to a pixel.
// coord is argument n as a pixel coordinate, kept within ±2^29 (far off
// any screen) so that sums of two cannot overflow a 32-bit int; NaN is
// refused.
func coord(L *lua.LState, n int) int {
	v := float64(L.CheckNumber(n))
	if math.IsNaN(v) {
		host.ArgError(L, n, "coordinate is NaN")
	}
	return int(math.Round(max(-1<<29, min(v, 1<<29))))
}

func oledClear(L *lua.LState) int {
	o := checkOLED(L)
	clear(o.buf)
	return 0
}

// pixel(x, y [, on]) lights (or darkens) one pixel; (0, 0) is the top left.
func oledPixel(L *lua.LState) int {
	o := checkOLED(L)
	o.set(coord(L, 2), coord(L, 3), color(L, 4))
	return 0
}

// line(x0, y0, x1, y1 [, on]) draws a line (Bresenham's).
func oledLine(L *lua.LState) int {
	o := checkOLED(L)
	x0, y0, x1, y1, on := coord(L, 2), coord(L, 3), coord(L, 4), coord(L, 5), color(L, 6)
	if !o.on(x0, y0) || !o.on(x1, y1) {
		// Only the part on the screen is walked: a line to (1e13, 0)
		// took for ever, and Ctrl-C could not stop it.
		var ok bool
		if x0, y0, x1, y1, ok = o.clip(x0, y0, x1, y1); !ok {
			return 0
		}
	}
	dx, dy := abs(x1-x0), -abs(y1-y0)
	sx, sy := sign(x1-x0), sign(y1-y0)
	err := dx + dy
	for n := 0; n <= dx-dy; n++ {
		o.set(x0, y0, on)
		if x0 == x1 && y0 == y1 {
			break
		}
		if e2 := 2 * err; e2 >= dy {
			err += dy
			x0 += sx
		} else if e2 <= dx {
			err += dx
			y0 += sy
		}
	}
	return 0
}

// on reports whether (x, y) is on the screen.
func (o *oled) on(x, y int) bool { return x >= 0 && y >= 0 && x < o.w && y < o.h }

// clip is the part of the line from (x0, y0) to (x1, y1) on the screen
// (Liang–Barsky), its ends rounded to pixels; ok is false when no part is.
func (o *oled) clip(x0, y0, x1, y1 int) (cx0, cy0, cx1, cy1 int, ok bool) {
	fx, fy := float64(x0), float64(y0)
	dx, dy := float64(x1)-fx, float64(y1)-fy
	t0, t1 := 0.0, 1.0
	for _, edge := range [4][2]float64{{-dx, fx}, {dx, float64(o.w-1) - fx}, {-dy, fy}, {dy, float64(o.h-1) - fy}} {
		p, q := edge[0], edge[1]
		switch {
		case p == 0 && q < 0:
			return 0, 0, 0, 0, false // parallel to this edge and outside it
		case p < 0:
			t0 = max(t0, q/p)
		case p > 0:
			t1 = min(t1, q/p)
		}
	}
	if t0 > t1 {
		return 0, 0, 0, 0, false
	}
	at := func(t float64) (int, int) { return int(math.Round(fx + t*dx)), int(math.Round(fy + t*dy)) }
	cx0, cy0 = at(t0)
	cx1, cy1 = at(t1)
	return cx0, cy0, cx1, cy1, true
}

func abs(x int) int { return max(x, -x) }

func sign(x int) int {
	switch {
	case x < 0:
		return -1
	case x > 0:
		return 1
	}
	return 0
}

// rect(x, y, w, h [, fill [, on]]) draws a rectangle's outline, or fills it.
func oledRect(L *lua.LState) int {
	o := checkOLED(L)
	x, y, w, h := coord(L, 2), coord(L, 3), coord(L, 4), coord(L, 5)
	fill, on := L.OptBool(6, false), color(L, 7)
	// Only the pixels on the screen are visited (see line).
	for j := max(y, 0); j < min(y+h, o.h); j++ {
		for i := max(x, 0); i < min(x+w, o.w); i++ {
			if fill || j == y || j == y+h-1 || i == x || i == x+w-1 {
				o.set(i, j, on)
			}
		}
	}
	return 0
}

// text(x, y, s [, on]) writes s in an 8x8 font (code page 437), its top
// left at (x, y): 16 characters a line, 8 lines on a 128x64 screen.
func oledText(L *lua.LState) int {
	o := checkOLED(L)
	x, y, s, on := coord(L, 2), coord(L, 3), L.CheckString(4), color(L, 5)
	// Only the characters on the screen are drawn (see line).
	first, last := max(0, -x/8), min(len(s), (o.w-x+7)/8)
	if y <= -8 || y >= o.h {
		last = 0
	}
	for i := first; i < last; i++ {
		glyph := max7219.CP437Glyphs[s[i]]
		for row, bits := range glyph {
			for col := range 8 {
				if bits>>(7-col)&1 == 1 {
					o.set(x+8*i+col, y+row, on)
				}
			}
		}
	}
	return 0
}

// show sends the frame buffer to the display.
func oledShow(L *lua.LState) int {
	call(L, "ssd1306", "show", func(d *device) error {
		o := d.drv.(*oled)
		_, err := o.dev.Write(o.buf)
		return err
	})
	return 0
}

// contrast(level) sets the brightness, 0..255.
func oledContrast(L *lua.LState) int {
	level := host.CheckInt(L, 2, "contrast", 0, 255)
	call(L, "ssd1306", "contrast", func(d *device) error { return d.drv.(*oled).dev.SetContrast(byte(level)) })
	return 0
}

// invert(on) shows dark pixels lit and lit ones dark.
func oledInvert(L *lua.LState) int {
	on := L.CheckBool(2)
	call(L, "ssd1306", "invert", func(d *device) error { return d.drv.(*oled).dev.Invert(on) })
	return 0
}

// pca9685 drives NXP's 16-channel 12-bit PWM controller, the usual servo
// board. Options: addr (0x40..0x7F, less the all-call 0x70), freq (Hz,
// 24..1526; 50 for servos), and the servos' range: min_us and max_us (the
// pulse at 0° and at range°, 500 and 2500 µs by default) and range (180°).
var pca9685Kind = &kind{
	name:    "pca9685",
	part:    "PCA9685",
	addrs:   pcaAddrs(),
	options: []string{"freq", "min_us", "max_us", "range"},
	slow:    true,
	methods: map[string]lua.LGFunction{
		"freq":  pcaFreq,
		"duty":  pcaDuty,
		"pulse": pcaPulse,
		"servo": pcaServo,
		"off":   pcaOff,
	},
	open: func(L *lua.LState, w *wire, o opts) connect {
		p := &pca{
			freq:  o.within("freq", 50, 24, 1526, " Hz"),
			minUS: o.within("min_us", 500, 0, 20000, " µs"),
			maxUS: o.within("max_us", 2500, 0, 20000, " µs"),
			deg:   o.within("range", 180, 1, 360, "°"),
		}
		return func() (any, func() error, error) {
			dev, err := pca9685.NewI2C(w.bus, w.addr)
			if err != nil {
				return nil, nil, err
			}
			p.dev = dev
			if err := dev.SetPwmFreq(physic.Frequency(p.freq * float64(physic.Hertz))); err != nil {
				return nil, nil, err
			}
			return p, func() error { return dev.SetAllPwm(0, 0) }, nil
		}
	},
}

func pcaAddrs() []uint16 {
	var a []uint16
	for addr := uint16(0x40); addr <= 0x7F; addr++ {
		if addr != 0x70 {
			a = append(a, addr)
		}
	}
	return a
}

type pca struct {
	dev                     *pca9685.Dev
	freq, minUS, maxUS, deg float64
}

// set sets a channel's high time to duty (0..1) of the period.
func (p *pca) set(ch int, duty float64) error {
	switch {
	case duty <= 0:
		return p.dev.SetFullOff(ch)
	case duty >= 1:
		return p.dev.SetFullOn(ch)
	}
	return p.dev.SetPwm(ch, 0, gpio.Duty(math.Round(duty*4096)))
}

func pcaChannel(L *lua.LState) int { return host.CheckInt(L, 2, "channel", 0, 15) }

// freq(hz) sets the PWM frequency of all channels.
func pcaFreq(L *lua.LState) int {
	hz := host.CheckRange(L, 2, "freq", 24, 1526)
	call(L, "pca9685", "freq", func(d *device) error {
		p := d.drv.(*pca)
		p.freq = hz
		return p.dev.SetPwmFreq(physic.Frequency(hz * float64(physic.Hertz)))
	})
	return 0
}

// duty(channel, fraction) sets the high time of a channel's period, 0..1.
func pcaDuty(L *lua.LState) int {
	ch, duty := pcaChannel(L), host.CheckRange(L, 3, "duty", 0, 1)
	call(L, "pca9685", "duty", func(d *device) error { return d.drv.(*pca).set(ch, duty) })
	return 0
}

// pulse(channel, us) sets a channel's high time in microseconds.
func pcaPulse(L *lua.LState) int {
	ch, us := pcaChannel(L), host.CheckRange(L, 3, "pulse", 0, 1e6/24)
	call(L, "pca9685", "pulse", func(d *device) error {
		p := d.drv.(*pca)
		return p.set(ch, us*p.freq/1e6)
	})
	return 0
}

// servo(channel, degrees) turns a servo: 0..range degrees maps linearly to
// min_us..max_us.
func pcaServo(L *lua.LState) int {
	ch, deg := pcaChannel(L), float64(L.CheckNumber(3))
	d := check(L, "pca9685")
	p := d.drv.(*pca)
	if !(deg >= 0 && deg <= p.deg) {
		host.ArgError(L, 3, "angle %s is outside 0..%s degrees (the range option)", host.Number(deg), host.Number(p.deg))
	}
	us := p.minUS + (p.maxUS-p.minUS)*deg/p.deg
	call(L, "pca9685", "servo", func(d *device) error { return p.set(ch, us*p.freq/1e6) })
	return 0
}

// off(channel) turns a channel fully off (a servo goes limp).
func pcaOff(L *lua.LState) int {
	ch := pcaChannel(L)
	call(L, "pca9685", "off", func(d *device) error { return d.drv.(*pca).dev.SetFullOff(ch) })
	return 0
}

// ht16k33 drives a Holtek HT16K33 with a 4-character 14-segment
// alphanumeric display (Adafruit's backpack). Options: addr (0x70..0x77).
var ht16k33Kind = &kind{
	name:  "ht16k33",
	part:  "HT16K33",
	addrs: []uint16{0x70, 0x71, 0x72, 0x73, 0x74, 0x75, 0x76, 0x77},
	methods: map[string]lua.LGFunction{
		"text":       htText,
		"brightness": htBrightness,
		"blink":      htBlink,
		"clear":      htClear,
	},
	open: func(L *lua.LState, w *wire, o opts) connect {
		return func() (any, func() error, error) {
			// The display's own Dev is out of reach; a second handle on the
			// same chip sets brightness and blinking.
			disp, err := ht16k33.NewAlphaNumericDisplay(w.bus, w.addr)
			if err != nil {
				return nil, nil, err
			}
			dev, err := ht16k33.NewI2C(w.bus, w.addr)
			if err != nil {
				return nil, nil, err
			}
			return &alnum{dev, disp}, dev.Halt, nil
		}
	},
}

type alnum struct {
	dev  *ht16k33.Dev
	disp *ht16k33.Display
}

// text(s) shows up to 4 characters, right-aligned; a "." lights the
// previous character's decimal point (see layout). The layout is ours:
// periph's WriteString indexes s by display position for a "." (a panic
// for "1." or ".5", the wrong digit for "2.5") and writes past the 4th
// character.
func htText(L *lua.LState) int {
	s := L.CheckString(2)
	for _, c := range s {
		if c < ' ' || c > '~' {
			host.ArgError(L, 2, "%q cannot be shown: the display shows printable ASCII, space to ~", c)
		}
	}
	cells := layout(L, s, 4, "characters")
	call(L, "ht16k33", "text", func(d *device) error {
		disp := d.drv.(*alnum).disp
		for i, c := range cells {
			if err := disp.SetDigit(i, rune(c.ch), c.dot); err != nil {
				return err
			}
		}
		return nil
	})
	return 0
}

// brightness(level) sets the brightness, 0..15.
func htBrightness(L *lua.LState) int {
	level := host.CheckInt(L, 2, "brightness", 0, 15)
	call(L, "ht16k33", "brightness", func(d *device) error { return d.drv.(*alnum).dev.SetBrightness(level) })
	return 0
}

// blink(hz) blinks the display at 0 (steady), 0.5, 1 or 2 Hz.
func htBlink(L *lua.LState) int {
	rates := map[float64]ht16k33.BlinkFrequency{0: ht16k33.BlinkOff, 0.5: ht16k33.BlinkHalfHz, 1: ht16k33.Blink1Hz, 2: ht16k33.Blink2Hz}
	f, ok := rates[float64(L.CheckNumber(2))]
	if !ok {
		host.ArgError(L, 2, "blink rate %s is not one of 0, 0.5, 1, 2 (Hz)", host.Number(float64(L.CheckNumber(2))))
	}
	call(L, "ht16k33", "blink", func(d *device) error { return d.drv.(*alnum).dev.SetBlink(f) })
	return 0
}

// clear darkens every segment.
func htClear(L *lua.LState) int {
	call(L, "ht16k33", "clear", func(d *device) error { return d.drv.(*alnum).dev.Halt() })
	return 0
}

// ws2812 drives a strip of WS2812B (NeoPixel) LEDs from an SPI port's MOSI,
// as periph's nrzled encodes them. Colors are set in the handle and sent
// by show(). Options: leds (the strip's length, default 8).
var ws2812Kind = &kind{
	name:    "ws2812",
	part:    "WS2812",
	options: []string{"leds"},
	methods: stripMethods("ws2812"),
	open: func(L *lua.LState, w *wire, o opts) connect {
		n := int(o.within("leds", 8, 1, 1000, " LEDs"))
		return func() (any, func() error, error) {
			no := nrzled.DefaultOpts
			no.NumPixels, no.Freq = n, 2500*physic.KiloHertz
			dev, err := nrzled.NewSPI(w.port, &no)
			if err != nil {
				return nil, nil, err
			}
			return &strip{dev: dev, rgb: make([]byte, 3*n)}, dev.Halt, nil
		}
	},
}

// apa102 drives a strip of APA102 (DotStar) LEDs on an SPI port's MOSI and
// SCLK through periph's apa102, colors passed through as set (no white
// balance; periph's gamma ramp). Options: leds (default 8) and brightness
// (0..255, default 255).
var apa102Kind = &kind{
	name:    "apa102",
	part:    "APA102",
	options: []string{"leds", "brightness"},
	methods: stripMethods("apa102"),
	open: func(L *lua.LState, w *wire, o opts) connect {
		n := int(o.within("leds", 8, 1, 1000, " LEDs"))
		bright := uint8(o.within("brightness", 255, 0, 255, ""))
		return func() (any, func() error, error) {
			ao := apa102.PassThruOpts
			ao.NumPixels, ao.Intensity = n, bright
			dev, err := apa102.New(w.port, &ao)
			if err != nil {
				return nil, nil, err
			}
			return &strip{dev: dev, rgb: make([]byte, 3*n)}, dev.Halt, nil
		}
	},
}

// stripMethods are the methods of the LED strip kind k.
func stripMethods(k string) map[string]lua.LGFunction {
	return map[string]lua.LGFunction{
		"set":   func(L *lua.LState) int { return stripSet(L, k) },
		"fill":  func(L *lua.LState) int { return stripFill(L, k) },
		"show":  func(L *lua.LState) int { return stripShow(L, k) },
		"clear": func(L *lua.LState) int { return stripClear(L, k) },
		"count": func(L *lua.LState) int { return stripCount(L, k) },
	}
}

type strip struct {
	dev interface {
		Write([]byte) (int, error)
	}
	rgb []byte // 3 bytes an LED, as set; sent by show
}

// rgbArgs reads a color from argument n on: r, g, b (0..255 each) or one
// number 0xRRGGBB.
func rgbArgs(L *lua.LState, n int) (r, g, b byte) {
	if L.GetTop() == n {
		c := host.CheckInt(L, n, "color", 0, 0xFFFFFF)
		return byte(c >> 16), byte(c >> 8), byte(c)
	}
	return byte(host.CheckInt(L, n, "red", 0, 255)), byte(host.CheckInt(L, n+1, "green", 0, 255)), byte(host.CheckInt(L, n+2, "blue", 0, 255))
}

// set(i, r, g, b) or set(i, 0xRRGGBB) sets LED i (1 is nearest the Pi).
func stripSet(L *lua.LState, k string) int {
	s := check(L, k).drv.(*strip)
	i := host.CheckInt(L, 2, "LED", 1, len(s.rgb)/3)
	s.rgb[3*i-3], s.rgb[3*i-2], s.rgb[3*i-1] = rgbArgs(L, 3)
	return 0
}

// fill(r, g, b) or fill(0xRRGGBB) sets every LED.
func stripFill(L *lua.LState, k string) int {
	s := check(L, k).drv.(*strip)
	r, g, b := rgbArgs(L, 2)
	for i := 0; i < len(s.rgb); i += 3 {
		s.rgb[i], s.rgb[i+1], s.rgb[i+2] = r, g, b
	}
	return 0
}

// clear sets every LED dark (show() sends it).
func stripClear(L *lua.LState, k string) int {
	clear(check(L, k).drv.(*strip).rgb)
	return 0
}

// count returns the number of LEDs.
func stripCount(L *lua.LState, k string) int {
	L.Push(lua.LNumber(len(check(L, k).drv.(*strip).rgb) / 3))
	return 1
}

// show sends the colors to the strip.
func stripShow(L *lua.LState, k string) int {
	call(L, k, "show", func(d *device) error {
		s := d.drv.(*strip)
		_, err := s.dev.Write(s.rgb)
		return err
	})
	return 0
}
