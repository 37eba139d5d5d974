package sim

import (
	"fmt"
	"math"
	"sync"
)

// wordRegs is the register interface of many small I2C sensors (TI ADS1115,
// INA219, TMP102; Microchip MCP9808): the first byte written sets the
// register pointer; two more bytes write that 16-bit register, most
// significant byte first (one more byte writes an 8-bit register); a read
// returns the register the pointer points at, most significant byte first.
type wordRegs struct {
	mu  sync.Mutex
	ptr byte
	// read returns register reg; write stores a 16-bit (or, with one
	// data byte, an 8-bit) value. Both run with mu held.
	read  func(reg byte) uint16
	write func(reg byte, v uint16, bytes int)
	// narrow says which registers are read as one byte rather than two.
	narrow func(reg byte) bool
}

func (d *wordRegs) Tx(w, r []byte) error {
	d.mu.Lock()
	defer d.mu.Unlock()
	if len(w) > 0 {
		d.ptr = w[0]
		switch len(w) {
		case 1:
		case 2:
			d.write(d.ptr, uint16(w[1]), 1)
		case 3:
			d.write(d.ptr, uint16(w[1])<<8|uint16(w[2]), 2)
		default:
			return fmt.Errorf("a write is a register and at most 2 bytes; got %d bytes", len(w)-1)
		}
	}
	if len(r) == 0 {
		return nil
	}
	v := d.read(d.ptr)
	if d.narrow != nil && d.narrow(d.ptr) {
		r[0] = byte(v)
		clear(r[1:])
		return nil
	}
	for i := range r {
		switch i {
		case 0:
			r[i] = byte(v >> 8)
		case 1:
			r[i] = byte(v)
		default:
			r[i] = 0xFF
		}
	}
	return nil
}

// ADS1x15 is a TI ADS1115 (16-bit) or ADS1015 (12-bit) 4-channel ADC
// (SBAS444, section 9.6 "Register Map"). Its inputs AIN0..AIN3 are set as
// a0..a3 in volts; a conversion starts when the config register is written
// with OS set and completes at once.
type ADS1x15 struct {
	wordRegs
	typ        string
	bits       int // 16, or 12 for an ADS1015
	in         [4]float64
	config     uint16
	conversion uint16
	lo, hi     uint16
}

// ADS1x15 registers (table 8-3) and config fields (table 8-6).
const (
	adsConversion = 0
	adsConfig     = 1
	adsLoThresh   = 2
	adsHiThresh   = 3
	adsOS         = 1 << 15 // write 1: start a single conversion; read 1: idle
)

// adsFullScale is the PGA's full-scale range, by PGA[2:0] (table 8-6).
var adsFullScale = [8]float64{6.144, 4.096, 2.048, 1.024, 0.512, 0.256, 0.256, 0.256}

func newADS1x15(typ string, bits int) *ADS1x15 {
	d := &ADS1x15{typ: typ, bits: bits, config: 0x8583, lo: 0x8000, hi: 0x7FFF}
	d.read = func(reg byte) uint16 {
		switch reg & 3 {
		case adsConversion:
			return d.conversion
		case adsConfig:
			return d.config | adsOS // conversions finish at once
		case adsLoThresh:
			return d.lo
		default:
			return d.hi
		}
	}
	d.write = func(reg byte, v uint16, _ int) {
		switch reg & 3 {
		case adsConfig:
			d.config = v &^ adsOS
			if v&adsOS != 0 || v>>8&1 == 0 { // single shot, or continuous mode
				d.convert()
			}
		case adsLoThresh:
			d.lo = v
		case adsHiThresh:
			d.hi = v
		}
	}
	return d
}

// convert follows the MUX[2:0] and PGA[2:0] fields of the config register.
func (d *ADS1x15) convert() {
	var v float64
	switch mux := d.config >> 12 & 7; mux {
	case 0:
		v = d.in[0] - d.in[1]
	case 1:
		v = d.in[0] - d.in[3]
	case 2:
		v = d.in[1] - d.in[3]
	case 3:
		v = d.in[2] - d.in[3]
	default:
		v = d.in[mux-4]
	}
	fs := adsFullScale[d.config>>9&7]
	code := int32(math.Round(v / fs * 32768))
	code = min(max(code, -32768), 32767)
	if d.bits == 12 { // the 12-bit result is left-justified
		code &^= 0xF
	}
	d.conversion = uint16(code)
}

