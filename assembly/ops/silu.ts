// SiLU (swish): x * sigmoid(x) = x / (1 + exp(-x)), from e = exp(-|x|) (never overflows):
//   x >= 0: x / (1 + e)            x < 0: x e / (1 + e)
// For x in [-92.5, -87.3] exp(x) is below 2^-126 but x exp(x) is still a normal float, so the exp
// core runs with its result scaled by 2^32: s' = 2^(n + 32) (32 added to the biased exponent bits,
// valid for n >= -158; the clamp is at -110, where s' encodes as +0), B = s' r + s' = 2^32 e
// exactly (a power of two commutes with the core's roundings while nothing is subnormal).
// Then in float32, sigmoid's compensated quotient (./sigmoid.ts) times x:
//   d = 1 + e, dlo = (1 - d) + e (1 + e = d + dlo exactly; e = 2^-32 B, subnormal only where
//   d = 1 anyway), q = N / d with N = x < 0 ? B : 1 (B keeps q normal where e is not),
//   y = x (q - q dlo) (x < 0 ? 2^-32 : 1).
// Measured max 3.363 ULP at x = -1.93523 over all 2^32 inputs (wasm-simd and wasm-scalar, the
// same bits; bound 4): the exp core's 0.96 ULP of e, the quotient's and the product's roundings
// (the product's counted in ULPs of y, whose binade need not be q's), and q dlo's residue.
// The earlier kernel ran x N / (2^32 + B) in float64 lanes, rounded once: 1.725 ULP, but two
// f64x2 divisions per vector made it 1.30 against 0.97 ns/element at 64Ki (zero-copy, V8/x64,
// an A/B of the raw exports). Also tried: (|x| N) / d then the correction (x's sign last, since
// q - q dlo turns a -0 quotient into +0): 2.906 ULP at 1.13 ns; all in float32 without dlo: 4.71 ULP.
// Limits, as PyTorch's x / (1 + exp(-x)): silu(+Infinity) = +Infinity * 1, silu(-Infinity) = NaN
// (PyTorch: -inf / (1 + inf); here -inf * 0, B being 0 at the clamp), silu(-0) = -0 * 0.5,
// NaN gives NaN; large negative finite x gives x exp(x), -0 once that is far below 2^-126.
import {
  expBiased, expBiasedV, expPoly, expPolyV, expRemainder, expRemainderV,
} from "../math";
import { mapBinary } from "../binary";
import { mapUnary } from "../unary";

// @ts-ignore: decorator
@inline const SILU_CLAMP: f32 = -110.0; // n = -159: s' = 2^(n + 32) encodes as +0
// @ts-ignore: decorator
@inline const TWO_32: f32 = 4294967296.0; // 2^32

@final class Silu {
  // @ts-ignore: decorator
  @inline vec(x: v128, p: v128, _q: v128): v128 {
    const one = f32x4.splat(1);
    const z = f32x4.pmax(v128.or(x, f32x4.splat(-0.0)), f32x4.splat(SILU_CLAMP)); // -|x|, clamped
    const biased = expBiasedV(z);
    const s = i32x4.shl(i32x4.add(biased, i32x4.splat(32)), 23); // 2^(n + 32)
    const r = expPolyV(expRemainderV(z, biased));
    const b = f32x4.add(f32x4.mul(s, r), s); // B = 2^32 exp(-|x|)
    const e = f32x4.mul(b, f32x4.splat(TWO_M32)); // e itself (subnormal below x = -87.3, where d = 1)
    const d = f32x4.add(e, one);
    const dlo = f32x4.add(f32x4.sub(one, d), e); // 1 + e = d + dlo exactly
    // Sign bit set (x < 0, -0, negative NaN): B / d = 2^32 e / (1 + e), later scaled by 2^-32; else 1 / d.
    const negative = i32x4.shr_s(x, 31);
    const q = f32x4.div(v128.bitselect(b, one, negative), d);
    const y = f32x4.mul(x, f32x4.sub(q, f32x4.mul(q, dlo)));
    return f32x4.mul(y, v128.bitselect(f32x4.splat(TWO_M32), one, negative));
  }
  // @ts-ignore: decorator
  @inline scalar(x: f32, p: f32, _q: f32): f32 {
    let z = -Mathf.abs(x);
    z = z < SILU_CLAMP ? SILU_CLAMP : z;
    const biased = expBiased(z);
    const s = reinterpret<f32>((reinterpret<i32>(biased) + 32) << 23);
    const r = expPoly(expRemainder(z, biased));
    const b = s * r + s;
    const e = b * TWO_M32;
    const d = e + 1;
    const dlo = (<f32>1 - d) + e;
    const negative = reinterpret<i32>(x) < 0;
    const q = (negative ? b : <f32>1) / d;
    const y = x * (q - q * dlo);
    return y * (negative ? TWO_M32 : <f32>1);
  }
}

