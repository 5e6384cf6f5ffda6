// Softmax and softmin of short rows (cols < LANE_COLS), four rows at a time with one row per
// lane, in the simd build. A row of ten logits (a classifier's output) through the row loop of
// ./softmax.ts costs a row's fixed work (pass 1's horizontal reduction, k = round(m / ln2), the
// float64 sum's reduction, two float64 divisions, the largest term's exp) for a few elements in
// scalar tails: 3.2 ns/element at ten per row, 14.5 at two, against 0.64 at 1024. Across lanes,
// that fixed work is shared by four rows and every element runs in a v128: the four rows' entries
// at one column are gathered with v128.load32_lane and the results scattered with
// v128.store32_lane (no transpose, any cols, rows need not be aligned).
// Measured at 64Ki elements, zero-copy (V8/x64, raw exports, interleaved rounds), ns/element,
// row loop -> lanes: 2 per row 15.4 -> 3.3, 4: 9.1 -> 2.35, 10: 3.8 -> 1.9, 12: 2.6 -> 1.85,
// 15: 2.35 -> 1.85. From 16 on the two are even or the row loop is faster (16-19: 1.77-1.94
// either way; 20: 1.48-1.55 against 1.78; 23: 1.70 against 1.75), and on 2.5K elements (in L1)
// the row loop is 3-12% faster from 16 to 19: hence LANE_COLS = 16. (A first measurement had
// put the crossover at 24, against a row loop that still paid the group bookkeeping per row.)
// On an Intel Xeon (AVX-512, V8/x64, raw exports, 64Ki, rows of ten) the lanes still win, 5.2-6.0
// against 7.1-10.9 ns/element for the row loop, but their data movement is half of that: a loop
// of gathers alone took 0.49 ns/element there, gathers and scatters 1.04 (pinsrd and pextrd
// both take the one shuffle port, and each scatter is four stores), and the lanes gathered
// three times and scattered twice per column until passes 1 and 3 took whole vectors (below).
// Only whole groups of four rows take the lanes: a group costs about what four rows do, so the
// last one to three rows go through the row loop (one row of ten: 32 ns instead of 94; three
// rows of two: 54 instead of 39, the one case measured where a part group was faster).
//
// Each lane computes its row exactly as shiftedRow (./softmax_shifted.ts) does, with the same
// per-lane k, bound and magic bias (vectors instead of splats: expShiftedV takes them per lane),
// the same terms e^(x - k ln2), the same largest term E, inv = 1 / sum and ymax = E / sum in
// float64 rounded once, and the same last pass: y = e * inv, or ymax for the terms equal to E
// (applied in every row here: where E * inv already rounds to ymax the select gives the same
// value). Only the float64 sum runs in another order (column by column here; shiftedRow adds
// eight v128 in float32 first): the accuracy argument and bound of softmax_shifted.ts hold as
// they are. A row's result depends on that row alone, never on the rows sharing its group, so a
// row gives the same bits whatever the number of rows, the chunking of the copying path or the
// split between threads.
// Rows whose maximum m is not in [-200, 200] (NaN rows, +Infinity, all -Infinity, large logits)
// leave the group before anything is written (their lane takes a copy of a regular one) and
// the caller runs them through the row loop, whose x - max path handles them.
// In-place safe: each column's four entries are read before any of them is written, and a row
// is written only by its own lane (or by its copies, with the same values).
// Log-softmax (laneGroupLog, at the end) takes the lanes the same way with the row loop's
// operations: x - m exact, the float64 sum, log1p(sum - 1) per lane (./log64.ts, two lanes per
// call; with Math.log1p per lane, four scalar calls per group were 60% of the time at two per
// row), (x - m) - log(sum) in float64. Measured as above: 2 per row 15.9 -> 5.7 ns/element,
// 4: 8.9 -> 3.6, 10: 5.0 -> 2.4, 15: 3.5 -> 2.1, 16: 2.5 -> 2.1, 20: 2.3 -> 2.0, 23: 2.5 -> 1.9,
// 24: 2.06 -> 1.91, 28: 1.97 -> 1.86, 31: 2.23 -> 1.81; even at 32 and 36 (1.8 either way),
// hence LOG_LANE_COLS = 32.
// Checked: the same bits as the row loop for softmax, softmin and log-softmax over 1.5M outputs
// (rows of 1 to 40, 1 to 13 rows, logits up to ±300, NaN, ±Infinity, ties, in place).
import { expShiftedV, SHIFT_MAX } from "./softmax_shifted";
import { expDiffV, logDiffV } from "./softmax";
import { MAGIC_BIAS } from "./math";
import { log1p64V } from "./log64";

