package interp_test

import (
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/moonpin/moonpin/interp"
	"github.com/moonpin/moonpin/interp/interptest"
	lua "github.com/yuin/gopher-lua"
	"go.uber.org/goleak"
)

func TestMain(m *testing.M) {
	if strconv.IntSize == 32 {
		// A 32-bit process has under 4 GB of address space, and these
		// tests build tables of millions of keys one after another: the
		// collector must run before the last one's garbage fills it (CI's
		// qemu-arm run ran out at 3.9 GB).
		debug.SetMemoryLimit(1 << 30)
	}
	goleak.VerifyTestMain(m)
}

func TestScripts(t *testing.T) {
	interptest.RunScripts(t, "testdata/*.lua", nil)
}

func kindOf(t *testing.T, err error) interp.Kind {
	t.Helper()
	var e *interp.Error
	if !errors.As(err, &e) {
		t.Fatalf("got %v (%T), want an *interp.Error", err, err)
	}
	return e.Kind
}

// execAsync starts code and returns a channel for its result once it is running.
func execAsync(t *testing.T, rt *interp.Runtime, code string) <-chan error {
	t.Helper()
	result := make(chan error, 1)
	go func() { result <- rt.Exec("test.lua", code) }()
	deadline := time.Now().Add(5 * time.Second)
	for !rt.Busy() {
		if time.Now().After(deadline) {
			t.Fatal("chunk never started")
		}
		runtime.Gosched()
	}
	return result
}

func TestInterruptStopsRunningCode(t *testing.T) {
	for name, code := range map[string]string{
		"tight loop":      `while true do end`,
		"loop in pcall":   `while true do pcall(function() while true do end end) end`,
		"error handler":   `while true do xpcall(function() while true do end end, function(e) return e end) end`,
		"sleep":           `time.sleep(3600)`,
		"coroutine":       `local co = coroutine.wrap(function() while true do end end) co()`,
		"string building": `local s = "" while true do s = s .. "x" if #s > 1000 then s = "" end end`,
	} {
		t.Run(name, func(t *testing.T) {
			rt, _ := interptest.New(t, nil)
			result := execAsync(t, rt, code)
			start := time.Now()
			rt.Interrupt()
			select {
			case err := <-result:
				if k := kindOf(t, err); k != interp.KindInterrupted {
					t.Fatalf("kind %v, want interrupted: %v", k, err)
				}
				if !strings.Contains(err.Error(), "interrupted") {
					t.Fatalf("error %q does not say interrupted", err)
				}
				t.Logf("stopped %v after Interrupt", time.Since(start))
			case <-time.After(5 * time.Second):
				t.Fatal("chunk still running 5 s after Interrupt")
			}
			if err := rt.Exec("after.lua", `x = 1 + 1 assert(x == 2) time.sleep(0.001)`); err != nil {
				t.Fatalf("runtime unusable after interrupt: %v", err)
			}
		})
	}
}

// A debug hook is Lua code under the same interrupt: Ctrl-C stops a hook
// that loops, and the hook goes with the code it watched, so the next chunk
// runs without it.
func TestInterruptStopsAHook(t *testing.T) {
	for name, code := range map[string]string{
		"line hook that loops":   "debug.sethook(function() print('in hook') while true do end end, 'l')\nlocal x = 1",
		"count hook, code loops": "debug.sethook(function() if not said then said = true print('in hook') end end, '', 1)\nwhile true do end",
		"call hook that calls":   "debug.sethook(function() print('in hook') while true do pcall(type, 1) end end, 'c')\ntype(1)",
	} {
		t.Run(name, func(t *testing.T) {
			rt, out := interptest.New(t, nil)
			result := execAsync(t, rt, code)
			deadline := time.Now().Add(5 * time.Second)
			for !strings.Contains(out.String(), "in hook") {
				if time.Now().After(deadline) {
					t.Fatal("the hook never ran")
				}
				runtime.Gosched()
			}
			rt.Interrupt()
			select {
			case err := <-result:
				if k := kindOf(t, err); k != interp.KindInterrupted {
					t.Fatalf("kind %v, want interrupted: %v", k, err)
				}
			case <-time.After(5 * time.Second):
				t.Fatal("chunk still running 5 s after Interrupt")
			}
			after := make(chan error, 1)
			go func() { after <- rt.Exec("after.lua", "assert(debug.gethook() == nil)\nx = 1\nx = 2") }()
			select {
			case err := <-after:
				if err != nil {
					t.Fatalf("the hook outlived the interrupt: %v", err)
				}
			case <-time.After(5 * time.Second):
				rt.Interrupt()
				t.Fatalf("the hook outlived the interrupt: the next chunk hung (%v)", <-after)
			}
		})
	}
}

