// Seeded random numbers for the tests, on the benchmark's generator, so every input is reproducible.
import { mulberry32 } from '../../bench/inputs.js';

export { mulberry32 };

/** Seeded random numbers of the kinds the tests need. */
export class Rng {
  private readonly next32: () => number;

  constructor(seed: number) {
    this.next32 = mulberry32(seed);
  }

  /** A uniform uint32. */
  uint32(): number {
    return this.next32();
  }

  /** A uniform number in [0, 1). */
  next(): number {
    return this.next32() / 4294967296;
  }

  /** A uniform number in [lo, hi). */
  uniform(lo: number, hi: number): number {
    return lo + (hi - lo) * this.next();
  }

  /** A uniform integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  /** One element of `items`. */
  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)];
  }

  /** `n` float32 values uniform in [lo, hi) (rounded to float32). */
  float32Array(n: number, lo: number, hi: number): Float32Array {
    const out = new Float32Array(n);
    for (let i = 0; i < n; i++) out[i] = this.uniform(lo, hi);
    return out;
  }
}
