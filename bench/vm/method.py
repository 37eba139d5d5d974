class Point:
    def __init__(self, x, y):
        self.x = x
        self.y = y
    def move(self, dx):
        self.x = self.x + dx
def main():
    p = Point(0, 0)
    for i in range(10000000):
        p.move(1)
    print(p.x)
main()
