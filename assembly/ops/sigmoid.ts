// Sigmoid: 1 / (1 + exp(-x)), from e = exp(-|x|) (never overflows):
//   x >= 0: 1 / (1 + e)        x < 0: e / (1 + e)
// Compensated: the plain quotient has up to 2.4 ULP of error (measured over all inputs), from
// three roundings in a row (e, 1 + e, the division). We keep the first two errors instead:
//   elo = the rounding error of e = s + s r (Fast2Sum, |s| >= |s r|),
//   dlo = the rounding error of d = 1 + e (Fast2Sum, 1 >= e), plus elo,
// so that (e + elo) / (d + dlo) is the quotient of the unrounded values, and correct the rounded
// quotient q = e / d = sigmoid(-|x|) to first order:
//   c = (elo - q dlo) / d,  with 1 / d = 1 - q  (exact enough for a term ~1e-7 of q),
//   x < 0: q + c           x >= 0: (1 - q) - c   (sigmoid(|x|) = 1 - sigmoid(-|x|))
// What is left is the exp core's own error before its last rounding, the division, and one or
// two final roundings. Measured max error over all 2^32 inputs: 1.47 ULP (bound: 2 ULP).
// Limits: sigmoid(+Inf) = 1 and sigmoid(-Inf) = 0 (e and elo flush to 0 below ln(2^-126)),
// NaN in gives NaN out, sigmoid(-0) = 0.5.
import {
  expBiased, expBiasedV, expFlush, expFlushV, expPoly, expPolyV, expRemainder, expRemainderV,
  expTwoPow, expTwoPowV,
} from "../math";
import { mapUnary } from "../unary";

@final class Sigmoid {
  // @ts-ignore: decorator
  @inline vec(x: v128, p: v128): v128 {
    const one = f32x4.splat(1);
    const z = v128.or(x, f32x4.splat(-0.0)); // -|x|
    const biased = expBiasedV(z);
    const s = expTwoPowV(biased);
    const sr = f32x4.mul(expPolyV(expRemainderV(z, biased)), s);
    const e = expFlushV(f32x4.add(sr, s), z);
    const elo = expFlushV(f32x4.sub(sr, f32x4.sub(e, s)), z);
    const d = f32x4.add(e, one);
    const dlo = f32x4.add(f32x4.add(f32x4.sub(one, d), e), elo);
    const q = f32x4.div(e, d);
    const invD = f32x4.sub(one, q);
    const c = f32x4.mul(f32x4.sub(elo, f32x4.mul(q, dlo)), invD);
    // Sign bit set (x < 0, -0, negative NaN): q + c; else (1 - q) - c.
    return v128.bitselect(f32x4.add(q, c), f32x4.sub(invD, c), i32x4.shr_s(x, 31));
  }
  // @ts-ignore: decorator
  @inline scalar(x: f32, p: f32): f32 {
    const z = -Mathf.abs(x);
    const biased = expBiased(z);
    const s = expTwoPow(biased);
    const sr = expPoly(expRemainder(z, biased)) * s;
    const e = expFlush(sr + s, z);
    const elo = expFlush(sr - (e - s), z);
    const d = e + 1;
    const dlo = ((<f32>1 - d) + e) + elo;
    const q = e / d;
    const invD = <f32>1 - q;
    const c = (elo - q * dlo) * invD;
    return reinterpret<i32>(x) < 0 ? q + c : invD - c;
  }
}

/** dst[i] = 1 / (1 + exp(-src[i])) for i < n. */
export function sigmoid(src: usize, dst: usize, n: usize): void {
  mapUnary<Sigmoid>(src, dst, n, 0);
}
