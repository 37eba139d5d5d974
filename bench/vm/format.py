def main():
    n = 0
    for i in range(1, 1000001):
        n += len("%d: %s = %.3f (%5d)" % (i, "key", i * 0.5, i))
    print(n)
main()
