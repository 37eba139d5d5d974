-- SCD4x through periph's scd4x (commands with CRC-8), against the
-- simulated sensor.
local co2 = devices.scd4x("I2C1")
assert.eq(sim.device("I2C1", 0x62).measuring, true, "periodic measurement started")
assert.eq(co2:read(), {co2 = 600, temperature = 21, humidity = 45})
sim.device("I2C1", 0x62, {co2 = 1250, temperature = 24.5, humidity = 61.2})
local r = co2:read()
assert.eq(r.co2, 1250)
assert.near(r.temperature, 24.5, 0.01)
assert.near(r.humidity, 61.2, 0.05)
sim.env{temperature = 19, addr = 0x62}
assert.near(co2:read().temperature, 19, 0.01, "sim.env reaches it")
assert.fails(function() sim.device("I2C1", 0x62, {co2 = 50000}) end, "scd4x: co2 50000 is outside 0..40000 ppm")
assert.fails(function() devices.scd4x("I2C1", {addr = 0x61}) end, "addr 97 is not a SCD4x address; it can be 0x62")
assert.fails(function() devices.scd4x("I2C1", {interval = 5}) end, "unknown option interval")
co2:close()
assert.eq(sim.device("I2C1", 0x62).measuring, false, "closing stops the measurement")
