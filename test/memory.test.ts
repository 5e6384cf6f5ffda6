// Buffers and memory on every backend: ActivationBuffers as x and out of every registry entry
// (bit-identical to the plain-array path, within the ULP bound), buffers held across memory
// growth, the allocator (reuse, coalescing, alignment, peak), a 10^6-operation random run that
// must keep memory bounded, maxMemoryBytes, misuse (free twice, use after free, buffers of another
// instance, bad lengths, `using`) and out overlapping a buffer x in the instance's memory.
import { beforeAll, describe, expect, it } from 'vitest';
import * as api from '../src/index.js';
import {
  ActivationBuffer, createActivations, createActivationsSync, definitionList, definitions,
  type Activations, type Backend, type CreateOptions, type Definition, type ElementwiseDefinition,
} from '../src/index.js';
import { Allocator } from '../src/runtime/allocator.js';
import { JS_BELOW } from '../src/runtime/engine.js';
import {
  BACKENDS, channelwiseReference, defaultParams, definitionsOf, elementwiseReference, gatedReference, sameLengthDefinitionsOf, firstDifference, fn, paramCases, reductionReference,
} from './helpers/activations.js';
import { CHUNK, mixedInputs, PAGE_FLOATS } from './helpers/inputs.js';
import { Rng } from './helpers/rng.js';
import { describeWorst, maxUlp, showFloat32 } from './helpers/ulp.js';

/** The definitions whose result has x's length (glu's is half as long: test/glu.test.ts). */
const SAME_LENGTH = sameLengthDefinitionsOf();

const MiB = 1 << 20;
/** Bytes per wasm page. */
const PAGE = 65536;
const SENTINEL = 1234.5;
const LENGTHS = [0, 1, 7, 8, 15, 16, 17, 100, CHUNK, CHUNK + 1, 16384, 16385, 40000];
const WASM_BACKENDS: readonly Backend[] = BACKENDS.filter((b) => b !== 'js');

const isWasm = (backend: Backend): boolean => backend !== 'js';

type ErrorClass = typeof Error | typeof TypeError | typeof RangeError;

/** What `f` throws (undefined when it returns). */
function thrownBy(f: () => unknown): unknown {
  try {
    f();
  } catch (error) {
    return error;
  }
  return undefined;
}

/** `f` throws exactly an `errorClass` (not a subclass, unless Error is asked for) whose message matches. */
function expectThrows(f: () => unknown, errorClass: ErrorClass, message: RegExp, what = ''): void {
  const thrown = thrownBy(f);
  expect(thrown, `${what}: nothing thrown`).toBeInstanceOf(errorClass);
  if (errorClass !== Error) expect((thrown as Error).constructor, what).toBe(errorClass);
  expect((thrown as Error).message, what).toMatch(message);
}

/** A buffer of `acts` holding `values`. */
function bufferOf(acts: Activations, values: ArrayLike<number>): ActivationBuffer {
  const buffer = acts.allocate(values.length);
  buffer.array.set(values);
  return buffer;
}

/** Allocates the rest of a wasm instance's memory when its free space is one range (a fresh instance): null when none is left. */
function fillMemory(acts: Activations): ActivationBuffer | null {
  const s = acts.memoryStats();
  return s.reservedBytes > s.usedBytes ? acts.allocate((s.reservedBytes - s.usedBytes) / 4) : null;
}

/** Bytes a block of `length` floats takes: rounded up to 16, at least 16. */
function blockBytes(length: number): number {
  return Math.max(16, Math.ceil((length * 4) / 16) * 16);
}

function expectSame(actual: ArrayLike<number>, expected: ArrayLike<number>, what: string, input?: ArrayLike<number>): void {
  expect(actual.length, `${what}: length`).toBe(expected.length);
  const i = firstDifference(actual, expected);
  const detail = i < 0 ? '' : `at [${i}]${input ? ` x = ${showFloat32(input[i])}` : ''}: got ${showFloat32(actual[i])}, expected ${showFloat32(expected[i])}`;
  expect(i, `${what}: ${detail}`).toBe(-1);
}

function expectWithinBound(definition: Definition, y: ArrayLike<number>, exact: ArrayLike<number>, x: ArrayLike<number>, what: string): void {
  const worst = maxUlp(y, exact, x);
  expect(worst.ulp, `${definition.name} ${what}: ${describeWorst(worst)}`).toBeLessThanOrEqual(definition.ulp);
}

/** Layouts tried for a reduction over `n` floats: the default, and 2-D and 3-D shapes along each dim. */
function layoutsFor(n: number): Array<{ shape?: number[]; dim?: number }> {
  const layouts: Array<{ shape?: number[]; dim?: number }> = [{}];
  if (n === 0) {
    layouts.push({ shape: [0, 5], dim: 0 }, { shape: [5, 0], dim: 1 });
    return layouts;
  }
  layouts.push({ shape: [1, n], dim: 0 }, { shape: [n, 1], dim: 0 });
  let a = 2;
  while (a < n && n % a !== 0) a++;
  if (a < n) layouts.push({ shape: [a, n / a], dim: 0 }, { shape: [a, n / a], dim: -1 });
  if (n === 40000) layouts.push({ shape: [10, 40, 100], dim: 1 }, { shape: [200, 200], dim: 0 });
  if (n === 16385) layouts.push({ shape: [5, 29, 113], dim: -2 });
  return layouts;
}

interface CallCase {
  readonly label: string;
  readonly x: Float32Array;
  readonly options: Record<string, unknown>;
  readonly exact: Float64Array;
}

function callCases(definition: Definition, n: number, rng: Rng): CallCase[] {
  if (definition.kind === 'channelwise') {
    // One weight, and per-channel weights on [n/4, 4] (the periodic kernels) and [n/8, 4, 2] (the block kernels).
    const layouts: Array<{ shape: number[]; weight: number[] }> = [{ shape: [n], weight: [definition.exampleWeight] }];
    const four = [0.25, -0.5, 2, 0];
    if (n > 0 && n % 4 === 0) layouts.push({ shape: [n / 4, 4], weight: four });
    if (n > 0 && n % 8 === 0) layouts.push({ shape: [n / 8, 4, 2], weight: four });
    return layouts.map(({ shape, weight }) => {
      const x = mixedInputs(rng, n);
      const exact = channelwiseReference(definition, x, weight, shape);
      return { label: `shape ${JSON.stringify(shape)}, ${weight.length} weights`, x, options: { shape, weight }, exact };
    });
  }
  if (definition.kind === 'elementwise') {
    return paramCases(definition).map((pc) => {
      const x = mixedInputs(rng, n);
      return { label: pc.label, x, options: pc.options, exact: elementwiseReference(definition, x, pc.params) };
    });
  }
  if (definition.kind === 'gated') throw new Error(`${definition.name}: its result is half as long as x (test/glu.test.ts covers its buffers)`);
  return layoutsFor(n).map((layout) => {
    const x = rng.float32Array(n, -20, 20);
    const exact = reductionReference(definition, x, layout.shape ?? [n], layout.dim ?? -1);
    return { label: `shape ${JSON.stringify(layout.shape ?? [n])} dim ${layout.dim ?? -1}`, x, options: { ...layout }, exact };
  });
}

