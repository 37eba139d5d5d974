package devices

import (
	"strings"
	"time"

	"github.com/moonpin/moonpin/interp/host"
	lua "github.com/yuin/gopher-lua"
	"periph.io/x/conn/v3/analog"
	"periph.io/x/conn/v3/i2c"
	"periph.io/x/conn/v3/physic"
	"periph.io/x/devices/v3/ads1x15"
	"periph.io/x/devices/v3/aht20"
	"periph.io/x/devices/v3/bh1750"
	"periph.io/x/devices/v3/bmxx80"
	"periph.io/x/devices/v3/ina219"
	"periph.io/x/devices/v3/mcp9808"
	"periph.io/x/devices/v3/tmp102"
)

// env turns a physic.Env into {temperature = °C, pressure = hPa,
// humidity = %RH}, leaving out what the part does not measure.
func env(L *lua.LState, e physic.Env, pressure, humidity bool) *lua.LTable {
	t := L.CreateTable(0, 3)
	t.RawSetString("temperature", lua.LNumber(round(e.Temperature.Celsius(), 2)))
	if pressure {
		t.RawSetString("pressure", lua.LNumber(round(float64(e.Pressure)/float64(physic.Pascal)/100, 2)))
	}
	if humidity {
		t.RawSetString("humidity", lua.LNumber(round(float64(e.Humidity)/float64(physic.PercentRH), 1)))
	}
	return t
}

// bme280 drives the Bosch BME280, BMP280 and BMP180 (the driver tells them
// apart by their chip ID). Options: addr (0x76 or 0x77); filter (0, 2, 4,
// 8 or 16) with standby_ms puts the part in normal mode, measuring on its
// own, so that a read does not wait for a conversion.
var bme280Kind = &kind{
	name:    "bme280",
	part:    "BME280/BMP280/BMP180",
	addrs:   []uint16{0x76, 0x77},
	options: []string{"filter", "standby_ms"},
	slow:    true,
	methods: map[string]lua.LGFunction{"read": bme280Read},
	open: func(L *lua.LState, w *wire, o opts) connect {
		filters := map[float64]bmxx80.Filter{0: bmxx80.NoFilter, 2: bmxx80.F2, 4: bmxx80.F4, 8: bmxx80.F8, 16: bmxx80.F16}
		bo := bmxx80.DefaultOpts
		bo.Filter = filters[o.oneOf("filter", 0, 0, 2, 4, 8, 16)]
		bo.Standby = time.Duration(o.within("standby_ms", 0, 0, 1000, " ms") * float64(time.Millisecond))
		return func() (any, func() error, error) {
			d, err := bmxx80.NewI2C(w.bus, w.addr, &bo)
			if err != nil {
				return nil, nil, err
			}
			return &bmeDev{
				dev:      d,
				humidity: strings.HasPrefix(d.String(), "BME280"),
				normal:   bo.Filter != bmxx80.NoFilter && bo.Standby != 0,
			}, d.Halt, nil
		}
	},
}

type bmeDev struct {
	dev              *bmxx80.Dev
	humidity, normal bool
}

// sleeps: in forced mode a read waits for the conversion; in normal mode
// it reads the last one.
func (b *bmeDev) sleeps() bool { return !b.normal }

// bme280Read: {temperature = °C, pressure = hPa, humidity = %RH}; no
// humidity from a BMP280 or BMP180.
func bme280Read(L *lua.LState) int {
	var e physic.Env
	d := call(L, "bme280", "read", func(d *device) error { return d.drv.(*bmeDev).dev.Sense(&e) })
	L.Push(env(L, e, true, d.drv.(*bmeDev).humidity))
	return 1
}

// ads1115 and ads1015 drive TI's 4-channel ADCs. Options: addr (0x48..0x4B),
// max_voltage (the largest voltage to read, which picks the gain; up to
// 6.144 V) and rate (samples a second, which sets the conversion time).
var ads1115Kind = adsKind("ads1115", "ADS1115", ads1x15.NewADS1115, 860)

var ads1015Kind = adsKind("ads1015", "ADS1015", ads1x15.NewADS1015, 3300)

type adsDev struct {
	dev        *ads1x15.Dev
	maxVoltage physic.ElectricPotential
	rate       physic.Frequency
}