// @ts-ignore: decorator
@inline const F32: usize = 4;

/** Rows shorter than this take the lanes (the crossover measured above). */
// @ts-ignore: decorator
@inline export const LANE_COLS: usize = 16;

// @ts-ignore: decorator
@inline const LOG2E64: f64 = 1.4426950408889634;
// @ts-ignore: decorator
@inline const LN2_64: f64 = 0.6931471805599453;

/** The floats at byte offset `off` of the four rows a, b, c, d (addresses), one per lane. */
// @ts-ignore: decorator
@inline export function gather(a: usize, b: usize, c: usize, d: usize, off: usize): v128 {
  let v = v128.load32_zero(a + off);
  v = v128.load32_lane(b + off, v, 1);
  v = v128.load32_lane(c + off, v, 2);
  return v128.load32_lane(d + off, v, 3);
}

/** Lane i of v to byte offset `off` of row i (rows a, b, c, d). */
// @ts-ignore: decorator
@inline export function scatter(a: usize, b: usize, c: usize, d: usize, off: usize, v: v128): void {
  v128.store32_lane(a + off, v, 0);
  v128.store32_lane(b + off, v, 1);
  v128.store32_lane(c + off, v, 2);
  v128.store32_lane(d + off, v, 3);
}

/** Lane j of an f32x4 (j a runtime index in 0..3). */
// @ts-ignore: decorator
@inline export function laneF32(v: v128, j: i32): f32 {
  return j < 2 ? (j == 0 ? f32x4.extract_lane(v, 0) : f32x4.extract_lane(v, 1))
    : (j == 2 ? f32x4.extract_lane(v, 2) : f32x4.extract_lane(v, 3));
}

/** Lane j (0..3) of the four float64 lanes held as two f64x2 (lanes 0-1 and 2-3). */
// @ts-ignore: decorator
@inline export function laneF64(v01: v128, v23: v128, j: i32): f64 {
  return j < 2 ? (j == 0 ? f64x2.extract_lane(v01, 0) : f64x2.extract_lane(v01, 1))
    : (j == 2 ? f64x2.extract_lane(v23, 0) : f64x2.extract_lane(v23, 1));
}

/** v with lane j (0..3) replaced by x. */
// @ts-ignore: decorator
@inline export function withLaneF32(v: v128, j: i32, x: f32): v128 {
  return j < 2 ? (j == 0 ? f32x4.replace_lane(v, 0, x) : f32x4.replace_lane(v, 1, x))
    : (j == 2 ? f32x4.replace_lane(v, 2, x) : f32x4.replace_lane(v, 3, x));
}

/** Math.round per f64x2 lane (halves toward +Infinity), as AssemblyScript's Math.round. */
// @ts-ignore: decorator
@inline function roundHalfUpV(v: v128): v128 {
  const up = f64x2.ceil(v);
  return v128.bitselect(f64x2.sub(up, f64x2.splat(1)), up, f64x2.gt(f64x2.sub(up, f64x2.splat(0.5)), v));
}

/** Two f64x2 (lanes 0-1 and 2-3) rounded to one f32x4. */
// @ts-ignore: decorator
@inline export function demoteBoth(lo: v128, hi: v128): v128 {
  return v128.shuffle<f32>(f32x4.demote_f64x2_zero(lo), f32x4.demote_f64x2_zero(hi), 0, 1, 4, 5);
}

/** The high two float32 lanes of v promoted to float64. */
// @ts-ignore: decorator
@inline export function promoteHigh(v: v128): v128 {
  return f64x2.promote_low_f32x4(v128.shuffle<f32>(v, v, 2, 3, 2, 3));
}

