// Hardswish: x <= -3 ? 0 : x >= 3 ? x : x (x + 3) / 6. The middle piece runs in float64: x + 3 is
// exact for |x| >= 2^-28 (else within 2^-52 relative), the product and the division round at
// float64 precision, so the demotion to float32 is the only visible rounding: <= 0.5 ULP plus a
// float64 hair (measured max 0.5 ULP on the 1.04M-point sweep; bound 2). The outer pieces are
// exact selects. NaN stays NaN (both compares false, and the product of NaN is NaN); -0 gives -0.
// Below -3 the result is -0, as PyTorch's x * min(max(x + 3, 0), 6) / 6 = x * 0 / 6 with x < 0
// (also at x = -3, where x + 3 = +0, and at -Infinity, where the formula's -Infinity * 0 would be
// NaN: -0 is the limit there).
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
    const y = v128.bitselect(f32x4.splat(-0.0), mid, f32x4.le(x, f32x4.splat(-3)));
    return v128.bitselect(x, y, f32x4.ge(x, f32x4.splat(3)));
  }
  // @ts-ignore: decorator
  @inline scalar(x: f32, p: f32, _q: f32): f32 {
    if (x <= -3) return -0.0;
    if (x >= 3) return x;
    const d = <f64>x;
    return <f32>((d * (d + 3)) / 6);
  }
}

/** dst[i] = hardswish(src[i]) for i < n. */
export function hardswish(src: usize, dst: usize, n: usize): void {
  mapUnary<Hardswish>(src, dst, n, 0, 0, 4);
}

// Backward (PyTorch's hardswish_backward since 2.7, PR #148049): dx = x <= -3 ? 0 : x < 3 ?
// dy (2x + 3) / 6 : dy (at the kinks the outer pieces' slopes, 0 and 1; before 2.7 PyTorch took
// the middle piece's there, -dy/2 at -3 and 3dy/2 at 3), in
// float32 (four lanes per v128; the float64 lanes ran at ~10x a naive JS loop at 64Ki, this one
// measured 20x): 2x is exact, and 2x + 3 is exact where it cancels (Sterbenz for 2x in [-6, -1.5]), else
// one rounding; then (2x + 3) times 1/6 rounded to float32 (2^-26 relative off), and that slope
// (below 1.5) times dy, so that nothing overflows where the exact dx does not (dy (2x + 3) first
// made hardswishBackward(1e38, 1) Infinity for 8.3e37; found by an audit):
// at most four half-ULP roundings, measured max error 1.333 ULP over all 2^32 x with dy = 1 (at
// x = 2.5000007; bound 8). A NaN x passes dy through (both compares false), as in PyTorch's scalar
// loop; x <= -3 gives +0 whatever dy is (PyTorch's zero), -Infinity too.
// @ts-ignore: decorator
@inline const SIXTH: f32 = reinterpret<f32>(0x3E2AAAAB); // 1/6 rounded to float32

@final class HardswishBackward {
  // @ts-ignore: decorator
  @inline vec(dy: v128, x: v128, p: v128, _q: v128): v128 {
    const s = f32x4.add(f32x4.add(x, x), f32x4.splat(3));
    const mid = f32x4.mul(dy, f32x4.mul(s, f32x4.splat(SIXTH)));
    const y = v128.bitselect(mid, dy, f32x4.lt(x, f32x4.splat(3)));
    return v128.andnot(y, f32x4.le(x, f32x4.splat(-3)));
  }
  // @ts-ignore: decorator
  @inline scalar(dy: f32, x: f32, p: f32, _q: f32): f32 {
    if (x <= -3) return 0;
    if (x < 3) return dy * ((x + x + 3) * SIXTH);
    return dy;
  }
}

/** dx[i] = hardswish'(x[i]) dy[i] for i < n (dx may be dy or x). */
export function hardswishBackward(dy: usize, x: usize, dx: usize, n: usize): void {
  mapBinary<HardswishBackward>(dy, x, dx, n, 0, 0, 4);
}