func TestCoroutinesSurviveLinesAndInterrupts(t *testing.T) {
	rt, _ := interptest.New(t, nil)
	must := func(code string) {
		t.Helper()
		if err := rt.Exec("line", code); err != nil {
			t.Fatal(err)
		}
	}
	must(`gen = coroutine.wrap(function() local i = 0 while true do i = i + 1 coroutine.yield(i) end end)
	      co = coroutine.create(function() while true do coroutine.yield("ok") end end)`)
	must(`assert(gen() == 1)`)
	result := execAsync(t, rt, `while true do end`)
	rt.Interrupt()
	if k := kindOf(t, <-result); k != interp.KindInterrupted {
		t.Fatalf("kind %v, want interrupted", k)
	}
	must(`assert(gen() == 2)
	      local ok, v = coroutine.resume(co) assert(ok and v == "ok", tostring(v))`)
}

func TestInterruptWhenIdleDoesNotHitTheNextChunk(t *testing.T) {
	rt, _ := interptest.New(t, nil)
	rt.Interrupt()
	if err := rt.Exec("next", `x = 1`); err != nil {
		t.Fatal(err)
	}
}

func TestErrorsCarryFileLineAndTraceback(t *testing.T) {
	rt, _ := interptest.New(t, nil)
	err := rt.Exec("main.lua", "local x = 1\nlocal function f() error('boom') end\nf()")
	if k := kindOf(t, err); k != interp.KindRuntime {
		t.Fatalf("kind %v", k)
	}
	for _, want := range []string{"main.lua:2: boom", "stack traceback:", "main.lua:3: in main chunk"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q lacks %q", err, want)
		}
	}
	err = rt.Exec("bad.lua", "x = 1\ny = = 2")
	if k := kindOf(t, err); k != interp.KindSyntax {
		t.Fatalf("kind %v", k)
	}
	if !strings.HasPrefix(err.Error(), "bad.lua:2: unexpected symbol near '=' (column 5)") {
		t.Errorf("syntax error reads %q", err)
	}
	err = rt.Exec("args.lua", "time.sleep('x')")
	// Lua 5.1's words, as pcall sees them too (the runtime used to reword
	// them to "(expected number, got string)" outside pcall only).
	if !strings.Contains(err.Error(), "bad argument #1 to 'sleep' (number expected, got string)") {
		t.Errorf("argument error reads %q", err)
	}
}

