// Leaky ReLU: x > 0 ? x : alpha * x (PyTorch's definition, any alpha). The only rounding is the
// one multiply, so the error is <= 0.5 ULP of alpha * x for the float32 alpha. NaN > 0 is
// false, and alpha * NaN is NaN; -0 gives alpha * -0 = -0.
// For 0 < alpha <= 1 (every usual slope) the same values come from max(x, alpha x), one op
// instead of a compare and a select (V8: three); for other alphas max would be wrong (alpha > 1
// or < 0) or differ at x = -Infinity (alpha = 0: 0 * -Inf is NaN, max would give -Inf).
import { mapUnary } from "../unary";

@final class LeakyReluMax {
  // @ts-ignore: decorator
  @inline vec(x: v128, alpha: v128): v128 { return f32x4.pmax(x, f32x4.mul(x, alpha)); }
  // @ts-ignore: decorator
  @inline scalar(x: f32, alpha: f32): f32 { return x > 0 ? x : x * alpha; }
}

@final class LeakyRelu {
  // @ts-ignore: decorator
  @inline vec(x: v128, alpha: v128): v128 {
    return v128.bitselect(x, f32x4.mul(x, alpha), f32x4.gt(x, f32x4.splat(0)));
  }
  // @ts-ignore: decorator
  @inline scalar(x: f32, alpha: f32): f32 { return x > 0 ? x : x * alpha; }
}

/** dst[i] = src[i] > 0 ? src[i] : alpha * src[i] for i < n. */
export function leakyRelu(src: usize, dst: usize, n: usize, alpha: f32): void {
  if (alpha > 0 && alpha <= 1) mapUnary<LeakyReluMax>(src, dst, n, alpha, true);
  else mapUnary<LeakyRelu>(src, dst, n, alpha, true);
}
