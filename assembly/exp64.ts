// exp in float64 for the log-softmax backward pass, which needs e^y far more accurately than the
// float32 core of math.ts: dx = dy - e^y S cancels where dy ~ e^y S (dy = 1: at y ~ -log n), and
// the float32 rounding of e^y would then be many float32 ULP of dx.
// Range reduction y = k ln2 + r, |r| <= ln2 / 2 (Cody-Waite with fdlibm's ln2 split: k ln2_hi is
// exact for |k| < 2^20), then Taylor to degree 11: truncation r^12 / 12! <= 6.3e-15 relative
// (2^-47.2) at |r| = 0.3466, plus ~12 float64 roundings (~2^-50): about 2^-47 relative in all,
// far below the 2^-24 of a float32 ULP. y is clamped to [-708, 709] first so that 2^k stays
// normal; below -708 the result is 0 (e^y < 3.3e-308: dy - e^y S is then dy to far below the
// 2^-126 absolute allowance, whatever the float32 sum S), above 709 it is Infinity (e^y S then
// overflows float32 for every nonzero S, as the exact value does). NaN stays NaN. The scalar
// twin runs the same float64 operations in the same order (bit-identical builds). CELU's float64
// path (ops/celu.ts) takes exp64 for its backward pass.
//
// expm1_64 (CELU's forward pass) shares the clamp, reduction and polynomial and reconstructs
// e^y - 1 = 2^k (1 + p) - 1 = p s + (s - 1), s = 2^k, p = e^r - 1 (as ./expm1.ts in float32):
// - k = 0 (|y| < ln2 / 2): s - 1 = +0 and the result is p + 0, with r = y exactly, so there is no
//   cancellation: the Taylor tail (6.4e-15 at |r| = 0.3466, falling as r^12) is at most
//   2^-45.4 of |p| (|p| >= 0.29 there), and relatively less toward 0, where p -> r. y = ±0 gives
//   +0 (p = +0 there, and + 0 turns a -0 into +0: PyTorch's exp(0) - 1).
// - k != 0: s - 1 is exact for k >= -52 (below, it rounds by <= 2^-54 where the result is -1 to
//   2^-52), p s is exact, and the error of p enters scaled by |p s| / |result| <= 1.42 (k = 1,
//   r = -ln2 / 2): below 2^-44 relative, plus the one rounding of the sum.
// - The clamp makes the tails without masks: y < -708 (and -Infinity) gives -1 exactly (s - 1 =
//   -1, and p s = 2^-1021 p vanishes in the sum); y > 709 (and +Infinity) gives e^709 - 1 =
//   8.2e307, finite, which a caller that multiplies by a nonzero float32 and rounds to float32
//   turns into the right signed infinity (|alpha| e^709 >= 2^-149 e^709 > 2^128). NaN stays NaN.

// @ts-ignore: decorator
@inline const LOG2E: f64 = 1.4426950408889634;
// @ts-ignore: decorator
@inline const MAGIC: f64 = 6755399441055744.0; // 1.5 * 2^52: t - MAGIC rounds to an integer
// @ts-ignore: decorator
@inline const LN2_HI: f64 = 6.93147180369123816490e-01; // 0x3fe62e42fee00000 (fdlibm)
// @ts-ignore: decorator
@inline const LN2_LO: f64 = 1.90821492927058770002e-10; // 0x3dea39ef35793c76
// @ts-ignore: decorator
@inline const LOW: f64 = -708.0;
// @ts-ignore: decorator
@inline const HIGH: f64 = 709.0;
// Taylor coefficients 1 / k!, k = 2..11 (rounded to float64).
// @ts-ignore: decorator
@inline const C2: f64 = 0.5;
// @ts-ignore: decorator
@inline const C3: f64 = 1.0 / 6.0;
// @ts-ignore: decorator
@inline const C4: f64 = 1.0 / 24.0;
// @ts-ignore: decorator
@inline const C5: f64 = 1.0 / 120.0;
// @ts-ignore: decorator
@inline const C6: f64 = 1.0 / 720.0;
// @ts-ignore: decorator
@inline const C7: f64 = 1.0 / 5040.0;
// @ts-ignore: decorator
@inline const C8: f64 = 1.0 / 40320.0;
// @ts-ignore: decorator
@inline const C9: f64 = 1.0 / 362880.0;
// @ts-ignore: decorator
@inline const C10: f64 = 1.0 / 3628800.0;
// @ts-ignore: decorator
@inline const C11: f64 = 1.0 / 39916800.0;

// The core in steps (as ./math.ts splits the float32 one), shared by exp64 and expm1_64 below:
// an inlined function returns one value, so each step returns one and the callers chain them.

