package devices

import (
	"strings"

	"github.com/moonpin/moonpin/hal"
	"github.com/moonpin/moonpin/interp/host"
	lua "github.com/yuin/gopher-lua"
	"periph.io/x/devices/v3/max7219"
)

// max7219 drives a Maxim MAX7219 with a 7-segment display of up to 8
// digits (the common red module) on an SPI port through periph's max7219,
// in Code B. Options: digits (1..8, default 8).
var max7219Kind = &kind{
	name:    "max7219",
	part:    "MAX7219",
	options: []string{"digits"},
	methods: map[string]lua.LGFunction{
		"text":       segText,
		"brightness": segBrightness,
		"clear":      segClear,
	},
	open: func(L *lua.LState, w *wire, o opts) connect {
		n := int(o.within("digits", 8, 1, 8, " digits"))
		return func() (any, func() error, error) {
			dev, err := max7219.NewSPI(w.port, 1, n)
			if err != nil {
				return nil, nil, err
			}
			return &segments{dev: dev, digits: n}, dev.Clear, nil
		}
	},
}

type segments struct {
	dev    *max7219.Dev
	digits int
}

// segFont is what Code B can show; "." lights the previous digit's point.
const segFont = "0123456789 -EHLP."

// text(s) shows s right-aligned: digits, space, -, E, H, L, P, and "."
// for the previous digit's decimal point.
func segText(L *lua.LState) int {
	d := check(L, "max7219")
	seg := d.drv.(*segments)
	s := L.CheckString(2)
	for _, c := range s {
		if !strings.ContainsRune(segFont, c) {
			host.ArgError(L, 2, "%q is not in the MAX7219's Code B font: 0-9, space, -, E, H, L, P and . (a decimal point)", c)
		}
	}
	s = strings.TrimLeft(s, ".")
	width := len(s) - strings.Count(s, ".")
	if width > seg.digits {
		host.ArgError(L, 2, "%s is %d digits; the display has %d", hal.Quoted(s), width, seg.digits)
	}
	s = strings.Repeat(" ", seg.digits-width) + s
	call(L, "max7219", "text", func(*device) error { return seg.dev.Write([]byte(s)) })
	return 0
}

// brightness(level) sets the brightness, 0..15.
func segBrightness(L *lua.LState) int {
	level := host.CheckInt(L, 2, "brightness", 0, 15)
	call(L, "max7219", "brightness", func(d *device) error { return d.drv.(*segments).dev.SetIntensity(byte(level)) })
	return 0
}

// clear blanks every digit.
func segClear(L *lua.LState) int {
	call(L, "max7219", "clear", func(d *device) error { return d.drv.(*segments).dev.Clear() })
	return 0
}
