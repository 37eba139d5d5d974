package devices

import (
	"github.com/moonpin/moonpin/interp/host"
	lua "github.com/yuin/gopher-lua"
	"periph.io/x/conn/v3/physic"
	"periph.io/x/conn/v3/spi"
)

// mcp3008 drives a Microchip MCP3008 8-channel 10-bit ADC on an SPI port.
// The driver is ours, in Go (periph has none): one 3-byte transfer a
// read, the start bit, single-ended mode and the channel, then the 10-bit
// code (datasheet section 6.1). Options: vref (the voltage on VREF, the
// full scale; default 3.3).
var mcp3008Kind = &kind{
	name:    "mcp3008",
	part:    "MCP3008",
	options: []string{"vref"},
	methods: map[string]lua.LGFunction{"read": mcpADCRead},
	open: func(L *lua.LState, w *wire, o opts) connect {
		vref := o.within("vref", 3.3, 0.25, 5.5, " V")
		return func() (any, func() error, error) {
			c, err := w.port.Connect(physic.MegaHertz, spi.Mode0, 8)
			if err != nil {
				return nil, nil, err
			}
			return &mcpADC{conn: c, vref: vref}, nil, nil
		}
	},
}

type mcpADC struct {
	conn spi.Conn
	vref float64
}

// mcpADCRead: read(channel) returns {voltage = V, raw = the 10-bit code}
// of channel 0..7 against ground.
func mcpADCRead(L *lua.LState) int {
	ch := host.CheckInt(L, 2, "channel", 0, 7)
	var r [3]byte
	d := call(L, "mcp3008", "read", func(d *device) error {
		return d.drv.(*mcpADC).conn.Tx([]byte{0x01, byte(0x08+ch) << 4, 0x00}, r[:])
	})
	raw := float64(int(r[1]&0x03)<<8 | int(r[2]))
	L.Push(reading(L, "voltage", round(raw*d.drv.(*mcpADC).vref/1024, 4), "raw", raw))
	return 1
}
