// The public API: the default instance (lazy init, init, initSync, backend()), independent
// instances, the input types, `out`, and the backend choice when WebAssembly or its SIMD is
// missing (simulated with stubbed globals and a fresh module graph).
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import * as api from '../src/index.js';
import { createActivations, createActivationsSync, type Activations, type Backend } from '../src/index.js';
import {
  BACKENDS, channelwiseReference, definitionsOf, elementwiseDefinitions, elementwiseReference, fn, gatedReference, paramCases, reductionReference,
  sameLengthDefinitionsOf,
} from './helpers/activations.js';
import type { Definition } from '../src/index.js';

/** The float64 reference of `definition` on x at its defaults (x's shape [x.length], dim -1). */
function exactOf(definition: Definition, x: Float32Array): Float64Array {
  if (definition.kind === 'channelwise') return channelwiseReference(definition, x);
  if (definition.kind === 'gated') return gatedReference(definition, x);
  if (definition.kind === 'reduction') return reductionReference(definition, x, [x.length], -1);
  return elementwiseReference(definition, x, Object.fromEntries(
    Object.entries(definition.params as Record<string, { default: number }>).map(([k, v]) => [k, v.default]),
  ));
}
import { Rng } from './helpers/rng.js';
import { describeWorst, maxUlp } from './helpers/ulp.js';

type Api = typeof api;

/** A fresh copy of the package's module graph (default instance not yet created). */
async function freshApi(): Promise<Api> {
  vi.resetModules();
  return (await import('../src/index.js')) as Api;
}

/** Checks every function of an instance (or of the top-level API) on a small input against the references. */
function expectAllCorrect(functions: Activations | Api, what: string): void {
  const nine = new Float32Array([-3, -1, -0.5, 0, 0.25, 1, 2.5, 7, -20]);
  const ten = new Float32Array([...nine, 3]); // glu halves its input: an even length
  for (const definition of definitionsOf()) {
    const x = definition.kind === 'gated' ? ten : nine;
    const y = fn(functions as Activations, definition)(x);
    const exact = exactOf(definition, x);
    const worst = maxUlp(y, exact, x.subarray(0, y.length));
    expect(worst.ulp, `${what} ${definition.name}: ${describeWorst(worst)}`).toBeLessThanOrEqual(definition.ulp);
  }
}

afterEach(() => {
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
});

describe('the default instance', () => {
  it('has backend() null before anything, and the first call initialises wasm-simd on Node', async () => {
    const fresh = await freshApi();
    expect(fresh.backend()).toBeNull();
    const y = fresh.sigmoid([0]);
    expect(Array.from(y)).toEqual([0.5]);
    expect(fresh.backend()).toBe('wasm-simd');
    expectAllCorrect(fresh, 'lazy default');
  });

  it('is initialised by any top-level function, each working', async () => {
    for (const definition of definitionsOf()) {
      const fresh = await freshApi();
      expect(fresh.backend()).toBeNull();
      const y = fn(fresh as unknown as Activations, definition)([1, 2]);
      expect(y).toBeInstanceOf(Float32Array);
      expect(fresh.backend()).toBe('wasm-simd');
    }
  });

  it("init() with no options picks 'wasm-simd' on Node 20", async () => {
    const fresh = await freshApi();
    await expect(fresh.init()).resolves.toBe('wasm-simd');
    expect(fresh.backend()).toBe('wasm-simd');
    expect(fresh.initSync()).toBe('wasm-simd');
  });

  it.each(BACKENDS)("init({ backend: '%s' }) switches the top-level functions and resolves to it", async (backend) => {
    const fresh = await freshApi();
    await expect(fresh.init({ backend })).resolves.toBe(backend);
    expect(fresh.backend()).toBe(backend);
    expectAllCorrect(fresh, `init ${backend}`);
    // Switching again.
    const other: Backend = backend === 'js' ? 'wasm-scalar' : 'js';
    await expect(fresh.init({ backend: other })).resolves.toBe(other);
    expect(fresh.backend()).toBe(other);
    expectAllCorrect(fresh, `switched to ${other}`);
  });

  it.each(BACKENDS)("initSync({ backend: '%s' }) switches the top-level functions and returns it", async (backend) => {
    const fresh = await freshApi();
    expect(fresh.initSync({ backend })).toBe(backend);
    expect(fresh.backend()).toBe(backend);
    expectAllCorrect(fresh, `initSync ${backend}`);
  });

  it('a failed init leaves the previous default instance in place', async () => {
    const fresh = await freshApi();
    fresh.initSync({ backend: 'js' });
    await expect(fresh.init({ backend: 'gpu' as Backend })).rejects.toThrow(RangeError);
    expect(fresh.backend()).toBe('js');
  });
});

