// Building blocks shared by the kernels: the exp core for non-positive arguments, in a v128 and a
// scalar form that perform the same float32 operations in the same order, so that the `simd` and
// `scalar` builds return bit-identical results. WebAssembly has no fused multiply-add in its base
// SIMD set, so every `a * b + c` below is two roundings; the error figures account for that.

// ---------------------------------------------------------------------------------------------
// exp(z) for z <= 0 (z may be -Infinity or NaN), in the manner of XNNPACK's "rr2" exp:
//
//   range reduction  n = round(z / ln2) by the magic-bias trick: adding 1.5 * 2^23 (+127, the
//                    float exponent bias) rounds z * log2(e) to an integer held in the low mantissa
//                    bits, so `bits << 23` is directly the float 2^n (valid for -126 <= n <= 127).
//                    t = z - n * ln2 in two parts (Cody-Waite): ln2_hi has 15 significant bits, so
//                    n * ln2_hi is exact for |n| < 512 and z - n * ln2_hi is exact (Sterbenz);
//                    only the ln2_lo step rounds. |t| <= ln2 / 2 (+ a hair when the two-step
//                    rounding of n picks the other neighbour, which the polynomial still covers).
//   polynomial       exp(t) = 1 + t + t^2 * q(t), q of degree 4 fitted by us (Lawson's iteratively
//                    reweighted least squares = minimax) for least relative error of exp(t) on
//                    [-ln2/2, ln2/2]: 3.1e-9 relative (0.05 ULP) before rounding the coefficients.
//   reconstruction   exp(z) = s + s * r with s = 2^n and r = t + t^2 q(t), so the only large
//                    rounding is the final addition.
//   saturation       below ln(2^-126) the true value is under the smallest normal float, where the
//                    accuracy contract allows an absolute error of 2^-126: expNegV clamps z at -88,
//                    where 2^n encodes as +0 and exp is exactly 0; softmax, whose low part of x - max
//                    may be NaN next to -Infinity, zeroes those lanes after the fact (expFlushV).
//
// Measured max error of this exp: 0.96 ULP over 4M random z in [-87, 0], in a float32 emulation of
// exactly these operations (Math.fround after each one); the error it leaves in each kernel is
// measured on the kernel itself over all 2^32 inputs (see the kernels' comments).
// ---------------------------------------------------------------------------------------------

/** 1.5 * 2^23 + 127: rounds to an integer and carries the float exponent bias. */
// @ts-ignore: decorator
@inline export const MAGIC_BIAS: f32 = reinterpret<f32>(0x4B40007F); // 12583039.0
// @ts-ignore: decorator
@inline export const LOG2E: f32 = reinterpret<f32>(0x3FB8AA3B); // 1.44269502
// @ts-ignore: decorator
@inline export const MINUS_LN2_HI: f32 = -reinterpret<f32>(0x3F317200); // -0.693145752 (15 bits)
// @ts-ignore: decorator
@inline export const MINUS_LN2_LO: f32 = -reinterpret<f32>(0x35BFBE8E); // -1.42860677e-6
// @ts-ignore: decorator
@inline export const EXP_CUTOFF: f32 = reinterpret<f32>(0xC2AEAC50); // -87.3365479 ~ ln(2^-126)
// @ts-ignore: decorator
@inline export const EXP_CLAMP: f32 = -88.0; // n = -127 here: 2^n encodes as +0
// q(t) = Q0 + Q1 t + Q2 t^2 + Q3 t^3 + Q4 t^4, so exp(t) ~ 1 + t + t^2 q(t).
// @ts-ignore: decorator
@inline export const EXP_Q0: f32 = reinterpret<f32>(0x3EFFFFFE); // 0.49999994
// @ts-ignore: decorator
@inline export const EXP_Q1: f32 = reinterpret<f32>(0x3E2AAA49); // 0.166665211
// @ts-ignore: decorator
@inline export const EXP_Q2: f32 = reinterpret<f32>(0x3D2AAC79); // 0.0416683890
// @ts-ignore: decorator
@inline export const EXP_Q3: f32 = reinterpret<f32>(0x3C091CEA); // 0.00836871006
// @ts-ignore: decorator
@inline export const EXP_Q4: f32 = reinterpret<f32>(0x3AB51226); // 0.00138146128

// The core comes in small steps so that a kernel can keep the parts it needs (sigmoid keeps the
// rounding error of the last step, softmax feeds in the low part of x - max): each step returns
// one value, because an inlined function cannot return two.

/**
 * Step 1: z * log2(e) + magic bias; its low mantissa bits hold n + 127 with n = round(z / ln2).
 * `magic` (a compile-time constant): MAGIC_BIAS + m makes `bits << 23` the float 2^(n + m)
 * (silu's kernels scale by 2^32 so); step 3 must then be given the same constant.
 */
