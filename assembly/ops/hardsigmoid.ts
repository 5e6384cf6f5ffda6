// Hardsigmoid: x <= -3 ? 0 : x >= 3 ? 1 : x/6 + 1/2, computed as PyTorch does, (clamp(x, -3, 3) +
// 3) / 6, but in float64: the clamp is exact, c + 3 is exact for every float32 c in [-3, 3] with
// |c| >= 2^-28 (and within 2^-52 relative otherwise), the division rounds once at float64
// precision, so the one demotion to float32 is the only visible rounding: <= 0.5 ULP plus a
// float64 hair (measured max 0.5 ULP on the 1.04M-point sweep; bound 1). In float32, x/6 + 1/2
// would cancel near x = -3 (many ULP). NaN stays NaN (the clamp keeps it).
import { mapBinary } from "../binary";
import { mapUnary } from "../unary";

/** (c + 3) / 6 in float64 for the two float32 values in the low lanes of c. */
// @ts-ignore: decorator
@inline function affineHalf(c: v128): v128 {
  const d = f64x2.add(f64x2.promote_low_f32x4(c), f64x2.splat(3));
  return f32x4.demote_f64x2_zero(f64x2.div(d, f64x2.splat(6)));
}

@final class Hardsigmoid {
  // @ts-ignore: decorator
  @inline vec(x: v128, p: v128, _q: v128): v128 {
    const c = f32x4.pmin(f32x4.pmax(x, f32x4.splat(-3)), f32x4.splat(3));
    const lo = affineHalf(c);
    const hi = affineHalf(v128.shuffle<f32>(c, c, 2, 3, 2, 3));
    return v128.shuffle<f32>(lo, hi, 0, 1, 4, 5);
  }
  // @ts-ignore: decorator
  @inline scalar(x: f32, p: f32, _q: f32): f32 {
    const a: f32 = x < -3 ? -3 : x;
    const c: f32 = <f32>3 < a ? <f32>3 : a;
    return <f32>((<f64>c + 3) / 6);
  }
}

/** dst[i] = hardsigmoid(src[i]) for i < n. */
export function hardsigmoid(src: usize, dst: usize, n: usize): void {
  mapUnary<Hardsigmoid>(src, dst, n, 0, 0, 4);
}

// Backward (PyTorch's hardsigmoid_backward): dx = (-3 < x < 3) ? dy / 6 : 0. PyTorch multiplies
// by the float32 1/6 (up to ~1 ULP); the float32 division here is correctly rounded (<= 0.5 ULP,
// measured max 0.33 ULP on the sweep, dy in [-4, 4] and 1). A NaN x gives 0, as in PyTorch (both compares false).
@final class HardsigmoidBackward {
  // @ts-ignore: decorator
  @inline vec(dy: v128, x: v128, p: v128, _q: v128): v128 {
    const inside = v128.and(f32x4.gt(x, f32x4.splat(-3)), f32x4.lt(x, f32x4.splat(3)));
    return v128.and(f32x4.div(dy, f32x4.splat(6)), inside);
  }
  // @ts-ignore: decorator
  @inline scalar(dy: f32, x: f32, p: f32, _q: f32): f32 { return x > -3 && x < 3 ? dy / 6 : 0; }
}

/** dx[i] = (-3 < x[i] < 3) ? dy[i] / 6 : 0 for i < n (dx may be dy or x). */
export function hardsigmoidBackward(dy: usize, x: usize, dx: usize, n: usize): void {
  mapBinary<HardsigmoidBackward>(dy, x, dx, n, 0, 0, 4);
}
