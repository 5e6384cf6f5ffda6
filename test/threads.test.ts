// The threaded instance (createActivations({ threads })): every registry function, forward and
// backward, bit-identical to the single-threaded wasm-simd instance around the threshold and far
// above it, on arrays, buffers and in place; concurrent callers; faults (a worker dying in the
// middle of a call, destroy()) and the memory limit. The vitest timeouts are only a guard
// against a hang: nothing here asserts a speed.
import { availableParallelism } from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ActivationBuffer, createActivations, createActivationsSync, definitionList, definitions, GLU, init, PReLU, relu, ReLU, RReLU, Softmax, Softmax2d,
  type Activations, type ChannelGradients, type CreateOptions, type Definition,
} from '../src/index.js';
import { createThreadedActivations, POOL, type ThreadedActivations } from '../src/threads/instance.js';
import { Pool, type Spawn, type WorkerAnswer } from '../src/threads/pool.js';
import { split } from '../src/threads/split.js';
import { webHost } from '../src/threads/hosts.js';
import { requiredOptions } from './helpers/activations.js';
import { mixedInputs } from './helpers/inputs.js';
import { Rng } from './helpers/rng.js';

/** The threshold of the test instances: small, so that every function splits at modest sizes. */
const T = 4096;
/**
 * The largest chunk of a streamed call on the test instances (the calling thread's chunks are a
 * quarter of it): small, so that a call at the threshold hands chunks to the worker too.
 */
const STREAM = 4096;
/** The internal options of a test instance: threshold T, chunks of STREAM. */
const SMALL = { threshold: T, streamElements: STREAM } as const;
const LARGE = (1 << 20) + 3;

type Loose = (...args: unknown[]) => unknown;
const call = (acts: object, name: string): Loose => (acts as Record<string, Loose>)[name];
const poolOf = (acts: ThreadedActivations): Pool => (acts as unknown as Record<symbol, Pool>)[POOL];

/**
 * The first index where the bits of a and b differ, or -1; any NaN matches any NaN. (The NaN
 * payload is not part of the contract: V8 compiles wasm twice, Liftoff first and TurboFan when
 * a function is hot, and the two tiers need not give an operation on a NaN the same payload, so
 * a worker and the calling thread running one kernel in different tiers may differ there. Every
 * other value, ±0 included, must match bit for bit.)
 */
function firstDifference(a: Float32Array, b: Float32Array): number {
  const ua = new Uint32Array(a.buffer, a.byteOffset, a.length);
  const ub = new Uint32Array(b.buffer, b.byteOffset, b.length);
  if (a.length !== b.length) return 0;
  for (let i = 0; i < ua.length; i++) if (ua[i] !== ub[i] && !(Number.isNaN(a[i]) && Number.isNaN(b[i]))) return i;
  return -1;
}

function expectSameBits(actual: Float32Array, expected: Float32Array, label: string): void {
  const i = firstDifference(actual, expected);
  expect(i, `${label}: first difference at ${i}: ${actual[i]} vs ${expected[i]}`).toBe(-1);
}

/** Shapes and dims of a reduction call of about `elements` elements (at least two slices). */
function reductionCases(elements: number): { shape: number[]; dim: number }[] {
  const rows = Math.max(2, Math.round(elements / 64));
  return [
    { shape: [rows, 64], dim: -1 }, // rows: the row kernel
    { shape: [Math.max(2, Math.round(elements / 93)), 31, 3], dim: 1 }, // strided slices
  ];
}

let single: Activations;
let threaded: ThreadedActivations;

beforeAll(async () => {
  single = createActivationsSync({ backend: 'wasm-simd' });
  threaded = await createThreadedActivations({ threads: 2 }, SMALL);
});
afterAll(async () => {
  await threaded.destroy();
});

describe('split', () => {
  it('covers every unit once, in aligned parts', () => {
    for (const [count, parts, align] of [[0, 2, 16], [5, 2, 16], [4096, 2, 16], [4103, 3, 16], [7, 4, 1], [1000, 8, 16]]) {
      const p = split(count, parts, align);
      let next = 0;
      for (const { start, count: c } of p) {
        expect(start).toBe(next);
        expect(start % align).toBe(0);
        expect(c).toBeGreaterThan(0);
        next = start + c;
      }
      expect(next).toBe(count);
      expect(p.length).toBeLessThanOrEqual(parts);
    }
    expect(split(4096, 2, 16)).toEqual([{ start: 0, count: 2048 }, { start: 2048, count: 2048 }]);
  });
});

// Per-channel definitions (prelu) run on the calling thread of a threaded instance: tested below.
const splittable = definitionList.filter((d) => d.kind === 'elementwise' || d.kind === 'reduction');

describe('per-channel functions on a threaded instance', () => {
  it.each(definitionList.filter((d) => d.kind === 'channelwise').map((d) => d.name))('%s runs on the calling thread, bit-identical to one thread, dispatching nothing', async (name) => {
    const rng = new Rng(0xc4a + name.length);
    const pool = poolOf(threaded);
    const length = 4 * T;
    const x = mixedInputs(rng, length);
    const dy = mixedInputs(rng, length, -3, 3);
    const options = { weight: Float32Array.of(0.25, -0.5, 2, 0.125), shape: [length / 4, 4] };
    const before = pool.dispatched;
    expectSameBits(await (call(threaded, name)(x, options) as Promise<Float32Array>), call(single, name)(x, options) as Float32Array, 'forward');
    const expected = call(single, `${name}Backward`)(dy, x, options) as unknown as { dx: Float32Array; dweight: Float32Array };
    const actual = await (call(threaded, `${name}Backward`)(dy, x, options) as unknown as Promise<{ dx: Float32Array; dweight: Float32Array }>);
    expectSameBits(actual.dx, expected.dx, 'dx');
    expectSameBits(actual.dweight, expected.dweight, 'dweight');
    expect(pool.dispatched).toBe(before);
  });
});

