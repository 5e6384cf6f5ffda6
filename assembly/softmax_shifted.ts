// Softmax and softmin rows by a power-of-two shift instead of x - max: the path of every row
// whose maximum m (of x, or of -x for softmin) is finite with |m| <= 200, which is nearly all.
//
// softmax(x)_i = e^(x_i - c) / sum_j e^(x_j - c) for any c; ./softmax.ts takes c = m, which
// costs an exact x - m per element (Fast2Sum or TwoSum into hi + lo, three or six operations and
// one more to feed lo in) and a flush of the lanes below the exp core's range (two). Here
// c = k ln2 with k = round(m / ln2): e^(x - k ln2) = 2^(n - k) e^(x - n ln2), and the exp core
// takes the -k into its magic bias (MAGIC_BIAS - k: the integer that `bits << 23` turns into the
// scale 2^(n - k)), so each element is the core on x itself, exactly as read, and nothing is
// subtracted. x is first clamped at bound = (k - 127) ln2, where n - k = -127 makes the scale's
// exponent field 0 and the term exactly 0: below it e^(x - k ln2) < 2^-126.5 and the largest
// term is at least e^(m - k ln2) >= 2^-0.5, so every clamped entry's output is below 2^-126
// (the contract's absolute allowance there). With |m| <= 200 every argument of the core lies in
// [-290, 201], where n ln2_hi is exact (|n| < 512) and the Cody-Waite steps are as in ./math.ts.
// 22 operations per vector against 27 on the Fast2Sum path: 0.75 -> 0.68 ns/element at 64Ki
// (rows of 1024, zero-copy, V8/x64); 0.66 with pass 1 no longer tracking the minimum that only
// the Fast2Sum path needed, and 0.63-0.65 with eight terms per float32 partial sum (below).
//
// Accuracy: each term has the exp core's error (<= 0.96 ULP); the sum adds eight terms per lane
// in float32, then float64 (see shiftedRow). The largest term is now e^(m - k ln2), with
// its own rounding, where the x - m path had exactly e^0 = 1: measured max over 10^7 elements
// (rows of 7 to 1024, logits in ±1 to ±100) 3.21 ULP (softmin 3.48) against 2.67 (2.65) on the
// same rows by the x - m path; bound 8.
// That inexact largest term would also make y_max = fl(E fl(1/sum)) miss exact values: 1 for a
// single entry or a dominant logit, 0.5 for a tie (for 15% of the values E can take, the product
// is 0.99999994). PyTorch gives those exactly, so the last pass checks, once per row, whether
// E * inv rounds to E / sum correctly rounded (ymax); where it does not, every term equal to E
// (the entries equal to m, and any other that rounded to the same term) gets ymax instead.
// -Infinity entries give 0 (clamped), NaN makes the row NaN (the clamp keeps it, the sum takes it
// up); rows holding +Infinity or with |m| > 200 take the x - m path of ./softmax.ts.
import {
  expPoly, expPolyV, LOG2E, MAGIC_BIAS, MINUS_LN2_HI, MINUS_LN2_LO,
} from "./math";

// @ts-ignore: decorator
@inline const F32: usize = 4;

/** The largest |maximum| a row may have for the shifted path (keeps |n| < 512, see above). */
// @ts-ignore: decorator
@inline export const SHIFT_MAX: f32 = 200.0;

// @ts-ignore: decorator
@inline const LOG2E64: f64 = 1.4426950408889634;
// @ts-ignore: decorator
@inline const LN2_64: f64 = 0.6931471805599453;

/**
 * e^(v - k ln2) for v = x clamped at `bound` (vector); with `negate` (softmin) v = -x, clamped
 * as x <= bound (the caller passes -bound), and the negation folded into the arithmetic (the
 * same operations with the sign of one operand flipped, exact). magicK = MAGIC_BIAS - k.
 */
