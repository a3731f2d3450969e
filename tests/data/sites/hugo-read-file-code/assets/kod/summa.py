def summa(a, b):
    return a + b


print(summa(2, 3))

