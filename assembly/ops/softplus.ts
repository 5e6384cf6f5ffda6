// Softplus (PyTorch's softplus): (x beta) > threshold ? x : log(1 + exp(beta x)) / beta, with the
// float32 product x * beta compared with the float32 threshold exactly as PyTorch's float kernels
// do. beta > 0 (checked on the TypeScript side), so with y = beta x:
//   log(1 + exp(y)) / beta = max(x, 0) + log1p(exp(-|y|)) / beta
// (max(y, 0) / beta = max(x, 0) exactly), and nothing overflows: exp(-|y|) is in [0, 1] and feeds
// the log1p kernel of ../log1p.ts; the sum has no cancellation (both terms >= 0).
//
// |y| exactly: a = |x| * beta rounded to float32 is the high part; the low part (exact product
// minus a, from float64 where the 24 x 24-bit product is exact) goes into the exp reduction
// (../exp_scaled.ts), so exp(-|y|) does not inherit a's rounding times |y| (up to 44 ULP at
// |y| = 87 for beta != 1; for beta = 1 the low part is 0).
//
// Dividing by beta: beta = 2^kb mb, mb in [1, 2). The exp is computed scaled by 2^-kb (exact), so
// that exp(y) / beta stays accurate where exp(y) is below 2^-126 but exp(y) / beta is not (beta <
// 1): for e = exp(-|y|) < 2^-40, log1p(e) / beta = (2^-kb e) / mb up to a relative 2^-41; above,
// (log1p(e) 2^-kb) / mb with e itself (normal there). One division by mb, no 1/beta rounding.
// For beta >= 2^127, 2^-kb encodes as 0 and the log term is 0: it is below 2^-126 there.
//
// Measured max error over all 2^32 float32 inputs (beta = 1, threshold = 20): see
// src/activations/softplus.ts; bound 4 ULP. Limits: softplus(+Inf) = +Inf (linear regime, or
// +Inf + 0), softplus(-Inf) = 0, NaN gives NaN.
import { mapBinary } from "../binary";
import { expScaled, expScaledV, MAGIC_BITS } from "../exp_scaled";
import { log1pUnit, log1pUnitV } from "../log1p";
import { mapUnary } from "../unary";

// @ts-ignore: decorator
@inline const TINY: f32 = reinterpret<f32>(0x2B800000); // 2^-40: log1p(e) = e below it
// @ts-ignore: decorator
@inline const CLAMP: f32 = -180.0; // as expScaled's clamp: below it the low part is dropped

/** -(exact |x| beta - a) as float32, a = |x| * beta rounded (two lanes of f64, low half of v). */
// @ts-ignore: decorator
@inline function lowHalf(ax: v128, a: v128, b: v128): v128 {
  return f32x4.demote_f64x2_zero(f64x2.sub(f64x2.promote_low_f32x4(a),
    f64x2.mul(f64x2.promote_low_f32x4(ax), f64x2.promote_low_f32x4(b))));
}

/** The low part zlo of z = -|x| beta = -a + zlo (vector), 0 where -a is below the clamp. */
// @ts-ignore: decorator
@inline function negProductLowV(ax: v128, a: v128, b: v128): v128 {
  const lo = lowHalf(ax, a, b);
  const hi = lowHalf(v128.shuffle<f32>(ax, ax, 2, 3, 2, 3), v128.shuffle<f32>(a, a, 2, 3, 2, 3), b);
  return v128.andnot(v128.shuffle<f32>(lo, hi, 0, 1, 4, 5), f32x4.lt(f32x4.neg(a), f32x4.splat(CLAMP)));
}

/** Scalar twin of {@link negProductLowV}. */
// @ts-ignore: decorator
@inline function negProductLow(ax: f32, a: f32, b: f32): f32 {
  const lo = <f32>(<f64>a - <f64>ax * <f64>b);
  return -a < CLAMP ? 0 : lo;
}

@final class Softplus {
  // @ts-ignore: decorator
  @inline vec(x: v128, beta: v128, threshold: v128): v128 {
    const ax = f32x4.abs(x);
    const a = f32x4.mul(ax, beta);
    const zlo = negProductLowV(ax, a, beta);
    // beta's exponent field eb = kb + 127 (beta is a positive normal float).
    const eb = i32x4.shr_u(beta, 23);
    const es = expScaledV(f32x4.neg(a), zlo, i32x4.add(eb, i32x4.splat(MAGIC_BITS - 127))); // 2^-kb e
    const e = f32x4.mul(es, i32x4.shl(eb, 23)); // e = exp(-|y|)
    const scaleDown = i32x4.shl(i32x4.sub(i32x4.splat(254), eb), 23); // 2^-kb (0 for kb = 127)
    const mb = v128.or(v128.and(beta, i32x4.splat(0x007FFFFF)), f32x4.splat(1));
    const scaledLog = v128.bitselect(es, f32x4.mul(log1pUnitV(e), scaleDown), f32x4.lt(e, f32x4.splat(TINY)));
    const y = f32x4.add(f32x4.pmax(x, f32x4.splat(0)), f32x4.div(scaledLog, mb));
    return v128.bitselect(x, y, f32x4.gt(f32x4.mul(x, beta), threshold));
  }
  // @ts-ignore: decorator
  @inline scalar(x: f32, beta: f32, threshold: f32): f32 {
    const ax = Mathf.abs(x);
    const a = ax * beta;
    const zlo = negProductLow(ax, a, beta);
    const eb = reinterpret<i32>(beta) >>> 23;
    const es = expScaled(-a, zlo, eb + (MAGIC_BITS - 127));
    const e = es * reinterpret<f32>(eb << 23);
    const scaleDown = reinterpret<f32>((254 - eb) << 23);
    const mb = reinterpret<f32>((reinterpret<i32>(beta) & 0x007FFFFF) | 0x3F800000);
    const scaledLog = e < TINY ? es : log1pUnit(e) * scaleDown;
    const y = (x < 0 ? <f32>0 : x) + scaledLog / mb;
    return x * beta > threshold ? x : y;
  }
}

