local t = {}
for i = 1, 1000000 do t[i] = "item" .. i end
print(#table.concat(t, ","))
