package sim_test

import (
	"bytes"
	"errors"
	"testing"

	"periph.io/x/conn/v3/i2c"

	"github.com/moonpin/moonpin/hal"
	"github.com/moonpin/moonpin/hal/sim"
)

func openI2C(t *testing.T) (*sim.Board, i2c.BusCloser) {
	t.Helper()
	b := sim.New()
	bus := must(b.OpenI2C("I2C1"))(t)
	t.Cleanup(func() { bus.Close() })
	return b, bus
}

func TestNoDevice(t *testing.T) {
	b, bus := openI2C(t)
	err := bus.Tx(0x75, []byte{0xD0}, make([]byte, 1))
	if !errors.Is(err, hal.ErrNoDevice) || err.Error() != "i2c: no device at 0x75 on I2C1" {
		t.Errorf("Tx to an empty address: %v", err)
	}
	if _, err := b.I2CDevice("I2C1", 0x75); !errors.Is(err, hal.ErrNoDevice) {
		t.Errorf("I2CDevice of an empty address: %v", err)
	}
	if err := bus.Tx(0x75, nil, nil); err != nil {
		t.Errorf("an empty Tx touched the bus: %v", err)
	}
	if err := bus.Tx(0x80, nil, make([]byte, 1)); err == nil {
		t.Error("Tx to an 8-bit address succeeded")
	}
}

func TestRegisters(t *testing.T) {
	b, bus := openI2C(t)
	regs := must(b.I2CDevice("I2C1", 0x20))(t).(*sim.Registers)
	noErr(t, bus.Tx(0x20, []byte{0xFE, 1, 2, 3}, nil)) // wraps from 0xFF to 0x00
	if regs.Reg(0xFE) != 1 || regs.Reg(0xFF) != 2 || regs.Reg(0x00) != 3 {
		t.Errorf("registers FE, FF, 00 = %d %d %d", regs.Reg(0xFE), regs.Reg(0xFF), regs.Reg(0))
	}
	regs.SetReg(0x01, 4)
	r := make([]byte, 4)
	noErr(t, bus.Tx(0x20, []byte{0xFE}, r))
	if !bytes.Equal(r, []byte{1, 2, 3, 4}) {
		t.Errorf("read from 0xFE: % x", r)
	}
	noErr(t, bus.Tx(0x20, nil, r[:1])) // continues from the address
	if r[0] != 0 {
		t.Errorf("read on from 0x02: % x", r[0])
	}
}

func TestAT24C32(t *testing.T) {
	b, bus := openI2C(t)
	eeprom := must(b.I2CDevice("I2C1", 0x50))(t).(*sim.AT24C32)
	read := func(addr uint16, n int) []byte {
		r := make([]byte, n)
		noErr(t, bus.Tx(0x50, []byte{byte(addr >> 8), byte(addr)}, r))
		return r
	}
	if got := read(0x0123, 2); !bytes.Equal(got, []byte{0xFF, 0xFF}) {
		t.Errorf("erased memory reads % x", got)
	}

	// A page write past the end of page 1 (0x20..0x3F) wraps to its start.
	noErr(t, bus.Tx(0x50, []byte{0x00, 0x3E, 'a', 'b', 'c', 'd'}, nil))
	if got := read(0x3E, 2); string(got) != "ab" {
		t.Errorf("0x3E: %q", got)
	}
	if got := read(0x20, 2); string(got) != "cd" {
		t.Errorf("0x20: %q", got)
	}
	if got := eeprom.Contents()[0x40]; got != 0xFF {
		t.Errorf("the page write spilled into the next page: %#x", got)
	}

	// The top 4 address bits are don't-cares; sequential reads roll over
	// from the last byte to the first, and a current address read goes on.
	noErr(t, bus.Tx(0x50, []byte{0xFF, 0xFF, 'z'}, nil))
	noErr(t, bus.Tx(0x50, []byte{0x00, 0x00, 'y'}, nil))
	if got := read(0x0FFF, 2); string(got) != "zy" {
		t.Errorf("read across the end: %q", got)
	}
	r := make([]byte, 1)
	noErr(t, bus.Tx(0x50, nil, r))
	if r[0] != 0xFF {
		t.Errorf("current address read after 0x0001: %#x", r[0])
	}
	if mem := eeprom.Contents(); len(mem) != 4096 || mem[4095] != 'z' {
		t.Errorf("Contents: %d bytes, last %q", len(mem), mem[4095])
	}
}
