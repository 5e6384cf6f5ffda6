// log1p(t) in float64 for t >= 0 (and NaN): log-softmax's log(sum) = log1p(sum - 1). A vector
// (f64x2) and a scalar twin with the same float64 operations in the same order, so the row loop,
// the strided columns and the short rows across the lanes (./softmax_lanes.ts) agree bit for bit.
// The lanes had called Math.log1p once per lane, four scalar calls per group of four rows: at two
// entries per row that was 60% of log-softmax's time (7.2 ns/element against 2.9 without it).
// After fdlibm's log1p (FreeBSD s_log1p.c; musl's log1p.c), for t >= 0 only:
//
//   argument    u = 1 + t rounded; its rounding error t - (u - 1) is exact (u - 1 is exact for
//               1 <= u < 2^53, and the error of a sum is a float64), and
//               log1p(t) = log(u) + log1p(err / u) = log(u) + c + O(c^2), c = err / u, |c| <= 2^-53.
//               fdlibm takes f = t itself when u < sqrt2 (k = 0); here every t goes through u,
//               and c restores what 1 + t rounded away: for t below 2^-53, u = 1 and the
//               result is c = t exactly.
//   reduction   u = 2^k (1 + f), 1 + f in [sqrt2/2, sqrt2), from the high word of u as fdlibm
//               (adding 0x3ff00000 - 0x3fe6a09e moves the exponent step to sqrt2); 1 + f is
//               exact and so is f = (1 + f) - 1 (Sterbenz).
//   polynomial  log(1 + f) = 2 atanh(s), s = f / (2 + f), |s| <= 0.1716:
//               f - (hfsq - s (hfsq + R(s^2))), hfsq = f^2 / 2, fdlibm's Lg1..Lg7 (|error| of
//               R < 2^-58.45), evaluated in fdlibm's order.
//   result      s (hfsq + R) + (k LN2_LO + c) - hfsq + f + k LN2_HI (LN2_HI has 32 significant
//               bits, so k LN2_HI is exact for |k| < 2^20; it is added last).
// Measured: at most 1 ULP (float64) from Math.log1p, itself within 1 ULP of the exact value,
// over 10^7 t log-uniform in [2^-60, 2^40] and the edges of the reduction (0, 2^-53 +- ulp,
// powers of two, 2^k sqrt2 - 1): scripts/check-log1p64.mjs runs these operations in JavaScript.
// log-softmax needs log(sum) to ~2^-40 relative (its bound is 2 float32 ULP).
// NaN gives NaN; +Infinity gives NaN (c = Infinity - Infinity): log-softmax takes log1p of a
// finite sum only (a row with +Infinity is NaN either way).

// @ts-ignore: decorator
@inline const LN2_HI: f64 = reinterpret<f64>(0x3FE62E42FEE00000); // 6.93147180369123816490e-01
// @ts-ignore: decorator
@inline const LN2_LO: f64 = reinterpret<f64>(0x3DEA39EF35793C76); // 1.90821492927058770002e-10
// @ts-ignore: decorator
@inline const LG1: f64 = reinterpret<f64>(0x3FE5555555555593); // 6.666666666666735130e-01
// @ts-ignore: decorator
@inline const LG2: f64 = reinterpret<f64>(0x3FD999999997FA04); // 3.999999999940941908e-01
// @ts-ignore: decorator
@inline const LG3: f64 = reinterpret<f64>(0x3FD2492494229359); // 2.857142874366239149e-01
// @ts-ignore: decorator
@inline const LG4: f64 = reinterpret<f64>(0x3FCC71C51D8E78AF); // 2.222219843214978396e-01
// @ts-ignore: decorator
@inline const LG5: f64 = reinterpret<f64>(0x3FC7466496CB03DE); // 1.818357216161805012e-01
// @ts-ignore: decorator
@inline const LG6: f64 = reinterpret<f64>(0x3FC39A09D078C69F); // 1.531383769920937332e-01
// @ts-ignore: decorator
@inline const LG7: f64 = reinterpret<f64>(0x3FC2F112DF3E5244); // 1.479819860511658591e-01
// The high word's shift that puts the exponent step at sqrt2 (fdlibm).
// @ts-ignore: decorator
@inline const SQRT2_SHIFT: i32 = 0x3FF00000 - 0x3FE6A09E;

