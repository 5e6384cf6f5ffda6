// Softmax, three passes per row as in XNNPACK: the maximum; exp(x - max) stored into dst while
// the sum accumulates; dst scaled by 1 / sum.
//
// Accuracy (bound: 8 ULP per element for rows up to 1024; measured max 2.47 ULP over 10^7
// elements in rows of 7 to 1024 logits drawn from [-1, 1] up to [-100, 100]):
//  - x - max is computed exactly as a float32 pair (TwoSum: hi + lo == x - max exactly) and lo
//    is fed into the exp core after range reduction. Rounding x - max to float32 alone would
//    cost up to |x - max| * 2^-24 of relative error, 64 ULP at a difference of 80.
//  - the sum is accumulated in float64, so it is exact to ~1e-16 whatever the row length;
//  - 1 / sum is rounded once to float32 and each element is one multiply: the error per element
//    is the exp core's (<= 0.96 ULP) plus two half-ULP roundings.
// Special rows (PyTorch's behaviour): -Infinity entries give 0; a row that is all -Infinity, or
// holds +Infinity or NaN, is all NaN (x - max is NaN somewhere, and that NaN reaches the sum).
// The maximum uses pmax semantics (`m < x ? x : m`), which skips NaN; the sum then catches it.
import {
  expBiased, expBiasedV, expFlush, expFlushV, expPoly, expPolyV, expRemainder, expRemainderV,
  expTwoPow, expTwoPowV,
} from "./math";

// @ts-ignore: decorator
@inline const F32: usize = 4;

/** exp(x - m) for x <= m, with x - m taken exactly (TwoSum) (vector). */
// @ts-ignore: decorator
@inline function expDiffV(x: v128, negM: v128): v128 {
  const hi = f32x4.add(x, negM);
  const bb = f32x4.sub(hi, x);
  const lo = f32x4.add(f32x4.sub(x, f32x4.sub(hi, bb)), f32x4.sub(negM, bb));
  const biased = expBiasedV(hi);
  const s = expTwoPowV(biased);
  const r = expPolyV(f32x4.add(expRemainderV(hi, biased), lo));
  return expFlushV(f32x4.add(f32x4.mul(r, s), s), hi);
}

/** Scalar twin of {@link expDiffV}. */
// @ts-ignore: decorator
@inline function expDiff(x: f32, negM: f32): f32 {
  const hi = x + negM;
  const bb = hi - x;
  const lo = (x - (hi - bb)) + (negM - bb);
  const biased = expBiased(hi);
  const s = expTwoPow(biased);
  const r = expPoly(expRemainder(hi, biased) + lo);
  return expFlush(r * s + s, hi);
}