// @ts-ignore: decorator
@inline export function expShiftedV(x: v128, bound: v128, magicK: v128, negate: bool): v128 {
  const xc = negate ? f32x4.pmin(x, bound) : f32x4.pmax(x, bound); // keeps NaN
  const biased = negate
    ? f32x4.sub(magicK, f32x4.mul(xc, f32x4.splat(LOG2E)))
    : f32x4.add(f32x4.mul(xc, f32x4.splat(LOG2E)), magicK);
  const s = i32x4.shl(biased, 23); // 2^(n - k)
  const n = f32x4.sub(biased, magicK);
  const hi = f32x4.mul(n, f32x4.splat(MINUS_LN2_HI));
  let t = negate ? f32x4.sub(hi, xc) : f32x4.add(hi, xc);
  t = f32x4.add(f32x4.mul(n, f32x4.splat(MINUS_LN2_LO)), t);
  const r = expPolyV(t);
  return f32x4.add(f32x4.mul(r, s), s);
}

/** Scalar twin of {@link expShiftedV}: the same float32 operations in the same order. */
// @ts-ignore: decorator
@inline function expShifted(x: f32, bound: f32, magicK: f32, negate: bool): f32 {
  const xc = negate ? (bound < x ? bound : x) : (x < bound ? bound : x);
  const biased = negate ? magicK - xc * LOG2E : xc * LOG2E + magicK;
  const s = reinterpret<f32>(reinterpret<i32>(biased) << 23);
  const n = biased - magicK;
  const hi = n * MINUS_LN2_HI;
  let t = negate ? hi - xc : hi + xc;
  t = n * MINUS_LN2_LO + t;
  const r = expPoly(t);
  return r * s + s;
}

/**
 * Softmax (softmin with `negate`) of one contiguous row of n >= 1 floats whose maximum m (of x,
 * or of -x) is finite with |m| <= SHIFT_MAX: the terms into dst with their float64 sum, then dst
 * scaled by the sum's reciprocal.
 */
// @ts-ignore: decorator
@inline export function shiftedRow(src: usize, dst: usize, n: usize, m: f32, negate: bool): void {
  const k = Math.round(<f64>m * LOG2E64);
  const magicK = <f32>(<f64>MAGIC_BIAS - k); // an integer below 2^24: exact
  const low = <f32>((k - 127) * LN2_64);
  const bound = negate ? -low : low;
  let sum: f64 = 0;
  let i: usize = 0;
  if (ASC_FEATURE_SIMD) {
    const bv = f32x4.splat(bound);
    const kv = f32x4.splat(magicK);
    let lo = f64x2.splat(0);
    let hi = f64x2.splat(0);
    // Eight v128 per iteration, added lane by lane in float32 (pairwise: three roundings of
    // positive terms, within 3 2^-24 of their sum) and promoted once; the last few v128 are
    // promoted one by one. Eight against the four of expSumRow in ./softmax.ts: 0.66 against 0.69
    // ns/element at 64Ki (rows of 1024, zero-copy); max error over 10^7 elements softmax 3.21
    // ULP (the same), softmin 3.48 (3.09 with four). Bound 8: the sum's 3 2^-24, the terms'
    // 0.96 ULP, 1 / sum's and the product's roundings stay under 6.5 ULP of any output.
    for (; i + 32 <= n; i += 32) {
      const a = src + i * F32;
      const b = dst + i * F32;
      const e0 = expShiftedV(v128.load(a, 0), bv, kv, negate);
      const e1 = expShiftedV(v128.load(a, 16), bv, kv, negate);
      const e2 = expShiftedV(v128.load(a, 32), bv, kv, negate);
      const e3 = expShiftedV(v128.load(a, 48), bv, kv, negate);
      const e4 = expShiftedV(v128.load(a, 64), bv, kv, negate);
      const e5 = expShiftedV(v128.load(a, 80), bv, kv, negate);
      const e6 = expShiftedV(v128.load(a, 96), bv, kv, negate);
      const e7 = expShiftedV(v128.load(a, 112), bv, kv, negate);
      v128.store(b, e0, 0);
      v128.store(b, e1, 16);
      v128.store(b, e2, 32);
      v128.store(b, e3, 48);
      v128.store(b, e4, 64);
      v128.store(b, e5, 80);
      v128.store(b, e6, 96);
      v128.store(b, e7, 112);
      const partial = f32x4.add(
        f32x4.add(f32x4.add(e0, e1), f32x4.add(e2, e3)),
        f32x4.add(f32x4.add(e4, e5), f32x4.add(e6, e7)));
      lo = f64x2.add(lo, f64x2.promote_low_f32x4(partial));
      hi = f64x2.add(hi, f64x2.promote_low_f32x4(v128.shuffle<f32>(partial, partial, 2, 3, 2, 3)));
    }
    for (; i + 4 <= n; i += 4) {
      const e = expShiftedV(v128.load(src + i * F32), bv, kv, negate);
      v128.store(dst + i * F32, e);
      lo = f64x2.add(lo, f64x2.promote_low_f32x4(e));
      hi = f64x2.add(hi, f64x2.promote_low_f32x4(v128.shuffle<f32>(e, e, 2, 3, 2, 3)));
    }
    const s = f64x2.add(lo, hi);
    sum = f64x2.extract_lane(s, 0) + f64x2.extract_lane(s, 1);
  }
  for (; i < n; i++) {
    const e = expShifted(load<f32>(src + i * F32), bound, magicK, negate);
    store<f32>(dst + i * F32, e);
    sum += <f64>e;
  }
  const inv = <f32>(1.0 / sum);
  const top = expShifted(negate ? -m : m, bound, magicK, negate); // the largest term, E
  const ymax = <f32>(<f64>top / sum);
  if (top * inv == ymax || sum != sum) scaleRow(dst, n, inv);
  else scaleRowFixingTop(dst, n, inv, top, ymax);
}

