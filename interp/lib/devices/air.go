package devices

import (
	lua "github.com/yuin/gopher-lua"
	"periph.io/x/devices/v3/scd4x"
)

// scd4x drives a Sensirion SCD40/SCD41 CO2 sensor through periph's scd4x,
// in periodic measurement: the part measures every 5 s and a read waits
// (up to 6 s) for the next measurement it has not returned. Options: addr
// (0x62, the only one). Closing stops the measurement (0.5 s).
var scd4xKind = &kind{
	name:    "scd4x",
	part:    "SCD4x",
	addrs:   []uint16{0x62},
	slow:    true,
	methods: map[string]lua.LGFunction{"read": scdRead},
	open: func(L *lua.LState, w *wire, o opts) connect {
		return func() (any, func() error, error) {
			dev, err := scd4x.NewI2C(w.bus, w.addr)
			if err != nil {
				return nil, nil, err
			}
			return dev, dev.Halt, nil
		}
	},
}

// scdRead: {co2 = ppm, temperature = °C, humidity = %RH}.
func scdRead(L *lua.LState) int {
	var e scd4x.Env
	call(L, "scd4x", "read", func(d *device) error { return d.drv.(*scd4x.Dev).Sense(&e) })
	t := env(L, e.Env, false, true)
	t.RawSetString("co2", lua.LNumber(e.CO2))
	L.Push(t)
	return 1
}