func adsKind(name, part string, newDev func(i2c.Bus, *ads1x15.Opts) (*ads1x15.Dev, error), maxRate float64) *kind {
	k := &kind{
		name:    name,
		part:    part,
		addrs:   []uint16{0x48, 0x49, 0x4A, 0x4B},
		options: []string{"max_voltage", "rate"},
		slow:    true,
		open: func(L *lua.LState, w *wire, o opts) connect {
			v := o.within("max_voltage", 4.096, 0.001, 6.144, " V")
			rate := o.within("rate", maxRate, 1, maxRate, " samples/s")
			return func() (any, func() error, error) {
				dev, err := newDev(w.bus, &ads1x15.Opts{I2cAddress: w.addr})
				if err != nil {
					return nil, nil, err
				}
				return &adsDev{
					dev:        dev,
					maxVoltage: physic.ElectricPotential(v * float64(physic.Volt)),
					rate:       physic.Frequency(rate * float64(physic.Hertz)),
				}, dev.Halt, nil
			}
		},
	}
	k.methods = map[string]lua.LGFunction{"read": func(L *lua.LState) int { return adsRead(L, name) }}
	return k
}

// adsChannels are read's channel arguments: 0..3 against ground, or a
// differential pair.
var adsChannels = map[string]ads1x15.Channel{
	"0": ads1x15.Channel0, "1": ads1x15.Channel1, "2": ads1x15.Channel2, "3": ads1x15.Channel3,
	"0-1": ads1x15.Channel0Minus1, "0-3": ads1x15.Channel0Minus3,
	"1-3": ads1x15.Channel1Minus3, "2-3": ads1x15.Channel2Minus3,
}

// adsRead: read(channel) returns {voltage = V, raw = the ADC's code}.
func adsRead(L *lua.LState, k string) int {
	ch, ok := adsChannels[L.CheckAny(2).String()]
	if !ok {
		host.ArgError(L, 2, "no channel %s; channels are 0..3 (against ground) or \"0-1\", \"0-3\", \"1-3\", \"2-3\" (differential)", L.Get(2))
	}
	var s analog.Sample
	call(L, k, "read", func(d *device) error {
		a := d.drv.(*adsDev)
		pin, err := a.dev.PinForChannel(ch, a.maxVoltage, a.rate, ads1x15.SaveEnergy)
		if err != nil {
			return err
		}
		s, err = pin.Read()
		return err
	})
	L.Push(reading(L, "voltage", round(float64(s.V)/float64(physic.Volt), 5), "raw", float64(s.Raw)))
	return 1
}

// ina219 drives TI's current and power monitor. Options: addr (0x40..0x4F),
// shunt_ohms (the shunt resistor, 0.1 on most boards) and max_current (A,
// the largest current expected, which sets the resolution).
var ina219Kind = &kind{
	name:    "ina219",
	part:    "INA219",
	addrs:   []uint16{0x40, 0x41, 0x42, 0x43, 0x44, 0x45, 0x46, 0x47, 0x48, 0x49, 0x4A, 0x4B, 0x4C, 0x4D, 0x4E, 0x4F},
	options: []string{"shunt_ohms", "max_current"},
	methods: map[string]lua.LGFunction{"read": ina219Read},
	open: func(L *lua.LState, w *wire, o opts) connect {
		shunt := o.within("shunt_ohms", 0.1, 0.001, 10, " Ω")
		maxI := o.within("max_current", 3.2, 0.001, 20, " A")
		return func() (any, func() error, error) {
			dev, err := ina219.New(w.bus, &ina219.Opts{
				Address:       int(w.addr),
				SenseResistor: physic.ElectricResistance(shunt * float64(physic.Ohm)),
				MaxCurrent:    physic.ElectricCurrent(maxI * float64(physic.Ampere)),
			})
			return dev, nil, err
		}
	},
}

// ina219Read: {voltage = V (bus), current = A, power = W, shunt = V}.
func ina219Read(L *lua.LState) int {
	var pm ina219.PowerMonitor
	call(L, "ina219", "read", func(d *device) error {
		var err error
		pm, err = d.drv.(*ina219.Dev).Sense()
		return err
	})
	L.Push(reading(L,
		"voltage", round(float64(pm.Voltage)/float64(physic.Volt), 3),
		"current", round(float64(pm.Current)/float64(physic.Ampere), 4),
		"power", round(float64(pm.Power)/float64(physic.Watt), 4),
		"shunt", round(float64(pm.Shunt)/float64(physic.Volt), 5)))
	return 1
}

