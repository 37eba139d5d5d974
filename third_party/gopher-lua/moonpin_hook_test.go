package lua

import (
	"context"
	"os"
	"strings"
	"testing"
	"time"
)

// moonpin: debug hooks and the debug library's view of tail calls and
// coroutines (moonpin_hook.go, debuglib.go), each script compared with
// lua5.1's output.

// Call and return events, for Lua and Go functions, tail returns included,
// with debug.getinfo(2) inside the hook seeing the hooked function; gethook's
// three values. No upstream hooks at all (issues #69, #130).
func TestMoonpinHookEvents(t *testing.T) {
	likeLua51(t, "debug.sethook's call and return events", `local leaf
local ev = {}
local function hook(e, l)
  local info = debug.getinfo(2, "nS")
  local name = ""
  -- (no names for a tail call's events: 5.1 names them as the frame
  -- stood before the tail call replaced it)
  if e == "call" and debug.getinfo(2, "f").func ~= leaf then name = " " .. tostring(info.name) end
  ev[#ev+1] = e .. (l and (" " .. l) or "") .. " " .. info.what .. name
end
leaf = function(x) return type(x) end
local function mid(x) return leaf(x) end
local function top(x) local r = mid(x) return r end
debug.sethook(hook, "cr")
top(1)
debug.sethook()
print(table.concat(ev, "\n"))
print(debug.gethook())
debug.sethook(hook, "crl", 3)
local f, m, c = debug.gethook()
print(f == hook, m, c)
debug.sethook(hook, "", 0)
f, m, c = debug.gethook()
print(f == hook, m, c)
debug.sethook(print, "", 2^24 - 1)
print(select(3, debug.gethook()))
debug.sethook()
`, `return C
call Lua top
call Lua mid
call Lua
call C type
return C
return Lua
tail return Lua
return Lua
call C sethook
nil		0
true	crl	3
true		0
16777215
`)
}

// Count hooks: an event every n instructions, the hook's own counted (with
// no event), as in Lua 5.1.
func TestMoonpinHookCount(t *testing.T) {
	likeLua51(t, "count hooks", `local a = 0
debug.sethook(function(e) a = a + 1 end, "", 1)
a = 0; for i = 1, 1000 do end
local c1 = a
debug.sethook(function(e) a = a + 1 end, "", 4)
a = 0; for i = 1, 1000 do end
local c4 = a
debug.sethook(function(e) a = a + 1 end, "", 4000)
a = 0; for i = 1, 1000 do end
local c4000 = a
debug.sethook()
print(c1, c4, c4000)
local ev = {}
debug.sethook(function(e, l) ev[#ev+1] = e .. tostring(l) end, "l", 2)
local x = 1
x = 2
debug.sethook()
print(table.concat(ev, " "))
local n = 0
debug.sethook(function(e) n = n + 1; local a = 1; local b = 2 end, "", 3)
for i = 1, 100 do end
debug.sethook()
print(n)
n = 0
debug.sethook(function(e, l) n = n + 1; for i = 1, 10 do end end, "l", 7)
local y = 0
for i = 1, 20 do
  y = y + i
end
debug.sethook()
print(n, y)
`, `1006	251	0
line15 line16 line17 countnil
36
53	210
`)
}

// Line events, as db.lua checks them: a new line, a jump back, a function's
// first instruction. The jumps and closures are on Lua 5.1's lines.
func TestMoonpinHookLines(t *testing.T) {
	likeLua51(t, "line hooks", `local function test(s)
  local l = {}
  local function f(event, line) l[#l+1] = line end
  debug.sethook(f,"l"); loadstring(s)(); debug.sethook()
  print(table.concat(l, ","))
end
test([[if
math.sin(1)
then
  a=1
else
  a=2
end
]])
test([[--
if nil then
  a=1
else
  a=2
end
]])
test([[a=1
repeat
  a=a+1
until a==3
]])
test([[ do
  return
end
]])
test([[local a
a=1
while a<=3 do
  a=a+1
end
]])
test([[while math.sin(1) do
  if math.sin(1)
  then
    break
  end
end
a=1]])
test([[for i=1,3 do
  a=i
end
]])
test([[for i,v in pairs{'a','b'} do
  a=i..v
end
]])
test([[for i=1,4 do a=1 end]])
test([[local a
local b = 1
if b then
  b = 2
elseif a then
  b = 3
end
local function f(x)
  return x
end
f(b)
repeat b = b - 1 until b == 0]])
`, `2,4,7
2,5,6
1,3,4,3,4
2
2,3,4,3,4,3,4,3,5
1,2,4,7
1,2,1,2,1,2,1,3
1,2,1,2,1,3
1,1,1,1,1
2,3,4,10,11,9,12,12
`)
}

