// ELU, and the op that SELU shares with it: PyTorch's elu kernel with negcoef = p, poscoef = q and
// input_scale 1 (elu: p = alpha, q = 1; selu: p = alpha * scale, q = scale, see ./selu.ts):
//   x >= 0 ? x * q : expm1(x) * p
// expm1 from ../expm1.ts (<= 0.92 ULP, relative, also near 0 where exp(x) - 1 cancels), then one
// multiply. PyTorch's float32 kernel computes exp(x) - 1, which loses all relative accuracy near 0;
// the exact function is what the tests compare against. -0 and +0 take the x * q branch, as in
// PyTorch since 2.8 (PR #155765; before, its x <= 0 test sent them to exp(x) - 1 = +0): elu(-0) =
// -0, the sign of the limit from the left. -Infinity gives -1 * p = -alpha (the clamp in expm1),
// NaN gives NaN (x >= 0 is false, expm1(NaN) is NaN).
// Measured max error over all 2^32 float32 inputs (alpha = 1, wasm-simd; scalar bit-identical):
// 0.921 ULP at x = -0.38706 (bound 4). celu with alpha = 1 runs the same float32 operations.
import { expm1Neg, expm1NegV } from "../expm1";
import { expNeg, expNegV } from "../math";
import { mapBinary } from "../binary";
import { mapUnary } from "../unary";

/** x >= 0 ? x * q : expm1(x) * p. Lanes with x >= 0 compute a discarded expm1 of a positive x. */
@final export class EluLike {
  // @ts-ignore: decorator
  @inline vec(x: v128, p: v128, q: v128): v128 {
    return v128.bitselect(f32x4.mul(x, q), f32x4.mul(expm1NegV(x), p), f32x4.ge(x, f32x4.splat(0)));
  }
  // @ts-ignore: decorator
  @inline scalar(x: f32, p: f32, q: f32): f32 {
    return x >= 0 ? x * q : expm1Neg(x) * p;
  }
}

/** dst[i] = src[i] > 0 ? src[i] : alpha * (exp(src[i]) - 1) for i < n. */
export function elu(src: usize, dst: usize, n: usize, alpha: f32): void {
  mapUnary<EluLike>(src, dst, n, alpha, 1, 8); // eight per iteration: 0.59 against 0.63 ns/element
}

// Backward (PyTorch's elu_backward with is_result = false): dx = x > 0 ? dy * q : dy * p * exp(x).
// exp(x) is taken as h * h with h = exp(x / 2) from the shared exp core, so that it does not flush
// to zero for x in [-175, -87.3], where exp(x) is below 2^-126 but dy * p * exp(x) need not be;
// the products run (dy * h) * (h * p): neither factor can overflow (h <= 1), so only a result
// beyond FLT_MAX overflows (the earlier order (h * p * dy) * h overflowed for dy near FLT_MAX and
// p > 1, e.g. selu's p = 1.76 at x = -1), and h >= 2^-126 keeps both factors normal for a normal
// dy. The price: for p h > 1 (p > 1 only), dy * h is below the result, so a result within a
// factor p of 2^-126 can come from a subnormal dy * h. With dy = 1 the order gives the same bits
// as before (h * (h * p)). Error: 2 x 0.96 ULP from h plus three roundings.
// Measured max error over all 2^32 x with dy = 1 (alpha = 1, wasm-simd): 2.909 ULP at x = -10.3997
// (bound 8). x = -Infinity gives dy * p * 0 (NaN for an infinite dy, as
// PyTorch's dy * alpha * exp(-inf)); NaN in x or dy gives NaN.
@final export class EluLikeBackward {
  // @ts-ignore: decorator
  @inline vec(dy: v128, x: v128, p: v128, q: v128): v128 {
    const h = expNegV(f32x4.mul(x, f32x4.splat(0.5)));
    const neg = f32x4.mul(f32x4.mul(dy, h), f32x4.mul(h, p));
    return v128.bitselect(f32x4.mul(dy, q), neg, f32x4.gt(x, f32x4.splat(0)));
  }
  // @ts-ignore: decorator
  @inline scalar(dy: f32, x: f32, p: f32, q: f32): f32 {
    if (x > 0) return dy * q;
    const h = expNeg(x * <f32>0.5);
    return (dy * h) * (h * p);
  }
}

/** dx[i] = x[i] > 0 ? dy[i] : dy[i] * alpha * exp(x[i]) for i < n (dx may be dy or x). */
export function eluBackward(dy: usize, x: usize, dx: usize, n: usize, alpha: f32): void {
  mapBinary<EluLikeBackward>(dy, x, dx, n, alpha, 1, 4); // four per iteration: 0.67 against 0.70 ns/element with eight (A/B, 2026-11-29)
}
