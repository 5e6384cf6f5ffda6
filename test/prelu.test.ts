// prelu and preluBackward: values against an independent float64 reference on every backend,
// per-channel layouts ([N, C], [N, C, H, W], 1-D) across the kernels' loop and chunk boundaries,
// in place and with ActivationBuffer operands, special values, the weight gradient's accuracy
// contract, and argument errors.
import { beforeAll, describe, expect, it } from 'vitest';
import { Sweeper } from '../bench/accuracy/sweep.js';
import {
  createActivations, definitions, prelu, preluBackward, type Activations, type ActivationBuffer,
} from '../src/index.js';
import { BACKENDS } from './helpers/activations.js';
import { CHUNK, specialValues } from './helpers/inputs.js';
import { Rng } from './helpers/rng.js';
import { ulpError, ulpOf } from './helpers/ulp.js';

const f = Math.fround;

/** The layout of a shape as PyTorch's prelu sees it: dim 1 is the channel dim (1-D: one channel). */
function channelOf(shape: readonly number[]): (i: number) => number {
  const channels = shape.length > 1 ? shape[1] : 1;
  const inner = shape.slice(2).reduce((a, b) => a * b, 1);
  return (i) => Math.floor(i / inner) % channels;
}

/** The weight of element i: one for all, or its channel's (float32, as the API rounds them). */
function weightOf(weights: ArrayLike<number>, shape: readonly number[]): (i: number) => number {
  const channel = channelOf(shape);
  return (i) => f(weights.length === 1 ? weights[0] : weights[channel(i)]);
}

/** PyTorch's CPU kernel in float64, written here independently: x > 0 ? x : w·x, then rounded. */
function expectedForward(x: Float32Array, weights: ArrayLike<number>, shape: readonly number[]): Float32Array {
  const w = weightOf(weights, shape);
  return x.map((v, i) => f(v > 0 ? v : w(i) * v));
}

/** dx = x > 0 ? dy : w·dy, rounded once. */
function expectedDx(dy: Float32Array, x: Float32Array, weights: ArrayLike<number>, shape: readonly number[]): Float32Array {
  const w = weightOf(weights, shape);
  return dy.map((g, i) => f(x[i] > 0 ? g : w(i) * g));
}

/**
 * The weight gradient in float64: per weight, the terms (x > 0 ? 0 : x·dy, each exact in
 * float64) summed with Neumaier's compensation (error ~2^-106 of Σ|terms|, far below float32),
 * and Σ|terms| for the contract's cancellation allowance; n: terms per weight.
 */
function expectedDweight(dy: Float32Array, x: Float32Array, count: number, shape: readonly number[]): { sum: number[]; abs: number[]; n: number[] } {
  const channel = channelOf(shape);
  const sum = new Array<number>(count).fill(0);
  const comp = new Array<number>(count).fill(0);
  const abs = new Array<number>(count).fill(0);
  const n = new Array<number>(count).fill(0);
  for (let i = 0; i < x.length; i++) {
    const c = count === 1 ? 0 : channel(i);
    const t = x[i] > 0 ? 0 : x[i] * dy[i];
    n[c]++;
    abs[c] += Math.abs(t);
    const s = sum[c] + t;
    comp[c] += Math.abs(sum[c]) >= Math.abs(t) ? (sum[c] - s) + t : (t - s) + sum[c];
    sum[c] = s;
  }
  return { sum: sum.map((s, c) => s + comp[c]), abs, n };
}

/** Asserts the weight gradient's contract: within ½ ULP of the exact sum plus n·2^-53·Σ|terms|. */
function expectDweight(got: Float32Array, dy: Float32Array, x: Float32Array, shape: readonly number[], what: string): void {
  const { sum, abs, n } = expectedDweight(dy, x, got.length, shape);
  for (let c = 0; c < got.length; c++) {
    if (!Number.isFinite(abs[c])) {
      // An infinite or NaN term: the plain float64 sum is NaN or the infinity, exactly.
      let plain = 0;
      for (let i = 0; i < x.length; i++) {
        if ((got.length === 1 ? 0 : channelOf(shape)(i)) === c && !(x[i] > 0)) plain += x[i] * dy[i];
      }
      expect(got[c], `${what}: dweight[${c}]`).toBe(plain);
      continue;
    }
    if (!Number.isFinite(f(sum[c]))) {
      expect(got[c], `${what}: dweight[${c}] overflows float32`).toBe(f(sum[c])); // correctly rounded to ±Infinity
      continue;
    }
    const allowed = 0.5 * ulpOf(sum[c]) + n[c] * 2 ** -53 * abs[c];
    expect(Math.abs(got[c] - sum[c]), `${what}: dweight[${c}] = ${got[c]}, exact ${sum[c]}`).toBeLessThanOrEqual(allowed);
  }
}

