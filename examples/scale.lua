-- scale.lua: a kitchen scale, an HX711 load-cell amplifier on GPIO23
-- (clk, to PD_SCK) and GPIO24 (data, to DOUT). Tare with nothing on it,
-- then weigh. scale is the counts per kg, found once by weighing something
-- known: (counts with it - counts without) / its weight. On the simulated
-- board the HX711 is declared in a board file:
-- moonpin --board examples/workbench.json examples/scale.lua
local cell = devices.hx711({clk = "GPIO23", data = "GPIO24"}, {scale = 42000})
print(string.format("tare: %d counts", cell:tare(5)))

-- On the simulated board, play someone putting things on the scale.
local loads = {0.25, 1.2, 0}
for i = 1, 3 do
  if sim then sim.device("GPIO23", nil, {load = loads[i]}) end
  local r = cell:read()
  print(string.format("weight %.3f kg", r.weight))
  if i < 3 then time.sleep_ms(500) end
end
cell:close()
