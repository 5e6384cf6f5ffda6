// rrelu (PyTorch's F.rrelu with its default training=False) and the RReLU module on every backend:
// the function's own rules (lower <= upper, float32-range params, the slope being the float32 of
// the mean of float32 lower and upper); the module in evaluation mode equal to rrelu and
// rreluBackward bit for bit; in training mode (seeded `random`) equal to an independent float64
// computation from the same random sequence, its backward dy · noise, the noise kept across
// backward passes and replaced by the next forward, train()/eval(), failed forwards, buffers.
import { beforeAll, describe, expect, it } from 'vitest';
import { createActivations, RReLU, type ActivationBuffer, type Activations } from '../src/index.js';
import { BACKENDS, firstDifference } from './helpers/activations.js';
import { mixedInputs } from './helpers/inputs.js';
import { Rng } from './helpers/rng.js';

const f = Math.fround;

/** A small LCG: numbers in [0, 1) from a seed, reproducible for the independent computation. */
function lcg(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 4294967296;
  };
}

/**
 * PyTorch's CPU training kernel written out in float64: for x <= 0 a slope r = lower + (upper -
 * lower)·u, rounded to float32, y = x·r rounded; else noise 1 and y = x (NaN too: NaN <= 0 is false).
 */
function trainingReference(x: Float32Array, lower: number, upper: number, random: () => number): { y: Float32Array; noise: Float64Array } {
  const y = new Float32Array(x.length);
  const noise = new Float64Array(x.length);
  for (let i = 0; i < x.length; i++) {
    if (x[i] <= 0) {
      const r = f(lower + (upper - lower) * random());
      noise[i] = r;
      y[i] = f(x[i] * r);
    } else {
      noise[i] = 1;
      y[i] = x[i];
    }
  }
  return { y, noise };
}

/** dx = dy · noise, rounded once. */
function backwardReference(dy: Float32Array, noise: Float64Array): Float32Array {
  return dy.map((g, i) => f(g * noise[i]));
}

/** The slope of evaluation mode: the float32 of the mean of float32 lower and upper. */
const slopeOf = (lower: number, upper: number) => f((f(lower) + f(upper)) * 0.5);

describe.each(BACKENDS)('rrelu on %s', (backend) => {
  let acts: Activations;
  beforeAll(async () => {
    acts = await createActivations({ backend });
  });

  it('lower > upper is a RangeError naming both, forward and backward, writing nothing', () => {
    const x = new Float32Array([-1, 2, -3]);
    const out = new Float32Array(3).fill(7);
    for (const options of [{ lower: 0.5, upper: 0.25 }, { lower: 0.5 }, { upper: 0.1 }]) {
      expect(() => acts.rrelu(x, { ...options, out })).toThrow(RangeError);
      expect(() => acts.rrelu(x, { ...options, out })).toThrow(/lower.*upper/);
      expect(() => acts.rreluBackward(x, x, { ...options, out })).toThrow(RangeError);
      expect(() => acts.rreluBackward(x, x, { ...options, out })).toThrow(/lower.*upper/);
    }
    expect(Array.from(out)).toEqual([7, 7, 7]);
    expect(() => new RReLU({ lower: 0.5, upper: 0.25 })).toThrow(/lower.*upper/);
    // lower == upper is PyTorch's leaky ReLU with that slope.
    expect(Array.from(acts.rrelu(x, { lower: 0.5, upper: 0.5 }))).toEqual([-0.5, 2, -1.5]);
  });

  it.each([NaN, Infinity, -Infinity, 1e39, -1e39, 1e-40])('lower or upper = %s is a RangeError naming it', (value) => {
    const x = [-1, 1];
    expect(() => acts.rrelu(x, { lower: value, upper: Math.max(value, 1e39) })).toThrow(/\blower\b/);
    expect(() => acts.rrelu(x, { lower: Math.min(value, -1e39), upper: value })).toThrow(/\b(lower|upper)\b/);
    expect(() => acts.rrelu(x, { lower: -1, upper: value })).toThrow(RangeError);
    expect(() => acts.rreluBackward(x, x, { lower: -1, upper: value })).toThrow(RangeError);
    expect(() => new RReLU({ upper: value })).toThrow(RangeError);
  });

  it('uses the float32 of the mean of float32 lower and upper as its slope (lower, upper not float32)', () => {
    // 0.05 and 0.3 are not float32: the mean of their float32 values rounds to 0.17500001,
    // one ULP above the float32 of the float64 mean (0.175 → 0.17499999).
    const lower = 0.05;
    const upper = 0.3;
    const slope = slopeOf(lower, upper);
    expect(slope).toBe(0.17500001192092896);
    expect(slope).not.toBe(f((lower + upper) / 2));
    const x = Float32Array.from([-1, -3, 2, -0, 0, NaN, -Infinity, -1e-3]);
    const y = acts.rrelu(x, { lower, upper });
    const expected = x.map((v) => (v > 0 ? v : f(v * slope)));
    expect(firstDifference(y, expected)).toBe(-1);
    expect(Object.is(y[3], -0)).toBe(true);
    const dy = Float32Array.from([1, 3, 5, 7, 9, 11, 13, 15]);
    const dx = acts.rreluBackward(dy, x, { lower, upper });
    // PyTorch's leaky_relu_backward: x > 0 ? dy : dy · slope (x = 0 and NaN take the slope).
    expect(firstDifference(dx, dy.map((g, i) => (x[i] > 0 ? g : f(g * slope))))).toBe(-1);
  });

  it('equals leakyRelu with alpha = the slope, bit for bit, on mixed inputs', () => {
    const rng = new Rng(0x5eed);
    const x = mixedInputs(rng, 4099, -8, 8);
    const dy = rng.float32Array(x.length, -2, 2);
    for (const [lower, upper] of [[1 / 8, 1 / 3], [0.05, 0.3], [-0.5, 2], [0, 0], [-3, -1]]) {
      const alpha = slopeOf(lower, upper);
      expect(firstDifference(acts.rrelu(x, { lower, upper }), acts.leakyRelu(x, { alpha })), `${lower}, ${upper}`).toBe(-1);
      expect(firstDifference(acts.rreluBackward(dy, x, { lower, upper }), acts.leakyReluBackward(dy, x, { alpha }))).toBe(-1);
    }
  });
});