/** Bitwise equality (NaN equals NaN, the sign of zero counts), with the first difference named. */
function expectSame(got: ArrayLike<number>, want: ArrayLike<number>, what: string, x?: ArrayLike<number>): void {
  expect(got.length, `${what}: length`).toBe(want.length);
  for (let i = 0; i < want.length; i++) {
    if (!Object.is(got[i], want[i])) {
      expect.fail(`${what}: [${i}] = ${got[i]}, expected ${want[i]}${x ? ` (x = ${x[i]})` : ''}`);
    }
  }
}

/** Weights of every kind: negative, zero, in (0, 1], above 1, tiny and huge. */
function weightsFor(count: number, rng: Rng): Float32Array {
  const kinds = [0.25, -0.5, 0, 1, 3.75, 1e-3, -7, 2 ** -130, 1e30];
  return Float32Array.from({ length: count }, (_, c) => (c < kinds.length ? kinds[c] : f(rng.uniform(-2, 2))));
}

/** Inputs: uniform values of both signs with the special values mixed in. */
function inputs(n: number, rng: Rng): Float32Array {
  const x = rng.float32Array(n, -8, 8);
  const special = specialValues();
  for (let i = 0; i < n; i += 7) x[i] = special[rng.int(special.length)];
  return x;
}

/** The layouts exercised: 1-D, [N, C] (periodic kernels) and [N, C, ...] (block kernels), across chunks. */
const SHAPES: readonly (readonly number[])[] = [
  [1], [5], [37], [40000],
  [3, 1], [2, 2], [7, 3], [9, 4], [5, 5], [16, 64], [3, 100], [20000, 3], [625, 64], [2, 33000],
  [2, 3, 2], [4, 5, 3], [3, 4, 4, 4], [2, 64, 7, 7], [10, 7, 23, 25], [1, 3, 16385], [2, 1, 9],
  // [N, C] with C from 256 on: the weights as they are (period C), C not a multiple of 4 too.
  [3, 256], [5, 257], [4, 1001], [9, 2050],
];

const PER_CHANNEL = definitions.prelu;

