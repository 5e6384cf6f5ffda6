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
// Dividing by beta = 2^kb mb (mb in [1, 2)): exp(y) / beta is a normal float even where exp(y) is
// far below 2^-126 (beta < 1), so the exp is computed scaled by 2^-kc, kc = min(kb, 0) (exact;
// ../exp_scaled.ts; for beta >= 1 no scaling, which would only push e out of range). For
// e = exp(-|y|) < 2^-40, log1p(e) = e up to a relative 2^-41 and the log term is
// (2^-kc e) / (2^-kc beta); above, e itself is normal and the term is log1p(e) / beta. That quotient and
// the sum max(x, 0) + quotient run in float64 and round once to float32 (beta up to FLT_MAX
// makes the log term subnormal in float32 while x + term is not). beta = 1 takes a copy of the
// kernel without the low part, the scaling and the float64 tail, bit-identical to this one.
// Measured max error over all 2^32 float32 inputs (beta = 1, threshold = 20): 1.675 ULP at
// x = -1.26466 (bound 4 ULP); for beta = 0.2, 3, 1e-20, 1e20, 2^-126 and FLT_MAX at most 2.10 ULP
// on 1M inputs (half random bit patterns, half uniform in [-900, 100]); simd and scalar identical. Limits: softplus(+Inf) = +Inf (linear regime, or
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

/** max(x, 0) + num / den in float64, rounded once to float32, for the low two lanes. */
// @ts-ignore: decorator
@inline function sumHalf(base: v128, num: v128, den: v128): v128 {
  return f32x4.demote_f64x2_zero(f64x2.add(f64x2.promote_low_f32x4(base),
    f64x2.div(f64x2.promote_low_f32x4(num), f64x2.promote_low_f32x4(den))));
}

@final class Softplus {
  // @ts-ignore: decorator
  @inline vec(x: v128, beta: v128, threshold: v128): v128 {
    const ax = f32x4.abs(x);
    const a = f32x4.mul(ax, beta);
    const zlo = negProductLowV(ax, a, beta);
    // c = min(kb, 0) + 127 from beta's exponent field kb + 127 (beta is a positive normal float).
    const c = i32x4.min_s(i32x4.shr_u(beta, 23), i32x4.splat(127));
    const es = expScaledV(f32x4.neg(a), zlo, i32x4.add(c, i32x4.splat(MAGIC_BITS - 127))); // 2^-kc e
    const e = f32x4.mul(es, i32x4.shl(c, 23)); // e = exp(-|y|)
    const tiny = f32x4.lt(e, f32x4.splat(TINY));
    const num = v128.bitselect(es, log1pUnitV(e), tiny);
    const den = v128.bitselect(f32x4.mul(beta, i32x4.shl(i32x4.sub(i32x4.splat(254), c), 23)), beta, tiny);
    const base = f32x4.pmax(x, f32x4.splat(0));
    const lo = sumHalf(base, num, den);
    const hi = sumHalf(v128.shuffle<f32>(base, base, 2, 3, 2, 3), v128.shuffle<f32>(num, num, 2, 3, 2, 3),
      v128.shuffle<f32>(den, den, 2, 3, 2, 3));
    const y = v128.shuffle<f32>(lo, hi, 0, 1, 4, 5);
    return v128.bitselect(x, y, f32x4.gt(f32x4.mul(x, beta), threshold));
  }
  // @ts-ignore: decorator
  @inline scalar(x: f32, beta: f32, threshold: f32): f32 {
    const ax = Mathf.abs(x);
    const a = ax * beta;
    const zlo = negProductLow(ax, a, beta);
    const eb = reinterpret<i32>(beta) >>> 23;
    const c = eb < 127 ? eb : 127;
    const es = expScaled(-a, zlo, c + (MAGIC_BITS - 127));
    const e = es * reinterpret<f32>(c << 23);
    const tiny = e < TINY;
    const num = tiny ? es : log1pUnit(e);
    const den = tiny ? beta * reinterpret<f32>((254 - c) << 23) : beta;
    const base = x < 0 ? <f32>0 : x;
    const y = <f32>(<f64>base + <f64>num / <f64>den);
    return x * beta > threshold ? x : y;
  }
}

/**
 * {@link Softplus} for beta = 1: |y| = |x| exactly (no low part), kb = 0 (no scaling), the
 * division by 1 is exact and a float32 sum of two float32 values rounds as their float64 sum does
 * (exact in float64, or off by far less than half a float32 ULP): the same results as the general
 * kernel, ~25% faster.
 */
@final class SoftplusUnit {
  // @ts-ignore: decorator
  @inline vec(x: v128, _beta: v128, threshold: v128): v128 {
    const e = expScaledV(v128.or(x, f32x4.splat(-0.0)), f32x4.splat(0), i32x4.splat(MAGIC_BITS));
    const log = v128.bitselect(e, log1pUnitV(e), f32x4.lt(e, f32x4.splat(TINY)));
    const y = f32x4.add(f32x4.pmax(x, f32x4.splat(0)), log);
    return v128.bitselect(x, y, f32x4.gt(x, threshold));
  }
  // @ts-ignore: decorator
  @inline scalar(x: f32, _beta: f32, threshold: f32): f32 {
    const e = expScaled(-Mathf.abs(x), 0, MAGIC_BITS);
    const log = e < TINY ? e : log1pUnit(e);
    const y = (x < 0 ? <f32>0 : x) + log;
    return x > threshold ? x : y;
  }
}

