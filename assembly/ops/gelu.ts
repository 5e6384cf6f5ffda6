// GELU, x Φ(x) (Φ the standard normal CDF), and PyTorch's tanh approximation of it. One export per
// direction takes the choice as its float param p (0 = 'none', 1 = 'tanh', the index in the
// definition's `choices`) and branches once, outside the loop, into one of two mapUnary/mapBinary
// loops, each monomorphised for its op (no branch or call inside either loop).
//
// approximate = 'none'. With u = |x| and T = Φ(-u) the lower tail, gelu(x) = -u T for x < 0 and
// u - u T for x >= 0, so 1 + erf(x/√2), which cancels for x < 0, is never formed:
//   u T = e^(-u²/2) · w(u),  w(u) = u M(u) / √(2π)  (M the Mills ratio Φ(-u) / φ(u)).
//   e^(-u²/2)   u² exactly as h + lo (u split into two 12-bit halves, as Dekker's), then the shared
//               exp core's steps on z = -h/2 with -lo/2 added to its reduced argument: at u = 13,
//               rounding u² would cost 84 · 2^-24 of relative error, 40 ULP.
//   w(u)        = A / (K A + Pc(u)) with A = u Qc(u), K = float32(√(2π)): Pc / Qc fits
//               √(2π) / M(u) - K u on [0, 13.25] (rational of degree 4 over 4, fitted by us:
//               scripts/fit-gelu.py, Loeb + Lawson iterations, Pc(0) = 2 exactly, 1.5e-8 in the
//               relative error it leaves in w). Qc's rounding appears in both A and the
//               denominator, so it cancels except for the share Pc has of the denominator, which
//               falls from 1 at u = 0 to 0.1 at u = 3.
//   u T         = s (w + w r) with the exp core's s = 2^n and r = e^t - 1: the exp's last rounding
//               is merged into this one.
//   |x| < 0.5   gelu(x) = x (1/2 + x R(x²)) instead, R of degree 3 fitted by us (scripts/fit-gelu.py
//               gelu-small: minimax relative of erf(x/√2) / (2x), 8.6e-9): fewer roundings where
//               the tail form's error is not scaled down (at x = 0.03 it measured 3.7 ULP), and
//               1/2 + x R cancels at most by 1/2 / Φ(-1/2) = 1.6.
// Beyond u = 13.25, u T < 2^-126 (gelu(x) is then -0 for x < 0, x for x > 0); u is clamped there,
// which keeps every step finite: gelu(-Infinity) = -0 (the limit; PyTorch's formula gives
// -Infinity · 0 = NaN, pytorch/pytorch#185770), gelu(+Infinity) = +Infinity, NaN stays NaN,
// gelu(-0) = -0.
//
// approximate = 'tanh'. 0.5 x (1 + tanh(a)) = x σ(2a) with a = √(2/π) (x + 0.044715 x³): σ has no
// cancellation for x < 0. 2a is computed in float64 (exact x², constants in float64) and split
// into float32 hi + lo, lo again added to the exp core's reduced argument: at x = -9, 2a = -70,
// and its float32 rounding alone would cost 70 · 2^-24 of relative error in e^(2a). With
// e = e^(-|2a|): x σ(2a) = x / (1 + e) for x >= 0 and x e / (1 + e) for x < 0. x is clamped to
// ±12 for the exp (where e = 0 already), so ±Infinity give +Infinity and -0. e comes scaled by 2^16
// (exp16Split below): x e is a normal float down to x = -10.1, where e itself is subnormal.
//
// Measured max errors (accuracy tool, wasm-simd; simd and scalar bit-identical): over all 2^32
// float32 inputs 'none' 3.418 ULP (at x = -1.31534; 3.469 with the forward's Pc and Qc in
// Horner's order), 'tanh' 3.404 ULP (at x = -2.97789), bound 4; backward (dy = 1, stratified
// sample of 256M inputs) 'none' 4.56 ULP (at x = -0.02119), 'tanh' 3.12 ULP (at x = -1.2372),
// bound 8.
import {
  expBiased, expBiasedV, expPoly, expPolyV, expRemainder, expRemainderV, expTwoPow, expTwoPowV,
  LOG2E, MINUS_LN2_HI, MINUS_LN2_LO,
} from "../math";
import { mapBinary } from "../binary";
import { mapUnary } from "../unary";

