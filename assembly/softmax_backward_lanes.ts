// Log-softmax's backward pass for short rows (logBackwardTakesLanes), four rows at a
// time with one row per lane, in the simd build: the fast row of ./softmax_backward.ts
// (logSoftmaxFastRow) with each lane doing its own row's operations, the rows' entries at one
// column gathered and the results scattered as in ./softmax_lanes.ts. Through the row loop a row
// of ten costs its fixed work (two horizontal reductions, the sum's checks, the float32 pair of
// S) for few elements, in scalar tails.
//   Pass 1 per lane: S = sum dy in float64 and the exponent fields of the nonzero dy; the lanes
//     whose sum is not certified exact (eMax - eMin + ceil(log2 n) > 29, NaN or Infinity, |S|
//     beyond FLT_MAX) are left undone, nothing written: the caller runs their rows through the
//     row loop (its compensated path). A certified sum is exact in any order, so the column
//     order here gives the row loop's S.
//   Pass 2 per lane: dx = (dy - e sHi) - e sLo in float32 with e = expNeg(y), where it holds
//     (logFastOk); the other lanes (11% of the elements in rows of ten with random dy, and the
//     target of every row under NLL once its probability passes 1/2) take the fallback
//     (logFallbackV: the float32 form (dy - S) - expm1(y) S where it holds, else float64), as
//     the row loop does (logFixFour): the same bits as the row loop. The failed elements are
//     queued after each chunk of 16 columns and redone four at a time (see the loop).
// In-place safe (dx may be dy or y): each column's entries are read before any is written, and
// a lane left to the fallback stores the input it overwrites until the fallback rewrites it.
// The queued fallback and its float32 form, at 64Ki, zero-copy (V8/x64, Intel Xeon), ns/element,
// before -> after: rows of 10, random dy 9.96 -> 6.8-7.0, NLL with a confident target (logit
// margin 8) 8.7-10 -> 5.4-5.7; rows of 4: 15.5 -> 10.3, 12.4 -> 8.5-8.8; rows of 21, random dy
// 7.7 -> 5.6; dy = 0 (no fallback) 3.5-3.8 either way. (Redoing each failed column at once,
// after the chunk: rows of 10, random dy 8.7-9.0.)
// Measured at 64Ki elements, zero-copy (V8/x64, raw exports, interleaved rounds), ns/element,
// row loop -> lanes, with y the log-softmax of logits uniform in [-6, 6] and dy uniform in
// [-1, 1] (Math.random; an earlier measurement drew both from one LCG, whose consecutive draws
// are correlated and made the float64 fallbacks rarer: 3.6 instead of 5.4 at 10 per row):
//   1-7 per row: 16.5 -> 11.8 (1), 19.3 -> 10.7 (2), 9.1 -> 8.4 (4), 9.2 -> 6.6 (7);
//   not a multiple of 4: 5.9 -> 5.6 (9), 6.1 -> 5.4 (10), 6.0 -> 4.9 (11), 4.9 -> 4.2 (15),
//     3.7 -> 3.0 (23); but 3.3 -> 3.7 (17) and 3.5 -> 3.55 (18);
//   8, 12, 16, 20: the row loop, whose rows are whole v128 with no scalar tail, is faster
//     (5.0 against 5.8, 4.5 against 4.7, 2.9 against 3.9, 3.2 against 3.4);
// hence logBackwardTakesLanes below. From 24 on the row loop leads.
// Checked: the same bits as the row loop over 1.6M outputs (rows of 1 to 30, 1 to 13 rows, dy
// from 1e-3 to 1e6 in scale, y down to -100, NaN, ±Infinity, subnormal and huge dy, constant dy,
// dx separate, dx = dy and dx = y). That check drew every row of a call alike; rows whose sums
// are certified among rows whose sums are not (a NaN or a huge dy in some rows), in place,
// gave wrong entries in 18% of such calls until the lanes standing in for the undone ones
// stopped queueing their failed elements (see `queued`): 0 of 6,000 since (rows of 1 to 23, 4
// to 8 rows, dx = dy and dx = y), and test/backward.test.ts now runs its rows in place in the
// kernel (buffers) as well as through the copying API, where dx is never dy or y.
import { expNegV } from "./math";
import {
  FAST_MAX_B, FAST_T_BASE, FAST_T_FLOOR, FAST_T_MARGIN, FAST_T_PER_N, logFallbackV, logFastD, logFastOk,
} from "./softmax_backward";
import { demoteBoth, gather, laneF32, laneF64, promoteHigh, scatter } from "./softmax_lanes";

