// gelu's `approximate` option: a string-literal union in the types ('none' | 'tanh'), checked at
// run time with the choices listed, and the two forms different functions.
import { describe, expect, it } from 'vitest';
import { gelu, geluBackward, initSync } from '../src/index.js';

describe('gelu approximate', () => {
  initSync({ backend: 'wasm-simd' });

  it("defaults to 'none' and gives the tanh form with 'tanh'", () => {
    const x = new Float32Array([-3, -1, 0.5, 2]);
    expect(gelu(x)).toEqual(gelu(x, { approximate: 'none' }));
    const erf = gelu(x);
    const tanh = gelu(x, { approximate: 'tanh' });
    // The forms differ by up to ~1e-3 relative (at x = -3: -0.00405 against -0.00364).
    expect(tanh[0]).not.toBe(erf[0]);
    expect(Math.abs(tanh[0] - erf[0])).toBeLessThan(5e-4);
    expect(geluBackward([1], [2], { approximate: 'tanh' })[0]).not.toBe(geluBackward([1], [2])[0]);
  });

  it('rejects other values, naming the option and listing the choices', () => {
    // @ts-expect-error: not one of the choices
    expect(() => gelu([1], { approximate: 'erf' })).toThrow(/approximate must be one of 'none', 'tanh'; got 'erf'/);
    // @ts-expect-error: not a string
    expect(() => gelu([1], { approximate: 1 })).toThrow(TypeError);
    // @ts-expect-error: not a string
    expect(() => geluBackward([1], [1], { approximate: true })).toThrow(/approximate must be one of 'none', 'tanh'/);
  });
});
