// glu and gluBackward (and the GLU module): values against a float64 reference written here
// (a and b gathered by multi-index from the shape and dim, not from the kernels' [outer, 2, m]
// view) on every backend, shapes of rank 1 to 3 split along each dim, lengths across the kernels'
// vector and unroll boundaries and the copying path's chunk, ActivationBuffer operands
// (zero-copy and mixed), special values with PyTorch's results, the backward pass against the
// float64 derivative and by central finite differences, in place, and argument errors.
import { beforeAll, describe, expect, it } from 'vitest';
import {
  createActivations, definitions, GLU, glu, gluBackward, type Activations, type ActivationBuffer,
} from '../src/index.js';
import { BACKENDS } from './helpers/activations.js';
import { CHUNK } from './helpers/inputs.js';
import { Rng } from './helpers/rng.js';
import { FLT_MAX, ulpError } from './helpers/ulp.js';

const f = Math.fround;
const definition = definitions.glu;

/** sigmoid in float64, both signs accurate. */
function sigmoid(b: number): number {
  return b >= 0 ? 1 / (1 + Math.exp(-b)) : Math.exp(b) / (1 + Math.exp(b));
}

/** sigmoid'(b) in float64 as s (1 - s) from the logistic's tails, without cancellation. */
function sigmoidSlope(b: number): number {
  const s = sigmoid(b);
  const t = sigmoid(-b); // 1 - s, exactly, not by subtraction
  return Number.isNaN(b) ? NaN : s * t;
}

/** For element k of y (x's shape with dim halved), the indices of its a and b in x. */
function pairIndices(shape: readonly number[], dim: number): { ia: Int32Array; ib: Int32Array } {
  const axis = dim < 0 ? dim + shape.length : dim;
  const half = shape[axis] / 2;
  const yShape = shape.map((s, i) => (i === axis ? half : s));
  const total = yShape.reduce((p, s) => p * s, 1);
  const stride = (i: number) => shape.slice(i + 1).reduce((p, s) => p * s, 1);
  const ia = new Int32Array(total);
  const ib = new Int32Array(total);
  for (let k = 0; k < total; k++) {
    let rest = k;
    let index = 0;
    for (let i = yShape.length - 1; i >= 0; i--) {
      index += (rest % yShape[i]) * stride(i);
      rest = Math.floor(rest / yShape[i]);
    }
    ia[k] = index;
    ib[k] = index + half * stride(axis);
  }
  return { ia, ib };
}

/** y in float64: a · sigmoid(b) per pair. */
function expectedY(x: ArrayLike<number>, shape: readonly number[], dim: number): Float64Array {
  const { ia, ib } = pairIndices(shape, dim);
  return Float64Array.from(ia, (a, k) => x[a] * sigmoid(x[ib[k]]));
}

/** dx in float64: dy · sigmoid(b) at a's index, dy · a · sigmoid'(b) at b's. */
function expectedDx(dy: ArrayLike<number>, x: ArrayLike<number>, shape: readonly number[], dim: number): Float64Array {
  const { ia, ib } = pairIndices(shape, dim);
  const dx = new Float64Array(x.length);
  for (let k = 0; k < ia.length; k++) {
    const a = x[ia[k]];
    const b = x[ib[k]];
    dx[ia[k]] = dy[k] * sigmoid(b);
    dx[ib[k]] = dy[k] * a * sigmoidSlope(b);
  }
  return dx;
}

/** The worst ULP error of actual against exact, with its index. */
function worst(actual: ArrayLike<number>, exact: ArrayLike<number>): { ulp: number; at: number } {
  let w = { ulp: 0, at: -1 };
  expect(actual.length).toBe(exact.length);
  for (let i = 0; i < exact.length; i++) {
    const e = ulpError(actual[i], exact[i]);
    if (!(e <= w.ulp)) w = { ulp: Number.isNaN(e) ? Infinity : e, at: i };
  }
  return w;
}

/** x with a in [-4, 4) and b in [-20, 20), as uniform floats (b's range well inside the exp core's). */
function randomX(rng: Rng, n: number): Float32Array {
  return Float32Array.from({ length: n }, () => rng.uniform(-20, 20));
}

