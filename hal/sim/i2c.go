package sim

import (
	"fmt"
	"sync"

	"periph.io/x/conn/v3/physic"

	"github.com/moonpin/moonpin/hal"
)

// I2CDevice is a device on a simulated I2C bus. Tx is one transaction: the
// bytes written, then (after a repeated start) r filled with the bytes read.
type I2CDevice interface {
	Tx(w, r []byte) error
}

type bus struct {
	name    string
	devices map[uint16]I2CDevice // fixed when the board is built
}

func (x *bus) device(addr uint16) (I2CDevice, error) {
	if d := x.devices[addr]; d != nil {
		return d, nil
	}
	return nil, fmt.Errorf("%w at 0x%02x on %s", hal.ErrNoDevice, addr, x.name)
}

// busHandle is an open bus; it implements i2c.BusCloser.
type busHandle struct {
	b      *Board
	bus    *bus
	closed bool // guarded by b.mu
}

func (h *busHandle) String() string { return h.bus.name }

func (h *busHandle) Tx(addr uint16, w, r []byte) error {
	h.b.mu.Lock()
	closed := h.closed
	h.b.mu.Unlock()
	switch {
	case closed:
		return fmt.Errorf("%s: %w", h.bus.name, hal.ErrClosed)
	case addr > 0x7F:
		return fmt.Errorf("%s: 0x%x is not a 7-bit I2C address", h.bus.name, addr)
	case len(w) == 0 && len(r) == 0:
		return nil // like periph's Linux bus; see hal.Board.OpenI2C
	}
	d, err := h.bus.device(addr)
	if err != nil {
		return err
	}
	return d.Tx(w, r)
}

func (h *busHandle) SetSpeed(f physic.Frequency) error {
	if f < physic.KiloHertz || f > 3400*physic.KiloHertz {
		return fmt.Errorf("%s: speed %s is outside I2C's 1kHz..3.4MHz", h.bus.name, f)
	}
	return nil
}

func (h *busHandle) Close() error {
	h.b.mu.Lock()
	defer h.b.mu.Unlock()
	h.closed = true
	h.b.forget(h)
	return nil
}

// Registers is a generic device of 256 8-bit registers, like many I2C
// peripherals: a write sets the register address and stores any further
// bytes from there; a read continues from the address. The address
// increments after each byte and wraps from 0xFF to 0x00.
type Registers struct {
	mu   sync.Mutex
	regs [256]byte
	ptr  byte
}

func (d *Registers) Tx(w, r []byte) error {
	d.mu.Lock()
	defer d.mu.Unlock()
	if len(w) > 0 {
		d.ptr = w[0]
		for _, v := range w[1:] {
			d.regs[d.ptr] = v
			d.ptr++
		}
	}
	for i := range r {
		r[i] = d.regs[d.ptr]
		d.ptr++
	}
	return nil
}

// Reg returns a register's value.
func (d *Registers) Reg(reg uint8) byte {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.regs[reg]
}

// SetReg sets a register, as the device itself would.
func (d *Registers) SetReg(reg uint8, v byte) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.regs[reg] = v
}

// AT24C32 geometry (Atmel AT24C32/64 datasheet, "Memory Organization").
const (
	eepromSize = 4096 // 128 pages of 32 bytes
	eepromPage = 32
)

// AT24C32 is a 32 Kbit serial EEPROM (Atmel AT24C32), erased (all 0xFF) at
// start. The write cycle time is not simulated: it is ready at once.
type AT24C32 struct {
	mu   sync.Mutex
	mem  [eepromSize]byte
	addr uint16 // the data word address counter
}

func newAT24C32() *AT24C32 {
	d := &AT24C32{}
	for i := range d.mem {
		d.mem[i] = 0xFF
	}
	return d
}

// Tx follows the datasheet's "Write Operations" and "Read Operations".
func (d *AT24C32) Tx(w, r []byte) error {
	d.mu.Lock()
	defer d.mu.Unlock()
	// Byte/page write, or the "dummy write" of a random read: two address
	// bytes, most significant first (its top 4 bits are don't-cares), then
	// data. Only the low 5 address bits count up, so a page write wraps
	// to the start of its page.
	if len(w) >= 2 {
		d.addr = (uint16(w[0])<<8 | uint16(w[1])) % eepromSize
		for _, v := range w[2:] {
			d.mem[d.addr] = v
			d.addr = d.addr&^(eepromPage-1) | (d.addr+1)&(eepromPage-1)
		}
	}
	// Current address and sequential reads roll over from the last byte of
	// the memory to the first.
	for i := range r {
		r[i] = d.mem[d.addr]
		d.addr = (d.addr + 1) % eepromSize
	}
	return nil
}

// Contents returns a copy of the memory.
func (d *AT24C32) Contents() []byte {
	d.mu.Lock()
	defer d.mu.Unlock()
	return append([]byte(nil), d.mem[:]...)
}