describe.each(BACKENDS)('RReLU on %s', (backend) => {
  let acts: Activations;
  beforeAll(async () => {
    acts = await createActivations({ backend });
  });

  it('has PyTorch\'s repr, defaults and training flag; train() and eval() switch modes and return the module', () => {
    const act = new RReLU({ activations: acts });
    expect(String(act)).toBe('RReLU(lower=0.125, upper=0.3333333333333333)');
    expect(String(new RReLU({ lower: 0.1, upper: 0.3 }))).toBe('RReLU(lower=0.1, upper=0.3)');
    expect(act.params).toEqual({ lower: 1 / 8, upper: 1 / 3 });
    expect(act.training).toBe(true);
    expect(act.eval()).toBe(act);
    expect(act.training).toBe(false);
    expect(act.train()).toBe(act);
    expect(act.training).toBe(true);
    expect(act.train(false).training).toBe(false);
    expect(() => new RReLU({ random: 0.5 as unknown as () => number })).toThrow(TypeError);
    expect(() => new RReLU({ lower: 0.1, generator: 1 } as never)).toThrow(/generator/);
    // PyTorch's train() refuses a mode that is not a boolean; the mode is left as it was.
    expect(() => act.train('yes' as unknown as boolean)).toThrow(TypeError);
    expect(() => act.train(1 as unknown as boolean)).toThrow(/boolean/);
    expect(act.training).toBe(false);
  });

  it('refuses draws outside [0, 1) from random(), with a RangeError, leaving nothing saved', () => {
    for (const bad of [1, -0.5, NaN, 2]) {
      // The first draw is good, the second strays: out must stay as it was.
      let calls = 0;
      const act = new RReLU({ activations: acts, random: () => (calls++ % 2 === 0 ? 0.5 : bad) });
      const out = new Float32Array(3).fill(7);
      expect(() => act.forward([-1, 2, -3], { out })).toThrow(RangeError);
      expect(() => act.forward([-1, 2, -3], { out })).toThrow(/random\(\) must return numbers in \[0, 1\)/);
      expect(Array.from(out)).toEqual([7, 7, 7]);
      expect(() => act.backward([1, 1, 1])).toThrow(/needs a forward/);
    }
    // 0 is a valid draw: the slope is lower itself.
    const atLower = new RReLU({ lower: 0.25, upper: 0.5, activations: acts, random: () => 0 });
    expect(Array.from(atLower.forward([-2, 3]))).toEqual([-0.5, 3]);
  });

  it('in evaluation mode equals rrelu and rreluBackward bit for bit', () => {
    const rng = new Rng(0xe7a1);
    for (const params of [{}, { lower: 0.05, upper: 0.3 }, { lower: -1, upper: 3 }]) {
      const x = mixedInputs(rng, 1037, -8, 8);
      const dy = rng.float32Array(x.length, -2, 2);
      const act = new RReLU({ ...params, activations: acts, random: () => { throw new Error('no draws in eval mode'); } }).eval();
      expect(firstDifference(act.forward(x), acts.rrelu(x, params))).toBe(-1);
      expect(firstDifference(act.backward(dy), acts.rreluBackward(dy, x, params))).toBe(-1);
    }
  });

  it('in training mode draws a float32 slope in [lower, upper] per x <= 0, as an independent float64 computation', () => {
    const rng = new Rng(0x7a1);
    for (const [lower, upper, seed] of [[1 / 8, 1 / 3, 1], [0.05, 0.3, 2], [-0.5, 2, 3], [0.25, 0.25, 4]] as const) {
      for (const n of [1, 3, 4, 5, 37, 1037, 20000]) {
        const x = mixedInputs(rng, n, -8, 8);
        const dy = rng.float32Array(n, -2, 2);
        const act = new RReLU({ lower, upper, activations: acts, random: lcg(seed) });
        const y = act.forward(x);
        const { y: expected, noise } = trainingReference(x, lower, upper, lcg(seed));
        expect(firstDifference(y, expected), `n = ${n}, [${lower}, ${upper}]`).toBe(-1);
        for (let i = 0; i < n; i++) {
          if (x[i] > 0 || Number.isNaN(x[i])) continue;
          if (!(noise[i] >= f(lower) && noise[i] <= f(upper))) expect.fail(`slope ${noise[i]} outside [${lower}, ${upper}]`);
        }
        expect(firstDifference(act.backward(dy), backwardReference(dy, noise)), `n = ${n}`).toBe(-1);
      }
    }
  });

  it('draws u from xoshiro128+ seeded by splitmix32 from the seed, as an independent C implementation gives them', () => {
    // The top 24 bits of draws 0-5 and 1000-1005 as scripts/xoshiro-reference.c prints them: the
    // published xoshiro128plus.c (Blackman and Vigna) seeded by splitmix32, written in C.
    const expected: [seed: number, first: number[], at1000: number[]][] = [
      [0, [14944985, 626453, 1748796, 16520090, 4044039, 16507098], [14151757, 5205787, 13715637, 10927721, 5415793, 2214801]],
      [42, [14010316, 5110835, 2300454, 4403965, 14759419, 13084089], [13438387, 196868, 3310924, 4438332, 15756853, 13020563]],
      [2 ** 40 + 7, [7791096, 8240337, 7462697, 10344009, 13400613, 7272787], [7299930, 6230582, 2336678, 12767039, 233046, 10459762]],
    ];
    for (const [seed, first, at1000] of expected) {
      // lower 0, upper 1: the slope is u itself (24 bits, exact in a float32), y = -u at x = -1.
      const act = new RReLU({ lower: 0, upper: 1, seed, activations: acts });
      const y = act.forward(new Float32Array(1006).fill(-1));
      expect(Array.from(y.subarray(0, 6), (v) => -v * 2 ** 24), `seed ${seed}`).toEqual(first);
      expect(Array.from(y.subarray(1000), (v) => -v * 2 ** 24), `seed ${seed}`).toEqual(at1000);
      // One draw per element, used where x <= 0; a second forward continues the stream.
      const mixed = new RReLU({ lower: 0, upper: 1, seed, activations: acts });
      const ym = mixed.forward(Float32Array.from([-1, 3, NaN, -0, 0.5, -1]));
      expect(Array.from(ym), `seed ${seed}`).toEqual([-first[0] / 2 ** 24, 3, NaN, -0, 0.5, -first[5] / 2 ** 24]);
      expect(Array.from(mixed.backward(new Float32Array(6).fill(1)), (v) => v * 2 ** 24)).toEqual([first[0], 2 ** 24, 2 ** 24, first[3], 2 ** 24, first[5]]);
      mixed.forward(new Float32Array(994).fill(-1));
      expect(Array.from(mixed.forward(new Float32Array(6).fill(-1)), (v) => -v * 2 ** 24), `seed ${seed}`).toEqual(at1000);
    }
  });

  it('seed: the same seed gives the same slopes (noise and backward too), another seed others; bad seeds are refused', () => {
    const x = mixedInputs(new Rng(17), 3000);
    const dy = new Float32Array(3000).map((_, i) => Math.sin(i) + 2);
    const a = new RReLU({ seed: 123456789, activations: acts });
    const b = new RReLU({ seed: 123456789, activations: acts });
    const c = new RReLU({ seed: 123456790, activations: acts });
    for (let call = 0; call < 2; call++) {
      const ya = a.forward(x);
      expect(firstDifference(ya, b.forward(x)), `call ${call}`).toBe(-1);
      expect(firstDifference(a.backward(dy), b.backward(dy)), `call ${call}`).toBe(-1);
      expect(firstDifference(ya, c.forward(x)), `call ${call}`).not.toBe(-1);
    }
    for (const bad of [-1, 1.5, NaN, Infinity, 2 ** 53]) {
      expect(() => new RReLU({ seed: bad }), String(bad)).toThrow(/^seed must be an integer in \[0, 2\^53 - 1\]/);
      expect(() => new RReLU({ seed: bad }), String(bad)).toThrow(RangeError);
    }
    for (const bad of ['7', 1n, null]) {
      expect(() => new RReLU({ seed: bad as unknown as number }), String(bad)).toThrow(/^seed must be a number/);
      expect(() => new RReLU({ seed: bad as unknown as number }), String(bad)).toThrow(TypeError);
    }
    expect(new RReLU({ seed: 2 ** 53 - 1 }).training).toBe(true);
    expect(() => new RReLU({ seed: 1, random: Math.random })).toThrow(TypeError);
    expect(() => new RReLU({ seed: 1, random: Math.random })).toThrow(/seed and random cannot both be given/);
  });

  it('the generator\'s u is uniform on [0, 1): 2^18 draws in 64 bins within 5 sigma of 4096 each, mean 1/2', () => {
    const y = new RReLU({ lower: 0, upper: 1, seed: 7, activations: acts }).forward(new Float32Array(2 ** 18).fill(-1));
    const bins = new Array<number>(64).fill(0);
    let sum = 0;
    for (const v of y) {
      const u = -v;
      expect(u >= 0 && u < 1).toBe(true);
      bins[Math.floor(u * 64)]++;
      sum += u;
    }
    for (const count of bins) expect(Math.abs(count - 4096)).toBeLessThan(5 * Math.sqrt(4096));
    expect(Math.abs(sum / y.length - 0.5)).toBeLessThan(5 * Math.sqrt(1 / 12 / y.length));
  });

  it('gives y = x for x > 0 and x·r with r varying across elements for x <= 0 (default: the generator, seeded from Math.random)', () => {
    const x = new Float32Array(4096).map((_, i) => (i % 2 ? 1 + i : -1));
    const y = new RReLU({ activations: acts }).forward(x);
    const slopes = new Set<number>();
    for (let i = 0; i < x.length; i++) {
      if (x[i] > 0) expect(y[i]).toBe(x[i]);
      else {
        expect(y[i]).toBeGreaterThanOrEqual(-f(1 / 3));
        expect(y[i]).toBeLessThanOrEqual(-1 / 8);
        slopes.add(y[i]);
      }
    }
    expect(slopes.size).toBeGreaterThan(1000);
  });

  it('keeps the noise across backward passes and replaces it at the next forward', () => {
    const rng = new Rng(0x4015e);
    const x1 = mixedInputs(rng, 333, -4, 4);
    const x2 = mixedInputs(rng, 333, -4, 4);
    const dy = rng.float32Array(333, -2, 2);
    const act = new RReLU({ activations: acts, random: lcg(9) });
    const reference = lcg(9);
    act.forward(x1);
    const first = trainingReference(x1, 1 / 8, 1 / 3, reference);
    const dx1 = act.backward(dy);
    expect(firstDifference(dx1, backwardReference(dy, first.noise))).toBe(-1);
    expect(firstDifference(act.backward(dy), dx1)).toBe(-1); // a second backward: the same noise
    // Changing x after forward changes nothing (the saved copy and the noise are the module's).
    x1.fill(5);
    expect(firstDifference(act.backward(dy), dx1)).toBe(-1);
    act.forward(x2);
    const second = trainingReference(x2, 1 / 8, 1 / 3, reference);
    expect(firstDifference(act.backward(dy), backwardReference(dy, second.noise))).toBe(-1);
    // A forward of another length, then back: fresh noise each time.
    act.forward(x2.subarray(0, 100));
    const third = trainingReference(x2.subarray(0, 100), 1 / 8, 1 / 3, reference);
    expect(firstDifference(act.backward(dy.subarray(0, 100)), backwardReference(dy.subarray(0, 100), third.noise))).toBe(-1);
  });

  it('backward differentiates the last forward in the mode it ran in', () => {
    const rng = new Rng(0x30de);
    const x = mixedInputs(rng, 200, -4, 4);
    const dy = rng.float32Array(200, -2, 2);
    const act = new RReLU({ activations: acts, random: lcg(5) });
    act.forward(x);
    const { noise } = trainingReference(x, 1 / 8, 1 / 3, lcg(5));
    act.eval(); // switched after the training forward: its backward still uses that noise
    expect(firstDifference(act.backward(dy), backwardReference(dy, noise))).toBe(-1);
    act.forward(x); // an eval forward
    act.train(); // switched after: its backward is rreluBackward's
    expect(firstDifference(act.backward(dy), acts.rreluBackward(dy, x))).toBe(-1);
  });

  it('in place (out: x) keeps the right noise and saved x', () => {
    const rng = new Rng(0x1a);
    const x = mixedInputs(rng, 515, -4, 4);
    const copy = x.slice();
    const dy = rng.float32Array(515, -2, 2);
    const act = new RReLU({ activations: acts, random: lcg(11) });
    const y = act.forward(x, { out: x });
    expect(y).toBe(x);
    const { y: expected, noise } = trainingReference(copy, 1 / 8, 1 / 3, lcg(11));
    expect(firstDifference(x, expected)).toBe(-1);
    const expectedDx = backwardReference(dy, noise);
    const dx = act.backward(dy, { out: dy });
    expect(dx).toBe(dy);
    expect(firstDifference(dy, expectedDx)).toBe(-1);
  });

  it('a forward that throws leaves nothing saved; backward before any forward or after release() throws', () => {
    const act = new RReLU({ activations: acts, random: lcg(3) });
    expect(() => act.backward([1])).toThrow(/RReLU\.backward\(\) needs a forward\(\) first/);
    act.forward([-1, 2, -3]);
    expect(Array.from(act.backward([1, 1, 1])).every((v) => v > 0)).toBe(true);
    // out of the wrong length: the training forward throws, nothing stays saved.
    expect(() => act.forward([-1, 2, -3], { out: new Float32Array(2) })).toThrow(RangeError);
    expect(() => act.backward([1, 1, 1])).toThrow(/needs a forward/);
    // random() that throws.
    const failing = new RReLU({ activations: acts, random: () => { throw new Error('no entropy'); } });
    expect(() => failing.forward([-1])).toThrow(/no entropy/);
    expect(() => failing.backward([1])).toThrow(/needs a forward/);
    expect(Array.from(failing.forward([2]))).toEqual([2]); // no draw for x > 0
    act.forward([-1, 2, -3]);
    act.release();
    expect(() => act.backward([1, 1, 1])).toThrow(/needs a forward/);
    // Usable after release().
    act.forward([-1]);
    expect(act.backward([2])[0]).toBeGreaterThan(0);
  });

  it('takes ActivationBuffers as x, dy and out, equal to the array calls', () => {
    const rng = new Rng(0xb0f);
    const n = 777;
    const x = mixedInputs(rng, n, -4, 4);
    const dy = rng.float32Array(n, -2, 2);
    const { y: expected, noise } = trainingReference(x, 1 / 8, 1 / 3, lcg(21));
    const act = new RReLU({ activations: acts, random: lcg(21) });
    const bx = acts.allocate(n);
    const bdy = acts.allocate(n);
    const bout = acts.allocate(n);
    try {
      bx.array.set(x);
      bdy.array.set(dy);
      const y = act.forward(bx, { out: bout }) as ActivationBuffer;
      expect(y).toBe(bout);
      expect(firstDifference(bout.array, expected)).toBe(-1);
      expect(firstDifference(act.forward(bx) as Float32Array, trainingReference(x, 1 / 8, 1 / 3, lcg(21)).y)).not.toBe(-1); // the next draws
      act.release();
      const again = new RReLU({ activations: acts, random: lcg(21) });
      again.forward(bx);
      const dx = again.backward(bdy, { out: bout }) as ActivationBuffer;
      expect(dx).toBe(bout);
      expect(firstDifference(bout.array, backwardReference(dy, noise))).toBe(-1);
      again.release();
    } finally {
      bx.free();
      bdy.free();
      bout.free();
    }
  });
});

