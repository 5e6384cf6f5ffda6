// Softshrink (PyTorch's softshrink): x > lambd ? x - lambd : x < -lambd ? x + lambd : x * 0. One
// float32 addition or subtraction of the float32 lambd: <= 0.5 ULP (measured max 0.5 ULP on the
// 1.04M-point sweep, every tested lambd; bound 1). Inside the band the result is x * 0 as in
// PyTorch: a zero with the sign of x, and NaN for a NaN x.
import { mapBinary } from "../binary";
import { mapUnary, STREAM } from "../unary";

@final class Softshrink {
  // @ts-ignore: decorator
  @inline vec(x: v128, l: v128, _q: v128): v128 {
    const nl = f32x4.neg(l);
    const below = v128.bitselect(f32x4.add(x, l), f32x4.mul(x, f32x4.splat(0)), f32x4.lt(x, nl));
    return v128.bitselect(f32x4.sub(x, l), below, f32x4.gt(x, l));
  }
  // @ts-ignore: decorator
  @inline scalar(x: f32, l: f32, _q: f32): f32 { return x > l ? x - l : x < -l ? x + l : x * 0; }
}

/** dst[i] = softshrink(src[i], lambd) for i < n (lambd >= 0, checked on the TS side). */
export function softshrink(src: usize, dst: usize, n: usize, lambd: f32): void {
  mapUnary<Softshrink>(src, dst, n, lambd, 0, STREAM);
}

// Backward (PyTorch's shrink backward): dx = (-lambd <= x <= lambd) ? 0 : dy. Exact (measured 0
// ULP). A NaN x passes dy through (both compares false).
@final class ShrinkBackward {
  // @ts-ignore: decorator
  @inline vec(dy: v128, x: v128, l: v128, _q: v128): v128 {
    return v128.andnot(dy, v128.and(f32x4.ge(x, f32x4.neg(l)), f32x4.le(x, l)));
  }
  // @ts-ignore: decorator
  @inline scalar(dy: f32, x: f32, l: f32, _q: f32): f32 { return x >= -l && x <= l ? 0 : dy; }
}

/** dx[i] = (-lambd <= x[i] <= lambd) ? 0 : dy[i] for i < n (dx may be dy or x). */
export function softshrinkBackward(dy: usize, x: usize, dx: usize, n: usize, lambd: f32): void {
  mapBinary<ShrinkBackward>(dy, x, dx, n, lambd, 0, STREAM);
}
