package sim

import (
	"maps"
	"slices"
	"testing"
)

// A chip acknowledges its address whatever it was last told: a bus scan's
// probe (a 1-byte read with nothing written, as i2cdetect -r and
// bus:scan() send) finds every simulated part, fresh or after a write that
// left it in an odd state (a pointer past its registers, a command it
// refused, a measurement running).
func TestEveryDeviceAnswersAProbe(t *testing.T) {
	preludes := [][]byte{nil, {0xFF}, {0x16}, {0x40}, {0x21, 0xb1}, {0xec, 0x05}}
	for _, typ := range slices.Sorted(maps.Keys(i2cTypes)) {
		for _, w := range preludes {
			d := i2cTypes[typ]()
			if w != nil {
				_ = d.Tx(w, nil) // the part may refuse what it was sent
			}
			r := make([]byte, 1)
			if err := d.Tx(nil, r); err != nil {
				t.Errorf("%s after writing % x: a probe read failed: %v", typ, w, err)
			}
			if err := d.Tx(nil, nil); err != nil {
				t.Errorf("%s after writing % x: an empty transaction failed: %v", typ, w, err)
			}
		}
	}
}