// TestSyntaxErrorAtEndNamesWhatIsOpen: a chunk that ends too early gets
// Lua 5.1's words, with what is left open and where it was opened when
// that is another line, and 5.1's line: the last one, which a final
// newline starts (each want is lua5.1's text for the chunk).
func TestSyntaxErrorAtEndNamesWhatIsOpen(t *testing.T) {
	rt, _ := interptest.New(t, nil)
	for _, c := range []struct{ code, want string }{
		{"for i = 1, 2 do", "main.lua:1: 'end' expected near '<eof>'"},
		{"for i = 1, 2 do\n", "main.lua:2: 'end' expected (to close 'for' at line 1) near '<eof>'"},
		{"local x = 1\nif x then\n  print(x)\n", "main.lua:4: 'end' expected (to close 'if' at line 2) near '<eof>'"},
		{"while true do\n  local f = function() end\n  do\n  end\n", "main.lua:5: 'end' expected (to close 'while' at line 1) near '<eof>'"},
		{"function f()\n  for k, v in pairs(t) do\n  end\n\n", "main.lua:5: 'end' expected (to close 'function' at line 1) near '<eof>'"},
		{"repeat\n  x = 1\n", "main.lua:3: 'until' expected (to close 'repeat' at line 1) near '<eof>'"},
		{"print(\"a\",\n  f(function() end)", "main.lua:2: ')' expected (to close '(' at line 1) near '<eof>'"},
		{"t = {\n  a = 1\n", "main.lua:3: '}' expected (to close '{' at line 1) near '<eof>'"},
		{"t = {\n  a = 1,\n", "main.lua:3: unexpected symbol near '<eof>'"},
		{"x = 1\ns = [[long\nstring", "main.lua:3: unfinished long string near '<eof>'"},
		{"x = [[abc\n", "main.lua:2: unfinished long string near '<eof>'"},
		{"x = [[abc", "main.lua:1: unfinished long string near '<eof>'"},
		{"--[[ abc\n", "main.lua:2: unfinished long comment near '<eof>'"},
		{"x = 1\ns = 'abc", "main.lua:2: unfinished string near '<eof>'"},
		{"x = \"abc", "main.lua:1: unfinished string near '<eof>'"},
		{"f(", "main.lua:1: unexpected symbol near '<eof>'"},
		{"f(\n", "main.lua:2: unexpected symbol near '<eof>'"},
		{"if x then\nelseif", "main.lua:2: unexpected symbol near '<eof>'"},
		{"if x then\nelseif\n", "main.lua:3: unexpected symbol near '<eof>'"},
		// Everything closed, yet the chunk ends where an expression should
		// come: Lua 5.1's message.
		{"x = 1\ny =", "main.lua:2: unexpected symbol near '<eof>'"},
	} {
		err := rt.Exec("main.lua", c.code)
		if k := kindOf(t, err); k != interp.KindSyntax {
			t.Fatalf("%q: kind %v (%v)", c.code, k, err)
		}
		if err.Error() != c.want {
			t.Errorf("%q:\n got %q\nwant %q", c.code, err, c.want)
		}
	}
}

// TestSyntaxErrorNamesWhatIsOpen: a mismatch inside the chunk names the
// block or bracket it leaves open, as Lua 5.1 does when that is on another
// line; moonpin adds the column.
func TestSyntaxErrorNamesWhatIsOpen(t *testing.T) {
	rt, _ := interptest.New(t, nil)
	for _, c := range []struct{ code, want string }{
		{"local t = {\n a = 1\n b = 2 }", "main.lua:3: '}' expected (to close '{' at line 1) near 'b' (column 2)"},
		{"print(1,\n 2\n 3)", "main.lua:3: ')' expected (to close '(' at line 1) near '3' (column 2)"},
		{"if x then\n y = 1\nuntil", "main.lua:3: 'end' expected (to close 'if' at line 1) near 'until' (column 5)"},
		{"repeat\n y = 1\nelse", "main.lua:3: 'until' expected (to close 'repeat' at line 1) near 'else' (column 4)"},
		{"local t = {1 2}", "main.lua:1: '}' expected near '2' (column 14)"},
		{"x = \"abc\n", "main.lua:1: unfinished string near '\"abc' (column 9)"},
	} {
		err := rt.Exec("main.lua", c.code)
		if k := kindOf(t, err); k != interp.KindSyntax {
			t.Fatalf("%q: kind %v (%v)", c.code, k, err)
		}
		if err.Error() != c.want {
			t.Errorf("%q:\n got %q\nwant %q", c.code, err, c.want)
		}
	}
}

