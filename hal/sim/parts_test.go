package sim_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/moonpin/moonpin/hal/sim"
	"periph.io/x/conn/v3/gpio"
)

func loadBoard(t *testing.T, json string) *sim.Board {
	t.Helper()
	path := filepath.Join(t.TempDir(), "board.json")
	if err := os.WriteFile(path, []byte(json), 0o644); err != nil {
		t.Fatal(err)
	}
	b, err := sim.Load(path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { b.Close() })
	return b
}

// TestHD44780EightBitStart feeds the controller through its backpack as
// the datasheet's "Initializing by Instruction" does: after power-on it is
// in 8-bit mode, so each strobe is an instruction (the function set 0x2_
// switches to 4 bits); then bytes come as two nibbles.
func TestHD44780EightBitStart(t *testing.T) {
	b := loadBoard(t, `{"i2c": [{"name": "I2C1", "devices": [{"type": "hd44780_20x4", "addr": 39}]}]}`)
	bus, err := b.OpenI2C("I2C1")
	if err != nil {
		t.Fatal(err)
	}
	const e, rs, light = 0x04, 0x01, 0x08
	nibble := func(n, ctl byte) {
		if err := bus.Tx(0x27, []byte{n<<4 | ctl | e, n<<4 | ctl}, nil); err != nil {
			t.Fatal(err)
		}
	}
	send := func(v, ctl byte) { nibble(v>>4, ctl); nibble(v&0x0F, ctl) }
	for _, n := range []byte{3, 3, 3, 2} {
		nibble(n, light)
	}
	for _, v := range []byte{0x28, 0x0C, 0x01, 0x80 | 0x54} { // 2 lines; on; clear; row 4
		send(v, light)
	}
	for _, c := range []byte("row4") {
		send(c, light|rs)
	}
	m, _ := b.Models("I2C1")
	st := m[0x27].State()
	rows := strings.Split(st["text"].(string), "\n")
	if len(rows) != 4 || rows[3] != "row4"+strings.Repeat(" ", 16) || strings.TrimSpace(rows[0]) != "" {
		t.Errorf("text %q, want row4 on the 4th of 4 rows of 20", st["text"])
	}
	if st["two_lines"] != true || st["backlight"] != true {
		t.Errorf("state %v", st)
	}
}

// TestHX711Protocol clocks a conversion out of the pins as the datasheet's
// "Serial Interface" shows: DOUT low when ready, a bit per PD_SCK rising
// edge, the 25th pulse leaves DOUT high until the next conversion.
func TestHX711Protocol(t *testing.T) {
	b := loadBoard(t, `{"pins": ["GPIO5", "GPIO6"], "gpio": [{"type": "hx711", "clk": "GPIO5", "data": "GPIO6"}]}`)
	m, err := b.Models("GPIO5")
	if err != nil {
		t.Fatal(err)
	}
	if err := m[0].Set(map[string]float64{"load": -1}); err != nil { // 8000 - 42000 counts
		t.Fatal(err)
	}
	clk, _ := b.Pin("GPIO5")
	data, _ := b.Pin("GPIO6")
	if err := data.In(gpio.PullDown, gpio.NoEdge); err != nil {
		t.Fatal(err)
	}
	if data.Read() != gpio.Low {
		t.Fatal("DOUT is high: no conversion ready")
	}
	var v uint32
	for range 24 {
		clk.Out(gpio.High)
		v = v<<1 | map[gpio.Level]uint32{gpio.High: 1}[data.Read()]
		clk.Out(gpio.Low)
	}
	clk.Out(gpio.High)
	if data.Read() != gpio.High {
		t.Error("DOUT is not high after the 25th pulse")
	}
	clk.Out(gpio.Low)
	if got := int32(v<<8) >> 8; got != -34000 {
		t.Errorf("read %d, want -34000", got)
	}
	if data.Read() != gpio.Low {
		t.Error("the next conversion is not ready")
	}
}
