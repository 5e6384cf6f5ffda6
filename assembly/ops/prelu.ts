// PReLU (PyTorch's prelu): y = x > 0 ? x : w·x, with one learned weight w for the whole input or
// one per channel. As PyTorch's CPU kernel (`input > 0 ? input : weight * input`), a NaN x fails
// the test and gives w·NaN = NaN, and -0 gives w·-0 (-0 for w > 0). The only rounding is the one
// float32 multiply: exactly rounded (0.5 ULP of w·x for the float32 w, which is what the caller
// passed, since weights are float32 already). Measured: 0 ULP over all 2^32 inputs at w = 0.25
// (forward and dx, where the product is exact), and bit-exact against the correctly rounded
// float64 value for weights of every kind in test/prelu.test.ts (simd and scalar builds alike).
//
// Three layouts (the engine picks one; all take byte addresses and element counts):
//  - one weight: prelu(src, dst, n, w), the mapUnary skeleton with p = w;
//  - one weight per channel with inner == 1 ([N, C], a Linear layer's output): the weight of
//    element i is w[i mod C]. The engine tiles the C weights to a period that is a multiple of
//    4 (and of C), so four consecutive elements always take four consecutive weights: one
//    weights vector per four lanes, loaded like a second input (preluPeriodic);
//  - one weight per channel with inner > 1 ([N, C, H, W]): blocks of `inner` elements share a
//    weight; each block runs the one-weight loop with its weight splatted (preluBlocks).
// Every kernel takes where its first element sits in the pattern (a phase or a start index),
// so the engine may run an input in chunks that split periods or blocks.
//
// Backward (PyTorch's prelu backward): dx = x > 0 ? dy : w·dy, and the weight's gradient
// dw_c = Σ over the channel's elements of (x > 0 ? 0 : x·dy). Each x·dy is formed in float64,
// where the product of two float32 is exact (24 + 24 bits < 53; no overflow or underflow), and
// summed in float64; the caller rounds the final sum to float32 once. A float64 sum of n terms
// errs by at most n·2^-53·Σ|terms| (n·u, u = 2^-53, to first order), so the result is within ½ ULP
// of float32 plus that: within 1 ULP of the exact sum when the terms share a sign (n < 2^28).
import { mapUnary, STREAM } from "../unary";

// @ts-ignore: decorator
@inline const F32: usize = 4;
// @ts-ignore: decorator
@inline const F64: usize = 8;

/** For 0 < w <= 1 (every usual slope): max(x, w·x) gives the same values in one op (see leaky_relu.ts). */
@final class PreluMax {
  // @ts-ignore: decorator
  @inline vec(x: v128, w: v128, _q: v128): v128 { return f32x4.pmax(x, f32x4.mul(x, w)); }
  // @ts-ignore: decorator
  @inline scalar(x: f32, w: f32, _q: f32): f32 { return x > 0 ? x : x * w; }
}

@final class PreluSelect {
  // @ts-ignore: decorator
  @inline vec(x: v128, w: v128, _q: v128): v128 {
    return v128.bitselect(x, f32x4.mul(x, w), f32x4.gt(x, f32x4.splat(0)));
  }
  // @ts-ignore: decorator
  @inline scalar(x: f32, w: f32, _q: f32): f32 { return x > 0 ? x : x * w; }
}

/** dst[i] = src[i] > 0 ? src[i] : w · src[i] for i < n, one weight. */
// @ts-ignore: decorator
@inline function forwardOne(src: usize, dst: usize, n: usize, w: f32): void {
  if (w > 0 && w <= 1) mapUnary<PreluMax>(src, dst, n, w, 0, STREAM);
  else mapUnary<PreluSelect>(src, dst, n, w, 0, STREAM);
}

/** dst[i] = src[i] > 0 ? src[i] : w · src[i] for i < n (one weight for all; dst may be src). */
export function prelu(src: usize, dst: usize, n: usize, w: f32): void {
  forwardOne(src, dst, n, w);
}

/**
 * Per-channel weights over blocks of `inner` elements: element i of this call is element
 * start + i of the whole input, whose weight is weights[floor((start + i) / inner) mod channels].
 */
