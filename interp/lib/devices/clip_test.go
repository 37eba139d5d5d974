package devices_test

import (
	"testing"
	"time"

	"github.com/moonpin/moonpin/interp/interptest"
)

// TestDrawingFarOffTheScreen: the OLED's rect, line and text visit only
// what is on the screen. rect(0, 0, 1e6, 1e6, true) looped 10^12 times and
// line(0, 0, 1e13, 0) 10^13, and Ctrl-C could not stop either; what is on
// the screen is drawn as before.
func TestDrawingFarOffTheScreen(t *testing.T) {
	rt, _ := interptest.New(t, nil)
	done := make(chan error, 1)
	go func() {
		done <- rt.Exec("far.lua", `
local oled = devices.ssd1306(i2c.open("I2C1"))
oled:rect(0, 0, 1e6, 1e6, true)
oled:rect(-1e300, -1e300, 1e300, 1e300)
oled:line(0, 0, 1e13, 0)
oled:line(-1e13, 63, 1e13, 63)
oled:line(-5e12, -5e12, 5e12, 5e12)
oled:line(1e9, 1e9, 2e9, 2e9)
oled:text(-1e9, 0, ("x"):rep(1e8))
oled:text(0, 1e9, ("x"):rep(1e8))
assert(not pcall(oled.line, oled, 0, 0, 0/0, 0), "NaN is refused")
oled:clear()
oled:line(-100, 10, 200, 10)
oled:show()
local art = sim.screen("I2C1", 0x3c)
local lines = {}
for l in art:gmatch("[^\n]+") do lines[#lines + 1] = l end
-- Row 10 is the upper half of the 6th line of two pixel rows, across.
assert(lines[7]:find("│" .. ("▀"):rep(128) .. "│", 1, true), lines[7])
`)
	}()
	select {
	case err := <-done:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(20 * time.Second):
		rt.Interrupt()
		t.Fatal("drawing far off the screen still runs after 20 s")
	}
}