// 1. Buffers as x and out of every registry entry.
describe.each(BACKENDS)('%s: buffers as x and out', (backend) => {
  let acts: Activations;
  beforeAll(async () => {
    acts = await createActivations({ backend });
    acts.relu(new Float32Array(100)); // the copy path's scratch, reserved once and kept
    acts.prelu(new Float32Array(64), { weight: [1, 2, 3, 4], shape: [16, 4] }); // prelu's weight region, kept too
  });

  describe.each(sameLengthDefinitionsOf())('$name', (definition) => {
    it.each(LENGTHS)('gives the plain-array results (bit for bit) within the bound, in place and out of place, at length %i', (n) => {
      const f = fn(acts, definition);
      const used0 = acts.memoryStats().usedBytes;
      // On a wasm backend an element-wise call on plain arrays shorter than JS_BELOW (or the
      // definition's jsBelow) runs the definition's js loop instead of the kernel; a buffer
      // always goes to the kernel. There the buffer modes must agree with each other (same
      // kernel) rather than with the plain path, except for a definition with a jsBelow of its
      // own: it promises that its js loop gives the kernel's bits, at every length.
      const ownJsBelow = definition.kind === 'elementwise' && definition.jsBelow !== undefined;
      const plainRunsKernel = !isWasm(backend) || definition.kind === 'reduction' || n >= JS_BELOW || ownJsBelow;
      for (const c of callCases(definition, n, new Rng(0xb0ff + n))) {
        const what = `length ${n}, ${c.label}`;
        const plain = f(c.x, c.options);
        expectWithinBound(definition, plain, c.exact, c.x, `${what}, plain arrays`);
        const results: Array<[string, Float32Array]> = [];

        {
          const b = bufferOf(acts, c.x);
          expect(f(b, { ...c.options, out: b }), `${what}: in place returns out`).toBe(b);
          results.push(['in place (out === x, a buffer)', b.array.slice()]);
          b.free();
        }
        {
          const bx = bufferOf(acts, c.x);
          const out = new Float32Array(n).fill(SENTINEL);
          expect(f(bx, { ...c.options, out }), `${what}: buffer x, array out returns out`).toBe(out);
          expectSame(bx.array, c.x, `${what}: buffer x changed (array out)`);
          results.push(['buffer x, array out', out]);
          bx.free();
        }
        {
          const x = c.x.slice();
          const bo = acts.allocate(n);
          bo.array.fill(SENTINEL);
          expect(f(x, { ...c.options, out: bo }), `${what}: array x, buffer out returns out`).toBe(bo);
          expectSame(x, c.x, `${what}: array x changed (buffer out)`);
          results.push(['array x, buffer out', bo.array.slice()]);
          bo.free();
        }
        {
          const bx = bufferOf(acts, c.x);
          const bo = acts.allocate(n);
          bo.array.fill(SENTINEL);
          expect(f(bx, { ...c.options, out: bo }), `${what}: buffer x, buffer out returns out`).toBe(bo);
          expectSame(bx.array, c.x, `${what}: buffer x changed (buffer out)`);
          results.push(['buffer x, buffer out', bo.array.slice()]);
          bo.free();
          bx.free();
        }
        {
          const bx = bufferOf(acts, c.x);
          const y = f(bx, c.options);
          expect(y, `${what}: buffer x, no out`).toBeInstanceOf(Float32Array);
          // A new array of its own, not a view of the instance's memory that later calls reuse.
          expect(y.buffer, `${what}: result is a view of the buffer's memory`).not.toBe(bx.array.buffer);
          expectSame(bx.array, c.x, `${what}: buffer x changed (no out)`);
          results.push(['buffer x, no out', y]);
          bx.free();
        }

        for (const [mode, y] of results) {
          expectWithinBound(definition, y, c.exact, c.x, `${what}, ${mode}`);
          if (plainRunsKernel) expectSame(y, plain, `${what}, ${mode} vs plain arrays`, c.x);
          else expectSame(y, results[0][1], `${what}, ${mode} vs ${results[0][0]}`, c.x);
        }
      }
      expect(acts.memoryStats().usedBytes, 'buffers freed: usedBytes back where it was').toBe(used0);
    });
  });
});

// 2. Memory growth with buffers held.
describe.each(BACKENDS)('%s: memory growth with buffers held', (backend) => {
  const sigmoid = definitions.sigmoid;
  const values = Float32Array.from({ length: 100 }, (_, i) => i * 0.25 - 12.3);

  it('keeps a held buffer\'s values and address across an 8 MiB allocate(); views taken before are detached (wasm)', () => {
    const acts = createActivationsSync({ backend });
    const buf = bufferOf(acts, values);
    const old = buf.array;
    const offset = old.byteOffset;
    const reserved0 = acts.memoryStats().reservedBytes;
    const big = acts.allocate(2 * MiB); // 8 MiB
    if (isWasm(backend)) {
      expect(acts.memoryStats().reservedBytes, 'memory did not grow').toBeGreaterThanOrEqual(reserved0 + 8 * MiB);
      expect(old.length, 'the view from before growth is still attached').toBe(0);
      expect(buf.array === old, 'buf.array is the detached view').toBe(false);
      expect(buf.array.buffer, 'buf.array is not a view of the current memory').toBe(big.array.buffer);
    } else {
      expect(old.length).toBe(100);
    }
    const now = buf.array;
    expect(now.length).toBe(100);
    expect(now.byteOffset).toBe(offset);
    expectSame(now, values, 'values after growth');
    // A block of newly grown memory reads as zeros.
    const b = big.array;
    expect(b.length).toBe(2 * MiB);
    let nonZero = -1;
    for (let i = 0; i < b.length; i++) if (b[i] !== 0) { nonZero = i; break; }
    expect(nonZero, 'newly grown memory is not zero').toBe(-1);

    // Activations on buf still work: copying (buffer x, array out), then in place.
    const exact = elementwiseReference(sigmoid, values, {});
    const y = acts.sigmoid(buf);
    expectWithinBound(sigmoid, y, exact, values, 'buffer x after growth');
    expect(acts.sigmoid(buf, { out: buf })).toBe(buf);
    expectWithinBound(sigmoid, buf.array, exact, values, 'in place after growth');
    expectSame(buf.array, y, 'in place vs copying after growth');
    big.free();
    buf.free();
  });

  it('keeps a held buffer\'s values when a copying call (softmax of a 50000-float row) grows memory', () => {
    const acts = createActivationsSync({ backend });
    acts.relu(new Float32Array(100)); // reserves the copy path's scratch
    const buf = bufferOf(acts, values);
    const old = buf.array;
    const reserved0 = acts.memoryStats().reservedBytes;
    const row = new Rng(0x6e0).float32Array(50000, -20, 20);
    const y = acts.softmax(row);
    expectWithinBound(definitions.softmax, y, reductionReference(definitions.softmax, row, [50000], -1), row, 'long row');
    if (isWasm(backend)) {
      expect(acts.memoryStats().reservedBytes, 'the call did not grow memory').toBeGreaterThan(reserved0);
      expect(old.length).toBe(0);
    }
    expectSame(buf.array, values, 'values after growth by a call');
    const exact = elementwiseReference(sigmoid, values, {});
    expectWithinBound(sigmoid, acts.sigmoid(buf), exact, values, 'sigmoid of buf after growth');
    buf.free();
  });

  it('reads a buffer x correctly when the same call\'s scratch allocation grows memory (element-wise and softmax)', () => {
    for (const definition of sameLengthDefinitionsOf()) {
      const acts = createActivationsSync({ backend });
      const n = PAGE_FLOATS; // a fresh instance: this buffer fills the first page, so scratch needs growth
      const x = new Rng(0x5c4 + n).float32Array(n, -10, 10);
      const buf = bufferOf(acts, x);
      const reserved0 = acts.memoryStats().reservedBytes;
      const y = fn(acts, definition)(buf);
      if (isWasm(backend)) expect(acts.memoryStats().reservedBytes, `${definition.name}: no growth`).toBeGreaterThan(reserved0);
      const exact = definition.kind === 'channelwise' ? channelwiseReference(definition, x) : definition.kind === 'elementwise'
        ? elementwiseReference(definition, x, defaultParams(definition))
        : definition.kind === 'gated' ? gatedReference(definition, x) : reductionReference(definition, x, [n], -1);
      expectWithinBound(definition, y, exact, x, 'buffer x, growth in the call');
      expectSame(buf.array, x, `${definition.name}: buffer x changed`);
    }
  });

  it('reads a buffer x correctly when a softmax block allocated for the call grows memory', () => {
    const acts = createActivationsSync({ backend });
    acts.relu(new Float32Array(100));
    const x = new Rng(0xb10c).float32Array(20000, -20, 20);
    const buf = bufferOf(acts, x);
    const reserved0 = acts.memoryStats().reservedBytes;
    const y = acts.softmax(buf, { shape: [1, 20000] });
    if (isWasm(backend)) expect(acts.memoryStats().reservedBytes, 'no growth').toBeGreaterThan(reserved0);
    expectWithinBound(definitions.softmax, y, reductionReference(definitions.softmax, x, [20000], -1), x, 'oversized row from a buffer');
    expectSame(buf.array, x, 'buffer x changed');
  });

  it('gives a zero-length buffer a view of the current memory after growth', () => {
    const acts = createActivationsSync({ backend });
    const empty = acts.allocate(0);
    expect(empty.length).toBe(0);
    expect(empty.array.length).toBe(0);
    const other = acts.allocate(3 * MiB);
    if (isWasm(backend)) expect(empty.array.buffer, 'stale view of a zero-length buffer').toBe(other.array.buffer);
    expect(acts.relu(empty, { out: empty })).toBe(empty);
    expect(acts.sigmoid(empty).length).toBe(0);
    empty.free();
    other.free();
  });
});

