// Backward passes of every registry entry on every backend: dx within `definition.backward.ulp`
// of the float64 reference (element-wise: dy · derivative(x); reductions: backward.reference on
// each slice of dy and y) over ≥ 10^6 sweep points, finite differences of the forward reference
// as a second check of each derivative, PyTorch's special values, every length around the tile
// and chunk boundaries, in place (out === dy, out === the saved tensor), buffers in any role,
// bit-identical simd and scalar builds, and the argument checks.
import { beforeAll, describe, expect, it } from 'vitest';
import {
  createActivations, definitions, leakyReluBackward, reluBackward, sigmoidBackward, softmaxBackward, tanhBackward,
  type Activations, type ActivationBuffer, type ElementwiseDefinition, type ReductionDefinition,
} from '../src/index.js';
import {
  BACKENDS, defaultParams, elementwiseDefinitions, firstDifference, layoutOf, paramCases, reductionDefinitions,
  reductionReference, type ParamCase,
} from './helpers/activations.js';
import { compensatedSum } from '../src/activations/softmax.js';
import { boundaryLengths, FLT_MAX, FLT_TRUE_MIN, mixedInputs, SWEEP_SIZE_MIN, sweepInputs } from './helpers/inputs.js';
import { Rng } from './helpers/rng.js';
import { describeWorst, float32Bits, maxUlp, showFloat32, ulpError } from './helpers/ulp.js';

/** A backward pass, loosely typed (options checked at run time, as the tests want). */
type LooseBackward = (dy: unknown, saved: unknown, options?: unknown) => Float32Array;

function backwardOf(act: Activations, definition: { name: string } | string): LooseBackward {
  const name = `${typeof definition === 'string' ? definition : definition.name}Backward`;
  const f = (act as unknown as Record<string, unknown>)[name];
  if (typeof f !== 'function') throw new Error(`the instance has no function ${name}`);
  return f as LooseBackward;
}

/** dy · derivative(x) in float64 for every element. */
function elementwiseBackwardReference(
  definition: ElementwiseDefinition, dy: ArrayLike<number>, x: ArrayLike<number>, params: Record<string, number | string>,
): Float64Array {
  const out = new Float64Array(x.length);
  for (let i = 0; i < x.length; i++) out[i] = dy[i] * definition.derivative(x[i], params);
  return out;
}

/** backward.reference on every slice along dim of dy and y (of shape), float64. */
function reductionBackwardReference(
  definition: ReductionDefinition, dy: ArrayLike<number>, y: ArrayLike<number>, shape: readonly number[], dim: number,
): Float64Array {
  const { outer, n, inner } = layoutOf(shape, dim);
  const out = new Float64Array(dy.length);
  const params = defaultParams(definition);
  for (let o = 0; o < outer; o++) {
    for (let c = 0; c < inner; c++) {
      const base = o * n * inner + c;
      const g: number[] = [];
      const s: number[] = [];
      for (let k = 0; k < n; k++) {
        g.push(dy[base + k * inner]);
        s.push(y[base + k * inner]);
      }
      const r = definition.backward.reference(g, s, params);
      for (let k = 0; k < n; k++) out[base + k * inner] = r[k];
    }
  }
  return out;
}

const sweep = sweepInputs();
const sweepDy = new Rng(0xd1).float32Array(sweep.length, -4, 4);
const ones = new Float32Array(sweep.length).fill(1);
const DYS: ReadonlyArray<[string, Float32Array]> = [['dy in [-4, 4]', sweepDy], ['dy = 1', ones]];

const references = new Map<string, Float64Array>();
function sweepReference(definition: ElementwiseDefinition, paramCase: ParamCase, dyLabel: string, dy: Float32Array): Float64Array {
  const key = `${definition.name} ${paramCase.label} ${dyLabel}`;
  let ref = references.get(key);
  if (!ref) {
    ref = elementwiseBackwardReference(definition, dy, sweep, paramCase.params);
    references.set(key, ref);
  }
  return ref;
}

function expectElementwiseWithin(
  definition: ElementwiseDefinition, dy: Float32Array, x: Float32Array, dx: Float32Array, params: Record<string, number | string>, what: string,
): void {
  const worst = maxUlp(dx, elementwiseBackwardReference(definition, dy, x, params), x);
  expect(worst.ulp, `${definition.name}Backward ${what}: ${describeWorst(worst)}`).toBeLessThanOrEqual(definition.backward.ulp);
}

/** The same value, by Object.is except that the sign of a zero is not checked. */
function same(a: number, b: number): boolean {
  return Object.is(a, b) || (a === 0 && b === 0);
}

describe('the backward sweep', () => {
  it('has ≥ 10^6 points', () => {
    expect(sweep.length).toBeGreaterThanOrEqual(SWEEP_SIZE_MIN);
    expect(sweepDy.length).toBe(sweep.length);
  });
});

describe.each(elementwiseDefinitions)('$name derivative', (definition) => {
  // Central differences of the float64 forward reference, away from the kink at 0.
  it.each(paramCases(definition))('matches central finite differences of the forward reference ($label)', ({ params }) => {
    const rng = new Rng(0xfd);
    const [lo, hi] = definition.plotDomain;
    let checked = 0;
    while (checked < 200) {
      const x = rng.uniform(2 * lo, 2 * hi);
      if (Math.abs(x) < 1e-3) continue;
      const h = 1e-6 * Math.max(1, Math.abs(x));
      const fd = (definition.reference(x + h, params) - definition.reference(x - h, params)) / (2 * h);
      const d = definition.derivative(x, params);
      const tolerance = 1e-6 * Math.max(Math.abs(d), 1e-3);
      if (!(Math.abs(fd - d) <= tolerance)) expect.fail(`${definition.name}'(${x}) = ${d}, finite difference ${fd}`);
      checked++;
    }
  });
});

