-- gopher-lua issue #448: an error caught by pcall must not detach closures
-- from the locals they share (moonpin's patched copy fixes it).
local x = 0
local function inc() x = x + 1 end
pcall(error, "e")
inc()
assert.eq(x, 1)

local ok = pcall(function()
  local y = 5
  getter = function() y = y + 1 return y end
  error("e")
end)
assert.eq(ok, false)
assert.eq(getter(), 6)
assert.eq(getter(), 7)

-- nested pcalls, then an error in the outer one
local z = 0
local function bump() z = z + 1 end
pcall(function()
  pcall(error, "inner")
  error("outer")
end)
bump()
assert.eq(z, 1)

-- a failing timer callback does not detach the script's closures either
local count = 0
timer.after(1, function() error("callback fails") end)
timer.after(5, function() count = count + 1 end)
time.sleep_ms(30)
assert.eq(count, 1)
