// Package repl is the device side of moonpin's serial REPL. A Device owns
// the Lua runtime, boots boot.lua and main.lua, and serves whatever
// connection is attached (a serial port, a pty, the terminal: any
// io.ReadWriter) with
//
//   - the friendly REPL: prompt "> ", continuation ">> ", expression values,
//     line editing, history, tab completion, paste mode (Ctrl-E);
//   - MicroPython's raw REPL and raw-paste mode, byte for byte, so host tools
//     written for MicroPython (mpremote, pyboard.py) can run code;
//   - a framed binary file channel for moonctl (see repl/internal/wire);
//   - moonctl mount: while the connection that asked lasts, the script root
//     is a directory of the computer, whose files the device asks for with
//     frames among the REPL's output (see mount.go).
//
// Control bytes follow MicroPython: Ctrl-A raw REPL, Ctrl-B friendly REPL,
// Ctrl-C interrupt, Ctrl-D soft reset or end of input, Ctrl-E paste mode.
// The connection is read on its own goroutine, so Ctrl-C reaches running
// code at once and other bytes typed meanwhile are kept.
//
// repl imports interp (and interp/lib/fs for its path rules); it must not
// import cmd, and the host side, repl/client, must not import repl.
package repl
