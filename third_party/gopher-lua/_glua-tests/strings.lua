
local ok, msg = pcall(function()
  string.dump()
end)
-- moonpin: Lua 5.1's words, and what to do instead
assert(not ok and string.find(msg, "bad argument #1 to 'dump' (function expected, got no value)", 1, true))
ok, msg = pcall(string.dump, print)
assert(not ok and string.find(msg, "unable to dump given function: this VM has no bytecode", 1, true))
assert(string.find("","aaa") == nil)
-- moonpin: "%c" in a replacement is "c", as in Lua 5.1 (upstream kept "%c")
assert(string.gsub("hello world", "(%w+)", "%1 %1 %c") == "hello hello c world world c")

local ret1, ret2, ret3, ret4 = string.find("aaa bbb", "(%w+())")
assert(ret1 == 1)
assert(ret2 == 3)
assert(ret3 == "aaa")
assert(ret4 == 4)
