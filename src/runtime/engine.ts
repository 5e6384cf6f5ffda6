// Runs checked calls on one backend, on arrays or on buffers of the instance's memory.
//  - js: each definition's own float64 loop; buffers are plain Float32Arrays.
//  - wasm: x and out both buffers: the kernel runs on them in place in memory, no copy. One of
//    them a plain array: one copy (into out's block, or out of x's block through the scratch
//    region). Both plain arrays: the input streams through a bounded scratch region, one chunk
//    at a time (copy in, kernel in place, copy out), so memory does not grow with the input.
import type {
  Backend, ChannelLayout, ChannelwiseDefinition, ElementwiseDefinition, GatedDefinition, GatedLayout, ParamValues, ReductionDefinition,
} from '../spec.js';
import { isChoiceParam, type AnyParamSpec } from '../spec.js';
import { Allocator, type MemoryStats } from './allocator.js';
import { ActivationBuffer, bufferAddress, newBuffer, type BufferHost } from './buffer.js';
import type { KernelExports } from './loader.js';
import type { WasmMemory } from './wasm-types.js';
import type { SliceLayout } from './validate.js';
import { bufferOf, byteOffsetOf } from './views.js';

/** An input or output: a plain Float32Array or a buffer of the instance's memory. */
export type Operand = Float32Array | ActivationBuffer;

/** Executes checked calls: the arguments are valid and `out` has the length of `x`. */
export interface Engine {
  readonly backend: Backend;
  /** A new buffer of `length` floats (checked: a safe non-negative integer). */
  allocate(length: number): ActivationBuffer;
  /** Memory usage. */
  stats(): MemoryStats;
  /** The runner of an element-wise definition (resolved once per instance, not per call). */
  elementwise(definition: ElementwiseDefinition): ElementwiseRunner;
  /**
   * Plain Float32Arrays shorter than this go to the definition's js loops, forward and backward:
   * a caller may call them itself rather than the runner, which does the same.
   */
  jsBelow(definition: ElementwiseDefinition): number;
  /** The runner of a reduction definition. */
  reduction(definition: ReductionDefinition): ReductionRunner;
  /** The runner of an element-wise definition's backward pass. */
  elementwiseBackward(definition: ElementwiseDefinition): ElementwiseBackwardRunner;
  /** The runner of a reduction definition's backward pass. */
  reductionBackward(definition: ReductionDefinition): ReductionBackwardRunner;
  /** The runner of a per-channel definition. */
  channelwise(definition: ChannelwiseDefinition): ChannelwiseRunner;
  /** The runner of a per-channel definition's backward pass. */
  channelwiseBackward(definition: ChannelwiseDefinition): ChannelwiseBackwardRunner;
  /** The runner of a gated definition (glu). */
  gated(definition: GatedDefinition): GatedRunner;
  /** The runner of a gated definition's backward pass. */
  gatedBackward(definition: GatedDefinition): GatedBackwardRunner;
  /**
   * The byte offset of `view` in the instance's memory when it is a view of that memory (such as
   * a buffer's `array`), else -1: taken before a call that may grow memory, which detaches it.
   */
  memoryOffset(view: Float32Array): number;
  /** A view of `length` floats at byte `offset` of the current memory (for a view growth detached). */
  memoryView(offset: number, length: number): Float32Array;
}

/** Runs one gated definition on checked operands: out has x.length / 2 floats and does not overlap x. */
export type GatedRunner = (x: Operand, out: Operand, layout: GatedLayout) => void;
/** Runs one gated backward pass on checked operands: dy of x.length / 2, out of x.length (may be x, never overlaps dy). */
export type GatedBackwardRunner = (dy: Operand, x: Operand, out: Operand, layout: GatedLayout) => void;

/**
 * Runs one element-wise definition on checked operands. `params` is never changed once passed
 * (optionRules' paramsOf makes a new object for new values): the runner keeps the kernel's
 * arguments from the last params object it saw.
 */
export type ElementwiseRunner = (x: Operand, out: Operand, params: ParamValues) => void;
/** Runs one reduction definition on checked operands. */
export type ReductionRunner = (x: Operand, out: Operand, layout: SliceLayout, params: ParamValues) => void;

/** Runs one element-wise backward pass on checked operands (dy, x and out of one length); `params` as for {@link ElementwiseRunner}. */
export type ElementwiseBackwardRunner = (dy: Operand, x: Operand, out: Operand, params: ParamValues) => void;
/** Runs one reduction backward pass on checked operands (dy, y and out of one length). */
export type ReductionBackwardRunner = (
  dy: Operand, y: Operand, out: Operand, layout: SliceLayout, params: ParamValues,
) => void;

/** Runs one per-channel definition on checked operands; `weights` has layout.weights entries. */
export type ChannelwiseRunner = (x: Operand, out: Operand, layout: ChannelLayout, weights: Float32Array) => void;
/**
 * Runs one per-channel backward pass on checked operands (dy, x and out of one length): writes
 * dx to out and returns each weight's gradient as the float64 sum of its terms (not rounded).
 */
export type ChannelwiseBackwardRunner = (
  dy: Operand, x: Operand, out: Operand, layout: ChannelLayout, weights: Float32Array,
) => Float64Array;

/** The most memory an instance may use by default: all a wasm32 memory can address. */
export const DEFAULT_MAX_MEMORY_BYTES = 2 ** 32;