describe.each(reductionDefinitions)('$name backward reference', (definition) => {
  // The gradient of L = Σ dy_i y_i(x) with respect to x_k, by central differences of the
  // forward reference, against backward.reference(dy, y).
  it('matches central finite differences of the forward reference', () => {
    const rng = new Rng(0xfe);
    const params = defaultParams(definition);
    for (const n of [1, 2, 3, 7, 20]) {
      for (let trial = 0; trial < 10; trial++) {
        const x = Array.from({ length: n }, () => rng.uniform(-3, 3));
        const dy = Array.from({ length: n }, () => rng.uniform(-4, 4));
        const y = definition.reference(x, params);
        const dx = definition.backward.reference(dy, y, params);
        const loss = (v: number[]): number => definition.reference(v, params).reduce((s, yi, i) => s + dy[i] * yi, 0);
        for (let k = 0; k < n; k++) {
          const h = 1e-6;
          const plus = x.slice();
          plus[k] += h;
          const minus = x.slice();
          minus[k] -= h;
          const fd = (loss(plus) - loss(minus)) / (2 * h);
          if (!(Math.abs(fd - dx[k]) <= 1e-6 * Math.max(1, Math.abs(dx[k])))) {
            expect.fail(`n ${n} [${k}]: backward ${dx[k]}, finite difference ${fd}`);
          }
        }
      }
    }
  });
});

