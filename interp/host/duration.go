package host

import (
	"math"
	"time"
)

// Duration is n units (n a Lua number the caller has checked is not NaN
// and not negative) as a time.Duration, saturated at the longest one
// (about 292 years). A plain conversion overflows past it: timer.every(2^63,
// f) had a negative period and fired in a busy loop.
func Duration(n float64, unit time.Duration) time.Duration {
	d := n * float64(unit)
	if d >= math.MaxInt64 {
		return math.MaxInt64
	}
	return time.Duration(d)
}
