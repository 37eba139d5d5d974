-- i2c_scan.lua: list the devices that answer on each I2C bus.
for _, name in ipairs(board.i2c()) do
  local bus = i2c.open(name)
  local found = {}
  for _, addr in ipairs(bus:scan()) do found[#found + 1] = string.format("0x%02x", addr) end
  print(name .. ": " .. (#found > 0 and table.concat(found, " ") or "no devices"))
  bus:close()
end
