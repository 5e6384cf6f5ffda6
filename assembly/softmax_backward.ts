// Backward passes of softmax, softmin and log-softmax from the saved output y: one loop skeleton
// (two passes per slice: a sum of one term per element, then dx from dy, y and the sum),
// monomorphised per op class as in assembly/unary.ts.
//   softmax (PyTorch's _softmax_backward_data): dx_i = y_i * (dy_i - s),  s = sum_j dy_j * y_j;
//   softmin = softmax(-x): dx_i = -y_i * (dy_i - s) (the chain rule's -1; negation is exact);
//   log-softmax: dx_i = dy_i - e^(y_i) * S,  S = sum_j dy_j (LogSoftmaxGrad below).
// Softmax: Both run in float64 (f64x2 lanes in the
// simd build): each float32 pair is promoted and multiplied exactly (24 x 24 bits fit in 53), and
// the products are summed with TwoSum compensation into s = sHi + sLo (to ~2^-106 relative), so
// that dy_i - s = (dy_i - sHi) - sLo keeps full float64 relative accuracy even where it cancels
// (dy constant along the slice: exact result ~0; one y_i ~ 1: dy_i - s ~ 1e-15). A plain float64
// sum is not enough there: its rounding, 2^-53 |s|, can be millions of float32 ULP of a result
// that small. y_i * (dy_i - s) is formed in float64 and demoted once.
// Error: the final rounding (0.5 ULP) plus float64 terms. Measured max: 0.5 ULP on 9.0M elements
// (rows and columns of 1 to 1024, logits in ±1 to ±50, dy random in [-4, 4] or constant 1.5)
// against the compensated float64 reference, every backend (bound: 8 ULP). NaN in any dy_j or y_j of a slice makes the slice NaN; an infinite sum gives
// y_i * (dy_i - Infinity) as the plain formula.
// In-place safe (dx may be dy or y): pass 2 reads element i before it writes it.
import { exp64, exp64V, expm1_64, expm1_64V } from "./exp64";
import { expm1Neg, expm1NegV } from "./expm1";
import { expNeg, expNegV } from "./math";
import {
  logBackwardLaneGroup, logBackwardTakesLanes, logFixFour, logLanesFlush, softmaxBackwardLaneGroup, softmaxBackwardTakesLanes,
} from "./softmax_backward_lanes";

// @ts-ignore: decorator
@inline const F32: usize = 4;

/** The rounding error of hi = a + b (TwoSum, branch-free): a + b = hi + error exactly (vector). */
// @ts-ignore: decorator
@inline function twoSumErrorV(a: v128, b: v128, hi: v128): v128 {
  const bb = f64x2.sub(hi, a);
  return f64x2.add(f64x2.sub(a, f64x2.sub(hi, bb)), f64x2.sub(b, bb));
}

/** Scalar twin of {@link twoSumErrorV}. */
// @ts-ignore: decorator
@inline function twoSumError(a: f64, b: f64, hi: f64): f64 {
  const bb = hi - a;
  return (a - (hi - bb)) + (b - bb);
}

/** The low part of a sum whose high part is not finite (Infinity or NaN) is 0, not NaN (vector). */
// @ts-ignore: decorator
@inline function finiteLoV(hi: v128, lo: v128): v128 {
  return v128.and(lo, f64x2.eq(f64x2.sub(hi, hi), f64x2.splat(0)));
}

/** The high two float32 lanes of v moved to the bottom. */
// @ts-ignore: decorator
@inline function high(v: v128): v128 {
  return v128.shuffle<f32>(v, v, 2, 3, 2, 3);
}

/**
 * The two float32 at p promoted to float64. The sum loops take each half of a vector this way,
 * by a 64-bit load, rather than by promote_low of a 128-bit load and of its shuffled high half:
 * on x64 the conversion (cvtps2pd) and the shuffle both need the one shuffle port, and the load
 * takes a load port instead. Pass 1 of softmax's fast row at 64Ki, Intel Xeon: 0.55 -> 0.40
 * ns/element (the same sums in the same order, so the same bits).
 */
// @ts-ignore: decorator
@inline function promoteAt(p: usize): v128 {
  return f64x2.promote_low_f32x4(v128.load64_zero(p));
}

// Softmax's (and softmin's) fast row. The compensated sum above costs three times a plain one,
// and pass 2 in float64 twice pass 2 in float32; both are needed only where dy_i - s cancels.
//   Pass 1: s~ = sum dy y in plain float64 (exact products, four f64x2 accumulators) and
//     B = sum |dy y| in float32 (four lanes; rounded products, relative error < n 2^-24 < 1/2
//     for n <= 2^20, so sum |dy y| <= 2 B). The error of s~ is at most n 2^-53 sum |dy y|, and
//     s~ as a float32 pair (sHi, sLo) adds 2^-48 |s~|: E <= (n 2^-52 + 2^-47) B (+ 2^-140).
//   Check (reads dy only): every |dy_i - sHi| >= T + |sLo|, T = 2^22 E, i.e. |dy_i - s| >= T:
//     E is then at most 2^-22 of dy_i - s, <= 4 ULP of dx_i. If one element fails (dy constant
//     along the row, or B beyond 2^100, NaN, Infinity, n > 2^20) the row takes the compensated
//     generic path; nothing has been written yet, so that is in-place safe. (With dx apart from
//     dy and y the check runs inside pass 2 instead, softmaxFusedPass: a failed row is then
//     written twice, the second time by the generic path from the unchanged inputs.)
//   Pass 2 in float32: dx_i = y_i ((dy_i - sHi) - sLo): dy_i - sHi is exact when it cancels
//     (Sterbenz) and else far from sLo's size, so two more roundings and the product's: the total
//     stays under 6 ULP (bound 8). Random rows pass the check but for ~1 in 2000.
// Measured max 1.92 ULP (softmin 1.78) over 1.2M elements in rows of 1 to 200 and 1024 (random
// and constant dy); at 64Ki, rows of 1024, copying API: 30 us against 172 us for a naive JS loop
// (5.8x; 2.9x with the generic path). The plain float64 pass 1 alone takes ~12 us there
// (two f32-to-f64 conversions per element), and the copies ~9 us, so 8x (21 us) is out of reach
// for any float64-accurate sum on this path. (Figures of an earlier machine. On this Intel Xeon the
// conversions and the shuffles of the high halves share one port: pass 1 took 0.55 ns/element
// until the halves came by 64-bit loads (promoteAt), 0.40 since; the whole call at 64Ki through
// the copying API -3 to -4%, 1.43 -> 1.37 ns/element with the machine slow, against ~0.4 of copies.)
// The scalar build runs the same sums in the same order (eight float64 and four float32
// accumulators), so both builds take the same path and give the same bits.

// @ts-ignore: decorator
@inline const FAST_MAX_N: usize = 1 << 20;
// @ts-ignore: decorator
@inline export const FAST_MAX_B: f32 = 1.2676506e30; // 2^100
// The check's threshold T = 2^22 E = (n 2^-30 + 2^-25) B, with a 1% margin and a floor, plus |sLo|.
// @ts-ignore: decorator
@inline export const FAST_T_PER_N: f64 = 9.313225746154785e-10; // 2^-30
// @ts-ignore: decorator
@inline export const FAST_T_BASE: f64 = 2.9802322387695312e-8; // 2^-25
// @ts-ignore: decorator
@inline export const FAST_T_MARGIN: f64 = 1.01;
// @ts-ignore: decorator
@inline export const FAST_T_FLOOR: f64 = 1e-35;

/** The check's threshold T for a row of n with B = b and sLo = lo (softmaxBackwardLaneGroup has its vector twin). */
// @ts-ignore: decorator
@inline function softmaxFastThreshold(n: usize, b: f32, lo: f32): f32 {
  return <f32>((<f64>n * FAST_T_PER_N + FAST_T_BASE) * <f64>b * FAST_T_MARGIN + FAST_T_FLOOR) + Mathf.abs(lo);
}

