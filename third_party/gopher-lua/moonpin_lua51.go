package lua

import "fmt"

// moonpin: pieces of Lua 5.1's behaviour that upstream lacks; MOONPIN.md
// lists each with the upstream issue it matches.

// where51 is Lua 5.1's luaL_where: "source:line:" of the function at the
// given level (0: the running function, 1: its caller), or "" when that
// function is a Go function or there is none. Upstream's where skips Go
// frames until it finds a Lua one, so an error raised by a Go function that
// pcall called named the line that called pcall.
func (ls *LState) where51(level int) string {
	dbg, ok := ls.GetStack(level)
	if !ok || dbg.frame.Fn.IsG {
		return ""
	}
	cf := dbg.frame
	return fmt.Sprintf("%v:%v:", cf.Fn.Proto.SourceName, cf.Fn.Proto.DbgSourcePositions[cf.Pc-1])
}
