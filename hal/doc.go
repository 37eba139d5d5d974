// Package hal is moonpin's hardware abstraction: a Board names its GPIO pins,
// I2C buses and SPI ports, and hands them out as periph.io/x/conn types so
// periph's device drivers work on every board, real or simulated.
//
// hal sits at the bottom of moonpin's layers: it must not import interp,
// repl or cmd, and only hal/periph may import periph.io/x/host.
package hal
