def main():
    t = []
    for i in range(1, 1000001):
        t.append("item" + str(i))
    print(len(",".join(t)))
main()
