// log1p(u) in float32 for u in [0, 1] (also +0, 1 and NaN): the log of the softplus family, whose
// argument is always u = exp(-|y|). A vector and a scalar twin with the same float32 operations in
// the same order, so the `simd` and `scalar` builds agree bit for bit. After fdlibm's logf
// (FreeBSD e_logf.c), specialised to this range:
//
//   range reduction  u <= 1/2: log1p(u) = log(1 + f) with f = u (k = 0).
//                    u >  1/2: log1p(u) = ln2 + log(1 + f) with f = (u - 1) / 2 (k = 1): u - 1 is
//                    exact (Sterbenz, 1/2 < u <= 1) and so is the halving. So f in (-1/4, 1/2] is
//                    always exact, and the branch is a select of the input, not a second path.
//   polynomial       log(1 + f) = 2 atanh(s), s = f / (2 + f) in [-1/7, 1/5], evaluated as
//                    f - (f^2/2 - s (f^2/2 + R(s^2))), R(z) = z (LG1 + LG2 z + LG3 z^2 + LG4 z^3)
//                    ~ 2z/3 + 2z^2/5 + ...: the exact f leads and every rounded term is at most
//                    about a quarter of the result (s itself, with its two roundings, only enters
//                    that correction). R fitted by us (scripts/fit-log1p.mjs: Lawson iterations =
//                    minimax of |dR| on z in [0, 1/25]): |dR| <= 1.9e-10 with float32 coefficients,
//                    0.002 ULP of the result.
//   reconstruction   k ln2 in two parts (LN2_HI has 16 significant bits, so k * LN2_HI is exact and
//                    the hi part is added last, as in fdlibm).
// Measured max error: 0.914 ULP at u = 0.49604 over all 2^30 float32 u in [0, 1] (float64
// Math.log1p as reference; scripts/check-log1p.mjs runs the kernel's own operations, Math.fround
// after each).
// Tiny u: f^2/2 underflows and log1p(u) = u exactly, subnormals included.

// @ts-ignore: decorator
@inline const LN2_HI: f32 = reinterpret<f32>(0x3F317180); // 0.693138123
// @ts-ignore: decorator
@inline const LN2_LO: f32 = reinterpret<f32>(0x3717F7D1); // 9.05800061e-6
// R(z) = z (LG1 + LG2 z + LG3 z^2 + LG4 z^3), from scripts/fit-log1p.mjs.
// @ts-ignore: decorator
@inline const LG1: f32 = reinterpret<f32>(0x3F2AAAAA); // 0.666666627
// @ts-ignore: decorator
@inline const LG2: f32 = reinterpret<f32>(0x3ECCCDEE); // 0.400008619
// @ts-ignore: decorator
@inline const LG3: f32 = reinterpret<f32>(0x3E91F4DE); // 0.285071313
// @ts-ignore: decorator
@inline const LG4: f32 = reinterpret<f32>(0x3E76C4C8); // 0.240985036

/** log1p(u) for u in [0, 1] and NaN (vector); see the top of this file. */
// @ts-ignore: decorator
@inline export function log1pUnitV(u: v128): v128 {
  const half = f32x4.splat(0.5);
  const big = f32x4.gt(u, half); // k = 1 lanes
  const f = v128.bitselect(f32x4.mul(f32x4.sub(u, f32x4.splat(1)), half), u, big);
  const s = f32x4.div(f, f32x4.add(f, f32x4.splat(2)));
  const z = f32x4.mul(s, s);
  const w = f32x4.mul(z, z);
  const t1 = f32x4.mul(w, f32x4.add(f32x4.mul(w, f32x4.splat(LG4)), f32x4.splat(LG2)));
  const t2 = f32x4.mul(z, f32x4.add(f32x4.mul(w, f32x4.splat(LG3)), f32x4.splat(LG1)));
  const r = f32x4.add(t2, t1);
  const hfsq = f32x4.mul(f32x4.mul(f, f), half);
  const lo = v128.and(big, f32x4.splat(LN2_LO));
  const hi = v128.and(big, f32x4.splat(LN2_HI));
  const c = f32x4.sub(hfsq, f32x4.add(f32x4.mul(s, f32x4.add(hfsq, r)), lo));
  return f32x4.sub(hi, f32x4.sub(c, f));
}

/** Scalar twin of {@link log1pUnitV}. */
// @ts-ignore: decorator
@inline export function log1pUnit(u: f32): f32 {
  const big = u > <f32>0.5;
  const f = big ? (u - 1) * <f32>0.5 : u;
  const s = f / (f + 2);
  const z = s * s;
  const w = z * z;
  const t1 = w * (w * LG4 + LG2);
  const t2 = z * (w * LG3 + LG1);
  const r = t2 + t1;
  const hfsq = f * f * <f32>0.5;
  const lo: f32 = big ? LN2_LO : 0;
  const hi: f32 = big ? LN2_HI : 0;
  const c = hfsq - (s * (hfsq + r) + lo);
  return hi - (c - f);
}
