-- sim.env and sim.screen check their options as the devices module does:
-- a wrong type or an address that is none is an error naming the option
-- and the argument, not a silent default.

-- addr: an integer 0x03..0x77, as sim.device takes (it was converted
-- unchecked: 0x76 + 65536 set 0x76, 118.5 was 118, nan "no device").
assert.fails(function() sim.env{temperature = 30, addr = 0x76 + 65536} end,
  "bad argument #1 to 'env' (addr 0x10076 is not an I2C address (0x03..0x77))")
assert.fails(function() sim.env{temperature = 30, addr = 118.5} end, "addr 118.5 is not an I2C address (0x03..0x77)")
assert.fails(function() sim.env{temperature = 30, addr = 0/0} end, "addr nan is not an I2C address (0x03..0x77)")
assert.fails(function() sim.env{temperature = 30, addr = -1} end, "addr -1 is not an I2C address (0x03..0x77)")
-- A wrongly typed addr or bus was dropped, so that every sensor was set.
sim.env{temperature = 20}
assert.fails(function() sim.env{temperature = 32, addr = "0x76"} end, "bad argument #1 to 'env' (addr must be a number, got string)")
assert.fails(function() sim.env{temperature = 32, bus = 1} end, "bad argument #1 to 'env' (bus must be a string such as \"I2C1\", got number)")
assert.eq(sim.device("I2C1", 0x18).temperature, 20, "a refused call sets nothing")
assert.fails(function() sim.env{temperature = "hot"} end, "bad argument #1 to 'env' (temperature must be a number, got string)")
-- What is right still works.
sim.env{temperature = 30, addr = 0x76}
assert.eq(sim.device("I2C1", 0x76).temperature, 30)
assert.eq(sim.device("I2C1", 0x18).temperature, 20)
sim.env{temperature = 25, bus = "I2C1"}
assert.eq(sim.device("I2C1", 0x18).temperature, 25)

-- sim.screen's options are argument #3 (they were called #1).
assert.fails(function() sim.screen("I2C1", 0x3c, {scale = "x"}) end, "bad argument #3 to 'screen' (scale must be a number, got string)")
assert.fails(function() sim.screen("I2C1", 0x3c, {scale = 0}) end, "bad argument #3 to 'screen' (scale must be an integer in 1..16)")
assert.fails(function() sim.screen("I2C1", 0x3c, {png = 1}) end, "bad argument #3 to 'screen' (png must be a string (a file name), got number)")