// Passes 1 and 3 of rows of four floats or more (rowBytes >= 16) move by whole vectors: the
// four rows' floats at one byte offset are loaded as four v128 and transposed into four columns
// (eight shuffles), and pass 3's results transposed back and stored as four v128, where a gather
// took three shuffle-port operations per column and a scatter three more and four stores. A
// row's last quad starts at rowBytes - 16, so it repeats `dup` (0 to 3) columns of the one
// before: pass 1's maximum takes them again, which changes nothing (pmax of a value already
// taken, or of a NaN it skipped), and pass 3 keeps what it stored there (a blend with the rows
// as loaded: those lanes already hold y). Each column goes through the same operations in the
// same order as before: the same bits. Pass 2 keeps its gathers and scatters: with four columns
// per step its exp was inlined four times per copy of the loop (4.5 KB more of gzipped
// bundle), and an exp called per column was slower than the gathers it saved. Measured at 64Ki,
// raw exports, Intel Xeon, interleaved rounds, three runs: softmax rows of 4 -9%, 6 -3 to -5%,
// 10 -4 to -12%, 15 -12 to -14%; 231 bytes of gzipped bundle (pass 1 and pass 3 each in one
// function, not inlined per caller: inlined, 3.6 KB).

/** Lanes 0-1 of a and b interleaved: a0 b0 a1 b1. */
// @ts-ignore: decorator
@inline function zipLow(a: v128, b: v128): v128 { return v128.shuffle<f32>(a, b, 0, 4, 1, 5); }
/** Lanes 2-3 of a and b interleaved: a2 b2 a3 b3. */
// @ts-ignore: decorator
@inline function zipHigh(a: v128, b: v128): v128 { return v128.shuffle<f32>(a, b, 2, 6, 3, 7); }
/** The low halves of a and b: a0 a1 b0 b1. */
// @ts-ignore: decorator
@inline function lowHalves(a: v128, b: v128): v128 { return v128.shuffle<f32>(a, b, 0, 1, 4, 5); }
/** The high halves of a and b: a2 a3 b2 b3. */
// @ts-ignore: decorator
@inline function highHalves(a: v128, b: v128): v128 { return v128.shuffle<f32>(a, b, 2, 3, 6, 7); }

/** Where a row's quad starting at `off` loads: off, or for the last quad rowBytes - 16. */
// @ts-ignore: decorator
@inline function quadAt(off: usize, rowBytes: usize): usize { return off + 16 >= rowBytes ? rowBytes - 16 : off; }

/**
 * Column k (a constant, 0 to 3) of the four rows' floats at byte offset `at`: output k of the
 * 4x4 transpose. The four calls of a quad load each row once and zip each pair once: the
 * optimiser shares the repeated loads and shuffles.
 */
// @ts-ignore: decorator
@inline function quadColumn(a: usize, b: usize, c: usize, d: usize, at: usize, k: i32): v128 {
  const ab = k < 2 ? zipLow(v128.load(a + at), v128.load(b + at)) : zipHigh(v128.load(a + at), v128.load(b + at));
  const cd = k < 2 ? zipLow(v128.load(c + at), v128.load(d + at)) : zipHigh(v128.load(c + at), v128.load(d + at));
  return (k & 1) == 0 ? lowHalves(ab, cd) : highHalves(ab, cd);
}

/** All ones in the lanes at or after `dup` (the lanes a quad's store may change). */
// @ts-ignore: decorator
@inline function freshLanes(dup: usize): v128 {
  return i32x4.gt_s(i32x4(1, 2, 3, 4), i32x4.splat(<i32>dup));
}

/** pmax(ext, x), or pmin with `negate`: pass 1's step. */
// @ts-ignore: decorator
@inline function extremum(ext: v128, x: v128, negate: bool): v128 {
  return negate ? f32x4.pmin(ext, x) : f32x4.pmax(ext, x);
}

/**
 * Pass 1 of a group by whole vectors: the rows' maxima (minima with `negate`) per lane. Not
 * inlined (one copy for softmax and softmin).
 */
function extremaByQuads(a: usize, b: usize, c: usize, d: usize, rowBytes: usize, negate: bool): v128 {
  let ext = f32x4.splat(negate ? Infinity : -Infinity);
  for (let off: usize = 0; off < rowBytes; off += 16) {
    const at = quadAt(off, rowBytes);
    // Column by column, as the gathers went: a NaN entry is skipped (pmax keeps ext).
    ext = extremum(ext, quadColumn(a, b, c, d, at, 0), negate);
    ext = extremum(ext, quadColumn(a, b, c, d, at, 1), negate);
    ext = extremum(ext, quadColumn(a, b, c, d, at, 2), negate);
    ext = extremum(ext, quadColumn(a, b, c, d, at, 3), negate);
  }
  return ext;
}

/**
 * Stores four columns as rows a..d at byte offset `at` (the transpose back); with dup > 0 only
 * the fresh lanes of each row change.
 */
