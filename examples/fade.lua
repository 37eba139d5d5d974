-- fade.lua: fade an LED on GPIO18 up and back down with PWM, once.
-- GPIO18 is one of the Raspberry Pi's hardware PWM pins (GPIO12, 13, 18 and
-- 19), and so it is on the simulated board.
local led = gpio.pin("GPIO18", gpio.OUT)
local steps = 10
for i = -steps, steps do
  local level = (steps - math.abs(i)) / steps   -- 0 up to 1 and back to 0
  local duty = level * level                   -- eyes see the square as even steps
  led:pwm(1000, duty)
  if i % 5 == 0 then print(string.format("duty %.2f", duty)) end
  time.sleep_ms(50)
end
led:close()
print("done")
