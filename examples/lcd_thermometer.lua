-- lcd_thermometer.lua: an MCP9808 (0x18) and a 16x2 character LCD on a
-- PCF8574 backpack (0x27) on I2C1; the temperature is shown three times,
-- a second apart. On the simulated board the LCD is declared in a board
-- file: moonpin --board examples/workbench.json examples/lcd_thermometer.lua
local bus = i2c.open("I2C1")
local sensor = devices.mcp9808(bus)
local lcd = devices.hd44780(bus)

if sim then sim.env{temperature = 19.25, addr = 0x18} end

lcd:text(0, 0, "Thermometer")
for i = 1, 3 do
  local t = sensor:read().temperature
  local line = string.format("%6.2f C  #%d", t, i)
  print(line)
  lcd:text(0, 1, line)
  if i < 3 then time.sleep(1) end
end

-- On the simulated board, see what the LCD shows.
if sim then io.write(sim.screen("I2C1", 0x27)) end
lcd:close()
sensor:close()
