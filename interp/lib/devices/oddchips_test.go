package devices_test

import "testing"

// TestOddChips runs testdata/oddchips/*.lua, each on a fresh board from
// testdata/oddchips/board.json, whose register files at 0x76 and 0x77 a
// script fills to play a chip that sends what its driver does not expect.
func TestOddChips(t *testing.T) {
	runOnFreshBoards(t, "testdata/oddchips/*.lua", "testdata/oddchips/board.json")
}
