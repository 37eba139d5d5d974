package sim

import (
	"fmt"
	"sync"
)

// MCP23017 is a Microchip MCP23017 16-bit I/O expander (DS20001952,
// "Register Map", IOCON.BANK = 0): registers 0x00..0x15 in A/B pairs, the
// address incrementing after each byte. GPIO reads the pins (an output
// reads its latch; an input what drives it from outside, else its pull-up,
// else low), inverted where IPOL says; writing GPIO writes OLAT. Its inputs
// are set as a0..a7 and b0..b7 (0 or 1).
type MCP23017 struct {
	mu     sync.Mutex
	regs   [0x16]byte
	ptr    byte
	driven uint16 // the pins driven from outside
	drive  uint16 // their levels
}

// MCP23017 register addresses, port A (port B is one more).
const (
	mcpIODIR = 0x00
	mcpIPOL  = 0x02
	mcpGPPU  = 0x0C
	mcpGPIO  = 0x12
	mcpOLAT  = 0x14
)

func newMCP23017() *MCP23017 {
	d := &MCP23017{}
	d.regs[mcpIODIR], d.regs[mcpIODIR+1] = 0xFF, 0xFF // every pin an input at power-on
	return d
}

func (d *MCP23017) Tx(w, r []byte) error {
	d.mu.Lock()
	defer d.mu.Unlock()
	if len(w) > 0 {
		d.ptr = w[0]
		for _, v := range w[1:] {
			if d.ptr >= byte(len(d.regs)) {
				return fmt.Errorf("MCP23017: no register 0x%02x", d.ptr)
			}
			if d.ptr == mcpGPIO || d.ptr == mcpGPIO+1 {
				d.regs[d.ptr+2] = v // a GPIO write goes to OLAT
			} else {
				d.regs[d.ptr] = v
			}
			d.ptr++
		}
	}
	// A read cannot be refused: the chip acknowledged its address, and
	// the master clocks the bytes out (a bus scan's probe reads wherever a
	// pointer written before left off). Past the registers there is 0.
	for i := range r {
		r[i] = 0
		if d.ptr < byte(len(d.regs)) {
			r[i] = d.reg(d.ptr)
		}
		d.ptr++
	}
	return nil
}

// reg reads a register; d.mu is held.
func (d *MCP23017) reg(a byte) byte {
	if a != mcpGPIO && a != mcpGPIO+1 {
		return d.regs[a]
	}
	port := a - mcpGPIO
	return byte(d.levels()>>(8*port)) ^ d.regs[mcpIPOL+port]&d.regs[mcpIODIR+port]
}

// levels returns the 16 pins' levels, A0 in bit 0; d.mu is held.
func (d *MCP23017) levels() uint16 {
	dir := uint16(d.regs[mcpIODIR]) | uint16(d.regs[mcpIODIR+1])<<8
	latch := uint16(d.regs[mcpOLAT]) | uint16(d.regs[mcpOLAT+1])<<8
	pull := uint16(d.regs[mcpGPPU]) | uint16(d.regs[mcpGPPU+1])<<8
	in := d.drive&d.driven | pull&^d.driven
	return latch&^dir | in&dir
}

func (d *MCP23017) Type() string { return "mcp23017" }

func (d *MCP23017) Inputs() []Input {
	in := make([]Input, 0, 16)
	for i := range 16 {
		in = append(in, Input{mcpPinName(i), "level", 0, 1})
	}
	return in
}

func mcpPinName(i int) string { return fmt.Sprintf("%c%d", 'a'+i/8, i%8) }

func (d *MCP23017) Set(values map[string]float64) error {
	d.mu.Lock()
	defer d.mu.Unlock()
	return setInputs(d.Type(), d.Inputs(), values, func(name string, v float64) {
		bit := uint16(1) << ((int(name[0]-'a'))*8 + int(name[1]-'0'))
		d.driven |= bit
		if v >= 0.5 {
			d.drive |= bit
		} else {
			d.drive &^= bit
		}
	})
}

// State implements Model: outputs, a list of 16 flags (A0 first, true
// where the pin is an output), and levels, the 16 pins' levels (0 or 1).
func (d *MCP23017) State() map[string]any {
	d.mu.Lock()
	defer d.mu.Unlock()
	dir := uint16(d.regs[mcpIODIR]) | uint16(d.regs[mcpIODIR+1])<<8
	lv := d.levels()
	outputs, levels := make([]float64, 16), make([]float64, 16)
	for i := range 16 {
		outputs[i] = float64(^dir >> i & 1)
		levels[i] = float64(lv >> i & 1)
	}
	return map[string]any{"outputs": outputs, "levels": levels}
}