/**
 * Elements per chunk of the copying path: 8Ki floats (32 KiB) stay in L1 (48 KiB on the machine
 * measured) from the copy in through the kernel to the copy out. Against 16Ki, at 64Ki elements
 * through the copying API on V8/x64: softsign 0.226 -> 0.216 ns/element, relu 0.119 -> 0.112
 * (1Mi: 0.155 -> 0.143), the exp-based kernels and softmax the same or 1% faster; 4Ki was 2%
 * slower for softmax and the backward passes (the per-chunk call).
 */
export const CHUNK_ELEMENTS = 8192;

/**
 * Elements per chunk of the element-wise forward copying path (runElementwise, runPositioned):
 * half of the scratch region. A single copy in, the kernel in place and a copy out per chunk, so
 * 16 KiB of scratch leaves room in L1 for the lines of x and out streaming past it. Against 8Ki
 * chunks, same process, alternating batches, V8/x64 on an Intel Xeon (AVX-512, 48 KiB L1d), ns
 * per element at 64Ki: relu 0.397 -> 0.313, leakyRelu 0.378 -> 0.286, softsign 0.527 -> 0.463,
 * sigmoid 1.356 -> 1.286, hardswish 1.052 -> 0.996; at 1Mi relu 0.468 -> 0.411, gelu 3.11 ->
 * 3.14. The backward passes (three chunks) and softmax measured the same or slower with smaller
 * chunks there, and on the AMD machine above 4Ki cost them 2% (the per-chunk call), so they keep
 * CHUNK_ELEMENTS.
 */
export const ELEMENTWISE_CHUNK_ELEMENTS = CHUNK_ELEMENTS / 2;

/** Plain JavaScript: each definition's own float64 loop. */
export class JsEngine implements Engine, BufferHost {
  readonly backend = 'js';
  private readonly arrays = new Map<number, Float32Array>();
  private nextId = 16;
  private used = 0;
  private peak = 0;

  constructor(private readonly maxBytes: number) {}

  allocate(length: number): ActivationBuffer {
    const bytes = Math.max(16, Math.ceil((length * 4) / 16) * 16);
    if (this.used + bytes > this.maxBytes) {
      throw new RangeError(`cannot allocate ${length} floats: ${this.used + bytes} bytes would exceed maxMemoryBytes (${this.maxBytes})`);
    }
    const id = this.nextId;
    this.nextId += 16;
    this.arrays.set(id, new Float32Array(length));
    this.used += bytes;
    this.peak = Math.max(this.peak, this.used);
    return newBuffer(this, id, length);
  }

  view(address: number): Float32Array {
    return this.arrays.get(address)!;
  }

  memoryOffset(): number {
    return -1; // buffers here are plain arrays: growth detaches nothing
  }

  memoryView(): Float32Array {
    throw new Error('the js backend has no wasm memory'); // unreachable: memoryOffset is always -1
  }

  isCurrent(): boolean {
    return true;
  }

  release(address: number): void {
    const array = this.arrays.get(address);
    if (!array) throw new Error(`no live buffer ${address}`);
    this.arrays.delete(address);
    this.used -= Math.max(16, Math.ceil((array.length * 4) / 16) * 16);
  }

  stats(): MemoryStats {
    return { reservedBytes: this.used, usedBytes: this.used, peakBytes: this.peak };
  }

  private array(operand: Operand, name: string): Float32Array {
    if (operand instanceof ActivationBuffer) {
      bufferAddress(operand, this, name);
      return operand.array;
    }
    return operand;
  }

  jsBelow(): number {
    return Infinity;
  }

  elementwise(definition: ElementwiseDefinition): ElementwiseRunner {
    return (x, out, params) => {
      const xs = this.array(x, 'x');
      definition.js(xs, this.array(out, 'out'), xs.length, params);
    };
  }

  reduction(definition: ReductionDefinition): ReductionRunner {
    return (x, out, layout, params) => {
      definition.js(this.array(x, 'x'), this.array(out, 'out'), layout.outer, layout.n, layout.inner, params);
    };
  }

  elementwiseBackward(definition: ElementwiseDefinition): ElementwiseBackwardRunner {
    const backward = definition.backward;
    return (dy, x, out, params) => {
      const dys = this.array(dy, 'dy');
      backward.js(dys, this.array(x, 'x'), this.array(out, 'out'), dys.length, params);
    };
  }

  reductionBackward(definition: ReductionDefinition): ReductionBackwardRunner {
    const backward = definition.backward;
    return (dy, y, out, layout, params) => {
      backward.js(this.array(dy, 'dy'), this.array(y, 'y'), this.array(out, 'out'), layout.outer, layout.n, layout.inner, params);
    };
  }

  channelwise(definition: ChannelwiseDefinition): ChannelwiseRunner {
    return (x, out, layout, weights) => {
      definition.js(this.array(x, 'x'), this.array(out, 'out'), layout, weights);
    };
  }

  channelwiseBackward(definition: ChannelwiseDefinition): ChannelwiseBackwardRunner {
    const backward = definition.backward;
    return (dy, x, out, layout, weights) => {
      const sums = new Float64Array(layout.weights);
      backward.js(this.array(dy, 'dy'), this.array(x, 'x'), this.array(out, 'out'), sums, layout, weights);
      return sums;
    };
  }

