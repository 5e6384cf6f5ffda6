// Softmax, softmin and log-softmax: one row loop for the three, monomorphised by two flags that
// are compile-time constants at every call (the loop is @inline, so each export gets its own copy
// with the dead branches removed): `negate` reads -x (softmin(x) = softmax(-x); negation is exact)
// and `log` turns the last pass into a log-softmax. Three passes per row as in XNNPACK: the
// maximum (and for log-softmax the minimum, see fastRow); exp(x - max) (stored into dst for
// softmax/softmin) while the sum accumulates; then dst scaled by 1 / sum, or for log-softmax
// y = (x - max) - log(sum). Softmax and softmin rows whose maximum is at most 200 in magnitude
// (nearly all) take ./softmax_shifted.ts after pass 1 instead: the same passes with e^(x - k ln2),
// no x - max. Short rows (softmax and softmin: shorter than 16; log-softmax: than 32) go four
// at a time across the lanes of ./softmax_lanes.ts (the same operations per element); what
// follows is the path of the other rows and of strided slices.
//
// Accuracy (bound: 8 ULP per element for rows up to 1024; measured max 2.67 ULP over 10^7
// elements in rows of 7 to 1024 logits drawn from [-1, 1] up to [-100, 100]; the shifted path
// 3.21 ULP, see there):
//  - x - max is computed exactly as a float32 pair (TwoSum: hi + lo == x - max exactly) and lo
//    is fed into the exp core after range reduction. Rounding x - max to float32 alone would
//    cost up to |x - max| * 2^-24 of relative error, 64 ULP at a difference of 80.
//  - the sum is accumulated in float64, so it is exact to ~1e-16 whatever the row length (softmax
//    and softmin first add four terms per lane in float32, within 2^-23: see expSumRow; strided
//    columns two terms, within 2^-24: see stridedBlock);
//  - 1 / sum is rounded once to float32 and each element is one multiply: the error per element
//    is the exp core's (<= 0.96 ULP) plus two half-ULP roundings.
// Special rows (PyTorch's behaviour): -Infinity entries give 0; a row that is all -Infinity, or
// holds +Infinity or NaN, is all NaN (x - max is NaN somewhere, and that NaN reaches the sum).
// The maximum uses pmax semantics (`m < x ? x : m`), which skips NaN; the sum then catches it.
// Softmin reads -x, so +Infinity entries of x give 0 and -Infinity gives a NaN row.
//
// Log-softmax (bound: 2 ULP per element; measured max 1.22 ULP over 1.2M elements in rows of
// 1 to 200 and 1024 logits in ±1 to ±100, simd and scalar; softmin in the same run: 2.29 ULP):
// y = (x - max) - log(sum) is formed in float64 from the float32 x and max (the difference is
// exact to 2^-53 relative) and rounded once. log(sum) = log1p(sum - 1) once per row (see
// logOfSum for the rows with one dominant logit): the sum holds the exp core's errors, each
// <= 0.96 ULP of its term e_j <= 1 with e_max = 1 exactly, so log(sum) is off by at most
// ~2^-23 (1 - 1/sum) <= 2^-23 log(sum), and |y_i| >= log(sum): at most ~1 ULP from the sum
// plus the final half ULP. Speed at 64Ki (rows of 1024, copying API): 82 us against 650 us for
// the naive JS loop (8x; softmin 15x, softmax 16x, whose naive loops call exp twice).
// -Infinity entries give -Infinity; the special rows are NaN as for softmax.
import {
  expBiased, expBiasedV, expFlush, expFlushV, expPoly, expPolyV, expRemainder, expRemainderV,
  expTwoPow, expTwoPowV,
} from "./math";
import { exp64 } from "./exp64";
import { log1p64, log1p64V } from "./log64";
import { scaleRow, shiftedRow, SHIFT_MAX } from "./softmax_shifted";
import { laneGroup, laneGroupLog, LANE_COLS, lanesFlush, LOG_LANE_COLS } from "./softmax_lanes";

// @ts-ignore: decorator
@inline const F32: usize = 4;

// x - m as hi + lo exactly: TwoSum in general (six operations), or Fast2Sum (three) in the rows
// where no |x| has a larger exponent than m > 0 (then -m is the operand of the larger exponent,
// which is all Fast2Sum needs: lo = x - (hi + m) exactly). Both give the same hi and lo, so the
// results are the same bits either way; pass 1 decides per row (fastRow), for one more pmin per
// vector. Only log-softmax rows use it now: it made softmax 0.76 against 0.82 ns/element (rows
// of 1024 in [-6, 6], 64Ki, zero-copy), but softmax and softmin rows of |max| <= 200 take the
// shifted path of ./softmax_shifted.ts, and the rest are too rare to pay the pmin.

/**
 * exp(v - m) for v <= m, with v - m taken exactly (TwoSum, or Fast2Sum with `fast`) (vector);
 * v is x, or -x with `negate` (softmin), folded into the arithmetic rather than negated first:
 * hi = -m - x, and the low part is formed negated (lo' = -lo, each step the exact negation of
 * the unfolded one) and subtracted, so the bits are those of exp(-x - m) computed plainly, for
 * no operation more than softmax.
 */
