-- button.lua: count presses of a button on GPIO27 (wired to ground, so the
-- internal pull-up holds it high and a press pulls it low), with debounce.
local button = gpio.pin("GPIO27", gpio.IN, gpio.PULL_UP)
local led = gpio.pin("GPIO17", gpio.OUT)
local presses = 0

button:watch(gpio.FALLING, function(level, t_us)
  presses = presses + 1
  led:toggle()
  print(string.format("press %d at %.3f s", presses, t_us / 1e6))
end, {debounce_ms = 30})

if sim then
  -- No real button here: press it three times, each with contact bounce.
  for _ = 1, 3 do
    sim.set("GPIO27", 0) sim.set("GPIO27", 1) sim.set("GPIO27", 0) -- press, bouncing
    time.sleep_ms(100)
    sim.set("GPIO27", 1)                                           -- release
    time.sleep_ms(100)
  end
  button:close()
  print("presses: " .. presses)
end
-- On a real board the watch keeps moonpin running; Ctrl-C stops it.
