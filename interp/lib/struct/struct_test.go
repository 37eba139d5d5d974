package luastruct_test

import (
	"strings"
	"testing"

	lua "github.com/yuin/gopher-lua"

	luastruct "github.com/moonpin/moonpin/interp/lib/struct"
	"github.com/moonpin/moonpin/interp/luatest"
)

func setGlobal(L *lua.LState) {
	L.Push(L.NewFunction(luastruct.Loader))
	L.Call(0, 1)
	L.SetGlobal("struct", L.Get(-1))
	L.Pop(1)
}

func TestScripts(t *testing.T) {
	luatest.RunScripts(t, "testdata/*.lua", luatest.RunFile(setGlobal))
}

func FuzzUnpack(f *testing.F) {
	f.Add("<HhhHhhhhhhhh", strings.Repeat("\x70\x6b", 12))
	f.Add(">b B h H i3 I3 j J", strings.Repeat("\xff", 40))
	f.Add("!4 B i4 d f", "\x01\x00\x00\x00\x02\x00\x00\x00")
	f.Add("s1 z c3 x", "\x03abcdef\x00ghi\x00")
	f.Add("<s8", "\xff\xff\xff\xff\xff\xff\xff\xff")
	f.Add("!3 i3 i4", "")
	f.Add("c99999999999", "")
	f.Add("q", "x")
	L := lua.NewState()
	defer L.Close()
	setGlobal(L)
	unpack := L.GetField(L.GetGlobal("struct"), "unpack")
	f.Fuzz(func(t *testing.T, format, data string) {
		L.SetTop(0)
		L.Push(unpack)
		L.Push(lua.LString(format))
		L.Push(lua.LString(data))
		err := L.PCall(2, lua.MultRet, nil)
		if err == nil {
			next := L.Get(-1)
			if n, ok := next.(lua.LNumber); !ok || n < 1 || int(n) > len(data)+1 {
				t.Fatalf("unpack(%q, %q) returned next position %v", format, data, next)
			}
			return
		}
		if apiErr, ok := err.(*lua.ApiError); !ok || apiErr.Type != lua.ApiErrorRun {
			t.Fatalf("unpack(%q, %q) panicked: %v", format, data, err)
		}
	})
}

func BenchmarkUnpackBME280Calibration(b *testing.B) {
	L := lua.NewState()
	defer L.Close()
	setGlobal(L)
	unpack := L.GetField(L.GetGlobal("struct"), "unpack")
	format := lua.LString("<HhhHhhhhhhhh")
	calib := lua.LString("\x70\x6b\x43\x67\x18\xfc\x7d\x8e\x43\xd6\xd0\x0b\x27\x0b\x8c\x00\xf9\xff\x8c\x3c\xf8\xc6\x70\x17")
	for b.Loop() {
		L.Push(unpack)
		L.Push(format)
		L.Push(calib)
		L.Call(2, lua.MultRet)
		L.SetTop(0)
	}
}