func TestOsExitCannotBeCaught(t *testing.T) {
	rt, out := interptest.New(t, nil)
	err := rt.Exec("exit.lua", `pcall(os.exit, 3) print("after exit")`)
	if k := kindOf(t, err); k != interp.KindExit {
		t.Fatalf("kind %v: %v", k, err)
	}
	if code := interp.ExitCode(err); code != 3 {
		t.Fatalf("exit code %d, want 3", code)
	}
	if strings.Contains(out.String(), "after exit") {
		t.Fatal("code after os.exit ran")
	}
	if err := rt.Exec("again", `print("still here")`); err != nil {
		t.Fatal(err)
	}
}

// TestUncaughtErrorObjects: an uncaught error that is not a string or a
// number reads as Lua 5.1's lua.c reports it, without a traceback, and
// then what it is, read raw (no __tostring runs); a numeric string is an
// exit code, as in 5.1.
func TestUncaughtErrorObjects(t *testing.T) {
	rt, _ := interptest.New(t, nil)
	for code, want := range map[string]string{
		`error({})`:   "{}",
		`error(true)`: "true",
		`error(setmetatable({code = 2}, {__tostring = function() return "T" end, __index = error}))`: "{code = 2}",
		`error({"a", nil, "c", n = {1}, [true] = print, ["a b"] = 1})`:                               `{"a", [3] = "c", ["a b"] = 1, n = {…}, [true] = <function>}`,
		`local t = {} for i = 1, 20 do t["k" .. i] = i end error(t)`:                                 "{k1 = 1, k2 = 2, k3 = 3, k4 = 4, k5 = 5, k6 = 6, k7 = 7, k8 = 8, … 12 more}",
	} {
		err := rt.Exec("e.lua", code)
		if k := kindOf(t, err); k != interp.KindRuntime {
			t.Fatalf("%s: kind %v", code, k)
		}
		if want = "(error object is not a string): " + want; err.Error() != want {
			t.Errorf("%s: %q, want %q", code, err, want)
		}
	}
	err := rt.Exec("e.lua", `error(42)`)
	if !strings.HasPrefix(err.Error(), "e.lua:1: 42\nstack traceback:") {
		t.Errorf("error(42): %q", err)
	}
	err = rt.Exec("exit.lua", `os.exit("2")`)
	if code := interp.ExitCode(err); code != 2 {
		t.Errorf("os.exit(\"2\"): exit code %d (%v)", code, err)
	}
}

func TestPrintGoesToTheRuntimeOutput(t *testing.T) {
	rt, out := interptest.New(t, nil)
	if err := rt.Exec("p", `print("a", 1, nil, true, setmetatable({}, {__tostring = function() return "T" end}))`); err != nil {
		t.Fatal(err)
	}
	if got, want := out.String(), "a\t1\tnil\ttrue\tT\n"; got != want {
		t.Fatalf("printed %q, want %q", got, want)
	}
}

// TestPrintCallsGlobalTostring: print converts each value with the global
// tostring, as Lua 5.1's does, refuses a result that is not a string (after
// writing what it had), and stops each value at a zero byte (5.1's fputs);
// each want is lua5.1's output.
func TestPrintCallsGlobalTostring(t *testing.T) {
	for _, c := range []struct{ code, want string }{
		{`local old = tostring
		tostring = function(x) return "T(" .. old(x) .. ")" end
		print(1, "a", nil)`, "T(1)\tT(a)\tT(nil)\n"},
		{`tostring = function() return 5 end print(1, 2)`, "5\t5\n"},
		{`print(pcall(print, 1, setmetatable({}, {__tostring = function() return {} end})))`,
			"1false\t'tostring' must return a string to 'print'\n"},
		{`print(pcall(print, setmetatable({}, {__tostring = function() return nil end})))`,
			"false\t'tostring' must return a string to 'print'\n"},
		{`print(setmetatable({}, {__tostring = function() return 42 end}))`, "42\n"},
		{`print("a\0b", "c")`, "a\tc\n"},
		{`local ts = tostring tostring = nil
		local ok, err = pcall(print, 1) io.write(ts(ok), " ", err, "\n")`, "false attempt to call a nil value\n"},
		{`print(pcall(print))`, "\ntrue\n"},
	} {
		rt, out := interptest.New(t, nil)
		if err := rt.Exec("p", c.code); err != nil {
			t.Fatalf("%s: %v", c.code, err)
		}
		if got := out.String(); got != c.want {
			t.Errorf("%s:\n got %q\nwant %q", c.code, got, c.want)
		}
	}
}

