// A threaded Activations instance: the threads build (simd, on a shared WebAssembly.Memory)
// instantiated on the calling thread and in every worker of a pool. Each function checks its
// arguments as the single-threaded one does, then runs on the calling thread below a measured
// size (thresholds.ts) or splits the call between the workers: element-wise calls by
// 64-byte-aligned ranges of elements, softmax-like calls by whole slices. Operands that are not
// buffers of the instance are copied into temporary blocks of the shared memory first (and the
// result out of one), since a worker sees only the shared memory.
import { definitions, type ActivationName } from '../registry.js';
import {
  fromEngine, optionRules, type ChannelBackwardOptions, type ChannelGradients, type ChannelOptions, type CreateOptions, type GatedOptions,
  type BackendInfo, type OptionsArgument, type OptionsOf, type OutOption,
} from '../instance.js';
import { compile, hasWasmSimd, instantiate } from '../runtime/loader.js';
import type { MemoryStats } from '../runtime/allocator.js';
import { ActivationBuffer, bufferAddress } from '../runtime/buffer.js';
import { DEFAULT_MAX_MEMORY_BYTES, WasmEngine, wasmArg, type Operand } from '../runtime/engine.js';
import type { KernelExports } from '../runtime/loader.js';
import { checkBackwardOperands, checkLayout, checkLength, checkOptions, checkOut, describe, toOperand } from '../runtime/validate.js';
import type { Backend, ChannelwiseDefinition, Definition, Float32Input, GatedDefinition, ReductionDefinition } from '../spec.js';
import { threadsWasmHex } from '../generated/wasm-threads.js';
import { decodeHex } from '../runtime/hex.js';
import type { DocumentedThreadedFunctions } from '../documented.js';
import { threadHost } from './hosts.js';
import { Pool, type Spawn } from './pool.js';
import { split } from './split.js';
import { arrayThresholdOf, STREAM_ELEMENTS, thresholdOf } from './thresholds.js';

/** `threads`: a number of threads (the calling thread counts as one when it is 1), or 'auto'. */
export type ThreadsChoice = number | 'auto';

/** Options of a threaded {@link createActivations}: those of any instance plus `threads`. */
export interface ThreadedCreateOptions extends Omit<CreateOptions, 'threads' | 'backend'> {
  /** 'auto' (default) or 'wasm-simd': the threads build is the simd build on a shared memory. */
  backend?: 'auto' | 'wasm-simd';
  /**
   * How many threads run a large call: a positive integer, or 'auto' for the cores available
   * (os.availableParallelism() in Node, navigator.hardwareConcurrency in browsers). A call on
   * buffers is split in that many parts, one run by the calling thread and the others by workers;
   * a call on plain arrays streams through that many workers while the calling thread copies. 1
   * runs every call on the calling thread (the functions still return Promises).
   */
  threads: ThreadsChoice;
}

/** An activation function of a threaded instance: as {@link ActivationFunction}, resolving to the result. */
export interface ThreadedActivationFunction<D> {
  <O extends Float32Array | ActivationBuffer>(x: Float32Input | ActivationBuffer, options: OptionsOf<D, O> & { out: O }): Promise<O>;
  (x: Float32Input | ActivationBuffer, ...options: OptionsArgument<D, Float32Array | ActivationBuffer>): Promise<Float32Array>;
}

/** A backward pass of a threaded instance: as {@link BackwardFunction}, resolving to the result. */
export interface ThreadedBackwardFunction<D> {
  <O extends Float32Array | ActivationBuffer>(
    dy: Float32Input | ActivationBuffer, saved: Float32Input | ActivationBuffer, options: OptionsOf<D, O> & { out: O },
  ): Promise<O>;
  (dy: Float32Input | ActivationBuffer, saved: Float32Input | ActivationBuffer, ...options: OptionsArgument<D, Float32Array | ActivationBuffer>): Promise<Float32Array>;
}

