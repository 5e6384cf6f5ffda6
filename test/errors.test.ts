// Bad calls on every backend and every registry entry: the right error class, a message that
// names the argument, and nothing written (out keeps its sentinel, x keeps its values).
import { beforeAll, describe, expect, it } from 'vitest';
import {
  createActivations, createActivationsSync, init, initSync, isChoiceParam, type Activations, type AnyParamSpec, type Definition, type CreateOptions,
} from '../src/index.js';
import { BACKENDS, definitionsOf, EXTREME_PARAM_VALUES, fn } from './helpers/activations.js';

const N = 6;
const SENTINEL = 1234.5;

type ErrorClass = typeof TypeError | typeof RangeError;

/** Fresh x (a Float32Array of N logits) and out (N sentinels) for one bad call. */
interface Arrays {
  readonly x: Float32Array;
  readonly out: Float32Array;
}

interface BadCall {
  readonly label: string;
  /** The call's arguments, built on fresh arrays. */
  readonly args: (arrays: Arrays) => [x: unknown, options?: unknown];
  readonly error: ErrorClass;
  /** What the message must contain: the argument's name. */
  readonly message: RegExp;
}

function freshArrays(): Arrays {
  return { x: Float32Array.from({ length: N }, (_, i) => i - 2.5), out: new Float32Array(N).fill(SENTINEL) };
}

/** Calls `call` on fresh arrays and checks the error, its message and that nothing was written. */
function expectRejected(f: (x: unknown, options?: unknown) => unknown, call: BadCall): void {
  const arrays = freshArrays();
  const xBefore = arrays.x.slice();
  const [x, options] = call.args(arrays);
  let thrown: unknown;
  try {
    f(x, options);
  } catch (error) {
    thrown = error;
  }
  expect(thrown, `${call.label}: no error thrown`).toBeInstanceOf(call.error);
  // RangeError is not a TypeError and vice versa: the class is exactly the expected one.
  expect((thrown as Error).constructor).toBe(call.error);
  expect((thrown as Error).message).toMatch(call.message);
  expect(Array.from(arrays.out), `${call.label}: out was written`).toEqual(new Array(N).fill(SENTINEL));
  expect(Array.from(arrays.x), `${call.label}: x was changed`).toEqual(Array.from(xBefore));
}

const NOT_ARRAYS: Array<[string, unknown]> = [
  ['a number', 5],
  ['a string', 'abc'],
  ['null', null],
  ['undefined', undefined],
  ['an object', { a: 1 }],
  ['an array-like object', { length: 2, 0: 1, 1: 2 }],
  ['a BigInt64Array', new BigInt64Array(N)],
  ['a BigUint64Array', new BigUint64Array(N)],
  ['a DataView', new DataView(new ArrayBuffer(4 * N))],
  ['an ArrayBuffer', new ArrayBuffer(4 * N)],
  ['a function', () => 1],
];

const BAD_ELEMENTS: Array<[string, unknown[], number]> = [
  ['a string', [1, '2', 3], 1],
  ['null', [null, 1], 0],
  ['undefined', [1, 2, undefined], 2],
  ['a bigint', [1, 2, 3, 4n], 3],
  ['an object', [0, {}], 1],
  ['a nested array', [[1], 2], 0],
];