  gated(definition: GatedDefinition): GatedRunner {
    return (x, out, layout) => {
      definition.js(this.array(x, 'x'), this.array(out, 'out'), layout);
    };
  }

  gatedBackward(definition: GatedDefinition): GatedBackwardRunner {
    const backward = definition.backward;
    return (dy, x, out, layout) => {
      backward.js(this.array(dy, 'dy'), this.array(x, 'x'), this.array(out, 'out'), layout);
    };
  }
}

type Kernel = (...args: number[]) => void;

/** A param as the wasm kernels take it: a number as is, a choice (a string) as its index in `choices`; 0 for none. */
export function wasmArg(definition: ElementwiseDefinition, name: string | undefined, params: ParamValues): number {
  if (name === undefined) return 0;
  const value = params[name];
  if (typeof value === 'number') return value;
  const spec = (definition.params as Record<string, AnyParamSpec>)[name];
  return isChoiceParam(spec) ? spec.choices.indexOf(value) : NaN;
}

/**
 * An element-wise kernel's two param arguments (wasmArg), kept from the last params object seen.
 * A call's params object is the same one while its values repeat (optionRules' paramsOf returns
 * the defaults or the last values checked, never changed afterwards), and reading them again is
 * a megamorphic load (a site every activation shares): ~15 ns of a ~90 ns zero-copy call at n = 16.
 */
class KernelArgs {
  private params: ParamValues | null = null;
  private readonly names: readonly (string | undefined)[];
  a0 = 0;
  a1 = 0;

  constructor(private readonly definition: ElementwiseDefinition) {
    this.names = definition.wasm.args;
    if (this.names.length > 2) throw new Error(`${definition.name}: element-wise kernels take at most two params`);
  }

  /** Sets a0 and a1 from `params` unless they are from this very object already. */
  of(params: ParamValues): this {
    if (params !== this.params) {
      this.a0 = wasmArg(this.definition, this.names[0], params);
      this.a1 = wasmArg(this.definition, this.names[1], params);
      this.params = params;
    }
    return this;
  }
}

/**
 * Per-channel weights with inner == 1 ([N, C]) and C below this are tiled to a period of at least
 * this many floats (a multiple of C and of 4): the periodic kernels run one period segment at a
 * time (vectors within a segment, a scalar tail at its end), and segments this long keep the
 * per-segment overhead small for few channels. From C = MIN_PERIOD on the period is C itself:
 * tiling to a multiple of 4 there would only multiply the weights (and the backward pass's
 * float64 sums) kept in memory, by up to 4 for an odd C.
 */
const MIN_PERIOD = 256;

/** How a per-channel call runs: the periodic kernels for inner == 1, else the block kernels. */
interface ChannelPlan {
  /** The weights' period in floats (periodic), or 0 (blocks: the C weights as they are). */
  readonly period: number;
  /** Floats of weights in memory, and float64 sums the backward pass accumulates into. */
  readonly slots: number;
}

function greatestCommonDivisor(a: number, b: number): number {
  while (b !== 0) [a, b] = [b, a % b];
  return a;
}

function channelPlan(layout: ChannelLayout): ChannelPlan {
  if (layout.inner !== 1) return { period: 0, slots: layout.channels };
  const c = layout.channels;
  if (c >= MIN_PERIOD) return { period: c, slots: c };
  const lcm = (c * 4) / greatestCommonDivisor(c, 4);
  const period = lcm * Math.max(1, Math.ceil(MIN_PERIOD / lcm));
  return { period, slots: period };
}

/**
 * Plain arrays shorter than this run the definition's js loop even on a wasm backend: the two
 * copies and the call into wasm cost more than the work (measured on Node 20, x64: relu at n = 4
 * 59 ns in js vs 83 ns through wasm; at n = 16 sigmoid takes 96 ns through wasm against 188 in
 * js). Results stay within each definition's bound either way. The cheap functions whose js
 * loops give the kernels' bits set their own, higher `jsBelow` (28: at n = 16 relu took 47-58 ns
 * in js against 67-70 through wasm, hardtanh 73 against 92; from 28 to 32 elements the two
 * paths cost the same).
 */
export const JS_BELOW = 8;

/** One wasm instance (simd or scalar build), its memory and its allocator. */
export class WasmEngine implements Engine, BufferHost {
  private readonly memory: WasmMemory;
  private readonly allocator: Allocator;
  private heapView: Float32Array;
  /**
   * Whether the memory is shared (the threads build): growing a shared memory detaches nothing,
   * so heap() notices growth by the length of its view instead.
   */
  private readonly shared: boolean;
  private scratchAddress = -1;
  private lastScratchView: Float32Array | null = null;
  /** The backward passes' scratch: three chunks (dy, the saved tensor, the result), reserved on first use. */
  private pairScratchAddress = -1;
  private lastPairView: Float32Array | null = null;
  /** Per-channel calls' weights (float32) and gradient sums (float64), grown on demand. */
  private weightAddress = -1;
  private weightBytes = 0;
  private sumAddress = -1;
  private sumBytes = 0;

  constructor(
    readonly backend: Exclude<Backend, 'js'>,
    private readonly kernels: KernelExports,
    maxBytes: number,
  ) {
    this.memory = kernels.memory;
    this.allocator = new Allocator(this.memory, maxBytes);
    this.heapView = new Float32Array(this.memory.buffer);
    this.shared = typeof SharedArrayBuffer === 'function' && this.memory.buffer instanceof SharedArrayBuffer;
  }