// @ts-ignore: decorator
@inline export function expBiasedV(z: v128, magic: f32 = MAGIC_BIAS): v128 {
  return f32x4.add(f32x4.mul(z, f32x4.splat(LOG2E)), f32x4.splat(magic));
}
/** Step 2: s = 2^n, built directly in the exponent field. */
// @ts-ignore: decorator
@inline export function expTwoPowV(biased: v128): v128 {
  return i32x4.shl(biased, 23);
}
/** Step 3: t = z - n ln2 by Cody-Waite (the ln2_hi product and difference are exact). */
// @ts-ignore: decorator
@inline export function expRemainderV(z: v128, biased: v128, magic: f32 = MAGIC_BIAS): v128 {
  const n = f32x4.sub(biased, f32x4.splat(magic));
  const t = f32x4.add(f32x4.mul(n, f32x4.splat(MINUS_LN2_HI)), z);
  return f32x4.add(f32x4.mul(n, f32x4.splat(MINUS_LN2_LO)), t);
}
/** Step 4: r = exp(t) - 1 = t + t^2 q(t) (Horner; the final addition is the only big rounding). */
// @ts-ignore: decorator
@inline export function expPolyV(t: v128): v128 {
  let q = f32x4.add(f32x4.mul(f32x4.splat(EXP_Q4), t), f32x4.splat(EXP_Q3));
  q = f32x4.add(f32x4.mul(q, t), f32x4.splat(EXP_Q2));
  q = f32x4.add(f32x4.mul(q, t), f32x4.splat(EXP_Q1));
  q = f32x4.add(f32x4.mul(q, t), f32x4.splat(EXP_Q0));
  return f32x4.add(f32x4.mul(f32x4.mul(t, t), q), t);
}
/**
 * Step 4 in Estrin's order: the same q(t) and r, the same eleven operations, but seven deep
 * instead of Horner's ten (t^2 first; Q0 + Q1 t and Q2 + Q3 t beside it). For kernels bound by
 * their latency rather than their operation count; the roundings differ, so a kernel's measured
 * error is its own.
 */
// @ts-ignore: decorator
@inline export function expPolyEstrinV(t: v128): v128 {
  const t2 = f32x4.mul(t, t);
  const lo = f32x4.add(f32x4.mul(f32x4.splat(EXP_Q1), t), f32x4.splat(EXP_Q0));
  const hi = f32x4.add(f32x4.mul(f32x4.splat(EXP_Q3), t), f32x4.splat(EXP_Q2));
  const q = f32x4.add(f32x4.mul(t2, f32x4.add(f32x4.mul(t2, f32x4.splat(EXP_Q4)), hi)), lo);
  return f32x4.add(f32x4.mul(t2, q), t);
}
/** Step 5: zero the lanes whose z is below ln(2^-126) (and z = -Infinity); NaN lanes are kept. */
// @ts-ignore: decorator
@inline export function expFlushV(v: v128, z: v128): v128 {
  return v128.andnot(v, f32x4.lt(z, f32x4.splat(EXP_CUTOFF)));
}

/**
 * exp(z) for z <= 0, -Infinity and NaN (vector): s + s * r, on z clamped to >= -88 first. At
 * z = -88, n = -127 and the magic-bias exponent field is 0, so s = +0 and exp = 0 exactly;
 * between -88 and ln(2^-126) the result is 0 or a subnormal below 2^-126 (allowed). The clamp
 * keeps every intermediate finite (no Infinity - Infinity), and pmax(z, c) = (z < c ? c : z)
 * keeps a NaN z. One operation where the compare-and-zero flush takes two. `estrin` (a
 * compile-time constant): the polynomial in Estrin's order, {@link expPolyEstrinV}. Without
 * `clamp` (a compile-time constant), for a caller that discards every lane below the core's
 * range: those lanes' results are then garbage (any bits, NaN among them), the others the same.
 */
// @ts-ignore: decorator
@inline export function expNegV(z: v128, estrin: bool = false, clamp: bool = true): v128 {
  const zc = clamp ? f32x4.pmax(z, f32x4.splat(EXP_CLAMP)) : z;
  const biased = expBiasedV(zc);
  const s = expTwoPowV(biased);
  const t = expRemainderV(zc, biased);
  const r = estrin ? expPolyEstrinV(t) : expPolyV(t);
  return f32x4.add(f32x4.mul(r, s), s);
}