describe.each(BACKENDS)('%s', (backend) => {
  let acts: Activations;
  beforeAll(async () => {
    acts = await createActivations({ backend });
  });

  describe.each(SHAPES.map((shape) => ({ shape, label: JSON.stringify(shape) })))('shape $label', ({ shape }) => {
    const n = shape.reduce((a, b) => a * b, 1);
    const channels = shape.length > 1 ? shape[1] : 1;

    it('forward: exactly the correctly rounded w·x or x, per channel and with one weight', () => {
      const rng = new Rng(0x9e1 + n + channels);
      const x = inputs(n, rng);
      for (const weights of [weightsFor(channels, rng), Float32Array.of(0.25), Float32Array.of(-1.5)]) {
        const y = acts.prelu(x, { weight: weights, shape });
        expectSame(y, expectedForward(x, weights, shape), `${weights.length} weights`, x);
      }
    });

    it('backward: dx exact, dweight within its contract', () => {
      const rng = new Rng(0xb4c + n + channels);
      const x = inputs(n, rng);
      const dy = rng.float32Array(n, -3, 3);
      for (const weights of [weightsFor(channels, rng), Float32Array.of(0.25)]) {
        const { dx, dweight } = acts.preluBackward(dy, x, { weight: weights, shape });
        expectSame(dx, expectedDx(dy, x, weights, shape), `${weights.length} weights: dx`, x);
        expect(dweight).toBeInstanceOf(Float32Array);
        expect(dweight.length).toBe(weights.length);
        expectDweight(dweight, dy, x, shape, `${weights.length} weights, special values in x`);
        // Finite x only: the sums themselves, not a NaN from one term.
        const finite = rng.float32Array(n, -8, 8);
        const r = acts.preluBackward(dy, finite, { weight: weights, shape });
        expectDweight(r.dweight, dy, finite, shape, `${weights.length} weights, finite x`);
      }
    });
  });

  it('computes in place (out = x forward; out = dy and out = x backward) with the same results', () => {
    const rng = new Rng(0x1ace);
    const shape = [300, 7];
    const x = inputs(2100, rng);
    const dy = rng.float32Array(2100, -1, 1);
    const weight = weightsFor(7, rng);
    const y = acts.prelu(x, { weight, shape });
    const inPlace = x.slice();
    expect(acts.prelu(inPlace, { weight, shape, out: inPlace })).toBe(inPlace);
    expectSame(inPlace, y, 'forward in place');
    const want = acts.preluBackward(dy, x, { weight, shape });
    const dyCopy = dy.slice();
    const intoDy = acts.preluBackward(dyCopy, x, { weight, shape, out: dyCopy });
    expect(intoDy.dx).toBe(dyCopy);
    expectSame(intoDy.dx, want.dx, 'dx into dy');
    expectSame(intoDy.dweight, want.dweight, 'dweight, dx into dy');
    const xCopy = x.slice();
    const intoX = acts.preluBackward(dy, xCopy, { weight, shape, out: xCopy });
    expectSame(intoX.dx, want.dx, 'dx into x');
    expectSame(intoX.dweight, want.dweight, 'dweight, dx into x');
  });

  it('takes ActivationBuffers as x, dy and out (zero copy and one copy) with the plain-array results', () => {
    const rng = new Rng(0xbf);
    for (const shape of [[40, 64], [4, 3, 5, 7], [9000, 3], [50]]) {
      const n = shape.reduce((a, b) => a * b, 1);
      const channels = shape.length > 1 ? shape[1] : 1;
      const weight = weightsFor(channels, rng);
      const x = inputs(n, rng);
      const dy = rng.float32Array(n, -2, 2);
      const y = acts.prelu(x, { weight, shape });
      const grads = acts.preluBackward(dy, x, { weight, shape });
      const bx = acts.allocate(n);
      const bdy = acts.allocate(n);
      const bout = acts.allocate(n);
      const used = [bx, bdy, bout] as ActivationBuffer[];
      bx.array.set(x);
      bdy.array.set(dy);
      expect(acts.prelu(bx, { weight, shape, out: bout })).toBe(bout);
      expectSame(bout.array, y, `${shape}: buffer x, buffer out`);
      expectSame(acts.prelu(bx, { weight, shape }), y, `${shape}: buffer x, array out`);
      expectSame(acts.prelu(x, { weight, shape, out: bout }).array, y, `${shape}: array x, buffer out`);
      const zero = acts.preluBackward(bdy, bx, { weight, shape, out: bout });
      expect(zero.dx).toBe(bout);
      expectSame(bout.array, grads.dx, `${shape}: backward, all buffers`);
      expectDweight(zero.dweight, dy, x, shape, `${shape}: backward, all buffers`);
      const mixed = acts.preluBackward(dy, bx, { weight, shape });
      expectSame(mixed.dx, grads.dx, `${shape}: backward, buffer x`);
      expectDweight(mixed.dweight, dy, x, shape, `${shape}: backward, buffer x`);
      bx.array.set(x);
      const inPlace = acts.preluBackward(bdy, bx, { weight, shape, out: bx });
      expectSame(inPlace.dx.array, grads.dx, `${shape}: backward in place in a buffer`);
      for (const b of used) b.free();
    }
  });

  it('follows PyTorch at special values: NaN stays NaN, -0 gives w·-0, w = 0 at -Infinity gives NaN', () => {
    const x = Float32Array.of(NaN, -0, 0, Infinity, -Infinity, 2 ** -149, -(2 ** -149), 3.4028234663852886e38, -3.4028234663852886e38);
    expectSame(acts.prelu(x, { weight: 0.5 }), [NaN, -0, 0, Infinity, -Infinity, 2 ** -149, -0, 3.4028234663852886e38, f(-1.7014117331926443e38)], 'w = 0.5');
    expectSame(acts.prelu(x, { weight: -2 }), [NaN, 0, -0, Infinity, Infinity, 2 ** -149, 2 ** -148, 3.4028234663852886e38, Infinity], 'w = -2');
    expectSame(acts.prelu(x, { weight: 0 }), [NaN, -0, 0, Infinity, NaN, 2 ** -149, -0, 3.4028234663852886e38, -0], 'w = 0');
    // Backward: a NaN x takes the weight branch; x > 0 gives a zero term even for dy = ±Infinity or NaN.
    const xs = Float32Array.of(NaN, 1, 2, Infinity, -Infinity, -0);
    const dys = Float32Array.of(1, Infinity, NaN, NaN, 0, 5);
    const { dx, dweight } = acts.preluBackward(dys, xs, { weight: 0.5 });
    expectSame(dx, [0.5, Infinity, NaN, NaN, 0, 2.5], 'dx');
    expect(dweight[0]).toBeNaN(); // NaN·1 and -Infinity·0
    const finite = acts.preluBackward(Float32Array.of(Infinity, NaN, 3), Float32Array.of(1, 2, -2), { weight: 0.5 });
    expectSame(finite.dweight, [-6], 'x > 0 terms are 0 whatever dy');
  });

  it('per channel too: x > 0 ? x : w·x at special values, a weight of 0 taking -Infinity to NaN', () => {
    // Weights 0 and -2 keep every channel off the max(x, w·x) shortcut of the all-in-(0, 1]
    // case (max(-Infinity, 0·-Infinity) would be -Infinity on the v128 path only).
    const specials = [NaN, -0, 0, Infinity, -Infinity, -1, 3, -(2 ** -149)];
    for (const weight of [Float32Array.of(0, 0.5, -2, 1), Float32Array.of(0.25, 0)]) {
      const channels = weight.length;
      const rows = 37;
      const x = Float32Array.from({ length: rows * channels }, (_, i) => specials[Math.floor(i / channels) % specials.length]);
      const expected = Array.from(x, (v, i) => (v > 0 ? v : f(weight[i % channels] * v)));
      expectSame(acts.prelu(x, { weight, shape: [rows, channels] }), expected, `weights ${Array.from(weight)}`);
    }
  });

  it('sums the weight gradient without overflow or loss: float64 sums of float32 products', () => {
    // 4000 terms of (-1e30)·(-1e10) = 1e40 each overflow float32 one by one, not in float64; the
    // sum 4e43 is beyond float32, so the gradient is +Infinity, correctly rounded.
    const n = 4000;
    const big = acts.preluBackward(new Float32Array(n).fill(-1e10), new Float32Array(n).fill(-1e30), { weight: 0.25 });
    expect(big.dweight[0]).toBe(Infinity);
    // 1 + 2^-24 · 2^24 terms: float32 accumulation would lose every small term; float64 keeps them.
    const m = 1 << 16;
    const x = new Float32Array(m + 1).fill(-(2 ** -24));
    x[0] = -1;
    const dy = new Float32Array(m + 1).fill(-1);
    const small = acts.preluBackward(dy, x, { weight: 0.25 });
    expect(small.dweight[0]).toBe(f(1 + m * 2 ** -24));
    // Cancellation: +1e8 and -1e8 with small terms between; exact sum 6.
    const xs = Float32Array.of(-1e8, -1, -2, -3, -1e8);
    const dys = Float32Array.of(1, 1, 1, 1, -1);
    expect(acts.preluBackward(dys, xs, { weight: 1 }).dweight[0]).toBe(-6);
  });

  it('writes into weightOut and out when given, and returns them', () => {
    const x = Float32Array.of(-1, 2, -3, 4, -5, 6);
    const dy = Float32Array.of(1, 1, 1, 1, 1, 1);
    const out = new Float32Array(6);
    const weightOut = new Float32Array(3);
    const r = acts.preluBackward(dy, x, { weight: [0.1, 0.2, 0.3], shape: [2, 3], out, weightOut });
    expect(r.dx).toBe(out);
    expect(r.dweight).toBe(weightOut);
    expectSame(out, [f(0.1), 1, f(0.3), 1, f(0.2), 1], 'dx');
    expectSame(weightOut, [-1, -5, -3], 'dweight'); // channel 0: x = -1, 4; channel 1: 2, -5; channel 2: -3, 6
  });

  it('leaves the weights and inputs unchanged and rounds number[] weights to float32', () => {
    const x = Float32Array.of(-1, -1, -1);
    const weight = [0.1, 0.2, 0.3];
    const y = acts.prelu(x, { weight, shape: [1, 3] });
    expectSame(y, [-f(0.1), -f(0.2), -f(0.3)], 'rounded weights');
    expect(weight).toEqual([0.1, 0.2, 0.3]);
    const w32 = Float32Array.of(0.5, 2, 4);
    acts.preluBackward(x, x, { weight: w32, shape: [1, 3] });
    expectSame(w32, [0.5, 2, 4], 'Float32Array weight');
    expectSame(x, [-1, -1, -1], 'x');
  });

  it('handles empty inputs and empty channels', () => {
    expect(acts.prelu(new Float32Array(0), { weight: 0.25 }).length).toBe(0);
    expect(acts.prelu([], { weight: [], shape: [3, 0] }).length).toBe(0);
    const r = acts.preluBackward([], [], { weight: [1, 2], shape: [0, 2] });
    expectSame(r.dweight, [0, 0], 'no elements: a zero gradient');
  });

  describe('rejects bad calls before writing anything', () => {
    const x = Float32Array.of(1, -2, 3, -4, 5, -6);
    const cases: Array<[string, () => unknown, ErrorConstructor, RegExp]> = [];
    const out = new Float32Array(6);
    const fwd = (options: unknown) => () => (acts.prelu as (x: unknown, o?: unknown) => unknown)(x, options);
    const bwd = (options: unknown) => () => (acts.preluBackward as (dy: unknown, x: unknown, o?: unknown) => unknown)(x, x, options);
    for (const call of [fwd, bwd]) {
      cases.push(['no options', call(undefined), TypeError, /\bweight\b/]);
      cases.push(['no weight', call({ out }), TypeError, /\bweight\b/]);
      cases.push(['weight count 2 for 3 channels', call({ weight: [1, 2], shape: [2, 3], out }), RangeError, /\bweight\b/]);
      cases.push(['3 weights for a 1-D x', call({ weight: [1, 2, 3], out }), RangeError, /\bweight\b/]);
      cases.push(['3 weights for [3, 2] (dim 1 is the channel dim)', call({ weight: [1, 2, 3], shape: [3, 2], out }), RangeError, /\bweight\b/]);
      cases.push(['weight NaN', call({ weight: NaN, out }), RangeError, /\bweight\b/]);
      cases.push(['weight Infinity', call({ weight: Infinity, out }), RangeError, /\bweight\b/]);
      cases.push(['weight 1e39 (Infinity as a float32)', call({ weight: 1e39, out }), RangeError, /\bweight\b/]);
      cases.push(['weight [1, NaN, 1]', call({ weight: [1, NaN, 1], shape: [2, 3], out }), RangeError, /weight\[1\]/]);
      cases.push(['weight Float32Array [-Infinity]', call({ weight: Float32Array.of(-Infinity), out }), RangeError, /\bweight\b/]);
      cases.push(['weight a string', call({ weight: '0.25', out }), TypeError, /\bweight\b/]);
      cases.push(['weight null', call({ weight: null, out }), TypeError, /\bweight\b/]);
      cases.push(['weight a Float64Array', call({ weight: new Float64Array(1), out }), TypeError, /\bweight\b/]);
      cases.push(["weight ['1']", call({ weight: ['1'], out }), TypeError, /weight\[0\]/]);
      cases.push(['shape product ≠ length', call({ weight: 1, shape: [2, 2], out }), RangeError, /\bshape\b/]);
      cases.push(['shape not an Array', call({ weight: 1, shape: 6, out }), TypeError, /\bshape\b/]);
      cases.push(['shape []', call({ weight: 1, shape: [], out }), RangeError, /\bshape\b/]);
      cases.push(['an unknown option dim', call({ weight: 1, dim: 1, out }), TypeError, /'dim'/]);
      cases.push(['out too short', call({ weight: 1, out: new Float32Array(5) }), RangeError, /\bout\b/]);
    }
    cases.push(['weightOut in forward', fwd({ weight: 1, weightOut: new Float32Array(1), out }), TypeError, /'weightOut'/]);
    cases.push(['weightOut of the wrong length', bwd({ weight: [1, 2, 3], shape: [2, 3], out, weightOut: new Float32Array(1) }), RangeError, /\bweightOut\b/]);
    cases.push(['weightOut an Array', bwd({ weight: 1, out, weightOut: [0] }), TypeError, /\bweightOut\b/]);
    cases.push(['weightOut inside out', bwd({ weight: 1, out, weightOut: out.subarray(2, 3) }), RangeError, /\bweightOut\b/]);
    cases.push(['dy and x of different lengths', () => acts.preluBackward([1, 2], [1], { weight: 1 }), RangeError, /\bdy\b/]);

    it.each(cases)('%s', (_, call, type, message) => {
      out.fill(7);
      expect(call).toThrow(type);
      expect(call).toThrow(message);
      expect(Array.from(out).every((v) => v === 7), 'out written').toBe(true);
    });
  });
});

