// Hardshrink (PyTorch's hardshrink): (-lambd <= x <= lambd) ? 0 : x. Exact (the result is x or
// +0; measured 0 ULP on the 1.04M-point sweep). NaN stays NaN (both compares false).
import { mapBinary } from "../binary";
import { mapUnary, STREAM } from "../unary";

@final class Hardshrink {
  // @ts-ignore: decorator
  @inline vec(x: v128, l: v128, _q: v128): v128 {
    return v128.andnot(x, v128.and(f32x4.ge(x, f32x4.neg(l)), f32x4.le(x, l)));
  }
  // @ts-ignore: decorator
  @inline scalar(x: f32, l: f32, _q: f32): f32 { return x >= -l && x <= l ? 0 : x; }
}

/** dst[i] = hardshrink(src[i], lambd) for i < n (lambd >= 0, checked on the TS side). */
export function hardshrink(src: usize, dst: usize, n: usize, lambd: f32): void {
  mapUnary<Hardshrink>(src, dst, n, lambd, 0, STREAM);
}

// Backward (PyTorch's shrink backward, as softshrink's): dx = (-lambd <= x <= lambd) ? 0 : dy.
// Exact (measured 0 ULP). A NaN x passes dy through.
@final class HardshrinkBackward {
  // @ts-ignore: decorator
  @inline vec(dy: v128, x: v128, l: v128, _q: v128): v128 {
    return v128.andnot(dy, v128.and(f32x4.ge(x, f32x4.neg(l)), f32x4.le(x, l)));
  }
  // @ts-ignore: decorator
  @inline scalar(dy: f32, x: f32, l: f32, _q: f32): f32 { return x >= -l && x <= l ? 0 : dy; }
}

/** dx[i] = (-lambd <= x[i] <= lambd) ? 0 : dy[i] for i < n (dx may be dy or x). */
export function hardshrinkBackward(dy: usize, x: usize, dx: usize, n: usize, lambd: f32): void {
  mapBinary<HardshrinkBackward>(dy, x, dx, n, lambd, 0, STREAM);
}
