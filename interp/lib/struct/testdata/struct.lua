local function hex(s)
  return (s:gsub(".", function(c) return string.format("%02X", c:byte()) end))
end

-- Integers: sizes, endianness, signedness.
assert.eq(hex(struct.pack("<I2", 0x1234)), "3412")
assert.eq(hex(struct.pack(">I2", 0x1234)), "1234")
assert.eq(hex(struct.pack("=I2", 0x1234)), "3412", "native is little-endian on every supported board")
assert.eq(hex(struct.pack("<i2", -2)), "FEFF")
assert.eq(hex(struct.pack(">b B h H", -1, 255, -32768, 65535)), "FFFF8000FFFF")
assert.eq(hex(struct.pack(">i3", -8388608)), "800000")
assert.eq(hex(struct.pack(">I3", 0xABCDEF)), "ABCDEF")
assert.eq(hex(struct.pack("<i", 1)), "01000000", "i defaults to 4 bytes")
assert.eq(hex(struct.pack(">l", -1)), "FFFFFFFFFFFFFFFF")
assert.eq(hex(struct.pack(">L", 2^53)), "0020000000000000")
assert.eq(hex(struct.pack(">J", 2^63)), "8000000000000000")
assert.eq(hex(struct.pack(">j", -2^63)), "8000000000000000")
assert.eq(hex(struct.pack("<I8", 0x1F020304050607)), "0706050403021F00")
assert.eq(hex(struct.pack("<I1", "7")), "07", "numeric strings convert like Lua")
assert.eq(struct.pack(""), "")

assert.eq({struct.unpack("<I2", "\52\18")}, {0x1234, 3})
assert.eq({struct.unpack(">I2", "\18\52")}, {0x1234, 3})
assert.eq({struct.unpack("<i2", "\254\255")}, {-2, 3})
assert.eq({struct.unpack(">b B h H", "\255\255\128\0\255\255")}, {-1, 255, -32768, 65535, 7})
assert.eq({struct.unpack(">i3 I3", "\128\0\0\255\255\255")}, {-8388608, 16777215, 7})
assert.eq({struct.unpack(">j", "\255\255\255\255\255\255\255\254")}, {-2, 9})
assert.eq({struct.unpack(">J", "\128\0\0\0\0\0\0\0")}, {2^63, 9})
assert.eq({struct.unpack(">i8", "\127\255\255\255\255\255\255\255")}, {2^63, 9}, "beyond 2^53 values round")
assert.eq({struct.unpack(">i5", "\255\255\255\255\255")}, {-1, 6})

-- Round trips at the edges of every integer size.
for n = 1, 8 do
  local top = 2^(8 * n - 1)
  local values = {0, 1, -1, -top, top - 1}
  for _, v in ipairs(values) do
    if n < 7 or v ~= top - 1 then -- top - 1 is not a float64 beyond 2^53
      for _, e in ipairs({"<", ">"}) do
        local f = e .. "i" .. n
        assert.eq(struct.unpack(f, struct.pack(f, v)), v, f .. " " .. v)
      end
    end
  end
  local umax = 2^(8 * n) - 1
  if n < 7 then
    assert.eq(struct.unpack("<I" .. n, struct.pack("<I" .. n, umax)), umax)
  end
  assert.eq(struct.size("i" .. n), n)
end

-- Floats.
assert.eq(hex(struct.pack(">f", 1.5)), "3FC00000")
assert.eq(hex(struct.pack("<d", -2)), "00000000000000C0")
assert.eq(struct.unpack("<d", struct.pack("<d", 0.1)), 0.1)
assert.near(struct.unpack(">f", struct.pack(">f", 0.1)), 0.1, 1e-7)
assert.eq(struct.unpack("<f", struct.pack("<f", 1e39)), 1/0, "too big for float32 is inf")
local nan = struct.unpack("<d", struct.pack("<d", 0/0))
assert.truthy(nan ~= nan)
assert.eq(struct.unpack(">f", "\255\128\0\0"), -1/0)