export function preluBlocks(
  src: usize, dst: usize, n: usize, inner: usize, weights: usize, channels: usize, start: usize,
): void {
  const block = start / inner;
  let offset = start - block * inner;
  let c = block % channels;
  let i: usize = 0;
  while (i < n) {
    const len = min(inner - offset, n - i);
    forwardOne(src + i * F32, dst + i * F32, len, load<f32>(weights + c * F32));
    i += len;
    offset = 0;
    if (++c == channels) c = 0;
  }
}

/**
 * Periodic weights: dst[i] = f(src[i], weights[(phase + i) mod period]) for i < n, where
 * `weights` holds `period` floats (the C weights, tiled to a multiple of 4 for few channels, see
 * the engine's channelPlan). Runs a period segment at a time, each as a two-input loop over x and
 * the weights with its own scalar tail, so no vector straddles the wrap for any period and phase.
 */
export function preluPeriodic(src: usize, dst: usize, n: usize, weights: usize, period: usize, phase: usize): void {
  // Usual weights (all in (0, 1]) take max(x, w·x): one op for the compare and select (see PreluMax).
  let usual = true;
  for (let k: usize = 0; k < period; k++) {
    const w = load<f32>(weights + k * F32);
    usual = usual && w > 0 && w <= 1;
  }
  if (usual) periodicLoop<PreluMax>(src, dst, n, weights, period, phase);
  else periodicLoop<PreluSelect>(src, dst, n, weights, period, phase);
}

/** The loop of preluPeriodic for one op (PreluMax or PreluSelect, called with w as p). */
// @ts-ignore: decorator
@inline function periodicLoop<Op>(src: usize, dst: usize, n: usize, weights: usize, period: usize, phase: usize): void {
  const op = changetype<Op>(0);
  let k = phase;
  let i: usize = 0;
  while (i < n) {
    const len = min(period - k, n - i);
    const s = src + i * F32;
    const d = dst + i * F32;
    const w = weights + k * F32;
    let j: usize = 0;
    if (ASC_FEATURE_SIMD) {
      const none = f32x4.splat(0);
      for (; j + 16 <= len; j += 16) {
        const o = j * F32;
        v128.store(d + o, op.vec(v128.load(s + o, 0), v128.load(w + o, 0), none), 0);
        v128.store(d + o, op.vec(v128.load(s + o, 16), v128.load(w + o, 16), none), 16);
        v128.store(d + o, op.vec(v128.load(s + o, 32), v128.load(w + o, 32), none), 32);
        v128.store(d + o, op.vec(v128.load(s + o, 48), v128.load(w + o, 48), none), 48);
      }
      for (; j + 4 <= len; j += 4) {
        const o = j * F32;
        v128.store(d + o, op.vec(v128.load(s + o), v128.load(w + o), none));
      }
    }
    for (; j < len; j++) {
      const o = j * F32;
      store<f32>(d + o, op.scalar(load<f32>(s + o), load<f32>(w + o), 0));
    }
    i += len;
    k += len;
    if (k == period) k = 0;
  }
}

// ---- Backward ----

/** The weight-gradient term of one element in float64: x > 0 ? 0 : x·dy (exact product). */
// @ts-ignore: decorator
@inline function term(dy: f32, x: f32): f64 {
  return x > 0 ? 0 : <f64>x * <f64>dy;
}

/**
 * The weight-gradient terms of four lanes as two f64x2 (lanes 0-1, lanes 2-3). Lanes with x > 0
 * have both x and dy zeroed in float32 first (`positive`: the lanes' x > 0 mask), so their
 * product is +0 as the scalar term's select gives, even for an infinite or NaN dy; that costs
 * one op per input instead of widening the mask and masking two f64x2.
 */
// @ts-ignore: decorator
@inline function termsLow(dy: v128, x: v128, positive: v128): v128 {
  const xm = v128.andnot(x, positive);
  const gm = v128.andnot(dy, positive);
  return f64x2.mul(f64x2.promote_low_f32x4(xm), f64x2.promote_low_f32x4(gm));
}

// @ts-ignore: decorator
@inline function termsHigh(dy: v128, x: v128, positive: v128): v128 {
  const xm = v128.andnot(x, positive);
  const gm = v128.andnot(dy, positive);
  const xh = v128.shuffle<f32>(xm, xm, 2, 3, 2, 3);
  const gh = v128.shuffle<f32>(gm, gm, 2, 3, 2, 3);
  return f64x2.mul(f64x2.promote_low_f32x4(xh), f64x2.promote_low_f32x4(gh));
}

