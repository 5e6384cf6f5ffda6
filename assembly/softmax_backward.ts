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
import { exp64, exp64V } from "./exp64";

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
}

// Log-softmax: dx = dy - e^y * S with S = sum dy as (sHi, sLo), compensated like softmax's sum
// (S cancels for gradients that sum to ~0). e^y is float64 (exp64.ts, ~2^-47 relative): the
// float32 core's 2^-24 would be many ULP of dx where dy ~ e^y S (dy = 1: y ~ -log n). Then
// (dy - e^y sHi) - e^y sLo in float64, one rounding to float32. PyTorch's limits: y = -Infinity
// gives dy (e^y = 0) unless S is infinite (0 * Infinity = NaN); y = +Infinity or NaN anywhere in
// the slice's dy gives NaN. Measured max 0.50 ULP (softmin: 0.50) over 1.2M elements in rows of
// 1 to 200 and 1024, dy random in [-4, 4] or constant 1.5 (bound: 8 ULP).
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
  @inline gradV(dy: v128, y: v128, sHi: v128, sLo: v128): v128 {
    const e = exp64V(f64x2.promote_low_f32x4(y));
    return f64x2.sub(f64x2.sub(f64x2.promote_low_f32x4(dy), f64x2.mul(e, sHi)), f64x2.mul(e, sLo));
  }
  // @ts-ignore: decorator
  @inline grad(dy: f32, y: f32, sHi: f64, sLo: f64): f64 {
    const e = exp64(<f64>y);
    return (<f64>dy - e * sHi) - e * sLo;
  }
}

/** Op.gradV per lane, demoted: s as (hi, lo) pairs of f64x2 for lanes 0-1 and 2-3. */
// @ts-ignore: decorator
@inline function gradsV<Op>(dy: v128, y: v128, hi01: v128, lo01: v128, hi23: v128, lo23: v128): v128 {
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
  const rowBytes = cols * F32;
  for (let r: usize = 0; r < rows; r++) {
    backwardRow<Op>(dy + r * rowBytes, y + r * rowBytes, dx + r * rowBytes, cols);
  }
}

/** One column (stride `stride` bytes, n entries) of a strided layout (scalar). */
// @ts-ignore: decorator
@inline function backwardColumn<Op>(dy: usize, y: usize, dx: usize, n: usize, stride: usize): void {
  const op = changetype<Op>(0);
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
 * The middle axis of an [outer, n, inner] array. Four neighbouring columns share a v128, each
 * lane with its own compensated float64 sum.
 */
// @ts-ignore: decorator
@inline function backwardStrided<Op>(dy: usize, y: usize, dx: usize, outer: usize, n: usize, inner: usize): void {
  const op = changetype<Op>(0);
  if (n == 0 || inner == 0) return;
  const stride = inner * F32;
  const block = n * stride;
  for (let o: usize = 0; o < outer; o++) {
    const g0 = dy + o * block;
    const y0 = y + o * block;
    const x0 = dx + o * block;
    let c: usize = 0;
    if (ASC_FEATURE_SIMD) {
      for (; c + 4 <= inner; c += 4) {
        const g = g0 + c * F32;
        const yy = y0 + c * F32;
        const t = x0 + c * F32;
        let h0 = f64x2.splat(0);
        let l0 = h0;
        let h1 = h0;
        let l1 = h0;
        for (let d: usize = 0; d < n; d++) {
          const gv = v128.load(g + d * stride);
          const yv = v128.load(yy + d * stride);
          const p0 = op.termV(gv, yv);
          const p1 = op.termV(high(gv), high(yv));
          const t0 = f64x2.add(h0, p0);
          const t1 = f64x2.add(h1, p1);
          l0 = f64x2.add(l0, twoSumErrorV(h0, p0, t0));
          l1 = f64x2.add(l1, twoSumErrorV(h1, p1, t1));
          h0 = t0;
          h1 = t1;
        }
        l0 = finiteLoV(h0, l0);
        l1 = finiteLoV(h1, l1);
        for (let d: usize = 0; d < n; d++) {
          v128.store(t + d * stride, gradsV<Op>(v128.load(g + d * stride), v128.load(yy + d * stride), h0, l0, h1, l1));
        }
      }
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
