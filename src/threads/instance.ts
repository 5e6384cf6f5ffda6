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
   * (os.availableParallelism() in Node, navigator.hardwareConcurrency in browsers): the calling
   * thread and threads - 1 workers. A call on buffers is split in that many parts, one run by the
   * calling thread; a call on plain arrays streams chunks through the workers while the calling
   * thread copies them in and out and computes chunks of its own. 1 runs every call on the
   * calling thread (the functions still return Promises).
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
 * bad call; it rejects with an Error when a worker dies inside its part of the call (the pool
 * replaces the worker; parts no worker started are run on the calling thread instead) or the
 * instance was destroyed. Do not write, free or read the operands of a call
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
   * staging area, the calling thread copying the workers' chunks and computing its own).
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

/** The largest share of a streamed call's units the workers take (see staged()). */
const PHI_MAX = 0.95;

/** The states of a streamed chunk's task, in its int32 flag (see Pool.run): posted, claimed by a worker, done, taken back by the calling thread. */
const POSTED = 0;
const DONE = 2;
const TAKEN = 3;

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
 * `internal.threshold`, one threshold for every function, `internal.spawn`, the workers, and
 * `internal.streamElements`, the largest chunk of a streamed call, are for the tests). Where workers on a
 * shared memory cannot run (a page that is not cross-origin isolated), or for threads: 1, the
 * instance runs the ordinary simd build on the calling thread and `threadsReason` says why.
 * Rejects when WebAssembly SIMD is missing.
 */
