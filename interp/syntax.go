package interp

import (
	"github.com/moonpin/moonpin/internal/luasource"
	lua "github.com/yuin/gopher-lua"
)

// Load compiles code as the chunk called name, checked as loadstring is
// (L.LoadChecked: the parse's memory against the limit, the interrupt as
// the parser reads), whatever brings it: a REPL line, a raw REPL chunk,
// main.lua, require. Its syntax errors are the fork's, Lua 5.1's words:
// a chunk that ends too early (the most common slip when editing
// main.lua: a missing 'end') names what is left open and where it was
// opened, as "'end' expected (to close 'if' at line 2) near '<eof>'".
func Load(L *lua.LState, code, name string) (*lua.LFunction, error) {
	return L.LoadChecked(code, name)
}

// LoadScript is Load for the text of a file (a script, main.lua, dofile,
// loadfile): a first line that starts with '#', such as
// "#!/usr/bin/env moonpin", is skipped as Lua 5.1's loadfile skips it. The
// line stays, empty, so errors keep the file's line numbers. loadstring and
// REPL lines go through Load, where '#' is a syntax error as in Lua 5.1.
func LoadScript(L *lua.LState, code, name string) (*lua.LFunction, error) {
	return Load(L, luasource.SkipHashLine(code), name)
}
