// RReLU's built-in source of uniform draws: xoshiro128+ (Blackman and Vigna, "Scrambled linear
// pseudorandom number generators", 2021; prng.di.unimi.it/xoshiro128plus.c), the variant its
// authors recommend for floating-point numbers: the top 24 bits of s0 + s3 as u in [0, 1), which
// a float32 holds exactly. Period 2^128 - 1; the low bits' weakness does not reach the top 24.
// The 128-bit state is seeded as the authors recommend, by a splitmix generator: here the 32-bit
// one common in JavaScript (a Weyl sequence stepping by 0x9e3779b9 through an integer hash from
// Chris Wellons' hash prospector), started from the two 32-bit halves of a seed. Written here
// rather than taken from a library: it is a dozen lines, and the package has no runtime
// dependencies.
import { describe } from '../runtime/validate.js';

// Kept as four int32 in an Int32Array that the caller's loop loads into locals and stores back,
// so that a draw costs a few integer operations and no call (Math.random through a callback:
// ~7 ns per draw; this, inlined in RReLU's loop, ~1).

/** The largest seed: seeds are the non-negative safe integers, split into two 32-bit halves. */
const MAX_SEED = Number.MAX_SAFE_INTEGER;

/** The four state words of a xoshiro128+ generator from `seed` (a non-negative safe integer). */
export function xoshiroState(seed: number): Int32Array {
  if (typeof seed !== 'number') throw new TypeError(`seed must be a number, an integer in [0, 2^53 - 1]; got ${describe(seed)}`);
  if (!Number.isInteger(seed) || seed < 0 || seed > MAX_SEED) throw new RangeError(`seed must be an integer in [0, 2^53 - 1]; got ${seed}`);
  const lo = seed >>> 0;
  const hi = Math.floor(seed / 4294967296) >>> 0;
  // The sequence starts from lo ^ (hi times the Weyl step): different seeds, different starts.
  let a = lo ^ Math.imul(hi, 0x9e3779b9);
  const state = new Int32Array(4);
  for (let k = 0; k < 4; k++) {
    a = (a + 0x9e3779b9) | 0;
    let t = a ^ (a >>> 16);
    t = Math.imul(t, 0x21f0aaad);
    t ^= t >>> 15;
    t = Math.imul(t, 0x735a2d97);
    state[k] = t ^ (t >>> 15);
  }
  // An all-zero state would stay zero forever; splitmix32 never gives four zeros in a row, but
  // the guard costs nothing.
  if ((state[0] | state[1] | state[2] | state[3]) === 0) state[0] = 1;
  return state;
}

/** A seed drawn from Math.random: the default when neither `seed` nor `random` is given. */
export function entropySeed(): number {
  return Math.floor(Math.random() * 2 ** 21) * 4294967296 + Math.floor(Math.random() * 4294967296);
}

/** 2^-24: the top 24 bits of a draw, as a number in [0, 1). */
export const DRAW_SCALE = 5.960464477539063e-8;
