package sim

import (
	"encoding/binary"
	"fmt"
	"math"
	"sync"

	"periph.io/x/conn/v3/physic"
)

// BME280 registers (Bosch BST-BME280-DS002, section 5.3 "Memory map").
const (
	bmeCalib00 = 0x88 // calib00..calib25: dig_T1..dig_P9, 0xA0 unused, dig_H1
	bmeID      = 0xD0 // chip_id: 0x60
	bmeReset   = 0xE0 // writing 0xB6 resets the device; reads 0x00
	bmeCalib26 = 0xE1 // calib26..calib41: dig_H2..dig_H6 in 0xE1..0xE7
	bmeCtrlHum = 0xF2 // osrs_h[2:0], in effect after the next ctrl_meas write
	// 0xF3 is status: measuring[3], im_update[0]. Measurements are instant
	// here, so it always reads 0.
	bmeCtrlMeas = 0xF4 // osrs_t[7:5], osrs_p[4:2], mode[1:0]
	bmeConfig   = 0xF5 // t_sb[7:5], filter[4:2], spi3w_en[0]
	bmePress    = 0xF7 // press_msb, press_lsb, press_xlsb[7:4]: 20-bit adc_P
	bmeTemp     = 0xFA // temp_msb, temp_lsb, temp_xlsb[7:4]: 20-bit adc_T
	bmeHum      = 0xFD // hum_msb, hum_lsb: 16-bit adc_H

	bmeChipID    = 0x60
	bmpChipID    = 0x58 // a BMP280: the same map without humidity
	bmeResetWord = 0xB6
	bmeNormal    = 3 // mode[1:0]; 0 is sleep, 1 and 2 forced
)

// bmeTrim holds the trimming parameters (section 4.2.2, table 16).
type bmeTrim struct {
	T1                             uint16
	T2, T3                         int16
	P1                             uint16
	P2, P3, P4, P5, P6, P7, P8, P9 int16
	H1                             uint8
	H2                             int16
	H3                             uint8
	H4, H5                         int16
	H6                             int8
}

// bmeDefaultTrim: T and P are the worked example of Bosch's BMP280 datasheet
// (BST-BMP280-DS001, section 3.12), whose formulas the BME280 shares; H are
// typical of BME280 parts.
var bmeDefaultTrim = bmeTrim{
	T1: 27504, T2: 26435, T3: -1000,
	P1: 36477, P2: -10685, P3: 3024, P4: 2855, P5: 140, P6: -7, P7: 15500, P8: -14600, P9: 6000,
	H1: 75, H2: 362, H3: 0, H4: 313, H5: 50, H6: 30,
}

// store lays the parameters out as the calibration registers do.
func (c *bmeTrim) store(regs *[256]byte) {
	tp := []uint16{c.T1, uint16(c.T2), uint16(c.T3), c.P1, uint16(c.P2), uint16(c.P3),
		uint16(c.P4), uint16(c.P5), uint16(c.P6), uint16(c.P7), uint16(c.P8), uint16(c.P9)}
	for i, v := range tp {
		binary.LittleEndian.PutUint16(regs[bmeCalib00+2*i:], v)
	}
	regs[0xA1] = c.H1
	binary.LittleEndian.PutUint16(regs[bmeCalib26:], uint16(c.H2))
	regs[0xE3] = c.H3
	regs[0xE4] = byte(c.H4 >> 4)                    // dig_H4[11:4]
	regs[0xE5] = byte(c.H4&0xF) | byte(c.H5&0xF)<<4 // dig_H4[3:0], dig_H5[3:0]
	regs[0xE6] = byte(c.H5 >> 4)                    // dig_H5[11:4]
	regs[0xE7] = byte(c.H6)
}

// The compensation formulas below are the datasheet's integer code (section
// 4.2.3, and 8.2 for the 64-bit pressure), transcribed.

// tFine is the fine temperature; °C = ((tFine*5+128)>>8)/100.
func (c *bmeTrim) tFine(adcT int32) int32 {
	var1 := ((adcT>>3 - int32(c.T1)<<1) * int32(c.T2)) >> 11
	var2 := (((adcT>>4 - int32(c.T1)) * (adcT>>4 - int32(c.T1)) >> 12) * int32(c.T3)) >> 14
	return var1 + var2
}

