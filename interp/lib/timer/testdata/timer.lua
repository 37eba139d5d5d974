-- waitFor sleeps until ok() holds (timers fire meanwhile), up to 10 s. A
-- sleep of a fixed length is not enough: it ends at its deadline, and a
-- loop descheduled past that (under qemu, with CI's other tests beside it)
-- has fired fewer timers than the sleep was long enough for.
local function waitFor(what, ok)
  local deadline = time.ticks_ms() + 10000
  while not ok() do
    if time.ticks_diff(deadline, time.ticks_ms()) < 0 then error("timed out waiting for " .. what) end
    time.sleep_ms(5)
  end
end

-- timers fire while the script sleeps, in deadline order
local log, runs = {}, 0
local every = timer.every(10, function(t)
  log[#log + 1] = "every"
  runs = runs + 1
  if runs == 3 then t:stop() end
end)
timer.after(5, function() table.insert(log, 1, "after") end)
assert.truthy(every:active())
waitFor("three runs", function() return runs == 3 and #log == 4 end)
time.sleep_ms(30)          -- more runs, were the timer not stopped
assert.eq(log, {"after", "every", "every", "every"})
assert.eq(every:active(), false)
assert.eq(every:stop(), false, "stopping a stopped timer")
assert.truthy(tostring(every):find("stopped"))

-- a callback gets its own handle and can stop itself
local n = 0
timer.every(1, function(t) n = n + 1 t:stop() end)
time.sleep_ms(20)
assert.eq(n, 1)

-- an erroring callback is reported, its timer stopped, the loop lives on
local bad = timer.every(1, function() error("broken callback") end)
local good = 0
timer.after(10, function() good = good + 1 end)
waitFor("the good timer", function() return good > 0 end)
assert.eq(bad:active(), false)
assert.eq(good, 1)

assert.fails(function() timer.every(0, print) end, "expected a period of at least 1 ms")
assert.fails(function() timer.after(-5, print) end, "non-negative delay")
assert.fails(function() timer.every(10) end, "function expected, got no value")
assert.fails(function() every.stop({}) end, "bad argument #1 to 'stop' (timer expected, got table; call a method with ':', as x:stop(...))")

-- a period past the longest Go duration waits that long (about 292 years);
-- it overflowed to a negative period and fired in a busy loop
local fired = 0
local far = timer.every(2^63, function() fired = fired + 1 end)
local later = timer.after(1e300, function() fired = fired + 1 end)
time.sleep_ms(20)
assert.eq(fired, 0)
far:stop() later:stop()
