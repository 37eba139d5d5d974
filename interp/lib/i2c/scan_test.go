package i2c_test

import (
	"errors"
	"fmt"
	"path/filepath"
	"testing"

	"periph.io/x/conn/v3/i2c"

	"github.com/moonpin/moonpin/hal/sim"
	"github.com/moonpin/moonpin/interp"
	"github.com/moonpin/moonpin/interp/interptest"
	"github.com/moonpin/moonpin/interp/luatest"
	lua "github.com/yuin/gopher-lua"
)

// TestScanWorkbench scans examples/workbench.json's bus, which has every
// simulated I2C part: each answers the probe (the SCD4x at 0x62 failed it,
// and so the scan), and examples/i2c_scan.lua lists them all.
func TestScanWorkbench(t *testing.T) {
	board, err := sim.Load("../../../examples/workbench.json")
	if err != nil {
		t.Fatal(err)
	}
	defer board.Close()
	rt, out := interptest.New(t, &interp.Options{Board: board})
	script, err := filepath.Abs("../../../examples/i2c_scan.lua")
	if err != nil {
		t.Fatal(err)
	}
	if err := rt.ExecFile(script); err != nil {
		t.Fatal(err)
	}
	want := "I2C1: 0x18 0x20 0x23 0x27 0x38 0x3c 0x40 0x41 0x48 0x49 0x50 0x53 0x62 0x70 0x76 0x77\n"
	if got := out.String(); got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}

// oddBoard is the default simulated board with a bus that fails some
// transactions otherwise than by a NACK, as a real bus does when a part
// holds the clock too long or the wires are stuck.
type oddBoard struct {
	*sim.Board
	fails func(addr uint16) bool
}

type oddBus struct {
	i2c.BusCloser
	fails func(addr uint16) bool
}

func (b oddBoard) OpenI2C(name string) (i2c.BusCloser, error) {
	bus, err := b.Board.OpenI2C(name)
	if err != nil {
		return nil, err
	}
	return oddBus{bus, b.fails}, nil
}

func (b oddBus) Tx(addr uint16, w, r []byte) error {
	if b.fails(addr) {
		return fmt.Errorf("%s: 0x%02x: %w", b.String(), addr, errors.New("timed out"))
	}
	return b.BusCloser.Tx(addr, w, r)
}

// A scan lists the addresses whose probe is acknowledged, as i2cdetect
// does: one that fails otherwise is left out and the scan goes on; a bus on
// which nothing answers and probes fail is an error, not an empty list.
func TestScanOddErrors(t *testing.T) {
	for _, c := range []struct {
		name  string
		fails func(addr uint16) bool
		code  string
	}{
		{"some", func(addr uint16) bool { return addr == 0x30 || addr == 0x76 }, `
			assert.eq(i2c.open("I2C1"):scan(), {0x18, 0x20, 0x23, 0x38, 0x3c, 0x40, 0x41, 0x48, 0x49, 0x50, 0x70, 0x77})`},
		{"all", func(uint16) bool { return true }, `
			assert.fails(function() i2c.open("I2C1"):scan() end,
				"i2c: scanning I2C1: no device answered, and the probe of 0x08 failed: I2C1: 0x08: timed out; check the bus's wiring (SDA, SCL, ground) and its pull-ups")`},
	} {
		t.Run(c.name, func(t *testing.T) {
			board := oddBoard{sim.New(), c.fails}
			defer board.Close()
			rt, _ := interptest.New(t, &interp.Options{Board: board})
			if err := rt.Do(func(L *lua.LState) error { luatest.Install(L); return nil }); err != nil {
				t.Fatal(err)
			}
			if err := rt.Exec("scan.lua", c.code); err != nil {
				t.Fatal(err)
			}
		})
	}
}
