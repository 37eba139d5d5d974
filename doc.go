// Package moonpin is the root of the moonpin module: a Lua runtime for
// Raspberry-Pi-class boards. The code lives in cmd, repl, interp and hal; this
// package holds only the test that keeps their imports layered.
package moonpin