describe('every backend alike', () => {
  it('wasm-simd and wasm-scalar give the same bits (y, dx, dweight); js the same y and dx', async () => {
    const [simd, scalar, js] = await Promise.all(BACKENDS.map((backend) => createActivations({ backend })));
    const rng = new Rng(0x5ca1);
    for (const shape of [[1000, 64], [37, 5, 11], [30000], [4, 7, 1, 3]]) {
      const n = shape.reduce((a, b) => a * b, 1);
      const weight = weightsFor(shape.length > 1 ? shape[1] : 1, rng);
      const x = inputs(n, rng);
      const dy = rng.float32Array(n, -4, 4);
      const a = simd.preluBackward(dy, x, { weight, shape });
      const b = scalar.preluBackward(dy, x, { weight, shape });
      const c = js.preluBackward(dy, x, { weight, shape });
      expectSame(b.dx, a.dx, `${shape}: scalar dx`);
      expectSame(b.dweight, a.dweight, `${shape}: scalar dweight`);
      expectSame(c.dx, a.dx, `${shape}: js dx`);
      expectSame(scalar.prelu(x, { weight, shape }), simd.prelu(x, { weight, shape }), `${shape}: scalar y`);
      expectSame(js.prelu(x, { weight, shape }), simd.prelu(x, { weight, shape }), `${shape}: js y`);
      for (let k = 0; k < weight.length; k++) expect(ulpError(c.dweight[k], a.dweight[k]), `${shape}: js dweight[${k}]`).toBeLessThanOrEqual(1);
    }
  });

  it('the weight gradient of many terms of one sign is within 1 ULP of the exact sum', async () => {
    for (const backend of BACKENDS) {
      const acts = await createActivations({ backend });
      const rng = new Rng(0x1e6);
      const n = 3 * CHUNK + 6;
      const x = rng.float32Array(n, -4, 0);
      const dy = rng.float32Array(n, 0, 2);
      for (const [shape, weight] of [[[n], [0.25]], [[n / 3, 3], [0.25, 0.5, 2]], [[n / 6, 3, 2], [1, 1, 1]]]) {
        const { dweight } = acts.preluBackward(dy, x, { weight, shape });
        const exact = expectedDweight(dy, x, weight.length, shape).sum;
        exact.forEach((e, c) => expect(ulpError(dweight[c], e), `${backend} ${shape}: dweight[${c}]`).toBeLessThanOrEqual(1));
      }
    }
  });
});

