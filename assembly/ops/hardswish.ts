// Hardswish: x <= -3 ? 0 : x >= 3 ? x : x (x + 3) / 6. The middle piece runs in float64: x + 3 is
// exact for |x| >= 2^-28 (else within 2^-52 relative), the product and the division round at
// float64 precision, so the demotion to float32 is the only visible rounding: <= 0.5 ULP plus a
// float64 hair (measured max 0.5 ULP on the 1.04M-point sweep; bound 2). The outer pieces are
// exact selects. NaN stays NaN (both compares false, and the product of NaN is NaN); -0 gives -0.
import { mapBinary } from "../binary";
import { mapUnary } from "../unary";

/** x (x + 3) / 6 in float64 for the two float32 values in the low lanes of x. */
// @ts-ignore: decorator
@inline function swishHalf(x: v128): v128 {
  const d = f64x2.promote_low_f32x4(x);
  return f32x4.demote_f64x2_zero(f64x2.div(f64x2.mul(d, f64x2.add(d, f64x2.splat(3))), f64x2.splat(6)));
}

@final class Hardswish {
  // @ts-ignore: decorator
  @inline vec(x: v128, p: v128, _q: v128): v128 {
    const lo = swishHalf(x);
    const hi = swishHalf(v128.shuffle<f32>(x, x, 2, 3, 2, 3));
    const mid = v128.shuffle<f32>(lo, hi, 0, 1, 4, 5);
    const y = v128.andnot(mid, f32x4.le(x, f32x4.splat(-3)));
    return v128.bitselect(x, y, f32x4.ge(x, f32x4.splat(3)));
  }
  // @ts-ignore: decorator
  @inline scalar(x: f32, p: f32, _q: f32): f32 {
    if (x <= -3) return 0;
    if (x >= 3) return x;
    const d = <f64>x;
    return <f32>((d * (d + 3)) / 6);
  }
}

/** dst[i] = hardswish(src[i]) for i < n. */
export function hardswish(src: usize, dst: usize, n: usize): void {
  mapUnary<Hardswish>(src, dst, n, 0, 0, false);
}

// Backward (PyTorch's hardswish_backward): dx = x < -3 ? 0 : x <= 3 ? dy (2x + 3) / 6 : dy. The
// middle piece in float64 (2x + 3 nearly exact, one product and one division at float64
// precision, then one demotion): <= 0.5 ULP plus a hair (measured max 0.5 ULP on the sweep;
// bound 8). A NaN x passes dy through (both compares false), as in PyTorch.
/** dy (2x + 3) / 6 in float64 for the low two lanes. */
// @ts-ignore: decorator
@inline function swishSlopeHalf(dy: v128, x: v128): v128 {
  const d = f64x2.promote_low_f32x4(x);
  const s = f64x2.add(f64x2.add(d, d), f64x2.splat(3));
  return f32x4.demote_f64x2_zero(f64x2.div(f64x2.mul(f64x2.promote_low_f32x4(dy), s), f64x2.splat(6)));
}

@final class HardswishBackward {
  // @ts-ignore: decorator
  @inline vec(dy: v128, x: v128, p: v128, _q: v128): v128 {
    const lo = swishSlopeHalf(dy, x);
    const hi = swishSlopeHalf(v128.shuffle<f32>(dy, dy, 2, 3, 2, 3), v128.shuffle<f32>(x, x, 2, 3, 2, 3));
    const mid = v128.shuffle<f32>(lo, hi, 0, 1, 4, 5);
    const y = v128.bitselect(mid, dy, f32x4.le(x, f32x4.splat(3)));
    return v128.andnot(y, f32x4.lt(x, f32x4.splat(-3)));
  }
  // @ts-ignore: decorator
  @inline scalar(dy: f32, x: f32, p: f32, _q: f32): f32 {
    if (x < -3) return 0;
    if (x <= 3) {
      const d = <f64>x;
      return <f32>((<f64>dy * (d + d + 3)) / 6);
    }
    return dy;
  }
}

/** dx[i] = hardswish'(x[i]) dy[i] for i < n (dx may be dy or x). */
export function hardswishBackward(dy: usize, x: usize, dx: usize, n: usize): void {
  mapBinary<HardswishBackward>(dy, x, dx, n, 0, 0, false);
}
