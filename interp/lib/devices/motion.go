package devices

import (
	"fmt"

	lua "github.com/yuin/gopher-lua"
	"periph.io/x/conn/v3/i2c"
)

// adxl345 drives an Analog Devices ADXL345 accelerometer on I2C. The
// driver is ours, in Go: periph's adxl345 sets the SPI read flag (bit 7)
// on register addresses over I2C too, which there names a register that
// does not exist, and reads each axis in two transactions whose errors it
// drops. Options: addr (0x53, or 0x1D with ALT ADDRESS high), range (2,
// 4, 8 or 16 g; full resolution, 3.9 mg a count, at every range).
var adxl345Kind = &kind{
	name:    "adxl345",
	part:    "ADXL345",
	addrs:   []uint16{0x53, 0x1D},
	options: []string{"range"},
	methods: map[string]lua.LGFunction{"read": adxlRead},
	open: func(L *lua.LState, w *wire, o opts) connect {
		ranges := map[float64]byte{2: 0, 4: 1, 8: 2, 16: 3}
		rng := ranges[o.oneOf("range", 2, 2, 4, 8, 16)]
		return func() (any, func() error, error) {
			dev := &i2c.Dev{Bus: w.bus, Addr: w.addr}
			id := make([]byte, 1)
			if err := dev.Tx([]byte{0x00}, id); err != nil { // DEVID
				return nil, nil, err
			}
			if id[0] != 0xE5 {
				return nil, nil, fmt.Errorf("the part at %s has device ID 0x%02x, not an ADXL345's 0xE5", w.where, id[0])
			}
			// DATA_FORMAT: FULL_RES and the range; POWER_CTL: Measure.
			if err := dev.Tx([]byte{0x31, 0x08 | rng}, nil); err != nil {
				return nil, nil, err
			}
			if err := dev.Tx([]byte{0x2D, 0x08}, nil); err != nil {
				return nil, nil, err
			}
			halt := func() error { return dev.Tx([]byte{0x2D, 0x00}, nil) } // standby
			return dev, halt, nil
		}
	},
}

// adxlRead: {x = g, y = g, z = g}, at 256 counts a g (3.9 mg); at rest,
// flat, z is about 1.
func adxlRead(L *lua.LState) int {
	var b [6]byte
	call(L, "adxl345", "read", func(d *device) error {
		return d.drv.(*i2c.Dev).Tx([]byte{0x32}, b[:]) // DATAX0..DATAZ1, one read
	})
	axis := func(i int) float64 { return round(float64(int16(uint16(b[i])|uint16(b[i+1])<<8))/256, 3) }
	L.Push(reading(L, "x", axis(0), "y", axis(2), "z", axis(4)))
	return 1
}