describe.each(BACKENDS)('%s instances', (backend) => {
  let a: Activations;
  let b: Activations;
  beforeAll(async () => {
    a = await createActivations({ backend });
    b = createActivationsSync({ backend });
  });

  it('report their backend', () => {
    expect(a.backend).toBe(backend);
    expect(b.backend).toBe(backend);
    expectAllCorrect(a, `${backend} async`);
    expectAllCorrect(b, `${backend} sync`);
  });

  it('are independent: interleaved calls on two instances give correct results', () => {
    const rng = new Rng(0x1d);
    for (let round = 0; round < 4; round++) {
      for (const definition of elementwiseDefinitions) {
        const big = rng.float32Array(40000 + round * 1000, -20, 20);
        const small = rng.float32Array(37, -20, 20);
        const ya = fn(a, definition)(big);
        const yb = fn(b, definition)(small);
        const ya2 = fn(a, definition)(small);
        const params = Object.fromEntries(
          Object.entries(definition.params as Record<string, { default: number }>).map(([k, v]) => [k, v.default]),
        );
        for (const [y, x, what] of [[ya, big, 'a big'], [yb, small, 'b small'], [ya2, small, 'a small']] as const) {
          const worst = maxUlp(y, elementwiseReference(definition, x, params), x);
          expect(worst.ulp, `${definition.name} ${what}: ${describeWorst(worst)}`).toBeLessThanOrEqual(definition.ulp);
        }
        const ysm = b.softmax(small, { shape: [1, 37] });
        const worst = maxUlp(ysm, reductionReference(api.definitions.softmax, small, [37], -1), small);
        expect(worst.ulp, describeWorst(worst)).toBeLessThanOrEqual(api.definitions.softmax.ulp);
      }
    }
  });

  // Each function remembers the last params it checked (src/instance.ts, optionRules): a repeat
  // of the same values skips the check, anything else is checked again.
  it('check params again whenever they change, however often the same ones came before', () => {
    const x = Float32Array.from([-2, -0.5, 0, 3]);
    for (let i = 0; i < 3; i++) expect(a.leakyRelu(x, { alpha: 0.25 })).toEqual(Float32Array.from([-0.5, -0.125, 0, 3]));
    expect(() => a.leakyRelu(x, { alpha: NaN })).toThrow(RangeError);
    expect(() => a.leakyRelu(x, { alpha: NaN })).toThrow(RangeError); // a failed check is not remembered
    expect(() => a.leakyRelu(x, { alpha: '0.25' as unknown as number })).toThrow(TypeError);
    expect(a.leakyRelu(x, { alpha: 0.5 })).toEqual(Float32Array.from([-1, -0.25, 0, 3]));
    expect(a.leakyRelu(x)).toEqual(Float32Array.from([-0.02, -0.005, 0, 3]).map(Math.fround));
    expect(a.hardtanh(x, { minVal: -1, maxVal: 1 })).toEqual(Float32Array.from([-1, -0.5, 0, 1]));
    expect(() => a.hardtanh(x, { minVal: 2, maxVal: 1 })).toThrow(/minVal/); // the rule across params
    expect(() => a.gelu(x, { approximate: 'tanh' })).not.toThrow();
    expect(() => a.gelu(x, { approximate: 'bogus' as 'tanh' })).toThrow(RangeError);
    expect(() => (a.threshold as (x: Float32Array, o?: object) => Float32Array)(x)).toThrow(TypeError); // required params
    expect(a.threshold(x, { threshold: 0, value: 7 })).toEqual(Float32Array.from([7, 7, 7, 3]));
    expect(() => (a.threshold as (x: Float32Array, o?: object) => Float32Array)(x, { threshold: 0 })).toThrow(/value/);
  });

  // The engine keeps each kernel's arguments from the last params object it was given
  // (src/runtime/engine.ts, elementwise()), and a call with options that name no param reads
  // none (checkActivationOptions). Here each function sees its param cases in turn, twice over,
  // back and forth, at a length that runs the kernels (copying and zero-copy), and must give
  // the bits of an instance that only ever saw that one case.
  it('pass each call\'s params to the kernels, however the params before them differed', () => {
    const rng = new Rng(0x5a);
    const x = rng.float32Array(67, -8, 8);
    const dy = rng.float32Array(67, -1, 1);
    const single: Activations[] = [];
    const xBuffer = a.allocate(x.length);
    const outBuffer = a.allocate(x.length);
    xBuffer.array.set(x);
    for (const definition of elementwiseDefinitions) {
      const cases = paramCases(definition);
      const order = [...cases.keys(), ...[...cases.keys()].reverse()];
      for (const k of order) {
        single[k] ??= createActivationsSync({ backend });
        const { options } = cases[k];
        const what = `${definition.name} ${cases[k].label}`;
        const expected = fn(single[k], definition)(x, options);
        expect(Array.from(fn(a, definition)(x, options)), what).toEqual(Array.from(expected));
        fn(a, definition)(xBuffer, { ...options, out: outBuffer });
        expect(Array.from(outBuffer.array), `${what}, zero-copy`).toEqual(Array.from(expected));
        const backward = (acts: Activations) => (acts[`${definition.name}Backward` as keyof Activations] as
          (dy: Float32Array, x: Float32Array, o: object) => Float32Array)(dy, x, options);
        expect(Array.from(backward(a)), `${what}, backward`).toEqual(Array.from(backward(single[k])));
      }
    }
    // for...in's keys are the options: an inherited param counts, and is read.
    const inherited = Object.create({ alpha: 0.25 }) as { alpha: number };
    expect(Array.from(a.leakyRelu(Float32Array.from([-4, 2]), inherited))).toEqual([-1, 2]);
    xBuffer.free();
    outBuffer.free();
  });

  it('return arrays that later calls do not change (no views of wasm memory)', () => {
    const rng = new Rng(0x2e);
    const x1 = rng.float32Array(20000, -5, 5);
    const y1 = a.sigmoid(x1);
    const copy = y1.slice();
    a.sigmoid(rng.float32Array(20000, -5, 5));
    a.tanh(rng.float32Array(50000, -5, 5));
    b.softmax(rng.float32Array(30000, -5, 5), { shape: [3, 10000], dim: 0 });
    expect(Array.from(y1)).toEqual(Array.from(copy));
    expect(y1.buffer.byteLength).toBe(20000 * 4);
  });

  it.each([
    ['Float64Array', (v: number[]) => Float64Array.from(v)],
    ['Int8Array', (v: number[]) => Int8Array.from(v)],
    ['Int16Array', (v: number[]) => Int16Array.from(v)],
    ['Uint8Array', (v: number[]) => Uint8Array.from(v)],
    ['Uint8ClampedArray', (v: number[]) => Uint8ClampedArray.from(v)],
    ['Int32Array', (v: number[]) => Int32Array.from(v)],
    ['plain Array', (v: number[]) => v.slice()],
  ] as Array<[string, (v: number[]) => ArrayLike<number>]>)('accept x as a %s (converted to float32)', (_, make) => {
    const values = [-7, -3, -1, 0, 1, 2, 5, 100, -100, 12, -0.1, 0.3, 1e-3, 1e30];
    const x = make(values);
    const before = Array.from(x);
    const f32 = Float32Array.from(x);
    for (const definition of definitionsOf()) {
      const y = fn(a, definition)(x);
      expect(y).toBeInstanceOf(Float32Array);
      expect(y.length).toBe(definition.kind === 'gated' ? x.length / 2 : x.length);
      expect(Array.from(x), 'input changed').toEqual(before);
      const exact = exactOf(definition, f32);
      const worst = maxUlp(y, exact, f32.subarray(0, y.length));
      expect(worst.ulp, `${definition.name}: ${describeWorst(worst)}`).toBeLessThanOrEqual(definition.ulp);
      // out works with a converted x too.
      const out = new Float32Array(y.length);
      expect(fn(a, definition)(x, { out })).toBe(out);
      expect(Array.from(out)).toEqual(Array.from(y));
    }
  });

  it('use a Float32Array x without copying: out = x works in place and is returned', () => {
    // glu's result is half as long as x (never x itself): test/glu.test.ts.
    for (const definition of sameLengthDefinitionsOf()) {
      const x = new Float32Array([-2, -1, 0, 1, 2]);
      const input = x.slice();
      const y = fn(a, definition)(x, { out: x });
      expect(y).toBe(x);
      expect(Array.from(y)).toEqual(Array.from(fn(a, definition)(input)));
    }
  });

  it('return the given out (identity), else a new Float32Array distinct from x', () => {
    for (const definition of definitionsOf()) {
      const x = new Float32Array(definition.kind === 'gated' ? [-2, -1, 0, 1, 2, 3] : [-2, -1, 0, 1, 2]);
      const out = new Float32Array(definition.kind === 'gated' ? 3 : 5);
      expect(fn(a, definition)(x, { out })).toBe(out);
      const y = fn(a, definition)(x);
      expect(y).not.toBe(x);
      expect(y.buffer).not.toBe(x.buffer);
      expect(fn(a, definition)(x, {})).toBeInstanceOf(Float32Array);
      expect(fn(a, definition)(x, undefined)).toBeInstanceOf(Float32Array);
    }
  });

  it('are frozen', () => {
    expect(Object.isFrozen(a)).toBe(true);
  });
});