/**
 * One weight over n elements: dx[i] = x[i] > 0 ? dy[i] : w·dy[i], and the float64 sum of the
 * terms, returned. The sum has eight lane accumulators (element j of each group of eight goes to
 * lane j; one trailing group of four to lanes 0-3), combined as ((l0 + l4) + (l2 + l6)) +
 * ((l1 + l5) + (l3 + l7)), then the last n mod 4 terms in order. The scalar build keeps the same
 * eight accumulators and order, so both builds return the same bits. Eight lanes: four
 * independent f64x2 additions per eight elements, which hides the add latency.
 */
// @ts-ignore: decorator
@inline function backwardOne(dy: usize, x: usize, dx: usize, n: usize, w: f32): f64 {
  let j: usize = 0;
  let total: f64 = 0;
  if (ASC_FEATURE_SIMD) {
    const zero = f32x4.splat(0);
    const wv = f32x4.splat(w);
    let a0 = f64x2.splat(0);
    let a1 = f64x2.splat(0);
    let a2 = f64x2.splat(0);
    let a3 = f64x2.splat(0);
    for (; j + 8 <= n; j += 8) {
      const o = j * F32;
      const g0 = v128.load(dy + o, 0);
      const g1 = v128.load(dy + o, 16);
      const x0 = v128.load(x + o, 0);
      const x1 = v128.load(x + o, 16);
      const m0 = f32x4.gt(x0, zero);
      const m1 = f32x4.gt(x1, zero);
      v128.store(dx + o, v128.bitselect(g0, f32x4.mul(g0, wv), m0), 0);
      v128.store(dx + o, v128.bitselect(g1, f32x4.mul(g1, wv), m1), 16);
      a0 = f64x2.add(a0, termsLow(g0, x0, m0));
      a1 = f64x2.add(a1, termsHigh(g0, x0, m0));
      a2 = f64x2.add(a2, termsLow(g1, x1, m1));
      a3 = f64x2.add(a3, termsHigh(g1, x1, m1));
    }
    if (j + 4 <= n) {
      const o = j * F32;
      const g0 = v128.load(dy + o);
      const x0 = v128.load(x + o);
      const m0 = f32x4.gt(x0, zero);
      v128.store(dx + o, v128.bitselect(g0, f32x4.mul(g0, wv), m0));
      a0 = f64x2.add(a0, termsLow(g0, x0, m0));
      a1 = f64x2.add(a1, termsHigh(g0, x0, m0));
      j += 4;
    }
    const s = f64x2.add(f64x2.add(a0, a2), f64x2.add(a1, a3)); // (l0+l4)+(l2+l6), (l1+l5)+(l3+l7)
    total = f64x2.extract_lane(s, 0) + f64x2.extract_lane(s, 1);
  } else {
    let l0: f64 = 0, l1: f64 = 0, l2: f64 = 0, l3: f64 = 0;
    let l4: f64 = 0, l5: f64 = 0, l6: f64 = 0, l7: f64 = 0;
    for (; j + 4 <= n; j += 4) {
      const o = j * F32;
      const g0 = load<f32>(dy + o, 0);
      const g1 = load<f32>(dy + o, 4);
      const g2 = load<f32>(dy + o, 8);
      const g3 = load<f32>(dy + o, 12);
      const x0 = load<f32>(x + o, 0);
      const x1 = load<f32>(x + o, 4);
      const x2 = load<f32>(x + o, 8);
      const x3 = load<f32>(x + o, 12);
      store<f32>(dx + o, x0 > 0 ? g0 : g0 * w, 0);
      store<f32>(dx + o, x1 > 0 ? g1 : g1 * w, 4);
      store<f32>(dx + o, x2 > 0 ? g2 : g2 * w, 8);
      store<f32>(dx + o, x3 > 0 ? g3 : g3 * w, 12);
      // Groups of four alternate between lanes 0-3 and lanes 4-7, as the simd build's pairs.
      if ((j & 4) == 0) {
        l0 += term(g0, x0); l1 += term(g1, x1); l2 += term(g2, x2); l3 += term(g3, x3);
      } else {
        l4 += term(g0, x0); l5 += term(g1, x1); l6 += term(g2, x2); l7 += term(g3, x3);
      }
    }
    total = ((l0 + l4) + (l2 + l6)) + ((l1 + l5) + (l3 + l7));
  }
  for (; j < n; j++) {
    const o = j * F32;
    const g = load<f32>(dy + o);
    const v = load<f32>(x + o);
    store<f32>(dx + o, v > 0 ? g : g * w);
    total += term(g, v);
  }
  return total;
}