  /**
   * A float32 view of all of memory, rebuilt when growth detached the last one. Growth detaches
   * the old buffer, which leaves its views with length 0: a cheaper test than comparing with
   * memory.buffer (a getter that calls into the engine) on every call.
   */
  private heap(): Float32Array {
    if (this.heapView.length === 0 || (this.shared && this.heapView.length !== this.memory.buffer.byteLength >>> 2)) {
      this.heapView = new Float32Array(this.memory.buffer);
    }
    return this.heapView;
  }

  private kernel(name: string): Kernel {
    const exported = this.kernels[name];
    if (typeof exported !== 'function') throw new Error(`the wasm module has no export '${name}'`);
    return exported as Kernel;
  }

  /** Calls kernel `name` with `args` (addresses and counts): a threaded instance's own part of a split call. */
  runKernel(name: string, args: readonly number[]): void {
    this.kernel(name)(...args);
  }

  /**
   * The copying path's scratch region (CHUNK_ELEMENTS floats), reserved on first use. Reserving
   * it may grow memory, which detaches views of it: callers take the addresses of operands that
   * live in memory (addressOf) before, and use addresses, not those views, after.
   */
  private scratch(): number {
    if (this.scratchAddress < 0) this.scratchAddress = this.allocator.allocate(CHUNK_ELEMENTS * 4);
    return this.scratchAddress;
  }

  /**
   * Where an operand lives: its byte address when it is a buffer of this instance, else -1 (an
   * array to copy). With `views`, a Float32Array view of this memory (such as `buffer.array`)
   * counts as living there too: needed only when the call may grow memory before it is done
   * (the first reservation of scratch, an oversized softmax block), since growth detaches such
   * views. Otherwise copying from or to a view of this memory is correct (set() copes with
   * overlap), and skipping the test saves two buffer reads (~10 ns even through bufferOf).
   */
  private addressOf(operand: Operand, name: string, views: boolean): number {
    if (operand instanceof ActivationBuffer) return bufferAddress(operand, this, name);
    return views && bufferOf(operand) === bufferOf(this.heap()) ? byteOffsetOf(operand) : -1;
  }

  allocate(length: number): ActivationBuffer {
    return newBuffer(this, this.allocator.allocate(length * 4), length);
  }

  view(address: number, length: number): Float32Array {
    return new Float32Array(this.memory.buffer, address, length);
  }

  isCurrent(view: Float32Array): boolean {
    return view.length !== 0 || bufferOf(view) === this.memory.buffer; // detached views have length 0
  }

  memoryOffset(view: Float32Array): number {
    return bufferOf(view) === this.memory.buffer ? byteOffsetOf(view) : -1;
  }

  memoryView(offset: number, length: number): Float32Array {
    return this.view(offset, length);
  }

  release(address: number): void {
    this.allocator.release(address);
  }

  stats(): MemoryStats {
    return this.allocator.stats();
  }

  /** Where a definition's arrays go to its js loops: its jsBelow, or JS_BELOW. */
  jsBelow(definition: ElementwiseDefinition): number {
    return definition.jsBelow ?? JS_BELOW;
  }

  elementwise(definition: ElementwiseDefinition): ElementwiseRunner {
    const kernel = this.kernel(definition.wasm.export);
    const args = new KernelArgs(definition);
    const jsBelow = this.jsBelow(definition);
    return (x, out, params) => {
      if (x.length < jsBelow && !(x instanceof ActivationBuffer) && !(out instanceof ActivationBuffer)) {
        definition.js(x, out, x.length, params);
        return;
      }
      args.of(params);
      this.runElementwise(kernel, x, out, args.a0, args.a1);
    };
  }

  private runElementwise(kernel: Kernel, x: Operand, out: Operand, a0: number, a1: number): void {
    const n = x.length;
    const mayGrow = this.scratchAddress < 0;
    const xAddress = this.addressOf(x, 'x', mayGrow);
    const outAddress = this.addressOf(out, 'out', mayGrow);
    if (xAddress >= 0) {
      if (outAddress >= 0) {
        kernel(xAddress, outAddress, n, a0, a1); // zero copy
        return;
      }
      if (n === 0) return;
      const scratch = this.scratch();
      for (let start = 0; start < n; start += ELEMENTWISE_CHUNK_ELEMENTS) {
        const len = Math.min(ELEMENTWISE_CHUNK_ELEMENTS, n - start);
        kernel(xAddress + start * 4, scratch, len, a0, a1);
        (out as Float32Array).set(this.scratchView(len), start);
      }
      return;
    }
    x = x as Float32Array;
    out = out as Float32Array;
    if (outAddress >= 0) {
      this.heap().set(x, outAddress >>> 2);
      kernel(outAddress, outAddress, n, a0, a1);
      return;
    }
    if (n === 0) return;
    const scratch = this.scratch();
    const heap = this.heap();
    const base = scratch >>> 2;
    if (n <= ELEMENTWISE_CHUNK_ELEMENTS) {
      heap.set(x, base);
      kernel(scratch, scratch, n, a0, a1);
      out.set(this.scratchView(n));
      return;
    }
    for (let start = 0; start < n; start += ELEMENTWISE_CHUNK_ELEMENTS) {
      const len = Math.min(ELEMENTWISE_CHUNK_ELEMENTS, n - start);
      heap.set(x.subarray(start, start + len), base);
      kernel(scratch, scratch, len, a0, a1);
      out.set(len === ELEMENTWISE_CHUNK_ELEMENTS ? this.scratchView(len) : heap.subarray(base, base + len), start);
    }
  }

