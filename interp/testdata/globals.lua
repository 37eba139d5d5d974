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
for _, name in ipairs({"time", "timer", "fs"}) do
  assert.eq(type(_G[name]), "table", name)
  assert.eq(require(name), _G[name])
end