// @ts-ignore: decorator
@inline const U_MAX: f32 = 13.25; // u T < 2^-126 beyond
// @ts-ignore: decorator
@inline const K: f32 = reinterpret<f32>(0x40206C99); // 2.50662827 = float32(√(2π))
// Pc(u) = P0 + P1 u + ... + P4 u^4, Qc(u) = 1 + C1 u + ... + C4 u^4.
// @ts-ignore: decorator
@inline const P0: f32 = 2.0;
// @ts-ignore: decorator
@inline const P1: f32 = reinterpret<f32>(0x3F6831B3); // 0.907008350
// @ts-ignore: decorator
@inline const P2: f32 = reinterpret<f32>(0x3E67E6BB); // 0.226466104
// @ts-ignore: decorator
@inline const P3: f32 = reinterpret<f32>(0x3CC11587); // 0.0235698354
// @ts-ignore: decorator
@inline const P4: f32 = reinterpret<f32>(0x363D720D); // 2.82295800e-6
// @ts-ignore: decorator
@inline const Q1: f32 = reinterpret<f32>(0x3F68AFD7); // 0.908933103
// @ts-ignore: decorator
@inline const Q2: f32 = reinterpret<f32>(0x3EC7F99A); // 0.390576184
// @ts-ignore: decorator
@inline const Q3: f32 = reinterpret<f32>(0x3DB726B6); // 0.0894293040
// @ts-ignore: decorator
@inline const Q4: f32 = reinterpret<f32>(0x3C1ADD31); // 0.00945215020
// R(w) = R0 + R1 w + R2 w^2 + R3 w^3, w = x², for |x| < SMALL.
// @ts-ignore: decorator
@inline const SMALL: f32 = 0.5;
// @ts-ignore: decorator
@inline const R0: f32 = reinterpret<f32>(0x3ECC422A); // 0.398942292
// @ts-ignore: decorator
@inline const R1: f32 = reinterpret<f32>(0xBD882BE1); // -0.0664899424
// @ts-ignore: decorator
@inline const R2: f32 = reinterpret<f32>(0x3C23438F); // 0.00996483769
// @ts-ignore: decorator
@inline const R3: f32 = reinterpret<f32>(0xBA944284); // -0.00113113271
// 2a = x (A1 + A3 x²) in float64: A1 = 2 √(2/π), A3 = 2 √(2/π) · 0.044715.
// @ts-ignore: decorator
@inline const A1: f64 = 1.5957691216057308;
// @ts-ignore: decorator
@inline const A3: f64 = 0.07135481627260025;
// @ts-ignore: decorator
@inline const X_MAX: f32 = 12; // e^(-|2a|) = 0 beyond (|2a| > 142)

// ---- shared steps: vector form and its scalar twin, the same float32 operations in the same order.

/**
 * The low part of u²: u² = h + lo (h = fl(u²)) as in Dekker's product, with u split into uh = u's
 * top 12 significant bits (a mask, where Veltkamp's split takes three operations) and ul = u - uh
 * (exact, at most 12 bits): uh² is exact and uh² - h is exact (Sterbenz), so lo is the error of h
 * up to the rounding of ul (uh + u), far below what the exp needs (2^-24 of lo).
 */
// @ts-ignore: decorator
@inline function squareLoV(u: v128, h: v128): v128 {
  const uh = v128.and(u, i32x4.splat(0xFFFFF000));
  const ul = f32x4.sub(u, uh);
  return f32x4.add(f32x4.sub(f32x4.mul(uh, uh), h), f32x4.mul(ul, f32x4.add(uh, u)));
}
// @ts-ignore: decorator
@inline function squareLo(u: f32, h: f32): f32 {
  const uh = reinterpret<f32>(reinterpret<u32>(u) & 0xFFFFF000);
  const ul = u - uh;
  return (uh * uh - h) + ul * (uh + u);
}

