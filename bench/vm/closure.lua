local function adder(n) return function(x) return x + n end end
local s = 0
for i = 1, 1000000 do
  local f = adder(i)
  for _ = 1, 7 do s = f(s) % 1000003 end
end
print(s)
