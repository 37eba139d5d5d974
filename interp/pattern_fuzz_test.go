package interp_test

import (
	"context"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	lua "github.com/yuin/gopher-lua"
)

// FuzzPatternInterrupt feeds patterns and subjects to string.find, match,
// gsub and gmatch under a context cancelled after a short deadline: each call
// must either finish or stop within maxInterruptLatency of the cancel. With
// `go test` it runs the seed corpus; `go test -fuzz FuzzPatternInterrupt`
// explores.
func FuzzPatternInterrupt(f *testing.F) {
	seeds := []struct {
		subject, pattern string
		repeat           uint16
	}{
		{"a", strings.Repeat("a?", 40) + strings.Repeat("a", 40), 40},
		{"ab", "(.-)(.-)(.-)(.-)(.-)(.-)b$", 500},
		{"(", "%b()", 20000},
		{"x", "(x*)*y", 30},
		{"aaa", "^(a+)+$", 1},
		{"hello world", "%w+", 1000},
		{"a.b", "[%.]", 1},
		{"key=value;", "(%w+)=(%w+)", 500},
		{"", "", 0},
		{"[", "[", 1},
		{"%", "%", 1},
		{"a", "(()", 1},
		{"aaaa", "(a)%1", 100},
	}
	for i, s := range seeds {
		f.Add(s.subject, s.pattern, s.repeat, uint8(i))
	}
	L := lua.NewState()
	f.Cleanup(L.Close)
	fns := []string{"find", "match", "gsub", "gmatch"}
	f.Fuzz(func(t *testing.T, unit, pattern string, repeat uint16, which uint8) {
		subject := strings.Repeat(unit, int(repeat)%2000)
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		L.SetContext(ctx)
		defer L.RemoveContext()
		var cancelledAt atomic.Int64
		timer := time.AfterFunc(10*time.Millisecond, func() {
			cancelledAt.Store(time.Now().UnixNano())
			cancel()
		})
		defer timer.Stop()
		fn := fns[int(which)%len(fns)]
		err := callPattern(L, fn, subject, pattern)
		end := time.Now().UnixNano()
		L.SetTop(0)
		if at := cancelledAt.Load(); at != 0 {
			if latency := time.Duration(end - at); latency > maxInterruptLatency && latencyChecked() {
				t.Fatalf("string.%s(%q x %d, %q) stopped %v after the cancel", fn, unit, repeat, pattern, latency)
			}
			return
		}
		if err != nil && strings.Contains(err.Error(), "context canceled") {
			t.Fatalf("interrupted before any cancel: %v", err)
		}
	})
}

// callPattern calls string.<fn>(subject, pattern), looping over gmatch, and
// returns its error; pattern errors are fine.
func callPattern(L *lua.LState, fn, subject, pattern string) error {
	str := L.GetGlobal("string").(*lua.LTable)
	if fn == "gmatch" {
		loop, err := L.LoadString(`local s, p = ... for a in s:gmatch(p) do end`)
		if err != nil {
			panic(err)
		}
		return L.CallByParam(lua.P{Fn: loop, Protect: true}, lua.LString(subject), lua.LString(pattern))
	}
	args := []lua.LValue{lua.LString(subject), lua.LString(pattern)}
	if fn == "gsub" {
		args = append(args, lua.LString("<%0>"))
	}
	return L.CallByParam(lua.P{Fn: str.RawGetString(fn), NRet: lua.MultRet, Protect: true}, args...)
}
