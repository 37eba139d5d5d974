package devices_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/moonpin/moonpin/hal/sim"
	"github.com/moonpin/moonpin/interp"
	"github.com/moonpin/moonpin/interp/interptest"
	"periph.io/x/conn/v3/physic"
	"periph.io/x/devices/v3/bmxx80"
	"periph.io/x/devices/v3/mcp9808"
)

// BenchmarkRead measures a sensor read on the simulated board from Lua
// through the devices module and, as the baseline in the same run, from Go
// through the same periph driver on the same simulated part. The BME280 is
// in normal mode (filter and standby), so that neither side waits for a
// conversion. bench/devices.sh prints the ratios.
func BenchmarkRead(b *testing.B) {
	for _, c := range []struct {
		name, open string
		goRead     func(b *testing.B, board *sim.Board) func() error
	}{
		{"bme280", `devices.bme280("I2C1", {filter = 2, standby_ms = 1})`, goBME280},
		{"mcp9808", `devices.mcp9808("I2C1")`, goMCP9808},
	} {
		b.Run("lua/"+c.name, func(b *testing.B) {
			board := sim.New()
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
			board := sim.New()
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
