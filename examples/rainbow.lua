-- rainbow.lua: a rainbow runs along a strip of 8 WS2812 LEDs (NeoPixels)
-- whose data line is on SPI1's MOSI.
local strip = devices.ws2812("SPI1.0", {leds = 8})
local n = strip:count()

-- hue 0..1 to r, g, b at full saturation and a quarter of full brightness.
local function wheel(h)
  local i, f = math.floor(h * 6), h * 6 % 1
  local q, t = 1 - f, f
  local r, g, b = ({{1, t, 0}, {q, 1, 0}, {0, 1, t}, {0, q, 1}, {t, 0, 1}, {1, 0, q}})[i % 6 + 1][1],
    ({{1, t, 0}, {q, 1, 0}, {0, 1, t}, {0, q, 1}, {t, 0, 1}, {1, 0, q}})[i % 6 + 1][2],
    ({{1, t, 0}, {q, 1, 0}, {0, 1, t}, {0, q, 1}, {t, 0, 1}, {1, 0, q}})[i % 6 + 1][3]
  return math.floor(r * 63 + 0.5), math.floor(g * 63 + 0.5), math.floor(b * 63 + 0.5)
end

for frame = 0, 23 do
  for i = 1, n do strip:set(i, wheel(((i - 1) / n + frame / 24) % 1)) end
  strip:show()
  time.sleep_ms(20)
end
if sim then
  local leds = {}
  for i, c in ipairs(sim.device("SPI1.0").leds) do leds[i] = string.format("%06x", c) end
  print("strip: " .. table.concat(leds, " "))
end
strip:clear()
strip:show()
strip:close()
print("done")
