def adder(n):
    def f(x):
        return x + n
    return f
def main():
    s = 0
    for i in range(1, 1000001):
        f = adder(i)
        for _ in range(7):
            s = f(s) % 1000003
    print(s)
main()