// @ts-ignore: decorator
@inline function pcV(u: v128): v128 {
  let p = f32x4.add(f32x4.mul(f32x4.splat(P4), u), f32x4.splat(P3));
  p = f32x4.add(f32x4.mul(p, u), f32x4.splat(P2));
  p = f32x4.add(f32x4.mul(p, u), f32x4.splat(P1));
  return f32x4.add(f32x4.mul(p, u), f32x4.splat(P0));
}
// @ts-ignore: decorator
@inline function pc(u: f32): f32 {
  let p = P4 * u + P3;
  p = p * u + P2;
  p = p * u + P1;
  return p * u + P0;
}
// Estrin's order, from h = u² (which the forward has): (P0 + P1 u) + h ((P2 + P3 u) + h P4). The
// same eight operations as Horner's, four deep instead of eight: the forward ('none') 1.565
// against 1.623 ns/element at 64Ki (raw export, V8/x64, A/B); the backward pass keeps Horner's
// (2.02-2.06 against 1.99-2.02 with Estrin's).
// @ts-ignore: decorator
@inline function pcEV(u: v128, h: v128): v128 {
  const lo = f32x4.add(f32x4.mul(f32x4.splat(P1), u), f32x4.splat(P0));
  const hi = f32x4.add(f32x4.mul(f32x4.splat(P3), u), f32x4.splat(P2));
  return f32x4.add(f32x4.mul(h, f32x4.add(f32x4.mul(h, f32x4.splat(P4)), hi)), lo);
}
// @ts-ignore: decorator
@inline function pcE(u: f32, h: f32): f32 {
  return h * (h * P4 + (P3 * u + P2)) + (P1 * u + P0);
}
// @ts-ignore: decorator
@inline function qcEV(u: v128, h: v128): v128 {
  const lo = f32x4.add(f32x4.mul(f32x4.splat(Q1), u), f32x4.splat(1));
  const hi = f32x4.add(f32x4.mul(f32x4.splat(Q3), u), f32x4.splat(Q2));
  return f32x4.add(f32x4.mul(h, f32x4.add(f32x4.mul(h, f32x4.splat(Q4)), hi)), lo);
}
// @ts-ignore: decorator
@inline function qcE(u: f32, h: f32): f32 {
  return h * (h * Q4 + (Q3 * u + Q2)) + (Q1 * u + 1);
}
// @ts-ignore: decorator
@inline function qcV(u: v128): v128 {
  let q = f32x4.add(f32x4.mul(f32x4.splat(Q4), u), f32x4.splat(Q3));
  q = f32x4.add(f32x4.mul(q, u), f32x4.splat(Q2));
  q = f32x4.add(f32x4.mul(q, u), f32x4.splat(Q1));
  return f32x4.add(f32x4.mul(q, u), f32x4.splat(1));
}
// @ts-ignore: decorator
@inline function qc(u: f32): f32 {
  let q = Q4 * u + Q3;
  q = q * u + Q2;
  q = q * u + Q1;
  return q * u + 1;
}

/** -|2a| of the tanh form in float64 for the two float32 values in the low lanes of x. */
// @ts-ignore: decorator
@inline function twoArgHalf(x: v128): v128 {
  const xd = f64x2.promote_low_f32x4(x);
  const a = f64x2.mul(xd, f64x2.add(f64x2.mul(f64x2.splat(A3), f64x2.mul(xd, xd)), f64x2.splat(A1)));
  return f64x2.neg(f64x2.abs(a));
}
/** float32 hi of a float64 pair (low lanes), and lo = float32(a - hi). */
// @ts-ignore: decorator
@inline function hiOf(a: v128): v128 { return f32x4.demote_f64x2_zero(a); }
// @ts-ignore: decorator
@inline function loOf(a: v128): v128 {
  return f32x4.demote_f64x2_zero(f64x2.sub(a, f64x2.promote_low_f32x4(f32x4.demote_f64x2_zero(a))));
}
// @ts-ignore: decorator
@inline function twoArg(x: f32): f64 {
  const xd = <f64>x;
  return -Math.abs(xd * (A3 * (xd * xd) + A1));
}