// @ts-ignore: decorator
@inline const F32: usize = 4;

/** Whether log-softmax backward rows of `cols` take the lanes: shorter than 24, and below 8 or not a multiple of 4 (measured above). */
// @ts-ignore: decorator
@inline export function logBackwardTakesLanes(cols: usize): bool {
  return cols < 24 && (cols < 8 || (cols & 3) != 0);
}

// The fallbacks waiting, up to three, from any group of the call: each element's byte offset
// (the same from dy, y and dx) and its row's S. The element's inputs stay in place until it is
// redone (its lane stored the input dx overwrites), and no later store touches it.
let fixCount = 0;
let fixAt0: usize = 0;
let fixAt1: usize = 0;
let fixAt2: usize = 0;
let fixSum0: f64 = 0;
let fixSum1: f64 = 0;
let fixSum2: f64 = 0;

/**
 * The fast path's fallback (logFallbackV) for the elements at byte offsets i, j, k and l, whose
 * rows' sums are s0 to s3, from dy and y still in place; S as a float32 pair formed as the rows
 * and the groups form it (the same bits). Repeats allowed (the same value stored twice). Four at
 * a time, the rows' (logFastVectors) and the lanes' alike: the fallback's float64 exp is a chain
 * of ~40 dependent operations per element, which the lanes share and the two pairs overlap: at
 * 64Ki, rows of 1024, zero-copy, the fallback's work took ~0.14 ns per element of the pass's
 * 1.16-1.18 one element at a time; pairs took 1.5% off the whole, and two pairs at once 3% more.
 * The float32 form first costs rows of random dy (whose failing y lie far below -1) 1-3%, and
 * takes a third off NLL's (rows of 64 with confident targets: 3.0 -> 2.2 ns/element, Intel
 * Xeon). Not inlined.
 */
export function logFixFour(dy: usize, y: usize, dx: usize, i: usize, j: usize, k: usize, l: usize, s0: f64, s1: f64, s2: f64, s3: f64): void {
  const g = gather(dy + i, dy + j, dy + k, dy + l, 0);
  const yv = gather(y + i, y + j, y + k, y + l, 0);
  const sum01 = f64x2.replace_lane(f64x2.splat(s0), 1, s1);
  const sum23 = f64x2.replace_lane(f64x2.splat(s2), 1, s3);
  const hv = demoteBoth(sum01, sum23);
  const lv = demoteBoth(f64x2.sub(sum01, f64x2.promote_low_f32x4(hv)), f64x2.sub(sum23, promoteHigh(hv)));
  scatter(dx + i, dx + j, dx + k, dx + l, 0, logFallbackV(g, yv, hv, lv, sum01, sum23));
}

/** Queues the element at byte offset `at` (its row's S: sum) for the fallback; four run together. */
function queueFix(dy: usize, y: usize, dx: usize, at: usize, sum: f64): void {
  if (fixCount == 3) {
    logFixFour(dy, y, dx, fixAt0, fixAt1, fixAt2, at, fixSum0, fixSum1, fixSum2, sum);
    fixCount = 0;
  } else {
    if (fixCount == 0) { fixAt0 = at; fixSum0 = sum; }
    else if (fixCount == 1) { fixAt1 = at; fixSum1 = sum; }
    else { fixAt2 = at; fixSum2 = sum; }
    fixCount++;
  }
}

/** Runs the one to three fallbacks still queued (the first repeated in the free lanes): once the call's groups are done. */
export function logLanesFlush(dy: usize, y: usize, dx: usize): void {
  if (fixCount == 0) return;
  const j = fixCount > 1 ? fixAt1 : fixAt0;
  const k = fixCount > 2 ? fixAt2 : fixAt0;
  const s1 = fixCount > 1 ? fixSum1 : fixSum0;
  const s2 = fixCount > 2 ? fixSum2 : fixSum0;
  fixCount = 0;
  logFixFour(dy, y, dx, fixAt0, j, k, fixAt0, fixSum0, s1, s2, fixSum0);
}