  /**
   * A view of the first `length` floats of scratch. The last one is kept: callers in a loop
   * mostly repeat one length, and making a view costs as much as copying a small array.
   */
  private scratchView(length: number): Float32Array {
    let view = this.lastScratchView;
    if (view === null || view.length !== length) {
      const base = this.scratch() >>> 2;
      view = this.lastScratchView = this.heap().subarray(base, base + length);
    }
    return view;
  }

  /** A view of the first `length` floats of the pair scratch's result chunk, kept as {@link scratchView} keeps its. */
  private pairView(length: number): Float32Array {
    let view = this.lastPairView;
    if (view === null || view.length !== length) {
      const base = (this.pairScratch() >>> 2) + 2 * CHUNK_ELEMENTS;
      view = this.lastPairView = this.heap().subarray(base, base + length);
    }
    return view;
  }

  reduction(definition: ReductionDefinition): ReductionRunner {
    const rowKernel = this.kernel(definition.wasm.rows);
    const stridedKernel = this.kernel(definition.wasm.strided);
    return (x, out, layout) => this.runReduction(rowKernel, stridedKernel, x, out, layout);
  }

  private runReduction(rowKernel: Kernel, stridedKernel: Kernel, x: Operand, out: Operand, layout: SliceLayout): void {
    const { outer, n, inner } = layout;
    const rows = inner === 1;
    const run = (src: number, dst: number, blocks: number): void => {
      if (rows) rowKernel(src, dst, blocks, n);
      else stridedKernel(src, dst, blocks, n, inner);
    };
    const mayGrow = this.scratchAddress < 0 || n * inner > CHUNK_ELEMENTS;
    const xAddress = this.addressOf(x, 'x', mayGrow);
    const outAddress = this.addressOf(out, 'out', mayGrow);
    if (xAddress >= 0 && outAddress >= 0) {
      run(xAddress, outAddress, outer); // zero copy
      return;
    }
    if (xAddress < 0 && outAddress >= 0) {
      this.heap().set(x as Float32Array, outAddress >>> 2);
      run(outAddress, outAddress, outer);
      return;
    }
    if (x.length === 0) return;
    // Through scratch, whole blocks of n * inner floats (for inner = 1: whole rows) per chunk,
    // never a split one. A single block larger than the chunk gets a block of its own for the
    // duration of the call.
    const block = n * inner;
    const blocksPerChunk = Math.max(1, Math.floor(CHUNK_ELEMENTS / block));
    const oversized = block > CHUNK_ELEMENTS;
    const scratch = oversized ? this.allocator.allocate(block * 4) : this.scratch();
    try {
      const heap = this.heap(); // after the allocation above, which may have grown memory
      const base = scratch >>> 2;
      for (let first = 0; first < outer; first += blocksPerChunk) {
        const count = Math.min(blocksPerChunk, outer - first);
        const start = first * block;
        const len = count * block;
        if (xAddress >= 0) {
          run(xAddress + start * 4, scratch, count);
        } else {
          const xs = x as Float32Array;
          heap.set(len === xs.length ? xs : xs.subarray(start, start + len), base);
          run(scratch, scratch, count);
        }
        (out as Float32Array).set(oversized ? heap.subarray(base, base + len) : this.scratchView(len), start);
      }
    } finally {
      if (oversized) this.allocator.release(scratch);
    }
  }

  /**
   * Three chunks of CHUNK_ELEMENTS floats for the backward passes' copying path (the two inputs
   * and the result), reserved on first use.
   */
  private pairScratch(): number {
    if (this.pairScratchAddress < 0) this.pairScratchAddress = this.allocator.allocate(3 * CHUNK_ELEMENTS * 4);
    return this.pairScratchAddress;
  }

  /**
   * Reserves both scratch regions of the copying path now (128 KiB), rather than on first use:
   * a threaded instance does, so that a call it runs on the calling thread finds them even while
   * other calls' staging fills memory up to maxMemoryBytes. Throws a RangeError if they do not fit.
   */
  reserveScratch(): void {
    this.scratch();
    this.pairScratch();
  }

  elementwiseBackward(definition: ElementwiseDefinition): ElementwiseBackwardRunner {
    const kernel = this.kernel(definition.backward.wasm);
    const backwardJs = definition.backward.js;
    const args = new KernelArgs(definition);
    const jsBelow = this.jsBelow(definition);
    return (dy, x, out, params) => {
      if (dy.length < jsBelow && !(dy instanceof ActivationBuffer) && !(x instanceof ActivationBuffer)
        && !(out instanceof ActivationBuffer)) {
        backwardJs(dy, x, out, dy.length, params);
        return;
      }
      const { a0, a1 } = args.of(params);
      this.runPair(dy, x, 'x', out, dy.length, 1, (g, s, d, count) => kernel(g, s, d, count, a0, a1));
    };
  }

