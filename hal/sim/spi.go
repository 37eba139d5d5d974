package sim

import (
	"errors"
	"fmt"
	"math/bits"
	"sync"

	"periph.io/x/conn/v3"
	"periph.io/x/conn/v3/physic"
	"periph.io/x/conn/v3/spi"

	"github.com/moonpin/moonpin/hal"
)

// SPIDevice is the device on a simulated SPI port. Transfer is one
// chip-select period: w is shifted out, most significant bit first, while r,
// as long, is shifted in.
type SPIDevice interface {
	Transfer(w, r []byte)
}

type port struct {
	name string
	dev  SPIDevice
}

// portHandle is an open port; it implements spi.PortCloser.
type portHandle struct {
	b    *Board
	port *port

	// Guarded by b.mu.
	closed, connected bool
}

func (h *portHandle) String() string { return h.port.name }

// checkSpeed applies the limits of periph's Linux spidev port.
func (h *portHandle) checkSpeed(f physic.Frequency) error {
	if f < 100*physic.Hertz || f > physic.GigaHertz {
		return fmt.Errorf("%s: speed %s is outside 100Hz..1GHz", h.port.name, f)
	}
	return nil
}

func (h *portHandle) LimitSpeed(f physic.Frequency) error { return h.checkSpeed(f) }

func (h *portHandle) Connect(f physic.Frequency, mode spi.Mode, bits int) (spi.Conn, error) {
	if err := h.checkSpeed(f); err != nil {
		return nil, err
	}
	if mode&^(spi.Mode3|spi.LSBFirst) != 0 {
		return nil, fmt.Errorf("%s: mode %s is not simulated; use Mode0..Mode3, optionally with LSBFirst", h.port.name, mode)
	}
	if bits != 8 {
		return nil, fmt.Errorf("%s: %d bits per word is not simulated; use 8", h.port.name, bits)
	}
	h.b.mu.Lock()
	defer h.b.mu.Unlock()
	if err := h.usable(); err != nil {
		return nil, err
	}
	if h.connected {
		return nil, fmt.Errorf("%s: Connect can be called once per open port; close and reopen it to change settings", h.port.name)
	}
	h.connected = true
	return &spiConn{h: h, lsbFirst: mode&spi.LSBFirst != 0}, nil
}

// usable is called with b.mu held.
func (h *portHandle) usable() error {
	if h.closed {
		return fmt.Errorf("%s: %w", h.port.name, hal.ErrClosed)
	}
	return nil
}

func (h *portHandle) Close() error {
	h.b.mu.Lock()
	defer h.b.mu.Unlock()
	h.closed = true
	h.b.forget(h)
	return nil
}

// spiConn implements spi.Conn.
type spiConn struct {
	h        *portHandle
	lsbFirst bool
}

func (c *spiConn) String() string      { return c.h.port.name }
func (c *spiConn) Duplex() conn.Duplex { return conn.Full }

func (c *spiConn) Tx(w, r []byte) error {
	return c.TxPackets([]spi.Packet{{W: w, R: r}})
}

// TxPackets runs packets joined by KeepCS in one chip-select period.
func (c *spiConn) TxPackets(pkts []spi.Packet) error {
	c.h.b.mu.Lock()
	err := c.h.usable()
	c.h.b.mu.Unlock()
	if err != nil {
		return err
	}
	for _, p := range pkts {
		switch {
		case len(p.W) == 0 && len(p.R) == 0:
			return errors.New(c.h.port.name + ": empty SPI packet")
		case len(p.W) != 0 && len(p.R) != 0 && len(p.W) != len(p.R):
			return fmt.Errorf("%s: a full-duplex packet writes and reads as many bytes; got %d and %d", c.h.port.name, len(p.W), len(p.R))
		case p.BitsPerWord != 0 && p.BitsPerWord != 8:
			return fmt.Errorf("%s: %d bits per word is not simulated; use 8", c.h.port.name, p.BitsPerWord)
		}
	}
	for start, i := 0, 0; i < len(pkts); i++ {
		if pkts[i].KeepCS && i < len(pkts)-1 {
			continue
		}
		c.transfer(pkts[start : i+1])
		start = i + 1
	}
	return nil
}

// transfer runs one chip-select period.
func (c *spiConn) transfer(pkts []spi.Packet) {
	var w []byte
	for _, p := range pkts {
		seg := make([]byte, max(len(p.W), len(p.R)))
		copy(seg, p.W)
		w = append(w, seg...)
	}
	r := make([]byte, len(w))
	c.order(w)
	c.h.port.dev.Transfer(w, r)
	c.order(r)
	for _, p := range pkts {
		n := max(len(p.W), len(p.R))
		copy(p.R, r[:n])
		r = r[n:]
	}
}

// order turns LSB-first words into the wire's MSB-first order and back.
func (c *spiConn) order(b []byte) {
	if c.lsbFirst {
		for i, v := range b {
			b[i] = bits.Reverse8(v)
		}
	}
}

// Loopback is a port whose MISO is wired to its MOSI: it reads back what it
// writes.
type Loopback struct{}

func (Loopback) Transfer(w, r []byte) { copy(r, w) }

// MCP3008 reference voltage: the full-scale input.
const mcp3008Vref = 3300 * physic.MilliVolt

// MCP3008 is a Microchip MCP3008 8-channel 10-bit ADC (DS21295) with VREF at
// 3.3 V, its inputs set with SetVoltage.
type MCP3008 struct {
	mu sync.Mutex
	in [8]physic.ElectricPotential
}

// SetVoltage sets the voltage on input CH0..CH7.
func (d *MCP3008) SetVoltage(ch int, v physic.ElectricPotential) error {
	if ch < 0 || ch >= len(d.in) {
		return fmt.Errorf("MCP3008: no channel %d; channels are 0..7", ch)
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	d.in[ch] = v
	return nil
}

// Transfer follows section 5.0 of the datasheet bit by bit, so any framing
// works, such as the usual 3 bytes {0x01, 0x80 | ch<<4, 0}: zeros until the
// start bit; SGL/DIFF, D2, D1, D0; a sample clock; a null bit; B9..B0; then
// B1..B9 again, least significant first, then zeros while CS stays low. The
// output is 0 where DOUT is high-impedance.
func (d *MCP3008) Transfer(w, r []byte) {
	clear(r)
	started := false
	config, nconfig := 0, 0
	var code, clock int
	for i := range 8 * len(w) {
		in := int(w[i/8]>>(7-i%8)) & 1
		out := 0
		switch {
		case !started:
			started = in == 1
		case nconfig < 4:
			config = config<<1 | in
			if nconfig++; nconfig == 4 {
				code = d.convert(config)
			}
		default:
			switch {
			case clock >= 2 && clock <= 11: // B9..B0
				out = code >> (11 - clock) & 1
			case clock >= 12 && clock <= 20: // B1..B9
				out = code >> (clock - 11) & 1
			}
			clock++
		}
		r[i/8] |= byte(out << (7 - i%8))
	}
}

// convert returns the output code for a configuration SGL/DIFF D2 D1 D0
// (table 5-2): 1024 * VIN / VREF, clamped to 0..1023.
func (d *MCP3008) convert(config int) int {
	d.mu.Lock()
	defer d.mu.Unlock()
	ch := config & 7
	vin := d.in[ch]
	if config&8 == 0 { // differential: IN+ is ch, IN- its pair's other half
		vin -= d.in[ch^1]
	}
	return int(min(max(1024*vin/mcp3008Vref, 0), 1023))
}