export async function createThreadedActivations(
  options: ThreadedCreateOptions, internal: { readonly threshold?: number; readonly spawn?: Spawn; readonly streamElements?: number } = {},
): Promise<ThreadedActivations> {
  const streamElements = internal.streamElements ?? STREAM_ELEMENTS;
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
    pool = new Pool(wanted - 1, internal.spawn ?? host.spawner!({ module, memory }));
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
   * Takes back the part (or chunk) whose state is flags[k] if no worker has claimed it, runs
   * `piece` here unless `run` is false (after a failure: the worker then skips it, and the call
   * fails anyway), and marks it DONE: no one touches it any more. False when a worker claimed it
   * first; throws what the kernel threw.
   */
  const takeBackPiece = (flags: Int32Array, k: number, [kernel, args]: Piece, run: boolean): boolean => {
    if (Atomics.compareExchange(flags, k, POSTED, TAKEN) !== POSTED) return false;
    try {
      if (run) engine.runKernel(kernel, args);
    } finally {
      Atomics.store(flags, k, DONE);
    }
    return true;
  };

  /**
   * Runs one call on the pool: `units` units (elements, or slice blocks) of `unitFloats` floats,
   * `piece(inputs, dst, count)` being the kernel call for `count` units at those addresses.
   * All operands buffers of this instance: no copy, one part per worker (starts on multiples of
   * `align` units). Otherwise the arrays stream through a bounded staging area, chunk by chunk
   * (see {@link staged}): the calling thread copies the workers' chunks in and their results out
   * and computes chunks of its own in between, and memory does not grow with the input. Waits for every task that
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
      // Each worker part has a state (an int32 of the shared memory, as a streamed chunk's: see
      // staged()): once its own part is done, the calling thread takes back the parts no worker
      // has started and runs them itself. A part waiting for a descheduled worker then costs no
      // more than running it here, and a part whose worker died before it started it (or that a
      // pool giving up rejected: workers blocked by a Content-Security-Policy) does not fail the
      // call. Only a worker that dies inside its part fails it (an in-place part may be half
      // written, so it cannot be run again).
      const parts = split(units, pool!.size + 1, align);
      const own = parts.pop()!;
      let flagsBlock: ActivationBuffer;
      try {
        flagsBlock = engine.allocate(parts.length);
      } catch (error) {
        if (error instanceof RangeError) return false; // not even 16 bytes left: the caller runs it here
        throw error;
      }
      try {
        const flagsAddress = bufferAddress(flagsBlock, engine, 'flags');
        const flags = new Int32Array(flagsBlock.array.buffer, flagsAddress, parts.length);
        const pieces = parts.map(({ start, count }) => piece(addresses.map((a) => a + start * unitBytes), dst + start * unitBytes, count));
        const running = pieces.map(([kernel, args], k) => {
          Atomics.store(flags, k, POSTED);
          return pool!.run(kernel, args, { flag: flagsAddress + 4 * k });
        });
        let failure: unknown = null;
        try {
          const [kernel, args] = piece(addresses.map((a) => a + own.start * unitBytes), dst + own.start * unitBytes, own.count);
          engine.runKernel(kernel, args);
        } catch (error) {
          failure = error; // reported once every worker's part is done: none may still be writing
        }
        for (let k = pieces.length - 1; k >= 0; k--) {
          try {
            takeBackPiece(flags, k, pieces[k], failure === null);
          } catch (error) {
            failure = error;
          }
        }
        const results = await Promise.allSettled(running);
        if (failure !== null) throw failure;
        live(); // destroy() fails the calls pending, even one whose parts all were done
        // A rejected task fails the call unless its part was done (by a worker that died after
        // it, or here): its worker died inside it, or answered without running it.
        results.forEach((result, k) => {
          if (result.status === 'rejected' && Atomics.load(flags, k) !== DONE) throw result.reason;
          if (result.status === 'fulfilled' && Atomics.load(flags, k) !== DONE) {
            throw new Error(`a worker answered a part of ${pieces[k][0]} without running it`);
          }
        });
        return true;
      } finally {
        flagsBlock.free();
      }
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
    // The workers take chunks from the front and the calling thread smaller ones from the back,
    // which it computes itself between copying the workers' chunks in and their results out.
    // They meet where the workers have taken a share `phi` of the units, the share that has
    // both sides finish together: W workers spend k / W per unit (the kernel), the calling thread
    // c_s per worker unit (the two copies through the shared memory) and c + k per unit of its
    // own (the copies, then the kernel), so phi = (c + k) / (c + k + k / W - c_s). The three are timed
    // on the calling thread during the call: its first chunk, right after the first worker
    // chunk is handed out, and every one after. (sigmoid: phi ~0.64, 1.8x one thread's speed
    // in theory; a cheap function, whose copies cost about its kernel, gets phi near 1 and
    // little from the call being split.)
    // A worker's chunk is at most STREAM_ELEMENTS floats (at least one unit). Each worker has two
    // slots, the chunk it computes and the next, posted behind it, so that it never waits for
    // the calling thread to see an answer; a slot has a block per array input (the first also
    // takes the result when out is an array), or one block for the result alone. The calling
    // thread's chunks are a quarter of a worker's; after each it empties and refills the slots
    // whose done flags the workers have set. It turns no event loop until its part is done.
    // With every operand an array it computes its chunks on `local` (copying into a shared
    // memory is slower); otherwise on the shared engine, through blocks of its own. Every block
    // is taken before anything is copied: past maxMemoryBytes the call runs on the calling
    // thread having written nothing.
    const unitBytes = unitFloats * 4;
    const alignDown = (n: number): number => Math.floor(n / align) * align;
    const chunkUnits = Math.max(align, alignDown(Math.floor(streamElements / unitFloats)));
    const ownUnits = Math.max(align, alignDown(chunkUnits / 4));
    const arrays = inputs.map(([operand], i) => (addresses[i] < 0 ? (operand as Float32Array) : null));
    const blocksPerSlot = Math.max(1, arrays.filter((a) => a !== null).length);
    const slotCount = Math.min(2 * pool!.size, Math.ceil(units / chunkUnits));
    const blockFloats = Math.min(chunkUnits, units) * unitFloats;
    const ownEngine = dst < 0 && addresses.every((a) => a < 0) ? local : engine;
    const blocks: ActivationBuffer[] = [];
    const ownBlocks: ActivationBuffer[] = [];
    try {
      try {
        for (let i = 0; i < slotCount * blocksPerSlot; i++) blocks.push(engine.allocate(blockFloats));
        for (let i = 0; i < blocksPerSlot; i++) ownBlocks.push(ownEngine.allocate(Math.min(ownUnits, units) * unitFloats));
        blocks.push(engine.allocate(slotCount)); // the slots' done flags (int32)
      } catch (error) {
        if (error instanceof RangeError) return false; // over maxMemoryBytes: the caller runs it here
        throw error;
      }
      const slots = Array.from({ length: slotCount }, (_, k) => blocks.slice(k * blocksPerSlot, (k + 1) * blocksPerSlot));
      // A worker sets its slot's flag once its kernel returned: the calling thread sees it
      // without turning its event loop, which is what delivers the answer (a turn taken on the
      // chance, setImmediate in Node or a MessageChannel message in a browser, cost 5-10 us, and
      // in Chromium never delivered the workers' messages: its own channel's came first). A
      // shared memory's growth leaves earlier views valid.
      const flagsBlock = blocks[blocks.length - 1];
      const flagsAddress = bufferAddress(flagsBlock, engine, 'flags');
      const flags = new Int32Array(flagsBlock.array.buffer, flagsAddress, slotCount);
      const free = slots.slice();
      interface Task {
        slot: ActivationBuffer[]; start: number; count: number; piece: Piece; done: Promise<unknown>; flag: number;
        /** Whether its answer arrived (or the pool rejected it), and the rejection's reason if it was one. */
        settled: boolean; error: unknown;
      }
      const inFlight: Task[] = [];
      const answers: Promise<unknown>[] = []; // every task's
      let failure: unknown = null;
      let front = 0; // units [0, front) are the workers'
      let back = units; // units [back, units) the calling thread's
      // Milliseconds and units timed: the workers' copies, the calling thread's copies, its kernels.
      const timed = { staging: 0, stagedUnits: 0, copies: 0, kernel: 0, ownUnits: 0 };
      // Until the first of the calling thread's chunks is timed: at most half, and a chunk left for it.
      let phi = Math.min(0.5, Math.max(0, 1 - ownUnits / units));
      let workerChunk = Math.max(align, alignDown(chunkUnits / 16));
      let ownChunk = Math.max(align, alignDown(ownUnits / 4)); // (growing as the workers' chunks do)
      /** Copies the array inputs of units [start, start + count) into `slot` and returns the kernel's input addresses. */
      const fill = (slot: ActivationBuffer[], host: WasmEngine, start: number, count: number): number[] => {
        let next = 0;
        return inputs.map(([, name], i) => {
          const array = arrays[i];
          if (array === null) return addresses[i] + start * unitBytes;
          const block = slot[next++];
          block.array.set(array.subarray(start * unitFloats, (start + count) * unitFloats));
          return bufferAddress(block, host, name);
        });
      };
      /** Copies a finished chunk's result out (when out is an array). */
      const empty = (slot: ActivationBuffer[], start: number, count: number): void => {
        if (dst < 0) (out as Float32Array).set(slot[0].array.subarray(0, count * unitFloats), start * unitFloats);
      };
      /** Hands chunks from the front to free slots, up to the workers' share. */
      const stage = (): void => {
        while (failure === null && free.length > 0 && !single()) { // (a pool that gave up takes nothing more)
          // Chunks grow from a sixteenth of the full size, doubling, so that the worker starts
          // soon (copying a full chunk of sigmoid into the shared memory took 50-60 us) and the
          // calling thread keeps ahead of it; each takes at most half of what is left of the
          // workers' share, so that the last are small too.
          const share = alignDown(phi * units - front);
          const count = Math.min(workerChunk, back - front - ownUnits, Math.max(align, alignDown(share / 2)), share);
          if (count < align) return;
          const began = performance.now();
          const slot = free.pop()!;
          const chunkInputs = fill(slot, engine, front, count);
          timed.staging += performance.now() - began;
          timed.stagedUnits += count;
          const target = dst >= 0 ? dst + front * unitBytes : bufferAddress(slot[0], engine, 'out');
          const chunk = piece(chunkInputs, target, count);
          const flag = slots.indexOf(slot);
          Atomics.store(flags, flag, POSTED);
          const done = pool!.run(chunk[0], chunk[1], { queueBehind: true, flag: flagsAddress + 4 * flag });
          const task: Task = { slot, start: front, count, piece: chunk, done, flag, settled: false, error: null };
          // (What a rejection means depends on the chunk's state: see retire().)
          task.done.then(() => { task.settled = true; }, (error: unknown) => {
            task.settled = true;
            task.error = error;
          });
          inFlight.push(task);
          answers.push(done);
          front += count;
          workerChunk = Math.min(chunkUnits, 2 * workerChunk);
        }
      };
      /**
       * Takes back `task`'s chunk if no worker has started it, and runs it here, on the shared
       * memory where it is staged. False when a worker claimed it first.
       */
      const takeBack = (task: Task): boolean => {
        try {
          return takeBackPiece(flags, task.flag, task.piece, failure === null);
        } catch (error) {
          failure = error;
          return true;
        }
      };
      /**
       * Empties and frees the slots of the chunks that are done: their state DONE (the result
       * is complete: the worker stored it after its kernel returned, and an atomic load that
       * sees it sees the result too) or their task settled (a worker that died before that
       * writes nothing more). Their answers are not waited for here. A chunk whose task was
       * rejected before a worker claimed it (its worker died first, or the pool gave up) is run
       * here and does not fail the call (unless the instance was destroyed); one whose worker
       * died inside it does.
       */
      const retire = (): void => {
        for (let k = 0; k < inFlight.length; k++) {
          const task = inFlight[k];
          if (task.settled && task.error !== null) {
            if (destroyed) failure ??= task.error; // destroy() fails the calls pending
            else takeBack(task);
          }
          const flagged = Atomics.load(flags, task.flag) === DONE;
          if (!flagged && !task.settled) continue;
          inFlight.splice(k--, 1);
          // (An answer without the state DONE is a broken protocol, never a result to trust.)
          if (!flagged) failure ??= task.error ?? new Error(`a worker answered a chunk of ${task.piece[0]} without running it`);
          if (flagged && failure === null) {
            const began = performance.now();
            empty(task.slot, task.start, task.count);
            timed.staging += performance.now() - began;
          }
          free.push(task.slot);
        }
      };
      /** Runs units [start, back) on the calling thread. */
      const runOwn = (start: number): void => {
        const count = back - start;
        const began = performance.now();
        const chunkInputs = fill(ownBlocks, ownEngine, start, count);
        const target = dst >= 0 ? dst + start * unitBytes : bufferAddress(ownBlocks[0], ownEngine, 'out');
        const [kernel, args] = piece(chunkInputs, target, count);
        const filled = performance.now();
        ownEngine.runKernel(kernel, args);
        const computed = performance.now();
        empty(ownBlocks, start, count);
        timed.copies += (filled - began) + (performance.now() - computed);
        timed.kernel += computed - filled;
        timed.ownUnits += count;
      };
      stage(); // the workers' first chunks, so that they start at once
      while (failure === null && front < back) {
        const start = Math.max(front, alignDown(back - ownChunk));
        ownChunk = Math.min(ownUnits, 2 * ownChunk);
        try {
          runOwn(start);
        } catch (error) {
          failure = error; // reported once every worker's chunk is done: none may still be writing
          break;
        }
        back = start;
        if (timed.stagedUnits > 0 && timed.kernel > 0) {
          const k = timed.kernel / timed.ownUnits;
          const c = timed.copies / timed.ownUnits;
          const cs = timed.staging / timed.stagedUnits;
          const denominator = c + k + k / pool!.size - cs;
          phi = denominator > 0 ? Math.min(PHI_MAX, (c + k) / denominator) : PHI_MAX;
        }
        retire();
        stage();
      }
      // The calling thread's part is done. It takes back the workers' chunks that none has
      // started, newest first, and runs them itself on the shared memory where they are staged
      // (a worker descheduled by the host had held two chunks for 1.6 ms while the calling
      // thread waited), then waits for the ones running: their state, or their answers,
      // whichever is seen first. Then for every answer, which costs one turn of the event loop
      // once all are done: returning without them let answers pile up over calls made back to
      // back (a loop awaiting call after call never turns the event loop when no call waits
      // for a message), and the pool's view of the workers with them.
      retire();
      while (inFlight.length > 0) {
        let took = false;
        for (let k = inFlight.length - 1; k >= 0 && (!took || failure !== null); k--) took = takeBack(inFlight[k]) || took;
        if (!took) await Promise.race(inFlight.map((task) => task.done)).catch(() => {});
        retire();
      }
      await Promise.allSettled(answers);
      if (failure !== null) throw failure;
      live(); // destroy() fails the calls pending, even one whose chunks all were done
      return true;
    } finally {
      for (const block of blocks) block.free();
      for (const block of ownBlocks) block.free();
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
        const namesParam = options !== undefined && checkOptions(options, allowed, name);
        const opts = options as Record<string, unknown> | undefined;
        const x = toOperand(input, 'x');
        const out = (opts && checkOut(opts.out, x)) || new Float32Array(x.length);
        const params = paramsOf(opts, namesParam);
        const a0 = wasmArg(definition, arg0, params);
        const a1 = wasmArg(definition, arg1, params);
        return dispatch(out, x.length, threshold, [x, out], () => runnerFor(run, runLocal, [x, out])(x, out, params),
          () => shared([[x, 'x']], out, x.length, 1, 16, ([src], dst, count) => [kernel, [src, dst, count, a0, a1]]));
      };
      functions[backwardName] = async (dyInput: Float32Input | ActivationBuffer, xInput: Float32Input | ActivationBuffer, options?: object) => {
        live();
        const namesParam = options !== undefined && checkOptions(options, allowed, backwardName);
        const opts = options as Record<string, unknown> | undefined;
        const { dy, saved: x, out } = checkBackwardOperands(dyInput, xInput, 'x', opts?.out);
        const params = paramsOf(opts, namesParam);
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
      const namesParam = options !== undefined && checkOptions(options, allowed, name);
      const opts = options as Record<string, unknown> | undefined;
      const x = toOperand(input, 'x');
      const layout = checkLayout(opts?.shape, opts?.dim, x.length);
      const out = (opts && checkOut(opts.out, x)) || new Float32Array(x.length);
      const params = paramsOf(opts, namesParam);
      const { outer, n, inner } = layout;
      return dispatch(out, x.length, threshold, [x, out], () => runnerFor(run, runLocal, [x, out])(x, out, layout, params),
        () => shared([[x, 'x']], out, outer, n * inner, 1, ([src], dst, count) =>
          (inner === 1 ? [rows, [src, dst, count, n]] : [strided, [src, dst, count, n, inner]])), outer >= 2);
    };
    functions[backwardName] = async (dyInput: Float32Input | ActivationBuffer, yInput: Float32Input | ActivationBuffer, options?: object) => {
      live();
      const namesParam = options !== undefined && checkOptions(options, allowed, backwardName);
      const opts = options as Record<string, unknown> | undefined;
      const { dy, saved: y, out } = checkBackwardOperands(dyInput, yInput, 'y', opts?.out);
      const layout = checkLayout(opts?.shape, opts?.dim, dy.length, 'dy');
      const params = paramsOf(opts, namesParam);
      const target = out ?? new Float32Array(dy.length);
      const { outer, n, inner } = layout;
      return dispatch(target, dy.length, threshold, [dy, y, target], () => runnerFor(runBackward, runBackwardLocal, [dy, y, target])(dy, y, target, layout, params),
        () => shared([[dy, 'dy'], [y, 'y']], target, outer, n * inner, 1, ([g, s], dst, count) =>
          (inner === 1 ? [backwardKernels.rows, [g, s, dst, count, n]] : [backwardKernels.strided, [g, s, dst, count, n, inner]])), outer >= 2);
    };
  }
  Object.defineProperty(functions, POOL, { value: pool, enumerable: false });
  Object.defineProperty(functions, 'threads', { get: () => (single() || destroyed ? 1 : pool!.size + 1), enumerable: true });
  Object.defineProperty(functions, 'threadsReason', { get: () => pool?.brokenReason ?? threadsReason, enumerable: true });
  return Object.freeze(functions) as unknown as ThreadedActivations;
}

/** @internal The key of a threaded instance's pool, for the tests' fault injection. */
export const POOL = Symbol('wasm-activations pool');
