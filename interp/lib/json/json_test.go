package json_test

import (
	"strings"
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

// TestEncodeChecksUTF8InPieces: a long string's UTF-8 is checked a
// megabyte at a time (scanPiece), its pieces cut where a rune starts: a
// rune across a cut is valid, a broken one there is not.
func TestEncodeChecksUTF8InPieces(t *testing.T) {
	L := lua.NewState()
	defer L.Close()
	setGlobal(L)
	encode := L.GetField(L.GetGlobal("json"), "encode")
	const piece = 1 << 20
	for _, c := range []struct {
		name  string
		s     string
		valid bool
	}{
		{"2-byte rune across the cut", strings.Repeat("x", piece-1) + "é" + "y", true},
		{"3-byte rune across the cut", strings.Repeat("x", piece-2) + "€" + "y", true},
		{"4-byte rune across the cut", strings.Repeat("x", piece-1) + "😀" + strings.Repeat("y", piece), true},
		{"rune cut short at the cut", strings.Repeat("x", piece-1) + "\xe2\x82" + "y", false},
		{"continuation bytes across the cut", strings.Repeat("x", piece-2) + "\x80\x80\x80\x80\x80\x80", false},
		{"broken in the second piece", strings.Repeat("x", piece+5) + "\xff", false},
	} {
		err := L.CallByParam(lua.P{Fn: encode, NRet: 1, Protect: true}, lua.LString(c.s))
		if c.valid {
			if err != nil {
				t.Errorf("%s: %v", c.name, err)
			} else if got := string(L.Get(-1).(lua.LString)); got != `"`+c.s+`"` {
				t.Errorf("%s: encoded to %d bytes, want the string quoted", c.name, len(got))
			}
		} else if err == nil || !strings.Contains(err.Error(), "not valid UTF-8") {
			t.Errorf("%s: error %v, want not valid UTF-8", c.name, err)
		}
		L.SetTop(0)
	}
}
