// Package sim is a simulated board: moonpin's default where there is no GPIO
// hardware, and the fake every layer above hal tests against. Its pins are
// driven and inspected from Go; its I2C and SPI devices (sensors, displays,
// PWM and LED drivers, an I/O expander, an EEPROM, a register file,
// MCP3008, loopback) are register-level emulations written from their
// datasheets, close enough that periph's drivers work on them, and a
// device on GPIO pins (HX711) follows its pins' levels. Each sensor or output is a Model, so
// Lua's sim module can set what it measures and show what it does.
//
// sim imports only hal and periph.io/x/conn; never periph.io/x/host, interp,
// repl or cmd.
package sim
