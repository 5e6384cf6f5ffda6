# Fits for the gelu and tanhshrink kernels (assembly/ops/gelu.ts, tanhshrink.ts): minimax of the
# relative error by Lawson's iteratively reweighted least squares (rational fits: Loeb's
# linearisation, the denominator of the previous pass as weight). Exact values from mpmath at 50
# digits. Prints float32 coefficients (hex and decimal) and the max relative error before and
# after rounding the coefficients to float32. Run: python3 scripts/fit-gelu.py [which]
import sys
import numpy as np
import mpmath as mp

mp.mp.dps = 50
SQRT2PI = mp.sqrt(2 * mp.pi)

def f32hex(v):
    return '0x%08X' % np.array([v], dtype=np.float32).view(np.uint32)[0]

def phi_tail_scaled(u):
    # g(u) = Phi(-u) exp(u^2 / 2) = erfc(u / sqrt2) / 2 * exp(u^2 / 2)
    u = mp.mpf(u)
    return mp.erfc(u / mp.sqrt(2)) / 2 * mp.exp(u * u / 2)

def fit_rational(xs, fs, m, n, iters=60, scale=1.0, wt=None, p0=None):
    """P(t)/Q(t), t = x / scale, deg m over deg n, q0 = 1, minimax relative error (times wt)."""
    wt = np.ones_like(xs) if wt is None else wt
    t = xs / scale
    w = np.ones_like(xs)
    qprev = np.ones_like(xs)
    best = None
    for it in range(iters):
        A = np.zeros((len(xs), m + 1 + n))
        for j in range(m + 1):
            A[:, j] = t ** j
        if p0 is not None:
            A[:, 0] = 0
        for j in range(1, n + 1):
            A[:, m + j] = -fs * t ** j
        b = fs.copy() if p0 is None else fs - p0
        W = np.sqrt(w) * wt / (np.abs(fs) * np.abs(qprev))
        sol, *_ = np.linalg.lstsq(A * W[:, None], b * W, rcond=None)
        p = sol[:m + 1].copy()
        if p0 is not None:
            p[0] = p0
        q = np.concatenate([[1.0], sol[m + 1:]])
        P = np.polyval(p[::-1], t)
        Q = np.polyval(q[::-1], t)
        err = wt * np.abs(P / Q - fs) / np.abs(fs)
        if best is None or err.max() < best[0]:
            best = (err.max(), p, q)
        qprev = Q
        w = w * (err / err.max() + 1e-3)
        w /= w.sum()
    return best

def fit_poly(xs, fs, basis, iters=80):
    """sum c_j basis_j(x), minimax relative error."""
    A = np.stack([b(xs) for b in basis], axis=1)
    w = np.ones_like(xs)
    best = None
    for it in range(iters):
        W = np.sqrt(w) / np.abs(fs)
        sol, *_ = np.linalg.lstsq(A * W[:, None], fs * W, rcond=None)
        err = np.abs(A @ sol - fs) / np.abs(fs)
        if best is None or err.max() < best[0]:
            best = (err.max(), sol)
        w = w * (err / err.max() + 1e-3)
        w /= w.sum()
    return best

def fit_tanhshrink(deg, top=1.0):
    """(x - tanh x) / x^3 = Q(x^2) on [0, top]: polynomial in w = x^2, minimax relative error."""
    xs = np.linspace(1e-4, top, 4000)
    fs = np.array([float((mp.mpf(x) - mp.tanh(x)) / mp.mpf(x) ** 3) for x in xs])
    return fit_poly(xs * xs, fs, [(lambda k: (lambda w: w ** k))(k) for k in range(deg + 1)])

if __name__ == '__main__':
    which = sys.argv[1] if len(sys.argv) > 1 else 'all'
    if which in ('tanhshrink', 'all'):
        for deg in (5, 6, 7):
            e, c = fit_tanhshrink(deg)
            print('tanhshrink deg', deg, 'max rel', e)
            print('  ', [f32hex(v) for v in c.astype(np.float32)], list(c.astype(np.float32)))

KBETA = mp.sqrt(2) * (2 / mp.sqrt(mp.pi)) * mp.mpf('0.5')
KKAPPA = mp.mpf('0.044715')

def dgelu_none(x):
    x = mp.mpf(x)
    return mp.ncdf(x) + x * mp.npdf(x)

def dgelu_tanh(x):
    x = mp.mpf(x)
    v = KBETA * (x + KKAPPA * x ** 3)
    t = mp.tanh(v)
    return mp.mpf('0.5') * (1 + t) + mp.mpf('0.5') * x * (1 - t * t) * KBETA * (1 + 3 * KKAPPA * x * x)

def fit_zero(f, a, b, deg):
    """f(x) = (x - x0) H(x - x0) near f's zero x0 in [a, b]: x0 split into float32 hi + lo, H minimax relative."""
    x0 = mp.findroot(f, (a + b) / 2)
    hi = float(np.float32(float(x0)))
    lo = float(np.float32(float(x0 - hi)))
    ds = np.linspace(a - float(x0), b - float(x0), 3001)
    ds = ds[np.abs(ds) > 1e-6]
    fs = np.array([float(f(x0 + mp.mpf(d)) / mp.mpf(d)) for d in ds])
    e, c = fit_poly(ds, fs, [(lambda k: (lambda t: t ** k))(k) for k in range(deg + 1)])
    return x0, hi, lo, e, c