func (d *ADS1x15) Type() string { return d.typ }

func (d *ADS1x15) Inputs() []Input {
	return []Input{{"a0", "V", -0.3, 5.5}, {"a1", "V", -0.3, 5.5}, {"a2", "V", -0.3, 5.5}, {"a3", "V", -0.3, 5.5}}
}

func (d *ADS1x15) State() map[string]any {
	d.mu.Lock()
	defer d.mu.Unlock()
	return map[string]any{"a0": d.in[0], "a1": d.in[1], "a2": d.in[2], "a3": d.in[3]}
}

func (d *ADS1x15) Set(values map[string]float64) error {
	d.mu.Lock()
	defer d.mu.Unlock()
	return setInputs(d.typ, d.Inputs(), values, func(name string, v float64) {
		d.in[name[1]-'0'] = v
	})
}

// INA219 is a TI INA219 current and power monitor (SBOS448, section 8.6
// "Register Maps") measuring across a 0.1 Ω shunt, as on the usual
// breakout boards. The world sets voltage (the bus voltage, V) and current
// (A); the registers follow from them, the calibration register and the
// config register's PGA as the datasheet's section 8.5 says.
type INA219 struct {
	wordRegs
	voltage, current float64
	config, cal      uint16
}

// INA219 registers.
const (
	inaConfig  = 0
	inaShunt   = 1 // shunt voltage, LSB 10 µV
	inaBus     = 2 // bus voltage in bits 15..3, LSB 4 mV; CNVR bit 1, OVF bit 0
	inaPower   = 3 // current × bus voltage / 5000 (in register units)
	inaCurrent = 4 // shunt × calibration / 4096
	inaCal     = 5

	inaShuntOhms = 0.1
)

func newINA219() *INA219 {
	d := &INA219{config: 0x399F}
	d.read = func(reg byte) uint16 {
		shunt, bus := d.shunt(), d.bus()
		current := int32(shunt) * int32(d.cal) / 4096
		switch reg {
		case inaConfig:
			return d.config
		case inaShunt:
			return uint16(shunt)
		case inaBus:
			return bus<<3 | 2
		case inaPower:
			return uint16(min(max(int64(current)*int64(bus)/5000, 0), 0xFFFF))
		case inaCurrent:
			return uint16(int16(min(max(current, -32768), 32767)))
		case inaCal:
			return d.cal
		}
		return 0
	}
	d.write = func(reg byte, v uint16, _ int) {
		switch reg {
		case inaConfig:
			if v&0x8000 != 0 { // RST
				d.config, d.cal = 0x399F, 0
				return
			}
			d.config = v
		case inaCal:
			d.cal = v &^ 1 // bit 0 is read-only 0
		}
	}
	return d
}

// shunt is the shunt voltage register: I×R in 10 µV steps, clamped to the
// PGA's range (±40, 80, 160 or 320 mV).
func (d *INA219) shunt() int16 {
	limit := 4000 << (d.config >> 11 & 3)
	v := int(math.Round(d.current * inaShuntOhms / 10e-6))
	return int16(min(max(v, -limit), limit))
}

// bus is the bus voltage in 4 mV steps, clamped to the 16 or 32 V range.
func (d *INA219) bus() uint16 {
	limit := 4000
	if d.config&0x2000 != 0 {
		limit = 8000
	}
	return uint16(min(max(int(math.Round(d.voltage/4e-3)), 0), limit))
}

func (d *INA219) Type() string { return "ina219" }

func (d *INA219) Inputs() []Input {
	return []Input{{"voltage", "V", 0, 26}, {"current", "A", -3.2, 3.2}}
}

func (d *INA219) State() map[string]any {
	d.mu.Lock()
	defer d.mu.Unlock()
	return map[string]any{"voltage": d.voltage, "current": d.current}
}

