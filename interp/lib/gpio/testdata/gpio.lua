-- outputs
local led = gpio.pin("GPIO17", gpio.OUT)
assert.eq(led:read(), 0)
led:write(1) assert.eq(led:read(), 1)
led:write(false) assert.eq(led:read(), 0)
led:on() led:off() led:toggle()
assert.eq(led:read(), 1)
local levels = {}
for _, c in ipairs(sim.history("GPIO17")) do levels[#levels + 1] = c.level end
assert.eq(levels, {0, 1, 0, 1, 0, 1})
assert.eq(led:name(), "GPIO17")
assert.eq(tostring(led), "pin(GPIO17, out)")
assert.fails(function() led:write(2) end, "expected 0, 1, true or false")
-- a method called with '.' says so (it complained of its second argument)
assert.fails(function() led.write(1) end, "bad argument #1 to 'write' (gpio.pin expected, got number; call a method with ':', as x:write(...))")
assert.fails(function() led:watch(gpio.BOTH, print) end, "is an output")

-- inputs, pulls, names and aliases
local b = gpio.pin("27", gpio.IN, gpio.PULL_UP)
assert.eq(b:name(), "GPIO27")
assert.eq(b:read(), 1)
local down = gpio.pin("GPIO22", gpio.IN, gpio.PULL_DOWN)
assert.eq(down:read(), 0)
sim.set("GPIO22", 1)
assert.eq(down:read(), 1)
assert.fails(function() b:write(1) end, "is an input")

-- waitFor sleeps until ok() holds (callbacks run meanwhile), up to 10 s:
-- an edge's callback under qemu, with CI's other tests beside it, took
-- over the 20 ms these once slept for it.
local function waitFor(what, ok)
  local deadline = time.ticks_ms() + 10000
  while not ok() do
    if time.ticks_diff(deadline, time.ticks_ms()) < 0 then error("timed out waiting for " .. what) end
    time.sleep_ms(5)
  end
end

-- watch with debounce: callbacks run while the script sleeps. The bounces
-- are stamped by the wall clock as they are set: the debounce time is long
-- enough that a script descheduled between them (under qemu) still sets
-- them within it.
local seen = {}
b:watch(gpio.FALLING, function(level, t_us)
  seen[#seen + 1] = level
  assert.truthy(t_us >= 0)
end, {debounce_ms = 500})
sim.set("GPIO27", 0)       -- press
sim.set("GPIO27", 1)       -- bounce
sim.set("GPIO27", 0)       -- bounce: debounced
waitFor("the press", function() return #seen >= 1 end)
time.sleep_ms(20)          -- the bounces, were they not debounced
assert.eq(seen, {0})
time.sleep_ms(500)
sim.set("GPIO27", 1) sim.set("GPIO27", 0) -- a second press, after the debounce time
waitFor("the second press", function() return #seen >= 2 end)
assert.eq(seen, {0, 0})
b:unwatch()
sim.set("GPIO27", 1) sim.set("GPIO27", 0)
time.sleep_ms(20)
assert.eq(#seen, 2, "no callbacks after unwatch")

-- both edges, and a failing callback stops its watch
local both = {}
local w = gpio.pin("GPIO5", gpio.IN)
w:watch(gpio.BOTH, function(level) both[#both + 1] = level if #both == 2 then error("enough") end end)
sim.set("GPIO5", 1) sim.set("GPIO5", 0) sim.set("GPIO5", 1)
waitFor("both edges", function() return #both >= 2 end)
time.sleep_ms(20)          -- the third edge, were the watch not stopped
assert.eq(both, {1, 0})

-- one handle watches a pin at a time, the newest: opening the pin again (a
-- set-up run twice in the REPL) or watching it through another handle stops
-- the earlier watch (was "pin GPIO6 is being watched; stop the watch first")
local calls = {}
local first = gpio.pin("GPIO6", gpio.IN)
first:watch(gpio.RISING, function() calls[#calls + 1] = "first" end)
local again = gpio.pin("GPIO6", gpio.IN)
assert.eq(repr(first), "GPIO6 (in, 0)")
again:watch(gpio.RISING, function() calls[#calls + 1] = "again" end)
local other = gpio.pin("GPIO6", gpio.IN, gpio.PULL_NONE)
local third = gpio.pin("GPIO7", gpio.IN)
sim.set("GPIO6", 1)
waitFor("no watch left on GPIO6", function() return repr(again) == "GPIO6 (in, 1)" end)
other:watch(gpio.RISING, function() calls[#calls + 1] = "other" end)
third:watch(gpio.RISING, function() end)
again:watch(gpio.FALLING, function() calls[#calls + 1] = "again falling" end)
assert.eq(repr(other), "GPIO6 (in, 1)")
assert.eq(repr(third), "GPIO7 (in, 0, watched)", "a watch on another pin stays")
sim.set("GPIO6", 0)
waitFor("the falling edge", function() return #calls > 0 end)
assert.eq(calls, {"again falling"})
again:unwatch() third:unwatch()

-- closing
led:close()
led:close()
assert.fails(function() led:read() end, "pin GPIO17 is closed")
assert.eq(tostring(led), "pin(GPIO17, closed)")

-- PWM, on the pins that have it (GPIO12, 13, 18, 19 on the simulated board)
local fan = gpio.pin("GPIO18", gpio.OUT)
assert.eq(sim.pwm("GPIO18"), nil)
fan:pwm(25000, 0.3)
local duty, hz = sim.pwm("GPIO18")
assert.near(duty, 0.3, 1e-4)
assert.eq(hz, 25000)
assert.eq(fan:read(), 0)        -- under half on: reads low
fan:pwm(1000, 1)
assert.eq(fan:read(), 1)
fan:write(0)                    -- a plain level stops PWM
assert.eq(sim.pwm("GPIO18"), nil)
fan:pwm(1000, 0.5)
fan:close()
assert.eq(sim.pwm("GPIO18"), nil)
local relay = gpio.pin("GPIO17", gpio.OUT)
assert.fails(function() relay:pwm(1000, 0.5) end, "gpio: GPIO17: PWM: pin GPIO17 has no PWM on sim; PWM pins: GPIO12, GPIO13, GPIO18, GPIO19")
relay:close()
assert.fails(function() gpio.pin("GPIO12", gpio.OUT):pwm(0, 0.5) end, "expected a frequency in Hz above 0")
assert.fails(function() gpio.pin("GPIO13", gpio.OUT):pwm(100, 1.5) end, "expected a duty cycle from 0 to 1")
assert.fails(function() gpio.pin("GPIO19", gpio.IN):pwm(100, 0.5) end, 'pin GPIO19 is an input; open it with gpio.pin("GPIO19", gpio.OUT)')
-- A frequency that does not fit, or that the PWM cannot make, is refused,
-- shown as given (2^63 once wrapped round to -9.2 THz, 1e-300 to 0 Hz).
local pw = gpio.pin("GPIO12", gpio.OUT)
assert.fails(function() pw:pwm(2^63, 0.5) end, "bad argument #1 to 'pwm' (frequency 9.2233720368548e+18 Hz is too high; the most is 12.5 MHz)")
assert.fails(function() pw:pwm(math.huge, 0.5) end, "frequency inf Hz is too high; the most is 12.5 MHz")
assert.fails(function() pw:pwm(1e12, 0.5) end, "frequency 1000000000000 Hz is too high; the most is 12.5 MHz")
assert.fails(function() pw:pwm(1e-300, 0.5) end, "frequency 1e-300 Hz is too low; the least is 0.00582 Hz")
assert.fails(function() pw:pwm(1e-3, 0.5) end, "frequency 0.001 Hz is too low; the least is 0.00582 Hz")
pw:pwm(12.5e6, 0.5)
assert.eq(select(2, sim.pwm("GPIO12")), 12.5e6)
pw:close()

-- bad input
assert.fails(function() gpio.pin("GPIO99") end, "no pin GPIO99 on sim; pins here: GPIO0..GPIO27")
assert.fails(function() gpio.pin("GPIO4", 7) end, "expected gpio.IN or gpio.OUT")
assert.fails(function() gpio.pin("GPIO4", 1.5) end, "expected gpio.IN or gpio.OUT")
assert.fails(function() gpio.pin("GPIO4", gpio.IN, 1.5) end, "expected gpio.PULL_UP")
assert.fails(function() w:watch(1.5, print) end, "expected gpio.RISING")
-- A name that is not there is quoted, and a long one cut short.
assert.fails(function() gpio.pin("") end, 'no pin "" on sim')
assert.fails(function() gpio.pin("GPIO4\0") end, 'no pin "GPIO4\\x00" on sim')
local ok, err = pcall(gpio.pin, ("x"):rep(1e6))
assert.eq(ok, false)
assert.truthy(err:find('no pin "x+"%.%.%. %(1000000 bytes%) on sim'), err:sub(1, 200))
assert.eq(#err < 300, true, "the error is short")
assert.fails(function() sim.history("GPIO99") end, "no pin GPIO99 on sim")
assert.fails(function() gpio.pin("GPIO4", gpio.IN, 9) end, "expected gpio.PULL_UP")
assert.fails(function() gpio.pin("GPIO4", gpio.OUT, gpio.PULL_UP) end, "a pull applies to inputs only")
assert.fails(function() w:watch(99, print) end, "expected gpio.RISING")
assert.fails(function() w:watch(gpio.BOTH, print, {debounce_ms = -1}) end, "debounce_ms must be a non-negative number")
assert.fails(function() w:watch(gpio.BOTH, print, {debounce = 20}) end, "unknown option debounce (did you mean debounce_ms?); options are debounce_ms")
assert.fails(function() gpio.pin() end, "bad argument #1")
