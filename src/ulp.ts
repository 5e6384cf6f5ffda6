// Error measure of the accuracy contract, shared by the tests, the benchmark's answer check and
// the accuracy tool: the distance from the exact value in ULP of float32 at that value.

/** 2^-126, the smallest normal float32. Below it the contract allows this absolute error. */
export const MIN_NORMAL = 2 ** -126;

/** The float32 ULP at the magnitude of `v` (2^-149 for subnormals, 2^104 at FLT_MAX). */
export function ulpOf(v: number): number {
  const a = Math.abs(Math.fround(v));
  if (a < MIN_NORMAL) return 2 ** -149;
  if (!Number.isFinite(a)) return 2 ** 104;
  let e = Math.floor(Math.log2(a));
  // log2 can be off by one at exact powers of two: settle on 2^e <= a < 2^(e+1).
  if (2 ** e > a) e--;
  else if (2 ** (e + 1) <= a) e++;
  return 2 ** (e - 23);
}

/**
 * Error of a float32 result `y` against the exact value `exact` (float64), in ULP of float32 at
 * the exact value. 0 when both are NaN or the same infinity, or when the exact value is below
 * 2^-126 and the error is at most 2^-126 (flush to zero allowed); Infinity for a NaN, infinity
 * or sign mismatch that no finite error describes.
 */
export function ulpError(y: number, exact: number): number {
  if (Number.isNaN(exact) || Number.isNaN(y)) return Number.isNaN(exact) && Number.isNaN(y) ? 0 : Infinity;
  if (!Number.isFinite(exact) || !Number.isFinite(y)) return y === exact ? 0 : Infinity;
  const diff = Math.abs(y - exact);
  if (Math.abs(exact) < MIN_NORMAL && diff <= MIN_NORMAL) return 0;
  return diff / ulpOf(exact);
}
