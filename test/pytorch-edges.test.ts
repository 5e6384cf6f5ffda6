// PyTorch's own formulas at the edges where the sign of a zero or a huge magnitude decides the
// answer, checked on every backend against the formula itself (not against our reference):
// hardswish below -3 (x * min(max(x + 3, 0), 6) / 6 is a signed zero) and softsignBackward where
// (1 + |x|)^2 would overflow a float32 but dy / (1 + |x|)^2 is still a normal float.
import { describe, expect, it } from 'vitest';
import { createActivations } from '../src/index.js';
import { BACKENDS } from './helpers/activations.js';
import { FLT_MAX, showFloat32, ulpError } from './helpers/ulp.js';

/** PyTorch's hardswish, operation by operation in float32 (its kernel's order: x * clamp / 6). */
function torchHardswish(x: number): number {
  const f = Math.fround;
  return f(f(x * Math.min(Math.max(f(x + 3), 0), 6)) / 6);
}

describe.each(BACKENDS)('%s', (backend) => {
  it('hardswish follows x * min(max(x + 3, 0), 6) / 6 to the sign of zero at and below -3', async () => {
    const act = await createActivations({ backend });
    const xs = [-3, Math.fround(-3 - 2 ** -22), -3.5, -4, -6, -100, -1e30, -FLT_MAX, -2.5, -0, 0];
    // Every position of a 37-long array: the v128 body and the scalar tail alike.
    for (const x of xs) {
      for (let pos = 0; pos < 37; pos++) {
        const input = new Float32Array(37).fill(1);
        input[pos] = x;
        const y = act.hardswish(input)[pos];
        const expected = torchHardswish(x);
        if (x <= -3) expect(Object.is(y, expected) && Object.is(y, -0), `hardswish(${x}) at ${pos}: ${showFloat32(y)}`).toBe(true);
        else expect(ulpError(y, expected), `hardswish(${x}) at ${pos}`).toBeLessThanOrEqual(1);
      }
    }
    // At -Infinity the formula's -Infinity * 0 is NaN; the limit, -0, is what we return.
    expect(Object.is(act.hardswish([-Infinity])[0], -0)).toBe(true);
  });

  it('softsignBackward keeps dy / (1 + |x|)^2 where (1 + |x|)^2 overflows float32', async () => {
    const act = await createActivations({ backend });
    const cases: [dy: number, x: number][] = [[1e30, 1e20], [-3e38, 1e25], [FLT_MAX, FLT_MAX / 4], [1e38, -2e19]];
    const dx = act.softsignBackward(cases.map(([dy]) => dy), cases.map(([, x]) => x));
    cases.forEach(([dy, x], i) => {
      const d = 1 + Math.abs(Math.fround(x));
      const exact = Math.fround(dy) / d / d; // float64: no overflow, two roundings at 2^-53
      expect(ulpError(dx[i], exact), `dy ${dy}, x ${x}: ${showFloat32(dx[i])} against ${exact}`).toBeLessThanOrEqual(8);
    });
  });
});
