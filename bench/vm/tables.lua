local t = {}
for i = 1, 1000000 do t[i] = {x = i, y = i} end
print(#t)
