// SELU: scale * (max(0, x) + min(0, alpha * (exp(x) - 1))), PyTorch's constants
//   alpha = 1.6732632423543772848170429916717, scale = 1.0507009873554804934193349852946,
// computed as PyTorch's float32 kernel does (elu with negcoef = alpha * scale, poscoef = scale):
//   x > 0 ? x * SCALE : expm1(x) * NEGCOEF
// SCALE is scale rounded to nearest float32 (relative error +3.3e-8); NEGCOEF is the product
// alpha * scale rounded to nearest float32 (relative error -1.3e-8), which is also the float32
// product of the two float32-rounded constants that PyTorch forms. Against the exact constants each
// rounded one moves the result by up to 0.56 ULP (3.3e-8 against an ULP of 6e-8 to 1.2e-7
// relative), and x * SCALE overflows to Infinity for a few x just below FLT_MAX / scale where the
// exact product still rounds to FLT_MAX (one such input over all 2^32: an Infinity mismatch). That
// is PyTorch's float32 function, so the float64 reference uses the same float32 constants, and the
// error measured is the kernel's own: over all 2^32 inputs against the exact constants, 1.959 ULP
// at x = -0.1526 and that one mismatch; against the float32 constants (the
// reference's), 1.753 ULP at x = -0.30904 and no mismatch (bound 4). Backward (dy = 1, all 2^32
// x): 3.654 ULP at x = -33.857 (bound 8).
import { mapBinary } from "../binary";
import { mapUnary } from "../unary";
import { EluLike, EluLikeBackward } from "./elu";

// @ts-ignore: decorator
@inline const SCALE: f32 = reinterpret<f32>(0x3F867D5F); // 1.05070102
// @ts-ignore: decorator
@inline const NEGCOEF: f32 = reinterpret<f32>(0x3FE10966); // 1.75809932 = alpha * scale

/** dst[i] = selu(src[i]) for i < n. */
export function selu(src: usize, dst: usize, n: usize): void {
  mapUnary<EluLike>(src, dst, n, NEGCOEF, SCALE, 4); // four per iteration: 0.58 against 0.61-0.66 ns/element with eight (A/B, 2026-11-29)
}

/** dx[i] = x[i] > 0 ? dy[i] * scale : dy[i] * alpha * scale * exp(x[i]) for i < n (dx may be dy or x). */
export function seluBackward(dy: usize, x: usize, dx: usize, n: usize): void {
  mapBinary<EluLikeBackward>(dy, x, dx, n, NEGCOEF, SCALE, 8); // eight per iteration: 0.65 against 0.71
}
