-- servo_sweep.lua: a servo on channel 0 of a PCA9685 board (0x40 on I2C1)
-- sweeps 0..180 degrees and back, in 30 degree steps.
local pwm = devices.pca9685("I2C1", {freq = 50, min_us = 500, max_us = 2500})

local function go(deg)
  pwm:servo(0, deg)
  local shown = ""
  if sim then shown = string.format("  (pulse %.0f us)", sim.device("I2C1", 0x40).pulse_us[1]) end
  print(string.format("servo %3d deg%s", deg, shown))
  time.sleep_ms(200)
end

for deg = 0, 180, 30 do go(deg) end
for deg = 150, 0, -30 do go(deg) end
pwm:off(0)
pwm:close()
