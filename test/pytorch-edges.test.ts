// PyTorch's own formulas at the edges where the sign of a zero or a huge magnitude decides the
// answer, checked on every backend against the formula itself (not against our reference):
// hardswish below -3 (x * min(max(x + 3, 0), 6) / 6 is a signed zero) and softsignBackward where
// (1 + |x|)^2 would overflow a float32 but dy / (1 + |x|)^2 is still a normal float.
import { describe, expect, it } from 'vitest';
import { createActivations, definitions } from '../src/index.js';
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

  it('hardswishBackward takes the outer slopes at the kinks, as PyTorch >= 2.7: 0 at -3, dy at 3', async () => {
    const act = await createActivations({ backend });
    const below = Math.fround(3 - 2 ** -22);
    const xs = [-3, 3, -below, below, Math.fround(-3 - 2 ** -21), Math.fround(3 + 2 ** -21), NaN];
    const slopes = [0, 1, (2 * -below + 3) / 6, (2 * below + 3) / 6, 0, 1];
    // 37 long: the kinks in the v128 body and in the scalar tail.
    for (let pos = 0; pos < 37 - xs.length; pos += 29) {
      const x = new Float32Array(37).fill(1);
      const dy = new Float32Array(37).fill(2);
      x.set(xs, pos);
      const dx = act.hardswishBackward(dy, x);
      slopes.forEach((slope, i) => {
        expect(ulpError(dx[pos + i], 2 * slope), `x = ${xs[i]} at ${pos + i}: ${showFloat32(dx[pos + i])}`).toBeLessThanOrEqual(2);
      });
      expect(dx[pos + 6], 'a NaN x passes dy').toBe(2);
    }
  });

  it('siluBackward keeps the sign of zero far below the exp core (x <= -104: dy x e^x (1 + ...) underflows to -0)', async () => {
    const act = await createActivations({ backend });
    const dx = act.siluBackward(new Float32Array(16).fill(1), new Float32Array(16).fill(-200).map((v, i) => (i % 2 ? v : -FLT_MAX)));
    for (const v of dx) expect(Object.is(v, -0), `got ${showFloat32(v)}`).toBe(true);
  });

  it('geluBackward keeps the sign of zero where the slope underflows from below (x = -Infinity, -50, -20), both forms', async () => {
    const act = await createActivations({ backend });
    const x = new Float32Array(16).map((_, i) => [-Infinity, -50, -20][i % 3]);
    for (const approximate of ['none', 'tanh'] as const) {
      const dx = act.geluBackward(new Float32Array(16).fill(1), x, { approximate });
      dx.forEach((v, i) => expect(Object.is(v, -0), `${approximate}, x = ${x[i]}: got ${showFloat32(v)}`).toBe(true));
    }
  });

  it('hardswishBackward stays finite for a dy near FLT_MAX where dy (2x + 3) / 6 is (the slope is formed first)', async () => {
    const act = await createActivations({ backend });
    const xs = [1, 2.9, -1, 0.5, 2, -2.5, 2.75, 1.5, 0, -0.5, 2.25, 1.25, 0.75, 2.5, -2, 1.75];
    const dx = act.hardswishBackward(new Float32Array(16).fill(1e38), Float32Array.from(xs));
    xs.forEach((x, i) => {
      const exact = Math.fround(1e38) * (2 * Math.fround(x) + 3) / 6;
      expect(ulpError(dx[i], exact), `x = ${x}: ${showFloat32(dx[i])} against ${exact}`).toBeLessThanOrEqual(definitions.hardswish.backward.ulp);
    });
  });

  it('eluBackward (alpha 3), seluBackward and gluBackward stay finite for a dy near FLT_MAX where the exact value is', async () => {
    const act = await createActivations({ backend });
    const f = Math.fround;
    const dy = new Float32Array(16).fill(3e38);
    // x where alpha e^(x/2) > 1 > alpha e^x: dy alpha e^(x/2), a product the kernels once formed
    // first, overflows although dy alpha e^x does not.
    const cases = [
      { name: 'elu', coef: 3, lo: -2.15, hi: -1.15, run: (x: Float32Array) => act.eluBackward(dy, x, { alpha: 3 }) },
      { name: 'selu', coef: 1.0507009873554805 * 1.6732632423543772, lo: -1.1, hi: -0.6, run: (x: Float32Array) => act.seluBackward(dy, x) },
    ];
    for (const { name, coef, lo, hi, run } of cases) {
      const x = new Float32Array(16).map((_, i) => lo + ((hi - lo) * i) / 15);
      const dx = run(x);
      x.forEach((xi, i) => {
        const exact = f(3e38) * coef * Math.exp(xi);
        expect(ulpError(dx[i], exact), `${name}, x = ${xi}: ${showFloat32(dx[i])} against ${exact}`).toBeLessThanOrEqual(8);
      });
    }
    // glu: dx_b = dy a sigmoid(b) sigmoid(-b) <= dy a / 4, finite for a < 4 at dy = FLT_MAX.
    const a = Array.from({ length: 16 }, (_, i) => 1 + (2.9 * i) / 15);
    const b = Array.from({ length: 16 }, (_, i) => -2 + (4 * i) / 15);
    const dxGlu = act.gluBackward(new Float32Array(16).fill(FLT_MAX), Float32Array.from([...a, ...b]));
    const sig = (t: number) => 1 / (1 + Math.exp(-t));
    b.forEach((bi, i) => {
      const exact = FLT_MAX * f(a[i]) * sig(f(bi)) * sig(-f(bi));
      const got = dxGlu[16 + i];
      expect(ulpError(got, exact), `glu dx_b, a = ${f(a[i])}, b = ${f(bi)}: ${showFloat32(got)} against ${exact}`).toBeLessThanOrEqual(8);
    });
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