// The exp core with its bias raised by 16: the magic-bias sum's low bits hold n + 143, so
// `bits << 23` is 2^(n+16) (and +0 at n = -143), and the result is 2^16 e^z, a normal float down
// to z = -99, where e^z itself is subnormal from -87.3. The callers need e^z times a factor up to
// ~40 (|x| for the forward, the slope and dy for the backward) as a normal float there; they undo
// the 2^16 at the end, where the result rounds once (to a subnormal only when the exact value is one).
// @ts-ignore: decorator
@inline const MAGIC_BIAS16: f32 = reinterpret<f32>(0x4B40008F); // 12583055.0 = 1.5 * 2^23 + 127 + 16
// @ts-ignore: decorator
@inline const TWO_M16: f32 = 1.52587890625e-5; // 2^-16
// @ts-ignore: decorator
@inline const CLAMP16: f32 = -99; // n = -143: s encodes as +0

/** 2^16 e^(hi + lo) for hi <= 0 (clamped at -99, where the result is 0), lo tiny (vector). */
// @ts-ignore: decorator
@inline function exp16SplitV(hi: v128, lo: v128): v128 {
  const z = f32x4.pmax(hi, f32x4.splat(CLAMP16));
  const biased = f32x4.add(f32x4.mul(z, f32x4.splat(LOG2E)), f32x4.splat(MAGIC_BIAS16));
  const s = i32x4.shl(biased, 23); // 2^(n + 16)
  const n = f32x4.sub(biased, f32x4.splat(MAGIC_BIAS16));
  let t = f32x4.add(f32x4.mul(n, f32x4.splat(MINUS_LN2_HI)), z);
  t = f32x4.add(f32x4.mul(n, f32x4.splat(MINUS_LN2_LO)), t);
  const r = expPolyV(f32x4.add(t, lo));
  return f32x4.add(f32x4.mul(r, s), s);
}
/** Scalar twin of {@link exp16SplitV}. */
// @ts-ignore: decorator
@inline function exp16Split(hi: f32, lo: f32): f32 {
  const z = hi < CLAMP16 ? CLAMP16 : hi;
  const biased = z * LOG2E + MAGIC_BIAS16;
  const s = reinterpret<f32>(reinterpret<i32>(biased) << 23);
  const n = biased - MAGIC_BIAS16;
  let t = n * MINUS_LN2_HI + z;
  t = n * MINUS_LN2_LO + t;
  const r = expPoly(t + lo);
  return r * s + s;
}

// ---- forward

@final class GeluErf {
  // @ts-ignore: decorator
  @inline vec(x: v128, p: v128, _q: v128): v128 {
    const u = f32x4.pmin(f32x4.abs(x), f32x4.splat(U_MAX)); // NaN stays NaN
    const h = f32x4.mul(u, u);
    const lo = squareLoV(u, h);
    const z = f32x4.mul(h, f32x4.splat(-0.5));
    const biased = expBiasedV(z);
    const s = expTwoPowV(biased);
    const r = expPolyV(f32x4.add(expRemainderV(z, biased), f32x4.mul(lo, f32x4.splat(-0.5))));
    const a = f32x4.mul(u, qcEV(u, h));
    const w = f32x4.div(a, f32x4.add(f32x4.mul(f32x4.splat(K), a), pcEV(u, h)));
    const v = f32x4.mul(f32x4.add(f32x4.mul(w, r), w), s); // u Φ(-u)
    const tail = v128.bitselect(f32x4.neg(v), f32x4.sub(x, v), f32x4.lt(x, f32x4.splat(0)));
    const x2 = f32x4.mul(x, x);
    let rr = f32x4.add(f32x4.mul(f32x4.splat(R3), x2), f32x4.splat(R2));
    rr = f32x4.add(f32x4.mul(rr, x2), f32x4.splat(R1));
    rr = f32x4.add(f32x4.mul(rr, x2), f32x4.splat(R0));
    const small = f32x4.mul(x, f32x4.add(f32x4.mul(x, rr), f32x4.splat(0.5)));
    return v128.bitselect(small, tail, f32x4.lt(f32x4.abs(x), f32x4.splat(SMALL)));
  }
  // @ts-ignore: decorator
  @inline scalar(x: f32, p: f32, _q: f32): f32 {
    const ax = Mathf.abs(x);
    if (ax < SMALL) {
      const x2 = x * x;
      let rr = R3 * x2 + R2;
      rr = rr * x2 + R1;
      rr = rr * x2 + R0;
      return x * (x * rr + 0.5);
    }
    const u = U_MAX < ax ? U_MAX : ax;
    const h = u * u;
    const lo = squareLo(u, h);
    const z = h * <f32>-0.5;
    const biased = expBiased(z);
    const s = expTwoPow(biased);
    const r = expPoly(expRemainder(z, biased) + lo * <f32>-0.5);
    const a = u * qcE(u, h);
    const w = a / (K * a + pcE(u, h));
    const v = (w * r + w) * s;
    return x < 0 ? -v : x - v;
  }
}

