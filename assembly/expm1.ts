// expm1(z) = exp(z) - 1 for z <= 0 (z may be -Infinity or NaN), in float32 with full relative
// accuracy near 0, where exp(z) - 1 would cancel. A vector and a scalar twin that perform the same
// float32 operations in the same order (simd and scalar builds bit-identical).
//
// It reuses the exp core of ./math.ts step by step (range reduction n = round(z / ln2) by the magic
// bias, Cody-Waite t = z - n ln2 in two parts, r = expm1(t) = t + t^2 q(t) by the shared degree-4
// q), and reconstructs with s = 2^n:
//
//   expm1(z) = 2^n (1 + r) - 1 = s * r + (s - 1)
//
// - n = 0 (|z| < ln2 / 2): s = 1, t = z exactly, and the result is r itself, whose relative error
//   is small because the polynomial keeps t exact and only adds t^2 q(t) (at most 18% of t) to it.
// - n <= -1: s - 1 is exact for n >= -24 (and rounds to -1 below, where the result is -1 within
//   half an ULP); s * r is exact (a power of two), and the two terms have opposite signs only for
//   n = -1 with r > 0, where s - 1 = -0.5 dominates (|s r| <= 0.21): the final addition is the one
//   large rounding.
// - z <= -88 (and -Infinity) is clamped to -88, where s encodes as +0 and the result is exactly -1;
//   a NaN z passes the clamp (pmax keeps it) and gives NaN.
// - z = -0 gives +0 (t = -0, t^2 q + t = +0 + -0 = +0), the value of PyTorch's exp(z) - 1.
//
// Measured max error: 0.92 ULP at z = -0.3879 over 4M random z in [-20, 0] and in -[2^-30, 1], in a
// float32 emulation of exactly these operations (Math.fround after each); over all 2^32 inputs,
// elu (alpha = 1: expm1 and an exact multiply by 1) measures 0.921 ULP at x = -0.38706.
import {
  EXP_CLAMP, expBiased, expBiasedV, expPoly, expPolyV, expRemainder, expRemainderV, expTwoPow, expTwoPowV,
} from "./math";

/** expm1(z) for z <= 0, -Infinity and NaN (vector); see the file comment. */
// @ts-ignore: decorator
@inline export function expm1NegV(z: v128): v128 {
  const zc = f32x4.pmax(z, f32x4.splat(EXP_CLAMP));
  const biased = expBiasedV(zc);
  const s = expTwoPowV(biased);
  const r = expPolyV(expRemainderV(zc, biased));
  return f32x4.add(f32x4.mul(s, r), f32x4.sub(s, f32x4.splat(1)));
}

/** Scalar twin of {@link expm1NegV}: the same float32 operations in the same order. */
// @ts-ignore: decorator
@inline export function expm1Neg(z: f32): f32 {
  const zc = z < EXP_CLAMP ? EXP_CLAMP : z;
  const biased = expBiased(zc);
  const s = expTwoPow(biased);
  const r = expPoly(expRemainder(zc, biased));
  return s * r + (s - 1);
}
