// CELU: max(0, x) + min(0, alpha * (exp(x / alpha) - 1)), alpha != 0; as PyTorch's kernel (elu
// with input_scale 1 / alpha): x > 0 ? x : alpha * expm1(x / alpha), which is the same function
// for either sign of alpha. Two kernels, picked per call by alpha:
//
// - alpha a power of two in (0, 1] (the default 1, also 0.5, 0.25, ...): x / alpha = x * 2^k is
//   exact (or overflows to -Infinity, where expm1 is -1), so the float32 path is ELU's: expm1 from
//   ../expm1.ts and one multiply by alpha, in SIMD. Backward: exp(x / alpha) as h * h with
//   h = exp(x / (2 alpha)) (no flush to zero while the result is a normal float), as in ./elu.ts.
//   With alpha = 1 both passes run elu's float32 operations (bit-identical to elu over 2^24
//   random bit patterns), so elu's measured figures hold: 0.921 ULP forward, 2.909 backward.
// - any other alpha: in float64, rounded once to float32, in SIMD: each v128 of four float32 lanes
//   is promoted to two f64x2 (as ./silu.ts's quotient), z = x * (1 / alpha) (the reciprocal in
//   float64, once per iteration of the unrolled loop), then alpha * expm1(z) with expm1_64 from
//   ../exp64.ts (the clamp, Cody-Waite reduction and degree-11 Taylor polynomial of exp64,
//   reconstructed as p 2^k + (2^k - 1): about 2^-44 relative, see there), and the backward pass
//   dy * exp(z) with exp64 itself (about 2^-47 relative). The float32 path would not do here: a
//   rounded x / alpha carries a relative error of 2^-24 that exp amplifies by |x / alpha| (up to
//   88: tens of ULP in the backward pass), x / alpha may be a subnormal for alpha > 1, and for
//   alpha < 0 the argument is positive, where exp(x / alpha) overflows float32 before
//   alpha * expm1 does. Error: z = x * fl(1 / alpha) is within 2^-52 of x / alpha relatively,
//   which exp turns into |z| 2^-52 <= 2^-42.5 relative at the clamp |z| = 709; with expm1's or
//   exp's own error and the float64 product, the float64 value is within ~2^-42 relative of the
//   exact one, so the float32 result is the correctly rounded one except where the exact value
//   lies within ~2^-18 ULP of a rounding boundary: max error 0.5 + 2^-18 ULP. Measured over every
//   float32 x <= 0 and NaN (and one positive x in eight) for alpha = 0.7, 1.5, 3, -2, 1e-3 and 100:
//   forward max 0.5000000 ULP, backward 0.5000001 with dy = 1 and with dy random (uniform in
//   [-4, 4] and random finite bit patterns), at most two results per 2^31 above 0.5; wasm-simd and
//   wasm-scalar bit-identical throughout (bounds 4 and 8). The limits, as PyTorch's: x = ±0 gives
//   +0 * alpha (expm1_64(±0) = +0: PyTorch's exp(0) - 1, so -0 for alpha < 0); x = -Infinity gives
//   -alpha for alpha > 0 (expm1 of the clamped -708 is -1 exactly) and -Infinity for alpha < 0
//   (alpha e^709 overflows float32 in the final rounding, as alpha (e^z - 1) does wherever it
//   passes -FLT_MAX); NaN gives NaN. Backward: x = -Infinity gives dy * 0 (alpha > 0; NaN for an
//   infinite dy) or dy * Infinity (alpha < 0; NaN for dy = 0), as dy * exp(x / alpha) in float64.
//   Speed at 64Ki (V8/x64, raw exports, interleaved A/B rounds): forward 1.77 ns/element, backward
//   2.10, against 6.3-6.5 and 5.3 for the previous per-element float64 code (the standard library's
//   fdlibm expm1, scalar in both builds); the power-of-two path runs 0.63. Four v128 per iteration:
//   two measured 2.32/2.69 ns/element, eight 2.72-3.35/3.28 (forward/backward). The scalar build
//   runs the same float64 operations in the same order (bit-identical): 4.05 and 4.12 ns/element
//   against 5.7 and 4.5 with fdlibm.
import { exp64, exp64V, expm1_64, expm1_64V } from "../exp64";
import { expm1Neg, expm1NegV } from "../expm1";
import { expNeg, expNegV } from "../math";
import { mapBinary } from "../binary";
import { mapUnary } from "../unary";

/** Whether alpha takes the float32 path: a power of two in (0, 1]. */
// @ts-ignore: decorator
@inline function exactInverse(alpha: f32): bool {
  return alpha > 0 && alpha <= 1 && (reinterpret<u32>(alpha) & 0x7FFFFF) == 0;
}

/** Float32 path: p = alpha, q = 1 / alpha (exact). x > 0 ? x : expm1(x * q) * p. */
@final class CeluExact {
  // @ts-ignore: decorator
  @inline vec(x: v128, p: v128, q: v128): v128 {
    return v128.bitselect(x, f32x4.mul(expm1NegV(f32x4.mul(x, q)), p), f32x4.ge(x, f32x4.splat(0)));
  }
  // @ts-ignore: decorator
  @inline scalar(x: f32, p: f32, q: f32): f32 {
    return x >= 0 ? x : expm1Neg(x * q) * p;
  }
}

