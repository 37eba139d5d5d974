package sim

import (
	"fmt"
	"math"
	"sync"
)

// BH1750 is a ROHM BH1750FVI ambient light sensor (datasheet rev. D,
// "Instruction Set Architecture"): one-byte instructions, and a 2-byte read
// of the last measurement, lux × 1.2 × MTreg/69 (×2 in H-resolution mode 2).
// Measurements are instant here.
type BH1750 struct {
	mu      sync.Mutex
	lux     float64
	powered bool
	mode    byte // the last measurement instruction, 0 before any
	mtreg   byte // measurement time register, 31..254, default 69
	data    uint16
}

// BH1750 instructions.
const (
	bhPowerDown = 0x00
	bhPowerOn   = 0x01
	bhReset     = 0x07 // clears the data register; only when powered on
	bhHRes2     = 0x11 // continuous H-resolution mode 2 (0.5 lx); 0x21 one time
	bhMTHigh    = 0x40 // 01000_MT[7,6,5]
	bhMTLow     = 0x60 // 011_MT[4,3,2,1,0]
)

func newBH1750() *BH1750 { return &BH1750{lux: 250, mtreg: 69} }

func (d *BH1750) Tx(w, r []byte) error {
	d.mu.Lock()
	defer d.mu.Unlock()
	for _, op := range w {
		switch {
		case op == bhPowerDown:
			d.powered = false
		case op == bhPowerOn:
			d.powered = true
		case op == bhReset:
			if d.powered {
				d.data = 0
			}
		case op&0xF8 == bhMTHigh:
			d.mtreg = d.mtreg&0x1F | (op&7)<<5
		case op&0xE0 == bhMTLow:
			d.mtreg = d.mtreg&0xE0 | op&0x1F
		case op == 0x10 || op == 0x11 || op == 0x13 || op == 0x20 || op == 0x21 || op == 0x23:
			d.powered = true // a measurement instruction powers the sensor on
			d.mode = op
			d.measure()
		default:
			return fmt.Errorf("BH1750: 0x%02x is not an instruction", op)
		}
	}
	if len(r) > 0 && d.mode&0xF0 == 0x10 && d.powered {
		d.measure() // continuous modes keep measuring
	}
	for i := range r {
		switch i {
		case 0:
			r[i] = byte(d.data >> 8)
		case 1:
			r[i] = byte(d.data)
		default:
			r[i] = 0xFF
		}
	}
	return nil
}

func (d *BH1750) measure() {
	count := d.lux * 1.2 * float64(d.mtreg) / 69
	if d.mode&0x0F == 1 { // H-resolution mode 2 counts half lux
		count *= 2
	}
	d.data = uint16(min(math.Round(count), 0xFFFF))
	if d.mode&0xF0 == 0x20 { // one time modes power down after measuring
		d.powered = false
	}
}

func (d *BH1750) Type() string    { return "bh1750" }
func (d *BH1750) Inputs() []Input { return []Input{{"lux", "lx", 0, 65535}} }

func (d *BH1750) State() map[string]any {
	d.mu.Lock()
	defer d.mu.Unlock()
	return map[string]any{"lux": d.lux, "powered": d.powered}
}

func (d *BH1750) Set(values map[string]float64) error {
	d.mu.Lock()
	defer d.mu.Unlock()
	return setInputs("bh1750", d.Inputs(), values, func(_ string, v float64) { d.lux = v })
}

// AHT20 is an Aosong AHT20 temperature and humidity sensor (datasheet
// v1.1, section 7.4 "Sensor reading process"): 0x71 reads the status
// byte; 0xBE 0x08 0x00 calibrates; 0xAC 0x33 0x00 triggers a measurement,
// ready at once here; a read returns status, 20 bits of humidity, 20 bits
// of temperature and a CRC-8 (polynomial 0x31, initial 0xFF).
type AHT20 struct {
	mu                    sync.Mutex
	temperature, humidity float64
	calibrated            bool
	data                  [7]byte
}

func newAHT20() *AHT20 { return &AHT20{temperature: 21.5, humidity: 45} }

func (d *AHT20) Tx(w, r []byte) error {
	d.mu.Lock()
	defer d.mu.Unlock()
	if len(w) > 0 {
		switch w[0] {
		case 0x71:
			d.data[0] = d.status()
		case 0xBE:
			d.calibrated = true
		case 0xBA: // soft reset: calibration stays in the device's OTP
		case 0xAC:
			d.measure()
		default:
			return fmt.Errorf("AHT20: 0x%02x is not a command", w[0])
		}
	}
	for i := range r {
		if i < len(d.data) {
			r[i] = d.data[i]
		} else {
			r[i] = 0xFF
		}
	}
	return nil
}

// status: busy (bit 7) is never set here; calibrated is bit 3.
func (d *AHT20) status() byte {
	if d.calibrated {
		return 0x08 | 0x10 // the 0x10 bit is set in real parts' status (CMD mode)
	}
	return 0x10
}

func (d *AHT20) measure() {
	h := uint32(math.Round(d.humidity / 100 * (1 << 20)))
	h = min(h, 1<<20-1)
	t := uint32(math.Round((d.temperature + 50) / 200 * (1 << 20)))
	t = min(t, 1<<20-1)
	d.data = [7]byte{d.status(), byte(h >> 12), byte(h >> 4), byte(h<<4) | byte(t>>16), byte(t >> 8), byte(t)}
	d.data[6] = crc8(d.data[:6], 0x31, 0xFF)
}

// crc8 is the CRC-8 of Sensirion and Aosong parts: MSB first, no final XOR.
func crc8(data []byte, poly, init byte) byte {
	crc := init
	for _, b := range data {
		crc ^= b
		for range 8 {
			if crc&0x80 != 0 {
				crc = crc<<1 ^ poly
			} else {
				crc <<= 1
			}
		}
	}
	return crc
}

func (d *AHT20) Type() string { return "aht20" }

func (d *AHT20) Inputs() []Input {
	return []Input{{"temperature", "°C", -40, 85}, inHumidity}
}

func (d *AHT20) State() map[string]any {
	d.mu.Lock()
	defer d.mu.Unlock()
	return map[string]any{"temperature": d.temperature, "humidity": d.humidity}
}

func (d *AHT20) Set(values map[string]float64) error {
	d.mu.Lock()
	defer d.mu.Unlock()
	return setInputs("aht20", d.Inputs(), values, func(name string, v float64) {
		if name == "temperature" {
			d.temperature = v
		} else {
			d.humidity = v
		}
	})
}
