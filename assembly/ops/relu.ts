// ReLU: max(0, x), exact. NaN propagates and -0 stays -0 (x < 0 is false for both), the same
// in the v128 form: f32x4.pmax(x, 0) is `x < 0 ? 0 : x`, which V8 lowers to a single maxps
// (about twice as fast as the NaN-canonicalising f32x4.max); with x as the first operand a NaN
// lane keeps its NaN.
import { mapBinary } from "../binary";
import { mapUnary, STREAM } from "../unary";

@final class Relu {
  // @ts-ignore: decorator
  @inline vec(x: v128, p: v128, _q: v128): v128 { return f32x4.pmax(x, f32x4.splat(0)); }
  // @ts-ignore: decorator
  @inline scalar(x: f32, p: f32, _q: f32): f32 { return x < 0 ? 0 : x; }
}

/** dst[i] = max(0, src[i]) for i < n; src and dst are byte addresses of float32 arrays. */
export function relu(src: usize, dst: usize, n: usize): void {
  mapUnary<Relu>(src, dst, n, 0, 0, STREAM);
}

// Backward (PyTorch's threshold_backward): dx = x <= 0 ? 0 : dy. Exact (a select; measured 0 ULP
// on the 1.04M-point sweep). NaN x passes
// dy through (NaN <= 0 is false); x = ±0 gives 0; x <= 0 gives 0 even for a NaN or infinite dy.
@final class ReluBackward {
  // @ts-ignore: decorator
  @inline vec(dy: v128, x: v128, p: v128, _q: v128): v128 { return v128.andnot(dy, f32x4.le(x, f32x4.splat(0))); }
  // @ts-ignore: decorator
  @inline scalar(dy: f32, x: f32, p: f32, _q: f32): f32 { return x <= 0 ? 0 : dy; }
}

/** dx[i] = x[i] <= 0 ? 0 : dy[i] for i < n (byte addresses; dx may be dy or x). */
export function reluBackward(dy: usize, x: usize, dx: usize, n: usize): void {
  mapBinary<ReluBackward>(dy, x, dx, n, 0, 0, STREAM);
}