/**
 * Queues the failed elements of a chunk (bit 4k + i of `failed`: lane i of the chunk's column k,
 * `start` the chunk's byte offset; rows a to d and their sums s0 to s3). A function of its own,
 * though binaryen inlines it (one caller): written inside the loop, the same code left the simd
 * module 407 bytes larger gzipped (43,510 against 43,103).
 */
function queueFailed(
  dy: usize, y: usize, dx: usize, a: usize, b: usize, c: usize, d: usize, start: usize, failed: u64,
  s0: f64, s1: f64, s2: f64, s3: f64,
): void {
  // Each element's row and sum chosen without a branch (a branch at random lanes would flush
  // the queued fallbacks' chains still in flight).
  while (failed != 0) {
    const bit = <usize>ctz(failed);
    failed &= failed - 1;
    const odd = (bit & 1) != 0;
    const upper = (bit & 2) != 0;
    const row = select<usize>(select<usize>(d, c, odd), select<usize>(b, a, odd), upper);
    const sum = select<f64>(select<f64>(s3, s2, odd), select<f64>(s1, s0, odd), upper);
    queueFix(dy, y, dx, row + start + (bit & ~(<usize>3)), sum);
  }
}

/**
 * Log-softmax backward of the four rows at byte offsets a, b, c, d from dy, y and dx (repeats
 * allowed), each of n = rowBytes / 4 >= 1 floats. Returns the 4-bit mask of the lanes left
 * undone (their sum not certified exact), nothing of theirs written.
 */
// @ts-ignore: decorator
@inline export function logBackwardLaneGroup(dy: usize, y: usize, dx: usize, a: usize, b: usize, c: usize, d: usize, rowBytes: usize): i32 {
  let sum01 = f64x2.splat(0);
  let sum23 = f64x2.splat(0);
  // The exponent range from the magnitudes' bits, as logSoftmaxFastRow's pass 1 takes it.
  let mnBits = i32x4.splat(-1);
  let mxBits = i32x4.splat(0);
  for (let off: usize = 0; off < rowBytes; off += F32) {
    const g = gather(dy + a, dy + b, dy + c, dy + d, off);
    sum01 = f64x2.add(sum01, f64x2.promote_low_f32x4(g));
    sum23 = f64x2.add(sum23, promoteHigh(g));
    const m = v128.and(g, i32x4.splat(0x7fffffff));
    mxBits = i32x4.max_u(mxBits, m);
    mnBits = i32x4.min_u(mnBits, i32x4.sub(m, i32x4.splat(1)));
  }
  const mx = i32x4.shr_u(mxBits, 23);
  // (mnBits + 1 wraps the all-zero lanes' -1 back to 0, field 0: then max(0, 1) = 1 where the
  // per-element fields gave 255; with mx = 0 both pass the range check, and their sums are 0.)
  const mn = i32x4.max_u(i32x4.shr_u(i32x4.add(mnBits, i32x4.splat(1)), 23), i32x4.splat(1));
  const n = rowBytes / F32;
  const logN = 32 - <i32>clz(<u32>n); // >= log2 n
  const limit = f64x2.splat(<f64>f32.MAX_VALUE);
  const bounded = v128.shuffle<i32>(f64x2.le(f64x2.abs(sum01), limit), f64x2.le(f64x2.abs(sum23), limit), 0, 2, 4, 6);
  const exact = v128.and(
    i32x4.ne(mx, i32x4.splat(255)),
    i32x4.le_s(i32x4.add(i32x4.sub(mx, mn), i32x4.splat(logN)), i32x4.splat(29)));
  const regular = v128.and(bounded, exact);
  const undone = ~i32x4.bitmask(regular) & 0xF;
  if (undone == 0xF) return undone;
  if (undone != 0) {
    // The first regular lane stands in for the others (its offsets and its sum).
    const j = ctz(~undone & 0xF);
    const o = j == 0 ? a : j == 1 ? b : j == 2 ? c : d;
    const s = laneF64(sum01, sum23, j);
    if (undone & 1) { a = o; sum01 = f64x2.replace_lane(sum01, 0, s); }
    if (undone & 2) { b = o; sum01 = f64x2.replace_lane(sum01, 1, s); }
    if (undone & 4) { c = o; sum23 = f64x2.replace_lane(sum23, 0, s); }
    if (undone & 8) { d = o; sum23 = f64x2.replace_lane(sum23, 1, s); }
  }
  // S as a float32 pair per lane: hi = S rounded, lo = S - hi rounded (as the row loop).
  const hv = demoteBoth(sum01, sum23);
  const lv = demoteBoth(f64x2.sub(sum01, f64x2.promote_low_f32x4(hv)), f64x2.sub(sum23, promoteHigh(hv)));
  // Pass 2 in chunks of 16 columns: first every column by the float32 fast path (no branch), a
  // lane where it does not hold keeping, when dx is dy or y, the input it overwrites; then its
  // failed elements to the queue of the fallback (logFixFour, four at a time, from any group;
  // the last ones at the end of the call). A branch on each column's outcome, which comes late
  // and at random columns, serialized the columns' exp chains: with rows of ten, where 11% of
  // the elements fail (e^y S is not small against dy there) and 38% of the columns hold one,
  // that took 10.2 ns per element against 3.8 with none failing.
  const keepY = i32x4.splat(dx == y ? -1 : 0);
  // Only the regular lanes queue their failed elements: a lane standing in for an undone one
  // repeats a regular lane's row, and its element queued twice could fall in two logFixFour
  // calls, the second reading (in place) the dy or y that the first had overwritten.
  const queued = ~undone & 0xF;
  const s0 = f64x2.extract_lane(sum01, 0);
  const s1 = f64x2.extract_lane(sum01, 1);
  const s2 = f64x2.extract_lane(sum23, 0);
  const s3 = f64x2.extract_lane(sum23, 1);
  for (let start: usize = 0; start < rowBytes; start += 64) {
    const end = min(rowBytes, start + 64);
    let failed: u64 = 0; // four bits per column: bit 4k + i for lane i of column k
    for (let off = start; off < end; off += F32) {
      const g = gather(dy + a, dy + b, dy + c, dy + d, off);
      const yv = gather(y + a, y + b, y + c, y + d, off);
      const e = expNegV(yv);
      const dv = logFastD(g, e, hv, lv);
      const ok = logFastOk(dv, yv, e, hv);
      scatter(dx + a, dx + b, dx + c, dx + d, off, v128.bitselect(dv, v128.bitselect(yv, g, keepY), ok));
      failed |= <u64>(~i32x4.bitmask(ok) & queued) << <u64>(off - start);
    }
    if (failed != 0) queueFailed(dy, y, dx, a, b, c, d, start, failed, s0, s1, s2, s3);
  }
  return undone;
}