@final class GeluTanh {
  // @ts-ignore: decorator
  @inline vec(x: v128, p: v128, _q: v128): v128 {
    const xc = f32x4.pmax(f32x4.pmin(x, f32x4.splat(X_MAX)), f32x4.splat(-X_MAX));
    const a0 = twoArgHalf(xc);
    const a1 = twoArgHalf(v128.shuffle<f32>(xc, xc, 2, 3, 2, 3));
    const hi = v128.shuffle<f32>(hiOf(a0), hiOf(a1), 0, 1, 4, 5);
    const lo = v128.shuffle<f32>(loOf(a0), loOf(a1), 0, 1, 4, 5);
    const e16 = exp16SplitV(hi, lo); // 2^16 e^(-|2a|)
    const e = f32x4.mul(e16, f32x4.splat(TWO_M16));
    const neg = f32x4.lt(x, f32x4.splat(0));
    const num = v128.bitselect(f32x4.mul(xc, e16), x, neg);
    const scale = v128.bitselect(f32x4.splat(TWO_M16), f32x4.splat(1), neg);
    return f32x4.mul(f32x4.div(num, f32x4.add(e, f32x4.splat(1))), scale);
  }
  // @ts-ignore: decorator
  @inline scalar(x: f32, p: f32, _q: f32): f32 {
    const xc = Mathf.max(Mathf.min(x, X_MAX), -X_MAX); // NaN stays NaN
    const a = twoArg(xc);
    const hi = <f32>a;
    const lo = <f32>(a - <f64>hi);
    const e16 = exp16Split(hi, lo);
    const e = e16 * TWO_M16;
    return x < 0 ? (xc * e16) / (e + 1) * TWO_M16 : x / (e + 1);
  }
}

/** dst[i] = gelu(src[i]) for i < n: p = 0 the erf form ('none'), p = 1 the tanh form. */
export function gelu(src: usize, dst: usize, n: usize, p: f32): void {
  if (p == 1) mapUnary<GeluTanh>(src, dst, n, p, 0);
  else mapUnary<GeluErf>(src, dst, n, p, 0, 2); // two v128 per iteration: four spill (1.72 against 2.23 ns/element)
}

// ---- backward
//
// 'none': gelu'(x) = Φ(x) + x φ(x). With u = |x|, E = e^(-u²/2) and k(u) = u / √(2π) - g(u),
// g = Φ(-u) / E = Qc / (K A + Pc) (the forward's fit, without its factor u):
//   x >= 0: 1 + E k(u)        x < 0: -E k(u)
// Neither cancels except -E k near its zero x0 = -0.75179 (where u / √(2π) = g): on
// [-1.3, -0.25] gelu'(x) = d H(d) instead, with d = (x - X0_HI) - X0_LO (x - X0_HI exact by
// Sterbenz) and H of degree 9 fitted by us (scripts/fit-gelu.py: minimax relative, 6.5e-10), so the
// result keeps its relative accuracy however close a float32 x lies to x0. E comes from the exp
// core with its bias raised by 16 (s = 2^(n+16), undone at the end, after dy): E itself is subnormal
// from u = 13.2 while dy E k, about dy u / √(2π) times larger, may still be a normal float. u is
// clamped at 14.1, where the exp gives 0: gelu'(-Infinity) = -0, gelu'(+Infinity) = 1.
//
// 'tanh': with e = e^(-|2a|) and a' = √(2/π)(1 + 3 · 0.044715 x²) (2a' = A1 + 3 A3 x²), the
// derivative of x σ(2a) is σ + 2x a' σ(1 - σ), in float64 after the exp core:
//   x >= 0: (1 + e + x e 2a') / (1 + e)²     x < 0: e (1 + e + x 2a') / (1 + e)²
// and the same zero treatment on [-1.3, -0.25] around its zero x1 = -0.75246.

