package devices_test

import (
	"path/filepath"
	"testing"

	"github.com/moonpin/moonpin/hal/sim"
	"github.com/moonpin/moonpin/interp"
	"github.com/moonpin/moonpin/interp/interptest"
)

// TestOddChips runs testdata/oddchips/*.lua, each on a fresh board from
// testdata/oddchips/board.json, whose register files at 0x76 and 0x77 a
// script fills to play a chip that sends what its driver does not expect.
func TestOddChips(t *testing.T) {
	files, _ := filepath.Glob("testdata/oddchips/*.lua")
	if len(files) == 0 {
		t.Fatal("no scripts")
	}
	for _, file := range files {
		board, err := sim.Load("testdata/oddchips/board.json")
		if err != nil {
			t.Fatal(err)
		}
		interptest.RunScripts(t, file, &interp.Options{Board: board})
		board.Close()
	}
}
