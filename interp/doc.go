// Package interp is moonpin's Lua runtime: a Runtime owns one gopher-lua state,
// runs it on its own event-loop goroutine, boots boot.lua and main.lua, and
// turns interrupts (Ctrl-C), the memory limit, os.exit and soft resets into
// clean outcomes instead of crashes.
//
// interp imports interp/loop, interp/host and the modules in interp/lib; it
// must not import repl or cmd.
package interp
