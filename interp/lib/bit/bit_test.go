package bit_test

import (
	"testing"

	lua "github.com/yuin/gopher-lua"

	"github.com/moonpin/moonpin/interp/lib/bit"
	"github.com/moonpin/moonpin/interp/luatest"
)

func TestScripts(t *testing.T) {
	luatest.RunScripts(t, "testdata/*.lua", luatest.RunFile(func(L *lua.LState) {
		L.PreloadModule("bit", bit.Loader)
		L.Push(L.NewFunction(bit.Loader))
		L.Call(0, 1)
		L.SetGlobal("bit", L.Get(-1))
		L.Pop(1)
	}))
}