  reductionBackward(definition: ReductionDefinition): ReductionBackwardRunner {
    const rowKernel = this.kernel(definition.backward.wasm.rows);
    const stridedKernel = this.kernel(definition.backward.wasm.strided);
    return (dy, y, out, layout) => {
      const { outer, n, inner } = layout;
      if (inner === 1) this.runPair(dy, y, 'y', out, outer, n, (g, s, d, blocks) => rowKernel(g, s, d, blocks, n));
      else this.runPair(dy, y, 'y', out, outer, n * inner, (g, s, d, blocks) => stridedKernel(g, s, d, blocks, n, inner));
    };
  }

  /**
   * Runs a two-input kernel `run(a, b, dst, blocks, start)` over `blocks` blocks of `block` floats
   * (element-wise: blocks of 1; `start`: the index in the whole input of the call's first
   * element, for kernels whose weights depend on the position). Zero copy when a, b and out are all in memory; otherwise whole
   * blocks go through the pair scratch, a chunk at a time, copying only the operands that are
   * not in memory (a to the first chunk, b to the second; the result lands in the third unless
   * out is in memory: apart from both inputs, which lets softmax's backward check its row while
   * it writes it). A block larger than a chunk gets three blocks of its own for the duration of
   * the call.
   */
  private runPair(
    a: Operand, b: Operand, bName: string, out: Operand, blocks: number, block: number,
    run: (a: number, b: number, dst: number, blocks: number, start: number) => void,
  ): void {
    const oversized = block > CHUNK_ELEMENTS;
    const mayGrow = this.pairScratchAddress < 0 || oversized;
    const aAddress = this.addressOf(a, 'dy', mayGrow);
    const bAddress = this.addressOf(b, bName, mayGrow);
    const outAddress = this.addressOf(out, 'out', mayGrow);
    if (aAddress >= 0 && bAddress >= 0 && outAddress >= 0) {
      run(aAddress, bAddress, outAddress, blocks, 0); // zero copy
      return;
    }
    if (blocks * block === 0) return;
    const chunk = oversized ? block : CHUNK_ELEMENTS;
    const scratch = oversized ? this.allocator.allocate(3 * block * 4) : this.pairScratch();
    try {
      const heap = this.heap(); // after the allocation above, which may have grown memory
      const base = scratch >>> 2;
      const second = scratch + chunk * 4;
      const result = scratch + 2 * chunk * 4;
      const blocksPerChunk = Math.max(1, Math.floor(chunk / block));
      for (let first = 0; first < blocks; first += blocksPerChunk) {
        const count = Math.min(blocksPerChunk, blocks - first);
        const start = first * block;
        const len = count * block;
        // A call in one chunk (most small ones) copies whole arrays: no subarray to make.
        const whole = len === a.length;
        let pa = scratch;
        if (aAddress >= 0) pa = aAddress + start * 4;
        else heap.set(whole ? a as Float32Array : (a as Float32Array).subarray(start, start + len), base);
        let pb = second;
        if (bAddress >= 0) pb = bAddress + start * 4;
        else heap.set(whole ? b as Float32Array : (b as Float32Array).subarray(start, start + len), second >>> 2);
        run(pa, pb, outAddress >= 0 ? outAddress + start * 4 : result, count, start);
        if (outAddress < 0) {
          (out as Float32Array).set(oversized ? heap.subarray(result >>> 2, (result >>> 2) + len) : this.pairView(len), start);
        }
      }
    } finally {
      if (oversized) this.allocator.release(scratch);
    }
  }

  /**
   * Makes the per-channel regions hold `weightBytes` and `sumBytes`. Growing them may grow
   * memory, which detaches views of it: plain views of memory among `operands` are rebuilt on
   * the new buffer (same address, same data) and returned in their place.
   */
  private channelRegions(weightBytes: number, sumBytes: number, operands: Operand[]): Operand[] {
    if (weightBytes <= this.weightBytes && sumBytes <= this.sumBytes) return operands;
    const before = bufferOf(this.heap());
    const offsets = operands.map((o) => (o instanceof Float32Array && bufferOf(o) === before ? byteOffsetOf(o) : -1));
    const lengths = operands.map((o) => o.length); // a detached view's length reads 0
    if (weightBytes > this.weightBytes) {
      if (this.weightAddress >= 0) this.allocator.release(this.weightAddress);
      this.weightAddress = -1;
      this.weightBytes = 0;
      this.weightAddress = this.allocator.allocate(weightBytes);
      this.weightBytes = weightBytes;
    }
    if (sumBytes > this.sumBytes) {
      if (this.sumAddress >= 0) this.allocator.release(this.sumAddress);
      this.sumAddress = -1;
      this.sumBytes = 0;
      this.sumAddress = this.allocator.allocate(sumBytes);
      this.sumBytes = sumBytes;
    }
    const buffer = this.heap().buffer;
    return operands.map((o, i) => (offsets[i] < 0 ? o : new Float32Array(buffer, offsets[i], lengths[i])));
  }

  /** Writes the weights of `plan` (tiled to its period, or as they are) to the weight region. */
  private writeWeights(plan: ChannelPlan, weights: Float32Array): void {
    const heap = this.heap();
    const base = this.weightAddress >>> 2;
    if (plan.period === 0) {
      heap.set(weights, base);
      return;
    }
    for (let k = 0; k < plan.period; k += weights.length) heap.set(weights, base + k);
  }