describe('gated functions on a threaded instance', () => {
  it.each(definitionList.filter((d) => d.kind === 'gated').map((d) => d.name))('%s runs on the calling thread, bit-identical to one thread, dispatching nothing', async (name) => {
    const rng = new Rng(0x91 + name.length);
    const pool = poolOf(threaded);
    const length = 4 * T;
    const x = mixedInputs(rng, length);
    const dy = mixedInputs(rng, length / 2, -3, 3);
    const options = { shape: [length / 4, 4], dim: 1 };
    const before = pool.dispatched;
    expectSameBits(await (call(threaded, name)(x, options) as Promise<Float32Array>), call(single, name)(x, options) as Float32Array, 'forward');
    const expected = call(single, `${name}Backward`)(dy, x, options) as Float32Array;
    expectSameBits(await (call(threaded, `${name}Backward`)(dy, x, options) as Promise<Float32Array>), expected, 'dx');
    expect(pool.dispatched).toBe(before);
  });
});

describe.each(splittable.map((d) => [d.name, d] as const))('%s on 2 threads', (name, definition: Definition) => {
  const required = requiredOptions(definition);
  const sizes = [T - 1, T, T + 7, LARGE];
  const cases = (n: number): { label: string; options: Record<string, unknown> }[] =>
    definition.kind === 'reduction'
      ? reductionCases(n).map(({ shape, dim }) => ({ label: `shape [${shape}] dim ${dim}`, options: { shape, dim } }))
      : [{ label: `n = ${n}`, options: { ...required } }];

  it('forward: bit-identical to one thread, on arrays, buffers and in place; split only from the threshold', async () => {
    const rng = new Rng(0x7ead + name.length);
    const pool = poolOf(threaded);
    for (const n of sizes) {
      for (const { label, options } of cases(n)) {
        const length = (options.shape as number[] | undefined)?.reduce((a, b) => a * b, 1) ?? n;
        const x = mixedInputs(rng, length);
        const expected = call(single, name)(x, options) as Float32Array;
        let before = pool.dispatched;
        expectSameBits(await (call(threaded, name)(x, options) as Promise<Float32Array>), expected, `${label} arrays`);
        expect(pool.dispatched > before, `${label}: split`).toBe(length >= T);
        const buffer = threaded.allocate(length);
        buffer.array.set(x);
        const out = threaded.allocate(length);
        expect(await call(threaded, name)(buffer, { ...options, out })).toBe(out);
        expectSameBits(out.array, expected, `${label} buffers`);
        // A buffer x and an array out: streamed, the calling thread's chunks on the shared memory.
        before = pool.dispatched;
        expectSameBits(await (call(threaded, name)(buffer, options) as Promise<Float32Array>), expected, `${label} buffer x, array out`);
        expect(pool.dispatched > before, `${label}: buffer x, array out split`).toBe(length >= T);
        await call(threaded, name)(buffer, { ...options, out: buffer });
        expectSameBits(buffer.array, expected, `${label} buffer in place`);
        const array = x.slice();
        await call(threaded, name)(array, { ...options, out: array });
        expectSameBits(array, expected, `${label} array in place`);
        buffer.free();
        out.free();
      }
    }
  });

  it('backward: bit-identical to one thread, on arrays, buffers and in place', async () => {
    const rng = new Rng(0xbac + name.length);
    for (const n of sizes) {
      for (const { label, options } of cases(n)) {
        const length = (options.shape as number[] | undefined)?.reduce((a, b) => a * b, 1) ?? n;
        const dy = mixedInputs(rng, length, -3, 3);
        const saved = definition.kind === 'reduction'
          ? (call(single, name)(mixedInputs(rng, length), options) as Float32Array)
          : mixedInputs(rng, length);
        const expected = call(single, `${name}Backward`)(dy, saved, options) as Float32Array;
        expectSameBits(await (call(threaded, `${name}Backward`)(dy, saved, options) as Promise<Float32Array>), expected, `${label} arrays`);
        const g = threaded.allocate(length);
        const s = threaded.allocate(length);
        g.array.set(dy);
        s.array.set(saved);
        const out = threaded.allocate(length);
        await call(threaded, `${name}Backward`)(g, s, { ...options, out });
        expectSameBits(out.array, expected, `${label} buffers`);
        await call(threaded, `${name}Backward`)(g, saved, { ...options, out: g }); // one buffer, one array, in place into dy
        expectSameBits(g.array, expected, `${label} mixed, in place`);
        g.free();
        s.free();
        out.free();
      }
    }
  });
});

describe('more threads than two', () => {
  // Four parts on buffers (three workers and the calling thread), three workers streaming
  // arrays: part and chunk offsets past the first, which two threads never have on buffers.
  it.each([3, 4])('%i threads: bit-identical to one thread on buffers and arrays, forward and backward', async (threads) => {
    const acts = await createThreadedActivations({ threads }, SMALL);
    try {
      const pool = poolOf(acts);
      expect(acts.threads).toBe(threads);
      const rng = new Rng(0x4ead + threads);
      const cases: { name: string; length: number; options: Record<string, unknown> }[] = [
        { name: 'sigmoid', length: 6 * T + 7, options: {} },
        { name: 'tanh', length: 3 * T + 16, options: {} },
        { name: 'softmax', length: 64 * 97, options: { shape: [64, 97] } },
        { name: 'logSoftmax', length: 64 * 31 * 3, options: { shape: [64, 31, 3], dim: 1 } },
      ];
      for (const { name, length, options } of cases) {
        const x = mixedInputs(rng, length);
        const dy = mixedInputs(rng, length, -3, 3);
        const expected = call(single, name)(x, options) as Float32Array;
        const saved = definitions[name as keyof typeof definitions].kind === 'reduction' ? expected : x;
        const expectedBackward = call(single, `${name}Backward`)(dy, saved, options) as Float32Array;
        let before = pool.dispatched;
        expectSameBits(await (call(acts, name)(x, options) as Promise<Float32Array>), expected, `${name} arrays`);
        expect(pool.dispatched, `${name} arrays split`).toBeGreaterThan(before);
        expectSameBits(await (call(acts, `${name}Backward`)(dy, saved, options) as Promise<Float32Array>), expectedBackward, `${name}Backward arrays`);
        const [xb, gb, sb, out] = [x, dy, saved, x].map((a) => {
          const b = acts.allocate(length);
          b.array.set(a);
          return b;
        });
        before = pool.dispatched;
        await call(acts, name)(xb, { ...options, out });
        expect(pool.dispatched - before, `${name} buffers: a part per worker`).toBe(threads - 1);
        expectSameBits(out.array, expected, `${name} buffers`);
        await call(acts, `${name}Backward`)(gb, sb, { ...options, out });
        expectSameBits(out.array, expectedBackward, `${name}Backward buffers`);
        for (const b of [xb, gb, sb, out]) b.free();
      }
    } finally {
      await acts.destroy();
    }
  });
});

