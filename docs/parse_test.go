package docs_test

import (
	"strings"
	"testing"

	"github.com/moonpin/moonpin/docs"
)

func TestParse(t *testing.T) {
	ix := docs.Parse(`---@meta x

---Pins. Second sentence.
---More words.
gpio = {}

---Mode: output.
gpio.OUT = 1

---Opens a pin. Errors: "no pin".
---@param name string pin name
---@param mode? integer gpio.OUT
---@return gpio.Pin
function gpio.pin(name, mode) end

---A pin.
---@class gpio.Pin
---@field label string what it is for
local Pin = {}

---Reads it.
---@return integer level 0 or 1
function Pin:read() end

---Shows help.
---@param x? any
function help(x) end
`)
	for name, want := range map[string]string{
		"gpio":     "gpio",
		"gpio.OUT": "gpio.OUT = 1",
		"gpio.pin": "gpio.pin(name, mode?) -> gpio.Pin",
		"gpio.Pin": "gpio.Pin",
		"Pin:read": "gpio.Pin:read() -> integer",
		"help":     "help(x?)",
	} {
		e := ix.Lookup(name)
		if e == nil {
			t.Errorf("no entry %s", name)
			continue
		}
		if got := e.Signature(); got != want {
			t.Errorf("%s: signature %q, want %q", name, got, want)
		}
	}
	if got := ix.Entries["gpio"].Summary(); got != "Pins." {
		t.Errorf("summary %q", got)
	}
	if got := ix.Entries["gpio.pin"].Summary(); got != "Opens a pin." {
		t.Errorf("summary %q", got)
	}
	if strings.Join(ix.Modules, ",") != "gpio" || strings.Join(ix.Globals, ",") != "help" || strings.Join(ix.Classes["gpio"], ",") != "gpio.Pin" {
		t.Errorf("modules %v, globals %v, classes %v", ix.Modules, ix.Globals, ix.Classes)
	}
	help := ix.Help(ix.Entries["gpio"])
	for _, want := range []string{
		"gpio: Pins. Second sentence.\n  More words.\n",
		"  gpio.pin(name, mode?) -> gpio.Pin\n      Opens a pin.\n",
		"  gpio.OUT = 1  Mode: output.\n",
		"gpio.Pin: A pin.\n  .label  string what it is for\n  gpio.Pin:read() -> integer\n      Reads it.\n",
		`help(gpio.pin) or help("gpio.pin") tells more.`,
	} {
		if !strings.Contains(help, want) {
			t.Errorf("help(gpio) lacks %q:\n%s", want, help)
		}
	}
	if got, want := ix.Help(ix.Entries["gpio.pin"]), "gpio.pin(name, mode?) -> gpio.Pin\n  Opens a pin. Errors: \"no pin\".\n  name   string pin name\n  mode?  integer gpio.OUT\n  returns gpio.Pin\n"; got != want {
		t.Errorf("help(gpio.pin) = %q, want %q", got, want)
	}
}
