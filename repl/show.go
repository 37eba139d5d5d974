package repl

import (
	"strings"

	"github.com/yuin/gopher-lua/ast"
	"github.com/yuin/gopher-lua/parse"
)

// isWriteCall reports whether code is one call of a function named write
// (io.write, f:write), whose true (Lua 5.1's success) the prompt does not
// echo after the text written.
func isWriteCall(code string) bool {
	chunk, err := parse.Parse(strings.NewReader("return "+code), chunkName)
	if err != nil || len(chunk) != 1 {
		return false
	}
	ret, ok := chunk[0].(*ast.ReturnStmt)
	if !ok || len(ret.Exprs) != 1 {
		return false
	}
	call, ok := ret.Exprs[0].(*ast.FuncCallExpr)
	if !ok {
		return false
	}
	if call.Method != "" {
		return call.Method == "write"
	}
	attr, ok := call.Func.(*ast.AttrGetExpr)
	if !ok {
		return false
	}
	key, ok := attr.Key.(*ast.StringExpr)
	return ok && key.Value == "write"
}