// @ts-ignore: decorator
@inline const U_MAX_B: f32 = 14.1; // z = -99.4, clamped to -99 by the exp: 0
// @ts-ignore: decorator
@inline const IK: f32 = reinterpret<f32>(0x3ECC422A); // 0.398942292 = float32(1 / √(2π))
// @ts-ignore: decorator
@inline const ZERO_LO: f32 = -1.3;
// @ts-ignore: decorator
@inline const ZERO_HI: f32 = -0.25;
// 'none': x0 = X0_HI + X0_LO, H(d) = H0 + H1 d + ... + H9 d^9.
// @ts-ignore: decorator
@inline const X0_HI: f32 = reinterpret<f32>(0xBF407569); // -0.751791537
// @ts-ignore: decorator
@inline const X0_LO: f32 = reinterpret<f32>(0x32501FEA); // 1.21144499e-8
// @ts-ignore: decorator
@inline const H0: f32 = reinterpret<f32>(0x3EDCECC8); // 0.431494
// @ts-ignore: decorator
@inline const H1: f32 = reinterpret<f32>(0x3EC6CD4A); // 0.388284981
// @ts-ignore: decorator
@inline const H2: f32 = reinterpret<f32>(0xBC95178E); // -0.0181997079
// @ts-ignore: decorator
@inline const H3: f32 = reinterpret<f32>(0xBDE97D07); // -0.114008
// @ts-ignore: decorator
@inline const H4: f32 = reinterpret<f32>(0xBC71FFF2); // -0.0147704952
// @ts-ignore: decorator
@inline const H5: f32 = reinterpret<f32>(0x3C9F1305); // 0.0194182489
// @ts-ignore: decorator
@inline const H6: f32 = reinterpret<f32>(0x3B945DA4); // 0.00452776440
// @ts-ignore: decorator
@inline const H7: f32 = reinterpret<f32>(0xBB11845C); // -0.00222041365
// @ts-ignore: decorator
@inline const H8: f32 = reinterpret<f32>(0xBA357FDE); // -0.000692365598
// @ts-ignore: decorator
@inline const H9: f32 = reinterpret<f32>(0x391B5373); // 0.000148130390
// 'tanh': x1 = X1_HI + X1_LO, J(d) = J0 + ... + J9 d^9.
// @ts-ignore: decorator
@inline const X1_HI: f32 = reinterpret<f32>(0xBF40A150); // -0.752461433
// @ts-ignore: decorator
@inline const X1_LO: f32 = reinterpret<f32>(0x3242D036); // 1.13396279e-8
// @ts-ignore: decorator
@inline const J0: f32 = reinterpret<f32>(0x3EDC5D67); // 0.430400103
// @ts-ignore: decorator
@inline const J1: f32 = reinterpret<f32>(0x3EC668D1); // 0.387518436
// @ts-ignore: decorator
@inline const J2: f32 = reinterpret<f32>(0xBC814B23); // -0.0157828983
// @ts-ignore: decorator
@inline const J3: f32 = reinterpret<f32>(0xBDE95B8A); // -0.113944128
// @ts-ignore: decorator
@inline const J4: f32 = reinterpret<f32>(0xBC88223C); // -0.0166178867
// @ts-ignore: decorator
@inline const J5: f32 = reinterpret<f32>(0x3CA1319C); // 0.0196769759
// @ts-ignore: decorator
@inline const J6: f32 = reinterpret<f32>(0x3BABDD58); // 0.00524489209
// @ts-ignore: decorator
@inline const J7: f32 = reinterpret<f32>(0xBB1CC22F); // -0.00239194534
// @ts-ignore: decorator
@inline const J8: f32 = reinterpret<f32>(0xBA5F98D7); // -0.000852955
// @ts-ignore: decorator
@inline const J9: f32 = reinterpret<f32>(0x394E2F2D); // 0.000196632650