describe('without WebAssembly', () => {
  it("'auto' gives 'js', a forced wasm backend throws an Error saying WebAssembly is missing", async () => {
    vi.stubGlobal('WebAssembly', undefined);
    const fresh = await freshApi();
    expect(fresh.backend()).toBeNull();
    await expect(fresh.createActivations()).resolves.toHaveProperty('backend', 'js');
    await expect(fresh.createActivations({ backend: 'auto' })).resolves.toHaveProperty('backend', 'js');
    expect(fresh.createActivationsSync().backend).toBe('js');
    for (const backend of ['wasm-simd', 'wasm-scalar'] as const) {
      await expect(fresh.createActivations({ backend })).rejects.toThrow(/WebAssembly/);
      await expect(fresh.createActivations({ backend })).rejects.toBeInstanceOf(Error);
      expect(() => fresh.createActivationsSync({ backend })).toThrow(/WebAssembly/);
      await expect(fresh.init({ backend })).rejects.toThrow(/WebAssembly/);
      expect(() => fresh.initSync({ backend })).toThrow(/WebAssembly/);
    }
    expect(fresh.backend()).toBeNull();
    // The lazy default falls back to js and works.
    expect(Array.from(fresh.sigmoid([0]))).toEqual([0.5]);
    expect(fresh.backend()).toBe('js');
    expectAllCorrect(fresh, 'no WebAssembly');
    await expect(fresh.init()).resolves.toBe('js');
  });
});

