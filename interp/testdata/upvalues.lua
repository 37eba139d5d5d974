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
-- until it ran, up to 10 s: a fixed sleep's deadline can pass, under qemu,
-- before the loop has been scheduled to fire it
local deadline = time.ticks_ms() + 10000
while count == 0 and time.ticks_diff(deadline, time.ticks_ms()) >= 0 do time.sleep_ms(5) end
assert.eq(count, 1)

-- a coroutine that dies of an error closes its upvalues: closures made
-- inside it keep the values (the fork's pcall fix had left them pointing
-- at the dead coroutine's cleared stack, and calling one crashed)
local get
local co = coroutine.create(function()
  local v = 42
  get = function() return v end
  local t = nil
  return t.x
end)
assert.eq(coroutine.resume(co), false)
assert.eq(get(), 42)

local wget
local w = coroutine.wrap(function()
  local v = "kept"
  wget = function() return v end
  error("dies")
end)
assert.eq(pcall(w), false)
assert.eq(wget(), "kept")

-- and one that yielded first, then died on the next resume
local yget
local yco = coroutine.create(function()
  local v = 1
  yget = function() v = v + 1 return v end
  coroutine.yield()
  error("dies after yield")
end)
coroutine.resume(yco)
assert.eq(yget(), 2)
assert.eq(coroutine.resume(yco), false)
assert.eq(yget(), 3)
assert.eq(yget(), 4)
