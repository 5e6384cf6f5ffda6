// GLU: y = a * sigmoid(b), where a and b are the two halves of each of `outer` blocks of 2m floats
// (the a half first, then the b half, both contiguous: the TypeScript side views x with shape S
// and dim d as [outer, 2, m]); y has `outer` blocks of m floats.
//
// Forward: sigmoid(b) exactly as ./sigmoid.ts computes it (e = exp(-|b|) from the float32 exp core,
// d = 1 + e, one quotient of e or 1 by d, compensated for the rounding of d: measured max 1.967 ULP
// over all 2^32 inputs), then one float32 product with a (0.5 ULP): within 2.5 ULP of a times
// the rounded sigmoid, i.e. about 2.5 ULP plus the product's rounding; bound 4. Measured max
// 3.180 ULP (at b = -1.0855) over 72M inputs: every 31st float32 b in [-87, 87] with a in [1, 2). Where sigmoid(b) is below 2^-126 (b < -87.3) the exp core flushes e to 0,
// so y = a * 0 (as the package's sigmoid returns 0 there). Limits as PyTorch: b = +Infinity gives
// a * 1 = a, b = -Infinity gives a * 0 (NaN for an infinite a), NaN in a or b gives NaN.
//
// Backward, from x: dx_a = dy * sigmoid(b), dx_b = dy * a * sigmoid(b) (1 - sigmoid(b)). One exp,
// h = exp(-|b| / 2) (as sigmoid's backward, ../math.ts logisticSlope), its polynomial in
// Estrin's order (shorter chains: this loop is bound by latency): e = h h, d = 1 + e;
//   dx_a = dy * ((sign(b) < 0 ? e : 1) / d);
//   dx_b = (dy h) ((a h) / (d d)): the slope e / (1 + e)^2 without cancellation, dy and a each
//   scaled by h (<= 1) and a divided by d d (>= 1) before the last product, so only a result
//   beyond FLT_MAX overflows (((dy h) (a h)) / (d d), the earlier order, overflowed for dy near
//   FLT_MAX: at b = 0 with a = 2 its product was 2 dy for a result dy / 2), and nothing
//   underflows that the exact value does not (down to b ~ -174, where h flushes to 0) unless a h
//   is itself within a factor 4 of 2^-126. Same measured max error as the earlier order.
// e = h h adds a rounding (and twice the exp core's error of h) to the forward's sigmoid, which
// swamps d's rounding: the forward's compensation for it (four operations at the end of the
// longest chain) took dx_a's measured max only from 4.877 to 4.824 ULP here, for 0.68 against
// 0.58 ns/element at 64Ki (zero-copy, V8/x64, A/B of the raw export). Error bound 8 ULP for both
// halves (dx_b: logisticSlope's 5.913 ULP measured maximum plus one product rounding). Measured
// max over the same 72M b (a in [1, 2), dy in (0, 1]): dx_a 4.877 ULP (at b = -13.136), dx_b
// 6.040 ULP (at b = 4.6582). The scalar build does the same float32 operations in the same
// order: wasm-simd and wasm-scalar give the same bits.
//
// In place (dx == x): each v128 of a and of b is loaded before the dx_a and dx_b v128 at the same
// offsets are stored, and no later step reads them. dx never overlaps dy (checked on the TS side).
import { expNeg, expNegV } from "../math";
import { mapBinary } from "../binary";

// @ts-ignore: decorator
@inline const F32: usize = 4;

@final class Glu {
  // @ts-ignore: decorator
  @inline vec(a: v128, b: v128, _p: v128, _q: v128): v128 {
    const one = f32x4.splat(1);
    const e = expNegV(v128.or(b, f32x4.splat(-0.0))); // exp(-|b|)
    const d = f32x4.add(e, one);
    const dlo = f32x4.add(f32x4.sub(one, d), e); // 1 + e = d + dlo exactly (Fast2Sum)
    const q = f32x4.div(v128.bitselect(e, one, i32x4.shr_s(b, 31)), d);
    return f32x4.mul(a, f32x4.sub(q, f32x4.mul(q, dlo)));
  }
  // @ts-ignore: decorator
  @inline scalar(a: f32, b: f32, _p: f32, _q: f32): f32 {
    const e = expNeg(-Mathf.abs(b));
    const d = e + 1;
    const dlo = (<f32>1 - d) + e;
    const q = (reinterpret<i32>(b) < 0 ? e : <f32>1) / d;
    return a * (q - q * dlo);
  }
}

