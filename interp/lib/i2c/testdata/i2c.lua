local bus = i2c.open("I2C1")
assert.eq(bus:scan(), {0x18, 0x20, 0x23, 0x38, 0x3c, 0x40, 0x41, 0x48, 0x49, 0x50, 0x70, 0x76, 0x77})
-- The list prints in hex, as datasheets write addresses.
assert.eq(tostring(bus:scan()), "{0x18, 0x20, 0x23, 0x38, 0x3c, 0x40, 0x41, 0x48, 0x49, 0x50, 0x70, 0x76, 0x77}")
assert.eq(bus:readreg(0x76, 0xD0, 1), "\96")

-- generic register file at 0x20: writes and reads with auto-increment
bus:writereg(0x20, 0x10, {1, 2, 3})
assert.eq(bus:readreg(0x20, 0x10, 3), "\1\2\3")
bus:writereg(0x20, 0x05, "\255")
assert.eq(bus:tx(0x20, {0x05}, 1), "\255")
bus:write(0x20, {0x10})
assert.eq(bus:read(0x20, 2), "\1\2")

-- EEPROM: 2-byte addressing
bus:write(0x50, "\0\16hello")
time.sleep_ms(5) -- write cycle
assert.eq(bus:tx(0x50, "\0\16", 5), "hello")

-- NACK and bad input
assert.fails(function() bus:readreg(0x75, 0xD0, 1) end, "i2c: no device at 0x75 on I2C1")
assert.fails(function() bus:read(0x80, 1) end, "I2C address 0x80 is not 7-bit")
assert.fails(function() bus:write(0x76, ("x"):rep(65537)) end, "65537 bytes, more than one transfer takes (65536)")
assert.fails(function() bus:readreg(0x20, 256, 1) end, "register 0x100 is not a byte")
assert.fails(function() bus:write(0x20, {1, 300}) end, "element 2: 300 is not a byte")
assert.fails(function() bus:write(0x20, {1, 0/0}) end, "element 2: nan is not a byte (0..255)")
assert.fails(function() bus:write(0x20, true) end, "expected a string, a byte or a table of bytes, got boolean")
-- A key outside the list is refused, not left out ({x = 1} wrote no byte).
assert.fails(function() bus:write(0x20, {x = 1}) end, 'the table has key "x" outside its list of 0 bytes; give the bytes as a list')
assert.fails(function() bus:write(0x20, {1, 2, [10] = 4}) end, "the table has key 10 outside its list of 2 bytes")
bus:write(0x20, {}) -- no bytes: a probe
-- Bytes given as more arguments are refused, not left out
-- (bus:writereg(0x20, 0xF4, 0x27, 0x28) wrote 0x27 alone).
assert.fails(function() bus:writereg(0x20, 0xF4, 0x27, 0x28) end, "bad argument #4 to 'writereg' (the data is one argument; give several bytes as one table, {0x27, 0x28}, or one string)")
assert.fails(function() bus:write(0x20, 1, 2, 3) end, "bad argument #3 to 'write' (the data is one argument; give several bytes as one table, {0x01, 0x02, 0x03}, or one string)")
assert.fails(function() bus:write(0x20, 1, "x") end, "give several bytes as one table, {0x01, 0x02}, or one string")
bus:write(0x20, "\1", nil)
assert.fails(function() bus:read(0x20, -1) end, "byte count -1 is not an integer in 0..65536")
-- Numbers that are not whole, or do not fit, are refused as given.
assert.fails(function() bus:read(32.5, 1) end, "I2C address 32.5 is not 7-bit (0x00..0x7f)")
assert.fails(function() bus:read(1e300, 1) end, "I2C address 1e+300 is not 7-bit")
assert.fails(function() bus:read(-1, 1) end, "I2C address -1 is not 7-bit")
assert.fails(function() bus:read(0/0, 1) end, "I2C address nan is not 7-bit")
assert.fails(function() bus:read(0x20, 1.5) end, "byte count 1.5 is not an integer in 0..65536")
assert.fails(function() bus:readreg(0x20, 0.5, 1) end, "register 0.5 is not a byte (0x00..0xff)")
assert.fails(function() bus:writereg(0x20, 2^40, 1) end, "register 1099511627776 is not a byte")
assert.fails(function() sim.device("I2C1", 64.5) end, "I2C address 64.5 is outside 0x03..0x77")
assert.fails(function() i2c.open("I2C3") end, "no I2C bus I2C3 on sim; buses here: I2C1")

-- A list that holds itself shows the cycle as a plain table does.
local loop = bus:scan()
loop[#loop + 1] = loop
assert.eq(repr(loop), "{0x18, 0x20, 0x23, 0x38, 0x3c, 0x40, 0x41, 0x48, 0x49, 0x50, 0x70, 0x76, 0x77, <cycle>}")
assert.eq(tostring(loop), "{0x18, 0x20, 0x23, 0x38, 0x3c, 0x40, 0x41, 0x48, 0x49, 0x50, 0x70, 0x76, 0x77, <cycle>}")
local plain = {1}
plain[2] = plain
assert.eq(repr(plain), "{1, <cycle>}")

assert.eq(tostring(bus), "i2c(I2C1)")
bus:close()
assert.eq(tostring(bus), "i2c(I2C1, closed)")
assert.fails(function() sim.env{temp = 20} end, "unknown option temp (did you mean temperature?); options are addr, bus, humidity, pressure, temperature")
assert.fails(function() bus:scan() end, "i2c: bus I2C1 is closed")