// No hook inside a hook; a hook set by a hook takes over after it; an error
// in a hook propagates from the hooked code; a coroutine's hook is its own;
// sethook's argument errors.
func TestMoonpinHookEdges(t *testing.T) {
	likeLua51(t, "hook edges", `-- the hook is off inside the hook; sethook inside a hook applies after it
local log = {}
debug.sethook(function(e, l)
  log[#log+1] = e .. " " .. tostring(l)
  local x = math.abs(-1)
  if #log == 2 then
    debug.sethook(function(e, l) log[#log+1] = "new " .. e .. " " .. tostring(l) end, "l")
  end
end, "l")
local a = 1
local b = 2
local c = 3
debug.sethook()
print(table.concat(log, "; "))
-- an error in a hook propagates from the hooked code
local function f()
  local z = 1
end
debug.sethook(function(e)
  if debug.getinfo(2, "S").what == "Lua" then error("from hook: " .. e) end
end, "c")
local ok, err = pcall(f)
debug.sethook()
print(ok, err)
print(debug.gethook())
-- a coroutine's hook is its own
local co = coroutine.create(function(x)
  local y = x + 1
  coroutine.yield(y)
  return y * 2
end)
local lines = {}
debug.sethook(co, function(e, l) lines[#lines+1] = l end, "l")
print(debug.gethook(co) ~= nil, debug.gethook() == nil)
print(coroutine.resume(co, 1))
print(coroutine.resume(co))
print(table.concat(lines, " "))
-- arguments
print(pcall(debug.sethook, function() end))
print(pcall(debug.sethook, 1, "l"))
`, `line 10; line 11; new line 12; new line 13
false	t.lua:20: from hook: call
nil		0
true	true
true	2
true	4
28 29 30
false	bad argument #2 to '?' (string expected, got no value)
false	bad argument #1 to '?' (function expected, got number)
`)
}

// A level lost to a tail call is Lua 5.1's "(tail call)": in debug.getinfo,
// getfenv (an error there), debug.traceback (upstream counted tail calls
// but gave the outermost frame for them).
func TestMoonpinTailCallLevels(t *testing.T) {
	likeLua51(t, "tail call levels", `local function show(t)
  if t == nil then return "nil" end
  local keys = {}
  for k in pairs(t) do keys[#keys+1] = k end
  table.sort(keys)
  local out = {}
  for _, k in ipairs(keys) do
    local v = t[k]
    if type(v) == "function" then v = "fn" elseif type(v) == "table" then v = "tbl" end
    out[#out+1] = k .. "=" .. tostring(v)
  end
  return table.concat(out, " ")
end
local function inner()
  for level = 1, 4 do print(level, show(debug.getinfo(level, "Sln"))) end
  local ok, e = pcall(getfenv, 3) print(ok, e)
  ok, e = pcall(getfenv, 2) print(ok, e == _G)
  print(getfenv(3) == _G)
  print(debug.getlocal(2, 1))
  print(debug.traceback("msg"))
  return 1
end
local function middle() return inner() end
local function outer() local r = middle() return r end
outer()
print(pcall(getfenv, 100))
local function count(n) if n == 0 then return debug.traceback() else return count(n - 1) end end
print(count(30))
`, `1	currentline=15 lastlinedefined=22 linedefined=14 namewhat= short_src=t.lua source=@t.lua what=Lua
2	currentline=-1 lastlinedefined=-1 linedefined=-1 name= namewhat= short_src=(tail call) source==(tail call) what=tail
3	currentline=24 lastlinedefined=24 linedefined=24 name=outer namewhat=local short_src=t.lua source=@t.lua what=Lua
4	currentline=25 lastlinedefined=0 linedefined=0 namewhat= short_src=t.lua source=@t.lua what=main
false	no function environment for tail call at level 3
true	true
true
nil
msg
stack traceback:
	t.lua:20: in function <t.lua:14>
	(tail call): ?
	t.lua:24: in function 'outer'
	t.lua:25: in main chunk
	[C]: ?
false	bad argument #1 to '?' (invalid level)
stack traceback:
	t.lua:27: in function <t.lua:27>
	(tail call): ?
	(tail call): ?
	(tail call): ?
	(tail call): ?
	(tail call): ?
	(tail call): ?
	(tail call): ?
	(tail call): ?
	(tail call): ?
	(tail call): ?
	...
	(tail call): ?
	(tail call): ?
	(tail call): ?
	(tail call): ?
	(tail call): ?
	(tail call): ?
	(tail call): ?
	(tail call): ?
	t.lua:28: in main chunk
	[C]: ?
`)
}