/** log(1 + f) - f + k ln2 terms after the reduction, as fdlibm orders them (vector). */
// @ts-ignore: decorator
@inline function log1pTailV(f: v128, dk: v128, c: v128): v128 {
  const hfsq = f64x2.mul(f64x2.mul(f64x2.splat(0.5), f), f);
  const s = f64x2.div(f, f64x2.add(f64x2.splat(2), f));
  const z = f64x2.mul(s, s);
  const w = f64x2.mul(z, z);
  const t1 = f64x2.mul(w, f64x2.add(f64x2.splat(LG2), f64x2.mul(w, f64x2.add(f64x2.splat(LG4), f64x2.mul(w, f64x2.splat(LG6))))));
  const t2 = f64x2.mul(z, f64x2.add(f64x2.splat(LG1), f64x2.mul(w,
    f64x2.add(f64x2.splat(LG3), f64x2.mul(w, f64x2.add(f64x2.splat(LG5), f64x2.mul(w, f64x2.splat(LG7))))))));
  const r = f64x2.add(t2, t1);
  const low = f64x2.add(f64x2.mul(dk, f64x2.splat(LN2_LO)), c);
  const head = f64x2.sub(f64x2.add(f64x2.mul(s, f64x2.add(hfsq, r)), low), hfsq);
  return f64x2.add(f64x2.add(head, f), f64x2.mul(dk, f64x2.splat(LN2_HI)));
}

/** log1p(t) of each f64x2 lane, t >= 0 or NaN; see the top of this file. */
// @ts-ignore: decorator
@inline export function log1p64V(t: v128): v128 {
  const one = f64x2.splat(1);
  const u = f64x2.add(one, t);
  const c = f64x2.div(f64x2.sub(t, f64x2.sub(u, one)), u);
  // High words of the two lanes in i32 lanes 0 and 1: k and the reduced high word.
  const hu = i32x4.add(v128.shuffle<i32>(u, u, 1, 3, 1, 3), i32x4.splat(SQRT2_SHIFT));
  const k = i32x4.sub(i32x4.shr_s(hu, 20), i32x4.splat(0x3FF));
  const reducedHigh = i32x4.add(v128.and(hu, i32x4.splat(0x000FFFFF)), i32x4.splat(0x3FE6A09E));
  const reduced = v128.shuffle<i32>(u, reducedHigh, 0, 4, 2, 5); // 1 + f: low words kept
  const f = f64x2.sub(reduced, one);
  return log1pTailV(f, f64x2.convert_low_i32x4_s(k), c);
}

/** Scalar twin of {@link log1p64V}: the same float64 operations in the same order (once per row: not inlined). */
export function log1p64(t: f64): f64 {
  const u = 1 + t;
  const c = (t - (u - 1)) / u;
  const bits = reinterpret<i64>(u);
  const hu = <i32>(bits >>> 32) + SQRT2_SHIFT;
  const dk = <f64>((hu >> 20) - 0x3FF);
  const reducedHigh = (hu & 0x000FFFFF) + 0x3FE6A09E;
  const f = reinterpret<f64>((<i64>reducedHigh << 32) | (bits & 0xFFFFFFFF)) - 1;
  const hfsq = 0.5 * f * f;
  const s = f / (2 + f);
  const z = s * s;
  const w = z * z;
  const t1 = w * (LG2 + w * (LG4 + w * LG6));
  const t2 = z * (LG1 + w * (LG3 + w * (LG5 + w * LG7)));
  const r = t2 + t1;
  const low = dk * LN2_LO + c;
  return ((s * (hfsq + r) + low) - hfsq + f) + dk * LN2_HI;
}
