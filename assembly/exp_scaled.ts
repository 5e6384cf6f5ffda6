// Two exp building blocks for the softplus family (softplus, logsigmoid, mish), beside the shared
// float32 core of ./math.ts whose steps they reuse unchanged.
//
// 1. expScaledV(zhi, zlo, kBias) = 2^k exp(zhi + zlo) in float32, for zhi <= 0 with a low part
//    zlo (|zlo| <= half an ULP of zhi) and a power-of-two scale 2^k, -127 <= k <= 127.
//    Why: softplus with beta < 1 returns exp(beta x) / beta, a normal float even where exp(beta x)
//    itself is far below 2^-126 (beta = 2^-126: down to exp(-175)); mish returns x exp(x), normal
//    down to x ~ -91. The 2^n of the core's reconstruction is built as 2^(n + k) instead, from the
//    same magic-bias integer (its bits minus 0x4B400000 are n + 127), so the result is the same
//    rounding of the same polynomial, only scaled. Where n + k + 127 <= 0 the field is clamped to 0
//    and the result is exactly 0 (the kernels make sure that only happens where their exact value
//    is below 2^-126 anyway). zhi is clamped at -180 first (every intermediate finite; n >= -260),
//    and the low part is added to the reduced argument t as softmax does with x - max's low part:
//    t + zlo is accurate to float32 rounding of t, where rounding zhi + zlo to float32 first would
//    cost up to |z| 2^-24 of relative error (44 ULP at z = -87). Error: the core's (<= 0.96 ULP,
//    ./math.ts); the kernels measure theirs over all 2^32 inputs.
//
// 2. expNeg64(z) = exp(z) in float64 for z <= 0 (on one f64x2), for mish's backward pass, whose
//    derivative crosses zero at x = -1.1924: near that root the result is the difference of two
//    terms of ~0.2 that cancel, so a float32 exp (relative error 6e-8) would leave 1e6 ULP there.
//    Range reduction n = round(z / ln2) by a magic bias (1.5 * 2^52 + 1023: its low bits are n +
//    1023, so `bits << 52` is 2^n), t = z - n ln2 with fdlibm's two-part ln2 (ln2_hi has 32
//    significant bits: n ln2_hi exact for |n| < 2^20); exp(t), |t| <= 0.3466, by its Taylor
//    polynomial of degree 12 (coefficients 1/k!, truncation <= 0.3466^13 / 13! e^0.35 < 2.4e-16
//    relative). z < -708 gives exactly 0 (2^n stays normal down to n = -1021); NaN stays NaN.
//    Relative error a few 1e-16 (float64 roundings of Horner's scheme).
import { expBiased, expBiasedV, expPoly, expPolyV, expRemainder, expRemainderV } from "./math";

// @ts-ignore: decorator
@inline const SCALED_CLAMP: f32 = -180.0;
/** The bits of MAGIC_BIAS minus its 127: `biased bits - 0x4B400000` is n + 127. */
// @ts-ignore: decorator
@inline export const MAGIC_BITS: i32 = 0x4B400000;

/** 2^k exp(zhi + zlo) for zhi <= 0 (vector); kBias = MAGIC_BITS - k in every lane. */
// @ts-ignore: decorator
@inline export function expScaledV(zhi: v128, zlo: v128, kBias: v128): v128 {
  const zc = f32x4.pmax(zhi, f32x4.splat(SCALED_CLAMP));
  const biased = expBiasedV(zc);
  const s = i32x4.shl(i32x4.max_s(i32x4.sub(biased, kBias), i32x4.splat(0)), 23);
  const r = expPolyV(f32x4.add(expRemainderV(zc, biased), zlo));
  return f32x4.add(f32x4.mul(r, s), s);
}

/** Scalar twin of {@link expScaledV}. */
// @ts-ignore: decorator
@inline export function expScaled(zhi: f32, zlo: f32, kBias: i32): f32 {
  const zc = zhi < SCALED_CLAMP ? SCALED_CLAMP : zhi;
  const biased = expBiased(zc);
  const field = reinterpret<i32>(biased) - kBias;
  const s = reinterpret<f32>((field < 0 ? 0 : field) << 23);
  const r = expPoly(expRemainder(zc, biased) + zlo);
  return r * s + s;
}