// @ts-ignore: decorator
@inline function storeQuad(a: usize, b: usize, c: usize, d: usize, at: usize, dup: usize, k0: v128, k1: v128, k2: v128, k3: v128): void {
  const r01 = zipLow(k0, k1);
  const r23 = zipLow(k2, k3);
  const s01 = zipHigh(k0, k1);
  const s23 = zipHigh(k2, k3);
  let ra = lowHalves(r01, r23);
  let rb = highHalves(r01, r23);
  let rc = lowHalves(s01, s23);
  let rd = highHalves(s01, s23);
  if (dup != 0) {
    const fresh = freshLanes(dup);
    ra = v128.bitselect(ra, v128.load(a + at), fresh);
    rb = v128.bitselect(rb, v128.load(b + at), fresh);
    rc = v128.bitselect(rc, v128.load(c + at), fresh);
    rd = v128.bitselect(rd, v128.load(d + at), fresh);
  }
  v128.store(a + at, ra);
  v128.store(b + at, rb);
  v128.store(c + at, rc);
  v128.store(d + at, rd);
}

// The group whose pass 3 is pending: its rows (byte offsets) and per-lane inv, E and ymax.
let pending = false;
let pendingA: usize = 0;
let pendingB: usize = 0;
let pendingC: usize = 0;
let pendingD: usize = 0;
// The three vectors as i64 halves: a v128 global would not compile in the scalar build.
let pendingInvLo: i64 = 0;
let pendingInvHi: i64 = 0;
let pendingTopLo: i64 = 0;
let pendingTopHi: i64 = 0;
let pendingYmaxLo: i64 = 0;
let pendingYmaxHi: i64 = 0;

/** A v128 from its two i64 halves. */
// @ts-ignore: decorator
@inline function fromHalves(lo: i64, hi: i64): v128 {
  return i64x2.replace_lane(i64x2.splat(lo), 1, hi);
}

/**
 * Pass 3 of the pending group, if any: y = e * inv, or E / sum correctly rounded (ymax) for the
 * terms equal to E. The caller runs it once after its last laneGroup. Not inlined (one copy for
 * its two callers and softmax and softmin).
 */
export function lanesFlush(dst: usize, rowBytes: usize): void {
  if (!pending) return;
  pending = false;
  const a = dst + pendingA;
  const b = dst + pendingB;
  const c = dst + pendingC;
  const d = dst + pendingD;
  const inv = fromHalves(pendingInvLo, pendingInvHi);
  const top = fromHalves(pendingTopLo, pendingTopHi);
  const ymax = fromHalves(pendingYmaxLo, pendingYmaxHi);
  if (rowBytes >= 16) {
    for (let off: usize = 0; off < rowBytes; off += 16) {
      const at = quadAt(off, rowBytes);
      const e0 = quadColumn(a, b, c, d, at, 0);
      const e1 = quadColumn(a, b, c, d, at, 1);
      const e2 = quadColumn(a, b, c, d, at, 2);
      const e3 = quadColumn(a, b, c, d, at, 3);
      storeQuad(a, b, c, d, at, (off - at) >> 2,
        v128.bitselect(ymax, f32x4.mul(e0, inv), f32x4.eq(e0, top)),
        v128.bitselect(ymax, f32x4.mul(e1, inv), f32x4.eq(e1, top)),
        v128.bitselect(ymax, f32x4.mul(e2, inv), f32x4.eq(e2, top)),
        v128.bitselect(ymax, f32x4.mul(e3, inv), f32x4.eq(e3, top)));
    }
    return;
  }
  for (let off: usize = 0; off < rowBytes; off += F32) {
    const e = gather(a, b, c, d, off);
    scatter(a, b, c, d, off, v128.bitselect(ymax, f32x4.mul(e, inv), f32x4.eq(e, top)));
  }
}

/**
 * Softmax (softmin with `negate`) of the four rows at byte offsets a, b, c, d from src and from
 * dst (repeats allowed), each of `rowBytes` bytes (>= 4). Returns a 4-bit mask (bit i: lane i)
 * of the lanes left undone, whose maximum is not in [-SHIFT_MAX, SHIFT_MAX] (or is NaN): the
 * caller runs their rows through the row loop. Nothing of those rows is written here. Passes 1
 * and 2 run now, pass 3 at the next call or at lanesFlush (see there).
 */