// bh1750 drives ROHM's ambient light sensor. Options: addr (0x23, or 0x5C
// with ADDR high) and resolution ("high", 1 lx, or "low", 4 lx and faster).
var bh1750Kind = &kind{
	name:    "bh1750",
	part:    "BH1750",
	addrs:   []uint16{0x23, 0x5C},
	options: []string{"resolution"},
	slow:    true,
	methods: map[string]lua.LGFunction{"read": bh1750Read},
	open: func(L *lua.LState, w *wire, o opts) connect {
		res := bh1750.ContinuousHighResMode
		if o.str("resolution", "high", "high", "low") == "low" {
			res = bh1750.ContinuousLowResMode
		}
		return func() (any, func() error, error) {
			dev, err := bh1750.NewI2C(w.bus, w.addr)
			if err != nil {
				return nil, nil, err
			}
			if err := dev.SetResolution(res); err != nil {
				return nil, nil, err
			}
			return dev, dev.Halt, nil
		}
	},
}

// bh1750Read: {lux = lx}.
func bh1750Read(L *lua.LState) int {
	var lux physic.LuminousFlux
	call(L, "bh1750", "read", func(d *device) error {
		var err error
		lux, err = d.drv.(*bh1750.Dev).Sense()
		return err
	})
	L.Push(reading(L, "lux", round(float64(lux)/float64(physic.Lumen), 1)))
	return 1
}

// mcp9808 drives Microchip's ±0.25 °C temperature sensor. Options: addr
// (0x18..0x1F).
var mcp9808Kind = &kind{
	name:    "mcp9808",
	part:    "MCP9808",
	addrs:   []uint16{0x18, 0x19, 0x1A, 0x1B, 0x1C, 0x1D, 0x1E, 0x1F},
	methods: map[string]lua.LGFunction{"read": mcp9808Read},
	open: func(L *lua.LState, w *wire, o opts) connect {
		return func() (any, func() error, error) {
			dev, err := mcp9808.New(w.bus, &mcp9808.Opts{Addr: int(w.addr), Res: mcp9808.Maximum})
			if err != nil {
				return nil, nil, err
			}
			return dev, dev.Halt, nil
		}
	},
}

// mcp9808Read: {temperature = °C}.
func mcp9808Read(L *lua.LState) int {
	var e physic.Env
	call(L, "mcp9808", "read", func(d *device) error { return d.drv.(*mcp9808.Dev).Sense(&e) })
	L.Push(env(L, e, false, false))
	return 1
}

// tmp102 drives TI's temperature sensor. Options: addr (0x48..0x4B).
var tmp102Kind = &kind{
	name:    "tmp102",
	part:    "TMP102",
	addrs:   []uint16{0x48, 0x49, 0x4A, 0x4B},
	methods: map[string]lua.LGFunction{"read": tmp102Read},
	open: func(L *lua.LState, w *wire, o opts) connect {
		return func() (any, func() error, error) {
			dev, err := tmp102.NewI2C(w.bus, w.addr, nil)
			if err != nil {
				return nil, nil, err
			}
			return dev, dev.Halt, nil
		}
	},
}

// tmp102Read: {temperature = °C}.
func tmp102Read(L *lua.LState) int {
	var e physic.Env
	call(L, "tmp102", "read", func(d *device) error { return d.drv.(*tmp102.Dev).Sense(&e) })
	L.Push(env(L, e, false, false))
	return 1
}

// aht20 drives Aosong's temperature and humidity sensor, always at 0x38.
var aht20Kind = &kind{
	name:    "aht20",
	part:    "AHT20",
	addrs:   []uint16{0x38},
	slow:    true,
	methods: map[string]lua.LGFunction{"read": aht20Read},
	open: func(L *lua.LState, w *wire, o opts) connect {
		return func() (any, func() error, error) {
			dev, err := aht20.NewI2C(w.bus, nil)
			if err != nil {
				return nil, nil, err
			}
			return dev, dev.Halt, nil
		}
	},
}

// aht20Read: {temperature = °C, humidity = %RH}.
func aht20Read(L *lua.LState) int {
	var e physic.Env
	call(L, "aht20", "read", func(d *device) error { return d.drv.(*aht20.Dev).Sense(&e) })
	L.Push(env(L, e, false, true))
	return 1
}