describe('the accuracy tool', () => {
  it.each(BACKENDS)('sweeps prelu (weight 0.25) forward and dx within the bound on %s', (backend) => {
    for (const direction of ['forward', 'backward'] as const) {
      const stats = new Sweeper(PER_CHANNEL, backend, direction).sample(64, 0x9a);
      expect(stats.count).toBe(512 * 64);
      expect(stats.nanMismatch + stats.infMismatch + stats.signMismatch, direction).toBe(0);
      expect(stats.maxUlp, direction).toBeLessThanOrEqual(PER_CHANNEL.ulp);
    }
  });
});

describe('the top-level functions', () => {
  it('run the JSDoc examples on the default instance', () => {
    expectSame(prelu([-2, 0, 3], { weight: 0.25 }), [-0.5, 0, 3], 'prelu');
    expectSame(prelu([-1, -1, 2, -4], { weight: [0.1, 0.5], shape: [2, 2] }), [-f(0.1), -0.5, 2, -2], 'per channel');
    const { dx, dweight } = preluBackward([1, 1, 1], [-2, 0.5, -1], { weight: 0.25 });
    expectSame(dx, [0.25, 1, 0.25], 'dx');
    expectSame(dweight, [-3], 'dweight');
  });
});

describe('memory for many channels', () => {
  it.each(['wasm-simd', 'wasm-scalar'] as const)('keeps C weights and C sums for [N, C] from C = 256 on, also for C odd (%s)', async (backend) => {
    const reserved: number[] = [];
    for (const channels of [100000, 100001]) {
      const acts = await createActivations({ backend });
      const x = new Float32Array(2 * channels).fill(-1);
      const weight = new Float32Array(channels).fill(0.25);
      acts.prelu(x, { weight, shape: [2, channels] });
      acts.preluBackward(x, x, { weight, shape: [2, channels] });
      reserved.push(acts.memoryStats().reservedBytes);
    }
    // Tiled to a multiple of 4, the odd count took 4 C weights and 4 C float64 sums: 3.6 MB more.
    expect(reserved[1] - reserved[0]).toBeLessThanOrEqual(65536);
  });
});

