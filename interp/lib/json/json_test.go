package json_test

import (
	"testing"

	lua "github.com/yuin/gopher-lua"

	"github.com/moonpin/moonpin/interp/lib/json"
	"github.com/moonpin/moonpin/interp/luatest"
)

func setGlobal(L *lua.LState) {
	L.PreloadModule("json", json.Loader)
	L.Push(L.NewFunction(json.Loader))
	L.Call(0, 1)
	L.SetGlobal("json", L.Get(-1))
	L.Pop(1)
}

func TestScripts(t *testing.T) {
	luatest.RunScripts(t, "testdata/*.lua", luatest.RunFile(setGlobal))
}

func FuzzDecode(f *testing.F) {
	for _, seed := range []string{
		`{"temp": 21.5, "humidity": 40, "ok": true, "tags": ["a", null, "\u00e9\ud83d\ude00"]}`,
		`[1, -0.5e-3, 1E+400, 01, "\ud800x", "\q"]`,
		`{"a": {"b": [[[[]]]]}}`,
		"\"\xff\x01\"",
		`nul`,
		``,
	} {
		f.Add(seed)
	}
	L := lua.NewState()
	defer L.Close()
	setGlobal(L)
	mod := L.GetGlobal("json")
	decode, encode := L.GetField(mod, "decode"), L.GetField(mod, "encode")
	f.Fuzz(func(t *testing.T, text string) {
		L.SetTop(0)
		L.Push(decode)
		L.Push(lua.LString(text))
		err := L.PCall(1, 1, nil)
		if err != nil {
			if apiErr, ok := err.(*lua.ApiError); !ok || apiErr.Type != lua.ApiErrorRun {
				t.Fatalf("decode(%q) panicked: %v", text, err)
			}
			return
		}
		// Whatever decodes encodes again, unless it holds invalid UTF-8 from the input.
		decoded := L.Get(-1)
		L.Push(encode)
		L.Push(decoded)
		if err := L.PCall(1, 1, nil); err != nil {
			if apiErr, ok := err.(*lua.ApiError); !ok || apiErr.Type != lua.ApiErrorRun {
				t.Fatalf("encode(decode(%q)) panicked: %v", text, err)
			}
		}
	})
}

const reading = `{"sensor": "bme280", "t": 21.37, "h": 40.2, "p": 1013.25, "ts": 1718000000, "ok": true, "pins": [17, 27]}`

func BenchmarkEncodeReading(b *testing.B) {
	L := lua.NewState()
	defer L.Close()
	setGlobal(L)
	mod := L.GetGlobal("json")
	L.Push(L.GetField(mod, "decode"))
	L.Push(lua.LString(reading))
	L.Call(1, 1)
	table := L.Get(-1)
	encode := L.GetField(mod, "encode")
	for b.Loop() {
		L.Push(encode)
		L.Push(table)
		L.Call(1, 1)
		L.Pop(1)
	}
}

func BenchmarkDecodeReading(b *testing.B) {
	L := lua.NewState()
	defer L.Close()
	setGlobal(L)
	decode := L.GetField(L.GetGlobal("json"), "decode")
	text := lua.LString(reading)
	for b.Loop() {
		L.Push(decode)
		L.Push(text)
		L.Call(1, 1)
		L.Pop(1)
	}
}
