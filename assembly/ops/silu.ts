// SiLU (swish): x * sigmoid(x) = x / (1 + exp(-x)), from e = exp(-|x|) (never overflows):
//   x >= 0: x / (1 + e)            x < 0: x e / (1 + e)
// For x in [-92.5, -87.3] exp(x) is below 2^-126 but x exp(x) is still a normal float, so the exp
// core runs with its result scaled by 2^32: s' = 2^(n + 32) (the magic bias carries 32 more in
// the exponent bits, MAGIC_BIAS_32 below; valid for n >= -158; the clamp is at -110, where s'
// encodes as +0), B = s' r + s' = 2^32 e
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
  expPolyEstrin, expPolyEstrinV, MAGIC_BIAS,
} from "../math";
import { mapBinary } from "../binary";
import { mapUnary } from "../unary";

// @ts-ignore: decorator
@inline const SILU_CLAMP: f32 = -110.0; // n = -159: s' = 2^(n + 32) encodes as +0
// @ts-ignore: decorator
@inline const TWO_32: f32 = 4294967296.0; // 2^32
// @ts-ignore: decorator
@inline const MAGIC_BIAS_32: f32 = MAGIC_BIAS + 32; // bits << 23 = 2^(n + 32) (exact: MAGIC_BIAS is an integer)