/**
 * alpha * expm1(x * inv) in float64 for the two low lanes of x (inv = 1 / alpha in float64),
 * rounded once to float32.
 */
// @ts-ignore: decorator
@inline function celuHalf(x: v128, alpha: v128, inv: v128): v128 {
  const z = f64x2.mul(f64x2.promote_low_f32x4(x), inv);
  return f32x4.demote_f64x2_zero(f64x2.mul(alpha, expm1_64V(z)));
}

/** Float64 path: p = alpha. Lanes with x > 0 compute a discarded value. */
@final class CeluF64 {
  // @ts-ignore: decorator
  @inline vec(x: v128, p: v128, q: v128): v128 {
    const alpha = f64x2.promote_low_f32x4(p);
    const inv = f64x2.div(f64x2.splat(1), alpha); // once per iteration of the unrolled loop (CSE)
    const lo = celuHalf(x, alpha, inv);
    const hi = celuHalf(v128.shuffle<f32>(x, x, 2, 3, 2, 3), alpha, inv);
    return v128.bitselect(x, v128.shuffle<f32>(lo, hi, 0, 1, 4, 5), f32x4.ge(x, f32x4.splat(0)));
  }
  // @ts-ignore: decorator
  @inline scalar(x: f32, p: f32, q: f32): f32 {
    const alpha = <f64>p;
    return x >= 0 ? x : <f32>(alpha * expm1_64(<f64>x * (1 / alpha)));
  }
}

/** dst[i] = max(0, src[i]) + min(0, alpha * (exp(src[i] / alpha) - 1)) for i < n (alpha != 0). */
export function celu(src: usize, dst: usize, n: usize, alpha: f32): void {
  if (exactInverse(alpha)) mapUnary<CeluExact>(src, dst, n, alpha, <f32>1 / alpha, 8); // eight per iteration: 0.60 against 0.64 ns/element
  else mapUnary<CeluF64>(src, dst, n, alpha, 0, 4); // four per iteration: 1.77 against 2.32 (two), 2.72 (eight)
}

// Backward (PyTorch: dy * (1 / alpha) * alpha * exp(x / alpha), i.e. dy * exp(x / alpha)):
// dx = x > 0 ? dy : dy * exp(x / alpha). Float32 path: q = 1 / (2 alpha), exact; (dy * h) * h.
@final class CeluExactBackward {
  // @ts-ignore: decorator
  @inline vec(dy: v128, x: v128, p: v128, q: v128): v128 {
    const h = expNegV(f32x4.mul(x, q));
    return v128.bitselect(dy, f32x4.mul(f32x4.mul(dy, h), h), f32x4.gt(x, f32x4.splat(0)));
  }
  // @ts-ignore: decorator
  @inline scalar(dy: f32, x: f32, p: f32, q: f32): f32 {
    if (x > 0) return dy;
    const h = expNeg(x * q);
    return dy * h * h;
  }
}

/** dy * exp(x * inv) in float64 for the two low lanes (inv = 1 / alpha), rounded once to float32. */
// @ts-ignore: decorator
@inline function celuBackwardHalf(dy: v128, x: v128, inv: v128): v128 {
  const e = exp64V(f64x2.mul(f64x2.promote_low_f32x4(x), inv));
  return f32x4.demote_f64x2_zero(f64x2.mul(f64x2.promote_low_f32x4(dy), e));
}

/** Float64 path's backward: p = alpha. */
@final class CeluF64Backward {
  // @ts-ignore: decorator
  @inline vec(dy: v128, x: v128, p: v128, q: v128): v128 {
    const inv = f64x2.div(f64x2.splat(1), f64x2.promote_low_f32x4(p));
    const lo = celuBackwardHalf(dy, x, inv);
    const hi = celuBackwardHalf(v128.shuffle<f32>(dy, dy, 2, 3, 2, 3), v128.shuffle<f32>(x, x, 2, 3, 2, 3), inv);
    return v128.bitselect(dy, v128.shuffle<f32>(lo, hi, 0, 1, 4, 5), f32x4.gt(x, f32x4.splat(0)));
  }
  // @ts-ignore: decorator
  @inline scalar(dy: f32, x: f32, p: f32, q: f32): f32 {
    return x > 0 ? dy : <f32>(<f64>dy * exp64(<f64>x * (1 / <f64>p)));
  }
}

/** dx[i] = x[i] > 0 ? dy[i] : dy[i] * exp(x[i] / alpha) for i < n (dx may be dy or x; alpha != 0). */
export function celuBackward(dy: usize, x: usize, dx: usize, n: usize, alpha: f32): void {
  if (exactInverse(alpha)) mapBinary<CeluExactBackward>(dy, x, dx, n, alpha, <f32>0.5 / alpha, 4); // four per iteration: 0.62 against 0.65 with eight (A/B, 2026-11-29)
  else mapBinary<CeluF64Backward>(dy, x, dx, n, alpha, 0, 4); // four: 2.10 against 2.69 (two), 3.28 (eight)
}