// @ts-ignore: decorator
@inline export function laneGroup(src: usize, dst: usize, a: usize, b: usize, c: usize, d: usize, rowBytes: usize, negate: bool): i32 {
  // Pass 1: each row's maximum of x (for softmin the minimum: the maximum of -x is its
  // negation), with the row loop's pmax/pmin semantics (a NaN entry is skipped).
  let ext = f32x4.splat(negate ? Infinity : -Infinity);
  if (rowBytes >= 16) {
    ext = extremaByQuads(src + a, src + b, src + c, src + d, rowBytes, negate);
  } else {
    for (let off: usize = 0; off < rowBytes; off += F32) ext = extremum(ext, gather(src + a, src + b, src + c, src + d, off), negate);
  }
  let m = negate ? f32x4.neg(ext) : ext;
  const regular = f32x4.le(f32x4.abs(m), f32x4.splat(SHIFT_MAX)); // false for NaN
  const undone = ~i32x4.bitmask(regular) & 0xF;
  if (undone == 0xF) return undone;
  if (undone != 0) {
    // The first regular lane stands in for the others (rare: kept out of the common path).
    const g = ctz(~undone & 0xF);
    const og = g == 0 ? a : g == 1 ? b : g == 2 ? c : d;
    const mg = laneF32(m, g);
    if (undone & 1) a = og;
    if (undone & 2) b = og;
    if (undone & 4) c = og;
    if (undone & 8) d = og;
    m = v128.bitselect(m, f32x4.splat(mg), regular);
  }
  // k = round(m / ln2), the magic bias less k and the clamp (k - 127) ln2, per lane, in the
  // float64 operations of shiftedRow.
  const kLo = roundHalfUpV(f64x2.mul(f64x2.promote_low_f32x4(m), f64x2.splat(LOG2E64)));
  const kHi = roundHalfUpV(f64x2.mul(promoteHigh(m), f64x2.splat(LOG2E64)));
  const magic = f64x2.splat(<f64>MAGIC_BIAS);
  const magicK = demoteBoth(f64x2.sub(magic, kLo), f64x2.sub(magic, kHi));
  const bias = f64x2.splat(127);
  const ln2 = f64x2.splat(LN2_64);
  const low = demoteBoth(f64x2.mul(f64x2.sub(kLo, bias), ln2), f64x2.mul(f64x2.sub(kHi, bias), ln2));
  const bound = negate ? f32x4.neg(low) : low;
  // Pass 2: the terms into dst, summed per lane in float64.
  let sumLo = f64x2.splat(0);
  let sumHi = f64x2.splat(0);
  for (let off: usize = 0; off < rowBytes; off += F32) {
    const e = expShiftedV(gather(src + a, src + b, src + c, src + d, off), bound, magicK, negate);
    scatter(dst + a, dst + b, dst + c, dst + d, off, e);
    sumLo = f64x2.add(sumLo, f64x2.promote_low_f32x4(e));
    sumHi = f64x2.add(sumHi, promoteHigh(e));
  }
  const one = f64x2.splat(1);
  const inv = demoteBoth(f64x2.div(one, sumLo), f64x2.div(one, sumHi));
  const top = expShiftedV(negate ? f32x4.neg(m) : m, bound, magicK, negate); // E, each row's largest term
  const ymax = demoteBoth(f64x2.div(f64x2.promote_low_f32x4(top), sumLo), f64x2.div(promoteHigh(top), sumHi));
  // Pass 3 of the previous group, then this group's waits for the next call (or lanesFlush):
  // its loads would otherwise read the column entries just stored by this group's pass 2, which
  // the store-to-load forwarding of four-byte lane stores does not serve (2.3 against 1.5
  // ns/element at ten per row: pass 3 stalled on every load).
  lanesFlush(dst, rowBytes);
  pendingA = a;
  pendingB = b;
  pendingC = c;
  pendingD = d;
  pendingInvLo = i64x2.extract_lane(inv, 0);
  pendingInvHi = i64x2.extract_lane(inv, 1);
  pendingTopLo = i64x2.extract_lane(top, 0);
  pendingTopHi = i64x2.extract_lane(top, 1);
  pendingYmaxLo = i64x2.extract_lane(ymax, 0);
  pendingYmaxHi = i64x2.extract_lane(ymax, 1);
  pending = true;
  return undone;
}

/** Log-softmax's rows shorter than this take the lanes (see laneGroupLog). */
// @ts-ignore: decorator
@inline export const LOG_LANE_COLS: usize = 32;