/** Softmax's fast row (softmin's with `negate`); false, with nothing written, when the check fails. */
// @ts-ignore: decorator
@inline function softmaxFastRow(dy: usize, y: usize, dx: usize, n: usize, negate: bool): bool {
  if (n > FAST_MAX_N) return false;
  let i: usize = 0;
  let sum: f64 = 0;
  let b: f32 = 0;
  if (ASC_FEATURE_SIMD) {
    let a0 = f64x2.splat(0);
    let a1 = a0;
    let a2 = a0;
    let a3 = a0;
    let bv = f32x4.splat(0);
    for (; i + 8 <= n; i += 8) {
      const g0 = v128.load(dy + i * F32, 0);
      const g1 = v128.load(dy + i * F32, 16);
      const y0 = v128.load(y + i * F32, 0);
      const y1 = v128.load(y + i * F32, 16);
      const p = dy + i * F32;
      const q = y + i * F32;
      a0 = f64x2.add(a0, f64x2.mul(promoteAt(p), promoteAt(q)));
      a1 = f64x2.add(a1, f64x2.mul(promoteAt(p + 8), promoteAt(q + 8)));
      a2 = f64x2.add(a2, f64x2.mul(promoteAt(p + 16), promoteAt(q + 16)));
      a3 = f64x2.add(a3, f64x2.mul(promoteAt(p + 24), promoteAt(q + 24)));
      bv = f32x4.add(f32x4.add(bv, f32x4.abs(f32x4.mul(g0, y0))), f32x4.abs(f32x4.mul(g1, y1)));
    }
    const a = f64x2.add(f64x2.add(a0, a1), f64x2.add(a2, a3));
    sum = f64x2.extract_lane(a, 0) + f64x2.extract_lane(a, 1);
    b = (f32x4.extract_lane(bv, 0) + f32x4.extract_lane(bv, 1)) + (f32x4.extract_lane(bv, 2) + f32x4.extract_lane(bv, 3));
  } else {
    // The same sums in the same order as the vector loop (lane k of accumulator j is sk).
    let s0: f64 = 0, s1: f64 = 0, s2: f64 = 0, s3: f64 = 0, s4: f64 = 0, s5: f64 = 0, s6: f64 = 0, s7: f64 = 0;
    let b0: f32 = 0, b1: f32 = 0, b2: f32 = 0, b3: f32 = 0;
    for (; i + 8 <= n; i += 8) {
      const p = dy + i * F32;
      const q = y + i * F32;
      s0 += <f64>load<f32>(p, 0) * <f64>load<f32>(q, 0);
      s1 += <f64>load<f32>(p, 4) * <f64>load<f32>(q, 4);
      s2 += <f64>load<f32>(p, 8) * <f64>load<f32>(q, 8);
      s3 += <f64>load<f32>(p, 12) * <f64>load<f32>(q, 12);
      s4 += <f64>load<f32>(p, 16) * <f64>load<f32>(q, 16);
      s5 += <f64>load<f32>(p, 20) * <f64>load<f32>(q, 20);
      s6 += <f64>load<f32>(p, 24) * <f64>load<f32>(q, 24);
      s7 += <f64>load<f32>(p, 28) * <f64>load<f32>(q, 28);
      b0 = (b0 + Mathf.abs(load<f32>(p, 0) * load<f32>(q, 0))) + Mathf.abs(load<f32>(p, 16) * load<f32>(q, 16));
      b1 = (b1 + Mathf.abs(load<f32>(p, 4) * load<f32>(q, 4))) + Mathf.abs(load<f32>(p, 20) * load<f32>(q, 20));
      b2 = (b2 + Mathf.abs(load<f32>(p, 8) * load<f32>(q, 8))) + Mathf.abs(load<f32>(p, 24) * load<f32>(q, 24));
      b3 = (b3 + Mathf.abs(load<f32>(p, 12) * load<f32>(q, 12))) + Mathf.abs(load<f32>(p, 28) * load<f32>(q, 28));
    }
    // a0 = (s0, s1), a1 = (s2, s3), a2 = (s4, s5), a3 = (s6, s7) in the vector loop.
    sum = ((s0 + s2) + (s4 + s6)) + ((s1 + s3) + (s5 + s7));
    b = (b0 + b1) + (b2 + b3);
  }
  for (; i < n; i++) {
    const g = load<f32>(dy + i * F32);
    const yv = load<f32>(y + i * F32);
    sum += <f64>g * <f64>yv;
    b += Mathf.abs(g * yv);
  }
  if (!(b <= FAST_MAX_B)) return false; // also NaN and Infinity anywhere
  const hi = <f32>sum;
  const lo = <f32>(sum - <f64>hi);
  const t = softmaxFastThreshold(n, b, lo);
  // A dx apart from dy and y (the copying path's is) takes pass 2 with the check folded in.
  if (ASC_FEATURE_SIMD && dx != dy && dx != y) return softmaxFusedPass(dy, y, dx, n, hi, lo, t, negate);
  // Check: |dy_i - sHi| >= t everywhere, on the bits of |dy_i - sHi| (non-negative floats order
  // as ints): the least of them against t's. B passed, so every dy_i and sHi is finite, and so is
  // their difference (|sHi| <= 2^100): no NaN bits to slip under the minimum.
  i = 0;
  let bad = false;
  if (ASC_FEATURE_SIMD) {
    const hv = f32x4.splat(hi);
    const tv = i32x4.splat(reinterpret<i32>(t));
    const absMask = i32x4.splat(ABS_BITS);
    let least = i32x4.splat(0x7FFFFFFF);
    for (; i + 16 <= n; i += 16) {
      const p = dy + i * F32;
      const m0 = v128.and(f32x4.sub(v128.load(p, 0), hv), absMask);
      const m1 = v128.and(f32x4.sub(v128.load(p, 16), hv), absMask);
      const m2 = v128.and(f32x4.sub(v128.load(p, 32), hv), absMask);
      const m3 = v128.and(f32x4.sub(v128.load(p, 48), hv), absMask);
      least = i32x4.min_s(least, i32x4.min_s(i32x4.min_s(m0, m1), i32x4.min_s(m2, m3)));
    }
    bad = v128.any_true(i32x4.lt_s(least, tv));
  }
  for (; i < n; i++) bad = bad || Mathf.abs(load<f32>(dy + i * F32) - hi) < t;
  if (bad) return false;
  // Pass 2.
  i = 0;
  if (ASC_FEATURE_SIMD) {
    const hv = f32x4.splat(hi);
    const lv = f32x4.splat(lo);
    for (; i + 16 <= n; i += 16) {
      const p = dy + i * F32;
      const q = y + i * F32;
      const r = dx + i * F32;
      const g0 = v128.load(p, 0);
      const g1 = v128.load(p, 16);
      const g2 = v128.load(p, 32);
      const g3 = v128.load(p, 48);
      const y0 = v128.load(q, 0);
      const y1 = v128.load(q, 16);
      const y2 = v128.load(q, 32);
      const y3 = v128.load(q, 48);
      v128.store(r, softmaxFastV(g0, y0, hv, lv, negate), 0);
      v128.store(r, softmaxFastV(g1, y1, hv, lv, negate), 16);
      v128.store(r, softmaxFastV(g2, y2, hv, lv, negate), 32);
      v128.store(r, softmaxFastV(g3, y3, hv, lv, negate), 48);
    }
    for (; i + 4 <= n; i += 4) {
      v128.store(dx + i * F32, softmaxFastV(v128.load(dy + i * F32), v128.load(y + i * F32), hv, lv, negate));
    }
  }
  for (; i < n; i++) {
    const d = load<f32>(y + i * F32) * ((load<f32>(dy + i * F32) - hi) - lo);
    store<f32>(dx + i * F32, negate ? -d : d);
  }
  return true;
}

/**
 * Softmax's fast pass 2 with its check folded in, for a dx apart from dy and y: dx is written as
 * it goes, and a failed check returns false after the row (the generic path then writes dx again
 * from the unchanged dy and y). The same operations per element as the check and pass 2, one
 * read of dy less: 0.384 -> 0.348 ns/element at rows of 1024 (64Ki, zero-copy), 0.705 -> 0.645
 * at rows of 16. In place (dx = dy or y), the row must not be written before the check is done.
 * The check keeps the least |dy_i - sHi| (its bits, a min per vector where a compare and an or
 * took two), compared with T once at the end: the whole kernel -3 to -5% (Intel Xeon, 64Ki).
 */
// @ts-ignore: decorator
@inline function softmaxFusedPass(dy: usize, y: usize, dx: usize, n: usize, hi: f32, lo: f32, t: f32, negate: bool): bool {
  const hv = f32x4.splat(hi);
  const lv = f32x4.splat(lo);
  const tv = i32x4.splat(reinterpret<i32>(t));
  const absMask = i32x4.splat(ABS_BITS);
  let least = i32x4.splat(0x7FFFFFFF);
  let i: usize = 0;
  for (; i + 16 <= n; i += 16) {
    const p = dy + i * F32;
    const q = y + i * F32;
    const r = dx + i * F32;
    const d0 = f32x4.sub(v128.load(p, 0), hv);
    const d1 = f32x4.sub(v128.load(p, 16), hv);
    const d2 = f32x4.sub(v128.load(p, 32), hv);
    const d3 = f32x4.sub(v128.load(p, 48), hv);
    const m01 = i32x4.min_s(v128.and(d0, absMask), v128.and(d1, absMask));
    const m23 = i32x4.min_s(v128.and(d2, absMask), v128.and(d3, absMask));
    least = i32x4.min_s(least, i32x4.min_s(m01, m23));
    v128.store(r, softmaxFusedV(d0, v128.load(q, 0), lv, negate), 0);
    v128.store(r, softmaxFusedV(d1, v128.load(q, 16), lv, negate), 16);
    v128.store(r, softmaxFusedV(d2, v128.load(q, 32), lv, negate), 32);
    v128.store(r, softmaxFusedV(d3, v128.load(q, 48), lv, negate), 48);
  }
  for (; i + 4 <= n; i += 4) {
    const d = f32x4.sub(v128.load(dy + i * F32), hv);
    least = i32x4.min_s(least, v128.and(d, absMask));
    v128.store(dx + i * F32, softmaxFusedV(d, v128.load(y + i * F32), lv, negate));
  }
  let bad = v128.any_true(i32x4.lt_s(least, tv));
  for (; i < n; i++) {
    const g = load<f32>(dy + i * F32) - hi;
    bad = bad || Mathf.abs(g) < t;
    const d = load<f32>(y + i * F32) * (g - lo);
    store<f32>(dx + i * F32, negate ? -d : d);
  }
  return !bad;
}

/** y (d - sLo) with d = dy - sHi, negated for softmin (vector): softmaxFastV's last two steps. */
// @ts-ignore: decorator
@inline function softmaxFusedV(d: v128, yv: v128, lv: v128, negate: bool): v128 {
  const r = f32x4.mul(yv, f32x4.sub(d, lv));
  return negate ? f32x4.neg(r) : r;
}

/** y ((dy - sHi) - sLo) in float32, negated for softmin (vector). */
// @ts-ignore: decorator
@inline function softmaxFastV(g: v128, yv: v128, hv: v128, lv: v128, negate: bool): v128 {
  const d = f32x4.mul(yv, f32x4.sub(f32x4.sub(g, hv), lv));
  return negate ? f32x4.neg(d) : d;
}

// Softmax's (and softmin's) fast path along a strided dim: softmaxFastRow's sums, check and
// float32 pass 2, per column, each lane of a block running its own column (the lanes' sums are
// each column's own, in order along the axis). A column that fails the check (or whose B is
// beyond 2^100, NaN or infinite) takes the compensated generic path (the generic block over the
// failed lanes, stridedBlockOf) from unchanged dy and y: with dx apart from both the check runs
// inside pass 2 (the failed column's dx is written twice), in place it runs first and pass 2
// leaves the failed lanes as they are. The scalar build's columns (softmaxFastColumn) do the
// same operations in the same order, so both builds give the same bits, and so does a column
// whichever walk it gets.
// Raw kernel, ns/element at 64Ki, V8/x64, dy random in [-1, 1], before -> after: softmax along
// dim 1 of [64, 10, 100] 0.88 -> 0.51, [8, 128, 64] 0.87 -> 0.46, [1, 64, 1024] 0.91 -> 0.67,
// [256, 2, 128] 0.89 -> 0.72; in place (dx = dy) 0.92 -> 0.66 on the first. A dy constant
// along the axis fails most columns, which then take both paths: 0.89 -> 1.49, and dy = 0 every
// column at the first step (checked before anything is written: the generic block at once),
// 0.9 -> 1.2 (the rows' fast path has the same trade: 0.34 for random dy, 1.17 for constant).
// Measured max over 2 10^7 outputs of random [1-3, 2-300, 4-40] along dim 1: 2.45 ULP
// (softmin 2.35), bound 8.