describe.each(BACKENDS)('%s', (backend) => {
  let act: Activations;
  beforeAll(async () => {
    act = await createActivations({ backend });
  });

  describe.each(elementwiseDefinitions)('$name backward', (definition) => {
    const cases = paramCases(definition);

    it.each(cases)(`is within its ULP bound on the ${sweep.length}-point sweep ($label)`, (paramCase) => {
      for (const [dyLabel, dy] of DYS) {
        const dx = backwardOf(act, definition)(dy, sweep, paramCase.options);
        expect(dx.length).toBe(sweep.length);
        const worst = maxUlp(dx, sweepReference(definition, paramCase, dyLabel, dy), sweep);
        expect(worst.ulp, `${definition.name}Backward (${paramCase.label}, ${dyLabel}) on ${backend}: ${describeWorst(worst)}`)
          .toBeLessThanOrEqual(definition.backward.ulp);
      }
    });

    it('is within its bound at every length around the tile and chunk boundaries, out of place and in place', () => {
      const rng = new Rng(0xb0 + definition.name.length);
      const { options, params } = cases[cases.length - 1];
      for (const n of boundaryLengths()) {
        const x = mixedInputs(rng, n);
        const dy = rng.float32Array(n, -4, 4);
        const xCopy = x.slice();
        const dyCopy = dy.slice();
        const dx = backwardOf(act, definition)(dy, x, options);
        expect(dx.length).toBe(n);
        expect(firstDifference(x, xCopy), 'x changed').toBe(-1);
        expect(firstDifference(dy, dyCopy), 'dy changed').toBe(-1);
        expectElementwiseWithin(definition, dy, x, dx, params, `length ${n}`);

        const intoDy = dy.slice();
        expect(backwardOf(act, definition)(intoDy, x, { ...options, out: intoDy })).toBe(intoDy);
        expect(firstDifference(intoDy, dx), `out === dy, length ${n}`).toBe(-1);
        const intoX = x.slice();
        expect(backwardOf(act, definition)(dy, intoX, { ...options, out: intoX })).toBe(intoX);
        expect(firstDifference(intoX, dx), `out === x, length ${n}`).toBe(-1);
        const out = new Float32Array(n).fill(7);
        expect(backwardOf(act, definition)(dy, x, { ...options, out })).toBe(out);
        expect(firstDifference(out, dx), `out, length ${n}`).toBe(-1);
      }
    });

    it('takes buffers as dy, x and out in every combination, in place too', () => {
      const rng = new Rng(0xbf);
      const { options, params } = cases[cases.length - 1];
      for (const n of [1, 5, 37, 16385, 40000]) {
        const x = mixedInputs(rng, n);
        const dy = rng.float32Array(n, -4, 4);
        // (Plain arrays shorter than JS_BELOW run the js loop, so compare with the bound, not bits.)
        const check = (got: Float32Array, what: string): void =>
          expectElementwiseWithin(definition, dy, x, got, params, `n ${n}, ${what}`);
        for (let mask = 1; mask < 8; mask++) {
          const buffers: ActivationBuffer[] = [];
          const operand = (values: Float32Array | null, bit: number): Float32Array | ActivationBuffer => {
            if (!(mask & bit)) return values ? values.slice() : new Float32Array(n);
            const b = act.allocate(n);
            if (values) b.array.set(values);
            buffers.push(b);
            return b;
          };
          const dyOp = operand(dy, 1);
          const xOp = operand(x, 2);
          const outOp = operand(null, 4);
          const read = (op: Float32Array | ActivationBuffer): Float32Array => (op instanceof Float32Array ? op : op.array);
          expect(backwardOf(act, definition)(dyOp, xOp, { ...options, out: outOp })).toBe(outOp);
          check(read(outOp), `buffers ${mask}`);
          expect(firstDifference(read(dyOp), dy), `n ${n}, buffers ${mask}: dy changed`).toBe(-1);
          expect(firstDifference(read(xOp), x), `n ${n}, buffers ${mask}: x changed`).toBe(-1);
          // In place into dy and into x.
          expect(backwardOf(act, definition)(dyOp, xOp, { ...options, out: dyOp })).toBe(dyOp);
          check(read(dyOp), `buffers ${mask}, out === dy`);
          read(dyOp).set(dy);
          expect(backwardOf(act, definition)(dyOp, xOp, { ...options, out: xOp })).toBe(xOp);
          check(read(xOp), `buffers ${mask}, out === x`);
          for (const b of buffers) b.free();
        }
      }
    });
  });

  // A definition with its own jsBelow runs its js loops for plain arrays shorter than it on a
  // wasm backend too, which is only right if they give the kernel's bits (a buffer always takes
  // the kernel): forward and backward, every param case, every length below it.
  describe.each(elementwiseDefinitions.filter((d) => d.jsBelow !== undefined))('$name below its jsBelow', (definition) => {
    it('gives the kernel\'s bits through its js loops', () => {
      const rng = new Rng(0xb7);
      for (const { options, label } of paramCases(definition)) {
        for (let n = 1; n < definition.jsBelow! + 4; n++) {
          const x = mixedInputs(rng, n);
          const dy = rng.float32Array(n, -4, 4);
          const [bx, bdy] = [x, dy].map((a) => {
            const b = act.allocate(n);
            b.array.set(a);
            return b;
          });
          const forward = (act as unknown as Record<string, (x: unknown, o?: object) => Float32Array>)[definition.name];
          expect(firstDifference(forward(x, options), forward(bx, options)), `${label}, forward, length ${n}`).toBe(-1);
          const backward = backwardOf(act, definition);
          expect(firstDifference(backward(dy, x, options), backward(bdy as never, bx as never, options)), `${label}, backward, length ${n}`).toBe(-1);
          bx.free();
          bdy.free();
        }
      }
    });
  });

  // PyTorch's values at special points, by Object.is up to the sign of zero.
  const specialCases: Record<string, Array<[dy: number, x: number, expected: number, options?: Record<string, number | string>]>> = {
    relu: [
      [1, NaN, 1], [NaN, -1, 0], [NaN, 1, NaN], [Infinity, -1, 0], [-Infinity, 0, 0], [2, 0, 0], [2, -0, 0],
      [3, FLT_TRUE_MIN, 3], [-5, Infinity, -5], [5, -Infinity, 0], [Infinity, 2, Infinity], [0, 3, 0],
    ],
    leakyRelu: [
      [1, NaN, Math.fround(0.01)], [2, 0, Math.fround(2 * Math.fround(0.01))], [NaN, 1, NaN], [NaN, -1, NaN],
      [1, Infinity, 1], [1, -Infinity, Math.fround(0.01)], [Infinity, -1, Infinity], [Infinity, -1, NaN, { alpha: 0 }],
      [3, -2, 1.5, { alpha: 0.5 }], [3, 2, 3, { alpha: -3 }], [3, -2, -9, { alpha: -3 }], [FLT_MAX, -1, FLT_MAX, { alpha: 1 }],
    ],
    sigmoid: [
      [1, 0, 0.25], [2, -0, 0.5], [1, Infinity, 0], [1, -Infinity, 0], [-3, Infinity, 0], [NaN, 0, NaN], [1, NaN, NaN],
      [Infinity, Infinity, NaN], [0, 5, 0], [0, NaN, NaN], [1, 1e30, 0], [1, -FLT_MAX, 0], [Infinity, 0, Infinity],
    ],
    tanh: [
      [1, 0, 1], [-2, -0, -2], [1, Infinity, 0], [1, -Infinity, 0], [NaN, 0, NaN], [1, NaN, NaN], [Infinity, Infinity, NaN],
      [0, 1, 0], [1, 1e30, 0], [1, FLT_MAX, 0], [3, FLT_TRUE_MIN, 3], [Infinity, 0, Infinity],
    ],
    // dy / (1 + |x|)^2: dy * 0 = 0 at x = ±Infinity, NaN for a NaN or infinite dy there.
    softsign: [
      [1, Infinity, 0], [-2, -Infinity, 0], [3, FLT_MAX, 0], [NaN, Infinity, NaN], [NaN, -Infinity, NaN],
      [Infinity, Infinity, NaN], [1, NaN, NaN], [1, 0, 1], [2, -0, 2], [1, 1, 0.25], [-4, -3, -0.25], [Infinity, 1, Infinity],
    ],
    // PyTorch's hardswish_backward (since 2.7): x <= -3 ? 0 : x < 3 ? dy (x / 3 + 1/2) : dy (a NaN x
    // passes dy); before 2.7 the middle piece held at -3 and 3 too (-0.5 and 1.5 there).
    hardswish: [
      [1, -4, 0], [NaN, -4, 0], [1, -Infinity, 0], [1, -3, 0], [2, 0, 1], [1, 3, 1], [2, 4, 2], [2, Infinity, 2],
      [1, NaN, 1], [NaN, 1, NaN],
      ],
    // The clamps' kinks (PyTorch's hardtanh_backward and hardsigmoid_backward: 0 at and beyond
    // the bounds, the bounds rounded to float32 as the tensor's dtype: fround(0.2) > 0.2 and
    // fround(0.7) < 0.7, so an unrounded bound would miss x = fround(bound)).
    relu6: [[1, 6, 0], [2, 0, 0], [2, -0, 0], [2, 3, 2], [1, Math.fround(5.9999995), 1], [1, Infinity, 0], [1, -Infinity, 0]],
    hardsigmoid: [[6, -3, 0], [6, 3, 0], [6, 0, 1], [6, -2.5, 1], [6, Math.fround(2.9999998), 1], [6, -Infinity, 0]],
    hardtanh: [
      [1, 0.2, 0, { minVal: 0.2 }], [1, 0.7, 0, { maxVal: 0.7 }], [1, -1, 0], [1, 1, 0], [3, 0.5, 3], [3, Math.fround(0.21), 3, { minVal: 0.2 }],
    ],
    threshold: [
      [1, 0.2, 0, { threshold: 0.2, value: 0 }], [1, 0.3, 1, { threshold: 0.2, value: 0 }], [1, 0.2, 0, { threshold: 0.2, value: 5 }],
    ],
    // elu, selu, celu: PyTorch's elu_backward (is_result = false), x <= 0 (and NaN) through exp.
    elu: [
      [1, NaN, NaN], [NaN, 1, NaN], [2, 0, 2], [2, -0, 2], [3, -Infinity, 0], [1, Infinity, 1], [5, 1e30, 5],
      [Infinity, -Infinity, NaN], [2, -0, 1, { alpha: 0.5 }], [4, 3, 4, { alpha: 0.5 }], [1, -1000, 0], [1, -FLT_MAX, 0],
    ],
    selu: [
      [1, 0, Math.fround(1.6732632423543772 * 1.0507009873554805)], [1, 2, Math.fround(1.0507009873554805)],
      [2, Infinity, 2 * Math.fround(1.0507009873554805)], [1, -Infinity, 0], [1, NaN, NaN], [NaN, 1, NaN],
    ],
    celu: [
      [1, 0, 1], [1, -Infinity, 0], [3, 2, 3], [1, NaN, NaN], [NaN, -1, NaN], [2, -0, 2, { alpha: 0.3 }],
      [1, -Infinity, 0, { alpha: 0.3 }], [1, -Infinity, Infinity, { alpha: -0.5 }], [1, 5, 1, { alpha: -0.5 }],
      [2, -0, 2, { alpha: 0.5 }], [1, -Infinity, 0, { alpha: 0.5 }],
    ],
    // silu: PyTorch's dy s (1 + x (1 - s)) is NaN at ±Infinity (0 * -inf, 1 + inf * 0).
    silu: [
      [1, 0, 0.5], [2, -0, 1], [1, Infinity, NaN], [1, -Infinity, NaN], [1, NaN, NaN], [NaN, 1, NaN], [1, 100, 1],
      [1, -200, 0], [0, 5, 0], [3, 1e30, 3],
      ],
    softplus: [
      [1, 0, 0.5], [2, -0, 1], [1, Infinity, 1], [1, -Infinity, 0], [NaN, 0, NaN], [1, NaN, NaN], [3, 30, 3], [0, 5, 0],
      [1, 100, 1, { threshold: 1e39 }], [1, Infinity, 1, { threshold: 1e39 }], [Infinity, -Infinity, NaN], [5, 3, 5, { beta: 10 }],
      [1, -Infinity, 0, { beta: 0.2 }],
    ],
    logsigmoid: [
      [1, 0, 0.5], [1, -Infinity, 1], [1, Infinity, 0], [NaN, 0, NaN], [1, NaN, NaN], [3, -200, 3], [1, 200, 0],
      [Infinity, Infinity, NaN], [2, -0, 1],
    ],
    mish: [
      [1, 0, Math.fround(0.6)], [1, Infinity, NaN], [1, -Infinity, NaN], [1, NaN, NaN], [NaN, 0, NaN], [2, 100, 2], [1, -200, 0],
      [1, FLT_MAX, 1], [1, -FLT_MAX, 0],
      ],
    gelu: [
      [1, NaN, NaN], [NaN, 0, NaN], [1, Infinity, 1], [1, -Infinity, 0], [2, 0, 1], [2, -0, 1], [3, FLT_TRUE_MIN, 1.5],
      [Infinity, 1, Infinity], [1, 20, 1], [1, -20, 0], [0, 5, 0], [Infinity, -Infinity, NaN], [1, FLT_MAX, 1], [1, -FLT_MAX, 0],
      [1, NaN, NaN, { approximate: 'tanh' }], [1, Infinity, 1, { approximate: 'tanh' }], [1, -Infinity, 0, { approximate: 'tanh' }],
      [2, 0, 1, { approximate: 'tanh' }], [1, 20, 1, { approximate: 'tanh' }], [1, -20, 0, { approximate: 'tanh' }],
      [Infinity, -Infinity, NaN, { approximate: 'tanh' }], [1, FLT_MAX, 1, { approximate: 'tanh' }],
    ],
    tanhshrink: [
      [1, 0, 0], [1, -0, 0], [1, Infinity, 1], [1, -Infinity, 1], [NaN, 0, NaN], [1, NaN, NaN], [3, 20, 3], [-3, -20, -3],
      [Infinity, 0, NaN], [1, FLT_MAX, 1], [0, 5, 0],
    ],
  };

  describe.each(Object.entries(specialCases))('%sBackward at special values', (name, table) => {
    it.each(table)('dy %s, x %s gives %s (%o)', (dy, x, expected, options) => {
      const f = backwardOf(act, name);
      const single = f([dy], [x], options);
      expect(same(single[0], expected), `got ${showFloat32(single[0])}`).toBe(true);
      for (let pos = 0; pos < 37; pos++) {
        const dys = new Float32Array(37).fill(0.5);
        const xs = new Float32Array(37).fill(0.25);
        dys[pos] = dy;
        xs[pos] = x;
        const dx = f(dys, xs, options);
        if (!same(dx[pos], expected)) expect.fail(`at position ${pos} of 37: got ${showFloat32(dx[pos])}`);
      }
    });
  });

  describe.each(reductionDefinitions)('$name backward', (definition) => {
    const forward = definition;

    /** Runs the backward of `definition` for y = the exact forward of logits, checks its bound, in place too. */
    function check(x: Float32Array, dy: Float32Array, shape: readonly number[], dim: number, what: string): Float32Array {
      const y = Float32Array.from(reductionReference(forward, x, shape, dim));
      const exact = reductionBackwardReference(definition, dy, y, shape, dim);
      const f = backwardOf(act, definition);
      const dyCopy = dy.slice();
      const yCopy = y.slice();
      const dx = f(dy, y, { shape, dim });
      expect(firstDifference(dy, dyCopy), `${what}: dy changed`).toBe(-1);
      expect(firstDifference(y, yCopy), `${what}: y changed`).toBe(-1);
      const worst = maxUlp(dx, exact, y);
      expect(worst.ulp, `${definition.name}Backward ${what} on ${backend}: ${describeWorst(worst)}`).toBeLessThanOrEqual(definition.backward.ulp);
      const intoDy = dy.slice();
      expect(f(intoDy, y, { shape, dim, out: intoDy })).toBe(intoDy);
      expect(firstDifference(intoDy, dx), `${what}: out === dy`).toBe(-1);
      const intoY = y.slice();
      expect(f(dy, intoY, { shape, dim, out: intoY })).toBe(intoY);
      expect(firstDifference(intoY, dx), `${what}: out === y`).toBe(-1);
      // Plain arrays reach a wasm kernel through separate scratch chunks; buffers in place hand
      // it dx = dy or dx = y, where an element it redoes must still find both inputs.
      if (dy.length > 0) {
        const [bdy, by] = [dy, y].map((values) => {
          const buffer = act.allocate(values.length);
          buffer.array.set(values);
          return buffer;
        });
        expect(f(bdy, by, { shape, dim, out: bdy })).toBe(bdy);
        expect(firstDifference(bdy.array, dx), `${what}: buffers, out === dy`).toBe(-1);
        bdy.array.set(dy);
        expect(f(bdy, by, { shape, dim, out: by })).toBe(by);
        expect(firstDifference(by.array, dx), `${what}: buffers, out === y`).toBe(-1);
        bdy.free();
        by.free();
      }
      return dx;
    }

    const dimsOf = (shape: readonly number[]): number[] => shape.flatMap((_, d) => [d, d - shape.length]);

    it('is within its bound on rows of 1 to 1024', () => {
      const rng = new Rng(0x50f);
      for (const n of [...Array.from({ length: 40 }, (_, i) => i + 1), 63, 64, 65, 100, 1000, 1024]) {
        const rows = Math.max(1, Math.floor(4096 / n));
        for (const range of [1, 20]) {
          const x = rng.float32Array(rows * n, -range, range);
          const dy = rng.float32Array(rows * n, -4, 4);
          check(x, dy, [rows, n], -1, `[${rows}, ${n}] logits ±${range}`);
          check(x, dy, [n, rows], 0, `[${n}, ${rows}] dim 0, logits ±${range}`);
        }
      }
    });

    // Logits ±100: y runs far below -87, where log-softmax's float32 exp core neither holds nor
    // is even computed right (its fast path must send those elements to its float64 fallback);
    // and one logit 200 above its row: y = +0 exactly there (a certain class).
    it('is within its bound where y runs past the float32 exp\'s range, and where y = +0', () => {
      const rng = new Rng(0x5a1);
      for (const n of [5, 16, 64, 1024]) {
        const rows = Math.max(2, Math.floor(4096 / n));
        const x = rng.float32Array(rows * n, -100, 100);
        for (let j = 0; j < n; j++) x[j] = j === 3 % n ? 200 : rng.uniform(-10, 10);
        const dy = rng.float32Array(rows * n, -4, 4);
        check(x, dy, [rows, n], -1, `[${rows}, ${n}] logits ±100`);
        check(x, dy, [n, rows], 0, `[${n}, ${rows}] dim 0, logits ±100`);
      }
    });

    it('is within its bound for every dim of several shapes, across the chunking', () => {
      const rng = new Rng(0x51f);
      const shapes = [[32, 10], [2, 3, 4], [5, 1, 7], [1, 1], [9, 1], [2, 16, 9], [3, 2, 2, 5], [6, 33], [3000, 10], [3, 20000], [1, 20000], [0, 4], [4, 0]];
      for (const shape of shapes) {
        const size = shape.reduce((a, b) => a * b, 1);
        const x = rng.float32Array(size, -10, 10);
        const dy = rng.float32Array(size, -4, 4);
        for (const dim of dimsOf(shape)) check(x, dy, shape, dim, `shape ${JSON.stringify(shape)} dim ${dim}`);
      }
    });

    // Along a dim that is not the last, wasm-simd walks 16 neighbouring columns at a time where
    // it can, then 4 (one per lane), then 1; a column must come out the same either way. The
    // reference: the column four times over, [n, 4] along dim 0 (the four-column walk).
    it('gives each column of a strided layout the same bits as four copies of it', () => {
      const rng = new Rng(0x53f);
      const f = backwardOf(act, definition);
      for (const [n, inner] of [[5, 20], [16, 37], [64, 1024], [3, 48]]) {
        const y = Float32Array.from(reductionReference(forward, rng.float32Array(n * inner, -10, 10), [n, inner], 0));
        const dy = rng.float32Array(n * inner, -4, 4);
        const dx = f(dy, y, { shape: [n, inner], dim: 0 }) as Float32Array;
        for (let c = 0; c < inner; c++) {
          const four = (a: Float32Array) => Float32Array.from({ length: 4 * n }, (_, i) => a[Math.floor(i / 4) * inner + c]);
          const ref = f(four(dy), four(y), { shape: [n, 4], dim: 0 }) as Float32Array;
          const alone = Float32Array.from({ length: n }, (_, d) => ref[4 * d]);
          const got = Float32Array.from({ length: n }, (_, d) => dx[d * inner + c]);
          const at = firstDifference(got, alone);
          expect(at, `[${n}, ${inner}] column ${c}: row ${at}: ${got[at]} against ${alone[at]}`).toBe(-1);
        }
      }
    });

    // Softmax and softmin take a float32 fast path when a float64 sum of dy·y is accurate
    // enough for every dy_i − s of the slice, and the compensated path otherwise. A row whose
    // sum cancels far below B = Σ|dy·y| (s = 2^-40 against B ~ 4) while one dy_i = 0 sits right
    // at s must take the compensated path: dx_i = -y_i s is all cancellation error otherwise
    // (a check 2^22 times too lax gave hundreds of ULP there).
    it('routes a slice whose sum cancels far below Σ|dy·y| to the compensated path (softmax, softmin)', () => {
      if (definition.name === 'logSoftmax') return; // (its dx = dy - e^y Σ dy has no such sum)
      const rng = new Rng(0x54f);
      const f = backwardOf(act, definition);
      /** Σ dy·y to ~2^-100 of Σ|dy·y| (each float32 product is exact in float64). */
      const dot = (dy: Float32Array, y: Float32Array): number => {
        const [sum, c] = compensatedSum(dy.length, (j) => dy[j] * y[j]);
        return sum + c;
      };
      for (const n of [16, 37, 1024]) {
        const raw = rng.float32Array(n, 0, 1);
        const total = raw.reduce((a, b) => a + b, 0);
        const y = Float32Array.from(raw, (v) => v / total);
        const dy = rng.float32Array(n, -4, 4);
        dy[5] = 0;
        // Three terms with power-of-two weights cancel the rest step by step (each product
        // exact), the last one down to s = 2^-40 (to ~2^-70).
        [y[10], y[11], y[12]] = [2 ** -10, 2 ** -24, 2 ** -38];
        for (const k of [10, 11, 12]) {
          dy[k] = 0;
          dy[k] = Math.fround(((k === 12 ? 2 ** -40 : 0) - dot(dy, y)) / y[k]);
        }
        expect(Math.abs(dot(dy, y) / 2 ** -40 - 1), `n ${n}: the sum cancels to 2^-40`).toBeLessThan(2 ** -20);
        const cases: Array<[number[], number, Float32Array, Float32Array]> = [
          [[1, n], -1, dy, y],
          // The same slice as each of four columns of a strided layout.
          [[n, 4], 0, Float32Array.from({ length: 4 * n }, (_, i) => dy[i >> 2]), Float32Array.from({ length: 4 * n }, (_, i) => y[i >> 2])],
        ];
        for (const [shape, dim, g, yy] of cases) {
          const exact = reductionBackwardReference(definition, g, yy, shape, dim);
          const worst = maxUlp(f(g, yy, { shape, dim }) as Float32Array, exact, yy);
          expect(worst.ulp, `${definition.name}Backward n ${n} shape [${shape}] on ${backend}: ${describeWorst(worst)}`).toBeLessThanOrEqual(definition.backward.ulp);
        }
      }
    });

    // For softmax and softmin dx ∝ y (dy − Σ dy y) vanishes for constant dy; log-softmax's
    // dy − e^y Σ dy does not, but cancels where e^y n ~ 1: the bound must hold either way.
    const vanishes = definition.name !== 'logSoftmax';
    it('loses nothing to cancellation: dy constant along the slice (softmax, softmin: dx ~0)', () => {
      const rng = new Rng(0x52f);
      for (const n of [2, 3, 10, 37, 100, 1024]) {
        for (const c of [1, -3.5, 1e20, 7e-20]) {
          const x = rng.float32Array(4 * n, -10, 10);
          const dy = new Float32Array(4 * n).fill(c);
          for (const [shape, dim] of [[[4, n], 1], [[n, 4], 0]] as Array<[number[], number]>) {
            const dx = check(x, dy, shape, dim, `dy = ${c}, shape ${JSON.stringify(shape)} dim ${dim}`);
            // Exactly c y_i (1 - Σ y): Σ y is 1 to within a few float32 roundings.
            if (vanishes) for (let i = 0; i < dx.length; i++) {
              if (!(Math.abs(dx[i]) <= Math.abs(c) * n * 2 ** -22)) expect.fail(`dy = ${c}, n ${n}: dx[${i}] = ${dx[i]}`);
            }
          }
        }
      }
    });

    // Rows built so that one dx_k cancels almost entirely: dy_k is set to (nearly) the value
    // it is compared with (softmax, softmin: Σ dy y; log-softmax: e^y_k Σ dy), which the fast
    // paths must detect and hand to the compensated / float64 path.
    it('is within its bound where one dy_k − Σ cancels to the last bits', () => {
      const rng = new Rng(0x55f);
      for (const n of [5, 8, 17, 64, 1000, 1024]) {
        for (let trial = 0; trial < 6; trial++) {
          const x = rng.float32Array(n, -5, 5);
          const y = Float32Array.from(reductionReference(forward, x, [n], -1));
          const dy = rng.float32Array(n, -4, 4);
          const k = rng.int(n);
          for (let iteration = 0; iteration < 3; iteration++) {
            let target: number;
            if (vanishes) {
              let rest = 0;
              for (let j = 0; j < n; j++) if (j !== k) rest += dy[j] * y[j];
              target = rest / (1 - y[k]); // dy_k = rest + dy_k y_k
            } else {
              let rest = 0;
              for (let j = 0; j < n; j++) if (j !== k) rest += dy[j];
              const e = Math.exp(y[k]);
              target = (e * rest) / (1 - e); // dy_k = e (rest + dy_k)
            }
            // Log-softmax: no exact cancellation (trial 3), which is beyond its float64 reference
            // (and exp64): it resolves dy_k − e^y_k Σ to ~2^-47 relative only (see logSoftmax.ts).
            const offset = vanishes ? trial - 3 : trial - 2.5;
            if (Number.isFinite(target)) dy[k] = target + offset * 2 ** -20 * Math.abs(target);
          }
          const dy2 = new Float32Array(2 * n);
          dy2.set(dy);
          dy2.set(dy, n);
          const dx = check(Float32Array.from([...x, ...x]), dy2, [2, n], -1, `near-cancelling row of ${n}, trial ${trial}`);
          expect(dx.length).toBe(2 * n);
          check(Float32Array.from([...x, ...x]), dy2, [2, n], 1, `near-cancelling row of ${n} (dim 1), trial ${trial}`);
        }
      }
    });

    it('gives a NaN slice for NaN in dy or y, and leaves the other slices right', () => {
      for (const n of [1, 4, 5, 17]) {
        const rng = new Rng(0x53f + n);
        const x = rng.float32Array(3 * n, -5, 5);
        const y = Float32Array.from(reductionReference(forward, x, [3, n], -1));
        const dy = rng.float32Array(3 * n, -4, 4);
        dy[n + rng.int(n)] = NaN;
        y[2 * n + rng.int(n)] = NaN;
        const dx = backwardOf(act, definition)(dy, y, { shape: [3, n] });
        // NaN in dy reaches every sum; NaN in y reaches softmax's Σ dy y, but only its own
        // element of log-softmax's dy − e^y Σ dy.
        const yNaN = reductionBackwardReference(definition, dy, y, [3, n], -1);
        for (let k = 0; k < n; k++) {
          expect(Number.isNaN(dx[k]), `row 0 [${k}]`).toBe(false);
          expect(Number.isNaN(dx[n + k]), `row 1 [${k}]`).toBe(true);
          expect(Number.isNaN(dx[2 * n + k]), `row 2 [${k}]`).toBe(vanishes || Number.isNaN(y[2 * n + k]));
          expect(Number.isNaN(yNaN[2 * n + k]), `reference row 2 [${k}]`).toBe(Number.isNaN(dx[2 * n + k]));
        }
      }
    });

    // wasm-simd takes short backward rows (softmax and softmin: 2 to 7 entries; log-softmax:
    // shorter than 24 but for 8, 12, 16 and 20) in whole groups of four, one per lane
    // (assembly/softmax_backward_lanes.ts), and hands back to the row loop the last one to three
    // rows and the rows whose fast path's check fails (softmax, softmin) or whose sum of dy it
    // cannot certify exact (log-softmax): a row must come out the same whatever its neighbours,
    // apart or in place, through the copying API and in the kernel itself (buffers of the
    // instance as dy, y and out).
    it('gives each short row the same bits as that row alone, whatever its neighbours', () => {
      const rng = new Rng(0x1a5f);
      for (const n of [1, 2, 3, 4, 5, 7, 8, 9, 10, 16, 17, 23, 24]) {
        for (const rows of [1, 2, 3, 4, 5, 7, 9]) {
          const x = rng.float32Array(rows * n, -8, 8);
          const y = Float32Array.from(reductionReference(forward, x, [rows, n], -1));
          const dy = rng.float32Array(rows * n, -4, 4);
          for (let r = 0; r < rows; r++) {
            const kind = rng.int(8);
            const at = r * n + rng.int(n);
            if (kind === 1) dy[at] = NaN;
            if (kind === 2) dy[at] = 3e37; // beside dy near 1: the sum is not certified exact
            if (kind === 3) dy.fill(1.5, r * n, r * n + n); // constant dy: dx cancels
            if (kind === 4) y[at] = -120; // below the float32 exp core's range
          }
          const dx = backwardOf(act, definition)(dy, y, { shape: [rows, n] });
          const inPlace = dy.slice();
          backwardOf(act, definition)(inPlace, y, { shape: [rows, n], out: inPlace });
          const dyBuffer = act.allocate(rows * n);
          const yBuffer = act.allocate(rows * n);
          dyBuffer.array.set(dy);
          yBuffer.array.set(y);
          backwardOf(act, definition)(dyBuffer, yBuffer, { shape: [rows, n], out: dyBuffer });
          const overDy = dyBuffer.array.slice();
          dyBuffer.array.set(dy);
          backwardOf(act, definition)(dyBuffer, yBuffer, { shape: [rows, n], out: yBuffer });
          const overY = yBuffer.array.slice();
          dyBuffer.free();
          yBuffer.free();
          for (let r = 0; r < rows; r++) {
            const alone = backwardOf(act, definition)(dy.subarray(r * n, r * n + n), y.subarray(r * n, r * n + n));
            const cases = [[dx, 'out of place'], [inPlace, 'out === dy'], [overDy, 'buffers, out === dy'], [overY, 'buffers, out === y']] as const;
            for (const [got, what] of cases) {
              const at = firstDifference(got.subarray(r * n, r * n + n), alone);
              expect(at, `[${rows}, ${n}] ${what}: row ${r} entry ${at}: ${got[r * n + at]} against ${alone[at]}`).toBe(-1);
            }
          }
        }
      }
    });

    it('takes buffers as dy, y and out in every combination', () => {
      const rng = new Rng(0x54f);
      for (const [shape, dim] of [[[64, 10], -1], [[10, 64], 0], [[2, 20000], -1], [[20000, 2], 0]] as Array<[number[], number]>) {
        const size = shape[0] * shape[1];
        const y = Float32Array.from(reductionReference(forward, rng.float32Array(size, -5, 5), shape, dim));
        const dy = rng.float32Array(size, -4, 4);
        const expected = backwardOf(act, definition)(dy, y, { shape, dim });
        for (let mask = 1; mask < 8; mask++) {
          const buffers: ActivationBuffer[] = [];
          const operand = (values: Float32Array | null, bit: number): Float32Array | ActivationBuffer => {
            if (!(mask & bit)) return values ? values.slice() : new Float32Array(size);
            const b = act.allocate(size);
            if (values) b.array.set(values);
            buffers.push(b);
            return b;
          };
          const out = operand(null, 4);
          expect(backwardOf(act, definition)(operand(dy, 1), operand(y, 2), { shape, dim, out })).toBe(out);
          const got = out instanceof Float32Array ? out : out.array;
          expect(firstDifference(got, expected), `shape ${JSON.stringify(shape)} dim ${dim}, buffers ${mask}`).toBe(-1);
          for (const b of buffers) b.free();
        }
      }
    });
  });

  describe('argument checks (nothing is written on a bad call)', () => {
    const SENTINEL = 1234.5;
    function expectRejected(call: (out: Float32Array) => unknown, error: typeof TypeError | typeof RangeError, message: RegExp): void {
      const out = new Float32Array(6).fill(SENTINEL);
      let thrown: unknown;
      try {
        call(out);
      } catch (e) {
        thrown = e;
      }
      expect(thrown, `no error for ${message}`).toBeInstanceOf(error);
      expect((thrown as Error).constructor).toBe(error);
      expect((thrown as Error).message).toMatch(message);
      expect(Array.from(out)).toEqual(new Array(6).fill(SENTINEL));
    }
    const six = (): Float32Array => Float32Array.from([-2, -1, 0, 1, 2, 3]);

    it.each(['relu', 'leakyRelu', 'sigmoid', 'tanh', 'softmax'])('%sBackward rejects bad operands', (name) => {
      const f = backwardOf(act, name);
      const saved = name === 'softmax' ? 'y' : 'x';
      expectRejected((out) => f(six(), new Float32Array(5), { out }), RangeError, new RegExp(`dy and ${saved}`));
      expectRejected((out) => f(new Float32Array(7), six(), { out }), RangeError, new RegExp(`dy and ${saved}`));
      expectRejected(() => f(six(), six(), { out: new Float32Array(5) }), RangeError, /out must have the length/);
      expectRejected(() => f(six(), six(), { out: [0, 0, 0, 0, 0, 0] }), TypeError, /out must be/);
      expectRejected((out) => f('abc', six(), { out }), TypeError, /^dy must be/);
      expectRejected((out) => f(six(), null, { out }), TypeError, new RegExp(`^${saved} must be`));
      expectRejected((out) => f(six(), six(), { out, beta: 1 }), TypeError, /no option 'beta'/);
      const shared = new Float32Array(13);
      const dy = shared.subarray(0, 6);
      expectRejected(() => f(dy, six(), { out: shared.subarray(1, 7) }), RangeError, /out overlaps dy/);
      expectRejected(() => f(six(), dy, { out: shared.subarray(3, 9) }), RangeError, new RegExp(`out overlaps ${saved}`));
    });

    it('leakyReluBackward rejects a bad alpha', () => {
      const f = backwardOf(act, 'leakyRelu');
      expectRejected((out) => f(six(), six(), { out, alpha: NaN }), RangeError, /alpha/);
      expectRejected((out) => f(six(), six(), { out, alpha: Infinity }), RangeError, /alpha/);
      expectRejected((out) => f(six(), six(), { out, alpha: '0.1' }), TypeError, /alpha/);
    });

    it('softmaxBackward rejects a bad shape or dim', () => {
      const f = backwardOf(act, 'softmax');
      expectRejected((out) => f(six(), six(), { out, shape: [4, 2] }), RangeError, /shape \[4, 2\] holds 8 elements but dy has 6/);
      expectRejected((out) => f(six(), six(), { out, shape: [2, -3] }), RangeError, /shape\[1\]/);
      expectRejected((out) => f(six(), six(), { out, shape: 6 }), TypeError, /shape/);
      expectRejected((out) => f(six(), six(), { out, shape: [2, 3], dim: 2 }), RangeError, /dim must be in \[-2, 1\]/);
      expectRejected((out) => f(six(), six(), { out, shape: [2, 3], dim: 0.5 }), TypeError, /dim/);
    });

    it('rejects a freed buffer', () => {
      const b = act.allocate(6);
      b.free();
      expect(() => backwardOf(act, 'relu')(b, six())).toThrow(/after free/);
      expect(() => backwardOf(act, 'relu')(six(), b)).toThrow(/after free/);
    });
  });
});

