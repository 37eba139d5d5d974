-- HX711: periph's driver bit-bangs the simulated pins; the model shifts out
-- its conversion (8000 counts unloaded, 42000 more a kg).
assert.fails(function() devices.hx711({clk = "GPIO23", data = "GPIO23"}) end, "clk and data are both GPIO23; each needs a pin of its own")
local cell = devices.hx711({clk = "GPIO23", data = "GPIO24"})
assert.eq(tostring(cell), "hx711(clk GPIO23, data GPIO24)")
assert.eq(cell:read(), {weight = 8000, counts = 8000}, "scale 1, offset 0")
assert.eq(cell:tare(3), 8000)
sim.device("GPIO23", nil, {load = 1.5})
assert.eq(cell:read().counts, 8000 + 63000)
cell:close()
cell = devices.hx711({clk = "GPIO23", data = "GPIO24"}, {scale = 42000, offset = 8000})
assert.near(cell:read().weight, 1.5, 0.001)
sim.device("GPIO23", nil, {load = -0.25})
assert.near(cell:read().weight, -0.25, 0.001, "negative: two's complement")
assert.eq(sim.device("GPIO23").counts, 8000 - 10500)
assert.fails(function() sim.device("GPIO23", nil, {load = 30}) end, "hx711: load 30 is outside -20..20 kg")
assert.fails(function() devices.hx711({clk = "GPIO23"}) end, "data must be a pin name, e.g. {clk = \"GPIO5\", data = \"GPIO6\"}")
assert.fails(function() devices.hx711({clk = "GPIO23", data = "GPIO24", sck = 1}) end, "unknown option sck")
assert.fails(function() devices.hx711("GPIO23") end, "expected the pins, e.g. {clk = \"GPIO5\", data = \"GPIO6\"}")
assert.fails(function() devices.hx711({clk = "GPIO23", data = "GPIO99"}) end, "hx711: data:")
assert.fails(function() devices.hx711({clk = "GPIO23", data = "GPIO24"}, {scale = 0}) end, "scale must not be 0")
-- At 10 conversions a second each read waits for its own: the bits of the
-- one before leave a falling edge on data, which periph's driver took for a
-- conversion ready and shifted out -1 every other read (google/periph#439).
sim.device("GPIO23", nil, {rate = 10, load = 1})
for _ = 1, 3 do assert.eq(cell:read().counts, 8000 + 42000) end
assert.eq(sim.device("GPIO23").rate, 10)
cell:close()
