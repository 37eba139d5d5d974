package host

import (
	"math"
	"testing"
	"time"
)

func TestDurationSaturates(t *testing.T) {
	for _, c := range []struct {
		n    float64
		unit time.Duration
		want time.Duration
	}{
		{1.5, time.Millisecond, 1500 * time.Microsecond},
		{0, time.Second, 0},
		{math.Pow(2, 63), time.Millisecond, math.MaxInt64},
		{1e300, time.Second, math.MaxInt64},
		{math.Inf(1), time.Millisecond, math.MaxInt64},
		{9.3e9, time.Second, math.MaxInt64},
	} {
		if got := Duration(c.n, c.unit); got != c.want {
			t.Errorf("Duration(%g, %v) = %v, want %v", c.n, c.unit, got, c.want)
		}
	}
}