// @ts-ignore: decorator
@inline export function expDiffV(x: v128, negM: v128, fast: bool, negate: bool): v128 {
  const hi = negate ? f32x4.sub(negM, x) : f32x4.add(x, negM);
  let lo: v128;
  if (fast) {
    const z = f32x4.sub(hi, negM);
    lo = negate ? f32x4.add(x, z) : f32x4.sub(x, z);
  } else if (negate) {
    const bb = f32x4.add(hi, x);
    lo = f32x4.add(f32x4.add(x, f32x4.sub(hi, bb)), f32x4.sub(bb, negM));
  } else {
    const bb = f32x4.sub(hi, x);
    lo = f32x4.add(f32x4.sub(x, f32x4.sub(hi, bb)), f32x4.sub(negM, bb));
  }
  const biased = expBiasedV(hi);
  const s = expTwoPowV(biased);
  const t = expRemainderV(hi, biased);
  const r = expPolyV(negate ? f32x4.sub(t, lo) : f32x4.add(t, lo));
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

/** x, or -x for softmin (vector). */
// @ts-ignore: decorator
@inline function inputV(x: v128, negate: bool): v128 {
  return negate ? f32x4.neg(x) : x;
}

/** Scalar twin of {@link inputV}. */
// @ts-ignore: decorator
@inline function input(x: f32, negate: bool): f32 {
  return negate ? -x : x;
}

/** (x - max) - log(sum) for the two float32 lanes at the bottom of x, in float64, demoted (vector). */
// @ts-ignore: decorator
@inline function logHalf(x: v128, m: v128, logSum: v128): v128 {
  return f32x4.demote_f64x2_zero(f64x2.sub(f64x2.sub(f64x2.promote_low_f32x4(x), m), logSum));
}

/** (x - max) - log(sum) per lane; `m` and `logSum` as f64x2 for lanes 0-1 and for lanes 2-3 (vector). */
// @ts-ignore: decorator
@inline export function logDiffV(x: v128, m01: v128, l01: v128, m23: v128, l23: v128): v128 {
  return v128.shuffle<f32>(logHalf(x, m01, l01), logHalf(v128.shuffle<f32>(x, x, 2, 3, 2, 3), m23, l23), 0, 1, 4, 5);
}

/** Scalar twin of {@link logDiffV}. */
// @ts-ignore: decorator
@inline function logDiff(x: f32, m: f64, logSum: f64): f32 {
  return <f32>((<f64>x - m) - logSum);
}

// Log-softmax needs log(sum) to the relative accuracy of log(sum) itself, which is tiny when
// one logit dominates (sum = 1 + 1e-13): a float64 sum that holds the max's 1 has absorbed the
// other terms' low bits (2^-53 each) by then. So its pass 2 leaves the terms of the maxima out
// of the sum (each is exactly 1: expDiff(m, -m) = 1) and counts them: log(sum) is
// log1p(rest) for one maximum and log(count + rest) otherwise (>= log 2, no such loss).

/** e, or 0 in the lanes where x is the maximum (log-softmax's rest of the sum, vector). */
// @ts-ignore: decorator
@inline function restV(e: v128, x: v128, mv: v128): v128 {
  return v128.andnot(e, f32x4.eq(x, mv));
}

// @ts-ignore: decorator
@inline const TINY_REST: f64 = 8.673617379884035e-19; // 2^-60

/**
 * The rest of the sum again, in float64 with exp64 (rare: only when it is below 2^-60, where
 * the float32 terms that flushed to 0 below 2^-126 could be ULPs of it, and log1p(rest) ~ rest
 * is the max's output): n entries at `stride` bytes from `src`.
 */
function restF64(src: usize, n: usize, stride: usize, negate: bool, m: f32): f64 {
  let rest: f64 = 0;
  for (let d: usize = 0; d < n; d++) {
    const x = load<f32>(src + d * stride);
    const v = negate ? -x : x;
    if (v != m) rest += exp64(<f64>v - <f64>m);
  }
  return rest;
}

/**
 * log(sum) from the count of maxima and the rest of the sum (recomputed by restF64 when tiny);
 * NaN for a +Infinity maximum (PyTorch). Only log1p64 and exp64 (./log64.ts, ./exp64.ts):
 * AssemblyScript's Math.log and Math.exp read lookup tables from the module's static data, and
 * the TypeScript side owns all of linear memory from address 0 (its buffers overwrite those
 * tables); and log1p64 has a vector twin for the short rows across the lanes.
 * For two or more maxima log(count + rest) = log1p((count - 1) + rest), >= log 2: the rounding
 * of the argument costs 2^-53 relative.
 */
// @ts-ignore: decorator
@inline function logOfSum(count: f64, rest: f64, m: f32, src: usize, n: usize, stride: usize, negate: bool): f64 {
  return log1p64(logArgument(count, rest, m, src, n, stride, negate));
}

/** The argument t of logOfSum's log1p(t) (NaN for a +Infinity maximum: log1p64(NaN) is NaN). */
// @ts-ignore: decorator
@inline function logArgument(count: f64, rest: f64, m: f32, src: usize, n: usize, stride: usize, negate: bool): f64 {
  if (m == Infinity) return NaN;
  if (count != 1) return (count - 1) + rest;
  return rest < TINY_REST ? restF64(src, n, stride, negate, m) : rest;
}

/**
 * log1p64V, not inlined: the strided blocks' columns take it two at a time (log-softmax over
 * [256, 2, 128] along dim 1: 7.8 -> 3.9 ns/element, [64, 10, 100] 3.0 -> 2.0).
 */
function log1pPair(v: v128): v128 {
  return log1p64V(v);
}

/**
 * Pass 2 of a row: exp(x - m) into dst (with `keep`), and the float64 sum; with `masked`,
 * log-softmax's log(sum) instead, from the maxima's count and the rest (see logOfSum); `masked`
 * compares x as read with m, so it is only for log-softmax (never with `negate`).
 */
// @ts-ignore: decorator
@inline function expSumRow(src: usize, dst: usize, n: usize, m: f32, negate: bool, keep: bool, masked: bool, fast: bool = false): f64 {
  const negM = -m;
  let sum: f64 = 0;
  let count: i32 = 0; // masked: the maxima, left out of sum
  let i: usize = 0;
  if (ASC_FEATURE_SIMD) {
    let counts = i32x4.splat(0);
    const negMv = f32x4.splat(negM);
    const mv = f32x4.splat(m);
    let lo = f64x2.splat(0);
    let hi = f64x2.splat(0);
    let lo1 = lo;
    let hi1 = lo;
    // Four v128 per iteration, into two pairs of float64 accumulators: independent exp chains
    // overlap and the sums wait less on each other (measured on V8/x64, rows of 1024: 1.24
    // ns/element with one v128 per iteration, 1.12 with two, 1.00 with four).
    // Softmax and softmin (`keep`) first add the four vectors lane by lane in float32, pairwise,
    // and promote that one partial sum: the four terms are positive, so it is within 2^-23 of its
    // value (two rounding levels), and so is the whole sum, which moves each output by at most
    // that much again (<= 2 ULP). Measured max over 10^7 elements (rows of 7 to 1024 logits in
    // ±1 to ±100): softmax 2.67 ULP, softmin 2.65, against 2.37 and 2.27 with every term in float64.
    // One promotion per four vectors instead of one per vector: 0.81 against 0.97 ns/element at
    // 64Ki, zero-copy. Log-softmax keeps every term in float64: its 2 ULP bound leaves no room.
    for (; i + 16 <= n; i += 16) {
      const a = src + i * F32;
      const b = dst + i * F32;
      const x0 = v128.load(a, 0); // as read (-x is folded into expDiffV)
      const x1 = v128.load(a, 16);
      const x2 = v128.load(a, 32);
      const x3 = v128.load(a, 48);
      let e0 = expDiffV(x0, negMv, fast, negate);
      let e1 = expDiffV(x1, negMv, fast, negate);
      let e2 = expDiffV(x2, negMv, fast, negate);
      let e3 = expDiffV(x3, negMv, fast, negate);
      if (masked) {
        counts = i32x4.sub(i32x4.sub(counts, f32x4.eq(x0, mv)), f32x4.eq(x1, mv));
        counts = i32x4.sub(i32x4.sub(counts, f32x4.eq(x2, mv)), f32x4.eq(x3, mv));
        e0 = restV(e0, x0, mv);
        e1 = restV(e1, x1, mv);
        e2 = restV(e2, x2, mv);
        e3 = restV(e3, x3, mv);
      } else if (keep) {
        v128.store(b, e0, 0);
        v128.store(b, e1, 16);
        v128.store(b, e2, 32);
        v128.store(b, e3, 48);
      }
      if (keep) {
        const partial = f32x4.add(f32x4.add(e0, e1), f32x4.add(e2, e3));
        lo = f64x2.add(lo, f64x2.promote_low_f32x4(partial));
        hi = f64x2.add(hi, f64x2.promote_low_f32x4(v128.shuffle<f32>(partial, partial, 2, 3, 2, 3)));
        continue;
      }
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
      const x = v128.load(src + i * F32);
      let e = expDiffV(x, negMv, fast, negate);
      if (masked) {
        counts = i32x4.sub(counts, f32x4.eq(x, mv));
        e = restV(e, x, mv);
      } else if (keep) {
        v128.store(dst + i * F32, e);
      }
      lo = f64x2.add(lo, f64x2.promote_low_f32x4(e));
      hi = f64x2.add(hi, f64x2.promote_low_f32x4(v128.shuffle<f32>(e, e, 2, 3, 2, 3)));
    }
    const s = f64x2.add(f64x2.add(lo, hi), f64x2.add(lo1, hi1));
    sum = f64x2.extract_lane(s, 0) + f64x2.extract_lane(s, 1);
    count = i32x4.extract_lane(counts, 0) + i32x4.extract_lane(counts, 1) + i32x4.extract_lane(counts, 2) + i32x4.extract_lane(counts, 3);
  }
  for (; i < n; i++) {
    const x = input(load<f32>(src + i * F32), negate);
    const e = expDiff(x, negM);
    if (masked && x == m) {
      count++;
    } else {
      if (keep) store<f32>(dst + i * F32, e);
      sum += <f64>e;
    }
  }
  return masked ? logOfSum(<f64>count, sum, m, src, n, F32, negate) : sum;
}

/**
 * Log-softmax's log(sum) by the masked pass 2: for rows where the plain sum is too close to 1
 * (one dominant logit). A function of its own (not inlined): rare, and kept out of the hot loop.
 */
function maskedLogSum(src: usize, n: usize, m: f32): f64 {
  return expSumRow(src, src, n, m, false, false, true);
}

/**
 * Whether a row of maximum m and minimum mn can take Fast2Sum: m a positive finite float and
 * every |x| below 2^(e + 1), e the exponent of m (a NaN mn or m gives false: the general path).
 */
// @ts-ignore: decorator
@inline function fastRow(m: f32, mn: f32): bool {
  const bound = reinterpret<f32>((reinterpret<u32>(m) & 0x7F800000) + 0x00800000); // 2^(e + 1)
  return m > 0 && m < Infinity && -mn < bound;
}

/** Softmax (softmin with `negate`, log-softmax with `log`) of one contiguous row of n floats (n >= 1). */
// @ts-ignore: decorator
@inline function softmaxRow(src: usize, dst: usize, n: usize, negate: bool, log: bool): void {
  let i: usize = 0;
  // Pass 1: the maximum of the values (x, or -x for softmin), on x as read: softmin's max and min
  // of -x are -min(x) and -max(x), exactly what running pmax and pmin over x give (NaN included:
  // pmax and pmin never take it up), for no negation per element. Log-softmax in the simd build
  // also needs the other extreme, for fastRow; softmax and softmin do not (their rows that leave
  // the shifted path take TwoSum, the same bits as Fast2Sum), which saves its pmin per vector.
  const both = ASC_FEATURE_SIMD && log;
  const needTop = both || !negate;
  const needBottom = both || negate;
  let top = -Infinity as f32; // max of x as read
  let bottom = Infinity as f32; // min of x as read
  if (ASC_FEATURE_SIMD) {
    if (n >= 4) {
      // Four independent running extremes: one chain of pmax would wait on its own latency.
      let m0 = f32x4.splat(-Infinity);
      let m1 = m0;
      let m2 = m0;
      let m3 = m0;
      let n0 = f32x4.splat(Infinity);
      let n1 = n0;
      let n2 = n0;
      let n3 = n0;
      for (; i + 16 <= n; i += 16) {
        const a = src + i * F32;
        const x0 = v128.load(a, 0);
        const x1 = v128.load(a, 16);
        const x2 = v128.load(a, 32);
        const x3 = v128.load(a, 48);
        if (needTop) {
          m0 = f32x4.pmax(m0, x0);
          m1 = f32x4.pmax(m1, x1);
          m2 = f32x4.pmax(m2, x2);
          m3 = f32x4.pmax(m3, x3);
        }
        if (needBottom) {
          n0 = f32x4.pmin(n0, x0);
          n1 = f32x4.pmin(n1, x1);
          n2 = f32x4.pmin(n2, x2);
          n3 = f32x4.pmin(n3, x3);
        }
      }
      for (; i + 4 <= n; i += 4) {
        const x = v128.load(src + i * F32);
        if (needTop) m0 = f32x4.pmax(m0, x);
        if (needBottom) n0 = f32x4.pmin(n0, x);
      }
      if (needTop) {
        const mv = f32x4.pmax(f32x4.pmax(m0, m1), f32x4.pmax(m2, m3));
        top = Mathf.max(Mathf.max(f32x4.extract_lane(mv, 0), f32x4.extract_lane(mv, 1)),
                        Mathf.max(f32x4.extract_lane(mv, 2), f32x4.extract_lane(mv, 3)));
      }
      if (needBottom) {
        const nv = f32x4.pmin(f32x4.pmin(n0, n1), f32x4.pmin(n2, n3));
        bottom = Mathf.min(Mathf.min(f32x4.extract_lane(nv, 0), f32x4.extract_lane(nv, 1)),
                           Mathf.min(f32x4.extract_lane(nv, 2), f32x4.extract_lane(nv, 3)));
      }
    }
  }
  for (; i < n; i++) {
    const x = load<f32>(src + i * F32);
    if (needTop) top = top < x ? x : top;
    if (needBottom) bottom = x < bottom ? x : bottom;
  }
  const m = negate ? -bottom : top;
  const mn = negate ? -top : bottom;
  // Softmax and softmin rows of a moderate maximum: passes 2 and 3 without x - max.
  if (!log && Mathf.abs(m) <= SHIFT_MAX) {
    shiftedRow(src, dst, n, m, negate);
    return;
  }
  // Pass 2: exponentials into dst (not for log-softmax, which reads x again in pass 3), float64 sum.
  const sum = both && fastRow(m, mn)
    ? expSumRow(src, dst, n, m, negate, !log, false, true)
    : expSumRow(src, dst, n, m, negate, !log, false, false);
  if (log) {
    // Pass 3 of log-softmax: (x - max) - log(sum) in float64, one rounding.
    // log(sum) = log1p(sum - 1) (sum - 1 exact) unless the rest beside the max's 1 is below
    // n 2^-23: its low bits may then have been absorbed by the 1 (n adds of 2^-53 at most), and
    // the masked pass sums it apart (a NaN sum, from NaN or +Infinity, goes there too).
    const mf = <f64>m;
    const logSum = sum - 1 >= <f64>n * 1.1920928955078125e-7 ? log1p64(sum - 1) : maskedLogSum(src, n, m);
    i = 0;
    if (ASC_FEATURE_SIMD) {
      const mv = f64x2.splat(mf);
      const lv = f64x2.splat(logSum);
      // Two floats per f64x2, loaded and stored as 64-bit halves: no shuffles.
      for (; i + 8 <= n; i += 8) {
        const a = src + i * F32;
        const b = dst + i * F32;
        const x0 = inputV(v128.load64_zero(a, 0), negate);
        const x1 = inputV(v128.load64_zero(a, 8), negate);
        const x2 = inputV(v128.load64_zero(a, 16), negate);
        const x3 = inputV(v128.load64_zero(a, 24), negate);
        v128.store64_lane(b, logHalf(x0, mv, lv), 0, 0);
        v128.store64_lane(b, logHalf(x1, mv, lv), 0, 8);
        v128.store64_lane(b, logHalf(x2, mv, lv), 0, 16);
        v128.store64_lane(b, logHalf(x3, mv, lv), 0, 24);
      }
      for (; i + 4 <= n; i += 4) {
        v128.store(dst + i * F32, logDiffV(inputV(v128.load(src + i * F32), negate), mv, lv, mv, lv));
      }
    }
    for (; i < n; i++) store<f32>(dst + i * F32, logDiff(input(load<f32>(src + i * F32), negate), mf, logSum));
    return;
  }
  // Pass 3: scale by the reciprocal, rounded once to float32.
  scaleRow(dst, n, <f32>(1.0 / sum));
}

/** `rows` contiguous rows of `cols` floats (softmax, softmin or log-softmax by the flags). */
// @ts-ignore: decorator
@inline function softmaxRows(src: usize, dst: usize, rows: usize, cols: usize, negate: bool, log: bool): void {
  if (cols == 0) return;
  const rowBytes = cols * F32;
  // Short rows go four at a time across the lanes (./softmax_lanes.ts); the rows they leave, the
  // last one to three rows (a group costs about what four rows do, so one row of ten logits took
  // 91 ns there against 30 through the row loop) and every other row take the row loop (one call
  // site, so one inlined copy). Without lanes, one pass of the outer loop runs every row
  // (byRow = all bits, and 1 << k wraps past 31).
  const laneCols = log ? LOG_LANE_COLS : LANE_COLS;
  const lanes = ASC_FEATURE_SIMD && cols < laneCols;
  for (let r: usize = 0; r < rows;) {
    let byRow = -1; // bit k: row r + k takes the row loop
    let end = rows;
    if (lanes && rows - r >= 4) {
      end = r + 4;
      const a = r * rowBytes;
      byRow = log
        ? laneGroupLog(src, dst, a, a + rowBytes, a + 2 * rowBytes, a + 3 * rowBytes, rowBytes)
        : laneGroup(src, dst, a, a + rowBytes, a + 2 * rowBytes, a + 3 * rowBytes, rowBytes, negate);
    }
    for (let j = r; j < end; j++) {
      if (byRow & (1 << <i32>(j - r))) softmaxRow(src + j * rowBytes, dst + j * rowBytes, cols, negate, log);
    }
    r = end;
  }
  if (lanes && !log) lanesFlush(dst, rowBytes);
}

/** Softmax over the last dimension: `rows` contiguous rows of `cols` floats. In-place safe. */
export function softmax(src: usize, dst: usize, rows: usize, cols: usize): void {
  softmaxRows(src, dst, rows, cols, false, false);
}

/** Softmin, softmax(-x), over the last dimension (as {@link softmax}). In-place safe. */
export function softmin(src: usize, dst: usize, rows: usize, cols: usize): void {
  softmaxRows(src, dst, rows, cols, true, false);
}

/** Log-softmax over the last dimension (as {@link softmax}). In-place safe. */
export function logSoftmax(src: usize, dst: usize, rows: usize, cols: usize): void {
  softmaxRows(src, dst, rows, cols, false, true);
}

/** Softmax of one column (stride `stride` bytes, `n` entries) of a strided layout (scalar). */
// @ts-ignore: decorator
@inline function softmaxColumn(src: usize, dst: usize, n: usize, stride: usize, negate: bool, log: bool): void {
  let m = -Infinity as f32;
  for (let d: usize = 0; d < n; d++) {
    const x = input(load<f32>(src + d * stride), negate);
    m = m < x ? x : m;
  }
  const negM = -m;
  let sum: f64 = 0;
  let count: i32 = 0;
  // Two steps at a time, their terms added in float32 first, as stridedBlock's lanes do.
  let d: usize = 0;
  for (; d + 2 <= n; d += 2) {
    const x = input(load<f32>(src + d * stride), negate);
    const y = input(load<f32>(src + (d + 1) * stride), negate);
    let e = expDiff(x, negM);
    let f = expDiff(y, negM);
    if (log) {
      if (x == m) { count++; e = 0; }
      if (y == m) { count++; f = 0; }
    } else {
      store<f32>(dst + d * stride, e);
      store<f32>(dst + (d + 1) * stride, f);
    }
    sum += log ? <f64>e + <f64>f : <f64>(e + f);
  }
  if (d < n) {
    const x = input(load<f32>(src + d * stride), negate);
    const e = expDiff(x, negM);
    if (log && x == m) {
      count++;
    } else {
      if (!log) store<f32>(dst + d * stride, e);
      sum += <f64>e;
    }
  }
  if (log) {
    const mf = <f64>m;
    const logSum = logOfSum(<f64>count, sum, m, src, n, stride, negate);
    for (let d: usize = 0; d < n; d++) {
      store<f32>(dst + d * stride, logDiff(input(load<f32>(src + d * stride), negate), mf, logSum));
    }
    return;
  }
  const inv = <f32>(1.0 / sum);
  for (let d: usize = 0; d < n; d++) store<f32>(dst + d * stride, load<f32>(dst + d * stride) * inv);
}

/** Lanes 2 and 3 of v moved to 0 and 1 (vector). */
// @ts-ignore: decorator
@inline function upper(v: v128): v128 {
  return v128.shuffle<f32>(v, v, 2, 3, 2, 3);
}

/**
 * acc plus lanes 0 and 1 (or, with `high`, 2 and 3) of two steps' terms e and f: added in
 * float32, then promoted (softmax, softmin), or both promoted and added in float64
 * (log-softmax: see stridedBlock).
 */
// @ts-ignore: decorator
@inline function pairSum(acc: v128, e: v128, f: v128, log: bool, high: bool): v128 {
  if (log) {
    return f64x2.add(acc, f64x2.add(f64x2.promote_low_f32x4(high ? upper(e) : e), f64x2.promote_low_f32x4(high ? upper(f) : f)));
  }
  const p = f32x4.add(e, f);
  return f64x2.add(acc, f64x2.promote_low_f32x4(high ? upper(p) : p));
}

/** A strided column's term exp(x - m) (vector); for log-softmax the maxima's terms are left out (0). */
// @ts-ignore: decorator
@inline function stridedTerm(x: v128, m: v128, negM: v128, log: bool): v128 {
  const e = expDiffV(x, negM, false, false);
  return log ? restV(e, x, m) : e;
}

/**
 * Softmax (softmin with `negate`, log-softmax with `log`) of neighbouring columns of a strided
 * layout: 4 (one v128) or, with `wide`, 16 (four v128 per step along the axis, so each step reads
 * one whole cache line of 64 bytes instead of a quarter of it four times over). Each lane runs
 * its own max, sum and scale (log-softmax: the maxima counted and left out of the sum, logOfSum
 * per column, then (x - max) - log(sum) in float64) with the same operations in the same order
 * either way, so the bits do not depend on which walk a column gets. Where the stride is a
 * multiple of 4 KiB (inner a multiple of 1024, e.g. [N, C, 32, 32] along C), every step of a
 * column lands in the same L1 set, and walking four columns at a time fetched each line four
 * times per pass from L2. With the wide walk, V8/x64, zero-copy: softmax on [1, 64, 1024] along
 * dim 1, 1.57 against 4.18 ns/element, on [4, 16, 1024], 1.35 against 2.14; log-softmax 1.91
 * against 3.37 and 2.54 against 3.16 (one log1p per column of 16 weighs as much as the rest);
 * other strides 5-9% less.
 * Pass 2 takes two steps along the axis at a time: eight exps in flight instead of four, and for
 * softmax and softmin each column's two terms added in float32 before they are promoted (one
 * rounding of two positive terms, within 2^-24 of their sum; measured max over 10^7 outputs each
 * of random [1-3, 2-300, 1-37] along dim 1, logits in ±1 to ±100: softmax 2.73 ULP, softmin
 * 2.77, bound 8; log-softmax 1.42, bound 2). Log-softmax
 * adds the two promoted terms in float64 instead: its bound of 2 ULP has no room for the 2^-24
 * (2.14 ULP measured at y = -0.0039, where the sum's error is all of y's). Raw kernel,
 * ns/element at 64Ki, V8/x64, before -> after: softmax [64, 10, 100] 1.25 -> 0.93, [1, 64, 1024]
 * 1.52 -> 1.25, [256, 2, 128] 1.32 -> 0.98; softmin 1.35 -> 1.09 on the first; log-softmax
 * 2.05 -> 1.77, 1.70 -> 1.43, 4.08 -> 3.79. Four steps at a time measured no better (0.82
 * against 0.93 on [64, 10, 100], 1.25 against 1.19 on [1, 64, 1024]), nor did two running
 * maxima per column in pass 1. softmaxColumn pairs the steps the same way: the bits of a column
 * do not depend on which walk it gets, and the scalar build gives the same bits.
 */
// @ts-ignore: decorator
@inline function stridedBlock(s: usize, t: usize, n: usize, stride: usize, negate: bool, log: bool, wide: bool): void {
  let m0 = f32x4.splat(-Infinity);
  let m1 = f32x4.splat(-Infinity);
  let m2 = f32x4.splat(-Infinity);
  let m3 = f32x4.splat(-Infinity);
  for (let d: usize = 0; d < n; d++) {
    const a = s + d * stride;
    m0 = f32x4.pmax(m0, inputV(v128.load(a, 0), negate));
    if (wide) {
      m1 = f32x4.pmax(m1, inputV(v128.load(a, 16), negate));
      m2 = f32x4.pmax(m2, inputV(v128.load(a, 32), negate));
      m3 = f32x4.pmax(m3, inputV(v128.load(a, 48), negate));
    }
  }
  const n0 = f32x4.neg(m0);
  let lo0 = f64x2.splat(0);
  let hi0 = lo0;
  let c0 = i32x4.splat(0); // log: the maxima
  const n1 = f32x4.neg(m1);
  let lo1 = f64x2.splat(0);
  let hi1 = lo1;
  let c1 = i32x4.splat(0); // log: the maxima
  const n2 = f32x4.neg(m2);
  let lo2 = f64x2.splat(0);
  let hi2 = lo2;
  let c2 = i32x4.splat(0); // log: the maxima
  const n3 = f32x4.neg(m3);
  let lo3 = f64x2.splat(0);
  let hi3 = lo3;
  let c3 = i32x4.splat(0); // log: the maxima
  // Pass 2, two steps along the axis at a time: each column's two terms are added in float32
  // first (one rounding, within 2^-24 of their sum), then promoted; an odd last step alone.
  let d: usize = 0;
  for (; d + 2 <= n; d += 2) {
    const a = s + d * stride;
    const b = t + d * stride;
      {
        const x = inputV(v128.load(a, 0), negate);
        const y = inputV(v128.load(a + stride, 0), negate);
        const e = stridedTerm(x, m0, n0, log);
        const f = stridedTerm(y, m0, n0, log);
        if (log) {
          c0 = i32x4.sub(i32x4.sub(c0, f32x4.eq(x, m0)), f32x4.eq(y, m0));
        } else {
          v128.store(b, e, 0);
          v128.store(b + stride, f, 0);
        }
        lo0 = pairSum(lo0, e, f, log, false);
        hi0 = pairSum(hi0, e, f, log, true);
      }
    if (wide) {
      {
        const x = inputV(v128.load(a, 16), negate);
        const y = inputV(v128.load(a + stride, 16), negate);
        const e = stridedTerm(x, m1, n1, log);
        const f = stridedTerm(y, m1, n1, log);
        if (log) {
          c1 = i32x4.sub(i32x4.sub(c1, f32x4.eq(x, m1)), f32x4.eq(y, m1));
        } else {
          v128.store(b, e, 16);
          v128.store(b + stride, f, 16);
        }
        lo1 = pairSum(lo1, e, f, log, false);
        hi1 = pairSum(hi1, e, f, log, true);
      }
      {
        const x = inputV(v128.load(a, 32), negate);
        const y = inputV(v128.load(a + stride, 32), negate);
        const e = stridedTerm(x, m2, n2, log);
        const f = stridedTerm(y, m2, n2, log);
        if (log) {
          c2 = i32x4.sub(i32x4.sub(c2, f32x4.eq(x, m2)), f32x4.eq(y, m2));
        } else {
          v128.store(b, e, 32);
          v128.store(b + stride, f, 32);
        }
        lo2 = pairSum(lo2, e, f, log, false);
        hi2 = pairSum(hi2, e, f, log, true);
      }
      {
        const x = inputV(v128.load(a, 48), negate);
        const y = inputV(v128.load(a + stride, 48), negate);
        const e = stridedTerm(x, m3, n3, log);
        const f = stridedTerm(y, m3, n3, log);
        if (log) {
          c3 = i32x4.sub(i32x4.sub(c3, f32x4.eq(x, m3)), f32x4.eq(y, m3));
        } else {
          v128.store(b, e, 48);
          v128.store(b + stride, f, 48);
        }
        lo3 = pairSum(lo3, e, f, log, false);
        hi3 = pairSum(hi3, e, f, log, true);
      }
    }
  }
  if (d < n) {
    const a = s + d * stride;
    const b = t + d * stride;
      {
        const x = inputV(v128.load(a, 0), negate);
        const e = stridedTerm(x, m0, n0, log);
        if (log) c0 = i32x4.sub(c0, f32x4.eq(x, m0));
        else v128.store(b, e, 0);
        lo0 = f64x2.add(lo0, f64x2.promote_low_f32x4(e));
        hi0 = f64x2.add(hi0, f64x2.promote_low_f32x4(v128.shuffle<f32>(e, e, 2, 3, 2, 3)));
      }
    if (wide) {
      {
        const x = inputV(v128.load(a, 16), negate);
        const e = stridedTerm(x, m1, n1, log);
        if (log) c1 = i32x4.sub(c1, f32x4.eq(x, m1));
        else v128.store(b, e, 16);
        lo1 = f64x2.add(lo1, f64x2.promote_low_f32x4(e));
        hi1 = f64x2.add(hi1, f64x2.promote_low_f32x4(v128.shuffle<f32>(e, e, 2, 3, 2, 3)));
      }
      {
        const x = inputV(v128.load(a, 32), negate);
        const e = stridedTerm(x, m2, n2, log);
        if (log) c2 = i32x4.sub(c2, f32x4.eq(x, m2));
        else v128.store(b, e, 32);
        lo2 = f64x2.add(lo2, f64x2.promote_low_f32x4(e));
        hi2 = f64x2.add(hi2, f64x2.promote_low_f32x4(v128.shuffle<f32>(e, e, 2, 3, 2, 3)));
      }
      {
        const x = inputV(v128.load(a, 48), negate);
        const e = stridedTerm(x, m3, n3, log);
        if (log) c3 = i32x4.sub(c3, f32x4.eq(x, m3));
        else v128.store(b, e, 48);
        lo3 = f64x2.add(lo3, f64x2.promote_low_f32x4(e));
        hi3 = f64x2.add(hi3, f64x2.promote_low_f32x4(v128.shuffle<f32>(e, e, 2, 3, 2, 3)));
      }
    }
  }
  if (log) {
    const zero = f64x2.splat(0);
    const l0a = logPair(c0, lo0, m0, false, s, n, stride, negate);
    const l0b = logPair(c0, hi0, m0, true, s, n, stride, negate);
    const l1a = wide ? logPair(c1, lo1, m1, false, s + 16, n, stride, negate) : zero;
    const l1b = wide ? logPair(c1, hi1, m1, true, s + 16, n, stride, negate) : zero;
    const l2a = wide ? logPair(c2, lo2, m2, false, s + 32, n, stride, negate) : zero;
    const l2b = wide ? logPair(c2, hi2, m2, true, s + 32, n, stride, negate) : zero;
    const l3a = wide ? logPair(c3, lo3, m3, false, s + 48, n, stride, negate) : zero;
    const l3b = wide ? logPair(c3, hi3, m3, true, s + 48, n, stride, negate) : zero;
    const p0a = f64x2.promote_low_f32x4(m0);
    const p0b = f64x2.promote_low_f32x4(v128.shuffle<f32>(m0, m0, 2, 3, 2, 3));
    const p1a = f64x2.promote_low_f32x4(m1);
    const p1b = f64x2.promote_low_f32x4(v128.shuffle<f32>(m1, m1, 2, 3, 2, 3));
    const p2a = f64x2.promote_low_f32x4(m2);
    const p2b = f64x2.promote_low_f32x4(v128.shuffle<f32>(m2, m2, 2, 3, 2, 3));
    const p3a = f64x2.promote_low_f32x4(m3);
    const p3b = f64x2.promote_low_f32x4(v128.shuffle<f32>(m3, m3, 2, 3, 2, 3));
    for (let d: usize = 0; d < n; d++) {
      const a = s + d * stride;
      const b = t + d * stride;
      v128.store(b, logDiffV(inputV(v128.load(a, 0), negate), p0a, l0a, p0b, l0b), 0);
      if (wide) {
        v128.store(b, logDiffV(inputV(v128.load(a, 16), negate), p1a, l1a, p1b, l1b), 16);
        v128.store(b, logDiffV(inputV(v128.load(a, 32), negate), p2a, l2a, p2b, l2b), 32);
        v128.store(b, logDiffV(inputV(v128.load(a, 48), negate), p3a, l3a, p3b, l3b), 48);
      }
    }
    return;
  }
  const one = f64x2.splat(1);
  const i0 = v128.shuffle<f32>(f32x4.demote_f64x2_zero(f64x2.div(one, lo0)), f32x4.demote_f64x2_zero(f64x2.div(one, hi0)), 0, 1, 4, 5);
  const i1 = v128.shuffle<f32>(f32x4.demote_f64x2_zero(f64x2.div(one, lo1)), f32x4.demote_f64x2_zero(f64x2.div(one, hi1)), 0, 1, 4, 5);
  const i2 = v128.shuffle<f32>(f32x4.demote_f64x2_zero(f64x2.div(one, lo2)), f32x4.demote_f64x2_zero(f64x2.div(one, hi2)), 0, 1, 4, 5);
  const i3 = v128.shuffle<f32>(f32x4.demote_f64x2_zero(f64x2.div(one, lo3)), f32x4.demote_f64x2_zero(f64x2.div(one, hi3)), 0, 1, 4, 5);
  for (let d: usize = 0; d < n; d++) {
    const b = t + d * stride;
    v128.store(b, f32x4.mul(v128.load(b, 0), i0), 0);
    if (wide) {
      v128.store(b, f32x4.mul(v128.load(b, 16), i1), 16);
      v128.store(b, f32x4.mul(v128.load(b, 32), i2), 32);
      v128.store(b, f32x4.mul(v128.load(b, 48), i3), 48);
    }
  }
}

/**
 * log(sum) of two neighbouring columns of a log-softmax block, as an f64x2: lanes 0 and 1 (or,
 * with `high`, 2 and 3) of the counts and of the maxima `m`, with `sums` their two float64
 * sums; the block's columns start at s (logOfSum may read a column again).
 */
// @ts-ignore: decorator
@inline function logPair(counts: v128, sums: v128, m: v128, high: bool, s: usize, n: usize, stride: usize, negate: bool): v128 {
  const c0 = <f64>(high ? i32x4.extract_lane(counts, 2) : i32x4.extract_lane(counts, 0));
  const c1 = <f64>(high ? i32x4.extract_lane(counts, 3) : i32x4.extract_lane(counts, 1));
  const m0 = high ? f32x4.extract_lane(m, 2) : f32x4.extract_lane(m, 0);
  const m1 = high ? f32x4.extract_lane(m, 3) : f32x4.extract_lane(m, 1);
  const first = s + (high ? 2 * F32 : 0);
  const a = logArgument(c0, f64x2.extract_lane(sums, 0), m0, first, n, stride, negate);
  const b = logArgument(c1, f64x2.extract_lane(sums, 1), m1, first + F32, n, stride, negate);
  return log1pPair(f64x2.replace_lane(f64x2.splat(a), 1, b));
}

/**
 * Softmax (softmin, log-softmax by the flags) over the middle axis of an [outer, n, inner] array
 * (a dim that is not the last one). Four neighbouring columns share a v128: each lane runs its
 * own max, sum and scale, so the strided walk still reads whole vectors. In-place safe.
 */
// @ts-ignore: decorator
@inline function softmaxStridedOf(src: usize, dst: usize, outer: usize, n: usize, inner: usize, negate: bool, log: bool): void {
  if (n == 0 || inner == 0) return;
  const stride = inner * F32;
  const block = n * stride;
  for (let o: usize = 0; o < outer; o++) {
    const s0 = src + o * block;
    const d0 = dst + o * block;
    let c: usize = 0;
    if (ASC_FEATURE_SIMD) {
      for (; c + 16 <= inner; c += 16) stridedBlock(s0 + c * F32, d0 + c * F32, n, stride, negate, log, true);
      for (; c + 4 <= inner; c += 4) stridedBlock(s0 + c * F32, d0 + c * F32, n, stride, negate, log, false);
    }
    for (; c < inner; c++) softmaxColumn(s0 + c * F32, d0 + c * F32, n, stride, negate, log);
  }
}

/** Softmax over the middle axis of an [outer, n, inner] array. In-place safe. */
export function softmaxStrided(src: usize, dst: usize, outer: usize, n: usize, inner: usize): void {
  softmaxStridedOf(src, dst, outer, n, inner, false, false);
}

/** Softmin over the middle axis of an [outer, n, inner] array. In-place safe. */
export function softminStrided(src: usize, dst: usize, outer: usize, n: usize, inner: usize): void {
  softmaxStridedOf(src, dst, outer, n, inner, true, false);
}

/** Log-softmax over the middle axis of an [outer, n, inner] array. In-place safe. */
export function logSoftmaxStrided(src: usize, dst: usize, outer: usize, n: usize, inner: usize): void {
  softmaxStridedOf(src, dst, outer, n, inner, false, true);
}