describe('wasm-simd and wasm-scalar element-wise backward passes', () => {
  let simd: Activations;
  let scalar: Activations;
  beforeAll(async () => {
    simd = await createActivations({ backend: 'wasm-simd' });
    scalar = await createActivations({ backend: 'wasm-scalar' });
  });

  describe.each(elementwiseDefinitions)('$name', (definition) => {
    it.each(paramCases(definition))('are bit-identical on the sweep ($label)', ({ options }) => {
      const a = backwardOf(simd, definition)(sweepDy, sweep, options);
      const b = backwardOf(scalar, definition)(sweepDy, sweep, options);
      const i = firstDifference(a, b);
      expect(i, i < 0 ? '' : `dy = ${sweepDy[i]}, x = ${showFloat32(sweep[i])}: simd ${showFloat32(a[i])}, scalar ${showFloat32(b[i])}`).toBe(-1);
    });
  });
});

describe('the top-level backward functions', () => {
  it('run on the default instance', () => {
    expect(Array.from(reluBackward([1, 1, 1], [-1, 0, 2]))).toEqual([0, 0, 1]);
    expect(Array.from(leakyReluBackward([1, 1], [-1, 2], { alpha: 0.5 }))).toEqual([0.5, 1]);
    expect(Array.from(sigmoidBackward([1], [0]))).toEqual([0.25]);
    expect(Array.from(tanhBackward([1], [0]))).toEqual([1]);
    const y = Float32Array.from([0.25, 0.25, 0.5]);
    const dx = softmaxBackward([1, 0, 0], y);
    const exact = definitions.softmax.backward.reference([1, 0, 0], Array.from(y), {});
    exact.forEach((e, i) => expect(ulpError(dx[i], e)).toBeLessThanOrEqual(definitions.softmax.backward.ulp));
  });
});

