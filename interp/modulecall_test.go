package interp_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/moonpin/moonpin/interp/interptest"
	lua "github.com/yuin/gopher-lua"
)

// TestModuleFunctionCalledWithColon calls every function of every moonpin
// module with ':' (gpio:pin("GPIO17")), a beginner's slip: the error names
// the ':' and the call to write instead. It failed on an argument the
// function never meant: "calling 'pin' on bad self (string expected, got
// table)", and json:encode(t) even went on to encode the module.
func TestModuleFunctionCalledWithColon(t *testing.T) {
	rt, _ := interptest.New(t, nil)
	var calls []string
	err := rt.Do(func(L *lua.LState) error {
		L.G.Global.ForEach(func(mod, v lua.LValue) {
			tbl, ok := v.(*lua.LTable)
			if !ok || slices.Contains(standard, mod.String()) || mod.String() == "_G" {
				return
			}
			tbl.ForEach(func(fn, v lua.LValue) {
				if _, ok := v.(*lua.LFunction); ok {
					calls = append(calls, mod.String()+":"+fn.String())
				}
			})
		})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	slices.Sort(calls)
	for _, mod := range []string{"gpio", "i2c", "spi", "board", "time", "timer", "bit", "struct", "json", "mqtt", "ha", "fs", "devices", "sim"} {
		if !slices.ContainsFunc(calls, func(c string) bool { return strings.HasPrefix(c, mod+":") }) {
			t.Errorf("no functions of %s found among the globals", mod)
		}
	}
	for _, call := range calls {
		mod, fn, _ := strings.Cut(call, ":")
		err := rt.Exec("colon.lua", fmt.Sprintf("\n%s({})", call))
		want := fmt.Sprintf("colon.lua:2: calling '%s' on bad self (%s.%s is a function, not a method: call it with '.', as %s.%s(...))", fn, mod, fn, mod, fn)
		if err == nil || !strings.HasPrefix(err.Error(), want) {
			t.Errorf("%s({}): got %v\nwant %s", call, err, want)
		}
	}
}