const SHAPES: readonly { shape: number[]; dim: number }[] = [
  ...[0, 2, 4, 6, 8, 10, 14, 16, 18, 30, 32, 34, 38, 40].map((n) => ({ shape: [n], dim: -1 })),
  { shape: [3, 10], dim: -1 }, { shape: [3, 10], dim: 1 }, { shape: [5, 34], dim: 1 },
  { shape: [10, 3], dim: 0 }, { shape: [8, 7], dim: 0 }, { shape: [6, 1], dim: -2 },
  { shape: [2, 6, 5], dim: 1 }, { shape: [3, 4, 9], dim: -2 }, { shape: [3, 5, 12], dim: 2 }, { shape: [4, 3, 2], dim: 0 },
  // Across the copying path's chunk: whole blocks per chunk, and blocks split into ranges.
  { shape: [2 * CHUNK + 6], dim: 0 }, { shape: [3, 2 * (CHUNK + 5)], dim: 1 }, { shape: [2, CHUNK + 3], dim: 0 },
  { shape: [1500, 22], dim: -1 }, { shape: [3, 2, 3000], dim: 1 },
];

describe.each(BACKENDS)('glu on %s', (backend) => {
  let acts: Activations;
  beforeAll(async () => {
    acts = await createActivations({ backend });
  });

  it.each(SHAPES.map((s) => [`[${s.shape.join(', ')}] dim ${s.dim}`, s] as const))('forward and backward of %s within their bounds, arrays and buffers', (_, { shape, dim }) => {
    const rng = new Rng(shape.reduce((p, s) => p * 31 + s, dim + 7));
    const n = shape.reduce((p, s) => p * s, 1);
    const x = randomX(rng, n);
    const dy = Float32Array.from({ length: n / 2 }, () => rng.uniform(-2, 2));
    const y = acts.glu(x, { shape, dim });
    expect(y.length).toBe(n / 2);
    const fw = worst(y, expectedY(x, shape, dim));
    expect(fw.ulp, `forward at ${fw.at}`).toBeLessThanOrEqual(definition.ulp);
    const dx = acts.gluBackward(dy, x, { shape, dim });
    expect(dx.length).toBe(n);
    const bw = worst(dx, expectedDx(dy, x, shape, dim));
    expect(bw.ulp, `backward at ${bw.at}`).toBeLessThanOrEqual(definition.backward.ulp);

    // The same through buffers: zero copy, and each operand a buffer with the others arrays
    // (arrays shorter than 8 floats run the js loop on a wasm backend, buffers the kernel: each
    // result is checked against the reference, not against the other).
    const yExact = expectedY(x, shape, dim);
    const dxExact = expectedDx(dy, x, shape, dim);
    const expectY = (actual: ArrayLike<number>, what: string) => {
      const w = worst(actual, yExact);
      expect(w.ulp, `${what}: forward at ${w.at}`).toBeLessThanOrEqual(definition.ulp);
    };
    const expectDx = (actual: ArrayLike<number>, what: string) => {
      const w = worst(actual, dxExact);
      expect(w.ulp, `${what}: backward at ${w.at}`).toBeLessThanOrEqual(definition.backward.ulp);
    };
    const xb = acts.allocate(n);
    const yb = acts.allocate(n / 2);
    const dyb = acts.allocate(n / 2);
    const dxb = acts.allocate(n);
    try {
      xb.array.set(x);
      dyb.array.set(dy);
      expect(acts.glu(xb, { shape, dim, out: yb })).toBe(yb);
      expectY(yb.array, 'buffers');
      expectY(acts.glu(xb, { shape, dim }), 'x a buffer');
      yb.array.fill(7);
      acts.glu(x, { shape, dim, out: yb });
      expectY(yb.array, 'out a buffer');
      const mixed = new Float32Array(n / 2);
      acts.glu(xb, { shape, dim, out: mixed });
      expectY(mixed, 'x a buffer, out an array');
      expect(acts.gluBackward(dyb, xb, { shape, dim, out: dxb })).toBe(dxb);
      expectDx(dxb.array, 'buffers');
      expectDx(acts.gluBackward(dy, xb, { shape, dim }), 'x a buffer');
      expectDx(acts.gluBackward(dyb, x, { shape, dim }), 'dy a buffer');
      dxb.array.fill(7);
      acts.gluBackward(dy, x, { shape, dim, out: dxb });
      expectDx(dxb.array, 'out a buffer');
    } finally {
      for (const b of [xb, yb, dyb, dxb]) b.free();
    }
  });

  it('gives the same bits on every backend but js (wasm-simd and wasm-scalar do the same float32 operations)', async () => {
    if (backend === 'js') return;
    const other = await createActivations({ backend: backend === 'wasm-simd' ? 'wasm-scalar' : 'wasm-simd' });
    const rng = new Rng(99);
    const x = Float32Array.from({ length: 2 * 1003 }, () => rng.uniform(-100, 100));
    const dy = Float32Array.from({ length: 1003 }, () => rng.uniform(-3, 3));
    expect(Array.from(acts.glu(x))).toEqual(Array.from(other.glu(x)));
    expect(Array.from(acts.gluBackward(dy, x))).toEqual(Array.from(other.gluBackward(dy, x)));
  });

  it('keeps the bound over b across the exp core\'s range, a and dy of every magnitude', () => {
    const rng = new Rng(4242);
    const m = 20000;
    const x = new Float32Array(2 * m);
    for (let i = 0; i < m; i++) {
      x[i] = (rng.next() < 0.5 ? -1 : 1) * 2 ** rng.uniform(-60, 60);
      x[m + i] = rng.uniform(-87, 87);
    }
    const dy = Float32Array.from({ length: m }, () => (rng.next() < 0.5 ? -1 : 1) * 2 ** rng.uniform(-30, 30));
    const fw = worst(acts.glu(x), expectedY(x, [2 * m], -1));
    expect(fw.ulp, `forward at ${fw.at}`).toBeLessThanOrEqual(definition.ulp);
    const bw = worst(acts.gluBackward(dy, x), expectedDx(dy, x, [2 * m], -1));
    expect(bw.ulp, `backward at ${bw.at}`).toBeLessThanOrEqual(definition.backward.ulp);
  });

  it('gives PyTorch\'s results for NaN, ±Infinity, ±0 and huge values', () => {
    // [a, b, y] with y as PyTorch computes a * sigmoid(b) (sigmoid(±Inf) = 1 / 0, Inf * 0 = NaN).
    const cases: [number, number, number][] = [
      [2, Infinity, 2], [2, -Infinity, 0], [-2, -Infinity, -0], [Infinity, -Infinity, NaN], [-Infinity, -Infinity, NaN],
      [Infinity, Infinity, Infinity], [Infinity, 0, Infinity], [-Infinity, 1, -Infinity], [NaN, 1, NaN], [1, NaN, NaN],
      [NaN, -Infinity, NaN], [0, 5, 0], [-0, 5, -0], [-0, -5, -0], [3, 0, 1.5], [3, -0, 1.5],
      [FLT_MAX, 100, FLT_MAX], [-FLT_MAX, 1e30, -FLT_MAX], [1, 1e30, 1], [1, -1e30, 0], [-1, -FLT_MAX, -0],
      [1e30, -80, f(1e30) * Math.exp(-80)], [0, Infinity, 0], [-0, Infinity, -0], [0, -Infinity, 0],
    ];
    const m = cases.length;
    const x = new Float32Array(2 * m);
    cases.forEach(([a, b], i) => {
      x[i] = a;
      x[m + i] = b;
    });
    const y = acts.glu(x);
    cases.forEach(([a, b, want], i) => {
      if (want === 0 || Number.isNaN(want) || !Number.isFinite(want)) {
        expect(Object.is(y[i], want), `glu(a = ${a}, b = ${b}) = ${y[i]}, want ${want}`).toBe(true);
      } else {
        expect(ulpError(y[i], want), `glu(a = ${a}, b = ${b}) = ${y[i]}, want ${want}`).toBeLessThanOrEqual(definition.ulp);
      }
    });
    // Backward at the same points with dy = 1: dx_a = sigmoid(b), dx_b = a sigmoid'(b) (0 at b = ±Inf, NaN for an infinite a there).
    const dx = acts.gluBackward(new Float32Array(m).fill(1), x);
    cases.forEach(([a, b], i) => {
      const da = sigmoid(b);
      const db = a * sigmoidSlope(b);
      for (const [got, want, what] of [[dx[i], da, 'dx_a'], [dx[m + i], db, 'dx_b']] as const) {
        const rounded = f(want);
        if (rounded === 0 || Number.isNaN(rounded) || !Number.isFinite(rounded)) {
          expect(Number.isNaN(got) ? Number.isNaN(rounded) : got === rounded, `${what}(a = ${a}, b = ${b}) = ${got}, want ${want}`).toBe(true);
        } else {
          expect(ulpError(got, want), `${what}(a = ${a}, b = ${b}) = ${got}, want ${want}`).toBeLessThanOrEqual(definition.backward.ulp);
        }
      }
    });
  });

  it('backward agrees with central finite differences of the float64 forward', () => {
    const rng = new Rng(77);
    const shape = [3, 8, 5];
    const dim = 1;
    const n = 120;
    const x = Float32Array.from({ length: n }, () => rng.uniform(-3, 3));
    const dy = Float32Array.from({ length: n / 2 }, () => rng.uniform(-1, 1));
    const dx = acts.gluBackward(dy, x, { shape, dim });
    const loss = (v: Float64Array) => expectedY(v, shape, dim).reduce((s, yk, k) => s + dy[k] * yk, 0);
    const h = 1e-6;
    for (let j = 0; j < n; j++) {
      const plus = Float64Array.from(x);
      const minus = Float64Array.from(x);
      plus[j] += h;
      minus[j] -= h;
      const numeric = (loss(plus) - loss(minus)) / (2 * h);
      expect(Math.abs(dx[j] - numeric), `dx[${j}] = ${dx[j]}, finite difference ${numeric}`).toBeLessThanOrEqual(1e-6 + 1e-5 * Math.abs(numeric));
    }
  });

  it('computes the backward pass in place (out = x), arrays and buffers, across the chunk', () => {
    for (const { shape, dim } of [{ shape: [40], dim: -1 }, { shape: [6, 10], dim: 0 }, { shape: [3, 2 * (CHUNK + 5)], dim: 1 }]) {
      const rng = new Rng(shape[0] + 5);
      const n = shape.reduce((p, s) => p * s, 1);
      const x = randomX(rng, n);
      const dy = Float32Array.from({ length: n / 2 }, () => rng.uniform(-2, 2));
      const expected = acts.gluBackward(dy, x, { shape, dim });
      const inPlace = x.slice();
      expect(acts.gluBackward(dy, inPlace, { shape, dim, out: inPlace })).toBe(inPlace);
      expect(Array.from(inPlace)).toEqual(Array.from(expected));
      const xb = acts.allocate(n);
      const dyb = acts.allocate(n / 2);
      try {
        xb.array.set(x);
        dyb.array.set(dy);
        expect(acts.gluBackward(dyb, xb, { shape, dim, out: xb })).toBe(xb);
        expect(Array.from(xb.array)).toEqual(Array.from(expected));
        xb.array.set(x);
        acts.gluBackward(dy, xb, { shape, dim, out: xb });
        expect(Array.from(xb.array)).toEqual(Array.from(expected));
      } finally {
        xb.free();
        dyb.free();
      }
    }
  });

  it('does not grow memory with the input size on the copying path', () => {
    const run = (n: number) => {
      const x = new Float32Array(n).fill(0.5);
      acts.glu(x);
      acts.gluBackward(new Float32Array(n / 2), x);
      acts.glu(x, { shape: [2, n / 2], dim: 0 });
      acts.gluBackward(new Float32Array(n / 2), x, { shape: [2, n / 2], dim: 0 });
    };
    run(4 * CHUNK);
    const before = acts.memoryStats().reservedBytes;
    run(64 * CHUNK);
    expect(acts.memoryStats().reservedBytes).toBe(before);
  });

  it('rejects freed buffers (an Error) and another instance\'s buffers (a TypeError) as any operand, writing nothing', async () => {
    const other = await createActivations({ backend: backend === 'js' ? 'wasm-simd' : 'js' });
    const values = Float32Array.from({ length: 100 }, (_, i) => i / 10 - 5);
    const freed = acts.allocate(100);
    freed.free();
    const freedHalf = acts.allocate(50);
    freedHalf.free();
    const out = new Float32Array(50).fill(9);
    expect(() => acts.glu(freed, { out })).toThrow(/after free/);
    expect(() => acts.glu(values, { out: freedHalf })).toThrow(/after free/);
    expect(() => acts.gluBackward(freedHalf, values)).toThrow(/dy after free/);
    expect(() => acts.gluBackward(out, freed)).toThrow(/x after free/);
    expect(() => acts.gluBackward(out, values, { out: freed })).toThrow(/out after free/);
    const foreign = other.allocate(100);
    foreign.array.set(values);
    expect(() => acts.glu(foreign, { out })).toThrow(TypeError);
    expect(() => acts.glu(foreign, { out })).toThrow(/another/);
    const foreignHalf = other.allocate(50);
    foreignHalf.array.fill(9);
    expect(() => acts.glu(values, { out: foreignHalf })).toThrow(/another/);
    expect(() => acts.gluBackward(out, values, { out: foreign })).toThrow(/another/);
    expect(Array.from(out)).toEqual(new Array(50).fill(9));
    expect(Array.from(foreignHalf.array)).toEqual(new Array(50).fill(9));
    expect(Array.from(foreign.array)).toEqual(Array.from(values));
    foreign.free();
    foreignHalf.free();
  });

  describe('argument errors: a TypeError or RangeError naming the argument, nothing written', () => {
    const x = Float32Array.from({ length: 30 }, (_, i) => i / 7 - 2);
    const xCopy = x.slice();
    const dy = new Float32Array(15).fill(1);
    const forward: [string, () => unknown, ErrorConstructor, RegExp][] = [
      ['odd size along dim', () => acts.glu(x, { shape: [6, 5], dim: 1 }), RangeError, /dim 1 is size 5/],
      ['odd size along the last dim (1-D)', () => acts.glu(x.subarray(0, 5)), RangeError, /dim -1 is size 5/],
      ['dim out of range', () => acts.glu(x, { shape: [6, 5], dim: 2 }), RangeError, /dim must be in \[-2, 1\]/],
      ['dim out of range below', () => acts.glu(x, { shape: [6, 5], dim: -3 }), RangeError, /dim must be in/],
      ['dim not an integer', () => acts.glu(x, { shape: [6, 5], dim: 0.5 }), TypeError, /dim must be an integer/],
      ['shape product != length', () => acts.glu(x, { shape: [4, 4] }), RangeError, /shape \[4, 4\] holds 16 elements but x has 30/],
      ['shape not an array', () => acts.glu(x, { shape: 30 as unknown as number[] }), TypeError, /shape must be an Array/],
      ['out of the wrong length', () => acts.glu(x, { out: new Float32Array(30) }), RangeError, /out must have half the length of x \(15\); got length 30/],
      ['out overlapping x', () => acts.glu(x, { out: x.subarray(5, 20) }), RangeError, /out overlaps x/],
      ['out at x\'s start', () => acts.glu(x, { out: x.subarray(0, 15) }), RangeError, /out overlaps x/],
      ['out not a Float32Array', () => acts.glu(x, { out: [] as unknown as Float32Array }), TypeError, /out must be a Float32Array/],
      ['unknown option', () => acts.glu(x, { alpha: 1 } as object), TypeError, /glu\(\) has no option 'alpha'/],
    ];
    it.each(forward)('glu: %s', (_, call, type, message) => {
      expect(call).toThrow(type);
      expect(call).toThrow(message);
      expect(Array.from(x)).toEqual(Array.from(xCopy));
    });
    const backward: [string, (out: Float32Array) => unknown, ErrorConstructor, RegExp][] = [
      ['odd size along dim', (out) => acts.gluBackward(dy, x, { shape: [6, 5], dim: 1, out }), RangeError, /dim 1 is size 5/],
      ['dim out of range', (out) => acts.gluBackward(dy, x, { dim: 1, out }), RangeError, /dim must be in \[-1, 0\]/],
      ['shape product != length', (out) => acts.gluBackward(dy, x, { shape: [2, 3], out }), RangeError, /shape \[2, 3\] holds 6/],
      ['dy of the wrong length', (out) => acts.gluBackward(dy.subarray(1), x, { out }), RangeError, /dy must have half the length of x \(15\)/],
      ['out of the wrong length', () => acts.gluBackward(dy, x, { out: new Float32Array(15) }), RangeError, /out must have the length of x \(30\)/],
      ['out overlapping x at another offset', () => acts.gluBackward(dy, big.subarray(0, 30), { out: big.subarray(3, 33) }), RangeError, /out overlaps x/],
      ['out overlapping dy', () => acts.gluBackward(big.subarray(40, 55), x.slice(), { out: big.subarray(30, 60) }), RangeError, /out overlaps dy/],
      ['out = dy\'s memory', () => acts.gluBackward(big.subarray(30, 45), x.slice(), { out: big.subarray(30, 60) }), RangeError, /out overlaps dy/],
    ];
    const big = new Float32Array(60);
    it.each(backward)('gluBackward: %s', (_, call, type, message) => {
      const out = new Float32Array(30).fill(9);
      big.fill(0);
      big.set(x, 0);
      const bigBefore = Array.from(big);
      expect(() => call(out)).toThrow(type);
      expect(() => call(out)).toThrow(message);
      expect(Array.from(out), 'out written').toEqual(new Array(30).fill(9));
      expect(Array.from(x)).toEqual(Array.from(xCopy));
      expect(Array.from(big)).toEqual(bigBefore);
    });
  });
});

