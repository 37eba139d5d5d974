-- bme280.lua: temperature, pressure and humidity from a BME280 at 0x76,
-- driven from Lua with i2c, struct and bit (no Go driver), following the
-- datasheet (BST-BME280-DS002, sections 4.2.3 and 8.1).
local bus = i2c.open("I2C1")
local ADDR = 0x76

assert(bus:readreg(ADDR, 0xD0, 1):byte() == 0x60, "no BME280 at 0x76")

-- Calibration: 0x88..0xA1 and 0xE1..0xE7.
local T1, T2, T3, P1, P2, P3, P4, P5, P6, P7, P8, P9 =
  struct.unpack("<I2i2i2I2i2i2i2i2i2i2i2i2", bus:readreg(ADDR, 0x88, 24))
local H1 = bus:readreg(ADDR, 0xA1, 1):byte()
local h = bus:readreg(ADDR, 0xE1, 7)
local H2, H3 = struct.unpack("<i2B", h)
local e4, e5, e6 = h:byte(4, 6)
local function signed12(v) return v >= 2048 and v - 4096 or v end
local H4 = signed12(bit.bor(bit.lshift(e4, 4), bit.band(e5, 0x0F)))
local H5 = signed12(bit.bor(bit.lshift(e6, 4), bit.rshift(e5, 4)))
local H6 = struct.unpack("<b", h, 7)

-- Humidity x1, temperature x1, pressure x1, forced mode: one measurement.
bus:writereg(ADDR, 0xF2, 0x01)
bus:writereg(ADDR, 0xF4, bit.bor(bit.lshift(1, 5), bit.lshift(1, 2), 0x01))
repeat time.sleep_ms(2) until bit.band(bus:readreg(ADDR, 0xF3, 1):byte(), 0x08) == 0

local d = {bus:readreg(ADDR, 0xF7, 8):byte(1, 8)}
local adcP = bit.bor(bit.lshift(d[1], 12), bit.lshift(d[2], 4), bit.rshift(d[3], 4))
local adcT = bit.bor(bit.lshift(d[4], 12), bit.lshift(d[5], 4), bit.rshift(d[6], 4))
local adcH = bit.bor(bit.lshift(d[7], 8), d[8])

-- Compensation in floating point (datasheet 8.1).
local v1 = (adcT / 16384 - T1 / 1024) * T2
local v2 = (adcT / 131072 - T1 / 8192) ^ 2 * T3
local tFine = v1 + v2
local temperature = tFine / 5120

local pressure
v1 = tFine / 2 - 64000
v2 = v1 * v1 * P6 / 32768 + v1 * P5 * 2
v2 = v2 / 4 + P4 * 65536
v1 = (P3 * v1 * v1 / 524288 + P2 * v1) / 524288
v1 = (1 + v1 / 32768) * P1
if v1 ~= 0 then
  local p = 1048576 - adcP
  p = (p - v2 / 4096) * 6250 / v1
  v1 = P9 * p * p / 2147483648
  v2 = p * P8 / 32768
  pressure = p + (v1 + v2 + P7) / 16
end

local hum = tFine - 76800
hum = (adcH - (H4 * 64 + H5 / 16384 * hum)) *
      (H2 / 65536 * (1 + H6 / 67108864 * hum * (1 + H3 / 67108864 * hum)))
hum = hum * (1 - H1 * hum / 524288)
hum = math.min(100, math.max(0, hum))

print(string.format("temperature %.2f C", temperature))
print(string.format("pressure %.2f hPa", pressure / 100))
print(string.format("humidity %.1f %%", hum))
bus:close()
