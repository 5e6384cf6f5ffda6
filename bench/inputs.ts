// Seeded inputs, so every implementation (and every run) sees the same numbers.

/** mulberry32: a small, fast, seeded generator of uint32 values. */
export function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  };
}

/** n floats uniform in [lo, hi) from `seed` (random signs for a symmetric range). */
export function uniformFloats(n: number, lo: number, hi: number, seed: number): Float32Array {
  const next = mulberry32(seed);
  const x = new Float32Array(n);
  for (let i = 0; i < n; i++) x[i] = lo + ((hi - lo) * next()) / 4294967296;
  return x;
}