// pressure returns Pa in Q24.8. The datasheet returns it as a uint32, which
// wraps for raw values far outside the operating range; searching for a raw
// value needs the unwrapped one.
func (c *bmeTrim) pressure(adcP, tFine int32) int64 {
	var1 := int64(tFine) - 128000
	var2 := var1 * var1 * int64(c.P6)
	var2 += (var1 * int64(c.P5)) << 17
	var2 += int64(c.P4) << 35
	var1 = (var1*var1*int64(c.P3))>>8 + (var1*int64(c.P2))<<12
	var1 = ((int64(1)<<47 + var1) * int64(c.P1)) >> 33
	if var1 == 0 {
		return 0 // avoid a division by zero
	}
	p := 1048576 - int64(adcP)
	p = ((p<<31 - var2) * 3125) / var1
	var1 = (int64(c.P9) * (p >> 13) * (p >> 13)) >> 25
	var2 = (int64(c.P8) * p) >> 19
	return (p+var1+var2)>>8 + int64(c.P7)<<4
}

// humidity returns %RH in Q22.10.
func (c *bmeTrim) humidity(adcH, tFine int32) uint32 {
	v := tFine - 76800
	a := (adcH<<14 - int32(c.H4)<<20 - int32(c.H5)*v + 16384) >> 15
	b := ((((v*int32(c.H6))>>10)*(((v*int32(c.H3))>>11)+32768))>>10 + 2097152) * int32(c.H2)
	v = a * ((b + 8192) >> 14)
	v -= ((((v >> 15) * (v >> 15)) >> 7) * int32(c.H1)) >> 4
	v = min(max(v, 0), 419430400)
	return uint32(v >> 12)
}

// raw inverts the compensation: it returns the ADC outputs that the formulas
// turn into env, to their resolution (0.01 °C, 1/256 Pa, 1/1024 %RH).
func (c *bmeTrim) raw(env physic.Env) (adcT, adcP, adcH int32) {
	adcT = invert(1<<20, round(env.Temperature.Celsius()*5120), func(raw int32) int64 {
		return int64(c.tFine(raw))
	})
	tFine := c.tFine(adcT)
	pa := float64(env.Pressure) / float64(physic.Pascal)
	adcP = invert(1<<20, round(pa*256), func(raw int32) int64 {
		return c.pressure(raw, tFine)
	})
	rh := float64(env.Humidity) / float64(physic.PercentRH)
	adcH = invert(1<<16, round(rh*1024), func(raw int32) int64 {
		return int64(c.humidity(raw, tFine))
	})
	return adcT, adcP, adcH
}

func round(x float64) int64 { return int64(math.Round(x)) }

// invert returns the raw value in [0, n) for which the monotonic f comes
// nearest to want, by binary search.
func invert(n int32, want int64, f func(int32) int64) int32 {
	rising := f(n-1) > f(0)
	lo, hi := int32(0), n-1
	for lo < hi { // find the first raw at or past want
		mid := lo + (hi-lo)/2
		if v := f(mid); (rising && v >= want) || (!rising && v <= want) {
			hi = mid
		} else {
			lo = mid + 1
		}
	}
	if lo > 0 && abs(f(lo-1)-want) < abs(f(lo)-want) {
		return lo - 1
	}
	return lo
}

func abs(x int64) int64 { return max(x, -x) }

// BME280 is a Bosch BME280 humidity, pressure and temperature sensor on I2C
// (BST-BME280-DS002). It measures the environment set with SetEnvironment,
// at once: in forced mode when ctrl_meas is written, in normal mode whenever
// it is read. The IIR filter and standby time are accepted but not simulated.
type BME280 struct {
	typ   string // "bme280", or "bmp280" for a BMP280
	mu    sync.Mutex
	regs  [256]byte
	ptr   byte
	osrsH byte // ctrl_hum as of the last ctrl_meas write
	trim  bmeTrim
	env   physic.Env
}

func newBME280() *BME280 {
	d := &BME280{typ: "bme280", trim: bmeDefaultTrim, env: physic.Env{
		Temperature: physic.ZeroCelsius + 21500*physic.MilliCelsius,
		Pressure:    101325 * physic.Pascal,
		Humidity:    45 * physic.PercentRH,
	}}
	d.trim.store(&d.regs)
	d.regs[bmeID] = bmeChipID
	d.reset()
	return d
}

// newBMP280 is a Bosch BMP280 (BST-BMP280-DS001): a BME280 without the
// humidity sensor, whose chip_id reads 0x58.
func newBMP280() *BME280 {
	d := newBME280()
	d.typ = "bmp280"
	d.regs[bmeID] = bmpChipID
	return d
}

// Type implements Model.
func (d *BME280) Type() string { return d.typ }

// Inputs implements Model.
func (d *BME280) Inputs() []Input {
	if d.typ == "bmp280" {
		return []Input{inTemperature, inPressure}
	}
	return []Input{inTemperature, inPressure, inHumidity}
}

