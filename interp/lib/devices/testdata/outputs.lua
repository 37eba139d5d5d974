-- OLED: drawing goes to the handle's buffer; show() sends it through
-- periph's ssd1306 to the simulated controller, whose GDDRAM sim.screen draws.
local bus = i2c.open("I2C1")
local oled = devices.ssd1306(bus)
oled:clear()
oled:rect(0, 0, 128, 64)
oled:text(4, 4, "Hi")
oled:line(0, 63, 127, 0)
oled:pixel(100, 50)
oled:show()
local art = sim.screen("I2C1", 0x3c)
local lines = {}
for l in art:gmatch("[^\n]+") do lines[#lines + 1] = l end
assert.eq(#lines, 34, "a frame around 32 lines of two pixel rows")
assert.eq(lines[2]:sub(1, 3 + 3 * 20), "│█" .. string.rep("▀", 19), "the top edge and the left corner")
assert.eq(lines[33]:sub(1, 3 + 3 * 1), "│█", "the bottom left corner")
assert.truthy(lines[4]:find("│█   ██   ██    ▀▀", 1, true), "the H of Hi at x = 4, y = 4")
local st = sim.device("I2C1", 0x3c)
assert.eq(st.on, true)
assert.eq(st.height, 64)
oled:invert(true)
assert.eq(sim.device("I2C1", 0x3c).inverted, true)
oled:contrast(10)
assert.eq(sim.device("I2C1", 0x3c).contrast, 10)
assert.fails(function() oled:contrast(256) end, "contrast 256 is not an integer in 0..255")
sim.screen("I2C1", 0x3c, {png = "screen.png", scale = 2})
assert.truthy(fs.stat("screen.png").size > 100, "the PNG was written")
fs.remove("screen.png")
assert.fails(function() sim.screen("I2C1", 0x3c, {png = "/etc/x.png"}) end, "sim.screen")
assert.fails(function() sim.screen("I2C1", 0x48) end, "the device at 0x48 on I2C1 is not a display")
oled:close()
assert.eq(sim.device("I2C1", 0x3c).on, false, "closing halts the display")

-- Servo board: 50 Hz, 0..180° over 500..2500 µs.
local pwm = devices.pca9685(bus)
pwm:servo(0, 90)
pwm:pulse(1, 1000)
pwm:duty(2, 0.25)
pwm:duty(3, 1)
local s = sim.device("I2C1", 0x40)
assert.near(s.freq, 50, 0.5)
assert.near(s.pulse_us[1], 1500, 15)
assert.near(s.pulse_us[2], 1000, 15)
assert.near(s.duty[3], 0.25, 0.001)
assert.eq(s.duty[4], 1)
pwm:off(0)
assert.eq(sim.device("I2C1", 0x40).duty[1], 0)
assert.fails(function() pwm:servo(16, 0) end, "channel 16 is not an integer in 0..15")
assert.fails(function() pwm:servo(0, 200) end, "angle 200 is outside 0..180 degrees (the range option)")
assert.fails(function() pwm:servo(0, 0/0) end, "angle nan is outside 0..180 degrees")
assert.fails(function() pwm:servo(0.5, 0) end, "channel 0.5 is not an integer in 0..15")
pwm:close()
assert.eq(sim.device("I2C1", 0x40).duty[3], 0, "closing turns the outputs off")

-- 14-segment display.
local seg = devices.ht16k33(bus)
seg:text("12")
local rows = sim.device("I2C1", 0x70).rows
assert.eq({rows[1], rows[2], rows[3], rows[4]}, {0, 0, 0x6, 0xdb}, "right-aligned 1 and 2")
-- Up to 4 characters, right-aligned; "." lights the point of the character
-- before it, or of a blank of its own where there is none.
local DOT = 0x4000
local function shown(text)
  seg:text(text)
  local r = sim.device("I2C1", 0x70).rows
  return {r[1], r[2], r[3], r[4]}
end
assert.eq(shown("1."), {0, 0, 0, 0x6 + DOT}, "1.")
assert.eq(shown("."), {0, 0, 0, DOT}, "a point alone")
assert.eq(shown(".234"), {DOT, 0xdb, 0x8f, 0xe6}, "a leading point on a blank of its own")
assert.eq(shown("2.5"), {0, 0, 0xdb + DOT, 0x2069}, "2.5")
assert.eq(shown("12.5"), {0, 0x6, 0xdb + DOT, 0x2069}, "12.5 right-aligned")
assert.eq(shown("1.2.3.4."), {0x6 + DOT, 0xdb + DOT, 0x8f + DOT, 0xe6 + DOT}, "four points")
assert.eq(shown("1..2"), {0, 0x6 + DOT, DOT, 0xdb}, "a second point on a blank")
assert.eq(shown(""), {0, 0, 0, 0}, "nothing")
assert.fails(function() seg:text("12345") end, '"12345" is 5 characters; the display has 4')
assert.fails(function() seg:text("abcdefgh") end, '"abcdefgh" is 8 characters; the display has 4')
assert.fails(function() seg:text(".1234") end, '".1234" is 5 characters; the display has 4')
assert.fails(function() seg:text(("8."):rep(1e6)) end, '"... (2000000 bytes) is 1000000 characters; the display has 4')
assert.fails(function() seg:text("1\n") end, "'\\n' cannot be shown: the display shows printable ASCII, space to ~")
assert.fails(function() seg:text("°C") end, "cannot be shown: the display shows printable ASCII, space to ~")
assert.eq(shown("12.5"), {0, 0x6, 0xdb + DOT, 0x2069}, "a refused text leaves the display as it was")
seg:brightness(3)
seg:blink(2)
local h = sim.device("I2C1", 0x70)
assert.eq({h.brightness, h.blink, h.on}, {3, 1, true})
assert.fails(function() seg:blink(3) end, "blink rate 3 is not one of 0, 0.5, 1, 2 (Hz)")
seg:close()

-- LED strip over SPI.
local strip = devices.ws2812("SPI1.0", {leds = 3})
assert.eq(strip:count(), 3)
strip:set(1, 255, 0, 0)
strip:set(2, 0x00FF80)
strip:show()
assert.eq(sim.device("SPI1.0").leds, {0xFF0000, 0x00FF80, 0})
strip:fill(1, 2, 3)
strip:show()
assert.eq(sim.device("SPI1.0").leds, {0x010203, 0x010203, 0x010203})
assert.fails(function() strip:set(4, 0) end, "LED 4 is not an integer in 1..3")
assert.fails(function() devices.ws2812(1) end, 'expected an SPI port name such as "SPI0.0"; ports here: SPI0.0, SPI0.1, SPI1.0')
strip:close()
assert.eq(sim.device("SPI1.0").leds, {0, 0, 0}, "closing darkens the strip")
assert.fails(function() sim.device("SPI0.1") end, "no simulated device on SPI0.1; it has none")
assert.fails(function() sim.device("I2C1", 0x21) end, "no simulated device at 0x21 on I2C1; it has mcp9808 at 0x18")

-- a choice among numbers names them as Lua writes them
assert.fails(function() devices.hd44780(bus, {cols = 17}) end, "cols 17 is not one of 16, 20")
assert.fails(function() devices.hd44780(bus, {rows = 2^70}) end, "rows 1.1805916207174e+21 is not one of 1, 2, 4")

-- Closing a device after the script closed its bus does not raise, for
-- every kind (closing is idempotent, as a file's close; there is nothing
-- left to halt through): the ssd1306 and pca9685 raised "I2C1: closed"
-- from their halts, the bme280 did not.
for _, open in ipairs{
  function(b) return devices.ssd1306(b) end,
  function(b) return devices.pca9685(b) end,
  function(b) return devices.bme280(b) end,
  function(b) return devices.ht16k33(b) end,
  function(b) return devices.ina219(b, {addr = 0x41}) end,
} do
  local b = i2c.open("I2C1")
  local d = open(b)
  b:close()
  d:close()
  assert.truthy(tostring(d):find("closed", 1, true), tostring(d))
  d:close()
end
