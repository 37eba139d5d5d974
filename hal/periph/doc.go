// Package periph is the hal.Board of real Linux hardware: GPIO lines through
// periph's gpioioctl (or the board's own driver), I2C and SPI through
// /dev/i2c-* and /dev/spidev*. It evens out periph's drivers so every Board
// behaves alike, and explains the usual failures (permissions, busy lines).
//
// This is the only moonpin package that may import periph.io/x/host. It must
// not import interp, repl or cmd. Off Linux, New fails and Available is false.
package periph