// A Float32Array view of the instance's memory (buf.array) passed as a plain x or out: it is a
// valid Float32Array when the call starts. The call itself may grow memory (for the scratch
// region or a softmax block), which detaches that view.
describe.each(WASM_BACKENDS)('%s: a view kept from before memory grew', (backend) => {
  it('is a RangeError as x, dy, saved or out (it reads as empty), not an empty result', () => {
    const acts = createActivationsSync({ backend });
    const buf = acts.allocate(64);
    const kept = buf.array;
    const filler = acts.allocate(1 << 20); // grows the memory: the kept view is detached
    expect(kept.length).toBe(0);
    expect(() => acts.sigmoid(kept)).toThrow(RangeError);
    expect(() => acts.sigmoid(kept)).toThrow(/^x is a view of wasm memory that has grown since/);
    expect(() => acts.sigmoid(new Float32Array(64), { out: kept })).toThrow(/^out is a view of wasm memory that has grown since/);
    expect(() => acts.softmaxBackward(kept, new Float32Array(0))).toThrow(/^dy is a view/);
    expect(() => acts.softmaxBackward(new Float32Array(0), kept)).toThrow(/^y is a view/);
    // A fresh view works; a zero-length array of one's own is still an empty input.
    expect(acts.sigmoid(buf.array).length).toBe(64);
    expect(acts.sigmoid(new Float32Array(0)).length).toBe(0);
    buf.free();
    filler.free();
  });
});

describe.each(BACKENDS)('%s: buf.array (a view of the instance memory) as a plain x or out', (backend) => {
  it('works as x of a copying call that grows memory for its scratch', () => {
    const acts = createActivationsSync({ backend });
    const x = new Rng(0xa11).float32Array(PAGE_FLOATS, -10, 10); // fills the first page
    const buf = bufferOf(acts, x);
    const y = acts.sigmoid(buf.array);
    expectWithinBound(definitions.sigmoid, y, elementwiseReference(definitions.sigmoid, x, {}), x, 'x = buf.array');
    expectSame(buf.array, x, 'buffer changed');
  });

  it('works as out of a copying call that grows memory for its scratch', () => {
    const x = new Rng(0xa12).float32Array(PAGE_FLOATS, -10, 10);
    const expected = createActivationsSync({ backend }).tanh(x);
    const acts = createActivationsSync({ backend });
    const buf = acts.allocate(PAGE_FLOATS); // fills the first page
    buf.array.fill(SENTINEL);
    const out = buf.array;
    let y: Float32Array | undefined;
    const thrown = thrownBy(() => { y = acts.tanh(x, { out }); });
    expect(thrown, `tanh(x, { out: buf.array }): ${String(thrown)}`).toBeUndefined();
    expect(y).toBe(out);
    expectSame(buf.array, expected, 'out = buf.array, growth in the call');
  });

  it('works as x of a softmax whose row needs a block of its own that grows memory', () => {
    const acts = createActivationsSync({ backend });
    acts.relu(new Float32Array(100));
    const x = new Rng(0xa13).float32Array(20000, -20, 20);
    const buf = bufferOf(acts, x);
    let y: Float32Array | undefined;
    const thrown = thrownBy(() => { y = acts.softmax(buf.array); });
    expect(thrown, `softmax(buf.array): ${String(thrown)}`).toBeUndefined();
    expectWithinBound(definitions.softmax, y!, reductionReference(definitions.softmax, x, [20000], -1), x, 'x = buf.array');
  });
});

// 3. The allocator.
describe.each(BACKENDS)('%s: allocation', (backend) => {
  it('reuses freed space: allocate, free, allocate the same size leaves reservedBytes as it was', () => {
    const acts = createActivationsSync({ backend });
    const a = acts.allocate(1000);
    // Fill the rest of memory, so that a second block of 1000 fits only where A was.
    const rest = isWasm(backend) ? fillMemory(acts) : null;
    if (isWasm(backend)) expect(acts.memoryStats().usedBytes).toBe(acts.memoryStats().reservedBytes);
    const offset = a.array.byteOffset;
    const before = acts.memoryStats();
    a.free();
    expect(acts.memoryStats().usedBytes).toBe(before.usedBytes - 4000);
    const again = acts.allocate(1000);
    expect(acts.memoryStats().reservedBytes, 'memory grew instead of reusing').toBe(before.reservedBytes);
    expect(acts.memoryStats().usedBytes).toBe(before.usedBytes);
    if (isWasm(backend)) expect(again.array.byteOffset).toBe(offset);
    again.free();
    const freed = acts.memoryStats();
    // A's hole is the only free space: 100 rounds of allocate and free in it, no growth.
    for (let round = 0; round < 100; round++) {
      const b = acts.allocate(round % 2 ? 1000 : 7);
      if (isWasm(backend)) expect(b.array.byteOffset).toBe(offset);
      b.free();
    }
    expect(acts.memoryStats(), 'memory grew over 100 allocate/free rounds').toEqual({ ...freed, peakBytes: acts.memoryStats().peakBytes });
    expect(acts.memoryStats().peakBytes).toBe(before.peakBytes);
    rest?.free();
  });

  it('brings usedBytes back down after frees, and counts every live buffer', () => {
    const acts = createActivationsSync({ backend });
    const used0 = acts.memoryStats().usedBytes;
    const lengths = [0, 1, 3, 4, 5, 1000, 4097, 16384, 100000];
    const buffers: ActivationBuffer[] = [];
    let low = used0;
    let high = used0;
    for (const n of lengths) {
      buffers.push(acts.allocate(n));
      low += 4 * n;
      high += blockBytes(n);
      const used = acts.memoryStats().usedBytes;
      expect(used, `after allocate(${n})`).toBeGreaterThanOrEqual(low);
      expect(used, `after allocate(${n})`).toBeLessThanOrEqual(high);
    }
    // Free in an order that is neither allocation order nor its reverse.
    for (const i of [3, 0, 8, 5, 1, 7, 2, 6, 4]) {
      const before = acts.memoryStats().usedBytes;
      buffers[i].free();
      const after = acts.memoryStats().usedBytes;
      expect(before - after, `free of ${lengths[i]} floats`).toBeGreaterThanOrEqual(Math.max(4 * lengths[i], 1));
      expect(before - after, `free of ${lengths[i]} floats`).toBeLessThanOrEqual(blockBytes(lengths[i]));
    }
    expect(acts.memoryStats().usedBytes).toBe(used0);
  });

  it('tracks peakBytes: the largest usedBytes so far, never decreasing', () => {
    const acts = createActivationsSync({ backend });
    const a = acts.allocate(10000);
    const b = acts.allocate(20000);
    const peak1 = acts.memoryStats().usedBytes;
    expect(acts.memoryStats().peakBytes).toBe(peak1);
    a.free();
    b.free();
    const s = acts.memoryStats();
    expect(s.usedBytes).toBeLessThan(peak1);
    expect(s.peakBytes, 'peak fell after frees').toBe(peak1);
    const c = acts.allocate(5000);
    expect(acts.memoryStats().peakBytes, 'a smaller allocation moved the peak').toBe(peak1);
    const d = acts.allocate(30000);
    const peak2 = acts.memoryStats().usedBytes;
    expect(peak2).toBeGreaterThan(peak1);
    expect(acts.memoryStats().peakBytes).toBe(peak2);
    c.free();
    d.free();
    expect(acts.memoryStats().peakBytes).toBe(peak2);
    expect(acts.memoryStats().peakBytes).toBeGreaterThanOrEqual(acts.memoryStats().usedBytes);
  });

  it('reports the stats as safe integers with usedBytes <= reservedBytes', () => {
    const acts = createActivationsSync({ backend });
    const bufs = [acts.allocate(5), acts.allocate(70000), acts.allocate(0)];
    const s = acts.memoryStats();
    for (const key of ['reservedBytes', 'usedBytes', 'peakBytes'] as const) {
      expect(Number.isSafeInteger(s[key]), key).toBe(true);
    }
    expect(s.usedBytes).toBeLessThanOrEqual(s.reservedBytes);
    expect(s.usedBytes).toBeGreaterThanOrEqual(4 * 70005);
    for (const b of bufs) b.free();
  });
});