// Softmax's and softmin's backward pass for rows of 2 to 7 entries, four at a time in the same way: softmaxFastRow of ./softmax_backward.ts with each lane doing its
// own row's operations. Below 8 entries the row loop's eight-float vector step never runs, so
// its sums are the scalar tail's, one column after the other: the order of the columns here,
// hence the same S, B, check and bits.
//   Pass 1 per lane: S = sum dy y in float64 (exact products), B = sum |dy y| in float32.
//   Check per lane, as the row loop's: B finite and at most 2^100, and every |dy_i - sHi| >= T;
//     the lanes that fail are left undone, nothing written (the row loop then takes its
//     compensated path for them, as it would have).
//   Pass 2: dx = y ((dy - sHi) - sLo) in float32, negated for softmin.
// In-place safe (dx may be dy or y): every entry is read by pass 1 and the check before pass 2
// writes, and pass 2 reads each column before it writes it.
// Measured at 64Ki elements, zero-copy (V8/x64, raw exports, interleaved rounds), ns/element,
// row loop -> lanes, dy uniform in [-1, 1], y the softmax of logits uniform in [-6, 6]: 2 per
// row 2.84 -> 1.70, 3: 2.30 -> 1.45, 4: 1.82 -> 1.39, 5: 1.65 -> 1.31, 7: 1.57 -> 1.34; at 8
// even (1.19 against 1.22), and from 8 on the row loop's vector steps run and its sums take
// another order. Rows of 1 stay in the row loop: y = 1 there, dy - S cancels to 0 in every
// row, so the check always fails (8.4 against 6.9 through the lanes). Softmin the same.
// Checked: the same bits as the row loop and the scalar build over 1.08M outputs of each
// (rows of 1 to 30, 1 to 13 rows, NaN, ±Infinity, subnormal and huge dy, constant dy, dx
// separate, dx = dy and dx = y).