// TestCoroutineResumeWantsACoroutine: the runtime's coroutine.resume says
// what Lua 5.1's does for anything but a coroutine.
func TestCoroutineResumeWantsACoroutine(t *testing.T) {
	rt, out := interptest.New(t, nil)
	if err := rt.Exec("c", `print(pcall(coroutine.resume, nil)) print(pcall(coroutine.resume))`); err != nil {
		t.Fatal(err)
	}
	want := "false\tbad argument #1 to '?' (coroutine expected)\n" +
		"false\tbad argument #1 to '?' (coroutine expected)\n"
	if got := out.String(); got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}

func TestExecIsDisabledUnlessAllowed(t *testing.T) {
	rt, _ := interptest.New(t, nil)
	for _, code := range []string{`os.execute("true")`, `io.popen("true")`} {
		err := rt.Exec("x", code)
		if err == nil || !strings.Contains(err.Error(), "--allow-exec") {
			t.Errorf("%s: %v, want an error naming --allow-exec", code, err)
		}
	}
	rt, _ = interptest.New(t, &interp.Options{AllowExec: true})
	if err := rt.Exec("x", `local f = io.popen("echo hi") assert(f:read("*l") == "hi") f:close()`); err != nil {
		t.Fatal(err)
	}
}

func TestBootRunsBootThenMainAndSurvivesErrors(t *testing.T) {
	root := t.TempDir()
	write := func(name, code string) {
		if err := os.WriteFile(filepath.Join(root, name), []byte(code), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("boot.lua", `print("boot") error("boot failed")`)
	write("main.lua", `print("main")`+"\n"+`local t = nil`+"\n"+`t.x = 1`)
	rt, out := interptest.New(t, &interp.Options{Root: root})
	err := rt.Boot(false)
	if err == nil {
		t.Fatal("Boot succeeded with two broken scripts")
	}
	for _, want := range []string{"boot.lua:1: boot failed", "main.lua:3: attempt to index"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("boot error %q lacks %q", err, want)
		}
	}
	if got := out.String(); got != "boot\nmain\n" {
		t.Fatalf("output %q, want boot then main", got)
	}
	if err := rt.Exec("after", `print("usable")`); err != nil {
		t.Fatal(err)
	}
	out2 := &interptest.Buffer{}
	rt2, _ := interptest.New(t, &interp.Options{Root: root, Out: out2})
	rt2.Boot(true)
	if got := out2.String(); got != "boot\n" {
		t.Fatalf("Boot(skipMain) printed %q, want only boot", got)
	}
}

func TestRequireSearchesRootAndLib(t *testing.T) {
	root := t.TempDir()
	os.MkdirAll(filepath.Join(root, "lib", "pkg"), 0o755)
	os.WriteFile(filepath.Join(root, "util.lua"), []byte(`return {name = "util"}`), 0o644)
	os.WriteFile(filepath.Join(root, "lib", "helper.lua"), []byte(`return {name = "helper"}`), 0o644)
	os.WriteFile(filepath.Join(root, "lib", "pkg", "init.lua"), []byte(`return {name = "pkg"}`), 0o644)
	rt, _ := interptest.New(t, &interp.Options{Root: root})
	code := `assert(require("util").name == "util")
	assert(require("helper").name == "helper")
	assert(require("pkg").name == "pkg")
	assert(require("json") == json)
	local ok, err = pcall(require, "missing")
	assert(not ok and err:find("missing"), err)`
	if err := rt.Exec("req", code); err != nil {
		t.Fatal(err)
	}
}

// TestRequireBuiltinNameCollision: a built-in module wins over a file of
// the same name (json.lua in the root), as Lua's own string or table would;
// a script that wants its file (rxi's json.lua under its own name) clears
// package.loaded's entry first, and the global stays moonpin's module.
func TestRequireBuiltinNameCollision(t *testing.T) {
	root := t.TempDir()
	os.WriteFile(filepath.Join(root, "json.lua"), []byte(`return {mine = true}`), 0o644)
	os.MkdirAll(filepath.Join(root, "lib"), 0o755)
	os.WriteFile(filepath.Join(root, "lib", "bit.lua"), []byte(`return {libbit = true}`), 0o644)
	rt, _ := interptest.New(t, &interp.Options{Root: root})
	code := `assert(require("json") == json and not json.mine)
	package.loaded.json = nil
	local mine = require("json")
	assert(mine.mine and require("json") == mine)
	assert(type(json.encode) == "function")
	assert(require("bit") == bit)
	package.loaded.bit = nil
	assert(require("bit").libbit)`
	if err := rt.Exec("req", code); err != nil {
		t.Fatal(err)
	}
}

// TestHashLineIsSkippedInFiles: Lua 5.1 skips a first line starting with
// '#' in files (the script, dofile, loadfile, require) so scripts can be
// made executable; in loadstring it stays a syntax error. Line numbers still
// count the skipped line.
func TestHashLineIsSkippedInFiles(t *testing.T) {
	root := t.TempDir()
	os.WriteFile(filepath.Join(root, "main.lua"), []byte("#!/usr/bin/env moonpin\nran = (ran or 0) + 1\n"), 0o644)
	os.WriteFile(filepath.Join(root, "fails.lua"), []byte("#!/usr/bin/env moonpin\n\nerror('on line 3')\n"), 0o644)
	os.WriteFile(filepath.Join(root, "mod.lua"), []byte("# a comment line\nreturn {name = 'mod'}"), 0o644)
	os.WriteFile(filepath.Join(root, "only.lua"), []byte("#!/usr/bin/env moonpin"), 0o644)
	rt, _ := interptest.New(t, &interp.Options{Root: root})
	if err := rt.ExecFile("main.lua"); err != nil {
		t.Fatalf("ExecFile: %v", err)
	}
	if err := rt.ExecScript("main.lua", "#!/usr/bin/env moonpin\nran = ran + 1"); err != nil {
		t.Fatalf("ExecScript: %v", err)
	}
	code := `assert(ran == 2, ran)
	dofile("main.lua")
	assert(ran == 3, ran)
	assert(loadfile("main.lua"))()
	assert(ran == 4, ran)
	assert(require("mod").name == "mod")
	assert(loadfile("only.lua"))
	local ok, err = pcall(dofile, "fails.lua")
	assert(not ok and err:find("fails.lua:3: on line 3", 1, true), err)
	local f, err = loadstring("#!/usr/bin/env moonpin\nreturn 1")
	assert(f == nil and err:find("near '#'"), err)`
	if err := rt.Exec("hash", code); err != nil {
		t.Fatal(err)
	}
	if err := rt.Exec("line", "#!/usr/bin/env moonpin\nx = 1"); err == nil {
		t.Error("Exec (a chunk, not a file) accepted a '#' line")
	}
}

func TestMemoryLimitStopsRunawayAllocation(t *testing.T) {
	const limitMB = 64
	rt, _ := interptest.New(t, &interp.Options{MemLimit: limitMB << 20})
	err := rt.Exec("hog.lua", `t = {} while true do t[#t+1] = ("x"):rep(1e3) .. #t end`)
	if k := kindOf(t, err); k != interp.KindMemory {
		t.Fatalf("kind %v: %v", k, err)
	}
	if !strings.Contains(err.Error(), "memory limit exceeded ("+strconv.Itoa(limitMB)+" MB)") {
		t.Fatalf("error %q", err)
	}
	// The table is still referenced; the user frees it and carries on.
	if err := rt.Exec("free", `t = nil collectgarbage() local s = {} for i = 1, 1000 do s[i] = i end`); err != nil {
		t.Fatal(err)
	}
}

func TestBigTablesWork(t *testing.T) {
	rt, _ := interptest.New(t, nil)
	code := `local t = {} for i = 1, 100000 do t[i] = i end
	local s = table.concat(t, ",")
	assert(#s > 500000)
	assert(select("#", unpack(t)) == 100000)
	assert(collectgarbage("count") > 0)`
	if err := rt.Exec("big", code); err != nil {
		t.Fatal(err)
	}
}

func TestGoPanicBecomesLuaError(t *testing.T) {
	rt, _ := interptest.New(t, nil)
	err := rt.Do(func(L *lua.LState) error {
		L.SetGlobal("crash", L.NewFunction(func(L *lua.LState) int { panic("bug in a module") }))
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	err = rt.Exec("p", `crash()`)
	if err == nil || !strings.Contains(err.Error(), "bug in a module") {
		t.Fatalf("got %v", err)
	}
}

// TestInterruptBeforeTheChunkCompiles: a Ctrl-C that lands while a line
// waits for a stuck callback stops it before it compiles; its error is
// "interrupted", not that with a traceback of Go frames inside the message
// ("interrupted\nstack traceback:\n\t[C]: ?").
func TestInterruptBeforeTheChunkCompiles(t *testing.T) {
	rt, err := interp.New(interp.Options{Root: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	defer rt.Close()
	err = rt.Do(func(L *lua.LState) error {
		rt.Interrupt()
		fn, err := interp.Load(L, "print('next')", "stdin")
		if err != nil {
			return err
		}
		L.Push(fn)
		return L.PCall(0, 0, nil)
	})
	var e *interp.Error
	if !errors.As(err, &e) || e.Kind != interp.KindInterrupted || e.Message != "interrupted" || e.Traceback != "" {
		t.Fatalf("got %#v", err)
	}
}

// countingWriter counts what is written to it and keeps none of it.
type countingWriter struct{ n int }

func (w *countingWriter) Write(p []byte) (int, error) { w.n += len(p); return len(p), nil }

// TestBigPrintCopiesNothing: print joined its arguments in one buffer, so
// 400 references to one 1 MB string took 400 MB past a 64 MB memory limit
// (print(s) of a 200 MB string, 400 MB). Past a few KB it writes them as
// io.write does, each in place, a megabyte at a time with a look at the
// interrupt between.
func TestBigPrintCopiesNothing(t *testing.T) {
	out := &countingWriter{}
	rt, _ := interptest.New(t, &interp.Options{Out: out})
	if err := rt.Exec("setup", `s = ("x"):rep(1e6) t = {} for i = 1, 400 do t[i] = s end`); err != nil {
		t.Fatal(err)
	}
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	if err := rt.Exec("print", `print(unpack(t))`); err != nil {
		t.Fatal(err)
	}
	runtime.ReadMemStats(&after)
	if want := 400*1000000 + 400; out.n != want {
		t.Fatalf("printed %d bytes, want %d", out.n, want)
	}
	if alloc := after.TotalAlloc - before.TotalAlloc; alloc > 10<<20 {
		t.Fatalf("print of 400 MB of arguments allocated %d MB; want under 10", alloc>>20)
	}
}
