def main():
    t = []
    for i in range(1000000):
        t.append({"x": i, "y": i})
    print(len(t))
main()