/** sHi, sLo and T per lane from the float64 sums a01 (lanes 0-1), a23 (lanes 2-3) and B. */
// @ts-ignore: decorator
@inline function fastHi(a01: v128, a23: v128): v128 {
  return v128.shuffle<f32>(f32x4.demote_f64x2_zero(a01), f32x4.demote_f64x2_zero(a23), 0, 1, 4, 5);
}
// @ts-ignore: decorator
@inline function fastLo(a01: v128, a23: v128, hi: v128): v128 {
  return v128.shuffle<f32>(
    f32x4.demote_f64x2_zero(f64x2.sub(a01, f64x2.promote_low_f32x4(hi))),
    f32x4.demote_f64x2_zero(f64x2.sub(a23, f64x2.promote_low_f32x4(high(hi)))), 0, 1, 4, 5);
}
/** softmaxFastThreshold per lane, c = n 2^-30 + 2^-25: the same float64 steps, then + |sLo|. */
// @ts-ignore: decorator
@inline function fastT(b: v128, lo: v128, c: f64): v128 {
  const cv = f64x2.splat(c);
  const m = f64x2.splat(FAST_T_MARGIN);
  const f = f64x2.splat(FAST_T_FLOOR);
  const t01 = f64x2.add(f64x2.mul(f64x2.mul(cv, f64x2.promote_low_f32x4(b)), m), f);
  const t23 = f64x2.add(f64x2.mul(f64x2.mul(cv, f64x2.promote_low_f32x4(high(b))), m), f);
  return f32x4.add(v128.shuffle<f32>(f32x4.demote_f64x2_zero(t01), f32x4.demote_f64x2_zero(t23), 0, 1, 4, 5), f32x4.abs(lo));
}

/**
 * The fast path of 4 (or, with `wide`, 16) neighbouring softmax (softmin with `negate`) columns
 * of a strided layout at g (dy), yy (y), t (dx); returns the mask of the columns that failed
 * (bit k: column k of the block), which the caller runs through backwardColumn.
 */
// @ts-ignore: decorator
@inline function softmaxFastStridedBlock(g: usize, yy: usize, t: usize, n: usize, stride: usize, wide: bool, negate: bool): i32 {
  // Pass 1: the plain float64 sums of dy y (two f64x2 per group) and the float32 sums of |dy y|.
  let a0 = f64x2.splat(0);
  let c0 = a0;
  let a1 = a0;
  let c1 = a0;
  let a2 = a0;
  let c2 = a0;
  let a3 = a0;
  let c3 = a0;
  let b0 = f32x4.splat(0);
  let b1 = b0;
  let b2 = b0;
  let b3 = b0;
  for (let d: usize = 0; d < n; d++) {
    const gd = g + d * stride;
    const yd = yy + d * stride;
    const g0 = v128.load(gd, 0);
    const y0 = v128.load(yd, 0);
    a0 = f64x2.add(a0, f64x2.mul(promoteAt(gd), promoteAt(yd)));
    c0 = f64x2.add(c0, f64x2.mul(promoteAt(gd + 8), promoteAt(yd + 8)));
    b0 = f32x4.add(b0, f32x4.abs(f32x4.mul(g0, y0)));
    if (wide) {
      const g1 = v128.load(gd, 16);
      const y1 = v128.load(yd, 16);
      a1 = f64x2.add(a1, f64x2.mul(promoteAt(gd + 16), promoteAt(yd + 16)));
      c1 = f64x2.add(c1, f64x2.mul(promoteAt(gd + 24), promoteAt(yd + 24)));
      b1 = f32x4.add(b1, f32x4.abs(f32x4.mul(g1, y1)));
      const g2 = v128.load(gd, 32);
      const y2 = v128.load(yd, 32);
      a2 = f64x2.add(a2, f64x2.mul(promoteAt(gd + 32), promoteAt(yd + 32)));
      c2 = f64x2.add(c2, f64x2.mul(promoteAt(gd + 40), promoteAt(yd + 40)));
      b2 = f32x4.add(b2, f32x4.abs(f32x4.mul(g2, y2)));
      const g3 = v128.load(gd, 48);
      const y3 = v128.load(yd, 48);
      a3 = f64x2.add(a3, f64x2.mul(promoteAt(gd + 48), promoteAt(yd + 48)));
      c3 = f64x2.add(c3, f64x2.mul(promoteAt(gd + 56), promoteAt(yd + 56)));
      b3 = f32x4.add(b3, f32x4.abs(f32x4.mul(g3, y3)));
    }
  }
  const c = <f64>n * FAST_T_PER_N + FAST_T_BASE;
  const maxB = f32x4.splat(FAST_MAX_B);
  const h0 = fastHi(a0, c0);
  const l0 = fastLo(a0, c0, h0);
  const t0 = fastT(b0, l0, c);
  let f0 = v128.not(f32x4.le(b0, maxB)); // also NaN and Infinity
  const h1 = wide ? fastHi(a1, c1) : h0;
  const l1 = wide ? fastLo(a1, c1, h1) : l0;
  const t1 = wide ? fastT(b1, l1, c) : t0;
  let f1 = wide ? v128.not(f32x4.le(b1, maxB)) : f0;
  const h2 = wide ? fastHi(a2, c2) : h0;
  const l2 = wide ? fastLo(a2, c2, h2) : l0;
  const t2 = wide ? fastT(b2, l2, c) : t0;
  let f2 = wide ? v128.not(f32x4.le(b2, maxB)) : f0;
  const h3 = wide ? fastHi(a3, c3) : h0;
  const l3 = wide ? fastLo(a3, c3, h3) : l0;
  const t3 = wide ? fastT(b3, l3, c) : t0;
  let f3 = wide ? v128.not(f32x4.le(b3, maxB)) : f0;
  const absMask = i32x4.splat(ABS_BITS);
  // The first step's check before anything is written: a dy constant along the axis (each
  // dy_i = s) fails every column there, and the whole block then goes to the generic path at
  // once (1.47 -> 0.93 ns/element on [64, 10, 100] with dy = 1.5, against 0.88 before the fast path).
  const all = wide ? 0xFFFF : 0xF;
  const e0 = v128.or(f0, i32x4.lt_s(v128.and(f32x4.sub(v128.load(g, 0), h0), absMask), t0));
  let early = i32x4.bitmask(e0);
  if (wide) {
    early |= i32x4.bitmask(v128.or(f1, i32x4.lt_s(v128.and(f32x4.sub(v128.load(g, 16), h1), absMask), t1))) << 4;
    early |= i32x4.bitmask(v128.or(f2, i32x4.lt_s(v128.and(f32x4.sub(v128.load(g, 32), h2), absMask), t2))) << 8;
    early |= i32x4.bitmask(v128.or(f3, i32x4.lt_s(v128.and(f32x4.sub(v128.load(g, 48), h3), absMask), t3))) << 12;
  }
  if (early == all) return all;
  const fused = t != g && t != yy;
  if (!fused) {
    // In place: the check first (dy only), so that no failed column is written.
    for (let d: usize = 0; d < n; d++) {
      const gd = g + d * stride;
      f0 = v128.or(f0, i32x4.lt_s(v128.and(f32x4.sub(v128.load(gd, 0), h0), absMask), t0));
      if (wide) {
        f1 = v128.or(f1, i32x4.lt_s(v128.and(f32x4.sub(v128.load(gd, 16), h1), absMask), t1));
        f2 = v128.or(f2, i32x4.lt_s(v128.and(f32x4.sub(v128.load(gd, 32), h2), absMask), t2));
        f3 = v128.or(f3, i32x4.lt_s(v128.and(f32x4.sub(v128.load(gd, 48), h3), absMask), t3));
      }
    }
  }
  // Pass 2: dx = y ((dy - sHi) - sLo); in place the failed lanes keep what they hold.
  const keepDy = t == g;
  for (let d: usize = 0; d < n; d++) {
    const gd = g + d * stride;
    const yd = yy + d * stride;
    const td = t + d * stride;
    const g0 = v128.load(gd, 0);
    const y0 = v128.load(yd, 0);
    const d0 = f32x4.sub(g0, h0);
    if (fused) {
      f0 = v128.or(f0, i32x4.lt_s(v128.and(d0, absMask), t0));
      v128.store(td, softmaxFusedV(d0, y0, l0, negate), 0);
    } else {
      v128.store(td, v128.bitselect(keepDy ? g0 : y0, softmaxFusedV(d0, y0, l0, negate), f0), 0);
    }
    if (wide) {
      const g1 = v128.load(gd, 16);
      const y1 = v128.load(yd, 16);
      const d1 = f32x4.sub(g1, h1);
      const g2 = v128.load(gd, 32);
      const y2 = v128.load(yd, 32);
      const d2 = f32x4.sub(g2, h2);
      const g3 = v128.load(gd, 48);
      const y3 = v128.load(yd, 48);
      const d3 = f32x4.sub(g3, h3);
      if (fused) {
        f1 = v128.or(f1, i32x4.lt_s(v128.and(d1, absMask), t1));
        f2 = v128.or(f2, i32x4.lt_s(v128.and(d2, absMask), t2));
        f3 = v128.or(f3, i32x4.lt_s(v128.and(d3, absMask), t3));
        v128.store(td, softmaxFusedV(d1, y1, l1, negate), 16);
        v128.store(td, softmaxFusedV(d2, y2, l2, negate), 32);
        v128.store(td, softmaxFusedV(d3, y3, l3, negate), 48);
      } else {
        v128.store(td, v128.bitselect(keepDy ? g1 : y1, softmaxFusedV(d1, y1, l1, negate), f1), 16);
        v128.store(td, v128.bitselect(keepDy ? g2 : y2, softmaxFusedV(d2, y2, l2, negate), f2), 32);
        v128.store(td, v128.bitselect(keepDy ? g3 : y3, softmaxFusedV(d3, y3, l3, negate), f3), 48);
      }
    }
  }
  const first = i32x4.bitmask(f0);
  return wide ? first | (i32x4.bitmask(f1) << 4) | (i32x4.bitmask(f2) << 8) | (i32x4.bitmask(f3) << 12) : first;
}

/**
 * Scalar twin of softmaxFastStridedBlock for one column: false, with nothing written, when the
 * check fails (the column then takes the generic path).
 */
