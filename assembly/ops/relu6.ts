// ReLU6: min(max(x, 0), 6) = hardtanh(x, 0, 6), exact (the result is x, 0 or 6; measured 0 ULP
// on the 1.04M-point sweep). NaN stays NaN and -0 stays -0 (pmax/pmin keep the first operand
// when the compare is false).
import { mapBinary } from "../binary";
import { mapUnary, STREAM } from "../unary";

@final class Relu6 {
  // @ts-ignore: decorator
  @inline vec(x: v128, p: v128, _q: v128): v128 { return f32x4.pmin(f32x4.pmax(x, f32x4.splat(0)), f32x4.splat(6)); }
  // @ts-ignore: decorator
  @inline scalar(x: f32, p: f32, _q: f32): f32 {
    const y: f32 = x < 0 ? 0 : x;
    return <f32>6 < y ? <f32>6 : y;
  }
}

/** dst[i] = min(max(src[i], 0), 6) for i < n. */
export function relu6(src: usize, dst: usize, n: usize): void {
  mapUnary<Relu6>(src, dst, n, 0, 0, STREAM);
}

// Backward (hardtanh_backward with 0, 6): dx = (x <= 0 || x >= 6) ? 0 : dy. Exact (measured 0
// ULP). A NaN x passes dy through.
@final class Relu6Backward {
  // @ts-ignore: decorator
  @inline vec(dy: v128, x: v128, p: v128, _q: v128): v128 {
    return v128.andnot(dy, v128.or(f32x4.le(x, f32x4.splat(0)), f32x4.ge(x, f32x4.splat(6))));
  }
  // @ts-ignore: decorator
  @inline scalar(dy: f32, x: f32, p: f32, _q: f32): f32 { return x <= 0 || x >= 6 ? 0 : dy; }
}

/** dx[i] = (x[i] <= 0 || x[i] >= 6) ? 0 : dy[i] for i < n (dx may be dy or x). */
export function relu6Backward(dy: usize, x: usize, dx: usize, n: usize): void {
  mapBinary<Relu6Backward>(dy, x, dx, n, 0, 0, STREAM);
}
