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
	cells := layout(L, s, seg.digits, "digits")
	// periph's Code B conversion puts a "." on the digit before it.
	var b strings.Builder
	for _, c := range cells {
		b.WriteByte(c.ch)
		if c.dot {
			b.WriteByte('.')
		}
	}
	call(L, "max7219", "text", func(*device) error { return seg.dev.Write([]byte(b.String())) })
	return 0
}

// place is one character of a segment display and its decimal point.
type place struct {
	ch  byte
	dot bool
}

// layout places s, right-aligned, on a display of n characters that each
// have a decimal point: a "." lights the point of the character before it,
// or of a blank of its own where there is none (at the start, or after
// another "."), so "2.5" takes 2 places, ".5" and "1..2" 2 and 3. Text that
// takes more than n places is an error (argument 2) that counts them in
// unit ("digits", "characters"). s is single-byte characters (checked by
// the caller).
func layout(L *lua.LState, s string, n int, unit string) []place {
	var cells []place         // the first n places: a megabyte of text is counted, not kept
	places, dotted := 0, true // dotted: no character before whose point is dark
	for i := 0; i < len(s); i++ {
		p := place{ch: s[i]}
		switch {
		case s[i] == '.' && !dotted:
			if places <= n {
				cells[places-1].dot = true
			}
			dotted = true
			continue
		case s[i] == '.':
			p = place{' ', true}
		default:
			dotted = false
		}
		if places++; places <= n {
			cells = append(cells, p)
		}
	}
	if places > n {
		host.ArgError(L, 2, "%s is %d %s; the display has %d", hal.Quoted(s), places, unit, n)
	}
	out := make([]place, 0, n)
	for range n - places {
		out = append(out, place{ch: ' '})
	}
	return append(out, cells...)
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