/** Whether softmax and softmin backward rows of `cols` take the lanes: 2 to 7 entries (measured above). */
// @ts-ignore: decorator
@inline export function softmaxBackwardTakesLanes(cols: usize): bool {
  return cols >= 2 && cols < 8;
}

/**
 * Softmax's backward pass (softmin's with `negate`) of the four rows at byte offsets a, b, c, d
 * from dy, y and dx, each of n = rowBytes / 4 floats, n < 8. Returns the 4-bit mask of the
 * lanes left undone (their check failed), nothing of theirs written.
 */
// @ts-ignore: decorator
@inline export function softmaxBackwardLaneGroup(
  dy: usize, y: usize, dx: usize, a: usize, b: usize, c: usize, d: usize, rowBytes: usize, negate: bool,
): i32 {
  let sum01 = f64x2.splat(0);
  let sum23 = f64x2.splat(0);
  let bv = f32x4.splat(0);
  for (let off: usize = 0; off < rowBytes; off += F32) {
    const g = gather(dy + a, dy + b, dy + c, dy + d, off);
    const yv = gather(y + a, y + b, y + c, y + d, off);
    sum01 = f64x2.add(sum01, f64x2.mul(f64x2.promote_low_f32x4(g), f64x2.promote_low_f32x4(yv)));
    sum23 = f64x2.add(sum23, f64x2.mul(promoteHigh(g), promoteHigh(yv)));
    bv = f32x4.add(bv, f32x4.abs(f32x4.mul(g, yv)));
  }
  // S as a float32 pair per lane and the check's threshold T, as the row loop forms them.
  let hv = demoteBoth(sum01, sum23);
  let lv = demoteBoth(f64x2.sub(sum01, f64x2.promote_low_f32x4(hv)), f64x2.sub(sum23, promoteHigh(hv)));
  // T per lane in the row loop's operations (softmaxFastThreshold), B finite and at most 2^100.
  const n = rowBytes / F32;
  const per = f64x2.splat(<f64>n * FAST_T_PER_N + FAST_T_BASE);
  const margin = f64x2.splat(FAST_T_MARGIN);
  const floor = f64x2.splat(FAST_T_FLOOR);
  const t01 = f64x2.add(f64x2.mul(f64x2.mul(per, f64x2.promote_low_f32x4(bv)), margin), floor);
  const t23 = f64x2.add(f64x2.mul(f64x2.mul(per, promoteHigh(bv)), margin), floor);
  const tv = f32x4.add(demoteBoth(t01, t23), f32x4.abs(lv));
  let bad = v128.not(f32x4.le(bv, f32x4.splat(FAST_MAX_B)));
  for (let off: usize = 0; off < rowBytes; off += F32) {
    const g = gather(dy + a, dy + b, dy + c, dy + d, off);
    bad = v128.or(bad, f32x4.lt(f32x4.abs(f32x4.sub(g, hv)), tv));
  }
  const undone = i32x4.bitmask(bad);
  if (undone == 0xF) return undone;
  if (undone != 0) {
    // The first regular lane stands in for the others (its offsets and its S).
    const j = ctz(~undone & 0xF);
    const o = j == 0 ? a : j == 1 ? b : j == 2 ? c : d;
    const h = laneF32(hv, j);
    const l = laneF32(lv, j);
    if (undone & 1) { a = o; hv = f32x4.replace_lane(hv, 0, h); lv = f32x4.replace_lane(lv, 0, l); }
    if (undone & 2) { b = o; hv = f32x4.replace_lane(hv, 1, h); lv = f32x4.replace_lane(lv, 1, l); }
    if (undone & 4) { c = o; hv = f32x4.replace_lane(hv, 2, h); lv = f32x4.replace_lane(lv, 2, l); }
    if (undone & 8) { d = o; hv = f32x4.replace_lane(hv, 3, h); lv = f32x4.replace_lane(lv, 3, l); }
  }
  for (let off: usize = 0; off < rowBytes; off += F32) {
    const g = gather(dy + a, dy + b, dy + c, dy + d, off);
    const yv = gather(y + a, y + b, y + c, y + d, off);
    const dv = f32x4.mul(yv, f32x4.sub(f32x4.sub(g, hv), lv));
    scatter(dx + a, dx + b, dx + c, dx + d, off, negate ? f32x4.neg(dv) : dv);
  }
  return undone;
}
