package periph

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"periph.io/x/conn/v3/gpio"
	"periph.io/x/conn/v3/gpio/gpioreg"
	"periph.io/x/conn/v3/i2c/i2creg"
	"periph.io/x/conn/v3/spi/spireg"
	"periph.io/x/host/v3"
	"periph.io/x/host/v3/distro"
	"periph.io/x/host/v3/gpioioctl"

	"github.com/moonpin/moonpin/hal"
)

// Available reports whether the machine has GPIO chips (/dev/gpiochip*), so
// a caller can choose between this board and the simulated one.
func Available() bool {
	chips, _ := filepath.Glob("/dev/gpiochip*")
	return len(chips) > 0
}

// New initialises periph's host drivers and returns the machine's board.
func New() (hal.Board, error) {
	if _, err := host.Init(); err != nil {
		return nil, fmt.Errorf("periph: %w", err)
	}
	var names []string
	for _, p := range gpioreg.All() {
		names = append(names, p.Name())
	}
	b := newBoard(boardName(), names, lookupPin, i2creg.All(), spireg.All())

	// gpioioctl skips the chips it can't open, so say why a pin is missing.
	chips, _ := filepath.Glob("/dev/gpiochip*")
	for _, chip := range chips {
		if err := checkAccess(chip, os.O_RDONLY, "gpio"); err != nil {
			b.pinHint = err.Error()
			break
		}
	}
	if len(b.i2c) == 0 {
		b.i2cHint = "is I2C enabled (dtparam=i2c_arm=on on a Raspberry Pi) and the i2c-dev module loaded?"
	}
	if len(b.spi) == 0 {
		b.spiHint = "is SPI enabled (dtparam=spi=on on a Raspberry Pi)?"
	}
	if len(names) == 0 && len(b.i2c) == 0 && len(b.spi) == 0 {
		msg := "periph: found no GPIO chips, I2C buses or SPI ports (/dev/gpiochip*, /dev/i2c-*, /dev/spidev*)"
		if b.pinHint != "" {
			msg += "; " + b.pinHint
		}
		return nil, errors.New(msg + "; use the simulated board")
	}
	return b, nil
}

func boardName() string {
	if m := strings.TrimSpace(distro.DTModel()); m != "" && m != "<unknown>" {
		return m
	}
	return "linux"
}

// lookupPin finds a pin by name, number or chip line, unwrapping aliases so
// that every name of a line shares its state.
func lookupPin(name string) gpio.PinIO {
	p := gpioreg.ByName(name)
	if _, err := strconv.Atoi(name); p == nil && err == nil {
		p = gpioreg.ByName("GPIO" + name)
	}
	if p == nil {
		if chip, n, ok := hal.ChipLine(name); ok {
			for _, c := range gpioioctl.Chips {
				if c.Name() == chip && n < c.LineCount() {
					return c.ByNumber(n)
				}
			}
		}
		return nil
	}
	if r, ok := p.(gpio.RealPin); ok {
		return r.Real()
	}
	return p
}

// waitForEdge gives every driver periph's WaitForEdge timeouts (-1 waits
// forever, 0 polls). gpioioctl waits forever on 0 and gives up on a negative
// timeout before reading any queued edge, so there a poll waits 1 ms.
func waitForEdge(p gpio.PinIO, timeout time.Duration) bool {
	if _, ok := p.(*gpioioctl.GPIOLine); ok {
		timeout = ioctlTimeout(timeout)
	}
	return p.WaitForEdge(timeout)
}

func ioctlTimeout(timeout time.Duration) time.Duration {
	switch {
	case timeout < 0:
		return 0
	case timeout == 0:
		return time.Millisecond
	}
	return timeout
}

// release frees a line nobody holds any more, for the drivers that hold it.
func release(p gpio.PinIO) {
	if l, ok := p.(*gpioioctl.GPIOLine); ok {
		l.Close()
	}
}
