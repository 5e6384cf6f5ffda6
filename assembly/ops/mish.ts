// Mish: x tanh(softplus(x)), without a log or a tanh: with e = exp(x),
//   tanh(log(1 + e)) = ((1 + e)^2 - 1) / ((1 + e)^2 + 1) = n / (n + 2),   n = e (e + 2),
// and in u = exp(-|x|) (never overflows):
//   x <= 0 (u = e):      T = n / (n + 2),                 n = u (u + 2)
//   x >  0 (u = 1 / e):  T = (1 + 2u) / (1 + 2u + 2u^2)
// u comes from the float32 exp core scaled by 2^64 (../exp_scaled.ts) and is unscaled in float64,
// so x u stays accurate where u is below 2^-126 but x u is not (x down to -91); the rational part
// and the product x T run in float64 and round once to float32. Error: u's (<= 0.96 ULP, which
// moves T by at most as much: d ln T / d ln u <= 1) plus the final rounding; measured over all 2^32
// inputs: 1.725 ULP at x = -48.2445 (bound 4 ULP); simd and scalar identical.
// Limits, as PyTorch's x * tanh(log1p(exp(x))): mish(+Inf) = +Inf; mish(-Inf) = -Inf * 0 = NaN;
// finite x below -131.7 (u flushed to 0) gives -0 (the exact value is below 2^-126); NaN gives NaN.
import { mapBinary } from "../binary";
import { expNeg64, expNeg64V, expScaled, expScaledV, MAGIC_BITS } from "../exp_scaled";
import { mapUnary } from "../unary";

// @ts-ignore: decorator
@inline const K_BIAS: i32 = MAGIC_BITS - 64; // expScaled returns 2^64 exp(z)
// @ts-ignore: decorator
@inline const UNSCALE: f64 = 5.421010862427522e-20; // 2^-64

/** x T in float64 for the low two lanes, u2 = 2^64 u. */
// @ts-ignore: decorator
@inline function mishHalf(x: v128, u2: v128): v128 {
  const xd = f64x2.promote_low_f32x4(x);
  const u = f64x2.mul(f64x2.promote_low_f32x4(u2), f64x2.splat(UNSCALE));
  const one = f64x2.splat(1);
  const a = f64x2.add(u, u);
  const numPos = f64x2.add(a, one);
  const denPos = f64x2.add(f64x2.mul(a, u), numPos);
  const numNeg = f64x2.mul(f64x2.add(u, f64x2.splat(2)), u);
  const denNeg = f64x2.add(numNeg, f64x2.splat(2));
  const pos = f64x2.gt(xd, f64x2.splat(0));
  const num = v128.bitselect(numPos, numNeg, pos);
  const den = v128.bitselect(denPos, denNeg, pos);
  return f32x4.demote_f64x2_zero(f64x2.div(f64x2.mul(xd, num), den));
}

@final class Mish {
  // @ts-ignore: decorator
  @inline vec(x: v128, _p: v128, _q: v128): v128 {
    const u2 = expScaledV(v128.or(x, f32x4.splat(-0.0)), f32x4.splat(0), i32x4.splat(K_BIAS));
    const lo = mishHalf(x, u2);
    const hi = mishHalf(v128.shuffle<f32>(x, x, 2, 3, 2, 3), v128.shuffle<f32>(u2, u2, 2, 3, 2, 3));
    return v128.shuffle<f32>(lo, hi, 0, 1, 4, 5);
  }
  // @ts-ignore: decorator
  @inline scalar(x: f32, _p: f32, _q: f32): f32 {
    const u2 = expScaled(-Mathf.abs(x), 0, K_BIAS);
    const xd = <f64>x;
    const u = <f64>u2 * UNSCALE;
    const a = u + u;
    const numPos = a + 1;
    const denPos = a * u + numPos;
    const numNeg = (u + 2) * u;
    const denNeg = numNeg + 2;
    const pos = xd > 0;
    return <f32>((xd * (pos ? numPos : numNeg)) / (pos ? denPos : denNeg));
  }
}

/** dst[i] = mish(src[i]) for i < n. */
export function mish(src: usize, dst: usize, n: usize): void {
  mapUnary<Mish>(src, dst, n, 0, 0);
}