// State implements Model: temperature in °C, pressure in hPa, humidity in %RH.
func (d *BME280) State() map[string]any {
	e := d.Environment()
	s := map[string]any{
		"temperature": e.Temperature.Celsius(),
		"pressure":    float64(e.Pressure) / float64(physic.Pascal) / 100,
	}
	if d.typ == "bme280" {
		s["humidity"] = float64(e.Humidity) / float64(physic.PercentRH)
	}
	return s
}

// Set implements Model.
func (d *BME280) Set(values map[string]float64) error {
	e := d.Environment()
	err := setInputs(d.typ, d.Inputs(), values, func(name string, v float64) {
		switch name {
		case "temperature":
			e.Temperature = physic.ZeroCelsius + physic.Temperature(math.Round(v*float64(physic.Celsius)))
		case "pressure":
			e.Pressure = physic.Pressure(math.Round(v * 100 * float64(physic.Pascal)))
		case "humidity":
			e.Humidity = physic.RelativeHumidity(math.Round(v * float64(physic.PercentRH)))
		}
	})
	if err != nil {
		return err
	}
	return d.SetEnvironment(e)
}

// SetEnvironment sets what the sensor measures, within its operating range:
// -40..85 °C, 300..1100 hPa, 0..100 %RH.
func (d *BME280) SetEnvironment(e physic.Env) error {
	switch {
	case e.Temperature < physic.ZeroCelsius-40*physic.Celsius || e.Temperature > physic.ZeroCelsius+85*physic.Celsius:
		return fmt.Errorf("BME280: temperature %s is outside -40..85°C", e.Temperature)
	case e.Pressure < 30*physic.KiloPascal || e.Pressure > 110*physic.KiloPascal:
		return fmt.Errorf("BME280: pressure %s is outside 300..1100 hPa", e.Pressure)
	case e.Humidity < 0 || e.Humidity > 100*physic.PercentRH:
		return fmt.Errorf("BME280: humidity %s is outside 0..100%%rH", e.Humidity)
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	d.env = e
	return nil
}

// Environment returns what the sensor measures.
func (d *BME280) Environment() physic.Env {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.env
}

// Tx follows section 6.2 "I2C interface": a write is a register address and
// a value, repeated; a read starts at the last address written and
// auto-increments.
func (d *BME280) Tx(w, r []byte) error {
	d.mu.Lock()
	defer d.mu.Unlock()
	for i := 0; i < len(w); i += 2 {
		d.ptr = w[i]
		if i+1 < len(w) {
			d.write(w[i], w[i+1])
		}
	}
	if len(r) > 0 && d.regs[bmeCtrlMeas]&3 == bmeNormal {
		d.measure()
	}
	for i := range r {
		r[i] = d.regs[d.ptr]
		d.ptr++
	}
	return nil
}

func (d *BME280) write(reg, v byte) {
	switch reg {
	case bmeReset:
		if v == bmeResetWord {
			d.reset()
		}
	case bmeCtrlHum:
		d.regs[reg] = v & 7
	case bmeCtrlMeas:
		d.regs[reg] = v
		d.osrsH = d.regs[bmeCtrlHum]
		if mode := v & 3; mode == 1 || mode == 2 {
			// Forced mode: one measurement, then back to sleep (section 3.3.3).
			d.measure()
			d.regs[reg] &^= 3
		}
	case bmeConfig:
		d.regs[reg] = v &^ 2 // bit 1 is unused
	} // the other registers are read-only
}

// reset restores the power-on values of the control and data registers.
func (d *BME280) reset() {
	for r := bmeCtrlHum; r <= bmeConfig; r++ {
		d.regs[r] = 0
	}
	d.osrsH = 0
	d.setData(0x80000, 0x80000, 0x8000)
}

// measure converts the environment into the data registers. A measurement
// whose oversampling is 0 is skipped and reads as 0x80000 (0x8000 for
// humidity), as the datasheet's register descriptions say.
func (d *BME280) measure() {
	adcT, adcP, adcH := d.trim.raw(d.env)
	ctrl := d.regs[bmeCtrlMeas]
	if ctrl>>5 == 0 {
		adcT = 0x80000
	}
	if ctrl>>2&7 == 0 {
		adcP = 0x80000
	}
	if d.osrsH == 0 {
		adcH = 0x8000
	}
	d.setData(adcT, adcP, adcH)
}

func (d *BME280) setData(adcT, adcP, adcH int32) {
	put20 := func(reg int, v int32) {
		d.regs[reg], d.regs[reg+1], d.regs[reg+2] = byte(v>>12), byte(v>>4), byte(v<<4)
	}
	put20(bmePress, adcP)
	put20(bmeTemp, adcT)
	d.regs[bmeHum], d.regs[bmeHum+1] = byte(adcH>>8), byte(adcH)
}
