package devices_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/moonpin/moonpin/hal/sim"
	"github.com/moonpin/moonpin/interp"
	"github.com/moonpin/moonpin/interp/interptest"
	"periph.io/x/conn/v3/i2c"
	"periph.io/x/conn/v3/physic"
	"periph.io/x/devices/v3/bmxx80"
	"periph.io/x/devices/v3/mcp9808"
)

// BenchmarkRead measures a sensor read on the simulated board from Lua
// through the devices module and, as the baseline in the same run, from Go
// through the same periph driver on the same simulated part. The BME280 is
// in normal mode (filter and standby), so that neither side waits for a
// conversion. The ADXL345 (on the workbench board) has our Go driver on
// both sides.
func BenchmarkRead(b *testing.B) {
	for _, c := range []struct {
		name, open string
		goRead     func(b *testing.B, board *sim.Board) func() error
	}{
		{"bme280", `devices.bme280("I2C1", {filter = 2, standby_ms = 1})`, goBME280},
		{"mcp9808", `devices.mcp9808("I2C1")`, goMCP9808},
		{"adxl345", `devices.adxl345("I2C1")`, goADXL345},
	} {
		b.Run("lua/"+c.name, func(b *testing.B) {
			board := benchBoard(b)
			defer board.Close()
			rt, out := interptest.New(b, &interp.Options{Board: board})
			exec := func(code string) {
				if err := rt.Exec("bench.lua", code); err != nil {
					b.Fatalf("%v\noutput:\n%s", err, out)
				}
			}
			exec("dev = " + c.open)
			b.ResetTimer()
			exec(fmt.Sprintf("local dev = dev; for i = 1, %d do local r = dev:read() end", b.N))
			b.StopTimer()
			exec("dev:close()")
		})
		b.Run("go/"+c.name, func(b *testing.B) {
			board := benchBoard(b)
			defer board.Close()
			read := c.goRead(b, board)
			b.ResetTimer()
			for range b.N {
				if err := read(); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func goBME280(b *testing.B, board *sim.Board) func() error {
	bus, err := board.OpenI2C("I2C1")
	if err != nil {
		b.Fatal(err)
	}
	opts := bmxx80.DefaultOpts
	opts.Filter, opts.Standby = bmxx80.F2, time.Millisecond
	dev, err := bmxx80.NewI2C(bus, 0x76, &opts)
	if err != nil {
		b.Fatal(err)
	}
	var e physic.Env
	return func() error { return dev.Sense(&e) }
}

func goMCP9808(b *testing.B, board *sim.Board) func() error {
	bus, err := board.OpenI2C("I2C1")
	if err != nil {
		b.Fatal(err)
	}
	dev, err := mcp9808.New(bus, &mcp9808.DefaultOpts)
	if err != nil {
		b.Fatal(err)
	}
	var e physic.Env
	return func() error { return dev.Sense(&e) }
}

// benchBoard is the workbench board: the default one and the parts it
// leaves out (the ADXL345).
func benchBoard(b *testing.B) *sim.Board {
	board, err := sim.Load("../../../examples/workbench.json")
	if err != nil {
		b.Fatal(err)
	}
	return board
}

// goADXL345 reads the accelerometer as the Lua binding's Go driver does: one
// 6-byte read of DATAX0..DATAZ1, converted to g.
func goADXL345(b *testing.B, board *sim.Board) func() error {
	bus, err := board.OpenI2C("I2C1")
	if err != nil {
		b.Fatal(err)
	}
	dev := &i2c.Dev{Bus: bus, Addr: 0x53}
	for _, w := range [][]byte{{0x31, 0x08}, {0x2D, 0x08}} {
		if err := dev.Tx(w, nil); err != nil {
			b.Fatal(err)
		}
	}
	var raw [6]byte
	var g [3]float64
	return func() error {
		if err := dev.Tx([]byte{0x32}, raw[:]); err != nil {
			return err
		}
		for i := range g {
			g[i] = float64(int16(uint16(raw[2*i])|uint16(raw[2*i+1])<<8)) / 256
		}
		return nil
	}
}