def fit_gelu_tail():
    """gelu 'none': u Phi(-u) exp(u^2/2) = A / (K A + Pc), A = u Qc, K = float32(sqrt(2 pi)): fits
    Pc / Qc = sqrt(2 pi) / M(u) - K u (M the Mills ratio) on [0, 13.25], Pc(0) = 2 exactly, with the
    relative error weighted by the share Pc takes of the denominator (its error is scaled by it)."""
    U = 13.25
    xs = np.unique(np.concatenate([np.linspace(0, U, 3000), U / 2 * (1 - np.cos(np.linspace(0, np.pi, 2000)))]))
    K32 = float(np.float32(np.sqrt(2 * np.pi)))
    Cs = np.array([float(1 / phi_tail_scaled(x)) for x in xs]) - K32 * xs
    frac = Cs / (K32 * xs + Cs)
    return fit_rational(xs, Cs, 4, 4, iters=150, wt=frac, p0=2.0)

if __name__ == '__main__' and (len(sys.argv) < 2 or sys.argv[1] in ('gelu', 'all')):
    e, pc, qc = fit_gelu_tail()
    print('gelu tail (4, 4): max weighted rel', e)
    print('  Pc', [f32hex(v) for v in pc.astype(np.float32)], list(pc.astype(np.float32)))
    print('  Qc', [f32hex(v) for v in qc.astype(np.float32)], list(qc.astype(np.float32)))
    for name, f, a, b in (('none', dgelu_none, -1.3, -0.25), ('tanh', dgelu_tanh, -1.3, -0.25)):
        for deg in (9, 10):
            x0, hi, lo, e, c = fit_zero(f, a, b, deg)
            print('gelu', name, "backward zero", mp.nstr(x0, 20), 'hi', f32hex(hi), hi, 'lo', f32hex(lo), lo, 'deg', deg, 'max rel', e)
            print('  H', [f32hex(v) for v in c.astype(np.float32)], list(c.astype(np.float32)))

def fit_gelu_small(deg, top=0.5):
    """gelu 'none' near 0: Phi(x) = 1/2 + x R(x^2), R(w) = erf(x/sqrt2) / (2x), minimax relative on |x| <= top."""
    xs = np.linspace(1e-4, top, 3000)
    fs = np.array([float(mp.erf(mp.mpf(x) / mp.sqrt(2)) / (2 * mp.mpf(x))) for x in xs])
    return fit_poly(xs * xs, fs, [(lambda k: (lambda w: w ** k))(k) for k in range(deg + 1)])

if __name__ == '__main__' and (len(sys.argv) < 2 or sys.argv[1] in ('gelu-small', 'all')):
    for deg in (3, 4, 5):
        e, c = fit_gelu_small(deg)
        print('gelu small deg', deg, 'max rel', e)
        print('  R', [f32hex(v) for v in c.astype(np.float32)], list(c.astype(np.float32)))

def fit_poly_rounded(xs, fs, basis, iters=80, first=None):
    """fit_poly, then each coefficient in turn rounded to float32 and the later ones refitted with
    the earlier ones fixed, so the float32 polynomial keeps the fit's accuracy (rounding all at
    once cost the tanhshrink fit 7e-8 of relative error instead of 5e-9)."""
    fixed = [] if first is None else [first]
    for k in range(len(fixed), len(basis)):
        rest = basis[k:]
        fixed_part = sum(c * b(xs) for c, b in zip(fixed, basis[:k])) if fixed else np.zeros_like(xs)
        A = np.stack([b(xs) for b in rest], axis=1)
        w = np.ones_like(xs)
        best = None
        for it in range(iters):
            W = np.sqrt(w) / np.abs(fs)
            sol, *_ = np.linalg.lstsq(A * W[:, None], (fs - fixed_part) * W, rcond=None)
            err = np.abs(fixed_part + A @ sol - fs) / np.abs(fs)
            if best is None or err.max() < best[0]:
                best = (err.max(), sol)
            w = w * (err / err.max() + 1e-3)
            w /= w.sum()
        fixed.append(float(np.float32(best[1][0])))
    c = np.array(fixed)
    A = np.stack([b(xs) for b in basis], axis=1)
    return np.max(np.abs(A @ c - fs) / np.abs(fs)), c

if __name__ == '__main__' and (len(sys.argv) > 1 and sys.argv[1] == 'tanhshrink-rounded'):
    xs = np.linspace(1e-4, 1.0, 4000)
    fs = np.array([float((mp.mpf(x) - mp.tanh(x)) / mp.mpf(x) ** 3) for x in xs])
    for deg in (7, 8):
        # Q0 = 1/3 exactly: the kernel adds u³ (1/3 - float32(1/3)) separately.
        e, c = fit_poly_rounded(xs * xs, fs, [(lambda k: (lambda w: w ** k))(k) for k in range(deg + 1)], first=1 / 3)
        print('tanhshrink float32 deg', deg, 'max rel with float32 coefficients', e)
        print('  ', [f32hex(v) for v in c.astype(np.float32)], list(c.astype(np.float32)))