describe.each(WASM_BACKENDS)('%s: the allocator', (backend) => {
  /** A fresh instance with buffers A, B, C of 1000 floats at its start and the rest of memory taken. */
  function threeBlocks(): { acts: Activations; a: ActivationBuffer; b: ActivationBuffer; c: ActivationBuffer; rest: ActivationBuffer } {
    const acts = createActivationsSync({ backend });
    const a = acts.allocate(1000);
    const b = acts.allocate(1000);
    const c = acts.allocate(1000);
    const rest = fillMemory(acts)!;
    expect(acts.memoryStats().usedBytes, 'memory not full').toBe(acts.memoryStats().reservedBytes);
    return { acts, a, b, c, rest };
  }

  it.each([['A then B', 0], ['B then A', 1]] as const)('coalesces two freed neighbours (%s): 1900 floats fit where 2 × 1000 were', (_, order) => {
    const { acts, a, b, c } = threeBlocks();
    const offsetA = a.array.byteOffset;
    const reserved = acts.memoryStats().reservedBytes;
    if (order === 0) { a.free(); b.free(); } else { b.free(); a.free(); }
    const big = acts.allocate(1900);
    expect(acts.memoryStats().reservedBytes, 'memory grew: A and B were not merged').toBe(reserved);
    expect(big.array.byteOffset).toBe(offsetA);
    expect(big.array.byteOffset + big.array.byteLength).toBeLessThanOrEqual(c.array.byteOffset);
  });

  it('coalesces a freed block with free neighbours on both sides (A, C, then B): 2900 floats fit', () => {
    const { acts, a, b, c, rest } = threeBlocks();
    const offsetA = a.array.byteOffset;
    const reserved = acts.memoryStats().reservedBytes;
    a.free();
    c.free();
    b.free();
    const big = acts.allocate(2900);
    expect(acts.memoryStats().reservedBytes, 'memory grew: A, B and C were not merged').toBe(reserved);
    expect(big.array.byteOffset).toBe(offsetA);
    expect(big.array.byteOffset + big.array.byteLength).toBeLessThanOrEqual(rest.array.byteOffset);
  });

  it('hands out first fit: a small block goes to the lowest hole that holds it', () => {
    const { acts, a, c } = threeBlocks();
    const offsetA = a.array.byteOffset;
    const offsetC = c.array.byteOffset;
    c.free();
    a.free();
    const small = acts.allocate(10); // a 48-byte block
    expect(small.array.byteOffset).toBe(offsetA);
    const fits = acts.allocate(988); // the 3952 bytes left of A's 4000
    expect(fits.array.byteOffset, 'the rest of A\'s hole').toBe(offsetA + 48);
    const second = acts.allocate(1000);
    expect(second.array.byteOffset).toBe(offsetC);
  });

  it('extends a free range at the end of memory when it grows, leaving no hole', () => {
    const acts = createActivationsSync({ backend });
    const a = acts.allocate(1000);
    const s = acts.memoryStats();
    const tail = acts.allocate((s.reservedBytes - s.usedBytes) / 4);
    const tailOffset = tail.array.byteOffset;
    tail.free();
    const big = acts.allocate(20000); // larger than the free tail: memory grows
    expect(acts.memoryStats().reservedBytes).toBeGreaterThan(s.reservedBytes);
    expect(big.array.byteOffset, 'the free tail was abandoned').toBe(tailOffset);
    a.free();
    big.free();
  });

  it('grows by at least an eighth of the current size, and never past maxMemoryBytes', () => {
    const acts = createActivationsSync({ backend });
    const first = acts.allocate(2 * MiB - 100); // about 8 MiB
    const fill = fillMemory(acts);
    const s = acts.memoryStats();
    expect(s.usedBytes).toBe(s.reservedBytes);
    expect(s.reservedBytes).toBeGreaterThanOrEqual(8 * MiB - 400);
    const one = acts.allocate(1);
    expect(acts.memoryStats().reservedBytes - s.reservedBytes).toBeGreaterThanOrEqual(s.reservedBytes / 8);
    for (const b of [first, fill, one]) b?.free();

    const capped = createActivationsSync({ backend, maxMemoryBytes: 16 * PAGE });
    const most = capped.allocate((15 * PAGE) / 4);
    expect(capped.memoryStats().reservedBytes).toBeLessThanOrEqual(16 * PAGE);
    capped.allocate(1); // growth by an eighth of 15 pages would pass the cap: clamped to it
    expect(capped.memoryStats().reservedBytes).toBe(16 * PAGE);
    most.free();
  });

  it('aligns every buffer to 16 bytes and never overlaps two live buffers', () => {
    const acts = createActivationsSync({ backend });
    const rng = new Rng(0xa119);
    const live: ActivationBuffer[] = [];
    for (let i = 0; i < 3000; i++) {
      if (live.length > 0 && rng.int(3) === 0) {
        live.splice(rng.int(live.length), 1)[0].free();
        continue;
      }
      const n = rng.int(4) === 0 ? rng.int(40) : rng.int(3000);
      const b = acts.allocate(n);
      const view = b.array;
      expect(view.byteOffset % 16, `allocate(${n}) at byte ${view.byteOffset}`).toBe(0);
      for (const other of live) {
        const o = other.array;
        const disjoint = view.byteOffset + Math.max(view.byteLength, 1) <= o.byteOffset
          || o.byteOffset + Math.max(o.byteLength, 1) <= view.byteOffset;
        if (!disjoint) expect.fail(`allocate(${n}) at ${view.byteOffset} overlaps a live buffer at ${o.byteOffset} (${o.length} floats)`);
      }
      live.push(b);
    }
    for (const b of live) b.free();
  });
});

describe('the allocator with many holes', () => {
  it('takes the first free range by address that fits, and merges a freed block with both neighbours', () => {
    const memory = new WebAssembly.Memory({ initial: 1 });
    const allocator = new Allocator(memory, 2 ** 32);
    // 2000 blocks of 32 bytes filling the first 64000 bytes; every other one freed (1000 holes of
    // 32 bytes), and blocks 1501 and 1503 too, so that 1500-1504 make one hole of 160 bytes.
    const blocks = Array.from({ length: 2000 }, () => allocator.allocate(32));
    expect(blocks.slice(0, 3)).toEqual([0, 32, 64]);
    for (let k = 0; k < 2000; k += 2) allocator.release(blocks[k]);
    allocator.release(blocks[1501]);
    allocator.release(blocks[1503]);
    const reserved = allocator.stats().reservedBytes;
    expect(allocator.allocate(160), 'the first hole that holds 160 bytes, past 750 smaller ones').toBe(1500 * 32);
    expect(allocator.allocate(33), 'no hole of 48 bytes is left below the tail: the free tail').toBe(64000);
    expect(allocator.allocate(32), 'the lowest hole').toBe(0);
    expect(allocator.allocate(16), 'the next hole, whose rest stays free').toBe(64);
    expect(allocator.allocate(16), 'that rest').toBe(80);
    // Free everything, in an order that merges blocks with a hole on either side, on both, and on
    // neither: one range again, which a block of all of it takes without growing memory.
    allocator.release(blocks[1]);
    allocator.release(blocks[3]);
    for (const address of [0, 64, 80, 1500 * 32, 64000]) allocator.release(address);
    for (let k = 5; k < 2000; k += 2) if (k !== 1501 && k !== 1503) allocator.release(blocks[k]);
    expect(allocator.stats().usedBytes).toBe(0);
    expect(allocator.allocate(reserved), 'one free range: the whole memory').toBe(0);
    expect(allocator.stats().reservedBytes).toBe(reserved);
  });
});

