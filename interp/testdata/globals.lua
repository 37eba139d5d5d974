-- collectgarbage reports real numbers
local before = collectgarbage("count")
assert.truthy(before > 0)
assert.eq(type(collectgarbage("step")), "boolean")
assert.fails(function() collectgarbage("bogus") end, "invalid option 'bogus'")

-- dofile and loadfile read from the script root only
fs.write("lib.lua", "return 42")
assert.eq(dofile("lib.lua"), 42)
assert.eq(loadfile("lib.lua")(), 42)
assert.fails(function() dofile("/etc/passwd") end, "absolute paths are not allowed")
local fn, err = loadfile("../x.lua")
assert.eq(fn, nil)
assert.truthy(err:find("leaves the script root"))

-- modules are globals and require-able
for _, name in ipairs({"time", "timer", "fs", "bit", "struct", "json"}) do
  assert.eq(type(_G[name]), "table", name)
  assert.eq(require(name), _G[name])
end

-- sensor-style use of bit, struct and json together, with big unpacks
local raw = struct.pack("<Hh", 27504, -7)
local t, p = struct.unpack("<Hh", raw)
assert.eq({t, p}, {27504, -7})
assert.eq(bit.band(bit.rshift(0xABCD, 8), 0xFF), 0xAB)
assert.eq(json.decode(json.encode({t = t, list = {1, 2}})), {t = 27504, list = {1, 2}})
local many = struct.pack(("B"):rep(6000), unpack((function() local r = {} for i = 1, 6000 do r[i] = i % 256 end return r end)()))
assert.eq(select("#", struct.unpack(("B"):rep(6000), many)), 6001)