describe('glu at the top level and the GLU module', () => {
  it('follows the documented examples', () => {
    expect(Array.from(glu([1, 2, 0, 100]))).toEqual([0.5, 2]);
    expect(Array.from(glu([1, 2, 0, 0], { shape: [2, 2], dim: 0 }))).toEqual([0.5, 1]);
    expect(Array.from(gluBackward([1], [2, 0]))).toEqual([0.5, 0.5]);
    expect(Array.from(new GLU({ dim: 0 }).forward([1, 0], { shape: [2] }))).toEqual([0.5]);
  });

  it('keeps a copy of x for backward, over the forward\'s shape and the module\'s dim', async () => {
    for (const backend of BACKENDS) {
      const acts = await createActivations({ backend });
      const module = new GLU({ dim: 1, activations: acts });
      expect(String(module)).toBe('GLU(dim=1)');
      const rng = new Rng(3);
      const shape = [4, 6, 3];
      const x = randomX(rng, 72);
      const dy = Float32Array.from({ length: 36 }, () => rng.uniform(-1, 1));
      const y = module.forward(x, { shape });
      expect(Array.from(y)).toEqual(Array.from(acts.glu(x, { shape, dim: 1 })));
      const saved = x.slice();
      x.fill(0); // the module keeps its own copy
      expect(Array.from(module.backward(dy))).toEqual(Array.from(acts.gluBackward(dy, saved, { shape, dim: 1 })));
    }
    expect(String(new GLU())).toBe('GLU(dim=-1)');
    expect(() => new GLU({ dim: 'x' as unknown as number })).toThrow(TypeError);
    expect(() => new GLU({ alpha: 1 } as object)).toThrow(/new GLU has no option 'alpha'|no option 'alpha'/);
    expect(() => new GLU().backward([1])).toThrow(/needs a forward\(\) first/);
    expect(() => new GLU().forward([1, 2, 3])).toThrow(RangeError);
  });
});