-- Strings.
assert.eq(struct.pack(">s1", "abc"), "\3abc")
assert.eq(struct.pack("<s2", ""), "\0\0")
assert.eq(#struct.pack("s", "abc"), 11, "s defaults to an 8-byte length")
assert.eq(struct.pack("z", "hi"), "hi\0")
assert.eq(struct.pack("c4", "ab"), "ab\0\0", "c pads with zeros")
assert.eq(struct.pack("c2", "ab"), "ab")
assert.eq(struct.pack("c0", ""), "")
assert.eq(struct.pack("xBx", 7), "\0\7\0")
assert.eq(struct.pack("z", 12), "12\0", "numbers convert to strings")
assert.eq({struct.unpack(">s1", "\3abcdef")}, {"abc", 5})
assert.eq({struct.unpack("z z", "hi\0there\0!")}, {"hi", "there", 10})
assert.eq({struct.unpack("z", "\0")}, {"", 2})
assert.eq({struct.unpack("c3", "RIFF")}, {"RIF", 4})
assert.eq({struct.unpack("xBx", "\0\9\0")}, {9, 4})
assert.eq({struct.unpack("c0", "")}, {"", 1})
local blob = struct.pack("<s4", string.rep("x", 300))
assert.eq(struct.unpack("<s4", blob), string.rep("x", 300))

-- Positions: unpack continues from pos; negative pos counts from the end.
local frame = struct.pack(">B H B", 1, 0xBEEF, 2)
assert.eq({struct.unpack(">H", frame, 2)}, {0xBEEF, 4})
assert.eq({struct.unpack("B", frame, -1)}, {2, 5})
assert.eq({struct.unpack("B", frame, -4)}, {1, 2})
assert.eq({struct.unpack("", frame, 5)}, {5}, "position just past the end is allowed")
local a, pos = struct.unpack("B", frame)
local b, pos2 = struct.unpack(">H", frame, pos)
assert.eq({a, b, pos2}, {1, 0xBEEF, 4})

-- Alignment: off until '!'; then to the option's size, at most n.
assert.eq(hex(struct.pack("<B I2", 1, 2)), "010200", "no alignment by default")
assert.eq(hex(struct.pack("<!B I2", 1, 2)), "01000200")
assert.eq(hex(struct.pack("<!B i4", 1, 2)), "0100000002000000")
assert.eq(hex(struct.pack("<!2 B i4", 1, 2)), "010002000000")
assert.eq(hex(struct.pack("<!B d", 1, 0)), "01" .. string.rep("00", 15))
assert.eq(hex(struct.pack("<!4 B d", 1, 0)), "01" .. string.rep("00", 11))
assert.eq(hex(struct.pack("<!B s2", 1, "a")), "0100010061", "s aligns its length")
assert.eq(hex(struct.pack("<!B c3 z", 1, "ab", "")), "0161620000", "c and z do not align")
assert.eq(struct.size("!2 B i3"), 5, "i3 aligns to 2 when that is the maximum")
assert.eq({struct.unpack("<!B I2", "\1\0\2\0")}, {1, 2, 5})
assert.eq({struct.unpack("<!4 I2", "\0\0\5\0", 2)}, {5, 5}, "alignment counts from the start of the string")
assert.eq(struct.size("!8 b d"), 16)
assert.eq(struct.size("! b h b i b j"), 24)
assert.eq(struct.size("!1 b d"), 9)

-- size.
assert.eq(struct.size(""), 0)
assert.eq(struct.size("<bBhHiIlLjJfdxc5"), 1 + 1 + 2 + 2 + 4 + 4 + 8 + 8 + 8 + 8 + 4 + 8 + 1 + 5)
assert.eq(struct.size(" < i2 > I4 "), 6, "spaces are ignored")

-- A BME280 calibration block: T1..T3, P1..P9.
local calib = struct.pack("<HhhHhhhhhhhh", 27504, 26435, -1000, 36477, -10685, 3024, 2855, 140, -7, 15500, -14600, 6000)
assert.eq(#calib, 24)
assert.eq({struct.unpack("<HhhHhhhhhhhh", calib)},
  {27504, 26435, -1000, 36477, -10685, 3024, 2855, 140, -7, 15500, -14600, 6000, 25})

-- Errors.
assert.fails(function() struct.pack("q", 1) end, "struct.pack: invalid format option 'q'")
assert.fails(function() struct.unpack("<I2 ?", "\0\0") end, "struct.unpack: invalid format option '?'")
assert.fails(function() struct.size("\1") end, "struct.size: invalid format option '\\x01'")
assert.fails(function() struct.pack("i9", 1) end, "struct.pack: size 9 out of range 1..8 in 'i9'")
assert.fails(function() struct.pack("I0", 1) end, "struct.pack: size 0 out of range 1..8 in 'I0'")
assert.fails(function() struct.size("!16") end, "struct.size: size 16 out of range 1..8 in '!16'")
assert.fails(function() struct.size("s12") end, "struct.size: size 12 out of range 1..8 in 's12'")
assert.fails(function() struct.size("c") end, "struct.size: missing size for format option 'c'")
assert.fails(function() struct.size("c99999999999") end, "struct.size: size too large in format")
assert.fails(function() struct.size("c2000000000 c2000000000") end, "struct.size: format result too large")
assert.fails(function() struct.size("s") end, "struct.size: variable-length format option 's'")
assert.fails(function() struct.size("z") end, "struct.size: variable-length format option 'z'")
assert.fails(function() struct.size("! i3") end, "struct.size: option 'i3' needs alignment 3, which is not a power of 2")
assert.fails(function() struct.pack("!3 i4", 1) end, "struct.pack: option 'i4' needs alignment 3, which is not a power of 2")
assert.fails(function() struct.pack("B", 300) end, "bad argument #2 to 'pack' (integer 300 does not fit in 1 byte: 'B' holds 0..255)")
assert.fails(function() struct.pack("B", -1) end, "integer -1 does not fit in 1 byte: 'B' holds 0..255")
assert.fails(function() struct.pack("b", 128) end, "integer 128 does not fit in 1 byte: 'b' holds -128..127")
assert.fails(function() struct.pack("<h h", 1, -32769) end, "bad argument #3 to 'pack' (integer -32769 does not fit in 2 bytes: 'h' holds -32768..32767)")
assert.fails(function() struct.pack("I3", 2^24) end, "integer 16777216 does not fit in 3 bytes: 'I3' holds 0..16777215")
assert.fails(function() struct.pack("j", 2^63) end, ": 'j' holds -9223372036854775808..9223372036854775807")
assert.fails(function() struct.pack("J", 2^64) end, ": 'J' holds 0..18446744073709551615")
assert.fails(function() struct.pack("J", -1) end, "integer -1 does not fit in 8 bytes")
assert.fails(function() struct.pack("i", 1.5) end, "bad argument #2 to 'pack' (number 1.5 has no integer representation)")
assert.fails(function() struct.pack("i", 0/0) end, "has no integer representation")
assert.fails(function() struct.pack("i", 1/0) end, "number inf has no integer representation")
assert.fails(function() struct.pack("i", "x") end, "bad argument #2 to 'pack' (number expected, got string)")
assert.fails(function() struct.pack("i i", 1) end, "bad argument #3 to 'pack' (number expected, got no value)")
assert.fails(function() struct.pack("d", {}) end, "bad argument #2 to 'pack' (number expected, got table)")
assert.fails(function() struct.pack("z", {}) end, "bad argument #2 to 'pack' (string expected, got table)")
assert.fails(function() struct.pack("z", "a\0b") end, "bad argument #2 to 'pack' (string for 'z' contains zeros)")
assert.fails(function() struct.pack("c2", "abc") end, "bad argument #2 to 'pack' (string of 3 bytes is longer than 'c2')")
assert.fails(function() struct.pack("s1", string.rep("x", 256)) end, "bad argument #2 to 'pack' (string of 256 bytes is too long for the length in 's1')")
assert.fails(function() struct.pack({}) end, "bad argument #1 to 'pack' (string expected, got table)")
assert.fails(function() struct.unpack("i") end, "bad argument #2 to 'unpack' (string expected, got no value)")
assert.fails(function() struct.unpack("i", "abcd", "x") end, "bad argument #3 to 'unpack' (number expected, got string)")
assert.fails(function() struct.unpack("<I2 I4", "\1\2\3\4") end, "struct.unpack: data string too short (need 4 bytes at position 3, have 2)")
assert.fails(function() struct.unpack("d", "") end, "struct.unpack: data string too short (need 8 bytes at position 1, have 0)")
assert.fails(function() struct.unpack("!B i4", "\1\2\3") end, "struct.unpack: data string too short (need 4 bytes at position 5, have 0)")
assert.fails(function() struct.unpack("c5", "abc") end, "struct.unpack: data string too short (need 5 bytes at position 1, have 3)")
assert.fails(function() struct.unpack("s1", "\5abc") end, "struct.unpack: data string too short (need 5 bytes at position 2, have 3)")
assert.fails(function() struct.unpack("<s8", "\255\255\255\255\255\255\255\255") end, "data string too short (need 18446744073709551615 bytes at position 9, have 0)")
assert.fails(function() struct.unpack("B z", "\1abc") end, "struct.unpack: unfinished string for 'z' at position 2")
assert.fails(function() struct.unpack("x", "") end, "struct.unpack: data string too short (need 1 byte at position 1, have 0)")
assert.fails(function() struct.unpack("B", "ab", 4) end, "bad argument #3 to 'unpack' (initial position 4 out of string of 2 bytes)")
assert.fails(function() struct.unpack("B", "ab", 0) end, "initial position 0 out of string")
assert.fails(function() struct.unpack("B", "ab", -3) end, "initial position -3 out of string")
-- as given, not as a wrapped integer ("-9223372036854775808")
assert.fails(function() struct.unpack("B", "ab", 1e300) end, "initial position 1e+300 out of string of 2 bytes")
assert.fails(function() struct.unpack("B", "ab", 1.5) end, "initial position 1.5 out of string of 2 bytes")
local msg = assert.fails(function() struct.pack("q") end, "invalid format option")
assert.truthy(msg:find("struct.lua:%d+:"), "errors carry the script's file:line")