/** dst[i] *= inv for i < n: the last pass of softmax and softmin. */
// @ts-ignore: decorator
@inline export function scaleRow(dst: usize, n: usize, inv: f32): void {
  let i: usize = 0;
  if (ASC_FEATURE_SIMD) {
    const invV = f32x4.splat(inv);
    for (; i + 16 <= n; i += 16) {
      const b = dst + i * F32;
      const y0 = v128.load(b, 0);
      const y1 = v128.load(b, 16);
      const y2 = v128.load(b, 32);
      const y3 = v128.load(b, 48);
      v128.store(b, f32x4.mul(y0, invV), 0);
      v128.store(b, f32x4.mul(y1, invV), 16);
      v128.store(b, f32x4.mul(y2, invV), 32);
      v128.store(b, f32x4.mul(y3, invV), 48);
    }
    for (; i + 4 <= n; i += 4) {
      v128.store(dst + i * F32, f32x4.mul(v128.load(dst + i * F32), invV));
    }
  }
  for (; i < n; i++) store<f32>(dst + i * F32, load<f32>(dst + i * F32) * inv);
}

/**
 * As {@link scaleRow}, but the terms equal to `top` become `ymax` (the rows where top * inv does
 * not round to top / sum; see the top of this file). Not inlined: 15% of rows come here.
 */
function scaleRowFixingTop(dst: usize, n: usize, inv: f32, top: f32, ymax: f32): void {
  let i: usize = 0;
  if (ASC_FEATURE_SIMD) {
    const invV = f32x4.splat(inv);
    const topV = f32x4.splat(top);
    const ymaxV = f32x4.splat(ymax);
    for (; i + 4 <= n; i += 4) {
      const e = v128.load(dst + i * F32);
      v128.store(dst + i * F32, v128.bitselect(ymaxV, f32x4.mul(e, invV), f32x4.eq(e, topV)));
    }
  }
  for (; i < n; i++) {
    const e = load<f32>(dst + i * F32);
    store<f32>(dst + i * F32, e == top ? ymax : e * inv);
  }
}