/**
 * One weight: dx[i] = x[i] > 0 ? dy[i] : w·dy[i] for i < n (dx may be dy or x); returns the
 * float64 sum of (x > 0 ? 0 : x·dy), the weight's gradient before rounding.
 */
export function preluBackward(dy: usize, x: usize, dx: usize, n: usize, w: f32): f64 {
  return backwardOne(dy, x, dx, n, w);
}

/**
 * Per-channel weights over blocks of `inner` elements (as preluBlocks, element i of this call is
 * element start + i of the input): dx, and each block's float64 sum added to sums[channel]
 * (`sums`: the byte address of `channels` float64).
 */
export function preluBackwardBlocks(
  dy: usize, x: usize, dx: usize, n: usize, inner: usize, weights: usize, channels: usize, start: usize, sums: usize,
): void {
  const block = start / inner;
  let offset = start - block * inner;
  let c = block % channels;
  let i: usize = 0;
  while (i < n) {
    const len = min(inner - offset, n - i);
    const o = i * F32;
    const s = backwardOne(dy + o, x + o, dx + o, len, load<f32>(weights + c * F32));
    store<f64>(sums + c * F64, load<f64>(sums + c * F64) + s);
    i += len;
    offset = 0;
    if (++c == channels) c = 0;
  }
}

/**
 * Periodic weights (as preluPeriodic): dx, and the term of element i added to
 * sums[(phase + i) mod period] (`sums`: `period` float64; the engine folds them into channels).
 * Each slot adds its elements in order in both builds, so both give the same bits.
 */
export function preluBackwardPeriodic(
  dy: usize, x: usize, dx: usize, n: usize, weights: usize, period: usize, phase: usize, sums: usize,
): void {
  let k = phase;
  let i: usize = 0;
  while (i < n) {
    const len = min(period - k, n - i);
    const pg = dy + i * F32;
    const px = x + i * F32;
    const pd = dx + i * F32;
    const pw = weights + k * F32;
    const ps = sums + k * F64;
    let j: usize = 0;
    if (ASC_FEATURE_SIMD) {
      const zero = f32x4.splat(0);
      for (; j + 8 <= len; j += 8) {
        const o = j * F32;
        const q = j * F64;
        const g0 = v128.load(pg + o, 0);
        const g1 = v128.load(pg + o, 16);
        const x0 = v128.load(px + o, 0);
        const x1 = v128.load(px + o, 16);
        const m0 = f32x4.gt(x0, zero);
        const m1 = f32x4.gt(x1, zero);
        v128.store(pd + o, v128.bitselect(g0, f32x4.mul(g0, v128.load(pw + o, 0)), m0), 0);
        v128.store(pd + o, v128.bitselect(g1, f32x4.mul(g1, v128.load(pw + o, 16)), m1), 16);
        v128.store(ps + q, f64x2.add(v128.load(ps + q, 0), termsLow(g0, x0, m0)), 0);
        v128.store(ps + q, f64x2.add(v128.load(ps + q, 16), termsHigh(g0, x0, m0)), 16);
        v128.store(ps + q, f64x2.add(v128.load(ps + q, 32), termsLow(g1, x1, m1)), 32);
        v128.store(ps + q, f64x2.add(v128.load(ps + q, 48), termsHigh(g1, x1, m1)), 48);
      }
    }
    for (; j < len; j++) {
      const o = j * F32;
      const q = j * F64;
      const g = load<f32>(pg + o);
      const v = load<f32>(px + o);
      store<f32>(pd + o, v > 0 ? g : g * load<f32>(pw + o));
      store<f64>(ps + q, load<f64>(ps + q) + term(g, v));
    }
    i += len;
    k += len;
    if (k == period) k = 0;
  }
}
