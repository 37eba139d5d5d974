// Command moonctl is moonpin's host tool, as mpremote is MicroPython's: from
// a laptop it finds the board's serial port, opens a REPL on it, runs code
// and scripts, copies files both ways and keeps a directory in sync. -p
// also takes unix:///SOCKET (a moonpin --socket on this machine) and
// ssh://[user@]host[:port][/SOCKET] (the system's ssh running `moonpin
// attach` on the board); moonctl ports finds boards on the LAN by mDNS
// (internal/mdns) and lists them by that ssh:// address.
//
//	moonctl [-p PORT] [--baud N] [--timeout D] COMMAND [ARGS] [+ COMMAND ...]
//
// Commands chain with "+" on one connection (moonctl cp main.lua : + reset
// + repl). A ":" marks a device path, relative to the script root. moonctl
// exits with status 1 when a command fails, the device's Lua traceback on
// stderr, and 2 for a malformed command line.
//
// moonctl speaks the protocol through repl/client only; it must not import
// repl, interp or hal (the device side).
package main
