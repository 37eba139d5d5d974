-- Scalars; null is json.null everywhere, including at the top.
assert.eq(json.decode("true"), true)
assert.eq(json.decode("false"), false)
assert.eq(json.decode("null"), json.null)
assert.eq(json.decode(" 42 "), 42)
assert.eq(json.decode("-0.5e-3"), -0.0005)
assert.eq(json.decode("1E2"), 100)
assert.eq(json.decode("1e+2"), 100)
assert.eq(json.decode("0"), 0)
assert.eq(json.decode("-0"), 0)
assert.eq(json.decode("1e-400"), 0, "underflow is zero")
assert.eq(json.decode('"hi"'), "hi")
assert.eq(json.decode('""'), "")

-- json.null: one value per state, shown as null.
assert.eq(require("json").null, json.null)
assert.eq(tostring(json.null), "null")
assert.eq(type(json.null), "userdata")

-- Arrays and objects.
assert.eq(json.decode("[]"), {})
assert.eq(json.decode("{}"), {})
assert.eq(json.decode("[1, 2, 3]"), {1, 2, 3})
assert.eq(json.decode('[1, null, 3]'), {1, json.null, 3})
assert.eq(#json.decode('[null, null]'), 2, "nulls keep the array's length")
assert.eq(json.decode('{"a": null}').a, json.null)
assert.eq(json.decode('{"a": 1, "b": [true, {"c": "d"}]}'), {a = 1, b = {true, {c = "d"}}})
assert.eq(json.decode('{"1": "x"}'), {["1"] = "x"}, "object keys stay strings")
assert.eq(json.decode('{"a": 1, "a": 2}'), {a = 2}, "the last duplicate wins")
assert.eq(json.decode(' \t\r\n[ 1 ,\n 2 ] \n'), {1, 2})

-- Strings: escapes, \u to UTF-8, surrogate pairs; other bytes pass through.
assert.eq(json.decode([["a\"b\\c\/d\b\f\n\r\t"]]), 'a"b\\c/d\b\f\n\r\t')
assert.eq(json.decode([["\u0041\u00e9\u20AC"]]), "Aé€")
assert.eq(json.decode([["\u0000"]]), "\0")
assert.eq(json.decode([["\ud834\udd1e"]]), "𝄞")
assert.eq(json.decode([["\uD83D\uDE00!"]]), "😀!")
assert.eq(json.decode([["\ud800"]]), "\239\191\189", "a lone surrogate is U+FFFD")
assert.eq(json.decode([["\udc00x"]]), "\239\191\189x")
assert.eq(json.decode([["\ud800\u0041"]]), "\239\191\189A", "a high surrogate without its low half")
assert.eq(json.decode([["\ud800\ud834\udd1e"]]), "\239\191\189𝄞")
assert.eq(json.decode('"héllo"'), "héllo")
assert.eq(json.decode('"\255\254"'), "\255\254", "bytes are kept as they are")

-- Round trips.
local reading = {sensor = "bme280", t = 21.37, h = 40.2, ok = true, pins = {17, 27}, err = json.null}
assert.eq(json.decode(json.encode(reading)), reading)
local text = '{"a":[1,2,{"b":null}],"c":"\\u0001\\n","d":-1.5,"e":{}}'
assert.eq(json.encode(json.decode(text)), text)
for _, s in ipairs({"", "x", "\0", "tab\there", "€𝄞", string.rep("ab", 100)}) do
  assert.eq(json.decode(json.encode(s)), s)
end
for _, n in ipairs({0, 1, -1, 0.1, 1/3, 2^53, -2^31, 1e300, 5e-324, 1e-7, 123456.789}) do
  assert.eq(json.decode(json.encode(n)), n)
end

-- Nesting up to the limit.
assert.eq(type(json.decode(string.rep("[", 1000) .. string.rep("]", 1000))), "table")

-- Errors give the position.
assert.fails(function() json.decode("[1, x]") end, "json.decode: unexpected character 'x' at line 1 column 5")
assert.fails(function() json.decode('{\n  "a": 1,\n  "b" 2\n}') end, "json.decode: unexpected character '2' at line 3 column 7")
assert.fails(function() json.decode("") end, "json.decode: unexpected end of input at line 1 column 1")
assert.fails(function() json.decode("   ") end, "json.decode: unexpected end of input at line 1 column 4")
assert.fails(function() json.decode("[1, 2") end, "json.decode: unexpected end of input at line 1 column 6")
assert.fails(function() json.decode('{"a": 1,}') end, "json.decode: unexpected character '}' at line 1 column 9")
assert.fails(function() json.decode("[1,]") end, "json.decode: unexpected character ']' at line 1 column 4")
assert.fails(function() json.decode("{a: 1}") end, "json.decode: unexpected character 'a' at line 1 column 2")
assert.fails(function() json.decode("[1 2]") end, "json.decode: unexpected character '2' at line 1 column 4")
assert.fails(function() json.decode("1 2") end, "json.decode: unexpected character '2' at line 1 column 3")
assert.fails(function() json.decode("tru") end, "json.decode: unexpected end of input at line 1 column 4")
assert.fails(function() json.decode("nulL") end, "json.decode: unexpected character 'L' at line 1 column 4")
assert.fails(function() json.decode("01") end, "json.decode: unexpected character '1' at line 1 column 2")
assert.fails(function() json.decode("-") end, "json.decode: unexpected end of input at line 1 column 2")
assert.fails(function() json.decode("1.") end, "json.decode: unexpected end of input at line 1 column 3")
assert.fails(function() json.decode("1.e5") end, "json.decode: unexpected character 'e' at line 1 column 3")
assert.fails(function() json.decode("1e") end, "json.decode: unexpected end of input at line 1 column 3")
assert.fails(function() json.decode("+1") end, "json.decode: unexpected character '+' at line 1 column 1")
assert.fails(function() json.decode("NaN") end, "json.decode: unexpected character 'N' at line 1 column 1")
assert.fails(function() json.decode("[1e400]") end, "json.decode: number 1e400 out of range at line 1 column 2")
-- A long number is cut short in the error, which stays short, as other
-- errors cut what a script gave (hal.Quote).
local ok, err = pcall(json.decode, "[" .. ("1"):rep(1e6) .. "]")
assert.eq(ok, false)
assert.truthy(err:find('number "1111111111111111111111111111111111111111"... (1000000 bytes) out of range at line 1 column 2', 1, true), err:sub(1, 200))
assert.fails(function() json.decode('"abc') end, "json.decode: unexpected end of input at line 1 column 5")
assert.fails(function() json.decode('"a\nb"') end, "json.decode: unexpected character '\\n' at line 1 column 3")
assert.fails(function() json.decode('"a\\qb"') end, "json.decode: invalid escape '\\q' in string at line 1 column 4")
assert.fails(function() json.decode('"a\\\1"') end, "json.decode: unexpected character '\\x01' at line 1 column 4")
assert.fails(function() json.decode('"\\u12G4"') end, "json.decode: unexpected character 'G' at line 1 column 6")
assert.fails(function() json.decode('"\\u12') end, "json.decode: unexpected end of input at line 1 column 6")
assert.fails(function() json.decode('"\\ud800\\u"') end, "json.decode: unexpected character '\"' at line 1 column 10")
assert.fails(function() json.decode("\255") end, "json.decode: unexpected byte 0xFF at line 1 column 1")
assert.fails(function() json.decode("[\194\160]") end, "json.decode: unexpected character '\\u00a0' at line 1 column 2")
assert.fails(function() json.decode("é") end, "json.decode: unexpected character 'é' at line 1 column 1")
assert.fails(function() json.decode(string.rep("[", 1001)) end, "json.decode: nesting deeper than 1000 levels at line 1 column 1001")
assert.fails(function() json.decode(string.rep('{"a":', 1001)) end, "json.decode: nesting deeper than 1000 levels at line 1 column 5001")
assert.fails(function() json.decode() end, "bad argument #1 to 'decode' (string expected, got no value)")
assert.fails(function() json.decode({}) end, "bad argument #1 to 'decode' (string expected, got table)")
local msg = assert.fails(function() json.decode("x") end, "unexpected")
assert.truthy(msg:find("decode.lua:%d+:"), "errors carry the script's file:line")
