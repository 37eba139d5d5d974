package simboard_test

import (
	"testing"

	"github.com/moonpin/moonpin/interp/interptest"
)

// TestScripts runs testdata/*.lua on the default simulated board.
func TestScripts(t *testing.T) { interptest.RunScripts(t, "testdata/*.lua", nil) }
