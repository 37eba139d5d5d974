package lua

import "testing"

// Nothing a script reaches is shared with another state: a soft reset
// (a new state in the same process) starts clean, and two states on two
// goroutines do not race.

// require's "being loaded" mark was one *LUserData for the whole process:
// a module read it from package.loaded while it loaded and gave it a
// metatable (debug.setmetatable), which every later state then saw, with
// functions and data of the state that set it kept alive for good.
func TestMoonpinRequireMarkIsPerState(t *testing.T) {
	for i := range 2 {
		L := NewState()
		L.PreloadModule("m", func(L *LState) int {
			if err := L.DoString(`
				local mark = package.loaded.m
				assert(type(mark) == "userdata", "the loading mark is a userdata")
				assert(getmetatable(mark) == nil, "the loading mark has another state's metatable")
				debug.setmetatable(mark, {__index = function() return "old state" end})`); err != nil {
				t.Errorf("state %d: %v", i, err)
			}
			L.Push(LTrue)
			return 1
		})
		if err := L.DoString(`require "m"`); err != nil {
			t.Errorf("state %d: %v", i, err)
		}
		L.Close()
	}
}

// math.randomseed seeds the state's own generator: the same seed gives the
// same numbers, as in Lua 5.1. It called the deprecated rand.Seed, which
// does nothing since Go 1.24, and the generator was the process's.
func TestMoonpinRandomseedRepeats(t *testing.T) {
	L := NewState()
	defer L.Close()
	errorIfScriptFail(t, L, `
		math.randomseed(42)
		local a = {math.random(), math.random(100), math.random(5, 9)}
		math.randomseed(42)
		local b = {math.random(), math.random(100), math.random(5, 9)}
		for i = 1, 3 do assert(a[i] == b[i], i .. ": " .. a[i] .. " ~= " .. b[i]) end`)

	other := NewState()
	defer other.Close()
	errorIfScriptFail(t, L, `math.randomseed(7) seq = {} for i = 1, 5 do seq[i] = math.random() end`)
	errorIfScriptFail(t, other, `math.randomseed(7)`)
	errorIfScriptFail(t, L, `math.randomseed(7)`)
	for range 3 {
		errorIfScriptFail(t, other, `math.random()`)
	}
	errorIfScriptFail(t, L, `for i = 1, 5 do local r = math.random() assert(r == seq[i], "another state's math.random moved this state's generator") end`)
}