// @ts-ignore: decorator
@inline const MAGIC_BIAS64: f64 = 6755399441055744.0 + 1023.0; // 1.5 * 2^52 + 1023
// @ts-ignore: decorator
@inline const LOG2E64: f64 = 1.4426950408889634;
// @ts-ignore: decorator
@inline const MINUS_LN2_HI64: f64 = -6.93147180369123816490e-01; // fdlibm ln2_hi
// @ts-ignore: decorator
@inline const MINUS_LN2_LO64: f64 = -1.90821492927058770002e-10; // fdlibm ln2_lo
// @ts-ignore: decorator
@inline const CLAMP64: f64 = -708.0;

/** exp(z) for z <= 0 in float64, both lanes of an f64x2; see the top of this file. */
// @ts-ignore: decorator
@inline export function expNeg64V(z: v128): v128 {
  const zc = f64x2.pmax(z, f64x2.splat(CLAMP64));
  const biased = f64x2.add(f64x2.mul(zc, f64x2.splat(LOG2E64)), f64x2.splat(MAGIC_BIAS64));
  const n = f64x2.sub(biased, f64x2.splat(MAGIC_BIAS64));
  let t = f64x2.add(f64x2.mul(n, f64x2.splat(MINUS_LN2_HI64)), zc);
  t = f64x2.add(f64x2.mul(n, f64x2.splat(MINUS_LN2_LO64)), t);
  let p = f64x2.add(f64x2.mul(t, f64x2.splat(1.0 / 479001600.0)), f64x2.splat(1.0 / 39916800.0));
  p = f64x2.add(f64x2.mul(p, t), f64x2.splat(1.0 / 3628800.0));
  p = f64x2.add(f64x2.mul(p, t), f64x2.splat(1.0 / 362880.0));
  p = f64x2.add(f64x2.mul(p, t), f64x2.splat(1.0 / 40320.0));
  p = f64x2.add(f64x2.mul(p, t), f64x2.splat(1.0 / 5040.0));
  p = f64x2.add(f64x2.mul(p, t), f64x2.splat(1.0 / 720.0));
  p = f64x2.add(f64x2.mul(p, t), f64x2.splat(1.0 / 120.0));
  p = f64x2.add(f64x2.mul(p, t), f64x2.splat(1.0 / 24.0));
  p = f64x2.add(f64x2.mul(p, t), f64x2.splat(1.0 / 6.0));
  p = f64x2.add(f64x2.mul(p, t), f64x2.splat(0.5));
  p = f64x2.add(f64x2.mul(p, t), f64x2.splat(1.0));
  p = f64x2.add(f64x2.mul(p, t), f64x2.splat(1.0));
  const u = f64x2.mul(p, i64x2.shl(biased, 52));
  return v128.andnot(u, f64x2.lt(z, f64x2.splat(CLAMP64)));
}

/** Scalar twin of {@link expNeg64V}: the same float64 operations in the same order. */
// @ts-ignore: decorator
@inline export function expNeg64(z: f64): f64 {
  const zc = z < CLAMP64 ? CLAMP64 : z;
  const biased = zc * LOG2E64 + MAGIC_BIAS64;
  const n = biased - MAGIC_BIAS64;
  let t = n * MINUS_LN2_HI64 + zc;
  t = n * MINUS_LN2_LO64 + t;
  let p = t * (1.0 / 479001600.0) + 1.0 / 39916800.0;
  p = p * t + 1.0 / 3628800.0;
  p = p * t + 1.0 / 362880.0;
  p = p * t + 1.0 / 40320.0;
  p = p * t + 1.0 / 5040.0;
  p = p * t + 1.0 / 720.0;
  p = p * t + 1.0 / 120.0;
  p = p * t + 1.0 / 24.0;
  p = p * t + 1.0 / 6.0;
  p = p * t + 0.5;
  p = p * t + 1.0;
  p = p * t + 1.0;
  const u = p * reinterpret<f64>(reinterpret<i64>(biased) << 52);
  return z < CLAMP64 ? 0 : u;
}
