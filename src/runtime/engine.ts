// Runs a definition on one backend. The js engine calls the definition's own loop; the wasm
// engine streams the input through a bounded scratch region of the instance's memory, one chunk
// at a time: copy in, run the kernel in place, copy out. Scratch never grows with the input
// (except to hold one whole softmax slice block when a single one is larger than a chunk).
import type { Backend, ElementwiseDefinition, ParamValues, ReductionDefinition } from '../spec.js';
import type { KernelExports } from './loader.js';
import { LinearMemory } from './memory.js';
import type { SliceLayout } from './validate.js';

/** Executes checked calls: the arguments are valid, `out` has the length of `x`. */
export interface Engine {
  readonly backend: Backend;
  elementwise(definition: ElementwiseDefinition, x: Float32Array, out: Float32Array, params: ParamValues): void;
  reduction(definition: ReductionDefinition, x: Float32Array, out: Float32Array, layout: SliceLayout, params: ParamValues): void;
}

/** Plain JavaScript: each definition's own float64 loop. */
export class JsEngine implements Engine {
  readonly backend = 'js';

  elementwise(definition: ElementwiseDefinition, x: Float32Array, out: Float32Array, params: ParamValues): void {
    definition.js(x, out, x.length, params);
  }

  reduction(definition: ReductionDefinition, x: Float32Array, out: Float32Array, layout: SliceLayout, params: ParamValues): void {
    definition.js(x, out, layout.outer, layout.n, layout.inner, params);
  }
}

/**
 * Elements per chunk of the copying path: 16Ki floats (64 KiB) stays in L2 and keeps the
 * per-chunk call overhead below 1% of the work.
 */
export const CHUNK_ELEMENTS = 16384;

type Kernel = (...args: number[]) => void;

/** One wasm instance (simd or scalar build) and its memory. */
export class WasmEngine implements Engine {
  readonly memory: LinearMemory;
  private readonly scratch = 0; // byte address of the scratch region

  constructor(
    readonly backend: Exclude<Backend, 'js'>,
    private readonly kernels: KernelExports,
  ) {
    this.memory = new LinearMemory(kernels.memory);
  }

  private kernel(name: string): Kernel {
    const fn = this.kernels[name];
    if (typeof fn !== 'function') throw new Error(`the wasm module has no export '${name}'`);
    return fn as Kernel;
  }

  elementwise(definition: ElementwiseDefinition, x: Float32Array, out: Float32Array, params: ParamValues): void {
    const n = x.length;
    if (n === 0) return;
    const kernel = this.kernel(definition.wasm.export);
    const [a0 = 0, a1 = 0] = definition.wasm.args.map((name) => params[name]);
    const chunk = Math.min(n, CHUNK_ELEMENTS);
    this.memory.ensure(this.scratch + chunk * 4);
    const heap = this.memory.f32;
    const base = this.scratch >>> 2;
    for (let start = 0; start < n; start += chunk) {
      const len = Math.min(chunk, n - start);
      heap.set(len === n ? x : x.subarray(start, start + len), base);
      kernel(this.scratch, this.scratch, len, a0, a1);
      out.set(heap.subarray(base, base + len), start);
    }
  }

  reduction(definition: ReductionDefinition, x: Float32Array, out: Float32Array, layout: SliceLayout, _params: ParamValues): void {
    const { outer, n, inner } = layout;
    if (x.length === 0) return;
    // Whole blocks of n * inner floats (for inner = 1: whole rows) per chunk, never a split one.
    const block = n * inner;
    const blocksPerChunk = Math.max(1, Math.floor(CHUNK_ELEMENTS / block));
    const chunk = Math.min(outer, blocksPerChunk) * block;
    this.memory.ensure(this.scratch + chunk * 4);
    const heap = this.memory.f32;
    const base = this.scratch >>> 2;
    const rows = inner === 1;
    const kernel = this.kernel(rows ? definition.wasm.rows : definition.wasm.strided);
    for (let first = 0; first < outer; first += blocksPerChunk) {
      const count = Math.min(blocksPerChunk, outer - first);
      const start = first * block;
      const len = count * block;
      heap.set(len === x.length ? x : x.subarray(start, start + len), base);
      if (rows) kernel(this.scratch, this.scratch, count, n);
      else kernel(this.scratch, this.scratch, count, n, inner);
      out.set(heap.subarray(base, base + len), start);
    }
  }
}
