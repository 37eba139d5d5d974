package sim_test

import (
	"bytes"
	"testing"

	"periph.io/x/conn/v3/physic"
	"periph.io/x/conn/v3/spi"

	"github.com/moonpin/moonpin/hal/sim"
)

func connect(t *testing.T, b *sim.Board, port string, mode spi.Mode) spi.Conn {
	t.Helper()
	p := must(b.OpenSPI(port))(t)
	t.Cleanup(func() { p.Close() })
	return must(p.Connect(physic.MegaHertz, mode, 8))(t)
}

func TestMCP3008(t *testing.T) {
	b := sim.New()
	adc := must(b.SPIDevice("SPI0.0"))(t).(*sim.MCP3008)
	c := connect(t, b, "SPI0.0", spi.Mode0)
	for ch, v := range []physic.ElectricPotential{
		1650 * physic.MilliVolt, physic.Volt, 2 * physic.Volt, 500 * physic.MilliVolt,
		0, 3300 * physic.MilliVolt, -physic.Volt, 5 * physic.Volt,
	} {
		noErr(t, adc.SetVoltage(ch, v))
	}
	if adc.SetVoltage(8, physic.Volt) == nil {
		t.Error("SetVoltage(8, ...) succeeded")
	}

	// Figure 6-1: the MCU sends a start bit, SGL/DIFF and D2..D0, and gets the
	// null bit and B9..B8 in the second byte, B7..B0 in the third.
	for _, c2 := range []struct {
		config byte // SGL/DIFF D2 D1 D0
		code   int  // 1024 * VIN / VREF
	}{
		{0b1000, 512},  // CH0 1.65 V
		{0b1001, 310},  // CH1 1 V
		{0b1101, 1023}, // CH5 at VREF
		{0b1110, 0},    // CH6 below ground
		{0b1111, 1023}, // CH7 above VREF
		{0b0010, 465},  // CH2 - CH3 = 1.5 V
		{0b0011, 0},    // CH3 - CH2 < 0
		{0b0001, 0},    // CH1 - CH0 < 0
		{0b0000, 201},  // CH0 - CH1 = 0.65 V
	} {
		r := make([]byte, 3)
		noErr(t, c.Tx([]byte{0x01, c2.config << 4, 0x00}, r))
		want := []byte{0, byte(c2.code >> 8), byte(c2.code)}
		if !bytes.Equal(r, want) {
			t.Errorf("config %04b: got % x, want % x", c2.config, r, want)
		}
	}

	// Another framing: the start bit first, then the result from bit 7, and
	// B1..B9 least significant bit first while the clock goes on.
	r := make([]byte, 3)
	noErr(t, c.Tx([]byte{0b1_1001_000, 0, 0}, r)) // CH1: 310 = 0b01_0011_0110
	if code := int(r[0]&1)<<9 | int(r[1])<<1 | int(r[2]>>7); code != 310 {
		t.Errorf("start-bit-first framing: got %d from % x", code, r)
	}
	if lsbFirst := r[2] & 0x7F; lsbFirst != 0b1101100 { // B1..B7 of 310
		t.Errorf("LSB-first tail %07b", lsbFirst)
	}

	// Packets joined by KeepCS are one conversion.
	r = make([]byte, 3)
	noErr(t, c.TxPackets([]spi.Packet{
		{W: []byte{0x01}, R: r[:1], KeepCS: true},
		{W: []byte{0x90, 0x00}, R: r[1:]},
	}))
	if !bytes.Equal(r, []byte{0, 0x01, 0x36}) {
		t.Errorf("KeepCS packets: % x", r)
	}
}

func TestLoopback(t *testing.T) {
	b := sim.New()
	for _, mode := range []spi.Mode{spi.Mode0, spi.Mode3 | spi.LSBFirst} {
		c := connect(t, b, "SPI0.1", mode)
		w, r := []byte{0x01, 0x80, 0xA5}, make([]byte, 3)
		noErr(t, c.Tx(w, r))
		if !bytes.Equal(r, w) {
			t.Errorf("%s: read % x, wrote % x", mode, r, w)
		}
		if c.Tx(w, r[:2]) == nil || c.Tx(nil, nil) == nil {
			t.Errorf("%s: mismatched or empty buffers accepted", mode)
		}
	}
	p := must(b.OpenSPI("SPI0.1"))(t)
	defer p.Close()
	for _, bad := range []struct {
		mode spi.Mode
		bits int
		f    physic.Frequency
	}{
		{spi.HalfDuplex, 8, physic.MegaHertz},
		{spi.Mode0, 16, physic.MegaHertz},
		{spi.Mode0, 8, 0},
	} {
		if _, err := p.Connect(bad.f, bad.mode, bad.bits); err == nil {
			t.Errorf("Connect(%s, %s, %d) succeeded", bad.f, bad.mode, bad.bits)
		}
	}
}