/**
 * dst[o m + i] = a * sigmoid(b) with a = src[2 o m + i], b = src[2 o m + m + i], for o < outer,
 * i < m. Per block: sigmoid's loop skeleton (eight v128 per iteration, scalar tail).
 */
export function glu(src: usize, dst: usize, outer: usize, m: usize): void {
  for (let o: usize = 0; o < outer; o++) {
    const a = src + o * 2 * m * F32;
    mapBinary<Glu>(a, a + m * F32, dst + o * m * F32, m, 0, 0, 8);
  }
}

/**
 * e where b's sign bit is set (b < 0, -0, a negative NaN), else 1, for e in [0, 1] or NaN:
 * sigmoid(b)'s numerator. As pmax(e, t) = (e < t ? t : e) with t = 1 or +0 by the sign: 1 for
 * e <= 1 (e = 1 itself where e is 1), e for e >= +0, and e for a NaN e (whose d = 1 + e makes the
 * quotient NaN either way): the bitselect's value but for a NaN's payload. Three operations where
 * the shift and a bitselect took four (V8/x64: and, andnot, or): the backward pass 3-4% faster
 * (64Ki, zero-copy, Intel Xeon; the same bits over 6.7e7 outputs, random bits and special values).
 * Not in the forward passes (glu above, sigmoid in ./sigmoid.ts): there pmax's latency of four
 * cycles on the way to the division made them 1-3% slower, or no faster.
 */
// @ts-ignore: decorator
@inline function eIfNegativeElseOne(e: v128, b: v128): v128 {
  return f32x4.pmax(e, v128.andnot(f32x4.splat(1), i32x4.shr_s(b, 31)));
}

/** One v128 of the backward pass at byte offset `off`: dy at g, a at x, b at x + mb; dx likewise. */
// @ts-ignore: decorator
@inline function backwardV(g: usize, x: usize, dx: usize, mb: usize, off: usize): void {
  const dy = v128.load(g + off);
  const a = v128.load(x + off);
  const b = v128.load(x + mb + off);
  const one = f32x4.splat(1);
  const h = expNegV(f32x4.mul(v128.or(b, f32x4.splat(-0.0)), f32x4.splat(0.5)), true); // exp(-|b| / 2)
  const e = f32x4.mul(h, h);
  const d = f32x4.add(e, one);
  const s = f32x4.div(eIfNegativeElseOne(e, b), d);
  const slope = f32x4.mul(f32x4.mul(dy, h), f32x4.div(f32x4.mul(a, h), f32x4.mul(d, d)));
  v128.store(dx + off, f32x4.mul(dy, s));
  v128.store(dx + mb + off, slope);
}

/** Scalar twin of {@link backwardV}: the same float32 operations in the same order. */
// @ts-ignore: decorator
@inline function backwardS(g: usize, x: usize, dx: usize, mb: usize, off: usize): void {
  const dy = load<f32>(g + off);
  const a = load<f32>(x + off);
  const b = load<f32>(x + mb + off);
  const h = expNeg(-Mathf.abs(b) * <f32>0.5, true);
  const e = h * h;
  const d = e + 1;
  const s = (reinterpret<i32>(b) < 0 ? e : <f32>1) / d;
  const slope = (dy * h) * ((a * h) / (d * d));
  store<f32>(dx + off, dy * s);
  store<f32>(dx + mb + off, slope);
}

/**
 * dx (2 outer m floats) from dy (outer m) and x (2 outer m): dx_a = dy * sigmoid(b),
 * dx_b = dy * a * sigmoid'(b), block by block. dx may be x (in place). Four v128 per iteration.
 */
export function gluBackward(dy: usize, x: usize, dx: usize, outer: usize, m: usize): void {
  const mb = m * F32;
  for (let o: usize = 0; o < outer; o++) {
    const g = dy + o * mb;
    const xa = x + o * 2 * mb;
    const da = dx + o * 2 * mb;
    let i: usize = 0;
    if (ASC_FEATURE_SIMD) {
      for (; i + 16 <= m; i += 16) {
        const off = i * F32;
        backwardV(g, xa, da, mb, off);
        backwardV(g, xa, da, mb, off + 16);
        backwardV(g, xa, da, mb, off + 32);
        backwardV(g, xa, da, mb, off + 48);
      }
      for (; i + 4 <= m; i += 4) backwardV(g, xa, da, mb, i * F32);
    }
    for (; i < m; i++) backwardS(g, xa, da, mb, i * F32);
  }
}