  channelwise(definition: ChannelwiseDefinition): ChannelwiseRunner {
    const one = this.kernel(definition.wasm.one);
    const blocks = this.kernel(definition.wasm.blocks);
    const periodic = this.kernel(definition.wasm.periodic);
    return (x, out, layout, weights) => {
      if (x.length < JS_BELOW && !(x instanceof ActivationBuffer) && !(out instanceof ActivationBuffer)) {
        definition.js(x, out, layout, weights);
        return;
      }
      if (layout.weights === 1) {
        this.runElementwise(one, x, out, weights[0], 0);
        return;
      }
      if (x.length === 0) return;
      const plan = channelPlan(layout);
      // The weights too may be a view of this memory (e.g. a buffer's array).
      [x, out, weights] = this.channelRegions(plan.slots * 4, 0, [x, out, weights]) as [Operand, Operand, Float32Array];
      this.writeWeights(plan, weights);
      const w = this.weightAddress;
      const { period } = plan;
      const { channels, inner } = layout;
      this.runPositioned(x, out, period > 0
        ? (src, dst, len, start) => periodic(src, dst, len, w, period, start % period)
        : (src, dst, len, start) => blocks(src, dst, len, inner, w, channels, start));
    };
  }

  /**
   * Runs `run(src, dst, len, start)` over x into out as runElementwise does (zero copy, one copy,
   * or chunks through scratch), passing the index of each call's first element in x.
   */
  private runPositioned(x: Operand, out: Operand, run: (src: number, dst: number, len: number, start: number) => void): void {
    const n = x.length;
    const mayGrow = this.scratchAddress < 0;
    const xAddress = this.addressOf(x, 'x', mayGrow);
    const outAddress = this.addressOf(out, 'out', mayGrow);
    if (xAddress >= 0 && outAddress >= 0) {
      run(xAddress, outAddress, n, 0); // zero copy
      return;
    }
    if (xAddress < 0 && outAddress >= 0) {
      this.heap().set(x as Float32Array, outAddress >>> 2);
      run(outAddress, outAddress, n, 0);
      return;
    }
    const scratch = this.scratch();
    const heap = this.heap(); // after scratch(), which may have grown memory
    const base = scratch >>> 2;
    for (let start = 0; start < n; start += ELEMENTWISE_CHUNK_ELEMENTS) {
      const len = Math.min(ELEMENTWISE_CHUNK_ELEMENTS, n - start);
      if (xAddress >= 0) {
        run(xAddress + start * 4, scratch, len, start);
      } else {
        heap.set((x as Float32Array).subarray(start, start + len), base);
        run(scratch, scratch, len, start);
      }
      (out as Float32Array).set(heap.subarray(base, base + len), start);
    }
  }

  channelwiseBackward(definition: ChannelwiseDefinition): ChannelwiseBackwardRunner {
    const backward = definition.backward;
    const one = this.kernel(backward.wasm.one) as unknown as (...args: number[]) => number;
    const blocks = this.kernel(backward.wasm.blocks);
    const periodic = this.kernel(backward.wasm.periodic);
    return (dy, x, out, layout, weights) => {
      const n = dy.length;
      const sums = new Float64Array(layout.weights);
      if (n < JS_BELOW && !(dy instanceof ActivationBuffer) && !(x instanceof ActivationBuffer)
        && !(out instanceof ActivationBuffer)) {
        backward.js(dy, x, out, sums, layout, weights);
        return sums;
      }
      if (layout.weights === 1) {
        const w = weights[0];
        let total = 0;
        this.runPair(dy, x, 'x', out, n, 1, (g, s, d, len) => {
          total += one(g, s, d, len, w);
        });
        sums[0] = total;
        return sums;
      }
      if (n === 0) return sums;
      const plan = channelPlan(layout);
      [dy, x, out, weights] = this.channelRegions(plan.slots * 4, plan.slots * 8, [dy, x, out, weights]) as [Operand, Operand, Operand, Float32Array];
      this.writeWeights(plan, weights);
      new Float64Array(this.memory.buffer, this.sumAddress, plan.slots).fill(0);
      const w = this.weightAddress;
      const acc = this.sumAddress;
      const { period } = plan;
      const { channels, inner } = layout;
      this.runPair(dy, x, 'x', out, n, 1, period > 0
        ? (g, s, d, len, start) => periodic(g, s, d, len, w, period, start % period, acc)
        : (g, s, d, len, start) => blocks(g, s, d, len, inner, w, channels, start, acc));
      // After runPair, which may have grown memory: a fresh view of the sums.
      const slots = new Float64Array(this.memory.buffer, acc, plan.slots);
      for (let k = 0; k < plan.slots; k++) sums[k % channels] += slots[k];
      return sums;
    };
  }
  /**
   * A gated kernel `(src, dst, outer, m)` over x ([outer, 2, m]) into out ([outer, m]). Zero copy
   * when both are buffers of this instance; otherwise through the scratch chunk (CHUNK_ELEMENTS
   * floats), in place there (the kernel's output block o, [o m, o m + m), ends at or before its
   * input block's b half, and within block 0 each v128 of a is loaded before y is stored over
   * it): whole blocks of 2m floats per chunk when 2m fits, else each block's m split into ranges
   * of CHUNK_ELEMENTS / 2, the a range and the b range copied in as [a | b] and run with outer = 1.
   * Memory never grows with the input.
   */
  gated(definition: GatedDefinition): GatedRunner {
    const kernel = this.kernel(definition.wasm.export);
    return (x, out, layout) => {
      if (x.length < JS_BELOW && !(x instanceof ActivationBuffer) && !(out instanceof ActivationBuffer)) {
        definition.js(x, out, layout);
        return;
      }
      const { outer, m } = layout;
      const mayGrow = this.scratchAddress < 0;
      const xAddress = this.addressOf(x, 'x', mayGrow);
      const outAddress = this.addressOf(out, 'out', mayGrow);
      if (xAddress >= 0 && outAddress >= 0) {
        kernel(xAddress, outAddress, outer, m); // zero copy
        return;
      }
      if (outer * m === 0) return;
      const scratch = this.scratch();
      const heap = this.heap(); // after scratch(), which may have grown memory
      const base = scratch >>> 2;
      const xs = xAddress >= 0 ? heap.subarray(xAddress >>> 2, (xAddress >>> 2) + x.length) : x as Float32Array;
      const os = outAddress >= 0 ? heap.subarray(outAddress >>> 2, (outAddress >>> 2) + out.length) : out as Float32Array;
      const block = 2 * m;
      if (block <= CHUNK_ELEMENTS) {
        const blocksPerChunk = Math.floor(CHUNK_ELEMENTS / block);
        for (let first = 0; first < outer; first += blocksPerChunk) {
          const count = Math.min(blocksPerChunk, outer - first);
          heap.set(count * block === xs.length ? xs : xs.subarray(first * block, (first + count) * block), base);
          kernel(scratch, scratch, count, m);
          os.set(heap.subarray(base, base + count * m), first * m);
        }
        return;
      }
      const range = CHUNK_ELEMENTS / 2;
      for (let o = 0; o < outer; o++) {
        const a = o * block;
        for (let r = 0; r < m; r += range) {
          const len = Math.min(range, m - r);
          heap.set(xs.subarray(a + r, a + r + len), base);
          heap.set(xs.subarray(a + m + r, a + m + r + len), base + len);
          kernel(scratch, scratch, 1, len);
          os.set(heap.subarray(base, base + len), o * m + r);
        }
      }
    };
  }

