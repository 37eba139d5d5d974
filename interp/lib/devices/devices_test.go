package devices_test

import (
	"testing"

	"github.com/moonpin/moonpin/interp/interptest"
)

// TestScripts runs testdata/*.lua: periph's drivers, bound to Lua, against
// the simulated board's register-level devices.
func TestScripts(t *testing.T) { interptest.RunScripts(t, "testdata/*.lua", nil) }
