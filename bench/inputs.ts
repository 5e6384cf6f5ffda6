// Seeded inputs, so every implementation (and every run) sees the same numbers.

/** mulberry32: a small, fast, seeded 32-bit generator; returns floats in [0, 1). */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** n floats uniform in [lo, hi) from `seed` (random signs for a symmetric range). */
export function uniformFloats(n: number, lo: number, hi: number, seed: number): Float32Array {
  const random = seededRandom(seed);
  const x = new Float32Array(n);
  for (let i = 0; i < n; i++) x[i] = lo + (hi - lo) * random();
  return x;
}