// siluBackward switches its formula for w = 1 + x + e^x at |x - x0| = 0.34 around its zero
// x0 = -1.2785 (assembly/ops/silu.ts): inside, the exp core runs on x - x0 with n = 0; outside,
// w = (1 + x) + e^x. Every 8th float32 of [-2, -0.5] (both edges from both sides, and x0) must keep
// the bound; a window too narrow, or one where n can be 1, breaks it.
describe('siluBackward around the zero of 1 + x (1 - sigmoid(x))', () => {
  it.each(BACKENDS)('%s keeps the bound on every 8th float32 of [-2, -0.5]', async (backend) => {
    const act = await createActivations({ backend });
    const first = float32Bits(-0.5);
    const count = ((float32Bits(-2) - first) >>> 3) + 1; // negative floats: the bits grow with |x|
    const x = new Float32Array(Uint32Array.from({ length: count }, (_, i) => first + 8 * i).buffer);
    const dy = new Float32Array(count).fill(1);
    const worst = maxUlp(act.siluBackward(dy, x), elementwiseBackwardReference(definitions.silu, dy, x, {}), x);
    expect(worst.ulp, describeWorst(worst)).toBeLessThanOrEqual(definitions.silu.backward.ulp);
  });
});

// logSoftmaxBackward under NLL with confident predictions: dy = -1/N on each row's target, 0
// elsewhere, so dx_t = dy_t - e^(y_t) Σ dy = expm1(y_t) / N, far below 1/N as y_t -> 0, and
// dx_i = e^(y_i) / N elsewhere (found by an audit: e^y rounded near 1 gave 50 ULP at a logit
// margin of 30 and 0 from about 40 on). The expected values come from Math.expm1 and Math.exp
// here, not from the definition's reference; rows (N = 32 rows of 10), short rows of 3 (the
// lanes path) and a strided dim (the columns). Margins of 1 to 8 put y_t between about -1.5 and
// -0.003: the float32 form (dy - S) - expm1(y) S of the wasm builds' fallback, or float64 below
// y = -1.
describe('logSoftmaxBackward of confident predictions (the NLL gradient as y_target -> 0)', () => {
  it.each(BACKENDS)('%s keeps the bound for logit margins of 1 to 70', async (backend) => {
    const act = await createActivations({ backend });
    for (const classes of [10, 3]) {
      const rows = 32;
      for (const margin of [1, 2, 4, 8, 20, 26, 30, 34, 40, 70]) {
        const logits = new Float32Array(rows * classes).map((_, i) => ((i * 7) % 5) * 0.25 + (i % classes === (i / classes | 0) % classes ? margin : 0));
        for (const [shape, dim, at] of [
          [[rows, classes], 1, (r: number, k: number) => r * classes + k],
          [[classes, rows], 0, (r: number, k: number) => k * rows + r],
        ] as Array<[number[], number, (r: number, k: number) => number]>) {
          const x = new Float32Array(rows * classes);
          for (let r = 0; r < rows; r++) for (let k = 0; k < classes; k++) x[at(r, k)] = logits[r * classes + k];
          const y = act.logSoftmax(x, { shape, dim });
          const dy = new Float32Array(rows * classes);
          for (let r = 0; r < rows; r++) dy[at(r, r % classes)] = -1 / rows;
          const dx = act.logSoftmaxBackward(dy, y, { shape, dim });
          for (let r = 0; r < rows; r++) for (let k = 0; k < classes; k++) {
            const i = at(r, k);
            const exact = k === r % classes ? Math.expm1(y[i]) / rows : Math.exp(y[i]) / rows;
            const what = `${classes} classes, margin ${margin}, dim ${dim}, row ${r} class ${k}: y ${showFloat32(y[i])}, dx ${showFloat32(dx[i])}, exact ${exact}`;
            expect(ulpError(dx[i], exact), what).toBeLessThanOrEqual(definitions.logSoftmax.backward.ulp);
          }
        }
      }
    }
  });
});
