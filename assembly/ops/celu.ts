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
// - any other alpha: per element in float64 with the standard library's expm1 (fdlibm, < 1 ULP
//   of float64; exp is built on it, see expF64), rounded once to float32. The float32 path would
//   not do there: a rounded x / alpha carries a relative error of 2^-24 that exp amplifies by
//   |x / alpha| (up to 88: tens of ULP in the backward pass), x / alpha may be a subnormal for
//   alpha > 1, and for alpha < 0 the argument is positive, where exp(x / alpha) overflows float32
//   before alpha * expm1 does. Scalar code in both builds (the vector op runs it lane by lane),
//   hence bit-identical; several times slower than the float32 path.
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
    return v128.bitselect(x, f32x4.mul(expm1NegV(f32x4.mul(x, q)), p), f32x4.gt(x, f32x4.splat(0)));
  }
  // @ts-ignore: decorator
  @inline scalar(x: f32, p: f32, q: f32): f32 {
    return x > 0 ? x : expm1Neg(x * q) * p;
  }
}

/**
 * Float64 path, one element: x > 0 ? x : alpha * expm1(x / alpha), rounded once. Not inlined: a
 * direct call keeps the unrolled loops small (else they hold 20-odd copies of fdlibm's expm1).
 */
function celuF64(x: f32, alpha: f32): f32 {
  if (x > 0) return x;
  const a = <f64>alpha;
  return <f32>(a * (Math.expm1(<f64>x / a) + 0)); // + 0: +0 at x = ±0, as PyTorch's exp(0) - 1
}

/** Float64 path: p = alpha; lane by lane in the vector build. */
@final class CeluF64 {
  // @ts-ignore: decorator
  @inline vec(x: v128, p: v128, q: v128): v128 {
    const alpha = f32x4.extract_lane(p, 0);
    let y = f32x4.splat(celuF64(f32x4.extract_lane(x, 0), alpha));
    y = f32x4.replace_lane(y, 1, celuF64(f32x4.extract_lane(x, 1), alpha));
    y = f32x4.replace_lane(y, 2, celuF64(f32x4.extract_lane(x, 2), alpha));
    return f32x4.replace_lane(y, 3, celuF64(f32x4.extract_lane(x, 3), alpha));
  }
  // @ts-ignore: decorator
  @inline scalar(x: f32, p: f32, q: f32): f32 { return celuF64(x, p); }
}

/** dst[i] = max(0, src[i]) + min(0, alpha * (exp(src[i] / alpha) - 1)) for i < n (alpha != 0). */
export function celu(src: usize, dst: usize, n: usize, alpha: f32): void {
  if (exactInverse(alpha)) mapUnary<CeluExact>(src, dst, n, alpha, <f32>1 / alpha, 8); // eight per iteration: 0.60 against 0.64 ns/element
  else mapUnary<CeluF64>(src, dst, n, alpha, 0);
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

// exp(z) in float64 from the standard library's expm1 (fdlibm, table-free), for the float64
// path's backward pass. Not Math.exp: the standard library's exp reads lookup tables from a data
// segment in linear memory, which this module leaves wholly to the TypeScript side (a data segment
// would be overwritten there). z = n ln2 + t (Cody-Waite, fdlibm's two-part ln2: n * LN2_HI is
// exact), |t| <= ln2 / 2, exp(z) = 2^n (1 + expm1(t)): relative error ~2^-52, no cancellation.
// z < -700 gives 0 (the float32 result is 0 even for dy = FLT_MAX), z > 709 gives Infinity.
// @ts-ignore: decorator
@inline const LN2_HI: f64 = reinterpret<f64>(0x3FE62E42FEE00000); // 6.93147180369123816490e-01
// @ts-ignore: decorator
@inline const LN2_LO: f64 = reinterpret<f64>(0x3DEA39EF35793C76); // 1.90821492927058770002e-10
// @ts-ignore: decorator
@inline const INV_LN2: f64 = reinterpret<f64>(0x3FF71547652B82FE); // 1.44269504088896338700e+00

// @ts-ignore: decorator
@inline function expF64(z: f64): f64 {
  if (z != z) return z;
  if (z > 709) return Infinity;
  if (z < -700) return 0;
  const n = nearest(z * INV_LN2);
  const t = (z - n * LN2_HI) - n * LN2_LO;
  const s = reinterpret<f64>(<i64>(<i32>n + 1023) << 52);
  return s + s * Math.expm1(t);
}

/** Float64 path, one element: x > 0 ? dy : dy * exp(x / alpha), rounded once (not inlined, as celuF64). */
function celuBackwardF64(dy: f32, x: f32, alpha: f32): f32 {
  if (x > 0) return dy;
  return <f32>(<f64>dy * expF64(<f64>x / <f64>alpha));
}

@final class CeluF64Backward {
  // @ts-ignore: decorator
  @inline vec(dy: v128, x: v128, p: v128, q: v128): v128 {
    const alpha = f32x4.extract_lane(p, 0);
    let y = f32x4.splat(celuBackwardF64(f32x4.extract_lane(dy, 0), f32x4.extract_lane(x, 0), alpha));
    y = f32x4.replace_lane(y, 1, celuBackwardF64(f32x4.extract_lane(dy, 1), f32x4.extract_lane(x, 1), alpha));
    y = f32x4.replace_lane(y, 2, celuBackwardF64(f32x4.extract_lane(dy, 2), f32x4.extract_lane(x, 2), alpha));
    return f32x4.replace_lane(y, 3, celuBackwardF64(f32x4.extract_lane(dy, 3), f32x4.extract_lane(x, 3), alpha));
  }
  // @ts-ignore: decorator
  @inline scalar(dy: f32, x: f32, p: f32, q: f32): f32 { return celuBackwardF64(dy, x, p); }
}

/** dx[i] = x[i] > 0 ? dy[i] : dy[i] * exp(x[i] / alpha) for i < n (dx may be dy or x; alpha != 0). */
export function celuBackward(dy: usize, x: usize, dx: usize, n: usize, alpha: f32): void {
  if (exactInverse(alpha)) mapBinary<CeluExactBackward>(dy, x, dx, n, alpha, <f32>0.5 / alpha, 8); // eight per iteration: 0.62 against 0.66
  else mapBinary<CeluF64Backward>(dy, x, dx, n, alpha, 0);
}
