-- mcp3008.lua: read the 8 channels of an MCP3008 10-bit ADC on SPI0.0.
local adc = spi.open("SPI0.0", {hz = 1e6, mode = 0})
local VREF = 3.3

if sim then
  for ch = 0, 7 do sim.adc(ch, ch * 0.4) end -- something to measure
end

-- Start bit, then single-ended mode and the channel in the high nibble;
-- the 10-bit result comes back in the low bits of bytes 2 and 3.
local function read(ch)
  local r = adc:transfer({0x01, bit.lshift(0x08 + ch, 4), 0x00})
  return bit.band(r:byte(2), 0x03) * 256 + r:byte(3)
end

for ch = 0, 7 do
  local raw = read(ch)
  print(string.format("ch%d: %4d  %.2f V", ch, raw, raw * VREF / 1023))
end
adc:close()
