// Test inputs: a sweep of the whole float32 range, the special values, and the array lengths
// around the kernels' tile and chunk boundaries. Framework-free and seeded.
import { FLT_MAX, FLT_MAX_SUBNORMAL, FLT_MIN_NORMAL, FLT_TRUE_MIN, float32Bits, float32FromBits } from './ulp.js';
import { Rng } from './rng.js';

/**
 * Floats per iteration of the 8 × v128 main loops (others use 4 × v128 = 16, or 2 × v128; the
 * memory-bound ops' streamed loop takes 16 × v128 = 64 = 2 TILE, whose boundaries are the even
 * multiples of TILE below).
 */
export const TILE = 32;
/** Floats per v128. */
export const LANES = 4;
/** Elements per chunk of the wasm engine's copying path (src/runtime/engine.ts CHUNK_ELEMENTS). */
export const CHUNK = 8192;
/** Elements per chunk of its element-wise forward path (src/runtime/engine.ts ELEMENTWISE_CHUNK_ELEMENTS). */
export const ELEMENTWISE_CHUNK = 4096;
/** Floats in one 64 KiB wasm page: a buffer this long fills a fresh instance's first page. */
export const PAGE_FLOATS = 16384;

/**
 * Array lengths at the loop boundaries: 0…40 (every tail of the 32-, 16-, 4- and 1-element loops),
 * 2–9 tiles and ±1 around each (64, 128, 192 and 256 ± 1 for the 64-element streamed loop), and
 * lengths at and past the copy path's chunk sizes.
 */
export function boundaryLengths(): number[] {
  const lengths = new Set<number>();
  for (let n = 0; n <= 40; n++) lengths.add(n);
  for (let k = 2; k <= 9; k++) for (const d of [-1, 0, 1]) lengths.add(k * TILE + d);
  for (const n of [ELEMENTWISE_CHUNK - 1, ELEMENTWISE_CHUNK, ELEMENTWISE_CHUNK + 1, 3 * ELEMENTWISE_CHUNK + 5]) lengths.add(n);
  for (const n of [CHUNK - 1, CHUNK, CHUNK + 1, CHUNK + TILE + 3, 2 * CHUNK + 1, 40000]) lengths.add(n);
  return [...lengths].sort((a, b) => a - b);
}

/** The `k` float32 values on each side of `v` (same sign) and `v` itself, 2k + 1 values. */
export function neighbours(v: number, k: number): number[] {
  const sign = v < 0 || Object.is(v, -0) ? 0x80000000 : 0;
  const bits = float32Bits(Math.abs(v));
  const values: number[] = [];
  for (let d = -k; d <= k; d++) {
    const b = bits + d;
    if (b < 0 || b > 0x7f800000) continue;
    values.push(float32FromBits((b | sign) >>> 0));
  }
  return values;
}

/** The special values every function is checked on (each also with its opposite sign). */
export const SPECIAL_MAGNITUDES: readonly number[] = [
  0,
  Infinity,
  FLT_TRUE_MIN, // smallest subnormal
  2 * FLT_TRUE_MIN,
  FLT_MAX_SUBNORMAL, // largest subnormal
  FLT_MIN_NORMAL, // 2^-126
  1e-20,
  2 ** -12,
  1e-4,
  0.5,
  0.625, // tanh's split between polynomial and exp
  1,
  9.01, // tanh rounds to 1 above this
  20,
  87.33, // ~ ln(2^-126): exp's flush-to-zero cut-off
  87.3365479,
  88.72, // ~ ln(FLT_MAX)
  88.7228394,
  1e30,
  FLT_MAX,
];

/** The special values: ±each of {@link SPECIAL_MAGNITUDES}, NaN, and float32 neighbours of the ones near a branch. */
export function specialValues(): Float32Array {
  const values: number[] = [NaN];
  for (const m of SPECIAL_MAGNITUDES) values.push(m, -m);
  for (const m of [FLT_MIN_NORMAL, 2 ** -12, 0.625, 9.01, 87.3365479, 88.7228394, 1, 0.5]) {
    for (const v of neighbours(m, 16)) values.push(v, -v);
  }
  return Float32Array.from(values);
}

/**
 * `perExponent` random bit patterns for every biased exponent 0…254 (subnormals to the binade of
 * FLT_MAX) and both signs: 510 × perExponent values.
 */
export function exponentSweep(rng: Rng, perExponent: number): Float32Array {
  const out = new Float32Array(255 * 2 * perExponent);
  const bits = new Uint32Array(out.buffer);
  let i = 0;
  for (let exponent = 0; exponent <= 254; exponent++) {
    for (const sign of [0, 0x80000000]) {
      for (let k = 0; k < perExponent; k++) {
        bits[i++] = (sign | (exponent << 23) | (rng.uint32() & 0x7fffff)) >>> 0;
      }
    }
  }
  return out;
}

/** Total points of {@link sweepInputs}. */
export const SWEEP_SIZE_MIN = 1_000_000;

/**
 * ≥ 10^6 float32 points over the whole float32 range: 1024 random bit patterns per exponent and
 * sign (522 240 points), 480 000 uniform in [−20, 20] (where the functions bend), 20 000 uniform
 * in [−1, 1], and the special values. Same seed, same points.
 */
export function sweepInputs(seed = 0x5eed): Float32Array {
  const rng = new Rng(seed);
  const parts = [
    specialValues(),
    exponentSweep(rng, 1024),
    rng.float32Array(480_000, -20, 20),
    rng.float32Array(20_000, -1, 1),
  ];
  const total = parts.reduce((n, p) => n + p.length, 0);
  const out = new Float32Array(total);
  let offset = 0;
  for (const p of parts) {
    out.set(p, offset);
    offset += p.length;
  }
  return out;
}

/** `n` random inputs: mostly uniform in [lo, hi], one in 16 drawn from the special values. */
export function mixedInputs(rng: Rng, n: number, lo = -20, hi = 20): Float32Array {
  const specials = specialValues();
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    out[i] = rng.int(16) === 0 ? specials[rng.int(specials.length)] : rng.uniform(lo, hi);
  }
  return out;
}

export { FLT_MAX, FLT_MAX_SUBNORMAL, FLT_MIN_NORMAL, FLT_TRUE_MIN };
