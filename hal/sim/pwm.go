package sim

import (
	"math"
	"sync"
)

// PCA9685 is an NXP PCA9685 16-channel 12-bit PWM controller (product data
// sheet rev. 4, section 7.3 "Register definitions") with its 25 MHz
// internal oscillator. Its outputs are reported by State: freq in Hz, and
// for each channel duty (0..1) and pulse_us, the high time of a period.
type PCA9685 struct {
	mu   sync.Mutex
	regs [256]byte
	ptr  byte
}

// PCA9685 registers and MODE1 bits.
const (
	pcaMode1    = 0x00
	pcaMode2    = 0x01
	pcaLED0     = 0x06 // LEDn_ON_L, _ON_H, _OFF_L, _OFF_H at 0x06 + 4n
	pcaAllLED   = 0xFA // ALL_LED_ON_L .. ALL_LED_OFF_H: write-only, read 0
	pcaPrescale = 0xFE // writable only while SLEEP is set
	pcaAI       = 0x20 // MODE1: auto-increment
	pcaSleep    = 0x10 // MODE1: oscillator off
	pcaOsc      = 25e6
)

func newPCA9685() *PCA9685 {
	d := &PCA9685{}
	d.regs[pcaMode1] = 0x11 // SLEEP, ALLCALL
	d.regs[pcaMode2] = 0x04 // OUTDRV
	for ch := range 16 {
		d.regs[pcaLED0+4*ch+3] = 0x10 // LEDn full off
	}
	d.regs[pcaPrescale] = 0x1E // 200 Hz
	return d
}

// Tx: the first byte written is the control register; with AI set in MODE1
// the pointer increments after each byte (section 7.3.1).
func (d *PCA9685) Tx(w, r []byte) error {
	d.mu.Lock()
	defer d.mu.Unlock()
	if len(w) > 0 {
		d.ptr = w[0]
		for _, v := range w[1:] {
			d.write(d.ptr, v)
			d.next()
		}
	}
	for i := range r {
		if d.ptr >= pcaAllLED && d.ptr < pcaPrescale {
			r[i] = 0
		} else {
			r[i] = d.regs[d.ptr]
		}
		d.next()
	}
	return nil
}

func (d *PCA9685) next() {
	if d.regs[pcaMode1]&pcaAI != 0 {
		d.ptr++
		if d.ptr == 0 || d.ptr > pcaPrescale { // rolls over past 0xFE
			d.ptr = 0
		}
	}
}

func (d *PCA9685) write(reg, v byte) {
	switch {
	case reg == pcaMode1:
		d.regs[reg] = v &^ 0x80 // writing RESTART clears it
	case reg >= pcaAllLED && reg < pcaPrescale:
		for ch := range 16 {
			d.regs[pcaLED0+4*ch+int(reg-pcaAllLED)] = v
		}
	case reg == pcaPrescale:
		if d.regs[pcaMode1]&pcaSleep != 0 {
			d.regs[reg] = max(v, 3) // the minimum prescale is 3
		}
	case reg < 0x46 || reg == pcaMode2:
		d.regs[reg] = v
	}
}

// channel returns a channel's duty cycle as the outputs run it (section
// 7.3.3): full on (bit 4 of ON_H) unless full off (bit 4 of OFF_H), else
// (OFF - ON) / 4096 of the period.
func (d *PCA9685) channel(ch int) float64 {
	reg := d.regs[pcaLED0+4*ch:]
	on := int(reg[1]&0x0F)<<8 | int(reg[0])
	off := int(reg[3]&0x0F)<<8 | int(reg[2])
	switch {
	case reg[3]&0x10 != 0 || d.regs[pcaMode1]&pcaSleep != 0:
		return 0
	case reg[1]&0x10 != 0:
		return 1
	}
	return float64((off-on+4096)%4096) / 4096
}

func (d *PCA9685) Type() string { return "pca9685" }

func (d *PCA9685) Inputs() []Input { return nil }

func (d *PCA9685) Set(values map[string]float64) error {
	return setInputs("pca9685", nil, values, nil)
}

// State implements Model: freq (Hz), sleeping, and duty and pulse_us, lists
// of the 16 channels from channel 0.
func (d *PCA9685) State() map[string]any {
	d.mu.Lock()
	defer d.mu.Unlock()
	freq := pcaOsc / (4096 * (float64(d.regs[pcaPrescale]) + 1))
	duty := make([]float64, 16)
	pulse := make([]float64, 16)
	for ch := range duty {
		duty[ch] = d.channel(ch)
		pulse[ch] = math.Round(duty[ch]/freq*1e7) / 10 // µs, to 0.1
	}
	return map[string]any{
		"freq": math.Round(freq*10) / 10, "sleeping": d.regs[pcaMode1]&pcaSleep != 0,
		"duty": duty, "pulse_us": pulse,
	}
}

// HT16K33 is a Holtek HT16K33 LED matrix driver (datasheet v1.10): 16 bytes
// of display RAM (8 rows of 16 bits, low byte first) written from address
// 0x00, and one-byte commands for the oscillator (0x2_), display (0x8_)
// and dimming (0xE_). Its rows are reported raw by State, with on, blink
// and brightness.
type HT16K33 struct {
	mu         sync.Mutex
	ram        [16]byte
	osc        bool
	setup      byte // display setup: bit 0 on, bits 2..1 blink
	brightness byte // 0..15
}

func newHT16K33() *HT16K33 { return &HT16K33{brightness: 15} }

func (d *HT16K33) Tx(w, r []byte) error {
	d.mu.Lock()
	defer d.mu.Unlock()
	if len(w) > 0 {
		switch cmd := w[0]; cmd & 0xF0 {
		case 0x00: // display data address pointer, then data
			for i, v := range w[1:] {
				d.ram[(int(cmd&0x0F)+i)%16] = v
			}
		case 0x20:
			d.osc = cmd&1 == 1
		case 0x80:
			d.setup = cmd & 7
		case 0xE0:
			d.brightness = cmd & 0x0F
		}
	}
	for i := range r {
		r[i] = d.ram[i%16]
	}
	return nil
}

func (d *HT16K33) Type() string    { return "ht16k33" }
func (d *HT16K33) Inputs() []Input { return nil }

func (d *HT16K33) Set(values map[string]float64) error {
	return setInputs("ht16k33", nil, values, nil)
}

func (d *HT16K33) State() map[string]any {
	d.mu.Lock()
	defer d.mu.Unlock()
	rows := make([]float64, 8)
	for i := range rows {
		rows[i] = float64(uint16(d.ram[2*i]) | uint16(d.ram[2*i+1])<<8)
	}
	return map[string]any{
		"on": d.osc && d.setup&1 == 1, "blink": float64(d.setup >> 1),
		"brightness": float64(d.brightness), "rows": rows,
	}
}