describe('a threaded instance', () => {
  it('runs below its measured thresholds on the calling thread and splits above', async () => {
    const acts = await createActivations({ threads: 2 });
    try {
      const pool = poolOf(acts);
      const t = acts.threadThresholds.sigmoid; // operands all buffers
      const ta = acts.arrayThreadThresholds.sigmoid; // a plain array among them
      expect(t).toBeGreaterThanOrEqual(1 << 16);
      expect(ta).toBeGreaterThanOrEqual(1 << 16);
      expect(t).toBeLessThanOrEqual(1 << 24);
      expect(ta).toBeLessThanOrEqual(1 << 24);
      // prelu and glu are never split: no count of elements would split them.
      expect([acts.threadThresholds.prelu, acts.threadThresholds.glu]).toEqual([Infinity, Infinity]);
      expect([acts.arrayThreadThresholds.prelu, acts.arrayThreadThresholds.glu]).toEqual([Infinity, Infinity]);
      const x = mixedInputs(new Rng(3), Math.max(t, ta));
      for (const n of [t - 1, t]) {
        const input = acts.allocate(n);
        const out = acts.allocate(n);
        input.array.set(x.subarray(0, n));
        const before = pool.dispatched;
        await acts.sigmoid(input, { out });
        expectSameBits(out.array, single.sigmoid(x.subarray(0, n)), `buffers of ${n}`);
        // One part per thread: the calling thread runs one, the worker the other.
        expect(pool.dispatched, `buffers of ${n}`).toBe(n < t ? before : before + 1);
        input.free();
        out.free();
      }
      let before = pool.dispatched;
      expectSameBits(await acts.sigmoid(x.subarray(0, ta - 1)), single.sigmoid(x.subarray(0, ta - 1)), 'arrays below');
      expect(pool.dispatched).toBe(before);
      before = pool.dispatched;
      expectSameBits(await acts.sigmoid(x.subarray(0, ta)), single.sigmoid(x.subarray(0, ta)), 'arrays at the threshold');
      expect(pool.dispatched).toBeGreaterThan(before); // chunks for the worker
      // A buffer x with an array out streams too: the array threshold.
      const half = acts.allocate(ta - 1);
      half.array.set(x.subarray(0, ta - 1));
      before = pool.dispatched;
      await acts.sigmoid(half);
      expect(pool.dispatched).toBe(before);
      half.free();
      // A softmax of one slice cannot be split by slices: it runs on the calling thread.
      before = pool.dispatched;
      const big = mixedInputs(new Rng(4), acts.threadThresholds.softmax);
      expectSameBits(await acts.softmax(big), single.softmax(big), 'one slice');
      expect(pool.dispatched).toBe(before);
    } finally {
      await acts.destroy();
    }
  });

  it('copies into buffers placed past the first memory on the calling thread (shared memory grows without detaching)', async () => {
    const acts = await createThreadedActivations({ threads: 2 }, SMALL);
    try {
      const x = mixedInputs(new Rng(10), T - 1);
      expectSameBits(await acts.sigmoid(x), single.sigmoid(x), 'before growth'); // reserves scratch
      const filler = acts.allocate(1 << 22); // grows the memory
      const out = acts.allocate(T - 1); // beyond the old end
      await acts.sigmoid(x, { out });
      expectSameBits(out.array, single.sigmoid(x), 'into a buffer past the old end');
      filler.free();
      out.free();
    } finally {
      await acts.destroy();
    }
  });

  it('keeps concurrent callers apart', async () => {
    const rng = new Rng(0xc0c0);
    const names = ['sigmoid', 'tanh', 'relu', 'softmax', 'sigmoidBackward', 'softmaxBackward'];
    const jobs = Array.from({ length: 24 }, (_, k) => {
      const name = names[k % names.length];
      const length = T * (1 + (k % 5)) + 16 * k;
      const shape = name.startsWith('softmax') ? [length / 8, 8] : undefined;
      const options = shape ? { shape } : {};
      const a = mixedInputs(rng, length);
      const b = mixedInputs(rng, length);
      const args = name.endsWith('Backward') ? [a, b, options] : [a, options];
      return { name, args, expected: call(single, name)(...args) as Float32Array, buffer: k % 3 === 0 };
    });
    const results = await Promise.all(jobs.map(async ({ name, args, buffer }) => {
      if (!buffer) return call(threaded, name)(...args) as Promise<Float32Array>;
      const x = threaded.allocate((args[0] as Float32Array).length);
      x.array.set(args[0] as Float32Array);
      const out = await (call(threaded, name)(x, ...args.slice(1)) as Promise<Float32Array>);
      x.free();
      return out;
    }));
    results.forEach((result, k) => expectSameBits(result, jobs[k].expected, `job ${k} (${jobs[k].name})`));
  });

  it('rejects a call whose worker dies inside its part (claimed, never done), and goes on', async () => {
    // Fake workers: the first claims each task it is given at once (as a worker starting the
    // kernel would, before the calling thread could take it back) and then dies; its
    // replacements never run anything (their parts are taken back).
    let acts: ThreadedActivations | null = null;
    /** The shared memory as it is now (a new buffer's view: a shared memory's growth leaves older views short). */
    const memory = (): ArrayBufferLike => {
      const probe = acts!.allocate(1);
      const buffer = probe.array.buffer;
      probe.free();
      return buffer;
    };
    const claims: unknown[] = [];
    let spawned = 0;
    const spawn: Spawn = (onMessage, onDeath) => {
      const crashing = spawned++ === 0;
      return {
        post: (message) => {
          const { id, flag } = message as { id: number; flag?: number };
          if (crashing) {
            claims.push(Atomics.compareExchange(new Int32Array(memory()), flag! >>> 2, 0, 1));
            setTimeout(() => onDeath(new Error('crashed in the kernel')), 5);
          } else setTimeout(() => onMessage({ id }), 5);
        },
        terminate: async () => {},
        keepAlive: () => {},
      };
    };
    acts = await createThreadedActivations({ threads: 2 }, { ...SMALL, spawn });
    try {
      const x = mixedInputs(new Rng(5), 4 * T);
      const used = acts.memoryStats().usedBytes;
      const xb = acts.allocate(x.length);
      const ob = acts.allocate(x.length);
      xb.array.set(x);
      const failed = await acts.sigmoid(xb, { out: ob }).then(() => null, (error: Error) => error);
      expect(claims, 'the fake worker claimed its part').toEqual([0]);
      expect(failed?.message).toMatch(/a worker died while running sigmoid: crashed in the kernel/);
      expect(acts.memoryStats().usedBytes, 'buffers: the parts\' states are given back').toBe(used + 2 * 4 * x.length);
      expect(poolOf(acts).size, 'replaced').toBe(1);
      expectSameBits((await acts.sigmoid(xb, { out: ob })).array, single.sigmoid(x), 'after the death, buffers');
      expectSameBits(await acts.sigmoid(x), single.sigmoid(x), 'after the death, arrays');
      xb.free();
      ob.free();
      expect(acts.memoryStats().usedBytes).toBe(used);
    } finally {
      await acts.destroy();
    }
  });

  it('a real worker killed in a call: the call rejects saying so, or succeeds had the part been taken back first; the worker is replaced', async () => {
    const pool = poolOf(threaded);
    const x = mixedInputs(new Rng(5), 4 * T);
    const expected = single.sigmoid(x);
    const used = threaded.memoryStats().usedBytes;
    const xb = threaded.allocate(x.length);
    const ob = threaded.allocate(x.length);
    xb.array.set(x);
    for (const [label, run] of [['arrays', () => threaded.sigmoid(x)], ['buffers', async () => (await threaded.sigmoid(xb, { out: ob })).array]] as const) {
      pool.killNext = 1;
      const result = await run().then((y) => y, (error: Error) => error);
      expect(pool.killNext, `${label}: a task met the hook`).toBe(0);
      if (result instanceof Error) expect(result.message, label).toMatch(/a worker died while running sigmoid/);
      else expectSameBits(result, expected, label);
      await threaded.sigmoid(xb, { out: ob }); // the replacement answers once (else its death would count as a start failure)
    }
    expect(threaded.memoryStats().usedBytes).toBe(used + 2 * 4 * x.length); // the temporary blocks are given back
    xb.free();
    ob.free();
    expect(pool.size, 'threads: 2 is the calling thread and one worker').toBe(1);
    for (let i = 0; i < 4; i++) expectSameBits(await threaded.sigmoid(x), expected, `after the death, call ${i}`);
    // Killed from outside while a large call runs: the call settles either way, the next ones work.
    const large = mixedInputs(new Rng(6), 1 << 22);
    const running = threaded.sigmoid(large).then(() => 'resolved', (error: Error) => error.message);
    await pool.terminateWorker(0);
    expect(['resolved', expect.stringMatching(/worker died/)]).toContainEqual(await running);
    expectSameBits(await threaded.sigmoid(x), expected, 'after an outside kill');
  }, 60_000);

  it('runs a part whose worker died before it started it on the calling thread: the call succeeds', async () => {
    const pool = poolOf(threaded);
    const rng = new Rng(0xdead);
    const x = mixedInputs(rng, 4 * T + 3);
    const dy = mixedInputs(rng, 4 * T + 3, -3, 3);
    const xb = threaded.allocate(x.length);
    const ob = threaded.allocate(x.length);
    xb.array.set(x);
    const used = threaded.memoryStats().usedBytes;
    const cases: [string, () => Promise<Float32Array>, Float32Array][] = [
      ['arrays', () => threaded.sigmoid(x), single.sigmoid(x)],
      ['arrays, backward', () => threaded.tanhBackward(dy, x), single.tanhBackward(dy, x)],
      ['buffers', async () => (await threaded.sigmoid(xb, { out: ob })).array.slice(), single.sigmoid(x)],
      ['in place', async () => {
        xb.array.set(x);
        return (await threaded.tanh(xb, { out: xb })).array.slice();
      }, single.tanh(x)],
    ];
    for (const [label, run, expected] of cases) {
      const before = pool.dispatched;
      pool.killNextUnstarted = 1;
      expectSameBits(await run(), expected, label);
      expect(pool.killNextUnstarted, `${label}: a task met the hook`).toBe(0);
      expect(pool.dispatched).toBeGreaterThan(before);
      expect(pool.size, `${label}: the worker was replaced`).toBe(1);
      expect(pool.brokenReason).toBeNull();
      await threaded.sigmoid(xb, { out: ob }); // the replacement answers once (else its death would count as a start failure)
    }
    expect(threaded.memoryStats().usedBytes).toBe(used);
    xb.free();
    ob.free();
  }, 60_000);

  it('rejects every task of a pool whose workers cannot start, without hanging', async () => {
    let spawned = 0;
    const dying: Spawn = (_onMessage, onDeath) => {
      spawned++;
      queueMicrotask(() => onDeath(new Error('cannot start')));
      return { post: () => {}, terminate: async () => {}, keepAlive: () => {} };
    };
    const pool = new Pool(2, dying);
    const results = await Promise.allSettled([pool.run('k', []), pool.run('k', []), pool.run('k', [])]);
    expect(results.every((r) => r.status === 'rejected')).toBe(true);
    await expect(pool.run('k', [])).rejects.toThrow(/pool is broken/);
    expect(spawned).toBeLessThan(10);
  });

  it('settles a task still running on another worker when the pool gives up (4 tasks on 2 workers), once that worker has stopped', async () => {
    let spawned = 0;
    let stopped = false;
    const spawn: Spawn = (_onMessage, onDeath) => {
      // The first worker takes a task and never answers; every later one dies as it starts.
      // terminate() reports the death later, as worker_threads' does.
      if (spawned++ > 0) queueMicrotask(() => onDeath(new Error('cannot start')));
      const terminate = () => new Promise<void>((resolve) => setTimeout(() => {
        onDeath(new Error('the worker was terminated'));
        stopped = true;
        resolve();
      }));
      return { post: () => {}, terminate, keepAlive: () => {} };
    };
    const pool = new Pool(2, spawn);
    // The first task runs on the first worker: its caller may free the task's memory once it
    // rejects, so it must not reject while that worker could still be writing.
    const running = pool.run('k', []);
    const stoppedWhenRejected = running.then(() => null, () => stopped);
    const all = Promise.allSettled([running, pool.run('k', []), pool.run('k', []), pool.run('k', [])]);
    const outcome = await Promise.race([all, new Promise((resolve) => setTimeout(() => resolve('still pending'), 2000))]);
    expect(outcome).not.toBe('still pending');
    const results = outcome as PromiseSettledResult<void>[];
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected', 'rejected', 'rejected']);
    expect(await stoppedWhenRejected, 'the running task rejected after its worker stopped').toBe(true);
    // The reason names the start failures, not the terminations that followed.
    await expect(pool.run('k', [])).rejects.toThrow(/pool is broken: 3 workers in a row died before they ran a task \(last: cannot start\)/);
  });

  it('destroy() rejects a worker\'s tasks once that worker has stopped, queued ones at once', async () => {
    let stopped = false;
    const spawn: Spawn = () => ({
      post: () => {},
      terminate: () => new Promise<void>((resolve) => setTimeout(() => {
        stopped = true;
        resolve();
      }, 5)),
      keepAlive: () => {},
    });
    const pool = new Pool(1, spawn);
    const running = pool.run('a', []).then(() => null, () => stopped);
    const queued = pool.run('b', []).then(() => null, () => stopped);
    const destroyed = pool.destroy();
    expect(await queued, 'a task no worker held rejects at once').toBe(false);
    expect(await running, 'the worker\'s task rejects after it stopped').toBe(true);
    await destroyed;
  });

  it('posts a task that may queue behind a busy worker, and fails both of a worker\'s tasks when it dies', async () => {
    const posted: { id: number; kernel: string }[][] = [];
    const answer: ((answer: WorkerAnswer) => void)[] = [];
    const die: ((error: Error) => void)[] = [];
    const spawn: Spawn = (onMessage, onDeath) => {
      const messages: { id: number; kernel: string }[] = [];
      posted.push(messages);
      answer.push(onMessage);
      die.push(onDeath);
      return { post: (message) => messages.push(message as { id: number; kernel: string }), terminate: async () => {}, keepAlive: () => {} };
    };
    const pool = new Pool(1, spawn);
    const a = pool.run('a', [], { queueBehind: true, flag: 64 });
    const b = pool.run('b', [], { queueBehind: true }); // posted behind a
    const c = pool.run('c', []); // waits for an idle worker
    expect(posted[0].map((m) => m.kernel)).toEqual(['a', 'b']);
    expect(posted[0][0]).toMatchObject({ kernel: 'a', args: [], flag: 64 }); // the worker sets that int32 when done
    expect(pool.dispatched).toBe(2);
    answer[0]({ id: posted[0][0].id });
    await expect(a).resolves.toBeUndefined();
    expect(posted[0].length, 'c still waits: the worker runs b').toBe(2);
    die[0](new Error('boom'));
    await expect(b).rejects.toThrow(/a worker died while running b: boom/);
    expect(posted[1].map((m) => m.kernel), 'the replacement takes c').toEqual(['c']);
    const d = pool.run('d', [], { queueBehind: true });
    expect(posted[1].map((m) => m.kernel)).toEqual(['c', 'd']);
    die[1](new Error('gone'));
    await expect(c).rejects.toThrow(/a worker died while running c: gone/);
    await expect(d).rejects.toThrow(/a worker died before it ran d: gone/);
    await pool.destroy();
  });

  it('takes back the chunks of arrays no worker has started, and computes them itself', async () => {
    // A worker that never runs a task: it answers each one later without claiming it, as a
    // descheduled worker would look to the calling thread. Every chunk is taken back.
    const idle: Spawn = (onMessage) => ({
      post: (message) => {
        setTimeout(() => onMessage({ id: (message as { id: number }).id }), 5);
      },
      terminate: async () => {},
      keepAlive: () => {},
    });
    const acts = await createThreadedActivations({ threads: 2 }, { ...SMALL, spawn: idle });
    try {
      const pool = poolOf(acts);
      // Buffers: the worker's part, taken back (in place too).
      const xs = mixedInputs(new Rng(0x7a6f), 4 * T + 64);
      const xb = acts.allocate(xs.length);
      const ob = acts.allocate(xs.length);
      xb.array.set(xs);
      let dispatched = pool.dispatched;
      expectSameBits((await acts.sigmoid(xb, { out: ob })).array, single.sigmoid(xs), 'buffers');
      expect(pool.dispatched, 'a part was handed to the worker').toBeGreaterThan(dispatched);
      dispatched = pool.dispatched;
      expectSameBits((await acts.softmax(xb, { shape: [(4 * T) / 64 + 1, 64], out: xb })).array,
        single.softmax(xs, { shape: [(4 * T) / 64 + 1, 64] }), 'softmax in place');
      expect(pool.dispatched).toBeGreaterThan(dispatched);
      xb.free();
      ob.free();
      const rng = new Rng(0x7a6e);
      const x = mixedInputs(rng, 8 * T + 5);
      const dy = mixedInputs(rng, 8 * T + 5, -3, 3);
      const before = pool.dispatched;
      expectSameBits(await acts.sigmoid(x), single.sigmoid(x), 'sigmoid');
      expect(pool.dispatched, 'chunks were handed to the worker').toBeGreaterThan(before);
      expectSameBits(await acts.tanhBackward(dy, x), single.tanhBackward(dy, x), 'tanh backward');
      const shape = [(8 * T) / 64, 64];
      expectSameBits(await acts.softmax(x.subarray(0, 8 * T), { shape }), single.softmax(x.subarray(0, 8 * T), { shape }), 'softmax rows');
      const buffer = acts.allocate(8 * T + 5);
      buffer.array.set(x);
      expectSameBits(await acts.sigmoid(buffer), single.sigmoid(x), 'buffer x, array out');
      buffer.free();
    } finally {
      await acts.destroy();
    }
  });

  it('runs on the calling thread, and says why, when its workers cannot start', async () => {
    const dying: Spawn = (_onMessage, onDeath) => {
      setTimeout(() => onDeath(new Error('refused by the test')));
      return { post: () => {}, terminate: async () => {}, keepAlive: () => {} };
    };
    const acts = await createThreadedActivations({ threads: 2 }, { ...SMALL, spawn: dying });
    const x = mixedInputs(new Rng(11), 4 * T);
    const xb = acts.allocate(4 * T);
    xb.array.set(x);
    // The first calls meet the workers as they die: the parts handed to them are taken back.
    expectSameBits(await acts.sigmoid(x), single.sigmoid(x), 'first call, arrays');
    expectSameBits((await acts.sigmoid(xb, { out: xb })).array, single.sigmoid(x), 'first call, buffers in place');
    xb.free();
    while (acts.threadsReason === null) await new Promise((resolve) => setTimeout(resolve, 5));
    expect(acts.threadsReason).toMatch(/pool is broken.*refused by the test/);
    expect(acts.threads).toBe(1);
    expectSameBits(await acts.sigmoid(x), single.sigmoid(x), 'after the pool gave up');
    expectSameBits(await acts.softmaxBackward(x, x, { shape: [4 * T / 64, 64] }), single.softmaxBackward(x, x, { shape: [4 * T / 64, 64] }), 'softmax backward');
    await acts.destroy();
  });

  it('runs calls on plain arrays kept on the calling thread in a memory of their own, buffers in the shared one', async () => {
    const acts = await createActivations({ threads: 2 });
    try {
      const x = mixedInputs(new Rng(41), 20000); // below every threshold
      const { usedBytes, peakBytes } = acts.memoryStats();
      // One row longer than a scratch chunk: the copying path takes a block of its own for the
      // call, which the shared memory's peak would show.
      expectSameBits(await acts.softmax(x), single.softmax(x), 'arrays, one long row');
      expectSameBits(await acts.softmaxBackward(x, x), single.softmaxBackward(x, x), 'arrays, backward');
      expectSameBits(await acts.prelu(x, { weight: [0.25] }), single.prelu(x, { weight: [0.25] }), 'prelu on arrays');
      expect(acts.memoryStats(), 'the shared memory untouched').toMatchObject({ usedBytes, peakBytes });
      // A buffer among the operands: the shared memory's engine, the same bits.
      const xb = acts.allocate(20000);
      xb.array.set(x);
      expectSameBits(await acts.sigmoid(xb), single.sigmoid(x), 'buffer x, array out');
      const out = acts.allocate(20000);
      expectSameBits((await acts.prelu(x, { weight: [0.25], out })).array, single.prelu(x, { weight: [0.25] }), 'prelu into a buffer');
      xb.free();
      out.free();
    } finally {
      await acts.destroy();
    }
  });

  it('is async-disposable: Symbol.asyncDispose destroys it (await using)', async () => {
    const acts = await createActivations({ threads: 2, backend: 'wasm-simd' });
    expect(acts.backendInfo.requested).toBe('wasm-simd');
    await acts[Symbol.asyncDispose]();
    expect(acts.threads).toBe(1);
    await expect(acts.sigmoid(new Float32Array(8))).rejects.toThrow(/destroyed/);
  });

  it('destroy() ends every worker; pending and later calls reject', async () => {
    const acts = await createThreadedActivations({ threads: 2 }, SMALL);
    const pool = poolOf(acts);
    const pending = expect(acts.tanh(mixedInputs(new Rng(7), 1 << 22))).rejects.toThrow(/destroyed/);
    await acts.destroy();
    await pending;
    expect(pool.size).toBe(0);
    expect(acts.threads, 'the calling thread, once the workers are gone').toBe(1);
    expect(acts.backendInfo).toEqual({ backend: 'wasm-simd', requested: 'auto', skipped: [] });
    await expect(acts.sigmoid(new Float32Array(8))).rejects.toThrow(/destroyed/);
    expect(() => acts.allocate(8)).toThrow(/destroyed/);
    await acts.destroy(); // twice is fine
  }, 60_000);

  it('keeps one staging area however many calls on arrays are in flight, and every call succeeds under the cap', async () => {
    const n = 1 << 20;
    const x = mixedInputs(new Rng(31), n);
    const want = single.sigmoid(x);
    // 8 MiB: one staging area (2 slots of 1 MiB: one worker) and the scratch fit; eight concurrent areas did not.
    const acts = await createThreadedActivations({ threads: 2, maxMemoryBytes: 8 << 20 }, { threshold: T });
    try {
      const results = await Promise.all(Array.from({ length: 8 }, () => acts.sigmoid(x)));
      results.forEach((y, i) => expectSameBits(y, want, `call ${i}`));
      expect(acts.memoryStats().peakBytes).toBeLessThanOrEqual((2 << 20) + (128 << 10) + 16); // (16: the slots' done flags)
      expect(poolOf(acts).brokenReason).toBeNull();
    } finally {
      await acts.destroy();
    }
  });

  it('streams arrays through a bounded staging area, and runs a call here when even that does not fit', async () => {
    const n = (3 << 20) + 4; // 12 MiB per operand
    const x = mixedInputs(new Rng(8), n);
    const dy = mixedInputs(new Rng(12), n, -3, 3);
    // 16 MiB: less than two operands, more than the staging area (2 slots per worker, 1 MiB per block).
    const acts = await createThreadedActivations({ threads: 2, maxMemoryBytes: 16 << 20 }, { threshold: T });
    try {
      const pool = poolOf(acts);
      let before = pool.dispatched;
      expectSameBits(await acts.sigmoidBackward(dy, x), single.sigmoidBackward(dy, x), 'backward on arrays under the cap');
      expect(pool.dispatched - before).toBeGreaterThan(1); // chunks of at most 256Ki for the worker
      // 2 slots (one worker) of 2 blocks of 1 MiB, their done flags (16 bytes), and the calling
      // thread's scratch (128 KiB, reserved at creation); the calling thread's own chunks are in
      // a memory of their own.
      expect(acts.memoryStats().peakBytes).toBeLessThanOrEqual((4 << 20) + 16 + (128 << 10));
      expect(acts.memoryStats().usedBytes).toBe(128 << 10); // the staging freed: only the scratch is left
      // Slice blocks of 3 MiB, more than a chunk: one block per chunk.
      before = pool.dispatched;
      const shape = [4, n / 4];
      expectSameBits(await acts.softmax(x, { shape, dim: 1 }), single.softmax(x, { shape, dim: 1 }), 'large slice blocks');
      expect(pool.dispatched - before).toBeGreaterThanOrEqual(1);
      expect(() => acts.allocate(5 << 20)).toThrow(RangeError);
    } finally {
      await acts.destroy();
    }
    // 2 MiB: not even the staging area fits, so the calls run on the calling thread (as a
    // single-threaded instance would, through its 32 KiB scratch), and still succeed.
    const small = await createThreadedActivations({ threads: 2, maxMemoryBytes: 2 << 20 }, { threshold: T });
    try {
      const pool = poolOf(small);
      const before = pool.dispatched;
      expectSameBits(await small.sigmoid(x), single.sigmoid(x), 'sigmoid under 2 MiB');
      expectSameBits(await small.sigmoidBackward(dy, x), single.sigmoidBackward(dy, x), 'backward under 2 MiB');
      expect(pool.dispatched).toBe(before);
      const buffer = small.allocate(1 << 18); // 1 MiB: zero copy needs no staging, so it splits
      buffer.array.set(x.subarray(0, 1 << 18));
      await small.sigmoid(buffer, { out: buffer });
      expectSameBits(buffer.array, single.sigmoid(x.subarray(0, 1 << 18)), 'a buffer under 2 MiB');
      expect(pool.dispatched).toBe(before + 1); // the other part on the calling thread
      expect(small.memoryStats().reservedBytes).toBeLessThanOrEqual(2 << 20);
    } finally {
      await small.destroy();
    }
  }, 60_000);

  it('checks its options and arguments', async () => {
    await expect(createActivations({ threads: 0 })).rejects.toThrow(RangeError);
    await expect(createActivations({ threads: 1.5 })).rejects.toThrow(TypeError);
    await expect(createActivations({ threads: 'all' as never })).rejects.toThrow(TypeError);
    // @ts-expect-error with threads, the backend is 'auto' or 'wasm-simd'
    await expect(createActivations({ threads: 2, backend: 'js' })).rejects.toThrow(/backend must be 'auto' or 'wasm-simd'/);
    await expect(createActivations({ threads: 2, extra: 1 } as never)).rejects.toThrow(/no option 'extra'/);
    // null is not absent (as for a plain instance), and messages show what was given.
    await expect(createActivations({ threads: 2, backend: null as never })).rejects.toThrow(/backend must be 'auto' or 'wasm-simd'.*got null/);
    await expect(createActivations({ threads: 2, maxMemoryBytes: null as never })).rejects.toThrow(/maxMemoryBytes must be an integer; got null/);
    await expect(createActivations({ threads: '2' as never })).rejects.toThrow(/got string 2/);
    await expect(createActivations({ threads: [2] as never })).rejects.toThrow(/got an Array/);
    expect(() => createActivationsSync({ threads: 2 } as never)).toThrow(/needs createActivations/);
    await expect(threaded.sigmoid('x' as never)).rejects.toThrow(TypeError);
    await expect(threaded.sigmoid(new Float32Array(4), { out: new Float32Array(3) })).rejects.toThrow(RangeError);
    await expect(threaded.softmax(new Float32Array(6), { shape: [4, 2] })).rejects.toThrow(RangeError);
    const other = createActivationsSync({ backend: 'wasm-simd' }).allocate(4);
    await expect(threaded.sigmoid(other)).rejects.toThrow(/another Activations instance/);
  });

  it('is refused by the modules and by init(), whose calls are synchronous', async () => {
    const x = new Float32Array([1, -2, 3, -4]);
    for (const make of [
      () => new ReLU({ activations: threaded as never }),
      () => new Softmax({ dim: 1, activations: threaded as never }),
      () => new GLU({ activations: threaded as never }),
      () => new PReLU({ activations: threaded as never }),
      () => new RReLU({ activations: threaded as never }),
      () => new Softmax2d({ activations: threaded as never }),
    ]) {
      expect(make).toThrow(TypeError);
      expect(make).toThrow(/^activations must be a single-threaded instance \(createActivations\(\) without threads\): \w+ runs its function synchronously/);
    }
    // The same module on a single-threaded instance runs.
    expect(Array.from(new ReLU({ activations: single }).forward(x))).toEqual([1, 0, 3, 0]);
    await expect(init({ threads: 2 } as never)).rejects.toThrow(new TypeError(
      "init() has no 'threads' option: the top-level functions run on the calling thread; createActivations({ threads }) makes a threaded instance",
    ));
    // The default instance is unchanged by the refused init(): its functions still return arrays.
    expect(relu(x)).toBeInstanceOf(Float32Array);
  });

  it('has the types of the single-threaded functions, as Promises', async () => {
    const buffer = threaded.allocate(4);
    const array: Promise<Float32Array> = threaded.leakyRelu(new Float32Array(4), { alpha: 0.1 });
    const inBuffer: Promise<ActivationBuffer> = threaded.softmax(buffer, { out: buffer, shape: [2, 2] });
    const backward: Promise<Float32Array> = threaded.sigmoidBackward(new Float32Array(4), new Float32Array(4));
    expect(await inBuffer).toBe(buffer);
    expect((await array).length + (await backward).length).toBe(8);
    // @ts-expect-error the single-threaded factory has no threads option
    expect(() => createActivationsSync({ threads: 2 })).toThrow(TypeError);
    buffer.free();
    // Every kind keeps its own signature: prelu's weight and { dx, dweight }, glu's shape and dim.
    const x = new Float32Array([-1, 2, -3, 4]);
    const y: Promise<Float32Array> = threaded.prelu(x, { weight: 0.25 });
    const grads: Promise<ChannelGradients<Float32Array>> = threaded.preluBackward(x, x, { weight: 0.25 });
    const gated: Promise<Float32Array> = threaded.glu(x, { shape: [2, 2], dim: 1 });
    const gatedBack: Promise<Float32Array> = threaded.gluBackward(new Float32Array(2), x, { shape: [2, 2], dim: 1 });
    expect(Array.from(await y)).toEqual([-0.25, 2, -0.75, 4]);
    expect((await grads).dweight.length).toBe(1);
    expect((await gated).length + (await gatedBack).length).toBe(6);
    // @ts-expect-error threshold's params are required, as on a single-threaded instance
    await expect(threaded.threshold(x)).rejects.toThrow(TypeError);
    // @ts-expect-error options holding threads are not the options of a single-threaded instance
    const widened: CreateOptions = { threads: 2 };
    void widened;
  });

  it("'auto' takes the available cores; 1 thread runs every call on the calling thread", async () => {
    const auto = await createActivations({ threads: 'auto' });
    expect(auto.threads).toBe(availableParallelism());
    expect(auto.threadsReason).toBe(null);
    await auto.destroy();
    const one = await createActivations({ threads: 1 });
    expect(one.threads).toBe(1);
    expect(poolOf(one)).toBe(null);
    const x = mixedInputs(new Rng(9), 1 << 20);
    const result = one.sigmoid(x);
    expect(result).toBeInstanceOf(Promise);
    expectSameBits(await result, single.sigmoid(x), 'one thread');
    await one.destroy();
  });

  it('says why a page that is not cross-origin isolated gets one thread', () => {
    const g = globalThis as { Worker?: unknown; crossOriginIsolated?: unknown };
    const saved = [g.Worker, g.crossOriginIsolated];
    try {
      g.Worker = undefined;
      expect(webHost().reason).toMatch(/no Web Workers/);
      g.Worker = function FakeWorker() {};
      g.crossOriginIsolated = false;
      const host = webHost();
      expect(host.spawner).toBe(null);
      expect(host.reason).toMatch(/not cross-origin isolated/);
    } finally {
      [g.Worker, g.crossOriginIsolated] = saved;
    }
  });

  it('counts a Web Worker whose constructor throws as a worker that died before it started: the pool gives up after three', async () => {
    const g = globalThis as { Worker?: unknown; crossOriginIsolated?: unknown; URL: typeof URL };
    const saved = [g.Worker, g.crossOriginIsolated, g.URL.createObjectURL];
    let attempts = 0;
    try {
      g.Worker = function RefusingWorker() {
        attempts++;
        throw new Error('refused by the page\'s policy');
      };
      g.crossOriginIsolated = true;
      g.URL.createObjectURL = () => 'blob:fake';
      const host = webHost();
      expect(host.reason).toBeNull();
      const memory = new WebAssembly.Memory({ initial: 1, maximum: 1, shared: true });
      const pool = new Pool(2, host.spawner!({ module: new WebAssembly.Module(new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0])), memory }));
      await expect(pool.run('k', [])).rejects.toThrow(/the worker could not be created: refused by the page's policy/);
      while (pool.brokenReason === null) await new Promise((resolve) => setTimeout(resolve, 1));
      expect(pool.brokenReason).toMatch(/3 workers in a row died before they ran a task \(last: the worker could not be created/);
      expect(attempts, 'the two workers and their replacements').toBe(4);
    } finally {
      [g.Worker, g.crossOriginIsolated, g.URL.createObjectURL] = saved as [unknown, unknown, typeof URL.createObjectURL];
    }
  });
});

describe('the threads build (src/generated/wasm.ts)', () => {
  it('imports only a shared env.memory and exports the kernels of the simd build', async () => {
    const { simdWasmHex } = await import('../src/generated/wasm.js');
    const { threadsWasmHex } = await import('../src/generated/wasm-threads.js');
    const decode = (hex: string) => new WebAssembly.Module(Buffer.from(hex, 'hex'));
    const threads = decode(threadsWasmHex);
    expect(WebAssembly.Module.imports(threads)).toEqual([{ module: 'env', name: 'memory', kind: 'memory' }]);
    const names = (m: WebAssembly.Module) => WebAssembly.Module.exports(m).map((e) => `${e.kind} ${e.name}`).sort();
    expect(names(threads)).toEqual(names(decode(simdWasmHex)));
    // It instantiates on a shared memory only: a plain one does not match the import.
    expect(() => new WebAssembly.Instance(threads, { env: { memory: new WebAssembly.Memory({ initial: 1, maximum: 2 }) } })).toThrow();
    const shared = new WebAssembly.Memory({ initial: 1, maximum: 2, shared: true });
    expect(new WebAssembly.Instance(threads, { env: { memory: shared } }).exports.memory).toBe(shared);
  });
});