/** prelu on a threaded instance: as {@link ChannelwiseFunction}, resolving to the result. */
export interface ThreadedChannelwiseFunction {
  <O extends Float32Array | ActivationBuffer>(x: Float32Input | ActivationBuffer, options: ChannelOptions & { out: O }): Promise<O>;
  (x: Float32Input | ActivationBuffer, options: ChannelOptions & OutOption): Promise<Float32Array>;
}

/** preluBackward on a threaded instance: as {@link ChannelwiseBackwardFunction}, resolving to both gradients. */
export interface ThreadedChannelwiseBackwardFunction {
  <O extends Float32Array | ActivationBuffer>(
    dy: Float32Input | ActivationBuffer, x: Float32Input | ActivationBuffer, options: ChannelBackwardOptions<O> & { out: O },
  ): Promise<ChannelGradients<O>>;
  (dy: Float32Input | ActivationBuffer, x: Float32Input | ActivationBuffer, options: ChannelBackwardOptions): Promise<ChannelGradients<Float32Array>>;
}

/** glu on a threaded instance: as {@link GatedFunction}, resolving to the result. */
export interface ThreadedGatedFunction {
  <O extends Float32Array | ActivationBuffer>(x: Float32Input | ActivationBuffer, options: GatedOptions<O> & { out: O }): Promise<O>;
  (x: Float32Input | ActivationBuffer, options?: GatedOptions): Promise<Float32Array>;
}

/** gluBackward on a threaded instance: as {@link GatedBackwardFunction}, resolving to dx. */
export interface ThreadedGatedBackwardFunction {
  <O extends Float32Array | ActivationBuffer>(
    dy: Float32Input | ActivationBuffer, x: Float32Input | ActivationBuffer, options: GatedOptions<O> & { out: O },
  ): Promise<O>;
  (dy: Float32Input | ActivationBuffer, x: Float32Input | ActivationBuffer, options?: GatedOptions): Promise<Float32Array>;
}

/** The functions of a threaded instance: each single-threaded one's signature, resolving to its result. */
export type ThreadedActivationFunctions = {
  readonly [K in ActivationName]: (typeof definitions)[K] extends ChannelwiseDefinition ? ThreadedChannelwiseFunction
    : (typeof definitions)[K] extends GatedDefinition ? ThreadedGatedFunction : ThreadedActivationFunction<(typeof definitions)[K]>;
} & {
  readonly [K in ActivationName as `${K}Backward`]: (typeof definitions)[K] extends ChannelwiseDefinition ? ThreadedChannelwiseBackwardFunction
    : (typeof definitions)[K] extends GatedDefinition ? ThreadedGatedBackwardFunction : ThreadedBackwardFunction<(typeof definitions)[K]>;
};

/**
 * An Activations instance whose functions return Promises and split large calls between worker
 * threads. Every function checks its arguments first and rejects (TypeError, RangeError) on a
 * bad call; it rejects with an Error when a worker dies during the call (the pool replaces the
 * worker) or the instance was destroyed. Do not write, free or read the operands of a call
 * (the workers may be using them) until its Promise settles.
 */