// @ts-ignore: decorator
@inline function softmaxFastColumn(dy: usize, y: usize, dx: usize, n: usize, stride: usize, negate: bool): bool {
  if (n > FAST_MAX_N) return false;
  let sum: f64 = 0;
  let b: f32 = 0;
  for (let d: usize = 0; d < n; d++) {
    const g = load<f32>(dy + d * stride);
    const yv = load<f32>(y + d * stride);
    sum += <f64>g * <f64>yv;
    b += Mathf.abs(g * yv);
  }
  if (!(b <= FAST_MAX_B)) return false;
  const hi = <f32>sum;
  const lo = <f32>(sum - <f64>hi);
  const t = <f32>(((<f64>n * FAST_T_PER_N + FAST_T_BASE) * <f64>b) * FAST_T_MARGIN + FAST_T_FLOOR) + Mathf.abs(lo);
  for (let d: usize = 0; d < n; d++) {
    if (reinterpret<i32>(Mathf.abs(load<f32>(dy + d * stride) - hi)) < reinterpret<i32>(t)) return false;
  }
  for (let d: usize = 0; d < n; d++) {
    const r = load<f32>(y + d * stride) * ((load<f32>(dy + d * stride) - hi) - lo);
    store<f32>(dx + d * stride, negate ? -r : r);
  }
  return true;
}

/** Softmax: terms dy * y, dx = y * (dy - s). */
@final class SoftmaxGrad {
  /** The exact float64 terms dy * y of the low two lanes (24 x 24 bits fit in 53). */
  // @ts-ignore: decorator
  @inline termV(dy: v128, y: v128): v128 {
    return f64x2.mul(f64x2.promote_low_f32x4(dy), f64x2.promote_low_f32x4(y));
  }
  // @ts-ignore: decorator
  @inline term(dy: f32, y: f32): f64 {
    return <f64>dy * <f64>y;
  }
  /** y * ((dy - sHi) - sLo) of the low two lanes in float64. */
  // @ts-ignore: decorator
  @inline gradV(dy: v128, y: v128, sHi: v128, sLo: v128): v128 {
    const d = f64x2.sub(f64x2.sub(f64x2.promote_low_f32x4(dy), sHi), sLo);
    return f64x2.mul(f64x2.promote_low_f32x4(y), d);
  }
  // @ts-ignore: decorator
  @inline grad(dy: f32, y: f32, sHi: f64, sLo: f64): f64 {
    return <f64>y * ((<f64>dy - sHi) - sLo);
  }
  // @ts-ignore: decorator
  @inline gradsV(dy: v128, y: v128, hi01: v128, lo01: v128, hi23: v128, lo23: v128): v128 {
    return pairsV<SoftmaxGrad>(dy, y, hi01, lo01, hi23, lo23);
  }
  /** The fast row when its check passes (see softmaxFastRow). */
  // @ts-ignore: decorator
  @inline fastRow(dy: usize, y: usize, dx: usize, n: usize): bool {
    return softmaxFastRow(dy, y, dx, n, false);
  }
  /** Whether strided columns take a fast path first (softmaxFastStridedBlock). */
  // @ts-ignore: decorator
  @inline get fastStrided(): bool { return true; }
  /** The fast path of a block of strided columns: the mask of those that failed. */
  // @ts-ignore: decorator
  @inline fastBlock(g: usize, yy: usize, t: usize, n: usize, stride: usize, wide: bool): i32 {
    return softmaxFastStridedBlock(g, yy, t, n, stride, wide, false);
  }
  /** The fast path of one strided column (scalar); false, nothing written, when it fails. */
  // @ts-ignore: decorator
  @inline fastColumn(dy: usize, y: usize, dx: usize, n: usize, stride: usize): bool {
    return softmaxFastColumn(dy, y, dx, n, stride, false);
  }
  /** Whether rows of `cols` take the lanes (./softmax_backward_lanes.ts). */
  // @ts-ignore: decorator
  @inline takesLanes(cols: usize): bool { return softmaxBackwardTakesLanes(cols); }
  /** Four short rows across the lanes; the mask of those left to the row loop. */
  // @ts-ignore: decorator
  @inline laneGroup(dy: usize, y: usize, dx: usize, a: usize, b: usize, c: usize, d: usize, rowBytes: usize): i32 {
    return softmaxBackwardLaneGroup(dy, y, dx, a, b, c, d, rowBytes, false);
  }
  /** Nothing waits after the lanes. */
  // @ts-ignore: decorator
  @inline lanesFlush(_dy: usize, _y: usize, _dx: usize): void {}
}

/** Softmin: softmax's terms, dx negated. */
@final class SoftminGrad {
  // @ts-ignore: decorator
  @inline termV(dy: v128, y: v128): v128 {
    return changetype<SoftmaxGrad>(0).termV(dy, y);
  }
  // @ts-ignore: decorator
  @inline term(dy: f32, y: f32): f64 {
    return changetype<SoftmaxGrad>(0).term(dy, y);
  }
  // @ts-ignore: decorator
  @inline gradV(dy: v128, y: v128, sHi: v128, sLo: v128): v128 {
    return f64x2.neg(changetype<SoftmaxGrad>(0).gradV(dy, y, sHi, sLo));
  }
  // @ts-ignore: decorator
  @inline grad(dy: f32, y: f32, sHi: f64, sLo: f64): f64 {
    return -changetype<SoftmaxGrad>(0).grad(dy, y, sHi, sLo);
  }
  // @ts-ignore: decorator
  @inline gradsV(dy: v128, y: v128, hi01: v128, lo01: v128, hi23: v128, lo23: v128): v128 {
    return pairsV<SoftminGrad>(dy, y, hi01, lo01, hi23, lo23);
  }
  // @ts-ignore: decorator
  @inline fastRow(dy: usize, y: usize, dx: usize, n: usize): bool {
    return softmaxFastRow(dy, y, dx, n, true);
  }
  // @ts-ignore: decorator
  @inline get fastStrided(): bool { return true; }
  // @ts-ignore: decorator
  @inline fastBlock(g: usize, yy: usize, t: usize, n: usize, stride: usize, wide: bool): i32 {
    return softmaxFastStridedBlock(g, yy, t, n, stride, wide, true);
  }
  // @ts-ignore: decorator
  @inline fastColumn(dy: usize, y: usize, dx: usize, n: usize, stride: usize): bool {
    return softmaxFastColumn(dy, y, dx, n, stride, true);
  }
  /** Whether rows of `cols` take the lanes (./softmax_backward_lanes.ts). */
  // @ts-ignore: decorator
  @inline takesLanes(cols: usize): bool { return softmaxBackwardTakesLanes(cols); }
  /** Four short rows across the lanes; the mask of those left to the row loop. */
  // @ts-ignore: decorator
  @inline laneGroup(dy: usize, y: usize, dx: usize, a: usize, b: usize, c: usize, d: usize, rowBytes: usize): i32 {
    return softmaxBackwardLaneGroup(dy, y, dx, a, b, c, d, rowBytes, true);
  }
  /** Nothing waits after the lanes. */
  // @ts-ignore: decorator
  @inline lanesFlush(_dy: usize, _y: usize, _dx: usize): void {}
}

// Log-softmax: dx = dy - e^y * S with S = sum dy as (sHi, sLo), compensated like softmax's sum
// (S cancels for gradients that sum to ~0), then (dy - e sHi) - e sLo in float64, one rounding.
// e^y comes from the float32 core (expNeg, <= 1 ULP: 2^-23 relative) where that is enough: the
// error it leaves is |e S| 2^-23, at most 4 ULP of dx while |dx| >= |e sHi| / 2 (plus the final
// half ULP). Lanes where dx cancels further, y > 0 or y < -87 (the core's range and flush) or
// NaN take float64 e^y (exp64.ts, ~2^-47 relative) instead (computed for a pair of lanes when
// either needs it, selected per lane): with dy random that is a few percent of the pairs.
// PyTorch's limits: y = -Infinity gives dy (e^y = 0) unless S is infinite (0 * Infinity = NaN);
// NaN anywhere in the slice's dy gives NaN. Measured max 1.71 ULP (fast row path included;
// softmin: 0.50) over 1.2M elements in rows of 1 to 200 and 1024, dy random in [-4, 4] or
// constant 1.5, simd and scalar bit-identical (bound: 8 ULP); with the fast path's float32
// fallback form (logFallbackV), 2.78 ULP over 1.0M outputs in rows of 1 to 1024 (dy random, NLL
// with confident targets, NLL plus noise of 1e-4, label-smoothed), simd and scalar the same
// bits. The generic path below serves strided dims and the rows the fast path declines. Limit: exp64's ~2^-47 holds the bound where
// dy_i and e^(y_i) S agree to up to ~20 bits (tested); inputs built to agree to 43 bits gave 12 ULP.

// @ts-ignore: decorator
@inline const CORE_LOW: f64 = -87.0;

// @ts-ignore: decorator
@inline const MINUS_LN2_64: f64 = -0.6931471805599453;

/** dy - e * S in float64 for given float64 e (two lanes). */
// @ts-ignore: decorator
@inline function logGrad2(dy: v128, e: v128, sHi: v128, sLo: v128): v128 {
  return f64x2.sub(f64x2.sub(dy, f64x2.mul(e, sHi)), f64x2.mul(e, sLo));
}

/** Scalar twin of {@link logGrad2}. */
// @ts-ignore: decorator
@inline export function logGrad(dy: f64, e: f64, sHi: f64, sLo: f64): f64 {
  return (dy - e * sHi) - e * sLo;
}

// The float64 fallback, dy - e^y S exactly enough wherever it is taken. For y >= -ln 2 (e^y >=
// 1/2) it runs as (dy - S) - expm1(y) S: dy - e^y S cancels as y -> 0 when dy ~ S, which is the
// gradient of a confident prediction under NLL (dy = -1/N on the target, 0 elsewhere: S = dy
// there, and dx = -expm1(y) S, far below S), and e^y itself, rounded near 1, would leave 2^-53 of
// S in it: 50 ULP at y = -5.3e-13 and 0 from y ~ -1e-16 on (found by an audit). dy - S then cancels
// exactly (Sterbenz) or not at all, and expm1(y) carries full relative accuracy. Below -ln 2 the
// e^y form: there (dy - S) and expm1(y) S ~ -S could cancel instead. A sum that is not finite
// takes the e^y form too (PyTorch's dy - e^y * Infinity, where the other form gives NaN at y = 0).

/** The fallback's value for the low two lanes: y (float64 lanes) picks the form per lane. */
// @ts-ignore: decorator
@inline function logGradExact2(dy: v128, y: v128, sHi: v128, sLo: v128): v128 {
  const near = v128.and(f64x2.ge(y, f64x2.splat(MINUS_LN2_64)), f64x2.eq(f64x2.sub(sHi, sHi), f64x2.splat(0)));
  const m = expm1_64V(y);
  const viaExpm1 = f64x2.sub(f64x2.sub(f64x2.sub(f64x2.sub(dy, sHi), sLo), f64x2.mul(m, sHi)), f64x2.mul(m, sLo));
  return v128.bitselect(viaExpm1, logGrad2(dy, exp64V(y), sHi, sLo), near);
}

