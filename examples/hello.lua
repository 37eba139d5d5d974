-- hello.lua: the smallest moonpin script. Prints, then counts with a timer.
print("hello from moonpin")
local n = 0
timer.every(100, function(t)
  n = n + 1
  print("tick " .. n)
  if n == 3 then t:stop() end
end)