/** d H(d), d = (x - hi) - lo: the derivative near its zero hi + lo (vector); H's coefficients by variant. */
// @ts-ignore: decorator
@inline function nearZeroV(x: v128, tanhForm: bool): v128 {
  const d = f32x4.sub(f32x4.sub(x, f32x4.splat(tanhForm ? X1_HI : X0_HI)), f32x4.splat(tanhForm ? X1_LO : X0_LO));
  let h = f32x4.add(f32x4.mul(f32x4.splat(tanhForm ? J9 : H9), d), f32x4.splat(tanhForm ? J8 : H8));
  h = f32x4.add(f32x4.mul(h, d), f32x4.splat(tanhForm ? J7 : H7));
  h = f32x4.add(f32x4.mul(h, d), f32x4.splat(tanhForm ? J6 : H6));
  h = f32x4.add(f32x4.mul(h, d), f32x4.splat(tanhForm ? J5 : H5));
  h = f32x4.add(f32x4.mul(h, d), f32x4.splat(tanhForm ? J4 : H4));
  h = f32x4.add(f32x4.mul(h, d), f32x4.splat(tanhForm ? J3 : H3));
  h = f32x4.add(f32x4.mul(h, d), f32x4.splat(tanhForm ? J2 : H2));
  h = f32x4.add(f32x4.mul(h, d), f32x4.splat(tanhForm ? J1 : H1));
  h = f32x4.add(f32x4.mul(h, d), f32x4.splat(tanhForm ? J0 : H0));
  return f32x4.mul(d, h);
}
// @ts-ignore: decorator
@inline function nearZero(x: f32, tanhForm: bool): f32 {
  const d = (x - (tanhForm ? X1_HI : X0_HI)) - (tanhForm ? X1_LO : X0_LO);
  let h = (tanhForm ? J9 : H9) * d + (tanhForm ? J8 : H8);
  h = h * d + (tanhForm ? J7 : H7);
  h = h * d + (tanhForm ? J6 : H6);
  h = h * d + (tanhForm ? J5 : H5);
  h = h * d + (tanhForm ? J4 : H4);
  h = h * d + (tanhForm ? J3 : H3);
  h = h * d + (tanhForm ? J2 : H2);
  h = h * d + (tanhForm ? J1 : H1);
  h = h * d + (tanhForm ? J0 : H0);
  return d * h;
}
/** Lanes of x in the zero interval [ZERO_LO, ZERO_HI] (false for NaN). */
// @ts-ignore: decorator
@inline function inZeroV(x: v128): v128 {
  return v128.and(f32x4.ge(x, f32x4.splat(ZERO_LO)), f32x4.le(x, f32x4.splat(ZERO_HI)));
}

@final class GeluErfBackward {
  // @ts-ignore: decorator
  @inline vec(dy: v128, x: v128, p: v128, _q: v128): v128 {
    const u = f32x4.pmin(f32x4.abs(x), f32x4.splat(U_MAX_B));
    const h = f32x4.mul(u, u);
    const lo = squareLoV(u, h);
    const e16 = exp16SplitV(f32x4.mul(h, f32x4.splat(-0.5)), f32x4.mul(lo, f32x4.splat(-0.5))); // 2^16 e^(-u²/2)
    const qq = qcV(u);
    const g = f32x4.div(qq, f32x4.add(f32x4.mul(f32x4.splat(K), f32x4.mul(u, qq)), pcV(u)));
    const k = f32x4.sub(f32x4.mul(u, f32x4.splat(IK)), g);
    const ek16 = f32x4.mul(e16, k);
    // x < 0: -(dy 2^-16) (2^16 E k), which stays a normal float while dy E k is one.
    const neg = f32x4.mul(f32x4.mul(dy, f32x4.splat(-TWO_M16)), ek16);
    const pos = f32x4.mul(dy, f32x4.add(f32x4.mul(ek16, f32x4.splat(TWO_M16)), f32x4.splat(1)));
    const far = v128.bitselect(neg, pos, f32x4.lt(x, f32x4.splat(0)));
    return v128.bitselect(f32x4.mul(dy, nearZeroV(x, false)), far, inZeroV(x));
  }
  // @ts-ignore: decorator
  @inline scalar(dy: f32, x: f32, p: f32, _q: f32): f32 {
    if (x >= ZERO_LO && x <= ZERO_HI) {
      return dy * nearZero(x, false);
    } else {
      const ax = Mathf.abs(x);
      const u = U_MAX_B < ax ? U_MAX_B : ax;
      const h = u * u;
      const lo = squareLo(u, h);
      const e16 = exp16Split(h * <f32>-0.5, lo * <f32>-0.5);
      const qq = qc(u);
      const g = qq / (K * (u * qq) + pc(u));
      const k = u * IK - g;
      const ek16 = e16 * k;
      return x < 0 ? dy * -TWO_M16 * ek16 : dy * (ek16 * TWO_M16 + 1);
    }
  }
}