/**
 * Scalar twin of {@link logGradExact2}: the same float64 operations in the same order. Not
 * inlined: every caller takes it only for the elements the float32 path does not hold for (the
 * scalar build's generic path too), and one copy of its exp64 and expm1_64 serves them all.
 */
export function logGradExact(dy: f64, y: f64, sHi: f64, sLo: f64): f64 {
  if (y >= MINUS_LN2_64 && sHi - sHi == 0) {
    const m = expm1_64(y);
    return (((dy - sHi) - sLo) - m * sHi) - m * sLo;
  }
  return logGrad(dy, exp64(y), sHi, sLo);
}

/**
 * dy - e^y S of the low two lanes from their float32 e^y (e32); a lane outside the float32
 * core's range or that cancels by half or more takes the float64 fallback (logGradExact2) instead (vector).
 */
// @ts-ignore: decorator
@inline function logGradHalf(dy: v128, y: v128, e32: v128, sHi: v128, sLo: v128): v128 {
  const g = f64x2.promote_low_f32x4(dy);
  const y64 = f64x2.promote_low_f32x4(y);
  const e = f64x2.promote_low_f32x4(e32);
  const d = logGrad2(g, e, sHi, sLo);
  const inRange = v128.and(f64x2.ge(y64, f64x2.splat(CORE_LOW)), f64x2.le(y64, f64x2.splat(0)));
  const ok = v128.and(inRange, f64x2.ge(f64x2.abs(d), f64x2.mul(f64x2.add(f64x2.abs(f64x2.mul(e, sHi)), f64x2.abs(f64x2.mul(e, sLo))), f64x2.splat(0.5))));
  if (i64x2.all_true(ok)) return d;
  return v128.bitselect(d, logGradExact2(g, y64, sHi, sLo), ok); // per lane, as the scalar twin
}

/** Log-softmax: terms dy, dx = dy - e^y * S. */
@final class LogSoftmaxGrad {
  // @ts-ignore: decorator
  @inline termV(dy: v128, _y: v128): v128 {
    return f64x2.promote_low_f32x4(dy);
  }
  // @ts-ignore: decorator
  @inline term(dy: f32, _y: f32): f64 {
    return <f64>dy;
  }
  // @ts-ignore: decorator
  @inline gradsV(dy: v128, y: v128, hi01: v128, lo01: v128, hi23: v128, lo23: v128): v128 {
    const e32 = expNegV(y); // four lanes at once; lanes with y > 0 are redone
    const a = f32x4.demote_f64x2_zero(logGradHalf(dy, y, e32, hi01, lo01));
    const b = f32x4.demote_f64x2_zero(logGradHalf(high(dy), high(y), high(e32), hi23, lo23));
    return v128.shuffle<f32>(a, b, 0, 1, 4, 5);
  }
  // @ts-ignore: decorator
  @inline grad(dy: f32, y: f32, sHi: f64, sLo: f64): f64 {
    const g = <f64>dy;
    const y64 = <f64>y;
    const e = <f64>expNeg(y);
    const d = logGrad(g, e, sHi, sLo);
    if (y64 >= CORE_LOW && y64 <= 0 && Math.abs(d) >= (Math.abs(e * sHi) + Math.abs(e * sLo)) * 0.5) return d;
    return logGradExact(g, y64, sHi, sLo);
  }
  /** The fast row when its sum is certified exact (see logSoftmaxFastRow). */
  // @ts-ignore: decorator
  @inline fastRow(dy: usize, y: usize, dx: usize, n: usize): bool {
    return logSoftmaxFastRow(dy, y, dx, n);
  }
  /** Strided columns take the generic path only. */
  // @ts-ignore: decorator
  @inline get fastStrided(): bool { return false; }
  // @ts-ignore: decorator
  @inline fastBlock(_g: usize, _yy: usize, _t: usize, _n: usize, _stride: usize, wide: bool): i32 { return wide ? 0xFFFF : 0xF; }
  // @ts-ignore: decorator
  @inline fastColumn(_dy: usize, _y: usize, _dx: usize, _n: usize, _stride: usize): bool { return false; }
  /** Whether rows of `cols` take the lanes (./softmax_backward_lanes.ts). */
  // @ts-ignore: decorator
  @inline takesLanes(cols: usize): bool { return logBackwardTakesLanes(cols); }
  /** Four short rows across the lanes; the mask of those left to the row loop. */
  // @ts-ignore: decorator
  @inline laneGroup(dy: usize, y: usize, dx: usize, a: usize, b: usize, c: usize, d: usize, rowBytes: usize): i32 {
    return logBackwardLaneGroup(dy, y, dx, a, b, c, d, rowBytes);
  }
  /** The lanes' fallbacks still waiting (logLanesFlush). */
  // @ts-ignore: decorator
  @inline lanesFlush(dy: usize, y: usize, dx: usize): void { logLanesFlush(dy, y, dx); }
}

// Log-softmax's fast row (rows only). Pass 1 sums dy in plain float64 (four f64x2 accumulators)
// and tracks the float32 exponent fields of the nonzero dy: every nonzero dy is a multiple of
// 2^(eMin - 150) below 2^(eMax - 126), so when eMax - eMin + ceil(log2 n) <= 29 every partial
// sum is a multiple of that grid below 2^53 of it, and the sum is EXACT in any order (the
// compensated sum adds nothing). Random dy passes easily (a span of ~20 binades); a row that
// does not (tiny and huge gradients together, NaN, Infinity) takes the compensated generic path
// before anything is written. Pass 2 in float32 with S as a float32 pair (sHi, sLo):
//   e = expNeg(y) (<= 1 ULP), a = e sHi, dx = (dy - a) - e sLo,
// kept where -87 <= y <= -0 (the core's range, no flush) and |dx| >= |a| (at most one bit
// cancels): the error is then <= |a| (2^-23 + 2^-24) + two roundings of 2^-24 |dx| + ~2^-48 |a|,
// under 5 ULP of dx. Other elements (1.6% with the benchmark's random dy) are redone in float64
// with exp64 (logFixFour, four at a time), as the scalar build does per element: same bits.
// Speed at 64Ki, rows of 1024, copying API: 1.14-1.16 ns per element against 9.2-9.8 for a
// naive JS loop (8.1-8.4x in two runs; 1.63 ns and 6.0x before the changes logFastVectors lists);
// four vectors per iteration of pass 2 instead of two: 7.5% less (1.39 against 1.50 ns/element,
// zero-copy).

// @ts-ignore: decorator
@inline const ABS_BITS: i32 = 0x7fffffff;
// The bits of -87.0f as a signed int32. Negative floats order as their signed bits (-0 is
// INT_MIN, larger magnitudes above it), and positive floats, NaN with either sign and -Infinity
// all lie above this value, so `bits(y) <= Y_LOW_BITS` is exactly -87 <= y <= -0: one compare.
// (+0 is left out, unlike the float compares' -87 <= y <= 0: it takes the float64 fallback,
// whose error is the smaller; one element per row at most, where a class is certain.)
// @ts-ignore: decorator
@inline const Y_LOW_BITS: i32 = 0xc2ae0000; // -87.0f

/** The float32 fast path's dx of four lanes and which lanes it holds for (ok: all ones). */
// @ts-ignore: decorator
@inline export function logFastD(g: v128, e: v128, hi: v128, lo: v128): v128 {
  return f32x4.sub(f32x4.sub(g, f32x4.mul(e, hi)), f32x4.mul(e, lo));
}

/**
 * The lanes where {@link logFastD}'s d holds: -87 <= y <= -0 (the core's range), |d| >= |e sHi|.
 * Both as integer compares, which take fewer operations in V8's code than the float ones: the
 * range by y's bits (see Y_LOW_BITS), the magnitudes by the bits shifted left by one (the sign
 * bit dropped: non-negative floats order as their bits, unsigned). d is never NaN there (dy, S
 * finite, 0 <= e <= 1), where the float compare would differ.
 */
// @ts-ignore: decorator
@inline export function logFastOk(d: v128, yv: v128, e: v128, hi: v128): v128 {
  const outOfRange = i32x4.gt_s(yv, i32x4.splat(Y_LOW_BITS));
  const held = i32x4.ge_u(i32x4.shl(d, 1), i32x4.shl(f32x4.mul(e, hi), 1));
  return v128.andnot(held, outOfRange);
}

// The fallback's first try, in float32, for -1 <= y <= 0 (e^y >= 1/e), where dx = dy - e^y S
// cancels when dy ~ S: the form of logGradExact's near branch, dx = (dy - S) - expm1(y) S, with
// S = (sHi, sLo) and m = expm1(y) from the float32 core (./expm1.ts, within 2^-23 relative):
//   v = (dy - sHi) - sLo,  w = m sHi,  d = (v - w) - m sLo.
// Error: the roundings of dy - sHi (at most 2^-24 |v| + 2^-24 |sLo| beyond v's own), of v, w, d
// and v - w (2^-24 each of |v|, |w|, |d|, |d|), m's 2^-23 |w|, sLo's own (2^-24 |sLo|, S being
// exact), m sLo's (2^-48 |w|): at most 2^-24 (2|v| + 3|w| + 2|d| + 2|sLo|) + tiny. Kept where
// 2|v| + 3|w| <= 5|d| and 4|sLo| <= |d|: then under 7.6 * 2^-24 |d|, under 8 ULP of dx. That is
// the gradient of a confident prediction under NLL (dy = -1/N on the target and 0 elsewhere, so
// S = dy there and v = 0, and e^y > 1/2, where the float32 form above fails), and the short rows'
// large elements: in rows of ten, 11% of the elements failed the form above (e^y S is not small
// against dy there). Only the rest take float64 (logGradExact: a chain of ~40 dependent
// operations). The scalar twin runs the same float32 operations in the same order.

/**
 * The form above for four lanes: d where it holds, NaN elsewhere (a kept d is never NaN);
 * `near` holds the lanes with -1 <= y <= 0.
 */