// 4. A long random run: memory stays bounded and all of it comes back.
describe('the allocator under an engine limit below maxMemoryBytes', () => {
  it('grows by just the pages a block needs when the engine refuses the extra eighth', () => {
    const PAGE = 65536;
    // The engine's own limit, 17 pages, as a browser tab's or V8's --wasm-max-mem-pages can be.
    const memory = new WebAssembly.Memory({ initial: 16, maximum: 17 });
    const allocator = new Allocator(memory, 2 ** 32);
    allocator.allocate(16 * PAGE); // memory full
    const address = allocator.allocate(PAGE); // 18 pages wanted with the eighth: refused; 17 fit
    expect(address).toBe(16 * PAGE);
    expect(memory.buffer.byteLength).toBe(17 * PAGE);
    // Beyond the engine's limit: a RangeError naming what the block needed.
    expect(() => allocator.allocate(16)).toThrow(RangeError);
    expect(() => allocator.allocate(16)).toThrow(/refused to grow wasm memory to 1114128 bytes/);
    expect(allocator.stats().usedBytes).toBe(17 * PAGE);
  });
});

describe.each(BACKENDS)('%s: 10^6 random operations', (backend) => {
  const OPS = 1_000_000;
  const MAX_LIVE = 20;
  const MAX_LENGTH = 5000;
  const CALL_MAX_LENGTH = 50000;
  const RESERVED_BOUND = 16 * MiB;

  it(`keep reservedBytes under ${RESERVED_BOUND / MiB} MiB, account every byte, and free back to the scratch-only baseline`, () => {
    const acts = createActivationsSync({ backend });
    acts.sigmoid(new Float32Array(100)); // reserves the copy path's scratch (wasm)
    const baseline = acts.memoryStats().usedBytes;
    const rng = new Rng(0x1e6);
    const inputs = mixedInputs(rng, CALL_MAX_LENGTH);
    const logits = rng.float32Array(CALL_MAX_LENGTH, -20, 20);
    interface Live {
      buffer: ActivationBuffer;
      length: number;
      tag: number;
    }
    const live: Live[] = [];
    let liveLow = 0; // Σ 4·length
    let liveHigh = 0; // Σ block sizes
    let lastPeak = acts.memoryStats().peakBytes;
    let maxReserved = 0;
    let calls = 0;
    let allocations = 0;
    let frees = 0;

    const tagPositions = (length: number): number[] => (length === 0 ? [] : [0, length >>> 1, length - 1]);
    const release = (index: number, op: number): void => {
      const [entry] = live.splice(index, 1);
      const view = entry.buffer.array;
      for (const i of tagPositions(entry.length)) {
        if (view[i] !== entry.tag) expect.fail(`op ${op}: buffer of ${entry.length} floats lost its tag at [${i}]: ${view[i]} instead of ${entry.tag}`);
      }
      entry.buffer.free();
      liveLow -= 4 * entry.length;
      liveHigh -= blockBytes(entry.length);
      frees++;
    };

    for (let op = 0; op < OPS; op++) {
      const roll = rng.int(1000);
      if (roll < 10) {
        // An activation call on plain arrays (about 10^4 in all).
        const definition = rng.pick(SAME_LENGTH);
        const n = rng.int(CALL_MAX_LENGTH + 1);
        const start = rng.int(CALL_MAX_LENGTH - n + 1);
        calls++;
        if (definition.kind === 'channelwise') {
          const x = inputs.subarray(start, start + n);
          const y = fn(acts, definition)(x);
          if (n > 0) {
            const i = rng.int(n);
            const worst = maxUlp([y[i]], [channelwiseReference(definition, [x[i]])[0]], [x[i]]);
            if (worst.ulp > definition.ulp) expect.fail(`op ${op}: ${definition.name} of ${n} floats: ${describeWorst(worst)} at [${i}]`);
          }
        } else if (definition.kind === 'elementwise') {
          const x = inputs.subarray(start, start + n);
          const y = fn(acts, definition)(x);
          if (n > 0) {
            const i = rng.int(n);
            const worst = maxUlp([y[i]], [definition.reference(x[i], defaultParams(definition))], [x[i]]);
            if (worst.ulp > definition.ulp) expect.fail(`op ${op}: ${definition.name} of ${n} floats: ${describeWorst(worst)} at [${i}]`);
          }
        } else if (definition.kind === 'reduction') {
          const x = logits.subarray(start, start + n);
          const rows = 1 + rng.int(4);
          const m = Math.floor(n / rows);
          const dim = rng.int(2);
          const y = fn(acts, definition)(x.subarray(0, rows * m), { shape: [rows, m], dim });
          if (m > 0) {
            // The first slice against the definition's reference.
            const at = dim === 1 ? Array.from({ length: m }, (_, k) => k) : Array.from({ length: rows }, (_, r) => r * m);
            const slice = at.map((i) => x[i]);
            const worst = maxUlp(at.map((i) => y[i]), definition.reference(slice, defaultParams(definition)), slice);
            if (worst.ulp > definition.ulp) expect.fail(`op ${op}: ${definition.name} of [${rows}, ${m}] dim ${dim}: ${describeWorst(worst)}`);
          }
        }
      } else if (roll < 12 && live.length > 0) {
        // A zero-copy call on a live buffer: relu in place keeps the (positive) tags.
        const entry = live[rng.int(live.length)];
        acts.relu(entry.buffer, { out: entry.buffer });
        calls++;
      } else if (live.length < MAX_LIVE && (live.length === 0 || roll < 506)) {
        const length = rng.int(MAX_LENGTH + 1);
        const buffer = acts.allocate(length);
        const tag = 1_000_000 + (op % 1_000_000);
        const view = buffer.array;
        if (isWasm(backend) && view.byteOffset % 16 !== 0) expect.fail(`op ${op}: allocate(${length}) at byte ${view.byteOffset}`);
        if (isWasm(backend)) {
          const end = view.byteOffset + blockBytes(length);
          for (const other of live) {
            const o = other.buffer.array;
            if (view.byteOffset < o.byteOffset + blockBytes(other.length) && o.byteOffset < end) {
              expect.fail(`op ${op}: allocate(${length}) at ${view.byteOffset} overlaps a live buffer at ${o.byteOffset}`);
            }
          }
        }
        for (const i of tagPositions(length)) view[i] = tag;
        live.push({ buffer, length, tag });
        liveLow += 4 * length;
        liveHigh += blockBytes(length);
        allocations++;
      } else {
        release(rng.int(live.length), op);
      }

      const s = acts.memoryStats();
      if (s.reservedBytes > maxReserved) maxReserved = s.reservedBytes;
      if (s.reservedBytes > RESERVED_BOUND) expect.fail(`op ${op}: reservedBytes ${s.reservedBytes} over ${RESERVED_BOUND}`);
      if (s.usedBytes < baseline + liveLow || s.usedBytes > baseline + liveHigh) {
        expect.fail(`op ${op}: usedBytes ${s.usedBytes} outside [${baseline + liveLow}, ${baseline + liveHigh}] with ${live.length} live buffers`);
      }
      if (s.usedBytes > s.reservedBytes) expect.fail(`op ${op}: usedBytes ${s.usedBytes} > reservedBytes ${s.reservedBytes}`);
      if (s.peakBytes < s.usedBytes || s.peakBytes < lastPeak) expect.fail(`op ${op}: peakBytes ${s.peakBytes} (used ${s.usedBytes}, previous peak ${lastPeak})`);
      lastPeak = s.peakBytes;
    }

    while (live.length > 0) release(live.length - 1, OPS);
    expect(calls).toBeGreaterThan(10_000);
    expect(allocations).toBeGreaterThan(400_000);
    expect(frees).toBe(allocations);
    const end = acts.memoryStats();
    expect(end.usedBytes, 'all buffers freed: usedBytes is not the scratch-only baseline').toBe(baseline);
    expect(maxReserved).toBeLessThanOrEqual(RESERVED_BOUND);
    if (isWasm(backend)) {
      // Everything freed merged back into one free range: it can be allocated whole without growth.
      expect(end.reservedBytes, 'nothing left free to test coalescing with').toBeGreaterThan(end.usedBytes);
      const whole = acts.allocate((end.reservedBytes - end.usedBytes) / 4);
      expect(acts.memoryStats().reservedBytes, 'the free space is fragmented').toBe(end.reservedBytes);
      whole.free();
    }
  });
});