// A suspended coroutine's level 0 is the yield it waits in, a dead one keeps
// the stack of its error, and debug.traceback/getinfo/getlocal take the
// thread first (upstream: no yield level, an empty stack after an error,
// the level read from the wrong argument).
func TestMoonpinCoroutineDebug(t *testing.T) {
	likeLua51(t, "a suspended coroutine's stack", `local function f(n)
  if n > 0 then return f(n - 1) end
  local here = "bottom"
  coroutine.yield(here)
end
local co = coroutine.create(f)
coroutine.resume(co, 2)
print(debug.traceback(co))
print(debug.traceback(co, "msg"))
print(debug.traceback(co, "msg", 1))
for level = 0, 4 do
  local t = debug.getinfo(co, level, "Sl")
  print(level, t and t.what, t and t.currentline, t and t.short_src)
end
print(debug.getlocal(co, 1, 1))
print(debug.getlocal(co, 1, 2))
print(debug.getlocal(co, 1, 3))
print(debug.setlocal(co, 1, 2, "changed"))
print(debug.getlocal(co, 0, 1))
print(coroutine.resume(co))
print(coroutine.status(co), debug.traceback(co))
local function g(i) if i == 0 then error("deep") else g(i - 1) end end
co = coroutine.create(function() g(2) end)
print(coroutine.resume(co))
print(debug.traceback(co))
print(debug.traceback(print) == print, debug.traceback(nil), debug.traceback(12))
`, `stack traceback:
	[C]: in function 'yield'
	t.lua:4: in function <t.lua:1>
	(tail call): ?
	(tail call): ?
msg
stack traceback:
	[C]: in function 'yield'
	t.lua:4: in function <t.lua:1>
	(tail call): ?
	(tail call): ?
msg
stack traceback:
	t.lua:4: in function <t.lua:1>
	(tail call): ?
	(tail call): ?
0	C	-1	[C]
1	Lua	4	t.lua
2	tail	-1	(tail call)
3	tail	-1	(tail call)
4	nil	nil	nil
n	0
here	bottom
nil
here
nil
true
dead	stack traceback:
false	t.lua:22: deep
stack traceback:
	[C]: in function 'error'
	t.lua:22: in function 'g'
	t.lua:22: in function 'g'
	t.lua:22: in function 'g'
	t.lua:23: in function <t.lua:23>
true	nil	12
stack traceback:
	t.lua:26: in main chunk
	[C]: ?
`)
}

// A chunk is "main chunk" in a traceback wherever it runs, and a coroutine's
// function is <source:line>, as in Lua 5.1 (upstream: "main chunk" for any
// thread's bottom function, <source:0> for a chunk called from Lua).
func TestMoonpinTracebackNames(t *testing.T) {
	likeLua51(t, "traceback names", `print(select(2, pcall(loadstring("error('x')"))))
print(select(2, xpcall(loadstring("local t = nil; return t.x", "=chunk"), debug.traceback)))
local f = loadstring("return debug.traceback('m')")
print(f())
print(loadstring("return debug.traceback('m')")())
local co = coroutine.create(function() error("e") end)
coroutine.resume(co)
print(debug.traceback(co))
`, `[string "error('x')"]:1: x
chunk:1: attempt to index local 't' (a nil value)
stack traceback:
	chunk:1: in main chunk
	[C]: in function 'xpcall'
	t.lua:2: in main chunk
	[C]: ?
m
stack traceback:
	[string "return debug.traceback('m')"]:1: in function 'f'
	t.lua:4: in main chunk
	[C]: ?
m
stack traceback:
	[string "return debug.traceback('m')"]:1: in main chunk
	t.lua:5: in main chunk
	[C]: ?
stack traceback:
	[C]: in function 'error'
	t.lua:6: in function <t.lua:6>
`)
}

// Lua 5.1's own tests pass with a hook on every call, return, line and
// instruction: the hooked loop runs them as the plain one does.
func TestMoonpinHookedSuite(t *testing.T) {
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	if err := os.Chdir("_lua5.1-tests"); err != nil {
		t.Fatal(err)
	}
	defer os.Chdir(dir)
	for _, name := range []string{"calls.lua", "closure.lua", "constructs.lua", "events.lua", "locals.lua", "nextvar.lua", "pm.lua", "vararg.lua"} {
		code, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		L := NewState(Options{CallStackSize: 1024})
		L.SetGlobal("print", L.NewFunction(func(*LState) int { return 0 }))
		events := 0
		L.SetGlobal("countEvent", L.NewFunction(func(*LState) int { events++; return 0 }))
		// On the file's first line, so that its lines stay as they are.
		const hook = `debug.sethook(countEvent, "crl", 1) `
		fn, err := L.Load(strings.NewReader(hook+string(code)), name)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		L.Push(fn)
		if err := L.PCall(0, 0, nil); err != nil {
			t.Errorf("%s under a hook: %v", name, err)
		} else if events < 1000 {
			t.Errorf("%s: the hook ran %d times", name, events)
		}
		L.Close()
	}
}