/** The bad calls every activation must reject. */
function commonBadCalls(definition: Definition): BadCall[] {
  const calls: BadCall[] = [];
  for (const [label, x] of NOT_ARRAYS) {
    calls.push({ label: `x is ${label}`, args: ({ out }) => [x, { out }], error: TypeError, message: /\bx\b/ });
  }
  for (const [label, x, i] of BAD_ELEMENTS) {
    calls.push({
      label: `x has ${label} at ${i}`,
      args: () => [x],
      error: TypeError,
      message: new RegExp(`\\bx\\[${i}\\]`),
    });
  }
  for (const [label, out] of [
    ['a Float64Array', new Float64Array(N)],
    ['an Array', new Array(N).fill(0)],
    ['an Int32Array', new Int32Array(N)],
    ['a number', 3],
    ['null', null],
    ['a DataView', new DataView(new ArrayBuffer(4 * N))],
  ] as Array<[string, unknown]>) {
    calls.push({ label: `out is ${label}`, args: ({ x }) => [x, { out }], error: TypeError, message: /\bout\b/ });
  }
  for (const length of [0, N - 1, N + 1, 2 * N]) {
    calls.push({
      label: `out has length ${length}`,
      args: ({ x }) => [x, { out: new Float32Array(length).fill(SENTINEL) }],
      error: RangeError,
      message: /\bout\b/,
    });
  }
  calls.push({
    label: 'out is a too short array while x is an Array',
    // Four elements for a gated function (glu: an odd length is its own RangeError, about dim).
    args: ({ out }) => [definition.kind === 'gated' ? [1, 2, 3, 4] : [1, 2, 3], { out }],
    error: RangeError,
    message: /\bout\b/,
  });
  for (const [label, options] of [
    ['a number', 1],
    ['a string', 'out'],
    ['null', null],
    ['an Array', []],
    ['true', true],
    ['a function', () => ({})],
  ] as Array<[string, unknown]>) {
    calls.push({ label: `options is ${label}`, args: ({ x }) => [x, options], error: TypeError, message: /options/ });
  }
  const known = new Set(['out', ...Object.keys(definition.params), ...(definition.kind === 'reduction' ? ['shape', 'dim'] : [])]);
  if (definition.kind === 'channelwise') known.add('weight').add('shape'); // checked in test/prelu.test.ts
  if (definition.kind === 'gated') known.add('shape').add('dim'); // checked in test/glu.test.ts
  for (const key of ['bogus', 'Out', 'alhpa', 'axis', 'shape', 'dim', 'alpha', 'inplace']) {
    if (known.has(key)) continue;
    calls.push({
      label: `unknown option '${key}'`,
      args: ({ x, out }) => [x, { out, [key]: 1 }],
      error: TypeError,
      message: new RegExp(`'${key}'`),
    });
  }
  for (const [name, spec] of Object.entries(definition.params as Record<string, AnyParamSpec>)) {
    const nameRe = new RegExp(`\\b${name}\\b`);
    if (isChoiceParam(spec)) {
      // A choice (gelu's approximate): an unknown string is a RangeError, anything else a
      // TypeError; both name the param and list the choices.
      const listed = new RegExp(`\\b${name}\\b.*${spec.choices.map((c) => `'${c}'`).join(', ')}`);
      for (const value of ['', 'None', 'TANH', 'erf', ' tanh']) {
        calls.push({ label: `${name} = '${value}'`, args: ({ x, out }) => [x, { out, [name]: value }], error: RangeError, message: listed });
      }
      for (const value of [0, 1, NaN, null, true, {}, ['tanh'], 1n]) {
        calls.push({
          label: `${name} = ${typeof value === 'bigint' ? '1n' : String(JSON.stringify(value))}`,
          args: ({ x, out }) => [x, { out, [name]: value }],
          error: TypeError,
          message: listed,
        });
      }
      continue;
    }
    for (const value of [NaN, Infinity, -Infinity, ...EXTREME_PARAM_VALUES]) {
      if (spec.allows(value)) continue;
      calls.push({ label: `${name} = ${value}`, args: ({ x, out }) => [x, { out, [name]: value }], error: RangeError, message: nameRe });
    }
    for (const value of ['0.1', null, true, {}, [0.1], 1n]) {
      calls.push({
        label: `${name} = ${typeof value === 'bigint' ? '1n' : JSON.stringify(value)}`,
        args: ({ x, out }) => [x, { out, [name]: value }],
        error: TypeError,
        message: nameRe,
      });
    }
  }
  return calls;
}

