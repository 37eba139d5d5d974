// Package loop is moonpin's event loop: one goroutine (the owner) runs Lua, and
// everything else — timers, pin watchers, the serial reader — hands it work through
// Post. Timers and posted work run when the owner is idle in Run or waiting in Sleep.
//
// Each method says which goroutine may call it: "any" means any goroutine, "owner"
// means only the goroutine that runs the loop (the one that owns the Lua state).
// The package knows nothing about Lua and imports nothing of moonpin's.
package loop