/** Scalar twin of {@link expBiasedV}. */
// @ts-ignore: decorator
@inline export function expBiased(z: f32, magic: f32 = MAGIC_BIAS): f32 { return z * LOG2E + magic; }
/** Scalar twin of {@link expTwoPowV}. */
// @ts-ignore: decorator
@inline export function expTwoPow(biased: f32): f32 { return reinterpret<f32>(reinterpret<i32>(biased) << 23); }
/** Scalar twin of {@link expRemainderV}. */
// @ts-ignore: decorator
@inline export function expRemainder(z: f32, biased: f32, magic: f32 = MAGIC_BIAS): f32 {
  const n = biased - magic;
  const t = n * MINUS_LN2_HI + z;
  return n * MINUS_LN2_LO + t;
}
/** Scalar twin of {@link expPolyV}. */
// @ts-ignore: decorator
@inline export function expPoly(t: f32): f32 {
  let q = EXP_Q4 * t + EXP_Q3;
  q = q * t + EXP_Q2;
  q = q * t + EXP_Q1;
  q = q * t + EXP_Q0;
  return t * t * q + t;
}
/** Scalar twin of {@link expPolyEstrinV}. */
// @ts-ignore: decorator
@inline export function expPolyEstrin(t: f32): f32 {
  const t2 = t * t;
  const lo = EXP_Q1 * t + EXP_Q0;
  const hi = EXP_Q3 * t + EXP_Q2;
  const q = t2 * (t2 * EXP_Q4 + hi) + lo;
  return t2 * q + t;
}
/** Scalar twin of {@link expFlushV}. */
// @ts-ignore: decorator
@inline export function expFlush(v: f32, z: f32): f32 { return z < EXP_CUTOFF ? 0 : v; }

/** Scalar twin of {@link expNegV}. */
// @ts-ignore: decorator
@inline export function expNeg(z: f32, estrin: bool = false): f32 {
  const zc = z < EXP_CLAMP ? EXP_CLAMP : z;
  const biased = expBiased(zc);
  const s = expTwoPow(biased);
  const t = expRemainder(zc, biased);
  const r = estrin ? expPolyEstrin(t) : expPoly(t);
  return r * s + s;
}

// ---------------------------------------------------------------------------------------------
// The slope of the logistic curve, shared by the sigmoid and tanh backward passes:
//   sigmoid'(x) = q (1 - q) = e / (1 + e)^2          with e = exp(-|x|)   (symmetric in x)
//   tanh'(x)    = 4 q (1 - q) = 4 e / (1 + e)^2      with e = exp(-2|x|)
// Neither form cancels (1 - tanh^2 and s (1 - s) do, for large |x|). The kernels pass
// h = exp(-|x| / 2) (sigmoid) or h = exp(-|x|) (tanh) from the float32 exp core, a normal float
// for |x| < 174, and the rest runs in float32 (four lanes per v128; float64 lanes ran the sigmoid
// backward at only 7.4x a naive JS loop at 64Ki):
//   dx = ((dy h) h / (d d)) k    with d = 1 + h h.
// The numerator is (dy h) h, not dy (h h): h h underflows for |x| > 87 (sigmoid) where dy e
// may still be a normal float for a large dy; k (1 or 4, exact) comes last so that no
// intermediate overflows (the quotient is at most |dy| / 4). Error: the exp core's (<= 0.96 ULP
// of h, twice through h^2, scaled down by (1 - e) / (1 + e) <= 1) plus six float32 roundings
// (h h and 1 + e enter scaled by e / (1 + e) <= 1/2): measured max 5.913 ULP over all 2^32 x
// with dy = 1 for both (sigmoid at x = 4.8438, tanh at x = 2.4219: the same float32 h), bound 8
// (the float64 form: 3.0 and 3.0). Where h flushes to 0
// (|x| > 174 for sigmoid, 87 for tanh) dx = 0: exact below 2^-126 unless |dy| > 2^124. x = ±Infinity: the exp core returns exactly 0, so
// dx = dy * 0 = 0 (NaN for a NaN or infinite dy).
// ---------------------------------------------------------------------------------------------

/** dy * k * h^2 / (1 + h^2)^2 per lane (vector), in float32; see above. k: 1 or 4. */
// @ts-ignore: decorator
@inline export function logisticSlopeV(dy: v128, h: v128, k: f32): v128 {
  const d = f32x4.add(f32x4.mul(h, h), f32x4.splat(1));
  const num = f32x4.mul(f32x4.mul(dy, h), h);
  const slope = f32x4.div(num, f32x4.mul(d, d));
  return k == 1 ? slope : f32x4.mul(slope, f32x4.splat(k));
}

/** Scalar twin of {@link logisticSlopeV}: the same float32 operations in the same order. */
// @ts-ignore: decorator
@inline export function logisticSlope(dy: f32, h: f32, k: f32): f32 {
  const d = h * h + 1;
  const num = dy * h * h;
  const slope = num / (d * d);
  return k == 1 ? slope : slope * k;
}
