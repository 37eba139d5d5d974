-- voltmeter.lua: an ADS1115 ADC (0x48 on I2C1) reads its four inputs, and
-- the difference between A0 and A1.
local adc = devices.ads1115("I2C1", {max_voltage = 4.096})

if sim then sim.device("I2C1", 0x48, {a0 = 3.3, a1 = 1.2, a2 = 0.05, a3 = 0}) end

for ch = 0, 3 do
  local r = adc:read(ch)
  print(string.format("A%d: %.3f V (raw %d)", ch, r.voltage, r.raw))
end
print(string.format("A0-A1: %.3f V", adc:read("0-1").voltage))
adc:close()
