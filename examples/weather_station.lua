-- weather_station.lua: a BME280 (0x76) and an SSD1306 OLED (0x3C) on I2C1;
-- the reading is printed and drawn, every second, three times.
local bus = i2c.open("I2C1")
local sensor = devices.bme280(bus)
local oled = devices.ssd1306(bus)

if sim then sim.env{temperature = 21.7, pressure = 1009.3, humidity = 48} end

for i = 1, 3 do
  local r = sensor:read()
  local line = string.format("%.1f C  %.1f hPa  %.0f %%RH", r.temperature, r.pressure, r.humidity)
  print(line)
  oled:clear()
  oled:rect(0, 0, 128, 64)
  oled:text(8, 6, "Weather")
  oled:line(8, 16, 119, 16)
  oled:text(8, 22, string.format("%6.1f C", r.temperature))
  oled:text(8, 34, string.format("%6.1f hPa", r.pressure))
  oled:text(8, 46, string.format("%6.0f %%RH", r.humidity))
  oled:show()
  if i < 3 then time.sleep(1) end
end

-- On the simulated board, see what the OLED shows.
if sim then io.write(sim.screen("I2C1", 0x3c)) end
oled:close()
sensor:close()