describe('weights and operands that are views of the instance\'s memory', () => {
  it.each(['wasm-simd', 'wasm-scalar'] as const)('stay correct when the call grows memory (%s)', async (backend) => {
    for (const direction of ['forward', 'backward'] as const) {
      const acts = await createActivations({ backend });
      // A fresh instance: the first per-channel call reserves its weight region, growing memory,
      // which detaches every view of it taken before.
      acts.relu(new Float32Array(100)); // the copy path's scratch, reserved before
      const weights = acts.allocate(64);
      weights.array.set(Float32Array.from({ length: 64 }, (_, c) => (c - 32) / 16));
      const x = acts.allocate(64 * 9);
      const rng = new Rng(0x96);
      const values = rng.float32Array(64 * 9, -4, 4);
      x.array.set(values);
      const { reservedBytes, usedBytes } = acts.memoryStats();
      const filler = acts.allocate(Math.max(0, Math.floor((reservedBytes - usedBytes) / 4) - 8)); // memory now full
      const reserved0 = acts.memoryStats().reservedBytes;
      const want = expectedForward(values, weights.array.slice(), [9, 64]);
      if (direction === 'forward') {
        expectSame(acts.prelu(x.array, { weight: weights.array, shape: [9, 64] }), want, 'forward, views of memory');
      } else {
        const dy = new Float32Array(64 * 9).fill(1);
        const gradient = acts.allocate(64); // weightOut as a view of memory: the call detaches it
        const gradientView = gradient.array;
        const { dx, dweight } = acts.preluBackward(dy, x.array, { weight: weights.array, shape: [9, 64], weightOut: gradientView });
        expectSame(dx, expectedDx(dy, values, weights.array.slice(), [9, 64]), 'backward, views of memory');
        expect(gradientView.length, 'the call detached the weightOut view').toBe(0);
        const fresh = acts.preluBackward(dy, values, { weight: weights.array.slice(), shape: [9, 64] }).dweight;
        expect(Array.from(dweight), 'dweight: a view of the same floats').toEqual(Array.from(fresh));
        expect(Array.from(gradient.array), 'written into the buffer').toEqual(Array.from(fresh));
        gradient.free();
      }
      expect(acts.memoryStats().reservedBytes, 'the call grew memory').toBeGreaterThan(reserved0);
      for (const b of [filler, weights, x]) b.free();
    }
  });
});