@final class Silu {
  // @ts-ignore: decorator
  @inline vec(x: v128, p: v128, _q: v128): v128 {
    const one = f32x4.splat(1);
    const z = f32x4.pmax(v128.or(x, f32x4.splat(-0.0)), f32x4.splat(SILU_CLAMP)); // -|x|, clamped
    const biased = expBiasedV(z, MAGIC_BIAS_32);
    const s = i32x4.shl(biased, 23); // 2^(n + 32)
    const r = expPolyV(expRemainderV(z, biased, MAGIC_BIAS_32));
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
    const biased = expBiased(z, MAGIC_BIAS_32);
    const s = reinterpret<f32>(reinterpret<i32>(biased) << 23);
    const r = expPoly(expRemainder(z, biased, MAGIC_BIAS_32));
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
//   x >= 0:  s (1 + x (1 - s)) = (1 + e + x e) / (1 + e)^2 = ((1 + x) e + 1) / (1 + e)^2
//   x < 0:   s (1 + x (1 - s)) = e w / (1 + e)^2,  w = (1 + x) + e
// (every term positive for x >= 0). w vanishes at x0 = -1.27846454276 (1 + x0 + exp(x0) = 0),
// where the float32 sum would lose every digit. Near it, with u = x - x0 = (x - X0_HI) - X0_LO
// (the first difference exact by Sterbenz' lemma, the second rounding once; X0_HI + X0_LO is x0
// to 4e-16) and E = exp(x0) = -(1 + x0):
//   w = 1 + x0 + u + E exp(u) = u + E expm1(u)
// two terms of the same sign, so no cancellation. In the window |u| < 0.34 (tested as
// u^2 < 0.1156) the exp core runs on u itself: |u log2(e)| < 0.4906 rounds to n = 0, so t = u
// exactly and r = expm1(u), and e = exp(x) = E + E r. Outside it, on -|x|, and w = (1 + x) + e:
// 1 + x is exact for x in [-2, -0.5] (and rounds harmlessly elsewhere, where |w| > 0.86), so w
// carries e's error and one rounding, against |w| > 0.42 at the window's edges.
// e comes scaled by 2^32 (E' = 2^32 e: the magic bias carries 32 more in the exponent bits, as
// in the forward pass), so that e w stays normal down to x = -103 where e itself is below
// 2^-126. Then all in float32: d' = E' + 2^32 = 2^32 (1 + e) rounded once, D = d' (d' 2^-32) =
// 2^32 (1 + e)^2 (at most 2^34), N = E' (x < 0 ? w : 1 + x) - (x < 0 ? +0 : -2^32) and
// dx = (N / D) dy. Error: e's (0.96 ULP), w's, d's rounding (counted twice in D), D's, the
// product, the sum, the quotient: measured max 5.731 ULP at x = -6.56666 over all 2^32 x with
// dy = 1 (wasm-simd and wasm-scalar, the same bits), bound 8.
// The exp core's polynomial in Estrin's order (../math.ts expPolyEstrinV): this loop is bound by
// its latency more than by its operation count (1.27 -> 1.19 ns/element).
// Speed, at 64Ki, zero-copy (V8/x64, AMD EPYC, A/B rounds of the raw export): 1.17 ns/element,
// against 1.45-1.88 for the previous form, which took eleven more operations per vector (window
// |u| < 0.6 with the exp core on u / 2 and expm1(u) = r (r + 2); w = (1 + e) + x; 2^32 (1 + e)
// added for x >= 0, and -0 or it chosen by bitselect; 6.000 ULP) and ran eight v128 per
// iteration. Four per iteration here: with eight, V8 spills the 20 constants and the
// temporaries (401 stack moves in the loop), 1.61-1.67; with two, 1.35-1.39.
// (Before that, the tail ran in float64 lanes from h = exp(-|x| / 2), e = h^2 exact:
// 4.188 ULP, but 2.13 against 1.60 ns/element at 64Ki, zero-copy.)
// Limits, as PyTorch's formula: x = ±Infinity gives NaN (PyTorch: dy * 1 * (1 + inf * 0) and
// dy * 0 * (1 + -inf)), here E' * (1 + x) = 0 * ±inf; large finite x gives dy, large negative x
// gives dy x exp(x) (-0 once that is far below 2^-126: E' (x + 1) is -0 and adding -0 keeps it);
// NaN in x or dy gives NaN.

// @ts-ignore: decorator
@inline const X0_HI: f32 = reinterpret<f32>(0xBFA3A4BA); // -1.27846456
// @ts-ignore: decorator
@inline const X0_LO: f32 = reinterpret<f32>(0x325EFB7D); // 1.29792825e-8 (x0 - X0_HI - X0_LO < 4e-16)
// @ts-ignore: decorator
@inline const E0: f32 = reinterpret<f32>(0x3E8E92E8); // 0.278464556 = exp(x0)
// @ts-ignore: decorator
@inline const WINDOW_SQUARED: f32 = 0.1156; // u^2 < 0.1156: |u| < 0.34, |u log2(e)| < 0.4906, so n = 0 and t = u
// @ts-ignore: decorator
@inline const E0_2_32: f32 = reinterpret<f32>(0x3E8E92E8 + (32 << 23)); // 2^32 exp(x0)
// @ts-ignore: decorator
@inline const TWO_M32: f32 = 2.3283064365386963e-10; // 2^-32

@final class SiluBackward {
  // @ts-ignore: decorator
  @inline vec(dy: v128, x: v128, p: v128, _q: v128): v128 {
    const u = f32x4.sub(f32x4.sub(x, f32x4.splat(X0_HI)), f32x4.splat(X0_LO));
    const inWindow = f32x4.lt(f32x4.mul(u, u), f32x4.splat(WINDOW_SQUARED));
    // u in the window, else -|x| clamped where 2^(n + 32) encodes as +0 (the clamp runs beside
    // the window test, off the critical path).
    const z = v128.bitselect(u, f32x4.pmax(v128.or(x, f32x4.splat(-0.0)), f32x4.splat(SILU_CLAMP)), inWindow);
    const biased = expBiasedV(z, MAGIC_BIAS_32);
    const r = expPolyEstrinV(expRemainderV(z, biased, MAGIC_BIAS_32)); // expm1(u) in the window
    const scale = v128.bitselect(f32x4.splat(E0_2_32), i32x4.shl(biased, 23), inWindow);
    const big = f32x4.add(f32x4.mul(scale, r), scale); // E' = 2^32 exp(-|x|)
    const d32 = f32x4.add(big, f32x4.splat(TWO_32)); // 2^32 (1 + e)
    const negative = i32x4.shr_s(x, 31); // sign bit set: x < 0, -0 (whose two forms agree) or a negative NaN
    const xp1 = f32x4.add(x, f32x4.splat(1));
    const e = v128.and(f32x4.mul(big, f32x4.splat(TWO_M32)), negative); // x < 0 ? e : +0
    const w = v128.bitselect(f32x4.add(u, f32x4.mul(f32x4.splat(E0), r)), f32x4.add(xp1, e), inWindow);
    // Minus (x < 0 ? +0 : -2^32): a product E' w of -0 (x below -104, where E' is 0) keeps its sign.
    const num = f32x4.sub(f32x4.mul(big, w), v128.andnot(f32x4.splat(-TWO_32), negative));
    return f32x4.mul(f32x4.div(num, f32x4.mul(d32, f32x4.mul(d32, f32x4.splat(TWO_M32)))), dy);
  }
  // @ts-ignore: decorator
  @inline scalar(dy: f32, x: f32, p: f32, _q: f32): f32 {
    const u = (x - X0_HI) - X0_LO;
    const inWindow = u * u < WINDOW_SQUARED;
    const nabs = -Mathf.abs(x);
    const z = inWindow ? u : nabs < SILU_CLAMP ? SILU_CLAMP : nabs;
    const biased = expBiased(z, MAGIC_BIAS_32);
    const r = expPolyEstrin(expRemainder(z, biased, MAGIC_BIAS_32));
    const scale = inWindow ? E0_2_32 : reinterpret<f32>(reinterpret<i32>(biased) << 23);
    const big = scale * r + scale;
    const d32 = big + TWO_32;
    const negative = reinterpret<i32>(x) < 0;
    const xp1 = x + 1;
    const e = negative ? big * TWO_M32 : <f32>0;
    const w = inWindow ? u + E0 * r : xp1 + e;
    const num = big * w - (negative ? <f32>0 : -TWO_32);
    return num / (d32 * (d32 * TWO_M32)) * dy;
  }
}

/** dx[i] = dy[i] * s * (1 + x[i] * (1 - s)), s = sigmoid(x[i]), for i < n (dx may be dy or x). */
export function siluBackward(dy: usize, x: usize, dx: usize, n: usize): void {
  mapBinary<SiluBackward>(dy, x, dx, n, 0, 0, 4);
}