// @ts-ignore: decorator
@inline function logNearV(g: v128, yv: v128, hv: v128, lv: v128, near: v128): v128 {
  const m = expm1NegV(yv);
  const v = f32x4.sub(f32x4.sub(g, hv), lv);
  const w = f32x4.mul(m, hv);
  const d = f32x4.sub(f32x4.sub(v, w), f32x4.mul(m, lv));
  const av = f32x4.abs(v);
  const ad = f32x4.abs(d);
  const small = f32x4.le(f32x4.add(f32x4.add(av, av), f32x4.mul(f32x4.abs(w), f32x4.splat(3))), f32x4.mul(ad, f32x4.splat(5)));
  const ok = v128.and(v128.and(near, small), f32x4.le(f32x4.mul(f32x4.abs(lv), f32x4.splat(4)), ad));
  return v128.bitselect(d, f32x4.splat(NaN), ok);
}

/**
 * dx of four lanes for which the float32 fast path does not hold: the form above where it holds,
 * else dy - e^y S in float64 (logFixPair, per lane S in sum01 and sum23: logGradExact's bits).
 * hv and lv are S as float32 pairs per lane. Not inlined: the fast loops keep their registers.
 */
export function logFallbackV(g: v128, yv: v128, hv: v128, lv: v128, sum01: v128, sum23: v128): v128 {
  // The float32 form only where a lane may take it (rows of random dy fail with y far below -1).
  const inRange = v128.and(f32x4.ge(yv, f32x4.splat(-1)), f32x4.le(yv, f32x4.splat(0)));
  const near = v128.any_true(inRange) ? logNearV(g, yv, hv, lv, inRange) : f32x4.splat(NaN);
  const ok = f32x4.eq(near, near);
  if (i32x4.all_true(ok)) return near;
  const lo = logFixPair(f64x2.promote_low_f32x4(g), f64x2.promote_low_f32x4(yv), sum01);
  const hi = logFixPair(f64x2.promote_low_f32x4(high(g)), f64x2.promote_low_f32x4(high(yv)), sum23);
  return v128.bitselect(near, v128.shuffle<f32>(f32x4.demote_f64x2_zero(lo), f32x4.demote_f64x2_zero(hi), 0, 1, 4, 5), ok);
}

/** Scalar twin of {@link logFallbackV} for one element (S = sum exactly, as (hi, lo)). Not inlined. */
function logFallback(g: f32, yv: f32, hi: f32, lo: f32, sum: f64): f32 {
  if (yv >= -1 && yv <= 0) {
    const m = expm1Neg(yv);
    const v = (g - hi) - lo;
    const w = m * hi;
    const d = (v - w) - m * lo;
    const av = Mathf.abs(v);
    const ad = Mathf.abs(d);
    if ((av + av) + Mathf.abs(w) * 3 <= ad * 5 && Mathf.abs(lo) * 4 <= ad) return d;
  }
  return <f32>logGradExact(<f64>g, <f64>yv, sum, 0);
}

/**
 * dy - e^y S of two elements (float64 lanes g, yv; S per lane, exact), as logGradExact gives
 * each: the e^y form alone where both y are below -ln 2, else both forms selected per lane. Not
 * inlined: one copy of the two float64 exp chains for every caller (the two calls' chains still
 * overlap).
 */
function logFixPair(g: v128, yv: v128, s: v128): v128 {
  const zero = f64x2.splat(0);
  return v128.any_true(f64x2.ge(yv, f64x2.splat(MINUS_LN2_64)))
    ? logGradExact2(g, yv, s, zero)
    : logGrad2(g, exp64V(yv), s, zero);
}

/** The fast path for one element (scalar tail and scalar build): the vector loop's value. */
// @ts-ignore: decorator
@inline function logFast(g: f32, yv: f32, hi: f32, lo: f32, sum: f64): f32 {
  const e = expNeg(yv);
  const d = (g - e * hi) - e * lo;
  if (reinterpret<i32>(yv) <= Y_LOW_BITS && reinterpret<u32>(d) << 1 >= reinterpret<u32>(e * hi) << 1) return d;
  return logFallback(g, yv, hi, lo, sum);
}

/**
 * d where `ok`; elsewhere, when `inPlace` (a compile-time constant), the input dx overwrites
 * (keepY: all ones when dx is y, else dx is dy), so that both stay in place for the fallback;
 * apart, d (the fallback overwrites it).
 */
// @ts-ignore: decorator
@inline function logKept(d: v128, g: v128, yv: v128, ok: v128, inPlace: bool, keepY: v128): v128 {
  if (!inPlace) return d;
  return v128.bitselect(d, v128.bitselect(yv, g, keepY), ok);
}

/**
 * Pass 2 of {@link logSoftmaxFastRow} over the row's whole vectors; returns where the scalar
 * tail starts. The elements the fast path does not hold for get a bit in `redo` after each
 * chunk of 64 floats and are redone four at a time (logFixFour). No branch in the loop. Two
 * copies, dx apart from both inputs (no select) and in place (logKept), each in a function of
 * its own: three copies inlined into the row's function, V8 compiled 14% slower than the one
 * loop they replaced. Speed of the whole backward pass at 64Ki,
 * rows of 1024, zero-copy (V8/x64, against the previous build in the same process, medians of
 * 25 alternating batches, ns per element): 1.455 -> 1.393 for these copies (no select per vector
 * against a keepY mask when dx is apart); 1.53 -> 1.41 with logFastOk's integer compares too
 * (V8 had spilled 17 values per iteration and rebuilt the abs mask for every abs); with pass 1's
 * bits (logSoftmaxFastRow) and the fallback in fours, 1.51 -> 1.14-1.16; and the exp core
 * without its clamp, 1.51 -> 1.11 (-26%); in place (out = dy), 1.26 -> 1.11. The clamp only
 * keeps y below -88 from garbage, and logFastOk sends every y below -87 to the fallback
 * whatever e is. (exp64's polynomial in Estrin's order, 8 deep instead of 20, helped the
 * fallback by 2% when it went one element at a time and not at all in fours, for 0.7 KB more
 * of the gzipped bundle: not kept. The in-place copy with one vector per iteration would have
 * saved 0.3 KB and made that case 7% slower than before.)
 */
// @ts-ignore: decorator
@inline function logFastVectors(dy: usize, y: usize, dx: usize, n: usize, hi: f32, lo: f32, sum: f64, inPlace: bool): usize {
  const keepY = i32x4.splat(dx == y ? -1 : 0);
  const hv = f32x4.splat(hi);
  const lv = f32x4.splat(lo);
  const vectors = n & ~(<usize>3);
  let i: usize = 0;
  // An element to redo waits for three more (from any chunk of the row: its inputs stay in
  // place, and no later store touches it), and the four are redone together.
  let pending = 0;
  let p0: usize = 0;
  let p1: usize = 0;
  let p2: usize = 0;
  while (i < vectors) {
    const base = i;
    const end = min(vectors, base + 64);
    let redo: u64 = 0;
    for (; i + 16 <= end; i += 16) {
      // Four vectors per iteration: their exp chains overlap.
      const g0 = v128.load(dy + i * F32, 0);
      const g1 = v128.load(dy + i * F32, 16);
      const g2 = v128.load(dy + i * F32, 32);
      const g3 = v128.load(dy + i * F32, 48);
      const y0 = v128.load(y + i * F32, 0);
      const y1 = v128.load(y + i * F32, 16);
      const y2 = v128.load(y + i * F32, 32);
      const y3 = v128.load(y + i * F32, 48);
      const e0 = expNegV(y0, false, false);
      const e1 = expNegV(y1, false, false);
      const e2 = expNegV(y2, false, false);
      const e3 = expNegV(y3, false, false);
      const d0 = logFastD(g0, e0, hv, lv);
      const d1 = logFastD(g1, e1, hv, lv);
      const d2 = logFastD(g2, e2, hv, lv);
      const d3 = logFastD(g3, e3, hv, lv);
      const ok0 = logFastOk(d0, y0, e0, hv);
      const ok1 = logFastOk(d1, y1, e1, hv);
      const ok2 = logFastOk(d2, y2, e2, hv);
      const ok3 = logFastOk(d3, y3, e3, hv);
      v128.store(dx + i * F32, logKept(d0, g0, y0, ok0, inPlace, keepY), 0);
      v128.store(dx + i * F32, logKept(d1, g1, y1, ok1, inPlace, keepY), 16);
      v128.store(dx + i * F32, logKept(d2, g2, y2, ok2, inPlace, keepY), 32);
      v128.store(dx + i * F32, logKept(d3, g3, y3, ok3, inPlace, keepY), 48);
      // The lanes that failed, as the inverted mask of those that held: inverting the 16 bits
      // costs one integer operation, v128.not two vector ones per vector (3% of the pass).
      const held = i32x4.bitmask(ok0) | (i32x4.bitmask(ok1) << 4) |
        (i32x4.bitmask(ok2) << 8) | (i32x4.bitmask(ok3) << 12);
      redo |= <u64>(~held & 0xFFFF) << <u64>(i - base);
    }
    for (; i < end; i += 4) {
      const g = v128.load(dy + i * F32);
      const yv = v128.load(y + i * F32);
      const e = expNegV(yv, false, false);
      const d = logFastD(g, e, hv, lv);
      const ok = logFastOk(d, yv, e, hv);
      v128.store(dx + i * F32, logKept(d, g, yv, ok, inPlace, keepY));
      redo |= <u64>(~i32x4.bitmask(ok) & 0xF) << <u64>(i - base);
    }
    while (redo != 0) {
      const at = base + <usize>ctz(redo);
      redo &= redo - 1;
      if (pending == 3) {
        logFixFour(dy, y, dx, p0 * F32, p1 * F32, p2 * F32, at * F32, sum, sum, sum, sum);
        pending = 0;
      } else {
        if (pending == 0) p0 = at;
        else if (pending == 1) p1 = at;
        else p2 = at;
        pending++;
      }
    }
  }
  // The row's last one to three, the first repeated in the free lanes (the same value twice).
  if (pending > 0) {
    logFixFour(dy, y, dx, p0 * F32, (pending > 1 ? p1 : p0) * F32, (pending > 2 ? p2 : p0) * F32, p0 * F32, sum, sum, sum, sum);
  }
  return i;
}

/** {@link logFastVectors} for a dx apart from dy and y. (Not inlined: see logFastVectors.) */
function logFastVectorsApart(dy: usize, y: usize, dx: usize, n: usize, hi: f32, lo: f32, sum: f64): usize {
  return logFastVectors(dy, y, dx, n, hi, lo, sum, false);
}

