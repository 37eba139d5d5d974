local Point = {}
Point.__index = Point
function Point.new(x, y) return setmetatable({x = x, y = y}, Point) end
function Point:move(dx) self.x = self.x + dx end
local p = Point.new(0, 0)
for i = 1, 10000000 do p:move(1) end
print(p.x)
