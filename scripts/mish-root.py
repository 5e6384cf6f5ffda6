# Taylor coefficients of mish'(x) around its root (mish's minimum, x0 = -1.19243...), for the
# float64 reference of mishBackward near that root (src/activations/mish.ts): there the float64
# formula T + x sigmoid(x) (1 - T^2) is the difference of two terms of ~0.2, absolute error ~1e-17,
# against |mish'(x)| = 8.1e-10 at the float32 x nearest the root. The series in d = x - c (c the
# float64 nearest x0, d exact for float32 x near c) has no cancellation.
# Usage: python3 scripts/mish-root.py   (mpmath, 50 digits)
from mpmath import mp, mpf, exp, log1p, tanh, findroot, taylor

mp.dps = 50
def mish(x):
    return x * tanh(log1p(exp(x)))
def dmish(x):
    return mp.diff(mish, x)
x0 = findroot(dmish, mpf('-1.1924'))
c = float(x0)
print('x0 =', x0)
print('c  =', repr(c))
coeffs = taylor(dmish, mpf(c), 12)
for k, a in enumerate(coeffs):
    print(f'a{k} = {float(a)!r}  # {mp.nstr(a, 25)}')
# Truncation after d^12 for |d| <= 0.02: the next term's size.
print('next term at |d| = 0.02:', mp.nstr(taylor(dmish, mpf(c), 13)[13] * mpf('0.02') ** 13, 5))