/** {@link logFastVectors} for dx = dy or dx = y. */
function logFastVectorsInPlace(dy: usize, y: usize, dx: usize, n: usize, hi: f32, lo: f32, sum: f64): usize {
  return logFastVectors(dy, y, dx, n, hi, lo, sum, true);
}

/** Log-softmax backward of one row by the fast path; false (nothing written) when its sum is not certified exact. */
// @ts-ignore: decorator
@inline function logSoftmaxFastRow(dy: usize, y: usize, dx: usize, n: usize): bool {
  let i: usize = 0;
  let sum: f64 = 0;
  // The exponent fields' range comes from the magnitudes' bits, as unsigned integers: the
  // largest, and the smallest nonzero one minus one (bits - 1 wraps a zero to the top, out of
  // the minimum's way). The field is monotonic in those bits, so field(maxBits) is the largest
  // field and max(field(minBits), 1) the smallest of the nonzero dy (zeros left out, subnormals
  // on field 1's grid), as per element; four vector operations where the fields themselves took
  // ten. The whole backward pass at 64Ki, rows of 1024, zero-copy: 1.41 -> 1.20 ns per element.
  let maxBits: u32 = 0;
  let minBitsLess1: u32 = 0xFFFFFFFF;
  if (ASC_FEATURE_SIMD) {
    let a0 = f64x2.splat(0);
    let a1 = a0;
    let a2 = a0;
    let a3 = a0;
    let mn = i32x4.splat(-1);
    let mx = i32x4.splat(0);
    const absMask = i32x4.splat(ABS_BITS);
    const one = i32x4.splat(1);
    for (; i + 8 <= n; i += 8) {
      const g0 = v128.load(dy + i * F32, 0);
      const g1 = v128.load(dy + i * F32, 16);
      const p = dy + i * F32;
      a0 = f64x2.add(a0, promoteAt(p));
      a1 = f64x2.add(a1, promoteAt(p + 8));
      a2 = f64x2.add(a2, promoteAt(p + 16));
      a3 = f64x2.add(a3, promoteAt(p + 24));
      const m0 = v128.and(g0, absMask);
      const m1 = v128.and(g1, absMask);
      mx = i32x4.max_u(mx, i32x4.max_u(m0, m1));
      mn = i32x4.min_u(mn, i32x4.min_u(i32x4.sub(m0, one), i32x4.sub(m1, one)));
    }
    const a = f64x2.add(f64x2.add(a0, a1), f64x2.add(a2, a3));
    sum = f64x2.extract_lane(a, 0) + f64x2.extract_lane(a, 1);
    const mx2 = i32x4.max_u(mx, v128.shuffle<i32>(mx, mx, 2, 3, 2, 3));
    const mn2 = i32x4.min_u(mn, v128.shuffle<i32>(mn, mn, 2, 3, 2, 3));
    maxBits = max(<u32>i32x4.extract_lane(mx2, 0), <u32>i32x4.extract_lane(mx2, 1));
    minBitsLess1 = min(<u32>i32x4.extract_lane(mn2, 0), <u32>i32x4.extract_lane(mn2, 1));
  }
  for (; i < n; i++) {
    const g = load<f32>(dy + i * F32);
    sum += <f64>g;
    const m = reinterpret<u32>(g) & <u32>ABS_BITS;
    maxBits = max(maxBits, m);
    minBitsLess1 = min(minBitsLess1, m - 1);
  }
  const eMax = <i32>(maxBits >>> 23);
  const eMin = minBitsLess1 == 0xFFFFFFFF ? 255 : max(1, <i32>((minBitsLess1 + 1) >>> 23));
  const logN = 32 - <i32>clz(<u32>n); // >= log2 n
  if (eMax == 255 || eMax - eMin + logN > 29 || !(Math.abs(sum) <= <f64>f32.MAX_VALUE)) return false;
  const hi = <f32>sum;
  const lo = <f32>(sum - <f64>hi);
  i = 0;
  if (ASC_FEATURE_SIMD) {
    // One copy of the loop for dx apart from dy and y, one in place (see logKept), so that the
    // usual case stores d as it is.
    i = dx != dy && dx != y ? logFastVectorsApart(dy, y, dx, n, hi, lo, sum) : logFastVectorsInPlace(dy, y, dx, n, hi, lo, sum);
  }
  for (; i < n; i++) {
    store<f32>(dx + i * F32, logFast(load<f32>(dy + i * F32), load<f32>(y + i * F32), hi, lo, sum));
  }
  return true;
}

/** Op.gradsV: dx of four lanes, s as (hi, lo) pairs of f64x2 for lanes 0-1 and 2-3. */
// @ts-ignore: decorator
@inline function gradsV<Op>(dy: v128, y: v128, hi01: v128, lo01: v128, hi23: v128, lo23: v128): v128 {
  return changetype<Op>(0).gradsV(dy, y, hi01, lo01, hi23, lo23);
}

/** gradV (the low two lanes, float64) of a softmax-like op per lane, demoted. */
// @ts-ignore: decorator
@inline function pairsV<Op>(dy: v128, y: v128, hi01: v128, lo01: v128, hi23: v128, lo23: v128): v128 {
  const op = changetype<Op>(0);
  const a = f32x4.demote_f64x2_zero(op.gradV(dy, y, hi01, lo01));
  const b = f32x4.demote_f64x2_zero(op.gradV(high(dy), high(y), hi23, lo23));
  return v128.shuffle<f32>(a, b, 0, 1, 4, 5);
}

/** One contiguous row of n floats. */
// @ts-ignore: decorator
@inline function backwardRow<Op>(dy: usize, y: usize, dx: usize, n: usize): void {
  const op = changetype<Op>(0);
  let i: usize = 0;
  let sHi: f64 = 0;
  let sLo: f64 = 0;
  if (ASC_FEATURE_SIMD) {
    // Two lanes of (hi, lo) sums per half of the v128: four compensated sums in all.
    let h0 = f64x2.splat(0);
    let l0 = h0;
    let h1 = h0;
    let l1 = h0;
    for (; i + 4 <= n; i += 4) {
      const g = v128.load(dy + i * F32);
      const yv = v128.load(y + i * F32);
      const p0 = op.termV(g, yv);
      const p1 = op.termV(high(g), high(yv));
      const t0 = f64x2.add(h0, p0);
      const t1 = f64x2.add(h1, p1);
      l0 = f64x2.add(l0, twoSumErrorV(h0, p0, t0));
      l1 = f64x2.add(l1, twoSumErrorV(h1, p1, t1));
      h0 = t0;
      h1 = t1;
    }
    // Lanes combined, compensated as well.
    const h = f64x2.add(h0, h1);
    const l = f64x2.add(f64x2.add(l0, l1), twoSumErrorV(h0, h1, h));
    const a = f64x2.extract_lane(h, 0);
    const b = f64x2.extract_lane(h, 1);
    sHi = a + b;
    sLo = (f64x2.extract_lane(l, 0) + f64x2.extract_lane(l, 1)) + twoSumError(a, b, sHi);
  }
  for (; i < n; i++) {
    const p = op.term(load<f32>(dy + i * F32), load<f32>(y + i * F32));
    const t = sHi + p;
    sLo += twoSumError(sHi, p, t);
    sHi = t;
  }
  if (sHi - sHi != 0) sLo = 0; // Infinity or NaN: no low part
  i = 0;
  if (ASC_FEATURE_SIMD) {
    const hv = f64x2.splat(sHi);
    const lv = f64x2.splat(sLo);
    for (; i + 8 <= n; i += 8) {
      const g0 = v128.load(dy + i * F32, 0);
      const g1 = v128.load(dy + i * F32, 16);
      const y0 = v128.load(y + i * F32, 0);
      const y1 = v128.load(y + i * F32, 16);
      v128.store(dx + i * F32, gradsV<Op>(g0, y0, hv, lv, hv, lv), 0);
      v128.store(dx + i * F32, gradsV<Op>(g1, y1, hv, lv, hv, lv), 16);
    }
    for (; i + 4 <= n; i += 4) {
      v128.store(dx + i * F32, gradsV<Op>(v128.load(dy + i * F32), v128.load(y + i * F32), hv, lv, hv, lv));
    }
  }
  for (; i < n; i++) {
    store<f32>(dx + i * F32, <f32>op.grad(load<f32>(dy + i * F32), load<f32>(y + i * F32), sHi, sLo));
  }
}

/** `rows` contiguous rows of `cols` floats. */
// @ts-ignore: decorator
@inline function backwardRows<Op>(dy: usize, y: usize, dx: usize, rows: usize, cols: usize): void {
  if (cols == 0) return;
  const op = changetype<Op>(0);
  const rowBytes = cols * F32;
  // Log-softmax's short rows go four at a time across the lanes; the rows they leave, the last
  // one to three rows and every other row take the row loop (one call site), as softmaxRows in
  // ./softmax.ts.
  const lanes = ASC_FEATURE_SIMD && op.takesLanes(cols);
  for (let r: usize = 0; r < rows;) {
    let byRow = -1; // bit k: row r + k takes the row loop (all rows at once without lanes)
    let end = rows;
    if (lanes && rows - r >= 4) {
      end = r + 4;
      const a = r * rowBytes;
      byRow = op.laneGroup(dy, y, dx, a, a + rowBytes, a + 2 * rowBytes, a + 3 * rowBytes, rowBytes);
    }
    for (let j = r; j < end; j++) {
      if (byRow & (1 << <i32>(j - r))) {
        const o = j * rowBytes;
        if (!op.fastRow(dy + o, y + o, dx + o, cols)) backwardRow<Op>(dy + o, y + o, dx + o, cols);
      }
    }
    r = end;
  }
  if (lanes) op.lanesFlush(dy, y, dx);
}

/** One column (stride `stride` bytes, n entries) of a strided layout (scalar). */
// @ts-ignore: decorator
@inline function backwardColumn<Op>(dy: usize, y: usize, dx: usize, n: usize, stride: usize): void {
  const op = changetype<Op>(0);
  if (op.fastStrided && op.fastColumn(dy, y, dx, n, stride)) return;
  let sHi: f64 = 0;
  let sLo: f64 = 0;
  for (let d: usize = 0; d < n; d++) {
    const p = op.term(load<f32>(dy + d * stride), load<f32>(y + d * stride));
    const t = sHi + p;
    sLo += twoSumError(sHi, p, t);
    sHi = t;
  }
  if (sHi - sHi != 0) sLo = 0;
  for (let d: usize = 0; d < n; d++) {
    store<f32>(dx + d * stride, <f32>op.grad(load<f32>(dy + d * stride), load<f32>(y + d * stride), sHi, sLo));
  }
}