// 5. maxMemoryBytes.
describe.each(BACKENDS)('%s: maxMemoryBytes', (backend) => {
  it('rejects allocate(1 << 20) (4 MiB) under a 1 MiB cap with a RangeError naming maxMemoryBytes, changing nothing', async () => {
    const acts = await createActivations({ backend, maxMemoryBytes: MiB });
    const keep = bufferOf(acts, [1, 2, 3]);
    const before = acts.memoryStats();
    expectThrows(() => acts.allocate(1 << 20), RangeError, /maxMemoryBytes/, 'allocate(1 << 20)');
    expect(acts.memoryStats()).toEqual(before);
    // Smaller allocations still work, and so do calls on them.
    const small = bufferOf(acts, [-1, 0, 2]);
    expect(Array.from(acts.relu(small))).toEqual([0, 0, 2]);
    expectSame(keep.array, [1, 2, 3], 'a live buffer after the failure');
    const most = acts.allocate(200_000); // 800 000 bytes
    expect(acts.memoryStats().reservedBytes).toBeLessThanOrEqual(MiB);
    expectThrows(() => acts.allocate(100_000), RangeError, /maxMemoryBytes/, 'allocate past the cap with buffers held');
    most.free();
    small.free();
    keep.free();
  });

  it('allows exactly maxMemoryBytes of buffers, and not one float more', () => {
    const acts = createActivationsSync({ backend, maxMemoryBytes: MiB });
    const all = acts.allocate(MiB / 4);
    expect(acts.memoryStats().usedBytes).toBe(MiB);
    expect(acts.memoryStats().reservedBytes).toBeLessThanOrEqual(MiB);
    expectThrows(() => acts.allocate(1), RangeError, /maxMemoryBytes/, 'allocate(1) at the cap');
    all.free();
    acts.allocate(1).free();
  });

  it('accepts 65536 (one page) and 2^32 (the default) as the cap', () => {
    const page = createActivationsSync({ backend, maxMemoryBytes: PAGE });
    page.allocate(PAGE / 4).free();
    expectThrows(() => page.allocate(PAGE / 4 + 1), RangeError, /maxMemoryBytes/, 'one float over a one-page cap');
    const top = createActivationsSync({ backend, maxMemoryBytes: 2 ** 32 });
    top.allocate(1000).free();
  });

  it('runs copying calls on 10^6-float plain arrays under a 1 MiB cap (streamed through the 32 KiB scratch)', () => {
    const acts = createActivationsSync({ backend, maxMemoryBytes: MiB });
    const rng = new Rng(0xca9);
    const x = mixedInputs(rng, 1_000_000);
    for (const definition of [definitions.sigmoid, definitions.relu]) {
      const y = acts[definition.name as 'sigmoid'](x);
      expectWithinBound(definition, y, elementwiseReference(definition as ElementwiseDefinition, x, {}), x, '10^6 floats under a 1 MiB cap');
    }
    const logits = rng.float32Array(1_000_000, -20, 20);
    const shape = [10_000, 100];
    const y = acts.softmax(logits, { shape });
    expectWithinBound(definitions.softmax, y, reductionReference(definitions.softmax, logits, shape, -1), logits, 'softmax [10000, 100] under a 1 MiB cap');
    const inPlace = x.slice();
    expect(acts.tanh(inPlace, { out: inPlace })).toBe(inPlace);
    expectWithinBound(definitions.tanh, inPlace, elementwiseReference(definitions.tanh, x, {}), x, 'in place under a 1 MiB cap');
    expect(acts.memoryStats().reservedBytes).toBeLessThanOrEqual(MiB);
  });

  it.each([
    [-1, RangeError],
    [1.5, TypeError],
    ['1', TypeError],
    [2 ** 40, RangeError],
    [1000, RangeError],
    [65535, RangeError],
    [2 ** 32 + 1, RangeError],
    [0, RangeError],
    [NaN, TypeError],
    [Infinity, TypeError],
    [null, TypeError],
    [1n, TypeError],
  ] as Array<[unknown, ErrorClass]>)('rejects maxMemoryBytes %s with a %o naming it', async (value, errorClass) => {
    const options = { backend, maxMemoryBytes: value } as unknown as CreateOptions;
    expectThrows(() => createActivationsSync(options), errorClass, /maxMemoryBytes/, `createActivationsSync(${String(value)})`);
    const rejection = await createActivations(options).then(() => undefined, (error: unknown) => error);
    expect(rejection, 'createActivations resolved').toBeInstanceOf(errorClass);
    expect((rejection as Error).constructor).toBe(errorClass);
    expect((rejection as Error).message).toMatch(/maxMemoryBytes/);
  });

  it.each(['maxMemory', 'maxBytes', 'memory', 'MaxMemoryBytes'])('rejects the unknown option %s with a TypeError naming it', async (key) => {
    const options = { backend, [key]: MiB } as unknown as CreateOptions;
    expectThrows(() => createActivationsSync(options), TypeError, new RegExp(`'${key}'`), key);
    await expect(createActivations(options)).rejects.toThrow(new RegExp(`'${key}'`));
    await expect(createActivations(options)).rejects.toBeInstanceOf(TypeError);
  });

  // A cap of 100 000 bytes (valid: an integer in [65536, 2^32]) that is not a whole number of
  // pages: memory grows by 64 KiB pages, so the cap counts as one page (65 536 bytes).
  it('keeps reservedBytes within a cap that is not a multiple of 64 KiB', () => {
    const cap = 100_000;
    const acts = createActivationsSync({ backend, maxMemoryBytes: cap });
    acts.allocate(15_000); // 60 000 bytes
    expect(acts.memoryStats().usedBytes).toBe(60_000);
    expectThrows(() => acts.allocate(2_000), RangeError, /maxMemoryBytes/, '8 000 more bytes past the one-page cap');
    expect(acts.memoryStats().reservedBytes, 'reserved past maxMemoryBytes').toBeLessThanOrEqual(cap);
  });

  it('refuses allocations past a cap that is not a multiple of 64 KiB (rounded down to whole pages)', () => {
    const cap = 3 * PAGE + 30_000;
    const acts = createActivationsSync({ backend, maxMemoryBytes: cap });
    acts.allocate((2 * PAGE) / 4);
    acts.allocate(PAGE / 4); // exactly three pages: the rounded cap
    const thrown = thrownBy(() => acts.allocate(4));
    expect(thrown, `no error; memoryStats ${JSON.stringify(acts.memoryStats())}`).toBeInstanceOf(RangeError);
    expect((thrown as Error).message).toMatch(/maxMemoryBytes/);
    expect(acts.memoryStats().usedBytes).toBe(3 * PAGE);
    expect(acts.memoryStats().reservedBytes).toBeLessThanOrEqual(cap);
  });
});

