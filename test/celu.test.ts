// celu and celuBackward with an alpha that is not a power of two in (0, 1]: the float64 kernels
// (f64x2 lanes in the simd build, their scalar twins in the scalar build; assembly/ops/celu.ts).
// On every backend, for alphas of both signs and of large and small magnitude: every length 1..40
// (the v128 steps and the scalar tail), 64Ki + 3 (the unrolled loop), and the special values at
// every lane position and in the tail, against the float64 reference within 1 ULP (the bounds are
// 4 and 8: the float64 method measures 0.5), the special values exactly; and bit-identical
// simd and scalar builds.
import { beforeAll, describe, expect, it } from 'vitest';
import { createActivations, definitions, type Activations } from '../src/index.js';
import { BACKENDS } from './helpers/activations.js';
import { FLT_MAX, FLT_TRUE_MIN } from './helpers/inputs.js';
import { Rng } from './helpers/rng.js';
import { showFloat32, ulpError } from './helpers/ulp.js';

/** Alphas of the float64 path, down to the smallest normal float32 (alpha must be normal). */
const ALPHAS = [0.7, 1.5, 3, -2, -0.3, 1e-3, 100, 0.2, -(2 ** -126), 3e38];

/** The longest length: 64Ki + 3, the unrolled loop, the single-v128 steps and a 3-element tail. */
const LONG = 65536 + 3;

/** The special inputs, placed among the others so that each takes every lane and the tail. */
const SPECIAL_X = [NaN, Infinity, -Infinity, -0, 0, -FLT_MAX, FLT_MAX, FLT_TRUE_MIN, -FLT_TRUE_MIN];

/** The exact float32 result of celu(x) for a special x, when the contract fixes it (else undefined). */
function specialForward(x: number, alpha: number): number | undefined {
  const a = Math.fround(alpha);
  if (Number.isNaN(x)) return NaN;
  if (x > 0) return x;
  if (x === 0) return x; // ±0 itself, as PyTorch since 2.8 (before: (exp(0) - 1) * alpha = +0 * alpha)
  if (x === -Infinity) return a > 0 ? -a : -Infinity;
  return undefined;
}

/** The exact float32 dx of celuBackward for a special x, when the contract fixes it (else undefined). */
function specialBackward(dy: number, x: number, alpha: number): number | undefined {
  const a = Math.fround(alpha);
  if (Number.isNaN(x) || Number.isNaN(dy)) return NaN;
  if (x > 0 || x === 0) return dy; // exp(±0) = 1
  if (x === -Infinity) return a > 0 ? dy * 0 : dy * Infinity; // 0 * Infinity is NaN, as dy * exp(inf)
  return undefined;
}

/**
 * n inputs for alpha: most in the range where celu bends (x / alpha from -2^-30 to ±128 in
 * magnitude, log-uniform, and uniform over [-100 |alpha|, 0]), some positive, and every
 * SPECIAL_X at a rotating position (index i % 5 == 1, so each meets every lane of a v128) and
 * in the last two elements (the scalar tail).
 */
function celuInputs(rng: Rng, n: number, alpha: number): Float32Array {
  const a = Math.abs(Math.fround(alpha));
  const x = new Float32Array(n);
  let s = 0;
  for (let i = 0; i < n; i++) {
    const k = rng.int(8);
    if (i % 5 === 1 || i >= n - 2) x[i] = SPECIAL_X[s++ % SPECIAL_X.length];
    else if (k === 0) x[i] = rng.uniform(0, 10);
    else if (k < 4) x[i] = -a * 2 ** rng.uniform(-30, 7);
    else x[i] = rng.uniform(-100 * a, 0);
  }
  return x;
}

/** n values of dy: uniform in [-4, 4], random finite bit patterns, and a few specials. */
function dyInputs(rng: Rng, n: number): Float32Array {
  const dy = new Float32Array(n);
  const bits = new Uint32Array(dy.buffer);
  for (let i = 0; i < n; i++) {
    const k = rng.int(16);
    if (k === 0) dy[i] = rng.pick([0, -0, 1, -1, FLT_MAX, FLT_TRUE_MIN]);
    else if (k < 5) {
      let b: number;
      do b = rng.uint32(); while ((b & 0x7f800000) === 0x7f800000);
      bits[i] = b;
    } else dy[i] = rng.uniform(-4, 4);
  }
  return dy;
}

/** The lengths checked: 1..40 and LONG. */
const LENGTHS = [...Array.from({ length: 40 }, (_, i) => i + 1), LONG];

