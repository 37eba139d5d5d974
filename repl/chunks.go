package repl

import (
	"github.com/moonpin/moonpin/interp"
	lua "github.com/yuin/gopher-lua"
)

// chunkCache keeps the compiled form of the last chunks the raw REPL ran.
// Host tools send the same snippets again and again (an eval in a loop, a
// helper before each file), and compiling costs more than running them.
// Compiled prototypes are immutable, so one may serve every Lua state,
// across soft resets too. Owned by the loop goroutine (it is used in Do).
type chunkCache struct {
	keys  []string // oldest first
	proto map[string]*lua.FunctionProto
}

const chunkCacheSize = 16

// load compiles code as the chunk name, or takes it from the cache.
func (c *chunkCache) load(L *lua.LState, name, code string) (*lua.LFunction, error) {
	key := name + "\x00" + code
	if p, ok := c.proto[key]; ok {
		return L.NewFunctionFromProto(p), nil
	}
	fn, err := interp.Load(L, code, name)
	if err != nil {
		return nil, err
	}
	if len(code) > 4096 {
		return fn, nil // big chunks are files, sent once
	}
	if c.proto == nil {
		c.proto = map[string]*lua.FunctionProto{}
	}
	if len(c.keys) == chunkCacheSize {
		delete(c.proto, c.keys[0])
		c.keys = append(c.keys[:0], c.keys[1:]...)
	}
	c.keys = append(c.keys, key)
	c.proto[key] = fn.Proto
	return fn, nil
}
