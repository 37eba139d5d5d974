-- Scalars.
assert.eq(json.encode(nil), "null")
assert.eq(json.encode(json.null), "null")
assert.eq(json.encode(true), "true")
assert.eq(json.encode(false), "false")
assert.eq(json.encode(3), "3", "integers have no fraction")
assert.eq(json.encode(-42), "-42")
assert.eq(json.encode(0), "0")
assert.eq(json.encode(21.5), "21.5")
assert.eq(json.encode(0.1), "0.1")
assert.eq(json.encode(1e20), "100000000000000000000")
assert.eq(json.encode(1e21), "1e+21")
assert.eq(json.encode(1.5e-7), "1.5e-07")
assert.eq(json.encode(2^53), "9007199254740992")
assert.eq(json.encode(1/3), "0.3333333333333333")
assert.eq(json.encode("hi"), '"hi"')
assert.eq(json.encode(""), '""')

-- Strings: escapes for quotes, backslash and control characters; UTF-8 as is.
assert.eq(json.encode('a"b\\c'), [["a\"b\\c"]])
assert.eq(json.encode("line\nnext\r\ttab"), [["line\nnext\r\ttab"]])
assert.eq(json.encode("\0\1\31\127"), '"\\u0000\\u0001\\u001f\127"')
assert.eq(json.encode("\8\12"), [["\u0008\u000c"]])
assert.eq(json.encode("/"), '"/"')
assert.eq(json.encode("héllo €𝄞"), '"héllo €𝄞"')

-- Arrays: keys exactly 1..n.
assert.eq(json.encode({1, 2, 3}), "[1,2,3]")
assert.eq(json.encode({"a", {true, false}, {}}), '["a",[true,false],{}]')
assert.eq(json.encode({json.null, 2}), "[null,2]")
local t = {}
for i = 1, 100 do t[i] = i end
assert.eq(json.encode(t):sub(1, 8), "[1,2,3,4")

-- Objects: an empty table, a table with holes, or any other keys.
assert.eq(json.encode({}), "{}", "an empty table is an object")
assert.eq(json.encode({a = 1}), '{"a":1}')
assert.eq(json.encode({b = 1, a = 2, c = {d = "x"}}), '{"a":2,"b":1,"c":{"d":"x"}}', "keys are sorted")
assert.eq(json.encode({[1] = "a", [3] = "c"}), '{"1":"a","3":"c"}', "holes make an object")
assert.eq(json.encode({[0] = "z", "a"}), '{"0":"z","1":"a"}')
assert.eq(json.encode({"a", x = 1}), '{"1":"a","x":1}', "mixed keys become strings")
assert.eq(json.encode({[1.5] = true, [-2] = true, [1e21] = true}), '{"-2":true,"1.5":true,"1e+21":true}')
assert.eq(json.encode({["a\"b"] = 1}), [[{"a\"b":1}]])
assert.eq(json.encode({x = json.null}), '{"x":null}')
assert.eq(json.encode({10, 20, nil, 40}), '{"1":10,"2":20,"4":40}')

-- The same table twice is not a cycle.
local shared = {1}
assert.eq(json.encode({a = shared, b = shared, c = {shared}}), '{"a":[1],"b":[1],"c":[[1]]}')

-- Nesting up to the limit.
local deep = {}
local cur = deep
for _ = 1, 999 do cur[1] = {}; cur = cur[1] end
assert.eq(#json.encode(deep), 999 * 2 + 2)

-- Errors name the problem and the path.
local cyclic = {name = "x"}
cyclic.self = cyclic
assert.fails(function() json.encode(cyclic) end, "json.encode: table is referenced cyclically at self")
local a = {list = {}}
a.list[1] = {parent = a}
assert.fails(function() json.encode(a) end, "json.encode: table is referenced cyclically at list[1].parent")
cur[1] = {{}}
assert.fails(function() json.encode(deep) end, "json.encode: nesting deeper than 1000 levels at [1][1][1][1]…[1][1][1][1] (1000 levels)")
-- a long path or key is cut short (the depth error was 3 KB of [1][1]...)
local long = {} local at = long for _ = 1, 20 do at.key = {} at = at.key end at.x = print
assert.fails(function() json.encode(long) end, "json.encode: cannot encode function at key.key.key.key…key.key.key.x (21 levels)")
local ok, err = pcall(json.encode, {[("k"):rep(1e6)] = print})
assert.eq(err, 'json.encode: cannot encode function at ["' .. ("k"):rep(40) .. '…"]')
assert.fails(function() json.encode(print) end, "json.encode: cannot encode function")
assert.fails(function() json.encode({readings = {{t = 1}, {t = print}}}) end, "json.encode: cannot encode function at readings[2].t")
assert.fails(function() json.encode({["a b"] = {coroutine.create(function() end)}}) end, 'json.encode: cannot encode thread at ["a b"][1]')
assert.fails(function() json.encode({x = newproxy and newproxy() or io.stdout}) end, "json.encode: cannot encode userdata at x")
-- 0/0 is -nan on x86 and nan on arm, as in lua5.1, which prints the sign C's printf gives
local ok, err = pcall(json.encode, 0/0)
assert.truthy(not ok and err:find("json.encode: cannot encode %-?nan %(JSON has no infinity or NaN; send null or a string instead%)"), err)
assert.fails(function() json.encode({t = {1/0}}) end, "json.encode: cannot encode inf at t[1]")
assert.fails(function() json.encode({-1/0}) end, "json.encode: cannot encode -inf at [1]")
assert.fails(function() json.encode({[1/0] = 1}) end, "json.encode: cannot encode key inf")
assert.fails(function() json.encode({[true] = 1}) end, "json.encode: cannot encode a key of type boolean")
assert.fails(function() json.encode({k = {[{}] = 1}}) end, "json.encode: cannot encode a key of type table at k")
assert.fails(function() json.encode({raw = "\255\1"}) end, "json.encode: cannot encode a string that is not valid UTF-8 at raw")
assert.fails(function() json.encode({["\255"] = 1}) end, "json.encode: cannot encode a string that is not valid UTF-8")
assert.fails(function() json.encode({[1] = "a", ["1"] = "b"}) end, 'json.encode: number key 1 and string key "1" collide')
assert.fails(function() json.encode() end, "bad argument #1 to 'encode' (value expected)")
local msg = assert.fails(function() json.encode(print) end, "cannot encode")
assert.truthy(msg:find("encode.lua:%d+:"), "errors carry the script's file:line")