/**
 * dst[i] = src[i] / (1 + exp(-src[i])) for i < n. Eight v128 per iteration, as sigmoid (with the
 * float64 quotient measured 1.21-1.23 against 1.25 ns/element with four, within the noise).
 */
export function silu(src: usize, dst: usize, n: usize): void {
  mapUnary<Silu>(src, dst, n, 0, 0, 8);
}

// Backward: dx = dy * s * (1 + x * (1 - s)), s = sigmoid(x), rewritten without cancellation.
// With e = exp(-|x|):
//   x >= 0:  s (1 + x (1 - s)) = (1 + e + x e) / (1 + e)^2        (all terms positive)
//   x < 0:   s (1 + x (1 - s)) = e w / (1 + e)^2,  w = 1 + e + x
// w vanishes at x0 = -1.27846454276 (1 + x0 + exp(x0) = 0), where the float32 sum 1 + e + x would
// lose every digit. Near it, with u = x - x0 = (x - X0_HI) - X0_LO (the first difference exact
// by Sterbenz' lemma, the second rounding once; X0_HI + X0_LO is x0 to 4e-16) and
// E = exp(x0) = -(1 + x0):
//   w = 1 + x0 + u + E exp(u) = u + E expm1(u)
// two terms of the same sign, so no cancellation. In the window |u| < 0.6 the exp core runs on u / 2
// (n = 0 there: t = u / 2 exactly and r = expm1(u / 2)), which gives expm1(u) = r (r + 2) and
// e = exp(x) = E + E expm1(u); outside it, on -|x|, and w = (1 + e) + x loses at most ~1 ULP
// (|w| > 0.7 against rounding errors ~1e-7).
// e comes scaled by 2^32 (E' = 2^32 e: 32 added to the exp core's exponent bits, as in the forward
// pass), so that e w stays normal down to x = -103 where e itself is below 2^-126. Then all in
// float32: d = 1 + e, N = E' (x >= 0 ? x : w) + (x >= 0 ? 2^32 d : 0), dx = (N / d^2) 2^-32 dy.
// Error: e's (0.96 ULP), w's, d's rounding (counted twice in d^2), the product, the quotient:
// measured max 6.000 ULP at x = -0.84044 over all 2^32 x with dy = 1 (wasm-simd; scalar
// bit-identical), bound 8.
// (The previous kernel ran the tail in float64 lanes from h = exp(-|x| / 2), e = h^2 exact:
// 4.188 ULP, but 2.13 against 1.60 ns/element at 64Ki, zero-copy.)
// Limits, as PyTorch's formula: x = ±Infinity gives NaN (PyTorch: dy * 1 * (1 + inf * 0) and
// dy * 0 * (1 + -inf)), here E' * x = 0 * ±inf; large finite x gives dy, large negative x gives
// dy x exp(x) (0 once that is far below 2^-126); NaN in x or dy gives NaN.