describe('without WebAssembly SIMD', () => {
  it("'auto' gives 'wasm-scalar', a forced 'wasm-simd' throws an Error mentioning SIMD", async () => {
    const validate = WebAssembly.validate.bind(WebAssembly);
    const probeSizes: number[] = [];
    const spy = vi.spyOn(WebAssembly, 'validate').mockImplementation((bytes: BufferSource) => {
      const size = bytes.byteLength;
      probeSizes.push(size);
      // The SIMD probe is the 31-byte module; the 8-byte empty module still validates.
      return size === 31 ? false : validate(bytes);
    });
    const fresh = await freshApi();
    await expect(fresh.createActivations()).resolves.toHaveProperty('backend', 'wasm-scalar');
    expect(fresh.createActivationsSync().backend).toBe('wasm-scalar');
    await expect(fresh.createActivations({ backend: 'wasm-simd' })).rejects.toThrow(/SIMD/);
    await expect(fresh.createActivations({ backend: 'wasm-simd' })).rejects.toBeInstanceOf(Error);
    expect(() => fresh.createActivationsSync({ backend: 'wasm-simd' })).toThrow(/SIMD/);
    expect(() => fresh.initSync({ backend: 'wasm-simd' })).toThrow(/SIMD/);
    await expect(fresh.createActivations({ backend: 'wasm-scalar' })).resolves.toHaveProperty('backend', 'wasm-scalar');
    expect(probeSizes).toContain(31);
    expect(probeSizes).toContain(8);
    // The lazy default picks wasm-scalar and works.
    expect(fresh.backend()).toBeNull();
    expectAllCorrect(fresh, 'no SIMD');
    expect(fresh.backend()).toBe('wasm-scalar');
    spy.mockRestore();
    // Restored: SIMD is back.
    const again = await freshApi();
    await expect(again.init()).resolves.toBe('wasm-simd');
  });
});
