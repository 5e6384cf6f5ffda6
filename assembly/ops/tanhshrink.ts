// Tanhshrink: x - tanh(x), odd, so computed on u = |x| and given the sign of x back (NaN stays NaN;
// -0 gives -0, the sign of the odd function's limit, where PyTorch's x - tanh(x) gives +0).
//   u < 1    x - tanh x = u^3 Q(u^2): the difference cancels here (at u = 0.5, tanh u is 92% of u),
//            so it is never formed: Q of degree 7 fitted by us (scripts/fit-gelu.py
//            tanhshrink-rounded: Lawson iterations = minimax of the relative error of
//            (u - tanh u) / u^3 on [0, 1], Q0 = 1/3 exactly, each float32-rounded coefficient
//            fixed before the next is refitted: 5.8e-9 with the float32 coefficients; rounding
//            them all at once had cost 7e-8, 1.2 ULP). Q's terms shrink geometrically (w <= 1). Tiny u: u^3 underflows and the
//            result is 0 or a subnormal below 2^-126 (allowed).
//   u >= 1   tanh u = 1 - q with q = 2e / (1 + e), e = exp(-2u) from the shared exp core, so
//            u - tanh u = (u - 1) + q: u - 1 is exact (Sterbenz for u in [1, 2], exact or a
//            harmless rounding beyond), and q <= 0.24 is at most the whole result (at u = 1), so
//            its error is never amplified. u = Infinity: (Inf - 1) + 0 = Infinity.
// Measured max error over all 2^32 float32 inputs (accuracy tool, wasm-simd; simd and scalar
// bit-identical): 2.951 ULP at x = 0.18034 (bound 4).
import { expNeg, expNegV } from "../math";
import { mapBinary } from "../binary";
import { mapUnary } from "../unary";
import { Tanh } from "./tanh";

// Q(w) = 1/3 + Q1 w + ... + Q7 w^7, w = u^2; 1/3 = Q0_HI + Q0_LO, because float32(1/3) alone is 3e-8
// (half an ULP) off, an error the rest of Q cannot absorb near u = 0.
// @ts-ignore: decorator
@inline const Q0_HI: f32 = reinterpret<f32>(0x3EAAAAAB); // 0.333333343
// @ts-ignore: decorator
@inline const Q0_LO: f32 = reinterpret<f32>(0xB22AAAAB); // -9.93410776e-9
// @ts-ignore: decorator
@inline const Q1: f32 = reinterpret<f32>(0xBE08887E); // -0.133333176
// @ts-ignore: decorator
@inline const Q2: f32 = reinterpret<f32>(0x3D5D098C); // 0.0539641827
// @ts-ignore: decorator
@inline const Q3: f32 = reinterpret<f32>(0xBCB2DB9B); // -0.0218332317
// @ts-ignore: decorator
@inline const Q4: f32 = reinterpret<f32>(0x3C0EA746); // 0.00870687328
// @ts-ignore: decorator
@inline const Q5: f32 = reinterpret<f32>(0xBB52EF92); // -0.00321862521
// @ts-ignore: decorator
@inline const Q6: f32 = reinterpret<f32>(0x3A7427BE); // 0.000931378338
// @ts-ignore: decorator
@inline const Q7: f32 = reinterpret<f32>(0xB917EE16); // -0.000144891761

@final class Tanhshrink {
  // @ts-ignore: decorator
  @inline vec(x: v128, p: v128, _q: v128): v128 {
    const sign = v128.and(x, f32x4.splat(-0.0));
    const u = f32x4.abs(x);
    const one = f32x4.splat(1);
    // Small branch: u^3 Q(u^2).
    const w = f32x4.mul(u, u);
    let q = f32x4.add(f32x4.mul(f32x4.splat(Q7), w), f32x4.splat(Q6));
    q = f32x4.add(f32x4.mul(q, w), f32x4.splat(Q5));
    q = f32x4.add(f32x4.mul(q, w), f32x4.splat(Q4));
    q = f32x4.add(f32x4.mul(q, w), f32x4.splat(Q3));
    q = f32x4.add(f32x4.mul(q, w), f32x4.splat(Q2));
    q = f32x4.add(f32x4.mul(q, w), f32x4.splat(Q1));
    q = f32x4.add(f32x4.mul(q, w), f32x4.splat(Q0_LO));
    const u3 = f32x4.mul(u, w);
    const small = f32x4.add(f32x4.mul(u3, f32x4.splat(Q0_HI)), f32x4.mul(u3, q));
    // Large branch: (u - 1) + 2e / (1 + e), e = exp(-2u).
    const e = expNegV(f32x4.mul(u, f32x4.splat(-2)));
    const large = f32x4.add(f32x4.sub(u, one), f32x4.div(f32x4.add(e, e), f32x4.add(e, one)));
    const y = v128.bitselect(large, small, f32x4.ge(u, one));
    return v128.or(y, sign);
  }
  // @ts-ignore: decorator
  @inline scalar(x: f32, p: f32, _q: f32): f32 {
    const u = Mathf.abs(x);
    let y: f32;
    if (u >= 1) {
      const e = expNeg(u * -2);
      y = (u - 1) + (e + e) / (e + 1);
    } else {
      const w = u * u;
      let q = Q7 * w + Q6;
      q = q * w + Q5;
      q = q * w + Q4;
      q = q * w + Q3;
      q = q * w + Q2;
      q = q * w + Q1;
      q = q * w + Q0_LO;
      const u3 = u * w;
      y = u3 * Q0_HI + u3 * q;
    }
    return copysign<f32>(y, x);
  }
}

/** dst[i] = src[i] - tanh(src[i]) for i < n. */
export function tanhshrink(src: usize, dst: usize, n: usize): void {
  mapUnary<Tanhshrink>(src, dst, n, 0, 0);
}

// Backward: dx = dy * tanh(x)^2 with tanh from the tanh kernel's op (assembly/ops/tanh.ts, <= 2
// ULP): the square doubles its relative error, the two multiplies add a rounding each, so <= 5
// ULP by construction (bound 8); measured 4.593 ULP at x = 0.86506 over all 2^32 x with dy = 1
// (3.924 with tanh's earlier large branch 1 - 2e / (1 + e)). No cancellation anywhere: tanh^2 is
// not formed as 1 - sech^2.
// x = ±Infinity: tanh = ±1 and dx = dy; NaN in x or dy gives NaN.
@final class TanhshrinkBackward {
  // @ts-ignore: decorator
  @inline vec(dy: v128, x: v128, p: v128, _q: v128): v128 {
    const t = changetype<Tanh>(0).vec(x, p, _q);
    return f32x4.mul(dy, f32x4.mul(t, t));
  }
  // @ts-ignore: decorator
  @inline scalar(dy: f32, x: f32, p: f32, _q: f32): f32 {
    const t = changetype<Tanh>(0).scalar(x, p, _q);
    return dy * (t * t);
  }
}

/** dx[i] = dy[i] * tanh(x[i])^2 for i < n (dx may be dy or x). */
export function tanhshrinkBackward(dy: usize, x: usize, dx: usize, n: usize): void {
  mapBinary<TanhshrinkBackward>(dy, x, dx, n, 0, 0);
}