/** The layout errors of reductions (x has N = 6 elements). */
function layoutBadCalls(): BadCall[] {
  const calls: BadCall[] = [];
  const range = (label: string, options: object, message: RegExp): BadCall => ({
    label, args: ({ x, out }) => [x, { out, ...options }], error: RangeError, message,
  });
  const type = (label: string, options: object, message: RegExp): BadCall => ({
    label, args: ({ x, out }) => [x, { out, ...options }], error: TypeError, message,
  });
  calls.push(range('shape product 7 ≠ 6', { shape: [7] }, /\bshape\b/));
  calls.push(range('shape product 4 ≠ 6', { shape: [2, 2] }, /\bshape\b/));
  calls.push(range('shape product 0 ≠ 6', { shape: [0, 6] }, /\bshape\b/));
  calls.push(range('shape [] (rank 0)', { shape: [] }, /\bshape\b/));
  calls.push(range('shape with a negative size', { shape: [-2, -3] }, /\bshape\b/));
  calls.push(range('shape with a non-integer size', { shape: [1.5, 4] }, /\bshape\b/));
  calls.push(range('shape with NaN', { shape: [NaN, 6] }, /\bshape\b/));
  calls.push(range('shape with Infinity', { shape: [Infinity] }, /\bshape\b/));
  calls.push(range('shape with a string size', { shape: ['6'] }, /\bshape\b/));
  // eslint-disable-next-line no-sparse-arrays
  calls.push(range('shape with a hole', { shape: [2, , 3] }, /\bshape\[1\]/));
  calls.push(type('shape is a number', { shape: 6 }, /\bshape\b/));
  calls.push(type('shape is a string', { shape: '2,3' }, /\bshape\b/));
  calls.push(type('shape is an object', { shape: { 0: 6, length: 1 } }, /\bshape\b/));
  calls.push(type('shape is a typed array', { shape: new Int32Array([6]) }, /\bshape\b/));
  calls.push(range('dim 2 for rank 2', { shape: [2, 3], dim: 2 }, /\bdim\b/));
  calls.push(range('dim -3 for rank 2', { shape: [2, 3], dim: -3 }, /\bdim\b/));
  calls.push(range('dim 1 for rank 1 (default shape)', { dim: 1 }, /\bdim\b/));
  calls.push(range('dim -2 for rank 1 (default shape)', { dim: -2 }, /\bdim\b/));
  calls.push(type('dim 1.5', { shape: [2, 3], dim: 1.5 }, /\bdim\b/));
  calls.push(type('dim NaN', { shape: [2, 3], dim: NaN }, /\bdim\b/));
  calls.push(type("dim '1'", { shape: [2, 3], dim: '1' }, /\bdim\b/));
  calls.push(type('dim null', { shape: [2, 3], dim: null }, /\bdim\b/));
  return calls;
}

describe.each(BACKENDS)('%s', (backend) => {
  let act: Activations;
  beforeAll(async () => {
    act = await createActivations({ backend });
  });

  describe.each(definitionsOf())('$name', (definition) => {
    const calls = [...commonBadCalls(definition), ...(definition.kind === 'reduction' ? layoutBadCalls() : [])];

    it.each(calls)('rejects $label', (call) => {
      expectRejected(fn(act, definition), call);
    });

    it.each([1, -1, 3, -5, N - 1, 1 - N])('rejects out overlapping x at an offset of %i elements in the same buffer and writes nothing', (shift) => {
      const buffer = new Float32Array(3 * N).map((_, i) => i * 0.5 - 3);
      const before = buffer.slice();
      const x = buffer.subarray(N, 2 * N);
      const out = buffer.subarray(N + shift, 2 * N + shift);
      let thrown: unknown;
      try {
        fn(act, definition)(x, { out });
      } catch (error) {
        thrown = error;
      }
      expect(thrown).toBeInstanceOf(RangeError);
      expect((thrown as Error).message).toMatch(/\bout\b/);
      expect(Array.from(buffer)).toEqual(Array.from(before));
    });

    it('accepts out in the same buffer right next to x (no overlap) and out = x', () => {
      const buffer = new Float32Array(2 * N).map((_, i) => i - 5);
      const x = buffer.subarray(0, N);
      if (definition.kind === 'gated') {
        // Half x's length, never x itself (in place is the backward pass's: test/glu.test.ts).
        const half = buffer.subarray(N, N + N / 2);
        expect(fn(act, definition)(x, { out: half })).toBe(half);
        return;
      }
      const out = buffer.subarray(N, 2 * N);
      expect(fn(act, definition)(x, { out })).toBe(out);
      expect(fn(act, definition)(x, { out: x })).toBe(x);
    });
  });
});

