package sim

import "sync"

// WS2812 is a strip of WorldSemi WS2812B RGB LEDs fed from an SPI port's
// MOSI, the way periph's nrzled drives them: each data bit is a high pulse,
// short for 0 and long for 1 (datasheet "Data transfer time"), made of 3 or
// 4 SPI bits at 2.4..3.2 MHz. One chip-select period is one frame: 24 bits
// per LED in G, R, B order, most significant bit first, then the reset
// (low) time latches. State reports leds, a list of {r, g, b} packed as
// 0xRRGGBB numbers, from the LED nearest the Pi.
type WS2812 struct {
	mu   sync.Mutex
	leds []uint32
}

// Transfer decodes the pulses: a run of one high SPI bit is a 0, longer
// runs a 1.
func (d *WS2812) Transfer(w, r []byte) {
	clear(r)
	var bits []byte
	run := 0
	for i := range 8 * len(w) {
		if w[i/8]>>(7-i%8)&1 == 1 {
			run++
			continue
		}
		if run > 0 {
			bits = append(bits, byte(min(run-1, 1)))
			run = 0
		}
	}
	if run > 0 {
		bits = append(bits, byte(min(run-1, 1)))
	}
	leds := make([]uint32, 0, len(bits)/24)
	for i := 0; i+24 <= len(bits); i += 24 {
		var grb uint32
		for _, b := range bits[i : i+24] {
			grb = grb<<1 | uint32(b)
		}
		g, rd, b := grb>>16&0xFF, grb>>8&0xFF, grb&0xFF
		leds = append(leds, rd<<16|g<<8|b)
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	d.leds = leds
}

// LEDs returns the colors the strip shows, as 0xRRGGBB.
func (d *WS2812) LEDs() []uint32 {
	d.mu.Lock()
	defer d.mu.Unlock()
	return append([]uint32(nil), d.leds...)
}

func (d *WS2812) Type() string    { return "ws2812" }
func (d *WS2812) Inputs() []Input { return nil }

func (d *WS2812) Set(values map[string]float64) error {
	return setInputs("ws2812", nil, values, nil)
}

func (d *WS2812) State() map[string]any {
	leds := d.LEDs()
	out := make([]float64, len(leds))
	for i, c := range leds {
		out[i] = float64(c)
	}
	return map[string]any{"leds": out}
}

// APA102 is a strip of APA102 (DotStar) RGB LEDs on an SPI port's MOSI
// and SCLK (datasheet, "Data transmission"): a start frame of 32 zero
// bits, then per LED a frame 111 + 5 bits of global brightness, then
// blue, green, red; then an end frame of at least half a bit per LED
// (ones), so a transfer of n bytes holds the most LEDs that leaves room
// for it. State reports leds (0xRRGGBB each, as sent) and brightness
// (0..31 each), from the LED nearest the Pi.
type APA102 struct {
	mu         sync.Mutex
	leds       []uint32
	brightness []float64
}

// Transfer decodes a frame; a transfer without the start frame is ignored.
func (d *APA102) Transfer(w, r []byte) {
	clear(r)
	if len(w) < 4 || w[0]|w[1]|w[2]|w[3] != 0 {
		return
	}
	n := 0
	for 4+4*(n+1)+(n+1+15)/16 <= len(w) {
		n++
	}
	var leds []uint32
	var bright []float64
	for i := 4; i < 4+4*n && w[i]&0xE0 == 0xE0; i += 4 {
		leds = append(leds, uint32(w[i+3])<<16|uint32(w[i+2])<<8|uint32(w[i+1]))
		bright = append(bright, float64(w[i]&0x1F))
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	d.leds, d.brightness = leds, bright
}

func (d *APA102) Type() string    { return "apa102" }
func (d *APA102) Inputs() []Input { return nil }

func (d *APA102) Set(values map[string]float64) error {
	return setInputs("apa102", nil, values, nil)
}

func (d *APA102) State() map[string]any {
	d.mu.Lock()
	defer d.mu.Unlock()
	out := make([]float64, len(d.leds))
	for i, c := range d.leds {
		out[i] = float64(c)
	}
	return map[string]any{"leds": out, "brightness": append([]float64(nil), d.brightness...)}
}
