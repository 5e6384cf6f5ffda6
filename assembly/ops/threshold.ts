// Threshold (PyTorch's threshold): x <= threshold ? value : x. Exact (the result is x or the
// float32 value; measured 0 ULP on the 1.04M-point sweep). As PyTorch's kernel, which tests
// `x <= threshold`, a NaN x stays NaN.
import { mapBinary } from "../binary";
import { mapUnary, STREAM } from "../unary";

@final class Threshold {
  // @ts-ignore: decorator
  @inline vec(x: v128, t: v128, v: v128): v128 { return v128.bitselect(v, x, f32x4.le(x, t)); }
  // @ts-ignore: decorator
  @inline scalar(x: f32, t: f32, v: f32): f32 { return x <= t ? v : x; }
}

/** dst[i] = src[i] <= threshold ? value : src[i] for i < n. */
export function threshold(src: usize, dst: usize, n: usize, threshold: f32, value: f32): void {
  mapUnary<Threshold>(src, dst, n, threshold, value, STREAM);
}

// Backward (PyTorch's threshold_backward): dx = x <= threshold ? 0 : dy. Exact (measured 0 ULP).
// A NaN x passes dy through.
@final class ThresholdBackward {
  // @ts-ignore: decorator
  @inline vec(dy: v128, x: v128, t: v128, v: v128): v128 { return v128.andnot(dy, f32x4.le(x, t)); }
  // @ts-ignore: decorator
  @inline scalar(dy: f32, x: f32, t: f32, v: f32): f32 { return x <= t ? 0 : dy; }
}

/** dx[i] = x[i] <= threshold ? 0 : dy[i] for i < n (dx may be dy or x; value is unused). */
export function thresholdBackward(dy: usize, x: usize, dx: usize, n: usize, threshold: f32, value: f32): void {
  mapBinary<ThresholdBackward>(dy, x, dx, n, threshold, value, STREAM);
}