/** Softmax of one contiguous row of n floats (n >= 1). */
// @ts-ignore: decorator
@inline function softmaxRow(src: usize, dst: usize, n: usize): void {
  let i: usize = 0;
  // Pass 1: maximum.
  let m = -Infinity as f32;
  if (ASC_FEATURE_SIMD) {
    if (n >= 4) {
      // Four independent running maxima: one chain of pmax would wait on its own latency.
      let m0 = f32x4.splat(-Infinity);
      let m1 = m0;
      let m2 = m0;
      let m3 = m0;
      for (; i + 16 <= n; i += 16) {
        const a = src + i * F32;
        m0 = f32x4.pmax(m0, v128.load(a, 0));
        m1 = f32x4.pmax(m1, v128.load(a, 16));
        m2 = f32x4.pmax(m2, v128.load(a, 32));
        m3 = f32x4.pmax(m3, v128.load(a, 48));
      }
      for (; i + 4 <= n; i += 4) m0 = f32x4.pmax(m0, v128.load(src + i * F32));
      const mv = f32x4.pmax(f32x4.pmax(m0, m1), f32x4.pmax(m2, m3));
      m = Mathf.max(Mathf.max(f32x4.extract_lane(mv, 0), f32x4.extract_lane(mv, 1)),
                    Mathf.max(f32x4.extract_lane(mv, 2), f32x4.extract_lane(mv, 3)));
    }
  }
  for (; i < n; i++) {
    const x = load<f32>(src + i * F32);
    m = m < x ? x : m;
  }
  // Pass 2: exponentials into dst, float64 sum.
  const negM = -m;
  let sum: f64 = 0;
  i = 0;
  if (ASC_FEATURE_SIMD) {
    const negMv = f32x4.splat(negM);
    let lo = f64x2.splat(0);
    let hi = f64x2.splat(0);
    let lo1 = lo;
    let hi1 = lo;
    // Four v128 per iteration, into two pairs of float64 accumulators: independent exp chains
    // overlap and the sums wait less on each other (measured on V8/x64, rows of 1024: 1.24
    // ns/element with one v128 per iteration, 1.12 with two, 1.00 with four).
    for (; i + 16 <= n; i += 16) {
      const a = src + i * F32;
      const b = dst + i * F32;
      const x0 = v128.load(a, 0);
      const x1 = v128.load(a, 16);
      const x2 = v128.load(a, 32);
      const x3 = v128.load(a, 48);
      const e0 = expDiffV(x0, negMv);
      const e1 = expDiffV(x1, negMv);
      const e2 = expDiffV(x2, negMv);
      const e3 = expDiffV(x3, negMv);
      v128.store(b, e0, 0);
      v128.store(b, e1, 16);
      v128.store(b, e2, 32);
      v128.store(b, e3, 48);
      lo = f64x2.add(lo, f64x2.promote_low_f32x4(e0));
      hi = f64x2.add(hi, f64x2.promote_low_f32x4(v128.shuffle<f32>(e0, e0, 2, 3, 2, 3)));
      lo1 = f64x2.add(lo1, f64x2.promote_low_f32x4(e1));
      hi1 = f64x2.add(hi1, f64x2.promote_low_f32x4(v128.shuffle<f32>(e1, e1, 2, 3, 2, 3)));
      lo = f64x2.add(lo, f64x2.promote_low_f32x4(e2));
      hi = f64x2.add(hi, f64x2.promote_low_f32x4(v128.shuffle<f32>(e2, e2, 2, 3, 2, 3)));
      lo1 = f64x2.add(lo1, f64x2.promote_low_f32x4(e3));
      hi1 = f64x2.add(hi1, f64x2.promote_low_f32x4(v128.shuffle<f32>(e3, e3, 2, 3, 2, 3)));
    }
    for (; i + 4 <= n; i += 4) {
      const e = expDiffV(v128.load(src + i * F32), negMv);
      v128.store(dst + i * F32, e);
      lo = f64x2.add(lo, f64x2.promote_low_f32x4(e));
      hi = f64x2.add(hi, f64x2.promote_low_f32x4(v128.shuffle<f32>(e, e, 2, 3, 2, 3)));
    }
    const s = f64x2.add(f64x2.add(lo, hi), f64x2.add(lo1, hi1));
    sum = f64x2.extract_lane(s, 0) + f64x2.extract_lane(s, 1);
  }
  for (; i < n; i++) {
    const e = expDiff(load<f32>(src + i * F32), negM);
    store<f32>(dst + i * F32, e);
    sum += <f64>e;
  }
  // Pass 3: scale by the reciprocal, rounded once to float32.
  const inv = <f32>(1.0 / sum);
  i = 0;
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

/** Softmax over the last dimension: `rows` contiguous rows of `cols` floats. In-place safe. */
export function softmax(src: usize, dst: usize, rows: usize, cols: usize): void {
  if (cols == 0) return;
  const rowBytes = cols * F32;
  for (let r: usize = 0; r < rows; r++) softmaxRow(src + r * rowBytes, dst + r * rowBytes, cols);
}

/** Softmax of one column (stride `stride` bytes, `n` entries) of a strided layout (scalar). */
// @ts-ignore: decorator
@inline function softmaxColumn(src: usize, dst: usize, n: usize, stride: usize): void {
  let m = -Infinity as f32;
  for (let d: usize = 0; d < n; d++) {
    const x = load<f32>(src + d * stride);
    m = m < x ? x : m;
  }
  const negM = -m;
  let sum: f64 = 0;
  for (let d: usize = 0; d < n; d++) {
    const e = expDiff(load<f32>(src + d * stride), negM);
    store<f32>(dst + d * stride, e);
    sum += <f64>e;
  }
  const inv = <f32>(1.0 / sum);
  for (let d: usize = 0; d < n; d++) store<f32>(dst + d * stride, load<f32>(dst + d * stride) * inv);
}

/**
 * Softmax over the middle axis of an [outer, n, inner] array (a dim that is not the last one).
 * Four neighbouring columns share a v128: each lane runs its own max, sum and scale, so the
 * strided walk still reads whole vectors. In-place safe.
 */
export function softmaxStrided(src: usize, dst: usize, outer: usize, n: usize, inner: usize): void {
  if (n == 0 || inner == 0) return;
  const stride = inner * F32;
  const block = n * stride;
  for (let o: usize = 0; o < outer; o++) {
    const s0 = src + o * block;
    const d0 = dst + o * block;
    let c: usize = 0;
    if (ASC_FEATURE_SIMD) {
      for (; c + 4 <= inner; c += 4) {
        const s = s0 + c * F32;
        const t = d0 + c * F32;
        let mv = f32x4.splat(-Infinity);
        for (let d: usize = 0; d < n; d++) mv = f32x4.pmax(mv, v128.load(s + d * stride));
        const negM = f32x4.neg(mv);
        let lo = f64x2.splat(0);
        let hi = f64x2.splat(0);
        for (let d: usize = 0; d < n; d++) {
          const e = expDiffV(v128.load(s + d * stride), negM);
          v128.store(t + d * stride, e);
          lo = f64x2.add(lo, f64x2.promote_low_f32x4(e));
          hi = f64x2.add(hi, f64x2.promote_low_f32x4(v128.shuffle<f32>(e, e, 2, 3, 2, 3)));
        }
        const invLo = f32x4.demote_f64x2_zero(f64x2.div(f64x2.splat(1), lo));
        const invHi = f32x4.demote_f64x2_zero(f64x2.div(f64x2.splat(1), hi));
        const inv = v128.shuffle<f32>(invLo, invHi, 0, 1, 4, 5);
        for (let d: usize = 0; d < n; d++) {
          v128.store(t + d * stride, f32x4.mul(v128.load(t + d * stride), inv));
        }
      }
    }
    for (; c < inner; c++) softmaxColumn(s0 + c * F32, d0 + c * F32, n, stride);
  }
}