describe.each(WASM_BACKENDS)('%s: maxMemoryBytes and copying calls', (backend) => {
  it('rejects a softmax whose one row needs a block over the cap with a RangeError, writing nothing', () => {
    const acts = createActivationsSync({ backend, maxMemoryBytes: MiB });
    acts.relu(new Float32Array(100));
    const before = acts.memoryStats();
    const x = new Rng(0x4c).float32Array(300_000, -5, 5); // one 1.2 MB row
    const out = new Float32Array(x.length).fill(SENTINEL);
    expectThrows(() => acts.softmax(x, { out }), RangeError, /maxMemoryBytes/, 'softmax of a 300 000-float row under 1 MiB');
    expect(out.every((v) => v === SENTINEL), 'out was written').toBe(true);
    expect(acts.memoryStats().usedBytes).toBe(before.usedBytes);
    expect(acts.memoryStats().reservedBytes).toBeLessThanOrEqual(MiB);
    // The same data in rows that fit works.
    const y = acts.softmax(x, { shape: [3000, 100] });
    expectWithinBound(definitions.softmax, y, reductionReference(definitions.softmax, x, [3000, 100], -1), x, 'rows that fit');
  });

  it('rejects a copying call when buffers leave no room for the scratch, and works once they are freed', () => {
    const acts = createActivationsSync({ backend, maxMemoryBytes: MiB });
    const hog = acts.allocate(255_000); // 1 020 000 bytes: the 32 KiB scratch no longer fits
    const x = Float32Array.from({ length: 1000 }, (_, i) => i - 500);
    const out = new Float32Array(1000).fill(SENTINEL);
    expectThrows(() => acts.relu(x, { out }), RangeError, /maxMemoryBytes/, 'relu with no room for scratch');
    expect(out.every((v) => v === SENTINEL)).toBe(true);
    // Buffer to buffer needs no scratch.
    const bx = bufferOf(acts, x.subarray(0, 10));
    const bo = acts.allocate(10);
    expect(acts.relu(bx, { out: bo })).toBe(bo);
    expect(Array.from(bo.array)).toEqual(Array.from(x.subarray(0, 10), (v) => Math.max(v, 0)));
    hog.free();
    expect(acts.relu(x, { out })).toBe(out);
    expect(Array.from(out)).toEqual(Array.from(x, (v) => Math.max(v, 0)));
  });
});

// 6. Misuse.
describe.each(BACKENDS)('%s: misuse', (backend) => {
  let acts: Activations;
  let others: Activations[];
  beforeAll(async () => {
    acts = await createActivations({ backend });
    acts.relu(new Float32Array(100)); // the copy path's scratch, reserved once and kept
    others = await Promise.all(BACKENDS.map((b) => createActivations({ backend: b })));
  });

  it('free() twice throws an Error; freed is true after the first', () => {
    const b = acts.allocate(4);
    expect(b.freed).toBe(false);
    const used = acts.memoryStats().usedBytes;
    b.free();
    expect(b.freed).toBe(true);
    expect(acts.memoryStats().usedBytes).toBe(used - 16);
    expectThrows(() => b.free(), Error, /free/, 'second free()');
    expect(acts.memoryStats().usedBytes, 'a second free() released memory').toBe(used - 16);
    expect(b.freed).toBe(true);
  });

  it('reading array after free throws an Error; length stays', () => {
    const b = bufferOf(acts, [1, 2, 3]);
    b.free();
    expectThrows(() => b.array, Error, /free/, 'array after free');
    expect(b.length).toBe(3);
  });

  // glu's result is half as long as x: its freed and foreign buffers are in test/glu.test.ts.
  describe.each(sameLengthDefinitionsOf())('$name', (definition) => {
    for (const n of [5, 100]) {
      it(`rejects a freed buffer as x or out (length ${n}) with an Error mentioning free, writing nothing`, () => {
        const f = fn(acts, definition);
        const values = Float32Array.from({ length: n }, (_, i) => i - 2.5);
        const used0 = acts.memoryStats().usedBytes;

        const freedX = bufferOf(acts, values);
        freedX.free();
        const out = new Float32Array(n).fill(SENTINEL);
        expectThrows(() => f(freedX, { out }), Error, /free/, 'freed x, array out');
        expect(out.every((v) => v === SENTINEL), 'freed x: out written').toBe(true);
        expectThrows(() => f(freedX), Error, /free/, 'freed x, no out');
        const liveOut = acts.allocate(n);
        liveOut.array.fill(SENTINEL);
        expectThrows(() => f(freedX, { out: liveOut }), Error, /free/, 'freed x, buffer out');
        expect(liveOut.array.every((v) => v === SENTINEL), 'freed x: buffer out written').toBe(true);
        expectThrows(() => f(freedX, { out: freedX }), Error, /free/, 'freed buffer in place');

        const freedOut = acts.allocate(n);
        freedOut.free();
        const x = values.slice();
        expectThrows(() => f(x, { out: freedOut }), Error, /free/, 'array x, freed out');
        expectSame(x, values, 'array x changed');
        const liveX = bufferOf(acts, values);
        expectThrows(() => f(liveX, { out: freedOut }), Error, /free/, 'buffer x, freed out');
        expectSame(liveX.array, values, 'buffer x changed');

        liveOut.free();
        liveX.free();
        expect(acts.memoryStats().usedBytes, 'a rejected call leaked memory').toBe(used0);
      });

      it(`rejects a buffer of another instance as x or out (length ${n}) with a TypeError mentioning another, writing nothing`, () => {
        const f = fn(acts, definition);
        const values = Float32Array.from({ length: n }, (_, i) => i - 2.5);
        for (const other of others) {
          const what = `a ${other.backend} instance's buffer`;
          const foreign = bufferOf(other, values);
          const out = new Float32Array(n).fill(SENTINEL);
          expectThrows(() => f(foreign, { out }), TypeError, /another/, `${what} as x`);
          expect(out.every((v) => v === SENTINEL), `${what} as x: out written`).toBe(true);
          expectThrows(() => f(foreign), TypeError, /another/, `${what} as x, no out`);
          const own = bufferOf(acts, values);
          const ownOut = acts.allocate(n);
          ownOut.array.fill(SENTINEL);
          expectThrows(() => f(foreign, { out: ownOut }), TypeError, /another/, `${what} as x, own buffer out`);
          expect(ownOut.array.every((v) => v === SENTINEL), `${what} as x: own out written`).toBe(true);

          const foreignOut = other.allocate(n);
          foreignOut.array.fill(SENTINEL);
          expectThrows(() => f(values, { out: foreignOut }), TypeError, /another/, `${what} as out`);
          expectThrows(() => f(own, { out: foreignOut }), TypeError, /another/, `${what} as out, own buffer x`);
          expect(foreignOut.array.every((v) => v === SENTINEL), `${what} as out: written`).toBe(true);
          expectSame(own.array, values, `${what} as out: own x changed`);
          expectSame(foreign.array, values, `${what}: changed`);
          expectThrows(() => f(foreign, { out: foreign }), TypeError, /another/, `${what} in place`);
          expectSame(foreign.array, values, `${what} in place: changed`);
          for (const b of [foreign, foreignOut, own, ownOut]) b.free();
        }
      });
    }

    it('rejects buffers of different lengths as x and out with a RangeError naming out', () => {
      const f = fn(acts, definition);
      const bx = bufferOf(acts, [1, 2, 3, 4, 5, 6]);
      for (const n of [0, 5, 7]) {
        const bo = acts.allocate(n);
        bo.array.fill(SENTINEL);
        expectThrows(() => f(bx, { out: bo }), RangeError, /\bout\b/, `out of length ${n}`);
        expect(bo.array.every((v) => v === SENTINEL)).toBe(true);
        expectThrows(() => f([1, 2, 3, 4, 5, 6, 7, 8, 9], { out: bo }), RangeError, /\bout\b/, `array x, out of length ${n}`);
        bo.free();
      }
      bx.free();
    });
  });

  it.each([
    [-1, RangeError],
    [1.5, TypeError],
    ['3', TypeError],
    [2 ** 31, RangeError],
    [2 ** 30 + 1, RangeError],
    [NaN, TypeError],
    [Infinity, TypeError],
    [-Infinity, TypeError],
    [undefined, TypeError],
    [null, TypeError],
    [3n, TypeError],
    [[3], TypeError],
  ] as Array<[unknown, ErrorClass]>)('rejects allocate(%o) with a %o naming length, allocating nothing', (length, errorClass) => {
    const before = acts.memoryStats();
    expectThrows(() => acts.allocate(length as number), errorClass, /\blength\b/, `allocate(${String(length)})`);
    expect(acts.memoryStats()).toEqual(before);
  });

  it('frees a buffer at the end of a `using` block, also when the block throws', () => {
    const used0 = acts.memoryStats().usedBytes;
    let held: ActivationBuffer | undefined;
    {
      using b = acts.allocate(4);
      held = b;
      b.array.set([-1, 0, 1, 2]);
      expect(Array.from(acts.relu(b))).toEqual([0, 0, 1, 2]);
      expect(acts.memoryStats().usedBytes).toBe(used0 + 16);
      expect(b.freed).toBe(false);
    }
    expect(held.freed).toBe(true);
    expect(acts.memoryStats().usedBytes).toBe(used0);

    const heldInThrow: ActivationBuffer[] = [];
    expect(() => {
      using b = acts.allocate(100);
      heldInThrow.push(b);
      throw new Error('boom');
    }).toThrow('boom');
    expect(heldInThrow.length).toBe(1);
    expect(heldInThrow[0].freed).toBe(true);
    expect(acts.memoryStats().usedBytes).toBe(used0);

    // Freed by hand inside the block: the disposal at its end does nothing (no throw).
    expect(() => {
      using b = acts.allocate(8);
      b.free();
    }).not.toThrow();
    expect(acts.memoryStats().usedBytes).toBe(used0);
  });

  it('[Symbol.dispose]() frees, and a second dispose (or a dispose after free) is a no-op', () => {
    const used0 = acts.memoryStats().usedBytes;
    const b = acts.allocate(10);
    b[Symbol.dispose]();
    expect(b.freed).toBe(true);
    expect(acts.memoryStats().usedBytes).toBe(used0);
    expect(() => b[Symbol.dispose]()).not.toThrow();
    const c = acts.allocate(10);
    c.free();
    expect(() => c[Symbol.dispose]()).not.toThrow();
    expect(acts.memoryStats().usedBytes).toBe(used0);
    // The freed block was not released twice: a live buffer allocated after stays counted.
    const d = acts.allocate(10);
    b[Symbol.dispose]();
    expect(acts.memoryStats().usedBytes).toBe(used0 + 48);
    d.free();
  });
});

