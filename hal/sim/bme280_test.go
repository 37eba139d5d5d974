package sim_test

import (
	"bytes"
	"math"
	"testing"
	"time"

	"periph.io/x/conn/v3/physic"
	"periph.io/x/devices/v3/bmxx80"

	"github.com/moonpin/moonpin/hal/sim"
)

func env(celsius, pa, rh float64) physic.Env {
	return physic.Env{
		Temperature: physic.ZeroCelsius + physic.Temperature(celsius*float64(physic.Celsius)),
		Pressure:    physic.Pressure(pa * float64(physic.Pascal)),
		Humidity:    physic.RelativeHumidity(rh * float64(physic.PercentRH)),
	}
}

// checkEnv allows for the sensor's resolution: temperature comes in steps of
// 0.01 °C, and one ADC step is worth up to 0.19 Pa and 0.014 %RH, so the
// nearest raw value is within half of that.
func checkEnv(t *testing.T, got, want physic.Env) {
	t.Helper()
	dC := math.Abs(got.Temperature.Celsius() - want.Temperature.Celsius())
	dPa := math.Abs(float64(got.Pressure-want.Pressure)) / float64(physic.Pascal)
	dRH := math.Abs(float64(got.Humidity-want.Humidity)) / float64(physic.PercentRH)
	if dC > 0.005+1e-9 || dPa > 0.1 || dRH > 0.01 {
		t.Errorf("read %s, want %s", got, want)
	}
}

// periph's bmxx80 driver reading the simulated sensor is the check that the
// emulation is real: chip id, calibration layout, control registers, data
// layout and compensation all have to agree with the datasheet.
func TestBMXX80Driver(t *testing.T) {
	b := sim.New()
	bus := must(b.OpenI2C("I2C1"))(t)
	defer bus.Close()
	bme := must(b.I2CDevice("I2C1", 0x76))(t).(*sim.BME280)
	dev := must(bmxx80.NewI2C(bus, 0x76, &bmxx80.DefaultOpts))(t)
	defer dev.Halt()
	if dev.String() != "BME280{I2C1(118)}" {
		t.Errorf("the driver sees %s", dev)
	}

	// Forced mode: one measurement per Sense.
	for _, want := range []physic.Env{
		bme.Environment(), env(-40, 30000, 0), env(-3.217, 95000.37, 12.345),
		env(25.08, 100653.27, 50), env(85, 110000, 100),
	} {
		noErr(t, bme.SetEnvironment(want))
		var got physic.Env
		noErr(t, dev.Sense(&got))
		checkEnv(t, got, want)
	}

	// Normal mode: the sensor measures continuously.
	want := env(30.5, 99000, 60)
	noErr(t, bme.SetEnvironment(want))
	// The interval is long so that the driver's ticker never fires: its
	// Halt holds the device's mutex while it waits for the sensing
	// goroutine, which takes that mutex at every tick, so a tick as Halt
	// begins deadlocks (periph.io/x/devices v3.7.4 bmxx80; a qemu CI run
	// hung so for 10 minutes). moonpin's Lua API never senses continuously.
	readings := must(dev.SenseContinuous(time.Hour))(t)
	select {
	case got := <-readings:
		checkEnv(t, got, want)
	case <-time.After(5 * time.Second):
		t.Fatal("no reading in normal mode")
	}
	noErr(t, dev.Halt())

	if bme.SetEnvironment(env(90, 101325, 50)) == nil || bme.SetEnvironment(env(20, 101325, 101)) == nil {
		t.Error("SetEnvironment accepted values outside the operating range")
	}
}

func TestBME280Registers(t *testing.T) {
	b := sim.New()
	bus := must(b.OpenI2C("I2C1"))(t)
	defer bus.Close()
	bme := must(b.I2CDevice("I2C1", 0x76))(t).(*sim.BME280)
	read := func(reg byte, n int) []byte {
		r := make([]byte, n)
		noErr(t, bus.Tx(0x76, []byte{reg}, r))
		return r
	}
	if id := read(0xD0, 1); id[0] != 0x60 {
		t.Errorf("chip id %#x", id[0])
	}
	if cal := read(0x88, 2); !bytes.Equal(cal, []byte{0x70, 0x6B}) { // dig_T1 27504
		t.Errorf("dig_T1 bytes % x", cal)
	}
	reset := []byte{0x80, 0, 0, 0x80, 0, 0, 0x80, 0}
	if data := read(0xF7, 8); !bytes.Equal(data, reset) {
		t.Errorf("data after power-on % x", data)
	}

	// Forced mode with pressure skipped and humidity x1: pressure reads
	// 0x80000, and the mode returns to sleep.
	noErr(t, bus.Tx(0x76, []byte{0xF2, 0x01, 0xF4, 0b001_000_01}, nil))
	data := read(0xF7, 8)
	if !bytes.Equal(data[:3], reset[:3]) || bytes.Equal(data[3:6], reset[3:6]) || bytes.Equal(data[6:], reset[6:]) {
		t.Errorf("forced measurement without pressure: % x", data)
	}
	if ctrl := read(0xF4, 1); ctrl[0] != 0b001_000_00 {
		t.Errorf("ctrl_meas after the measurement %08b", ctrl[0])
	}

	// Asleep, the data stays as it was measured.
	noErr(t, bme.SetEnvironment(env(10, 90000, 20)))
	if again := read(0xF7, 8); !bytes.Equal(again, data) {
		t.Errorf("data changed in sleep mode: % x", again)
	}

	// ctrl_hum takes effect at the next ctrl_meas write only.
	noErr(t, bus.Tx(0x76, []byte{0xF2, 0x00}, nil))
	noErr(t, bus.Tx(0x76, []byte{0xF4, 0b001_001_01}, nil))
	if hum := read(0xFD, 2); !bytes.Equal(hum, reset[6:]) {
		t.Errorf("humidity skipped reads % x", hum)
	}

	// Writing 0xB6 to reset restores the power-on values.
	noErr(t, bus.Tx(0x76, []byte{0xE0, 0xB6}, nil))
	if ctrl := read(0xF2, 4); !bytes.Equal(ctrl, make([]byte, 4)) {
		t.Errorf("control registers after reset % x", ctrl)
	}
	if data := read(0xF7, 8); !bytes.Equal(data, reset) {
		t.Errorf("data after reset % x", data)
	}
	if id := read(0xD0, 1); id[0] != 0x60 {
		t.Errorf("chip id after reset %#x", id[0])
	}
}