/**
 * log1p64V, not inlined: inlined into laneGroupLog it made the passes around it slower
 * (log-softmax at 23 per row 3.05 against 2.22 ns/element with Math.log1p per lane; 1.98 as a
 * call). Once per two rows.
 */
function log1pLanes(v: v128): v128 {
  return log1p64V(v);
}

/**
 * Log-softmax of the four rows at byte offsets a, b, c, d from src and dst (repeats allowed),
 * each of n = rowBytes / 4 >= 1 floats, as the row loop's log-softmax: pass 1 the maximum m,
 * pass 2 the float64 sum of e^(x - m) with x - m taken exactly (TwoSum: the bits of either of
 * the row loop's two ways), log(sum) = log1p(sum - 1) per lane, pass 3 (x - m) - log(sum) in
 * float64, rounded once. Returns the 4-bit mask of the lanes left undone, before anything of
 * theirs is written: a maximum that is not finite (NaN, +-Infinity rows), and the rows where
 * sum - 1 < n 2^-23 (one dominant logit, or NaN), whose log(sum) the row loop takes from its
 * masked pass.
 */
// @ts-ignore: decorator
@inline export function laneGroupLog(src: usize, dst: usize, a: usize, b: usize, c: usize, d: usize, rowBytes: usize): i32 {
  let m = f32x4.splat(-Infinity);
  for (let off: usize = 0; off < rowBytes; off += F32) {
    m = f32x4.pmax(m, gather(src + a, src + b, src + c, src + d, off));
  }
  const finite = f32x4.lt(f32x4.abs(m), f32x4.splat(Infinity)); // false for NaN
  // Pass 2 on every lane (a non-finite m gives NaN terms, set aside below): only sums, no store.
  const negM = f32x4.neg(m);
  let sumLo = f64x2.splat(0);
  let sumHi = f64x2.splat(0);
  for (let off: usize = 0; off < rowBytes; off += F32) {
    const e = expDiffV(gather(src + a, src + b, src + c, src + d, off), negM, false, false);
    sumLo = f64x2.add(sumLo, f64x2.promote_low_f32x4(e));
    sumHi = f64x2.add(sumHi, promoteHigh(e));
  }
  const one = f64x2.splat(1);
  const restLo = f64x2.sub(sumLo, one);
  const restHi = f64x2.sub(sumHi, one);
  const least = f64x2.splat(<f64>(rowBytes / F32) * 1.1920928955078125e-7); // n 2^-23
  const enough = v128.shuffle<i32>(f64x2.ge(restLo, least), f64x2.ge(restHi, least), 0, 2, 4, 6); // false for NaN
  const regular = v128.and(finite, enough);
  const undone = ~i32x4.bitmask(regular) & 0xF;
  if (undone == 0xF) return undone;
  let m01 = f64x2.promote_low_f32x4(m);
  let m23 = promoteHigh(m);
  let r01 = restLo;
  let r23 = restHi;
  if (undone != 0) {
    // The first regular lane stands in for the others, as in laneGroup.
    const g = ctz(~undone & 0xF);
    const og = g == 0 ? a : g == 1 ? b : g == 2 ? c : d;
    const mg = laneF64(m01, m23, g);
    const rg = laneF64(r01, r23, g);
    if (undone & 1) { a = og; m01 = f64x2.replace_lane(m01, 0, mg); r01 = f64x2.replace_lane(r01, 0, rg); }
    if (undone & 2) { b = og; m01 = f64x2.replace_lane(m01, 1, mg); r01 = f64x2.replace_lane(r01, 1, rg); }
    if (undone & 4) { c = og; m23 = f64x2.replace_lane(m23, 0, mg); r23 = f64x2.replace_lane(r23, 0, rg); }
    if (undone & 8) { d = og; m23 = f64x2.replace_lane(m23, 1, mg); r23 = f64x2.replace_lane(r23, 1, rg); }
  }
  const l01 = log1pLanes(r01);
  const l23 = log1pLanes(r23);
  // Pass 3: (x - m) - log(sum) per lane in float64, rounded once; x read again (nothing was
  // stored), so in place each column is read before it is written.
  for (let off: usize = 0; off < rowBytes; off += F32) {
    const x = gather(src + a, src + b, src + c, src + d, off);
    scatter(dst + a, dst + b, dst + c, dst + d, off, logDiffV(x, m01, l01, m23, l23));
  }
  return undone;
}
