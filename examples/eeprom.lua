-- eeprom.lua: store and read back a record on an AT24C32 EEPROM at 0x50.
-- The chip takes a 2-byte memory address and writes up to 32 bytes per page.
local bus = i2c.open("I2C1")
local EEPROM = 0x50

local function write(addr, data)
  for off = 0, #data - 1, 32 do
    local a = addr + off
    local chunk = data:sub(off + 1, off + 32)
    bus:write(EEPROM, struct.pack(">I2", a) .. chunk)
    time.sleep_ms(5) -- the write cycle takes up to 5 ms
  end
end

local function read(addr, n)
  return bus:tx(EEPROM, struct.pack(">I2", addr), n)
end

local record = json.encode({boots = 7, name = "greenhouse"})
write(0x0100, struct.pack(">s1", record))
local stored = struct.unpack(">s1", read(0x0100, #record + 1))
print("stored: " .. stored)
print("boots: " .. json.decode(stored).boots)
bus:close()