// @ts-ignore: decorator
@inline const X0_HI: f32 = reinterpret<f32>(0xBFA3A4BA); // -1.27846456
// @ts-ignore: decorator
@inline const X0_LO: f32 = reinterpret<f32>(0x325EFB7D); // 1.29792825e-8 (x0 - X0_HI - X0_LO < 4e-16)
// @ts-ignore: decorator
@inline const E0: f32 = reinterpret<f32>(0x3E8E92E8); // 0.278464556 = exp(x0)
// @ts-ignore: decorator
@inline const WINDOW: f32 = 0.6;

// @ts-ignore: decorator
@inline const E0_2_32: f32 = reinterpret<f32>(0x3E8E92E8 + (32 << 23)); // 2^32 exp(x0)
// @ts-ignore: decorator
@inline const TWO_M32: f32 = 2.3283064365386963e-10;

@final class SiluBackward {
  // @ts-ignore: decorator
  @inline vec(dy: v128, x: v128, p: v128, _q: v128): v128 {
    const one = f32x4.splat(1);
    const u = f32x4.sub(f32x4.sub(x, f32x4.splat(X0_HI)), f32x4.splat(X0_LO));
    const inWindow = f32x4.lt(f32x4.abs(u), f32x4.splat(WINDOW));
    const z = v128.bitselect(f32x4.mul(u, f32x4.splat(0.5)), v128.or(x, f32x4.splat(-0.0)), inWindow);
    const zc = f32x4.pmax(z, f32x4.splat(SILU_CLAMP));
    const biased = expBiasedV(zc);
    const r = expPolyV(expRemainderV(zc, biased));
    const em1 = f32x4.mul(r, f32x4.add(r, f32x4.splat(2))); // expm1(u) in the window
    const scale = v128.bitselect(f32x4.splat(E0_2_32), i32x4.shl(i32x4.add(biased, i32x4.splat(32)), 23), inWindow);
    const big = f32x4.add(f32x4.mul(scale, v128.bitselect(em1, r, inWindow)), scale); // 2^32 exp(-|x|)
    const d = f32x4.add(f32x4.mul(big, f32x4.splat(TWO_M32)), one);
    const w = v128.bitselect(f32x4.add(u, f32x4.mul(f32x4.splat(E0), em1)), f32x4.add(d, x), inWindow);
    const negative = f32x4.lt(x, f32x4.splat(0));
    // x < 0 adds -0, not +0: a product big w of -0 (x below -104, where big is 0) keeps its sign.
    const num = f32x4.add(f32x4.mul(big, v128.bitselect(w, x, negative)), v128.bitselect(f32x4.splat(-0.0), f32x4.mul(d, f32x4.splat(TWO_32)), negative));
    const slope = f32x4.mul(f32x4.div(num, f32x4.mul(d, d)), f32x4.splat(TWO_M32));
    return f32x4.mul(slope, dy);
  }
  // @ts-ignore: decorator
  @inline scalar(dy: f32, x: f32, p: f32, _q: f32): f32 {
    const u = (x - X0_HI) - X0_LO;
    const inWindow = Mathf.abs(u) < WINDOW;
    const z = inWindow ? u * <f32>0.5 : -Mathf.abs(x);
    const zc = z < SILU_CLAMP ? SILU_CLAMP : z;
    const biased = expBiased(zc);
    const r = expPoly(expRemainder(zc, biased));
    const em1 = r * (r + 2);
    const scale = inWindow ? E0_2_32 : reinterpret<f32>((reinterpret<i32>(biased) + 32) << 23);
    const big = scale * (inWindow ? em1 : r) + scale;
    const d = big * TWO_M32 + 1;
    const w = inWindow ? u + E0 * em1 : d + x;
    const negative = x < 0;
    const num = big * (negative ? w : x) + (negative ? <f32>-0.0 : d * TWO_32);
    return num / (d * d) * TWO_M32 * dy;
  }
}

/** dx[i] = dy[i] * s * (1 + x[i] * (1 - s)), s = sigmoid(x[i]), for i < n (dx may be dy or x). */
export function siluBackward(dy: usize, x: usize, dx: usize, n: usize): void {
  mapBinary<SiluBackward>(dy, x, dx, n, 0, 0, 8); // eight per iteration: 1.55 against 1.65 ns/element
}
