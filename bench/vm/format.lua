local n = 0
for i = 1, 1000000 do n = n + #string.format("%d: %s = %.3f (%5d)", i, "key", i * 0.5, i) end
print(n)