describe.each(BACKENDS)('%s', (backend) => {
  let act: Activations;
  beforeAll(async () => {
    act = await createActivations({ backend });
  });

  describe.each(ALPHAS)('alpha = %s', (alpha) => {
    it('celu is within 1 ULP of the float64 reference at every length 1..40 and 64Ki + 3, specials exact', () => {
      const rng = new Rng(0xce1 + Math.round(Math.abs(Math.log(Math.abs(alpha))) * 1000));
      for (const n of LENGTHS) {
        const x = celuInputs(rng, n, alpha);
        const y = act.celu(x, { alpha });
        for (let i = 0; i < n; i++) {
          const special = specialForward(x[i], alpha);
          if (special !== undefined) {
            if (!Object.is(y[i], special)) {
              expect.fail(`n ${n}, [${i}]: celu(${showFloat32(x[i])}) = ${showFloat32(y[i])}, expected ${showFloat32(special)}`);
            }
            continue;
          }
          const exact = definitions.celu.reference(x[i], { alpha });
          const e = ulpError(y[i], exact);
          if (e > 1) expect.fail(`n ${n}, [${i}]: celu(${showFloat32(x[i])}) = ${showFloat32(y[i])}, exact ${exact}: ${e} ULP`);
        }
      }
    });

    it('celuBackward is within 1 ULP of dy · exp(x / alpha) at every length 1..40 and 64Ki + 3, specials exact', () => {
      const rng = new Rng(0xbac + Math.round(Math.abs(Math.log(Math.abs(alpha))) * 1000));
      for (const n of LENGTHS) {
        const x = celuInputs(rng, n, alpha);
        const dy = dyInputs(rng, n);
        const dx = act.celuBackward(dy, x, { alpha });
        for (let i = 0; i < n; i++) {
          const what = `n ${n}, [${i}]: dy ${showFloat32(dy[i])}, x ${showFloat32(x[i])}: ${showFloat32(dx[i])}`;
          const special = specialBackward(dy[i], x[i], alpha);
          if (special !== undefined) {
            if (!Object.is(dx[i], special) && !(dx[i] === 0 && special === 0)) expect.fail(`${what}, expected ${special}`);
            continue;
          }
          const exact = dy[i] * definitions.celu.derivative(x[i], { alpha });
          const e = ulpError(dx[i], exact);
          if (e > 1) expect.fail(`${what}, exact ${exact}: ${e} ULP`);
        }
      }
    });
  });

  it('celu takes the right infinity where alpha expm1(x / alpha) overflows float32 (alpha < 0) and not before', () => {
    // alpha = -2: the result passes -FLT_MAX at x = -176.06, e^(x / alpha) overflows float32 from
    // x = -177.45, the clamp of the float64 exp (709) is at x = -1418 and float64 overflows from
    // x = -1419.57. alpha = -1e-3: e^(x / alpha) overflows float32 from x = -0.0887 while the result
    // is still finite down to x = -0.0956; clamp at -0.709, float64 overflow from -0.70978.
    const cases: [x: number, alpha: number][] = [
      [-170, -2], [-176, -2], [-176.1, -2], [-177.5, -2], [-1000, -2], [-1418.5, -2], [-1419.6, -2], [-1e30, -2],
      [-0.05, -1e-3], [-0.0887, -1e-3], [-0.09, -1e-3], [-0.0956, -1e-3], [-0.0957, -1e-3], [-0.7, -1e-3],
      [-0.7095, -1e-3], [-0.71, -1e-3], [-1, -1e-3],
    ];
    for (const [x, alpha] of cases) {
      const y = act.celu([x], { alpha })[0];
      const exact = definitions.celu.reference(Math.fround(x), { alpha });
      expect(ulpError(y, exact), `celu(${x}, alpha ${alpha}) = ${y}, exact ${exact}`).toBeLessThanOrEqual(0.5);
      if (!Number.isFinite(Math.fround(exact))) expect(y).toBe(-Infinity);
    }
  });
});

describe('wasm-simd and wasm-scalar', () => {
  it.each(ALPHAS)('are bit-identical for alpha = %s, forward and backward', async (alpha) => {
    const simd = await createActivations({ backend: 'wasm-simd' });
    const scalar = await createActivations({ backend: 'wasm-scalar' });
    const rng = new Rng(0x51d + Math.round(Math.abs(Math.log(Math.abs(alpha))) * 1000));
    const x = celuInputs(rng, 200_003, alpha);
    const dy = dyInputs(rng, x.length);
    const pairs: [string, Float32Array, Float32Array][] = [
      ['celu', simd.celu(x, { alpha }), scalar.celu(x, { alpha })],
      ['celuBackward', simd.celuBackward(dy, x, { alpha }), scalar.celuBackward(dy, x, { alpha })],
    ];
    for (const [name, a, b] of pairs) {
      const ba = new Uint32Array(a.buffer, a.byteOffset, a.length);
      const bb = new Uint32Array(b.buffer, b.byteOffset, b.length);
      const i = ba.findIndex((v, k) => v !== bb[k]);
      expect(i, `${name} at [${i}]: x ${x[i]}, dy ${dy[i]}: simd ${a[i]}, scalar ${b[i]}`).toBe(-1);
    }
  });
});
