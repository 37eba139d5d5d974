package sim

import (
	"math"
	"sync"
)

// ADXL345 is an Analog Devices ADXL345 3-axis accelerometer on I2C
// (datasheet rev. G, "Register Map"): 8-bit registers, the address
// incrementing over a multi-byte read. DEVID reads 0xE5; while POWER_CTL's
// Measure bit is set, DATAX0..DATAZ1 hold the acceleration set as x, y, z
// in g (at rest, z = 1), little-endian, at 3.9 mg a count in full
// resolution, else 10 bits over the range DATA_FORMAT picks (±2..±16 g).
type ADXL345 struct {
	mu      sync.Mutex
	regs    [0x3A]byte
	ptr     byte
	x, y, z float64
}

// ADXL345 registers.
const (
	adxlDevID      = 0x00
	adxlPowerCtl   = 0x2D
	adxlDataFormat = 0x31
	adxlDataX0     = 0x32
)

var inAccel = []Input{{"x", "g", -16, 16}, {"y", "g", -16, 16}, {"z", "g", -16, 16}}

func newADXL345() *ADXL345 {
	d := &ADXL345{z: 1}
	d.regs[adxlDevID] = 0xE5
	d.regs[0x2C] = 0x0A // BW_RATE: 100 Hz
	return d
}

func (d *ADXL345) Tx(w, r []byte) error {
	d.mu.Lock()
	defer d.mu.Unlock()
	if len(w) > 0 {
		d.ptr = w[0]
		for _, v := range w[1:] {
			if int(d.ptr) < len(d.regs) && d.ptr != adxlDevID && d.ptr < adxlDataX0 {
				d.regs[d.ptr] = v // the ID and data registers are read-only
			}
			d.ptr++
		}
	}
	if len(r) > 0 {
		d.sample()
	}
	for i := range r {
		if int(d.ptr) < len(d.regs) {
			r[i] = d.regs[d.ptr]
		} else {
			r[i] = 0
		}
		d.ptr++
	}
	return nil
}

// sample fills the data registers; d.mu is held.
func (d *ADXL345) sample() {
	if d.regs[adxlPowerCtl]&0x08 == 0 {
		return // standby: the data registers keep the last sample
	}
	format := d.regs[adxlDataFormat]
	rng := format & 3
	perG, limit := 256.0, 512.0 // counts a g, and the 10-bit limit
	if format&0x08 != 0 {       // FULL_RES: 3.9 mg a count up to the range
		limit *= float64(int(1) << rng)
	} else {
		perG /= float64(int(1) << rng)
	}
	for i, g := range []float64{d.x, d.y, d.z} {
		v := int16(max(min(math.Round(g*perG), limit-1), -limit))
		d.regs[adxlDataX0+2*i] = byte(v)
		d.regs[adxlDataX0+2*i+1] = byte(uint16(v) >> 8)
	}
}

func (d *ADXL345) Type() string    { return "adxl345" }
func (d *ADXL345) Inputs() []Input { return inAccel }

func (d *ADXL345) Set(values map[string]float64) error {
	d.mu.Lock()
	defer d.mu.Unlock()
	return setInputs(d.Type(), inAccel, values, func(name string, v float64) {
		switch name {
		case "x":
			d.x = v
		case "y":
			d.y = v
		case "z":
			d.z = v
		}
	})
}

// State implements Model: x, y, z (g) and measuring (POWER_CTL's Measure).
func (d *ADXL345) State() map[string]any {
	d.mu.Lock()
	defer d.mu.Unlock()
	return map[string]any{"x": d.x, "y": d.y, "z": d.z, "measuring": d.regs[adxlPowerCtl]&0x08 != 0}
}
