//go:build !linux

package periph

import (
	"fmt"
	"runtime"

	"github.com/moonpin/moonpin/hal"
)

// Available reports whether the machine has GPIO chips: never, off Linux.
func Available() bool { return false }

// New fails: periph's host drivers for GPIO, I2C and SPI need Linux.
func New() (hal.Board, error) {
	return nil, fmt.Errorf("periph: real hardware needs Linux, and this is %s; use the simulated board", runtime.GOOS)
}
