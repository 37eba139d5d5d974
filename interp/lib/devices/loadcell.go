package devices

import (
	"errors"
	"time"

	"github.com/moonpin/moonpin/interp/host"
	lua "github.com/yuin/gopher-lua"
	"periph.io/x/conn/v3/gpio"
	"periph.io/x/devices/v3/hx711"
)

// hx711 drives an Avia HX711 load-cell amplifier, bit-banged on two GPIO
// pins (clk to PD_SCK, data to DOUT) by periph's hx711, on channel A at
// gain 128. Options: scale (counts per unit of weight, found by weighing
// something known; default 1) and offset (the counts with nothing on the
// cell; tare() measures it).
var hx711Kind = &kind{
	name:    "hx711",
	part:    "HX711",
	pins:    []string{"clk", "data"},
	options: []string{"scale", "offset"},
	slow:    true,
	methods: map[string]lua.LGFunction{"read": hxRead, "tare": hxTare},
	open: func(L *lua.LState, w *wire, o opts) connect {
		scale := o.number("scale", 1)
		if scale == 0 {
			L.ArgError(2, "scale must not be 0")
		}
		offset := o.number("offset", 0)
		return func() (any, func() error, error) {
			dev, err := hx711.New(w.pins["clk"], w.pins["data"])
			if err != nil {
				return nil, nil, err
			}
			return &cell{dev: dev, data: w.pins["data"], scale: scale, offset: offset}, dev.Halt, nil
		}
	},
}

type cell struct {
	dev           *hx711.Dev
	data          gpio.PinIn
	scale, offset float64
}

// errNoConversion is a read's error when data stays high.
var errNoConversion = errors.New("no conversion within 1 s (data stayed high); check the wiring and power of the HX711")

// read waits up to a second for a conversion (the HX711 makes 10 or 80 a
// second) and returns its counts, or errStopped once d's call was given
// up (see device.stopped).
//
// It waits for data to be low itself, not in periph's ReadTimeout: that
// takes any falling edge the pin has kept for a conversion ready, and the
// previous read's bits leave one (each 1 then 0 shifted out), so every
// other read at 10 a second shifted out a conversion not yet made, mostly
// -1 (periph issue google/periph#439, still so in devices v3.7.4).
func (c *cell) read(d *device) (float64, error) {
	deadline := time.Now().Add(time.Second)
	for c.data.Read() != gpio.Low {
		if d.stopped() {
			return 0, errStopped
		}
		left := time.Until(deadline)
		if left <= 0 {
			return 0, errNoConversion
		}
		// An edge only says to look again; a kept one is used up.
		c.data.WaitForEdge(min(left, 50*time.Millisecond))
	}
	v, err := c.dev.ReadTimeout(time.Second)
	if errors.Is(err, hx711.ErrTimeout) {
		return 0, errNoConversion
	}
	return float64(v), err
}

// hxRead: {weight = (counts - offset) / scale, counts = the raw conversion}.
func hxRead(L *lua.LState) int {
	var v float64
	d := call(L, "hx711", "read", func(d *device) error {
		var err error
		v, err = d.drv.(*cell).read(d)
		return err
	})
	c := d.drv.(*cell)
	L.Push(reading(L, "weight", round((v-c.offset)/c.scale, 3), "counts", v))
	return 1
}

// tare([n]) averages n conversions (default 10) with nothing on the cell
// and makes that the offset, which it returns.
func hxTare(L *lua.LState) int {
	n := 10
	if L.Get(2) != lua.LNil {
		n = host.CheckInt(L, 2, "count", 1, 100)
	}
	d := call(L, "hx711", "tare", func(d *device) error {
		c, sum := d.drv.(*cell), 0.0
		for range n {
			// A conversion takes 12.5 or 100 ms: a tare(100) given up
			// held the cell, and a soft reset, for 10 s; read stops.
			v, err := c.read(d)
			if err != nil {
				return err
			}
			sum += v
		}
		c.offset = sum / float64(n)
		return nil
	})
	L.Push(lua.LNumber(d.drv.(*cell).offset))
	return 1
}