  /**
   * A gated backward kernel `(dy, x, dx, outer, m)`. Zero copy when dy, x and out are all buffers
   * of this instance; otherwise through the pair scratch (three chunks: dy, x, dx), whole blocks
   * per chunk when 2m fits, else ranges of CHUNK_ELEMENTS / 2 of each block's m (dy's range; x's a
   * and b ranges as [a | b]; dx's likewise, copied back to both halves). In place (out = x): each
   * chunk of x is copied in before dx's chunk is copied over it.
   */
  gatedBackward(definition: GatedDefinition): GatedBackwardRunner {
    const kernel = this.kernel(definition.backward.wasm);
    const backwardJs = definition.backward.js;
    return (dy, x, out, layout) => {
      if (x.length < JS_BELOW && !(dy instanceof ActivationBuffer) && !(x instanceof ActivationBuffer)
        && !(out instanceof ActivationBuffer)) {
        backwardJs(dy, x, out, layout);
        return;
      }
      const { outer, m } = layout;
      const mayGrow = this.pairScratchAddress < 0;
      const dyAddress = this.addressOf(dy, 'dy', mayGrow);
      const xAddress = this.addressOf(x, 'x', mayGrow);
      const outAddress = this.addressOf(out, 'out', mayGrow);
      if (dyAddress >= 0 && xAddress >= 0 && outAddress >= 0) {
        kernel(dyAddress, xAddress, outAddress, outer, m); // zero copy
        return;
      }
      if (outer * m === 0) return;
      const scratch = this.pairScratch();
      const heap = this.heap(); // after pairScratch(), which may have grown memory
      const view = (operand: Operand, address: number): Float32Array =>
        address >= 0 ? heap.subarray(address >>> 2, (address >>> 2) + operand.length) : operand as Float32Array;
      const dys = view(dy, dyAddress);
      const xs = view(x, xAddress);
      const os = view(out, outAddress);
      const g = scratch;
      const s = scratch + CHUNK_ELEMENTS * 4;
      const d = scratch + 2 * CHUNK_ELEMENTS * 4;
      const block = 2 * m;
      if (block <= CHUNK_ELEMENTS) {
        const blocksPerChunk = Math.floor(CHUNK_ELEMENTS / block);
        for (let first = 0; first < outer; first += blocksPerChunk) {
          const count = Math.min(blocksPerChunk, outer - first);
          heap.set(dys.subarray(first * m, (first + count) * m), g >>> 2);
          heap.set(xs.subarray(first * block, (first + count) * block), s >>> 2);
          kernel(g, s, d, count, m);
          os.set(heap.subarray(d >>> 2, (d >>> 2) + count * block), first * block);
        }
        return;
      }
      const range = CHUNK_ELEMENTS / 2;
      for (let o = 0; o < outer; o++) {
        const a = o * block;
        for (let r = 0; r < m; r += range) {
          const len = Math.min(range, m - r);
          heap.set(dys.subarray(o * m + r, o * m + r + len), g >>> 2);
          heap.set(xs.subarray(a + r, a + r + len), s >>> 2);
          heap.set(xs.subarray(a + m + r, a + m + r + len), (s >>> 2) + len);
          kernel(g, s, d, 1, len);
          os.set(heap.subarray(d >>> 2, (d >>> 2) + len), a + r);
          os.set(heap.subarray((d >>> 2) + len, (d >>> 2) + 2 * len), a + m + r);
        }
      }
    };
  }
}