export interface ThreadedActivations extends DocumentedThreadedFunctions {
  /** Always 'wasm-simd': the threads build is the simd build on a shared memory. */
  readonly backend: Backend;
  /** Threads that run large calls (the parts a call on buffers is split in), or 1 (the calling thread) when there are no workers (also after destroy()). */
  readonly threads: number;
  /**
   * Why `threads` is 1 although more were asked for, else null: a page that is not cross-origin
   * isolated, or workers that kept dying before they started (the pool gave up; calls then run
   * on the calling thread).
   */
  readonly threadsReason: string | null;
  /**
   * Per function: calls whose operands are all buffers of this instance, with at least this many
   * elements (softmax-like: and at least two slices), are split between the workers; smaller ones
   * run on the calling thread. Infinity where splitting never paid (the cheap memory-bound
   * functions), and for prelu and glu, which always run on the calling thread.
   */
  readonly threadThresholds: Readonly<Record<ActivationName, number>>;
  /**
   * As threadThresholds, for calls with a plain array among their operands (streamed through the
   * staging area, the calling thread copying while the workers compute).
   */
  readonly arrayThreadThresholds: Readonly<Record<ActivationName, number>>;
  /** A buffer of the shared memory (see Activations.allocate). */
  allocate(length: number): ActivationBuffer;
  /** Memory usage (see Activations.memoryStats). */
  memoryStats(): MemoryStats;
  /** Ends every worker; calls pending or made later reject. Resolves once all have stopped. */
  destroy(): Promise<void>;
  /** The backend ('wasm-simd'), what was asked for, and nothing skipped (as Activations.backendInfo). */
  readonly backendInfo: BackendInfo;
  /** {@link destroy}, for `await using acts = await createActivations({ threads })`. */
  [Symbol.asyncDispose](): Promise<void>;
}

// Symbol.asyncDispose where it exists (Node >= 20.4, recent browsers), else the registry key the
// TypeScript `await using` helpers look up (as buffer.ts does for Symbol.dispose).
const asyncDisposeSymbol: typeof Symbol.asyncDispose = (Symbol as { asyncDispose?: typeof Symbol.asyncDispose }).asyncDispose
  ?? (Symbol.for('Symbol.asyncDispose') as typeof Symbol.asyncDispose);

const MAX_THREADS = 256;

/** A function's two thresholds: for calls whose operands are all buffers, and for the others. */
interface Thresholds {
  readonly buffers: number;
  readonly arrays: number;
}

/** Per function, `of(name)`; Infinity for the kinds never split (prelu, glu: they run on the calling thread). */
function thresholdRecord(of: (name: string) => number): Readonly<Record<ActivationName, number>> {
  return Object.freeze(Object.fromEntries((Object.entries(definitions) as [string, Definition][]).map(([name, definition]) =>
    [name, definition.kind === 'elementwise' || definition.kind === 'reduction' ? of(name) : Infinity]))) as Record<ActivationName, number>;
}

function checkThreads(value: unknown, cores: () => number): number {
  if (value === 'auto') return cores();
  if (typeof value !== 'number' || !Number.isInteger(value)) throw new TypeError(`threads must be a positive integer or 'auto'; got ${describe(value)}`);
  if (value < 1 || value > MAX_THREADS) throw new RangeError(`threads must be in [1, ${MAX_THREADS}] or 'auto'; got ${value}`);
  return value;
}

function checkThreadedOptions(options: ThreadedCreateOptions): number {
  if (options === null || typeof options !== 'object') throw new TypeError('options must be an object');
  for (const key of Object.keys(options)) {
    if (key !== 'backend' && key !== 'maxMemoryBytes' && key !== 'threads') {
      throw new TypeError(`createActivations() has no option '${key}'; its options are 'backend', 'maxMemoryBytes', 'threads'`);
    }
  }
  // Only undefined counts as absent (null is refused, as a plain instance refuses it).
  const backend = options.backend === undefined ? 'auto' : options.backend;
  if (backend !== 'auto' && backend !== 'wasm-simd') {
    throw new RangeError(`with threads, backend must be 'auto' or 'wasm-simd' (the threads build is the simd build on shared memory); got ${describe(backend)}`);
  }
  const max = options.maxMemoryBytes === undefined ? DEFAULT_MAX_MEMORY_BYTES : options.maxMemoryBytes;
  if (typeof max !== 'number' || !Number.isInteger(max)) throw new TypeError(`maxMemoryBytes must be an integer; got ${describe(max)}`);
  if (max < 65536 || max > DEFAULT_MAX_MEMORY_BYTES) throw new RangeError(`maxMemoryBytes must be in [65536, 2^32]; got ${max}`);
  return Math.floor(max / 65536) * 65536;
}

