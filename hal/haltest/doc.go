// Package haltest is the conformance suite every hal.Board implementation
// passes: Run opens the board's pins, buses and ports and checks the promises
// hal documents, driving inputs when the board can (as hal/sim's does).
//
// haltest imports hal and periph.io/x/conn only; never periph.io/x/host,
// interp, repl or cmd.
package haltest