/** Step 1: y clamped to [-708, 709]; pmax/pmin keep a NaN y (vector). */
// @ts-ignore: decorator
@inline export function exp64ClampV(y: v128): v128 {
  return f64x2.pmin(f64x2.pmax(y, f64x2.splat(LOW)), f64x2.splat(HIGH));
}
/** Step 2: t = yc log2(e) + MAGIC; its low mantissa bits hold k = round(yc / ln2) (vector). */
// @ts-ignore: decorator
@inline export function exp64BiasedV(yc: v128): v128 {
  return f64x2.add(f64x2.mul(yc, f64x2.splat(LOG2E)), f64x2.splat(MAGIC));
}
/** Step 3: r = yc - k ln2, Cody-Waite with fdlibm's split (k LN2_HI and the first difference exact). */
// @ts-ignore: decorator
@inline export function exp64RemainderV(yc: v128, t: v128): v128 {
  const k = f64x2.sub(t, f64x2.splat(MAGIC));
  return f64x2.sub(f64x2.sub(yc, f64x2.mul(k, f64x2.splat(LN2_HI))), f64x2.mul(k, f64x2.splat(LN2_LO)));
}
/** Step 4: p = e^r - 1, Taylor to degree 11 by Horner, r added last (vector). */
// @ts-ignore: decorator
@inline export function exp64PolyV(r: v128): v128 {
  let p = f64x2.add(f64x2.mul(f64x2.splat(C11), r), f64x2.splat(C10));
  p = f64x2.add(f64x2.mul(p, r), f64x2.splat(C9));
  p = f64x2.add(f64x2.mul(p, r), f64x2.splat(C8));
  p = f64x2.add(f64x2.mul(p, r), f64x2.splat(C7));
  p = f64x2.add(f64x2.mul(p, r), f64x2.splat(C6));
  p = f64x2.add(f64x2.mul(p, r), f64x2.splat(C5));
  p = f64x2.add(f64x2.mul(p, r), f64x2.splat(C4));
  p = f64x2.add(f64x2.mul(p, r), f64x2.splat(C3));
  p = f64x2.add(f64x2.mul(p, r), f64x2.splat(C2));
  return f64x2.add(f64x2.mul(f64x2.mul(p, r), r), r);
}
/** Step 5: 2^k in the exponent field: t's low bits hold k (the top bits shift out) (vector). */
// @ts-ignore: decorator
@inline export function exp64ScaleV(t: v128): v128 {
  return i64x2.shl(i64x2.add(t, i64x2.splat(1023)), 52);
}

/** e^y per f64x2 lane (see the file comment for the range and the error). */
// @ts-ignore: decorator
@inline export function exp64V(y: v128): v128 {
  const yc = exp64ClampV(y);
  const t = exp64BiasedV(yc);
  const p = exp64PolyV(exp64RemainderV(yc, t));
  const scale = exp64ScaleV(t);
  const e = f64x2.add(f64x2.mul(p, scale), scale);
  const big = f64x2.gt(y, f64x2.splat(HIGH));
  return v128.andnot(v128.bitselect(f64x2.splat(Infinity), e, big), f64x2.lt(y, f64x2.splat(LOW)));
}

/**
 * e^y - 1 per f64x2 lane, without the cancellation of e^y - 1 near 0: with s = 2^k,
 * e^y - 1 = s (1 + p) - 1 = p s + (s - 1). See the file comment for the range and the error.
 */
// @ts-ignore: decorator
@inline export function expm1_64V(y: v128): v128 {
  const yc = exp64ClampV(y);
  const t = exp64BiasedV(yc);
  const p = exp64PolyV(exp64RemainderV(yc, t));
  const scale = exp64ScaleV(t);
  return f64x2.add(f64x2.mul(p, scale), f64x2.sub(scale, f64x2.splat(1)));
}

/** Scalar twin of {@link exp64ClampV}. */
// @ts-ignore: decorator
@inline export function exp64Clamp(y: f64): f64 {
  const yc = y < LOW ? LOW : y;
  return HIGH < yc ? HIGH : yc;
}
/** Scalar twin of {@link exp64BiasedV}. */
// @ts-ignore: decorator
@inline export function exp64Biased(yc: f64): f64 { return yc * LOG2E + MAGIC; }
/** Scalar twin of {@link exp64RemainderV}. */
// @ts-ignore: decorator
@inline export function exp64Remainder(yc: f64, t: f64): f64 {
  const k = t - MAGIC;
  return (yc - k * LN2_HI) - k * LN2_LO;
}
/** Scalar twin of {@link exp64PolyV}. */
// @ts-ignore: decorator
@inline export function exp64Poly(r: f64): f64 {
  let p = C11 * r + C10;
  p = p * r + C9;
  p = p * r + C8;
  p = p * r + C7;
  p = p * r + C6;
  p = p * r + C5;
  p = p * r + C4;
  p = p * r + C3;
  p = p * r + C2;
  return p * r * r + r;
}
/** Scalar twin of {@link exp64ScaleV}. */
// @ts-ignore: decorator
@inline export function exp64Scale(t: f64): f64 { return reinterpret<f64>((reinterpret<i64>(t) + 1023) << 52); }

/** Scalar twin of {@link exp64V}. */
// @ts-ignore: decorator
@inline export function exp64(y: f64): f64 {
  const yc = exp64Clamp(y);
  const t = exp64Biased(yc);
  const p = exp64Poly(exp64Remainder(yc, t));
  const scale = exp64Scale(t);
  const e = p * scale + scale;
  if (y > HIGH) return Infinity;
  return y < LOW ? 0 : e;
}

/** Scalar twin of {@link expm1_64V}. */
// @ts-ignore: decorator
@inline export function expm1_64(y: f64): f64 {
  const yc = exp64Clamp(y);
  const t = exp64Biased(yc);
  const p = exp64Poly(exp64Remainder(yc, t));
  const scale = exp64Scale(t);
  return p * scale + (scale - 1);
}