// A hook set inside a metamethod, where no Go call returns into the loop of
// the function that indexed, is seen by that loop (see also
// TestMoonpinHookSetInMetamethodAtOnce).
func TestMoonpinHookSetInMetamethod(t *testing.T) {
	L := NewState()
	defer L.Close()
	L.SetContext(context.Background())
	err := L.DoString(`
local t = setmetatable({}, {__index = function()
  debug.sethook(function() n = n + 1 end, "l")
  return 1
end})
n = 0
local x = t.x
for i = 1, 1000 do
  x = x + 1
end
debug.sethook()`)
	if err != nil {
		t.Fatal(err)
	}
	if n := L.GetGlobal("n").(LNumber); n < 900 {
		t.Errorf("%v line events in a loop of 1000, want about 1000", n)
	}
}

// A hook set inside a metamethod takes effect as the metamethod returns, as
// in 5.1, for one called by a field read, a field write or arithmetic; the
// loop had seen it within 256 instructions only. The expected figures are
// lua5.1's.
func TestMoonpinHookSetInMetamethodAtOnce(t *testing.T) {
	for _, withContext := range []bool{false, true} {
		L := NewState()
		if withContext {
			L.SetContext(context.Background())
		}
		err := L.DoString(`
local ev = {}
local t = setmetatable({}, {__index = function() debug.sethook(function(e, l) ev[#ev + 1] = e .. l end, "l") return 1 end})
local x = t.x
x = x + 1
debug.sethook()
lines = table.concat(ev, " ")
local n = 0
local u = setmetatable({}, {__add = function() debug.sethook(function() n = n + 1 end, "", 1) return 1 end})
local y = u + 1
for i = 1, 10 do end
debug.sethook()
adds = n
local m = 0
local w = setmetatable({}, {__newindex = function() debug.sethook(function() m = m + 1 end, "", 1) end})
w.z = 1
for i = 1, 10 do end
debug.sethook()
sets = m`)
		if err != nil {
			t.Fatal(err)
		}
		if got := L.GetGlobal("lines").String(); got != "line5 line6" {
			t.Errorf("context %v: line events %q after a hook set in __index, want %q", withContext, got, "line5 line6")
		}
		for name, want := range map[string]LNumber{"adds": 20, "sets": 19} {
			if got := L.GetGlobal(name); got != want {
				t.Errorf("context %v: %s = %v count events, want %v", withContext, name, got, want)
			}
		}
		L.Close()
	}
}

// Functions that Go calls one after another (a runtime's callbacks) start in
// the same frame; one that ends in an error runs no RETURN, and the next
// must still get its call event.
func TestMoonpinHookAfterAnError(t *testing.T) {
	L := NewState()
	defer L.Close()
	err := L.DoString(`
events = {}
function bad() error("x") end
function good() return 1 end
debug.sethook(function(e)
  local f = debug.getinfo(2, "f").func
  if f == bad then events[#events+1] = e .. " bad" elseif f == good then events[#events+1] = e .. " good" end
end, "cr")`)
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"bad", "good", "bad", "good"} {
		L.Push(L.GetGlobal(name))
		L.PCall(0, 0, nil)
	}
	L.SetHook(LNil, "", 0)
	if err := L.DoString(`got = table.concat(events, ", ")`); err != nil {
		t.Fatal(err)
	}
	want := "call bad, call good, return good, call bad, call good, return good"
	if got := L.GetGlobal("got").String(); got != want {
		t.Errorf("events %q, want %q", got, want)
	}
}

// TestMoonpinEmptyLoopLine: an empty `while true do end` is on its own
// line, where an interrupt of it is reported; its jump took the line of
// the code before the loop.
func TestMoonpinEmptyLoopLine(t *testing.T) {
	L := NewState()
	defer L.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	L.SetContext(ctx)
	err := L.DoString("local x = 1\n\n\nwhile true do end\n")
	if err == nil || !strings.Contains(err.Error(), "<string>:4:") {
		t.Fatalf("got %v, want the error on line 4", err)
	}
}
