-- blink.lua: toggle an LED on GPIO17 five times, twice a second.
-- On the simulated board the pin's history shows the blinks.
local led = gpio.pin("GPIO17", gpio.OUT)
for i = 1, 5 do
  led:on()
  print("blink " .. i .. ": on")
  time.sleep_ms(250)
  led:off()
  time.sleep_ms(250)
end
led:close()
print("done")
