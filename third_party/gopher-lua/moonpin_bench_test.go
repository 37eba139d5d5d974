package lua

import "testing"

// formatWorkloads each call string.format 10000 times (ns/op is per 10000
// calls); "len" is the floor, the cost of the loop and of calling a
// builtin that does next to nothing.
var formatWorkloads = []struct{ name, call string }{
	{"len", `string.len("abc")`},
	{"d", `string.format("%d", i)`},
	{"s", `string.format("%s", "abc")`},
	{"5.2f", `string.format("%5.2f", i / 7)`},
	{"g", `string.format("%g", i / 7)`},
	{"x", `string.format("%x", i)`},
	{"mixed", `string.format("%d: %s = %.3f (%5d)", i, "key", i * 0.5, i)`},
}

func BenchmarkStringFormat(b *testing.B) {
	for _, w := range formatWorkloads {
		b.Run(w.name, func(b *testing.B) {
			L := NewState()
			defer L.Close()
			fn, err := L.LoadString("for i = 1, 10000 do local s = " + w.call + " end")
			if err != nil {
				b.Fatal(err)
			}
			for range b.N {
				L.Push(fn)
				if err := L.PCall(0, 0, nil); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