/**
 * dst[i] = softplus(src[i]; beta, threshold) for i < n (beta a positive normal float32, checked
 * on the TypeScript side).
 */
export function softplus(src: usize, dst: usize, n: usize, beta: f32, threshold: f32): void {
  mapUnary<Softplus>(src, dst, n, beta, threshold);
}

// Backward (PyTorch's softplus_backward): (x beta) > threshold ? dy : dy z / (z + 1), z = exp(x
// beta), i.e. dy sigmoid(y). Computed without overflow as dy q / (1 + e) with e = exp(-|y|) and q
// = e (y < 0) or 1 (y >= 0), where e = h^2 and h = exp(-|y| / 2) from the scaled exp (|y| with its
// low part, halved exactly; k = 0), then in float64 as ../math.ts's logisticSlope: h^2 is exact
// and dy e / (1 + e) rounds once to float32, so e stays accurate where it is below 2^-126 but dy e
// is not. h < 2^-126 (|y| > 174) gives e = 0: below 2^-252. Measured: see
// src/activations/softplus.ts; bound 8 ULP. Where PyTorch's z / (z + 1) gives Inf / Inf = NaN (an
// infinite threshold and x beta > 88.7) this gives dy: the limit.

/** dy q / (1 + h^2) in float64, q = h^2 or 1 per the mask, for the low two lanes. */
// @ts-ignore: decorator
@inline function sigmoidSlopeHalf(dy: v128, h: v128, neg: v128): v128 {
  const hd = f64x2.promote_low_f32x4(h);
  const e = f64x2.mul(hd, hd);
  const negd = i64x2.extend_low_i32x4_s(neg);
  const q = v128.bitselect(e, f64x2.splat(1), negd);
  return f32x4.demote_f64x2_zero(f64x2.div(f64x2.mul(f64x2.promote_low_f32x4(dy), q), f64x2.add(e, f64x2.splat(1))));
}

/**
 * dy * (neg ? e : 1) / (1 + e), e = h^2, per lane in float64 (vector); `neg` a lane mask. Shared
 * with logsigmoid's backward pass (sigmoid(-x) is the same quotient with the mask flipped).
 */
// @ts-ignore: decorator
@inline export function sigmoidSlopeV(dy: v128, h: v128, neg: v128): v128 {
  const lo = sigmoidSlopeHalf(dy, h, neg);
  const hi = sigmoidSlopeHalf(v128.shuffle<f32>(dy, dy, 2, 3, 2, 3), v128.shuffle<f32>(h, h, 2, 3, 2, 3),
    v128.shuffle<f32>(neg, neg, 2, 3, 2, 3));
  return v128.shuffle<f32>(lo, hi, 0, 1, 4, 5);
}

/** Scalar twin of {@link sigmoidSlopeV}. */
// @ts-ignore: decorator
@inline export function sigmoidSlope(dy: f32, h: f32, neg: bool): f32 {
  const hd = <f64>h;
  const e = hd * hd;
  const q = neg ? e : 1.0;
  return <f32>((<f64>dy * q) / (e + 1));
}

@final class SoftplusBackward {
  // @ts-ignore: decorator
  @inline vec(dy: v128, x: v128, beta: v128, threshold: v128): v128 {
    const ax = f32x4.abs(x);
    const a = f32x4.mul(ax, beta);
    const half = f32x4.splat(0.5);
    const zlo = negProductLowV(ax, a, beta);
    const h = expScaledV(f32x4.mul(f32x4.neg(a), half), f32x4.mul(zlo, half), i32x4.splat(MAGIC_BITS));
    const dx = sigmoidSlopeV(dy, h, f32x4.lt(x, f32x4.splat(0)));
    return v128.bitselect(dy, dx, f32x4.gt(f32x4.mul(x, beta), threshold));
  }
  // @ts-ignore: decorator
  @inline scalar(dy: f32, x: f32, beta: f32, threshold: f32): f32 {
    const ax = Mathf.abs(x);
    const a = ax * beta;
    const zlo = negProductLow(ax, a, beta);
    const h = expScaled(-a * <f32>0.5, zlo * <f32>0.5, MAGIC_BITS);
    const dx = sigmoidSlope(dy, h, x < 0);
    return x * beta > threshold ? dy : dx;
  }
}

/** dx[i] = dy[i] * sigmoid(beta x[i]) (or dy[i] in the linear regime) for i < n (dx may be dy or x). */
export function softplusBackward(dy: usize, x: usize, dx: usize, n: usize, beta: f32, threshold: f32): void {
  mapBinary<SoftplusBackward>(dy, x, dx, n, beta, threshold);
}