let compiled: Promise<WebAssembly.Module> | null = null;

/** The threads build, compiled once per process. */
function compileThreads(): Promise<WebAssembly.Module> {
  if (compiled === null) {
    compiled = WebAssembly.compile(decodeHex(threadsWasmHex) as BufferSource);
    compiled.catch(() => { compiled = null; });
  }
  return compiled;
}

/** A kernel call for one part: the export and its arguments. */
type Piece = readonly [kernel: string, args: readonly number[]];

/**
 * Creates a threaded instance (called by createActivations when `options.threads` is set;
 * `internal.threshold`, one threshold for every function, and `internal.spawn`, the workers, are
 * for the tests). Where workers on a
 * shared memory cannot run (a page that is not cross-origin isolated), or for threads: 1, the
 * instance runs the ordinary simd build on the calling thread and `threadsReason` says why.
 * Rejects when WebAssembly SIMD is missing.
 */
export async function createThreadedActivations(
  options: ThreadedCreateOptions, internal: { readonly threshold?: number; readonly spawn?: Spawn } = {},
): Promise<ThreadedActivations> {
  const thresholdOfName = (name: string): number => internal.threshold ?? thresholdOf(name);
  const arrayThresholdOfName = (name: string): number => internal.threshold ?? arrayThresholdOf(name);
  const maxBytes = checkThreadedOptions(options);
  const host = await threadHost();
  const wanted = checkThreads(options.threads, () => host.cores);
  if (!hasWasmSimd()) throw new Error('threads need the wasm-simd backend, which cannot run here: this engine\'s WebAssembly has no SIMD');
  let threadsReason: string | null = null;
  if (wanted > 1 && host.spawner === null) threadsReason = host.reason;
  else if (wanted > 1 && typeof SharedArrayBuffer !== 'function') threadsReason = 'this engine has no SharedArrayBuffer';
  let memory: WebAssembly.Memory | null = null;
  if (wanted > 1 && threadsReason === null) {
    try {
      // A shared memory reserves its maximum up front; some engines refuse a large one.
      memory = new WebAssembly.Memory({ initial: 0, maximum: maxBytes / 65536, shared: true });
    } catch (error) {
      threadsReason = `this engine would not reserve a shared WebAssembly.Memory of ${maxBytes} bytes (${(error as Error).message}); a smaller maxMemoryBytes may do`;
    }
  }
  let engine: WasmEngine;
  let pool: Pool | null = null;
  if (memory !== null) {
    const module = await compileThreads();
    const instance = await WebAssembly.instantiate(module, { env: { memory } });
    engine = new WasmEngine('wasm-simd', instance.exports as unknown as KernelExports, maxBytes);
    pool = new Pool(wanted, internal.spawn ?? host.spawner!({ module, memory }));
    // The calling thread's scratch now, before any staging can fill memory: calls run here when
    // the staging area does not fit, and they must find it. (Where maxMemoryBytes leaves no room
    // even for that, the first copying call says so.)
    try {
      engine.reserveScratch();
    } catch (error) {
      if (!(error instanceof RangeError)) throw error;
    }
  } else {
    // One thread: the ordinary simd build on its own memory (the same kernels).
    engine = new WasmEngine('wasm-simd', await instantiate(await compile('simd')), maxBytes);
  }
  // Calls whose operands are all plain arrays and that stay on the calling thread run on the
  // ordinary simd build with a memory of its own: copying an array into or out of a shared
  // memory is slower (relu on 1Mi elements: 0.34 ms through the shared memory's copying path,
  // 0.18 through a private one; sigmoid 1.12 against 0.99). It holds only the copying path's
  // scratch (at most 128 KiB, and a softmax slice block larger than a chunk for the duration of
  // its call), under the same maxMemoryBytes of its own.
  const local = pool === null ? engine : new WasmEngine('wasm-simd', await instantiate(await compile('simd')), maxBytes);
  /** Of a runner on the shared engine and its twin on `local`, the one for these operands: `local`'s when none is a buffer. */
  const runnerFor = <R>(onShared: R, onLocal: R, operands: readonly unknown[]): R =>
    (operands.some((o) => o instanceof ActivationBuffer) ? onShared : onLocal);
  /**
   * Whether calls run on the calling thread only: no pool, or a pool whose workers could not
   * start (e.g. a Content-Security-Policy that refuses Blob workers): calls keep working, and
   * `threadsReason` says why.
   */
  const single = (): boolean => pool === null || pool.brokenReason !== null;
  let destroyed = false;
  /** Settles when the last call that took its turn with the staging area is done with it. */
  let stagingTurn: Promise<void> = Promise.resolve();
  /** Calls holding or waiting for the staging area. */
  let stagingCalls = 0;
  const live = (): void => {
    if (destroyed) throw new Error('this Activations instance was destroyed');
  };

  /**
   * Runs a call on the calling thread (`local`) when the instance has no workers, the call is
   * below its threshold (`threshold.buffers` when every one of `operands` is a buffer, else
   * `threshold.arrays`: such a call streams through the staging area) or cannot be split; else
   * splits it (`split`), falling back to the calling thread when the pool could not take it.
   * Returns `out`.
   */
  const dispatch = async <T>(out: T, elements: number, threshold: Thresholds, operands: readonly unknown[], local: () => void, split: () => Promise<boolean>, splittable = true): Promise<T> => {
    const limit = operands.every((o) => o instanceof ActivationBuffer) ? threshold.buffers : threshold.arrays;
    if (single() || elements < limit || !splittable || !await split()) local();
    return out;
  };

  /**
   * Runs one call on the pool: `units` units (elements, or slice blocks) of `unitFloats` floats,
   * `piece(inputs, dst, count)` being the kernel call for `count` units at those addresses.
   * All operands buffers of this instance: no copy, one part per worker (starts on multiples of
   * `align` units). Otherwise the arrays stream through a bounded staging area, chunk by chunk
   * (see {@link STREAM_ELEMENTS}): the calling thread copies chunks in and results out while the
   * workers compute others, and memory does not grow with the input. Waits for every task that
   * was started, even after one failed, before it returns or frees anything: a worker still
   * running must not write into memory handed out again. Resolves to false, having done
   * nothing, when the staging area does not fit under maxMemoryBytes: the caller then runs the
   * call on the calling thread (whose copying path needs only its small scratch region).
   */
  async function shared(
    inputs: readonly (readonly [Operand, string])[], out: Operand, units: number, unitFloats: number, align: number,
    piece: (inputs: number[], dst: number, count: number) => Piece,
  ): Promise<boolean> {
    const unitBytes = unitFloats * 4;
    const addresses = inputs.map(([operand, name]) => (operand instanceof ActivationBuffer ? bufferAddress(operand, engine, name) : -1));
    const dst = out instanceof ActivationBuffer ? bufferAddress(out, engine, 'out') : -1;
    if (dst >= 0 && addresses.every((a) => a >= 0)) {
      // One part per thread, the calling thread's among them: it runs the last part itself while
      // the workers run the others, then waits for them. Idle between calls, the workers woken
      // for both parts of a two-thread call had often run them one after the other (sigmoid on
      // 2Mi elements, calls alternating with one-thread calls: 1.8-1.9 ms, against 1.65 on one
      // thread); with the calling thread busy on its own part, the woken worker takes the other
      // core: 0.9-1.1 ms. The price: the calling thread is blocked for its part.
      const parts = split(units, pool!.size, align);
      const own = parts.pop()!;
      const running = parts.map(({ start, count }) => {
        const [kernel, args] = piece(addresses.map((a) => a + start * unitBytes), dst + start * unitBytes, count);
        return pool!.run(kernel, args);
      });
      let ownError: unknown = null;
      try {
        const [kernel, args] = piece(addresses.map((a) => a + own.start * unitBytes), dst + own.start * unitBytes, own.count);
        engine.runKernel(kernel, args);
      } catch (error) {
        ownError = error; // reported once every worker's part is done: none may still be writing
      }
      const failed = (await Promise.allSettled(running)).find((r): r is PromiseRejectedResult => r.status === 'rejected');
      if (ownError !== null) throw ownError;
      if (failed) throw failed.reason;
      return true;
    }
    // Staging: one call at a time (calls on arrays queue for their turn: the workers are shared
    // anyway, and memory then holds one staging area however many calls are in flight).
    const previous = stagingTurn;
    let endTurn!: () => void;
    stagingTurn = new Promise<void>((resolve) => {
      endTurn = resolve;
    });
    try {
      if (stagingCalls++ > 0) {
        await previous; // (no await when the area is free: the call starts at once, as before)
        live(); // destroyed while it waited
        if (single()) return false; // the pool gave up while it waited: the caller runs it here
      }
      return await staged(inputs, addresses, out, dst, units, unitFloats, align, piece);
    } finally {
      stagingCalls--;
      endTurn();
    }
  }

  /** The staging part of {@link shared}, in its turn. */
  async function staged(
    inputs: readonly (readonly [Operand, string])[], addresses: number[], out: Operand, dst: number, units: number,
    unitFloats: number, align: number, piece: (inputs: number[], dst: number, count: number) => Piece,
  ): Promise<boolean> {
    // 2 slots per worker (one computing, one being filled or emptied), each with a block per
    // array input (the first also takes the result when out is an array), or one block for the
    // result alone. Every block is taken before anything is copied: past maxMemoryBytes the
    // call runs on the calling thread having written nothing.
    // At most STREAM_ELEMENTS per chunk, and at least one chunk per worker.
    const perWorker = Math.ceil(Math.ceil(units / pool!.size) / align) * align;
    const chunkUnits = Math.max(1, Math.min(perWorker, unitFloats === 1 ? STREAM_ELEMENTS : Math.floor(STREAM_ELEMENTS / unitFloats)));
    const arrays = inputs.map(([operand], i) => (addresses[i] < 0 ? (operand as Float32Array) : null));
    const blocksPerSlot = Math.max(1, arrays.filter((a) => a !== null).length);
    const slotCount = Math.min(2 * pool!.size, Math.ceil(units / chunkUnits));
    const blockFloats = Math.min(chunkUnits, units) * unitFloats;
    const blocks: ActivationBuffer[] = [];
    try {
      try {
        for (let i = 0; i < slotCount * blocksPerSlot; i++) blocks.push(engine.allocate(blockFloats));
      } catch (error) {
        if (error instanceof RangeError) return false; // over maxMemoryBytes: the caller runs it here
        throw error;
      }
      const slots = Array.from({ length: slotCount }, (_, k) => blocks.slice(k * blocksPerSlot, (k + 1) * blocksPerSlot));
      const free = slots.slice();
      const inFlight: { slot: ActivationBuffer[]; start: number; count: number; done: Promise<unknown> }[] = [];
      let failure: unknown = null;
      /** Waits for the oldest task; copies its result out (when out is an array) and frees its slot. */
      const retire = async (): Promise<void> => {
        const task = inFlight.shift()!;
        try {
          await task.done;
          if (dst < 0 && failure === null) {
            const floats = task.count * unitFloats;
            (out as Float32Array).set(task.slot[0].array.subarray(0, floats), task.start * unitFloats);
          }
        } catch (error) {
          failure ??= error;
        }
        free.push(task.slot);
      };
      for (let start = 0; start < units && failure === null; start += chunkUnits) {
        if (free.length === 0) await retire();
        if (failure !== null) break;
        const slot = free.pop()!;
        const count = Math.min(chunkUnits, units - start);
        const offset = start * unitFloats;
        const floats = count * unitFloats;
        let next = 0;
        const chunkAddresses = inputs.map((_, i) => {
          const array = arrays[i];
          if (array === null) return addresses[i] + offset * 4;
          const block = slot[next++];
          block.array.set(array.subarray(offset, offset + floats));
          return bufferAddress(block, engine, inputs[i][1]);
        });
        const target = dst >= 0 ? dst + offset * 4 : bufferAddress(slot[0], engine, 'out');
        const [kernel, args] = piece(chunkAddresses, target, count);
        const done = pool!.run(kernel, args);
        done.catch(() => {}); // handled in retire(), maybe after other awaits
        inFlight.push({ slot, start, count, done });
      }
      while (inFlight.length > 0) await retire();
      if (failure !== null) throw failure;
      return true;
    } finally {
      for (const block of blocks) block.free();
    }
  }

  const functions: Record<string, unknown> = {
    backend: engine.backend,
    threadThresholds: thresholdRecord(thresholdOfName),
    arrayThreadThresholds: thresholdRecord(arrayThresholdOfName),
    allocate: (length: number) => {
      live();
      return engine.allocate(checkLength(length));
    },
    memoryStats: () => engine.stats(),
    destroy: async () => {
      destroyed = true;
      await pool?.destroy();
    },
    backendInfo: Object.freeze({ backend: engine.backend, requested: options.backend === undefined ? 'auto' : options.backend, skipped: Object.freeze([]) }),
  };
  functions[asyncDisposeSymbol as unknown as string] = functions.destroy;

  // Definitions of another kind than these two (prelu, glu) run on the calling thread, through
  // the single-threaded functions of the same engine.
  const calling = fromEngine(engine) as unknown as Record<string, (...args: unknown[]) => unknown>;
  const callingLocal = local === engine ? calling : fromEngine(local) as unknown as Record<string, (...args: unknown[]) => unknown>;
  /** prelu's and glu's functions for these arguments: the local engine's when no argument (or out) is a buffer. */
  const callingFor = (args: readonly unknown[]): Record<string, (...args: unknown[]) => unknown> => {
    const options = args[args.length - 1];
    const out = options !== null && typeof options === 'object' ? (options as { out?: unknown }).out : undefined;
    return runnerFor(calling, callingLocal, [...args, out]);
  };
  for (const [name, definition] of Object.entries(definitions) as [string, Definition][]) {
    const { allowed, paramsOf } = optionRules(definition);
    const backwardName = `${name}Backward`;
    const threshold: Thresholds = { buffers: thresholdOfName(name), arrays: arrayThresholdOfName(name) };
    if (definition.kind !== 'elementwise' && definition.kind !== 'reduction') {
      functions[name] = async (...args: unknown[]) => {
        live();
        return callingFor(args)[name](...args);
      };
      functions[backwardName] = async (...args: unknown[]) => {
        live();
        return callingFor(args)[backwardName](...args);
      };
      continue;
    }
    if (definition.kind === 'elementwise') {
      const run = engine.elementwise(definition);
      const runLocal = local.elementwise(definition);
      const runBackward = engine.elementwiseBackward(definition);
      const runBackwardLocal = local.elementwiseBackward(definition);
      const [arg0, arg1] = definition.wasm.args;
      const kernel = definition.wasm.export;
      const backwardKernel = definition.backward.wasm;
      functions[name] = async (input: Float32Input | ActivationBuffer, options?: object) => {
        live();
        const opts = options === undefined ? undefined : checkOptions(options, allowed, name);
        const x = toOperand(input, 'x');
        const out = (opts && checkOut(opts.out, x)) || new Float32Array(x.length);
        const params = paramsOf(opts);
        const a0 = wasmArg(definition, arg0, params);
        const a1 = wasmArg(definition, arg1, params);
        return dispatch(out, x.length, threshold, [x, out], () => runnerFor(run, runLocal, [x, out])(x, out, params),
          () => shared([[x, 'x']], out, x.length, 1, 16, ([src], dst, count) => [kernel, [src, dst, count, a0, a1]]));
      };
      functions[backwardName] = async (dyInput: Float32Input | ActivationBuffer, xInput: Float32Input | ActivationBuffer, options?: object) => {
        live();
        const opts = options === undefined ? undefined : checkOptions(options, allowed, backwardName);
        const { dy, saved: x, out } = checkBackwardOperands(dyInput, xInput, 'x', opts?.out);
        const params = paramsOf(opts);
        const target = out ?? new Float32Array(dy.length);
        const a0 = wasmArg(definition, arg0, params);
        const a1 = wasmArg(definition, arg1, params);
        return dispatch(target, dy.length, threshold, [dy, x, target], () => runnerFor(runBackward, runBackwardLocal, [dy, x, target])(dy, x, target, params),
          () => shared([[dy, 'dy'], [x, 'x']], target, dy.length, 1, 16, ([g, s], dst, count) => [backwardKernel, [g, s, dst, count, a0, a1]]));
      };
      continue;
    }
    const reduction = definition as ReductionDefinition;
    const run = engine.reduction(reduction);
    const runLocal = local.reduction(reduction);
    const runBackward = engine.reductionBackward(reduction);
    const runBackwardLocal = local.reductionBackward(reduction);
    const { rows, strided } = reduction.wasm;
    const backwardKernels = reduction.backward.wasm;
    functions[name] = async (input: Float32Input | ActivationBuffer, options?: object) => {
      live();
      const opts = options === undefined ? undefined : checkOptions(options, allowed, name);
      const x = toOperand(input, 'x');
      const layout = checkLayout(opts?.shape, opts?.dim, x.length);
      const out = (opts && checkOut(opts.out, x)) || new Float32Array(x.length);
      const params = paramsOf(opts);
      const { outer, n, inner } = layout;
      return dispatch(out, x.length, threshold, [x, out], () => runnerFor(run, runLocal, [x, out])(x, out, layout, params),
        () => shared([[x, 'x']], out, outer, n * inner, 1, ([src], dst, count) =>
          (inner === 1 ? [rows, [src, dst, count, n]] : [strided, [src, dst, count, n, inner]])), outer >= 2);
    };
    functions[backwardName] = async (dyInput: Float32Input | ActivationBuffer, yInput: Float32Input | ActivationBuffer, options?: object) => {
      live();
      const opts = options === undefined ? undefined : checkOptions(options, allowed, backwardName);
      const { dy, saved: y, out } = checkBackwardOperands(dyInput, yInput, 'y', opts?.out);
      const layout = checkLayout(opts?.shape, opts?.dim, dy.length, 'dy');
      const params = paramsOf(opts);
      const target = out ?? new Float32Array(dy.length);
      const { outer, n, inner } = layout;
      return dispatch(target, dy.length, threshold, [dy, y, target], () => runnerFor(runBackward, runBackwardLocal, [dy, y, target])(dy, y, target, layout, params),
        () => shared([[dy, 'dy'], [y, 'y']], target, outer, n * inner, 1, ([g, s], dst, count) =>
          (inner === 1 ? [backwardKernels.rows, [g, s, dst, count, n]] : [backwardKernels.strided, [g, s, dst, count, n, inner]])), outer >= 2);
    };
  }
  Object.defineProperty(functions, POOL, { value: pool, enumerable: false });
  Object.defineProperty(functions, 'threads', { get: () => (single() || destroyed ? 1 : pool!.size), enumerable: true });
  Object.defineProperty(functions, 'threadsReason', { get: () => pool?.brokenReason ?? threadsReason, enumerable: true });
  return Object.freeze(functions) as unknown as ThreadedActivations;
}

/** @internal The key of a threaded instance's pool, for the tests' fault injection. */
export const POOL = Symbol('wasm-activations pool');
