// Softsign: x / (1 + |x|), in float64 (1 + |x| and the quotient round at float64 precision), so
// the demotion to float32 is the only visible rounding: <= 0.5 ULP plus a float64 hair (measured
// max 0.5 ULP on the 1.04M-point sweep; bound 2). As PyTorch's formula: ±Infinity gives
// Infinity / Infinity = NaN, NaN stays NaN, -0 stays -0.
import { mapBinary } from "../binary";
import { mapUnary } from "../unary";

/** x / (1 + |x|) in float64 for the low two lanes. */
// @ts-ignore: decorator
@inline function softsignHalf(x: v128): v128 {
  const d = f64x2.promote_low_f32x4(x);
  return f32x4.demote_f64x2_zero(f64x2.div(d, f64x2.add(f64x2.abs(d), f64x2.splat(1))));
}

@final class Softsign {
  // @ts-ignore: decorator
  @inline vec(x: v128, p: v128, _q: v128): v128 {
    const lo = softsignHalf(x);
    const hi = softsignHalf(v128.shuffle<f32>(x, x, 2, 3, 2, 3));
    return v128.shuffle<f32>(lo, hi, 0, 1, 4, 5);
  }
  // @ts-ignore: decorator
  @inline scalar(x: f32, p: f32, _q: f32): f32 {
    const d = <f64>x;
    return <f32>(d / (Math.abs(d) + 1));
  }
}

/** dst[i] = src[i] / (1 + |src[i]|) for i < n. */
export function softsign(src: usize, dst: usize, n: usize): void {
  mapUnary<Softsign>(src, dst, n, 0, 0, false);
}

// Backward: dx = dy / (1 + |x|)^2, in float64 (the square cannot overflow: (1 + FLT_MAX)^2 ~
// 1.2e77), one demotion: <= 0.5 ULP plus a hair (measured max 0.5 ULP on the sweep; bound 8).
// x = ±Infinity gives dy / Infinity = 0 (NaN for a NaN dy); a NaN x gives NaN.
/** dy / (1 + |x|)^2 in float64 for the low two lanes. */
// @ts-ignore: decorator
@inline function softsignSlopeHalf(dy: v128, x: v128): v128 {
  const d = f64x2.add(f64x2.abs(f64x2.promote_low_f32x4(x)), f64x2.splat(1));
  return f32x4.demote_f64x2_zero(f64x2.div(f64x2.promote_low_f32x4(dy), f64x2.mul(d, d)));
}

@final class SoftsignBackward {
  // @ts-ignore: decorator
  @inline vec(dy: v128, x: v128, p: v128, _q: v128): v128 {
    const lo = softsignSlopeHalf(dy, x);
    const hi = softsignSlopeHalf(v128.shuffle<f32>(dy, dy, 2, 3, 2, 3), v128.shuffle<f32>(x, x, 2, 3, 2, 3));
    return v128.shuffle<f32>(lo, hi, 0, 1, 4, 5);
  }
  // @ts-ignore: decorator
  @inline scalar(dy: f32, x: f32, p: f32, _q: f32): f32 {
    const d = Math.abs(<f64>x) + 1;
    return <f32>(<f64>dy / (d * d));
  }
}

/** dx[i] = dy[i] / (1 + |x[i]|)^2 for i < n (dx may be dy or x). */
export function softsignBackward(dy: usize, x: usize, dx: usize, n: usize): void {
  mapBinary<SoftsignBackward>(dy, x, dx, n, 0, 0, false);
}
