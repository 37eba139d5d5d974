-- fade.lua: fade an LED on GPIO13 up and back down with PWM, once.
-- GPIO13 is one of the Raspberry Pi's hardware PWM pins, and so it is on the
-- simulated board. On a Pi, periph drives it through the PWM registers, which
-- takes root; 1 kHz divides its 25 MHz clock, as periph requires.
local led = gpio.pin("GPIO13", gpio.OUT)
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