describe('backend choice', () => {
  it.each(['gpu', 'WASM-SIMD', 'wasm', '', 'simd'])("createActivations({ backend: '%s' }) rejects with a RangeError naming backend", async (choice) => {
    const options = { backend: choice } as unknown as CreateOptions;
    await expect(createActivations(options)).rejects.toThrow(RangeError);
    await expect(createActivations(options)).rejects.toThrow(/backend/);
    expect(() => createActivationsSync(options)).toThrow(RangeError);
    expect(() => createActivationsSync(options)).toThrow(/backend/);
    await expect(init(options)).rejects.toThrow(RangeError);
    expect(() => initSync(options)).toThrow(/backend/);
  });

  it.each([3, {}, true])('rejects a backend that is not a string (%o)', async (choice) => {
    const options = { backend: choice } as unknown as CreateOptions;
    await expect(createActivations(options)).rejects.toThrow(/backend/);
    expect(() => createActivationsSync(options)).toThrow(/backend/);
  });
});

describe('params without a default and checks across params', () => {
  describe.each(BACKENDS)('%s', (backend) => {
    let act: Activations;
    beforeAll(async () => {
      act = await createActivations({ backend });
    });

    // PyTorch's threshold has no defaults: each missing param is a TypeError naming it, forward
    // and backward, and nothing is written.
    it.each([
      ['no options', undefined, /\bthreshold\b/],
      ['no params', {}, /\bthreshold\b/],
      ['threshold only', { threshold: 0.5 }, /\bvalue\b/],
      ['value only', { value: 0 }, /\bthreshold\b/],
    ] as const)('threshold with %s is a TypeError naming the missing param', (_, options, message) => {
      const x = new Float32Array([1, 2, 3]);
      const out = new Float32Array(3).fill(7);
      const o = options === undefined ? undefined : { ...options, out };
      expect(() => act.threshold(x, o as never)).toThrow(TypeError);
      expect(() => act.threshold(x, o as never)).toThrow(message);
      expect(() => act.thresholdBackward(x, x, o as never)).toThrow(TypeError);
      expect(() => act.thresholdBackward(x, x, o as never)).toThrow(message);
      expect(Array.from(out)).toEqual([7, 7, 7]);
      expect(Array.from(act.threshold(x, { threshold: 1.5, value: -2 }))).toEqual([-2, 2, 3]);
    });

    it('hardtanh with minVal > maxVal is a RangeError naming both, forward and backward, writing nothing', () => {
      const x = new Float32Array([1, 2, 3]);
      const out = new Float32Array(3).fill(7);
      for (const options of [{ minVal: 2, maxVal: 1 }, { minVal: 1.5 }, { maxVal: -1.5 }]) {
        expect(() => act.hardtanh(x, { ...options, out })).toThrow(RangeError);
        expect(() => act.hardtanh(x, { ...options, out })).toThrow(/minVal.*maxVal/);
        expect(() => act.hardtanhBackward(x, x, { ...options, out })).toThrow(RangeError);
        expect(() => act.hardtanhBackward(x, x, { ...options, out })).toThrow(/minVal.*maxVal/);
      }
      expect(Array.from(out)).toEqual([7, 7, 7]);
      expect(Array.from(act.hardtanh(x, { minVal: 2, maxVal: 2 }))).toEqual([2, 2, 2]);
    });

    it.each(['softshrink', 'hardshrink'] as const)('%s with a negative lambd is a RangeError naming lambd', (name) => {
      expect(() => act[name]([1], { lambd: -0.5 })).toThrow(RangeError);
      expect(() => act[name]([1], { lambd: -0.5 })).toThrow(/\blambd\b/);
    });

    it.each([0, -0])('celu with alpha = %s is a RangeError naming alpha (PyTorch: alpha cannot be 0), writing nothing', (alpha) => {
      const out = new Float32Array(3).fill(7);
      expect(() => act.celu([-1, 0, 1], { alpha, out })).toThrow(RangeError);
      expect(() => act.celu([-1, 0, 1], { alpha, out })).toThrow(/\balpha\b/);
      expect(() => act.celuBackward([1, 1, 1], [-1, 0, 1], { alpha, out })).toThrow(RangeError);
      expect(Array.from(out)).toEqual([7, 7, 7]);
    });
  });
});