/**
 * Neighbouring columns of the middle axis: 4 (one v128) or, with `wide`, 16 (four v128 per step
 * along it, so each step reads whole cache lines of dy and y, 64 bytes, instead of a quarter of
 * each four times over). Each lane runs its own compensated float64 sum and then its grads with
 * the same operations in the same order either way, so the bits do not depend on which walk a
 * column gets. Where the stride is a multiple of 4 KiB (e.g. [N, C, 32, 32] along C) every step
 * of a column lands in the same L1 set, and walking four columns at a time fetched each line
 * from L2 four times per pass: softmax backward on [1, 64, 1024] along dim 1, 0.97 against 3.04
 * ns/element with the wide walk; [4, 16, 1024], 0.96 against 2.47 (V8/x64, zero-copy).
 */
// @ts-ignore: decorator
@inline function backwardStridedBlock<Op>(g: usize, yy: usize, t: usize, n: usize, stride: usize, wide: bool, masked: bool = false, lanes: i32 = 0): void {
  const op = changetype<Op>(0);
  let h0a = f64x2.splat(0);
  let l0a = h0a;
  let h0b = h0a;
  let l0b = h0a;
  let h1a = f64x2.splat(0);
  let l1a = h1a;
  let h1b = h1a;
  let l1b = h1a;
  let h2a = f64x2.splat(0);
  let l2a = h2a;
  let h2b = h2a;
  let l2b = h2a;
  let h3a = f64x2.splat(0);
  let l3a = h3a;
  let h3b = h3a;
  let l3b = h3a;
  for (let d: usize = 0; d < n; d++) {
    const gd = g + d * stride;
    const yd = yy + d * stride;
    const g0 = v128.load(gd, 0);
    const y0 = v128.load(yd, 0);
    const p0a = op.termV(g0, y0);
    const p0b = op.termV(high(g0), high(y0));
    const t0a = f64x2.add(h0a, p0a);
    const t0b = f64x2.add(h0b, p0b);
    l0a = f64x2.add(l0a, twoSumErrorV(h0a, p0a, t0a));
    l0b = f64x2.add(l0b, twoSumErrorV(h0b, p0b, t0b));
    h0a = t0a;
    h0b = t0b;
    if (wide) {
      const g1 = v128.load(gd, 16);
      const y1 = v128.load(yd, 16);
      const p1a = op.termV(g1, y1);
      const p1b = op.termV(high(g1), high(y1));
      const t1a = f64x2.add(h1a, p1a);
      const t1b = f64x2.add(h1b, p1b);
      l1a = f64x2.add(l1a, twoSumErrorV(h1a, p1a, t1a));
      l1b = f64x2.add(l1b, twoSumErrorV(h1b, p1b, t1b));
      h1a = t1a;
      h1b = t1b;
      const g2 = v128.load(gd, 32);
      const y2 = v128.load(yd, 32);
      const p2a = op.termV(g2, y2);
      const p2b = op.termV(high(g2), high(y2));
      const t2a = f64x2.add(h2a, p2a);
      const t2b = f64x2.add(h2b, p2b);
      l2a = f64x2.add(l2a, twoSumErrorV(h2a, p2a, t2a));
      l2b = f64x2.add(l2b, twoSumErrorV(h2b, p2b, t2b));
      h2a = t2a;
      h2b = t2b;
      const g3 = v128.load(gd, 48);
      const y3 = v128.load(yd, 48);
      const p3a = op.termV(g3, y3);
      const p3b = op.termV(high(g3), high(y3));
      const t3a = f64x2.add(h3a, p3a);
      const t3b = f64x2.add(h3b, p3b);
      l3a = f64x2.add(l3a, twoSumErrorV(h3a, p3a, t3a));
      l3b = f64x2.add(l3b, twoSumErrorV(h3b, p3b, t3b));
      h3a = t3a;
      h3b = t3b;
    }
  }
  l0a = finiteLoV(h0a, l0a);
  l0b = finiteLoV(h0b, l0b);
  l1a = finiteLoV(h1a, l1a);
  l1b = finiteLoV(h1b, l1b);
  l2a = finiteLoV(h2a, l2a);
  l2b = finiteLoV(h2b, l2b);
  l3a = finiteLoV(h3a, l3a);
  l3b = finiteLoV(h3b, l3b);
  if (masked) {
    // Only the lanes of `lanes` (bit k: column k) are written; the others keep what dx holds.
    const bit = i32x4(1, 2, 4, 8);
    const zero = i32x4.splat(0);
    const k0 = i32x4.ne(v128.and(i32x4.splat(lanes), bit), zero);
    const k1 = i32x4.ne(v128.and(i32x4.splat(lanes >> 4), bit), zero);
    const k2 = i32x4.ne(v128.and(i32x4.splat(lanes >> 8), bit), zero);
    const k3 = i32x4.ne(v128.and(i32x4.splat(lanes >> 12), bit), zero);
    for (let d: usize = 0; d < n; d++) {
      const gd = g + d * stride;
      const yd = yy + d * stride;
      const td = t + d * stride;
      v128.store(td, v128.bitselect(gradsV<Op>(v128.load(gd, 0), v128.load(yd, 0), h0a, l0a, h0b, l0b), v128.load(td, 0), k0), 0);
      if (wide) {
        v128.store(td, v128.bitselect(gradsV<Op>(v128.load(gd, 16), v128.load(yd, 16), h1a, l1a, h1b, l1b), v128.load(td, 16), k1), 16);
        v128.store(td, v128.bitselect(gradsV<Op>(v128.load(gd, 32), v128.load(yd, 32), h2a, l2a, h2b, l2b), v128.load(td, 32), k2), 32);
        v128.store(td, v128.bitselect(gradsV<Op>(v128.load(gd, 48), v128.load(yd, 48), h3a, l3a, h3b, l3b), v128.load(td, 48), k3), 48);
      }
    }
    return;
  }
  for (let d: usize = 0; d < n; d++) {
    const gd = g + d * stride;
    const yd = yy + d * stride;
    const td = t + d * stride;
    v128.store(td, gradsV<Op>(v128.load(gd, 0), v128.load(yd, 0), h0a, l0a, h0b, l0b), 0);
    if (wide) {
      v128.store(td, gradsV<Op>(v128.load(gd, 16), v128.load(yd, 16), h1a, l1a, h1b, l1b), 16);
      v128.store(td, gradsV<Op>(v128.load(gd, 32), v128.load(yd, 32), h2a, l2a, h2b, l2b), 32);
      v128.store(td, gradsV<Op>(v128.load(gd, 48), v128.load(yd, 48), h3a, l3a, h3b, l3b), 48);
    }
  }
}

/**
 * A block of 16 (`wide`) or 4 strided columns: the op's fast path where it has one, then the
 * generic block over its failed columns alone (the other lanes' results are not written: in
 * place their inputs are dx already, and their sums garbage), or all of it when every column
 * failed. A failed column gets the bits backwardColumn's generic path gives it.
 */
// @ts-ignore: decorator
@inline function stridedBlockOf<Op>(g: usize, yy: usize, t: usize, n: usize, stride: usize, wide: bool): void {
  const op = changetype<Op>(0);
  if (op.fastStrided) {
    const all = wide ? 0xFFFF : 0xF;
    const failed = n <= FAST_MAX_N ? op.fastBlock(g, yy, t, n, stride, wide) : all;
    if (failed == all) backwardStridedBlock<Op>(g, yy, t, n, stride, wide);
    else if (failed != 0) backwardStridedBlock<Op>(g, yy, t, n, stride, wide, true, failed);
    return;
  }
  backwardStridedBlock<Op>(g, yy, t, n, stride, wide);
}

/**
 * The middle axis of an [outer, n, inner] array: 16 and then 4 neighbouring columns at a time
 * (backwardStridedBlock), the rest one by one (backwardColumn).
 */
// @ts-ignore: decorator
@inline function backwardStrided<Op>(dy: usize, y: usize, dx: usize, outer: usize, n: usize, inner: usize): void {
  if (n == 0 || inner == 0) return;
  const stride = inner * F32;
  const block = n * stride;
  for (let o: usize = 0; o < outer; o++) {
    const g0 = dy + o * block;
    const y0 = y + o * block;
    const x0 = dx + o * block;
    let c: usize = 0;
    if (ASC_FEATURE_SIMD) {
      for (; c + 16 <= inner; c += 16) stridedBlockOf<Op>(g0 + c * F32, y0 + c * F32, x0 + c * F32, n, stride, true);
      for (; c + 4 <= inner; c += 4) stridedBlockOf<Op>(g0 + c * F32, y0 + c * F32, x0 + c * F32, n, stride, false);
    }
    for (; c < inner; c++) backwardColumn<Op>(g0 + c * F32, y0 + c * F32, x0 + c * F32, n, stride);
  }
}

/** Softmax backward over the last dimension: `rows` contiguous rows of `cols` floats. */
export function softmaxBackward(dy: usize, y: usize, dx: usize, rows: usize, cols: usize): void {
  backwardRows<SoftmaxGrad>(dy, y, dx, rows, cols);
}

/** Softmax backward over the middle axis of an [outer, n, inner] array. */
export function softmaxBackwardStrided(dy: usize, y: usize, dx: usize, outer: usize, n: usize, inner: usize): void {
  backwardStrided<SoftmaxGrad>(dy, y, dx, outer, n, inner);
}

/** Softmin backward over the last dimension. */
export function softminBackward(dy: usize, y: usize, dx: usize, rows: usize, cols: usize): void {
  backwardRows<SoftminGrad>(dy, y, dx, rows, cols);
}

/** Softmin backward over the middle axis of an [outer, n, inner] array. */
export function softminBackwardStrided(dy: usize, y: usize, dx: usize, outer: usize, n: usize, inner: usize): void {
  backwardStrided<SoftminGrad>(dy, y, dx, outer, n, inner);
}

/** Log-softmax backward over the last dimension. */
export function logSoftmaxBackward(dy: usize, y: usize, dx: usize, rows: usize, cols: usize): void {
  backwardRows<LogSoftmaxGrad>(dy, y, dx, rows, cols);
}

/** Log-softmax backward over the middle axis of an [outer, n, inner] array. */
export function logSoftmaxBackwardStrided(dy: usize, y: usize, dx: usize, outer: usize, n: usize, inner: usize): void {
  backwardStrided<LogSoftmaxGrad>(dy, y, dx, outer, n, inner);
}
