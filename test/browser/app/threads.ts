// The test app's threads check: a threaded instance (createActivations({ threads: 2 })) as the
// bundler resolved the package, on this page, against the single-threaded wasm-simd instance.
// Sizes are above the measured thresholds, so calls on buffers and on arrays are split between
// the calling thread and a Web Worker on a shared memory when the page is cross-origin isolated.
import * as api from 'wasm-activations';

/** What the threads check reports. */
export interface ThreadsResult {
  crossOriginIsolated: boolean;
  /** `threads` of the instance right after it was created, and after the calls. */
  threadsAtStart: number;
  threadsAfter: number;
  threadsReason: string | null;
  /** Tasks the pool handed to workers during the calls (0 when it has no workers). */
  dispatched: number;
  /** Per call: 'same' (bit-identical to the single-threaded instance), else what differed or the error. */
  calls: Record<string, string>;
}

/** 'same' when a and b hold the same bits, else where they first differ. */
function compare(a: Float32Array, b: Float32Array): string {
  if (a.length !== b.length) return `length ${a.length} vs ${b.length}`;
  const ua = new Uint32Array(a.buffer, a.byteOffset, a.length);
  const ub = new Uint32Array(b.buffer, b.byteOffset, b.length);
  for (let i = 0; i < ua.length; i++) if (ua[i] !== ub[i]) return `first difference at ${i}: ${a[i]} vs ${b[i]}`;
  return 'same';
}

/**
 * Runs a few large calls on a threaded instance and on a single-threaded one and compares them.
 * With `waitForReason`, waits (up to 5 s) after the calls for the instance to say why it has one
 * thread (where workers cannot start, the pool gives up after its third worker's death, which
 * the page learns from error events, whenever they come).
 */
export async function threadsCheck(waitForReason = false): Promise<ThreadsResult> {
  const threaded = await api.createActivations({ threads: 2 });
  const single = await api.createActivations({ backend: 'wasm-simd' });
  const n = 1 << 21;
  const x = new Float32Array(n).map((_, i) => Math.sin(i) * 8);
  const dy = new Float32Array(n).map((_, i) => Math.cos(i * 0.7) * 2);
  const result: ThreadsResult = {
    crossOriginIsolated: (globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated === true,
    threadsAtStart: threaded.threads,
    threadsAfter: 0,
    threadsReason: null,
    dispatched: 0,
    calls: {},
  };
  const run = async (label: string, body: () => Promise<string>): Promise<void> => {
    try {
      result.calls[label] = await body();
    } catch (error) {
      result.calls[label] = `rejected: ${(error as Error).message}`;
    }
  };
  const shape = [2048, 1024];
  await run('sigmoid, arrays', async () => compare(await threaded.sigmoid(x), single.sigmoid(x)));
  await run('softmax rows, arrays', async () => compare(await threaded.softmax(x, { shape }), single.softmax(x, { shape })));
  await run('tanhBackward, arrays', async () => compare(await threaded.tanhBackward(dy, x), single.tanhBackward(dy, x)));
  await run('gelu, buffers in place', async () => {
    const buffer = threaded.allocate(n);
    try {
      buffer.array.set(x);
      await threaded.gelu(buffer, { out: buffer });
      return compare(buffer.array, single.gelu(x));
    } finally {
      buffer.free();
    }
  });
  await run('sigmoidBackward, buffers', async () => {
    const g = threaded.allocate(n);
    const s = threaded.allocate(n);
    const out = threaded.allocate(n);
    try {
      g.array.set(dy);
      s.array.set(x);
      await threaded.sigmoidBackward(g, s, { out });
      return compare(out.array, single.sigmoidBackward(dy, x));
    } finally {
      g.free();
      s.free();
      out.free();
    }
  });
  // The pool is internal: found by its symbol's description, only to count what it dispatched.
  const key = Object.getOwnPropertySymbols(threaded).find((symbol) => symbol.description === 'wasm-activations pool');
  const pool = key === undefined ? null : (threaded as unknown as Record<symbol, { dispatched: number } | null>)[key];
  result.dispatched = pool?.dispatched ?? 0;
  for (const until = performance.now() + 5000; waitForReason && threaded.threadsReason === null && performance.now() < until;) {
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  result.threadsAfter = threaded.threads;
  result.threadsReason = threaded.threadsReason;
  await threaded.destroy();
  return result;
}
