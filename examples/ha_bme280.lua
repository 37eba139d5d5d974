-- ha_bme280.lua: a greenhouse node for Home Assistant. Every 10 s it reads a
-- BME280 (I2C1, 0x76) and publishes temperature, humidity and pressure; a
-- switch in Home Assistant drives a relay on GPIO17. MQTT discovery makes the
-- device and its four entities appear in Home Assistant by themselves
-- (Settings > Devices & services > MQTT > "Greenhouse"); it shows as
-- unavailable when this node loses power or its network.
-- The broker comes from MQTT_URL, e.g. tcp://user:password@homeassistant.local:1883,
-- or edit the line below.
local BROKER = os.getenv("MQTT_URL") or "tcp://homeassistant.local:1883"

local relay = gpio.pin("GPIO17", gpio.OUT)
local bus = i2c.open("I2C1")
local ADDR = 0x76
assert(bus:readreg(ADDR, 0xD0, 1):byte() == 0x60, "no BME280 at 0x76")

-- Calibration (datasheet BST-BME280-DS002, 4.2.2), read once.
local T1, T2, T3, P1, P2, P3, P4, P5, P6, P7, P8, P9 =
  struct.unpack("<I2i2i2I2i2i2i2i2i2i2i2i2", bus:readreg(ADDR, 0x88, 24))
local H1 = bus:readreg(ADDR, 0xA1, 1):byte()
local hc = bus:readreg(ADDR, 0xE1, 7)
local H2, H3 = struct.unpack("<i2B", hc)
local e4, e5, e6 = hc:byte(4, 6)
local function signed12(v) return v >= 2048 and v - 4096 or v end
local H4 = signed12(bit.bor(bit.lshift(e4, 4), bit.band(e5, 0x0F)))
local H5 = signed12(bit.bor(bit.lshift(e6, 4), bit.rshift(e5, 4)))
local H6 = struct.unpack("<b", hc, 7)

-- read returns °C, %RH and hPa from one forced-mode measurement, compensated
-- in floating point (datasheet 8.1).
local function read()
  bus:writereg(ADDR, 0xF2, 0x01)
  bus:writereg(ADDR, 0xF4, bit.bor(bit.lshift(1, 5), bit.lshift(1, 2), 0x01))
  repeat time.sleep_ms(2) until bit.band(bus:readreg(ADDR, 0xF3, 1):byte(), 0x08) == 0
  local d = {bus:readreg(ADDR, 0xF7, 8):byte(1, 8)}
  local adcP = bit.bor(bit.lshift(d[1], 12), bit.lshift(d[2], 4), bit.rshift(d[3], 4))
  local adcT = bit.bor(bit.lshift(d[4], 12), bit.lshift(d[5], 4), bit.rshift(d[6], 4))
  local adcH = bit.bor(bit.lshift(d[7], 8), d[8])

  local tFine = (adcT / 16384 - T1 / 1024) * T2 + (adcT / 131072 - T1 / 8192) ^ 2 * T3

  local v1 = tFine / 2 - 64000
  local v2 = v1 * v1 * P6 / 32768 + v1 * P5 * 2
  v2 = v2 / 4 + P4 * 65536
  v1 = (1 + (P3 * v1 * v1 / 524288 + P2 * v1) / 524288 / 32768) * P1
  local p = 1048576 - adcP
  p = (p - v2 / 4096) * 6250 / v1
  p = p + (P9 * p * p / 2147483648 + p * P8 / 32768 + P7) / 16

  local h = tFine - 76800
  h = (adcH - (H4 * 64 + H5 / 16384 * h)) *
      (H2 / 65536 * (1 + H6 / 67108864 * h * (1 + H3 / 67108864 * h)))
  h = math.min(100, math.max(0, h * (1 - H1 * h / 524288)))
  return tFine / 5120, h, p / 100
end

local dev = ha.device{name = "Greenhouse", id = "greenhouse", url = BROKER}
local temperature = dev:sensor{name = "Temperature", unit = "°C", device_class = "temperature"}
local humidity = dev:sensor{name = "Humidity", unit = "%", device_class = "humidity"}
local pressure = dev:sensor{name = "Pressure", unit = "hPa", device_class = "atmospheric_pressure"}
local fan = dev:switch{name = "Relay", icon = "mdi:fan", on_command = function(on)
  relay:write(on and 1 or 0)
  print("relay " .. (on and "on" or "off"))
end}
fan:set(false)

local function report()
  local t, h, p = read()
  temperature:set(string.format("%.2f", t))
  humidity:set(string.format("%.1f", h))
  pressure:set(string.format("%.2f", p))
  print(string.format("temperature %.2f C, humidity %.1f %%, pressure %.2f hPa", t, h, p))
end

report()
timer.every(10000, report)