/**
 * dst[i] = softplus(src[i]; beta, threshold) for i < n (beta a positive normal float32, checked
 * on the TypeScript side).
 */
export function softplus(src: usize, dst: usize, n: usize, beta: f32, threshold: f32): void {
  if (beta == 1) mapUnary<SoftplusUnit>(src, dst, n, beta, threshold, 4); // four per iteration: 1.66 against 1.69-1.82 ns/element with eight (A/B, 2026-11-29)
  else mapUnary<Softplus>(src, dst, n, beta, threshold);
}

// Backward (PyTorch's softplus_backward): (x beta) > threshold ? dy : dy z / (z + 1), z = exp(x
// beta), i.e. dy sigmoid(y). Computed without overflow from h = exp(-|y| / 2) (the scaled exp with
// |y|'s low part, both halved exactly; k = 0), e = h^2:
//   y < 0: (dy h) h / (1 + e)        y >= 0: dy / (1 + e)
// Multiplying dy by h twice (instead of by e = h^2) keeps e's factor accurate where e is below
// 2^-126 but dy e is not (h is a normal float for |y| < 174; beyond, h = 0 and the exact value is
// below 2^-252 |dy|). Error: h's (<= 0.96 ULP, twice in h^2) plus four roundings, all float32;
// measured max 4.41 ULP at x = -6.2369 over all 2^32 x with dy = 1 (bound 8 ULP), at most 4.07
// ULP for the other betas above. beta = 1 takes a copy of the kernel
// without the low part (0 there), bit-identical to the general one. Where PyTorch's z / (z + 1)
// gives Inf / Inf = NaN (an infinite float32 threshold and x beta > 88.7) this gives dy: the limit.

/**
 * (small ? (dy h) h : dy) / (1 + h^2) per lane (vector): dy sigmoid(-|y|) or dy sigmoid(|y|) for
 * h = exp(-|y| / 2); `small` a lane mask. Shared with logsigmoid's backward pass.
 */
// @ts-ignore: decorator
@inline export function logisticQuotientV(dy: v128, h: v128, small: v128): v128 {
  const d = f32x4.add(f32x4.mul(h, h), f32x4.splat(1));
  const num = v128.bitselect(f32x4.mul(f32x4.mul(dy, h), h), dy, small);
  return f32x4.div(num, d);
}

/** Scalar twin of {@link logisticQuotientV}. */
// @ts-ignore: decorator
@inline export function logisticQuotient(dy: f32, h: f32, small: bool): f32 {
  const d = h * h + 1;
  const num = small ? dy * h * h : dy;
  return num / d;
}

@final class SoftplusBackward {
  // @ts-ignore: decorator
  @inline vec(dy: v128, x: v128, beta: v128, threshold: v128): v128 {
    const ax = f32x4.abs(x);
    const a = f32x4.mul(ax, beta);
    const half = f32x4.splat(0.5);
    const zlo = negProductLowV(ax, a, beta);
    const h = expScaledV(f32x4.mul(f32x4.neg(a), half), f32x4.mul(zlo, half), i32x4.splat(MAGIC_BITS));
    const dx = logisticQuotientV(dy, h, f32x4.lt(x, f32x4.splat(0)));
    return v128.bitselect(dy, dx, f32x4.gt(f32x4.mul(x, beta), threshold));
  }
  // @ts-ignore: decorator
  @inline scalar(dy: f32, x: f32, beta: f32, threshold: f32): f32 {
    const ax = Mathf.abs(x);
    const a = ax * beta;
    const zlo = negProductLow(ax, a, beta);
    const h = expScaled(-a * <f32>0.5, zlo * <f32>0.5, MAGIC_BITS);
    const dx = logisticQuotient(dy, h, x < 0);
    return x * beta > threshold ? dy : dx;
  }
}

/** {@link SoftplusBackward} for beta = 1: |y| = |x| exactly, no low part (bit-identical). */
@final class SoftplusBackwardUnit {
  // @ts-ignore: decorator
  @inline vec(dy: v128, x: v128, _beta: v128, threshold: v128): v128 {
    const h = expScaledV(f32x4.mul(v128.or(x, f32x4.splat(-0.0)), f32x4.splat(0.5)), f32x4.splat(0), i32x4.splat(MAGIC_BITS));
    const dx = logisticQuotientV(dy, h, f32x4.lt(x, f32x4.splat(0)));
    return v128.bitselect(dy, dx, f32x4.gt(x, threshold));
  }
  // @ts-ignore: decorator
  @inline scalar(dy: f32, x: f32, _beta: f32, threshold: f32): f32 {
    const h = expScaled(-Mathf.abs(x) * <f32>0.5, 0, MAGIC_BITS);
    const dx = logisticQuotient(dy, h, x < 0);
    return x > threshold ? dy : dx;
  }
}

/** dx[i] = dy[i] * sigmoid(beta x[i]) (or dy[i] in the linear regime) for i < n (dx may be dy or x). */
export function softplusBackward(dy: usize, x: usize, dx: usize, n: usize, beta: f32, threshold: f32): void {
  if (beta == 1) mapBinary<SoftplusBackwardUnit>(dy, x, dx, n, beta, threshold, 8); // eight per iteration: 0.90 against 0.98
  else mapBinary<SoftplusBackward>(dy, x, dx, n, beta, threshold);
}