func (d *INA219) Set(values map[string]float64) error {
	d.mu.Lock()
	defer d.mu.Unlock()
	return setInputs("ina219", d.Inputs(), values, func(name string, v float64) {
		if name == "voltage" {
			d.voltage = v
		} else {
			d.current = v
		}
	})
}

// MCP9808 is a Microchip MCP9808 temperature sensor (DS25095, section 5.1
// "Registers"): ambient temperature in 0x05, in 1/16 °C with the low bits
// cleared to the resolution set in 0x08.
type MCP9808 struct {
	wordRegs
	temperature float64
	config      uint16
	alerts      [3]uint16 // upper, lower, critical
	resolution  byte
}

func newMCP9808() *MCP9808 {
	d := &MCP9808{temperature: 21.5, resolution: 3}
	d.read = func(reg byte) uint16 {
		switch reg {
		case 0x01:
			return d.config
		case 0x02, 0x03, 0x04:
			return d.alerts[reg-2]
		case 0x05:
			return d.ambient()
		case 0x06:
			return 0x0054 // manufacturer ID
		case 0x07:
			return 0x0400 // device ID and revision
		case 0x08:
			return uint16(d.resolution)
		}
		return 0
	}
	d.write = func(reg byte, v uint16, _ int) {
		switch reg {
		case 0x01:
			d.config = v & 0x07FF
		case 0x02, 0x03, 0x04:
			d.alerts[reg-2] = v & 0x1FFC
		case 0x08:
			d.resolution = byte(v & 3)
		}
	}
	d.narrow = func(reg byte) bool { return reg == 0x08 }
	return d
}

// ambient is register 0x05 (section 5.1.3): sign in bit 12, 2^7..2^-4 °C in
// bits 11..0; the alert flags in bits 15..13 are not simulated.
func (d *MCP9808) ambient() uint16 {
	step := 0.5 / float64(int(1)<<d.resolution) // 0.5, 0.25, 0.125, 0.0625 °C
	t := math.Floor(d.temperature/step) * step
	return uint16(int32(math.Round(t*16))) & 0x1FFF
}

func (d *MCP9808) Type() string    { return "mcp9808" }
func (d *MCP9808) Inputs() []Input { return []Input{{"temperature", "°C", -40, 125}} }

func (d *MCP9808) State() map[string]any {
	d.mu.Lock()
	defer d.mu.Unlock()
	return map[string]any{"temperature": d.temperature}
}

func (d *MCP9808) Set(values map[string]float64) error {
	d.mu.Lock()
	defer d.mu.Unlock()
	return setInputs("mcp9808", d.Inputs(), values, func(_ string, v float64) { d.temperature = v })
}

// TMP102 is a TI TMP102 temperature sensor (SBOS397, section 7.5
// "Register Maps"): temperature in register 0 as a 12-bit two's complement
// count of 0.0625 °C, left-justified.
type TMP102 struct {
	wordRegs
	temperature    float64
	config, lo, hi uint16
}

func newTMP102() *TMP102 {
	d := &TMP102{temperature: 21.5, config: 0x60A0, lo: 75 << 8, hi: 80 << 8}
	d.read = func(reg byte) uint16 {
		switch reg & 3 {
		case 0:
			return uint16(int16(math.Round(d.temperature*16))) << 4
		case 1:
			return d.config
		case 2:
			return d.lo
		default:
			return d.hi
		}
	}
	d.write = func(reg byte, v uint16, _ int) {
		switch reg & 3 {
		case 1:
			d.config = d.config&0x60A0 | v&^0x60A0 // R1 R0 and AL are read-only
		case 2:
			d.lo = v
		case 3:
			d.hi = v
		}
	}
	return d
}

func (d *TMP102) Type() string    { return "tmp102" }
func (d *TMP102) Inputs() []Input { return []Input{{"temperature", "°C", -40, 125}} }

func (d *TMP102) State() map[string]any {
	d.mu.Lock()
	defer d.mu.Unlock()
	return map[string]any{"temperature": d.temperature}
}

func (d *TMP102) Set(values map[string]float64) error {
	d.mu.Lock()
	defer d.mu.Unlock()
	return setInputs("tmp102", d.Inputs(), values, func(_ string, v float64) { d.temperature = v })
}
