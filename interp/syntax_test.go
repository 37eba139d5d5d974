package interp

import (
	"strings"
	"testing"

	lua "github.com/yuin/gopher-lua"
)

// FuzzLoad: whatever the chunk, Load neither panics nor turns a chunk that
// compiles into an error, and an error it explains still unwraps to
// gopher-lua's (the REPL's continuation lines depend on that).
func FuzzLoad(f *testing.F) {
	for _, s := range []string{"if x then", "f(function() end", "t = {[1] = (2", "s = [[", "--[[ x", "for i=1,2 do while x do end", "end end )", "x = '\\", "repeat until"} {
		f.Add(s)
	}
	L := lua.NewState()
	defer L.Close()
	f.Fuzz(func(t *testing.T, code string) {
		_, plain := L.Load(strings.NewReader(code), "f")
		_, err := Load(L, code, "f")
		if (plain == nil) != (err == nil) {
			t.Fatalf("%q: L.Load says %v, Load says %v", code, plain, err)
		}
		if err != nil {
			newError(err, nil) // must not panic
		}
	})
}