// Backward (PyTorch's mish_backward): dy (T + x sigmoid(x) (1 - T^2)), T = tanh(softplus(x)).
// In u = exp(-|x|), with 1 - T^2 = (1 - T)(1 + T) taken from the fractions (no cancellation):
//   x <= 0: T = n / D, n = u (u + 2), D = n + 2, sigmoid = u / (1 + u), 1 - T^2 = 4 (n + 1) / D^2
//   x >  0: T = N / D, N = 1 + 2u, D = N + 2u^2, sigmoid = 1 / (1 + u), 1 - T^2 = 4u^2 (1 + u)^2 / D^2
// so f' = (P D W + 4x Q) / (D^2 W) with (P, Q, W) = (n, u (n + 1), 1 + u) or (N, u^2 (1 + u), 1).
// For x > 0 both terms are positive. For x < 0 they cancel near the root of f' at x = -1.1924
// (mish's minimum): there f' is the difference of two terms of ~0.2, so its relative error is the
// terms' absolute error over |f'|, which float32 precision of u would make ~1e6 ULP for the float32
// x nearest the root. Hence everything here is float64, u included (expNeg64, relative error a
// few 1e-16). Measured max error over all 2^32 x with dy = 1: 0.882 ULP at x = -1.19243, the
// float32 nearest the root (|f'| = 8.1e-10 there), 0.5 ULP everywhere else; the same 0.882 on
// every float32 x in [-1.25, -1.14] on all three backends (bound 8 ULP).
// x = ±Inf: Inf * 0 = NaN, as PyTorch's formula gives there; NaN gives NaN.

/** dy f'(x) in float64 for the low two lanes. */
// @ts-ignore: decorator
@inline function mishSlopeHalf(dy: v128, x: v128): v128 {
  const xd = f64x2.promote_low_f32x4(x);
  const u = expNeg64V(v128.or(xd, f64x2.splat(-0.0)));
  const one = f64x2.splat(1);
  const u1 = f64x2.add(u, one);
  const uu = f64x2.mul(u, u);
  const a = f64x2.add(u, u);
  const nPos = f64x2.add(a, one);
  const dPos = f64x2.add(f64x2.add(uu, uu), nPos);
  const qPos = f64x2.mul(uu, u1);
  const nNeg = f64x2.mul(f64x2.add(u, f64x2.splat(2)), u);
  const dNeg = f64x2.add(nNeg, f64x2.splat(2));
  const qNeg = f64x2.mul(f64x2.add(nNeg, one), u);
  const pos = f64x2.gt(xd, f64x2.splat(0));
  const p = v128.bitselect(nPos, nNeg, pos);
  const d = v128.bitselect(dPos, dNeg, pos);
  const q = v128.bitselect(qPos, qNeg, pos);
  const w = v128.bitselect(one, u1, pos);
  const num = f64x2.add(f64x2.mul(f64x2.mul(p, d), w), f64x2.mul(f64x2.mul(xd, f64x2.splat(4)), q));
  const den = f64x2.mul(f64x2.mul(d, d), w);
  return f32x4.demote_f64x2_zero(f64x2.div(f64x2.mul(f64x2.promote_low_f32x4(dy), num), den));
}

@final class MishBackward {
  // @ts-ignore: decorator
  @inline vec(dy: v128, x: v128, _p: v128, _q: v128): v128 {
    const lo = mishSlopeHalf(dy, x);
    const hi = mishSlopeHalf(v128.shuffle<f32>(dy, dy, 2, 3, 2, 3), v128.shuffle<f32>(x, x, 2, 3, 2, 3));
    return v128.shuffle<f32>(lo, hi, 0, 1, 4, 5);
  }
  // @ts-ignore: decorator
  @inline scalar(dy: f32, x: f32, _p: f32, _q: f32): f32 {
    const xd = <f64>x;
    const u = expNeg64(-Math.abs(xd));
    const u1 = u + 1;
    const uu = u * u;
    const a = u + u;
    const nPos = a + 1;
    const dPos = (uu + uu) + nPos;
    const qPos = uu * u1;
    const nNeg = (u + 2) * u;
    const dNeg = nNeg + 2;
    const qNeg = (nNeg + 1) * u;
    const pos = xd > 0;
    const p = pos ? nPos : nNeg;
    const d = pos ? dPos : dNeg;
    const q = pos ? qPos : qNeg;
    const w = pos ? 1.0 : u1;
    const num = p * d * w + xd * 4 * q;
    const den = d * d * w;
    return <f32>((<f64>dy * num) / den);
  }
}

/** dx[i] = dy[i] * mish'(x[i]) for i < n (dx may be dy or x). */
export function mishBackward(dy: usize, x: usize, dx: usize, n: usize): void {
  mapBinary<MishBackward>(dy, x, dx, n, 0, 0);
}