// 7. out overlapping a buffer x in the instance's memory (plain overlapping arrays are in
// errors.test.ts). On wasm a buffer's `array` is a view of the memory's ArrayBuffer, so a
// Float32Array over that ArrayBuffer at another offset overlaps it like any other array.
describe.each(WASM_BACKENDS)('%s: out overlapping a buffer x', (backend) => {
  let acts: Activations;
  beforeAll(async () => {
    acts = await createActivations({ backend });
    acts.relu(new Float32Array(100)); // scratch reserved: no growth during these calls
  });

  for (const n of [100, 40000]) {
    it.each([3, -3, 1, -1])(`rejects out over the buffer x shifted by %i floats (length ${n}) with a RangeError, writing nothing`, (shift) => {
      const pad = acts.allocate(100);
      const bx = bufferOf(acts, Float32Array.from({ length: n }, (_, i) => -i - 1));
      const padAfter = acts.allocate(100);
      const memory = bx.array.buffer;
      const before = new Float32Array(memory, bx.array.byteOffset - 400, n + 200).slice();
      const out = new Float32Array(memory, bx.array.byteOffset + 4 * shift, n);
      for (const definition of definitionsOf()) {
        const thrown = thrownBy(() => fn(acts, definition)(bx, { out }));
        expect(thrown, `${definition.name}: no error for out overlapping buffer x at ${shift} floats`).toBeInstanceOf(RangeError);
        expect((thrown as Error).message).toMatch(/\bout\b/);
        expectSame(new Float32Array(memory, bx.array.byteOffset - 400, n + 200), before, `${definition.name}: memory written`);
      }
      // And the other way round: x a view overlapping a buffer out.
      const xView = new Float32Array(memory, bx.array.byteOffset + 4 * shift, n);
      for (const definition of definitionsOf()) {
        const thrown = thrownBy(() => fn(acts, definition)(xView, { out: bx }));
        expect(thrown, `${definition.name}: no error for x overlapping buffer out at ${shift} floats`).toBeInstanceOf(RangeError);
        expectSame(new Float32Array(memory, bx.array.byteOffset - 400, n + 200), before, `${definition.name}: memory written`);
      }
      for (const b of [pad, bx, padAfter]) b.free();
    });
  }

  it('gives correct results for an identity (leakyRelu alpha = 1) with out over x shifted by +3 floats when it does not throw', () => {
    const n = 40000;
    const x = Float32Array.from({ length: n }, (_, i) => -i - 1);
    const bx = bufferOf(acts, x);
    const padAfter = acts.allocate(100);
    const out = new Float32Array(bx.array.buffer, bx.array.byteOffset + 12, n);
    const thrown = thrownBy(() => acts.leakyRelu(bx, { out, alpha: 1 }));
    if (!(thrown instanceof RangeError)) {
      expect(thrown).toBeUndefined();
      expectSame(new Float32Array(bx.array.buffer, bx.array.byteOffset + 12, n), x, 'out over x + 3 floats');
    }
    bx.free();
    padAfter.free();
  });

  it('accepts out = x.array (same memory, same offset) as in place, and x = buf.array with out = buf', () => {
    acts.allocate(MiB).free(); // 4 MiB reserved: no growth (which would detach the views) in the calls below
    for (const definition of sameLengthDefinitionsOf()) {
      for (const n of [5, 100, 40000]) {
        const x = new Rng(0x1d + n).float32Array(n, -10, 10);
        const e = bufferOf(acts, x);
        const expected = fn(acts, definition)(e); // the kernel, as for the calls below (plain arrays under JS_BELOW run js)
        e.free();
        const b = bufferOf(acts, x);
        const view = b.array;
        expect(fn(acts, definition)(b, { out: view })).toBe(view);
        expectSame(b.array, expected, `${definition.name} n ${n}: buffer x, out = x.array`);
        b.array.set(x);
        expect(fn(acts, definition)(b.array, { out: b })).toBe(b);
        expectSame(b.array, expected, `${definition.name} n ${n}: x = buf.array, out = buf`);
        b.free();
      }
    }
  });
});

describe.each(BACKENDS)('%s: the default instance', (backend) => {
  it('allocate() and memoryStats() at the top level use the default instance, and init() makes old buffers foreign', () => {
    api.initSync({ backend });
    const before = api.memoryStats();
    const b = api.allocate(1000);
    expect(b).toBeInstanceOf(ActivationBuffer);
    expect(api.memoryStats().usedBytes).toBe(before.usedBytes + 4000);
    b.array.set(Float32Array.from({ length: 1000 }, (_, i) => (i % 7) - 3));
    expect(api.relu(b, { out: b })).toBe(b);
    expect(b.array.every((v) => v >= 0)).toBe(true);
    const y = api.sigmoid(b);
    expect(y.length).toBe(1000);
    // Switching the default instance: b belongs to the old one now.
    api.initSync({ backend });
    expectThrows(() => api.sigmoid(b), TypeError, /another/, 'a buffer of the previous default instance');
    expect(api.memoryStats().usedBytes).toBe(0);
    b.free();
  });
});
