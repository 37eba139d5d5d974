// Package client is the host side of moonpin's serial protocol: it enters
// the raw REPL the way mpremote does, runs code (with raw-paste flow control
// where the device offers it) and moves files over the framed file channel.
// moonctl and the end-to-end tests use it; it works with MicroPython
// devices too, except for the file operations.
//
// client imports repl/internal/wire, the serial library, x/sys, x/term and
// the standard library only; it must not import repl (the device side) or
// interp.
package client
