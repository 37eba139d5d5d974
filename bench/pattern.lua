-- Pattern matching as scripts do it: split sensor lines, match key=value
-- pairs, clean up with gsub; 2000 lines through find, match, gmatch and gsub.
local line = "temp=21.5;hum=48;pres=1013.2;name=kitchen sensor;ok=true"
local sum, n = 0, 0
for i = 1, 2000 do
  for k, v in line:gmatch("(%w+)=([^;]+)") do
    if v:match("^%-?%d+%.?%d*$") then sum = sum + tonumber(v) end
    n = n + 1
  end
  local clean = line:gsub("%s+", "_")
  assert(clean:find("kitchen_sensor", 1, true))
  assert(line:find("pres=(%d+)") == 18)
end
assert(n == 10000 and math.floor(sum + 0.5) == 2165400)
