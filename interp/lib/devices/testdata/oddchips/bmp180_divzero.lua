-- A part that answers as a BMP180 (chip id 0x55) with calibration that
-- passes periph's checks (no 0 or 0xFFFF word) but makes its
-- compensateTemp divide by zero (x1 + MD == 0). periph's driver panics;
-- the read is a Lua error that names the device and says the chip's data
-- looks wrong, pcall catches it, and the runtime lives on. bme280 reads on
-- a goroutine of its own (a slow kind), where the panic killed the process.
local bus = i2c.open("I2C1")
bus:writereg(0x77, 0xD0, 0x55)                       -- chip id: BMP180
-- calibration at 0xAA, big-endian: AC1 AC2 AC3 AC4 AC5 AC6 B1 B2 MB MC MD
bus:writereg(0x77, 0xAA, struct.pack(">hhhHHHhhhhh", 1, 1, 1, 1, 0x8000, 100, 1, 1, 1, 1, 1))
bus:writereg(0x77, 0xF6, struct.pack(">H", 99))      -- raw temperature: AC6 - 1
local bmp = devices.bme280(bus, {addr = 0x77})
local err = assert.fails(function() bmp:read() end,
  "bme280(0x77 on I2C1) read: the driver failed: integer divide by zero; the chip's data looks wrong: is the part at 0x77 on I2C1 the BME280/BMP280/BMP180 it was opened as?")
assert.truthy(err:find("^[^:]*bmp180_divzero.lua:%d+: "), "the error carries file:line: " .. err)
-- The handle and the bus are still usable: the next read fails the same way,
-- and closing works.
assert.fails(function() bmp:read() end, "integer divide by zero")
bmp:close()
assert.eq(tostring(bmp), "bme280(0x77 on I2C1, closed)")
bus:writereg(0x76, 0, 1) -- the bus still works