/** The tanh form's derivative away from its zero, float64 for the two low lanes of xc and e. */
// @ts-ignore: decorator
@inline function tanhSlopeHalf(dy: v128, xc: v128, e: v128): v128 {
  const xd = f64x2.promote_low_f32x4(xc);
  const ed = f64x2.mul(f64x2.promote_low_f32x4(e), f64x2.splat(1.0 / 65536)); // e16 / 2^16, exact
  const da = f64x2.add(f64x2.mul(f64x2.splat(3 * A3), f64x2.mul(xd, xd)), f64x2.splat(A1)); // 2a'
  const p1 = f64x2.add(ed, f64x2.splat(1));
  const pos = f64x2.add(p1, f64x2.mul(f64x2.mul(xd, ed), da));
  const negv = f64x2.mul(ed, f64x2.add(p1, f64x2.mul(xd, da)));
  const num = v128.bitselect(negv, pos, f64x2.lt(xd, f64x2.splat(0)));
  return f32x4.demote_f64x2_zero(f64x2.mul(f64x2.promote_low_f32x4(dy), f64x2.div(num, f64x2.mul(p1, p1))));
}

@final class GeluTanhBackward {
  // @ts-ignore: decorator
  @inline vec(dy: v128, x: v128, p: v128, _q: v128): v128 {
    const xc = f32x4.pmax(f32x4.pmin(x, f32x4.splat(X_MAX)), f32x4.splat(-X_MAX));
    const xc23 = v128.shuffle<f32>(xc, xc, 2, 3, 2, 3);
    const a0 = twoArgHalf(xc);
    const a1 = twoArgHalf(xc23);
    const hi = v128.shuffle<f32>(hiOf(a0), hiOf(a1), 0, 1, 4, 5);
    const lo = v128.shuffle<f32>(loOf(a0), loOf(a1), 0, 1, 4, 5);
    const e = exp16SplitV(hi, lo); // 2^16 e^(-|2a|)
    const f0 = tanhSlopeHalf(dy, xc, e);
    const f1 = tanhSlopeHalf(v128.shuffle<f32>(dy, dy, 2, 3, 2, 3), xc23, v128.shuffle<f32>(e, e, 2, 3, 2, 3));
    const far = v128.shuffle<f32>(f0, f1, 0, 1, 4, 5); // dy f', float64 inside
    return v128.bitselect(f32x4.mul(dy, nearZeroV(x, true)), far, inZeroV(x));
  }
  // @ts-ignore: decorator
  @inline scalar(dy: f32, x: f32, p: f32, _q: f32): f32 {
    if (x >= ZERO_LO && x <= ZERO_HI) {
      return dy * nearZero(x, true);
    } else {
      const xc = Mathf.max(Mathf.min(x, X_MAX), -X_MAX);
      const a = twoArg(xc);
      const hi = <f32>a;
      const lo = <f32>(a - <f64>hi);
      const e16 = exp16Split(hi, lo);
      const xd = <f64>xc;
      const ed = <f64>e16 * (1.0 / 65536);
      const da = (3 * A3) * (xd * xd) + A1;
      const p1 = ed + 1;
      const num = xd < 0 ? ed * (p1 + xd * da) : p1 + (xd * ed) * da;
      return <f32>(<f64>dy * (num / (p1 * p1)));
    }
  }
}

/** dx[i] = dy[i] * gelu'(x[i]) for i < n (dx may be dy or x): p = 0 'none', p = 1 'tanh'. */
export function geluBackward(dy: usize, x: usize, dx: usize, n: usize, p: f32): void {
  if (p == 1) mapBinary<GeluTanhBackward>(dy, x, dx, n, p, 0);
  else mapBinary<GeluErfBackward>(dy, x, dx, n, p, 0, 2); // two v128 per iteration: four spill (2.13 against 2.88)
}
