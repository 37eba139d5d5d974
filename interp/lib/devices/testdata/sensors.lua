-- Environment: the BME280 at 0x76 and the BMP280 at 0x77 through periph's bmxx80.
local bus = i2c.open("I2C1")
local bme = devices.bme280(bus)
sim.env{temperature = 23.4, pressure = 987.65, humidity = 55.5}
local r = bme:read()
assert.near(r.temperature, 23.4, 0.01)
assert.near(r.pressure, 987.65, 0.01)
assert.near(r.humidity, 55.5, 0.1)
assert.eq(tostring(bme), "bme280(0x76 on I2C1)")

local bmp = devices.bme280("I2C1", {addr = 0x77, filter = 4, standby_ms = 1})
r = bmp:read()
assert.near(r.temperature, 23.4, 0.01)
assert.eq(r.humidity, nil, "a BMP280 has no humidity")
assert.eq(tostring(bmp), "bme280(0x77 on I2C1)")
bmp:close()
assert.eq(tostring(bmp), "bme280(0x77 on I2C1, closed)")
assert.fails(function() bmp:read() end, "bme280(0x77 on I2C1, closed) is closed")
bmp:close() -- closing again does nothing
-- The driver's error, once: the bus closed under the sensor.
local b2 = i2c.open("I2C1")
local bme2 = devices.bme280(b2)
b2:close()
local ok, err = pcall(bme2.read, bme2)
assert.eq(ok, false)
assert.truthy(err:find("bme280(0x76 on I2C1) read: I2C1", 1, true) and not err:find("bme280: bme280"), err)

-- Option and argument errors say what exists.
assert.fails(function() devices.bme280(bus, {adr = 0x76}) end, "unknown option adr (did you mean addr?); options are addr, filter, standby_ms")
assert.fails(function() devices.bme280(bus, {addr = 0x50}) end, "addr 80 is not a BME280/BMP280/BMP180 address; it can be 0x76 or 0x77")
-- A negative addr is no address either (-1 was taken for "absent").
assert.fails(function() devices.bme280(bus, {addr = -1}) end, "bad argument #2 to 'bme280' (addr -1 is not a BME280/BMP280/BMP180 address; it can be 0x76 or 0x77)")
assert.fails(function() devices.bme280(bus, {addr = -1/0}) end, "addr -inf is not a BME280/BMP280/BMP180 address")
assert.fails(function() devices.bme280(bus, {addr = 0x76 + 65536}) end, "addr 65654 is not a BME280/BMP280/BMP180 address")
assert.fails(function() devices.bme280(bus, {addr = 0x76 + 0.5}) end, "addr 118.5 is not a BME280/BMP280/BMP180 address")
assert.fails(function() devices.bme280(bus, {addr = 0/0}) end, "addr must be a number, got nan")
assert.fails(function() devices.bme280(bus, {addr = "0x76"}) end, "addr must be a number, got string")
assert.fails(function() devices.bme280(bus, {filter = 3}) end, "filter 3 is not one of 0, 2, 4, 8, 16")
assert.fails(function() devices.bme280("I2C9") end, "no I2C bus I2C9 on sim; buses here: I2C1")
assert.fails(function() devices.bme280(42) end, "expected an I2C bus (i2c.open(\"I2C1\")) or its name; buses here: I2C1")
assert.fails(function() bme.read(bus) end, "devices.bme280 expected")

-- MCP9808, TMP102 and AHT20 measure what sim.env sets on the bus.
sim.env{temperature = -5.25, humidity = 80}
assert.eq(devices.mcp9808(bus):read(), {temperature = -5.25})
assert.eq(devices.tmp102(bus, {addr = 0x49}):read(), {temperature = -5.25})
local aht = devices.aht20(bus):read()
assert.near(aht.temperature, -5.25, 0.01)
assert.near(aht.humidity, 80, 0.1)
assert.near(bme:read().temperature, -5.25, 0.01)

-- Light.
local light = devices.bh1750(bus)
sim.device("I2C1", 0x23, {lux = 800})
assert.near(light:read().lux, 800, 1)
assert.near(devices.bh1750(bus, {resolution = "low"}):read().lux, 800, 1)
assert.fails(function() devices.bh1750(bus, {resolution = "max"}) end, 'resolution "max" is not one of high, low')
assert.fails(function() devices.bh1750(bus, {resolution = ("r"):rep(1e5)}) end, 'resolution "' .. ("r"):rep(40) .. '"... (100000 bytes) is not one of high, low')
assert.fails(function() devices.bh1750(bus, {[("o"):rep(1e5)] = 1}) end, 'unknown option "' .. ("o"):rep(40) .. '"... (100000 bytes); options are')
assert.fails(function() sim.device("I2C1", 0x23, {[("q"):rep(1e5)] = 1}) end, 'sim: bh1750: measures no "' .. ("q"):rep(40) .. '"... (100000 bytes); it takes lux')
assert.fails(function() sim.device("I2C1", 0x23, {lx = 1}) end, "bh1750: measures no lx; it takes lux (0..65535 lx)")

-- ADC: single-ended and differential, with the gain max_voltage picks.
local adc = devices.ads1115(bus)
sim.device("I2C1", 0x48, {a0 = 1.65, a1 = 0.5, a3 = 3.3})
assert.fails(function() sim.device("I2C1", 0x48, {a0 = 0/0}) end, "sim: ads1115: a0 nan is outside -0.3..5.5 V")
assert.fails(function() sim.device("I2C1", 0x48, {a0 = 2^70}) end, "a0 1.1805916207174e+21 is outside -0.3..5.5 V")
local v = adc:read(0)
assert.near(v.voltage, 1.65, 0.001)
assert.eq(v.raw, 13200) -- 1.65 V of ±4.096 V in 16 bits
assert.near(adc:read("0-1").voltage, 1.15, 0.001)
assert.near(adc:read(3).voltage, 3.3, 0.001)
assert.near(devices.ads1115(bus, {max_voltage = 2.048}):read(0).voltage, 1.65, 0.0001)
assert.fails(function() adc:read(4) end, 'no channel 4; channels are 0..3 (against ground) or "0-1"')
assert.fails(function() devices.ads1115(bus, {max_voltage = 10}) end, "max_voltage 10 is outside 0.001..6.144 V")
assert.fails(function() devices.ads1115(bus, {max_voltage = 2^70}) end, "max_voltage 1.1805916207174e+21 is outside 0.001..6.144 V")

-- Power: 5 V at 250 mA across the 0.1 Ω shunt.
local ina = devices.ina219(bus, {addr = 0x41})
sim.device("I2C1", 0x41, {voltage = 5, current = 0.25})
local p = ina:read()
assert.near(p.voltage, 5, 0.004)
assert.near(p.current, 0.25, 0.001)
assert.near(p.power, 1.25, 0.01)
assert.near(p.shunt, 0.025, 0.00001)

-- A device that is not there names the bus and says how to look.
assert.fails(function() devices.ina219(bus, {addr = 0x44}) end,
	"no INA219 answers at 0x44 on I2C1; check the wiring and the addr option (bus:scan() lists the addresses that answer)")
