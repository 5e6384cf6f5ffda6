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
// twin runs the same float64 operations in the same order (bit-identical builds).

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

/** e^y per f64x2 lane (see the file comment for the range and the error). */
// @ts-ignore: decorator
@inline export function exp64V(y: v128): v128 {
  const yc = f64x2.pmin(f64x2.pmax(y, f64x2.splat(LOW)), f64x2.splat(HIGH)); // keeps NaN
  const t = f64x2.add(f64x2.mul(yc, f64x2.splat(LOG2E)), f64x2.splat(MAGIC));
  const k = f64x2.sub(t, f64x2.splat(MAGIC));
  const r = f64x2.sub(f64x2.sub(yc, f64x2.mul(k, f64x2.splat(LN2_HI))), f64x2.mul(k, f64x2.splat(LN2_LO)));
  let p = f64x2.add(f64x2.mul(f64x2.splat(C11), r), f64x2.splat(C10));
  p = f64x2.add(f64x2.mul(p, r), f64x2.splat(C9));
  p = f64x2.add(f64x2.mul(p, r), f64x2.splat(C8));
  p = f64x2.add(f64x2.mul(p, r), f64x2.splat(C7));
  p = f64x2.add(f64x2.mul(p, r), f64x2.splat(C6));
  p = f64x2.add(f64x2.mul(p, r), f64x2.splat(C5));
  p = f64x2.add(f64x2.mul(p, r), f64x2.splat(C4));
  p = f64x2.add(f64x2.mul(p, r), f64x2.splat(C3));
  p = f64x2.add(f64x2.mul(p, r), f64x2.splat(C2));
  p = f64x2.add(f64x2.mul(f64x2.mul(p, r), r), r); // e^r - 1
  // 2^k in the exponent field: t's low bits hold k (the top bits shift out).
  const scale = i64x2.shl(i64x2.add(t, i64x2.splat(1023)), 52);
  const e = f64x2.add(f64x2.mul(p, scale), scale);
  const big = f64x2.gt(y, f64x2.splat(HIGH));
  return v128.andnot(v128.bitselect(f64x2.splat(Infinity), e, big), f64x2.lt(y, f64x2.splat(LOW)));
}

/** Scalar twin of {@link exp64V}. */
// @ts-ignore: decorator
@inline export function exp64(y: f64): f64 {
  let yc = y < LOW ? LOW : y;
  yc = HIGH < yc ? HIGH : yc;
  const t = yc * LOG2E + MAGIC;
  const k = t - MAGIC;
  const r = (yc - k * LN2_HI) - k * LN2_LO;
  let p = C11 * r + C10;
  p = p * r + C9;
  p = p * r + C8;
  p = p * r + C7;
  p = p * r + C6;
  p = p * r + C5;
  p = p * r + C4;
  p = p * r + C3;
  p = p * r + C2;
  p = p * r * r + r;
  const scale = reinterpret<f64>((reinterpret<i64>(t) + 1023) << 52);
  const e = p * scale + scale;
  if (y > HIGH) return Infinity;
  return y < LOW ? 0 : e;
}
