// The floors under every kernel: moving the same bytes without computing anything.
//  - "set in + out": what the copying API must do at least, a TypedArray set() into wasm memory
//    and one back out (as many bytes as the copying path moves);
//  - "memory.copy": the engine's bulk copy of n floats inside wasm memory (read n, write n, as a
//    zero-copy kernel does).
import { compileSync, instantiateSync } from '../src/runtime/loader.js';

/** A limit the benchmark times beside the kernels. */
export interface Limit {
  readonly id: 'set in + out' | 'memory.copy';
  /** What it moves, for the report. */
  readonly note: string;
  prepare(x: Float32Array): () => void;
}

/** The two limits over one wasm instance of their own. */
export function limits(): Limit[] {
  const exports = instantiateSync(compileSync('simd'));
  const memory = exports.memory;
  const copyFloats = exports.copyFloats as (src: number, dst: number, n: number) => void;
  const ensure = (bytes: number): Float32Array => {
    const missing = bytes - memory.buffer.byteLength;
    if (missing > 0) memory.grow(Math.ceil(missing / 65536));
    return new Float32Array(memory.buffer);
  };
  return [
    {
      id: 'set in + out',
      note: 'TypedArray set() of the input into wasm memory and of as many floats back out: the least a copying call moves',
      prepare(x) {
        // As much memory as memory.copy's prepare asks for: both limits are prepared before
        // either is timed (interleaved rounds), and growing the memory would detach this view.
        const heap = ensure(x.length * 8);
        const out = new Float32Array(x.length);
        const view = heap.subarray(0, x.length);
        return () => {
          heap.set(x, 0);
          out.set(view);
        };
      },
    },
    {
      id: 'memory.copy',
      note: 'wasm memory.copy of n floats inside wasm memory (read n, write n, as a zero-copy kernel does)',
      prepare(x) {
        const heap = ensure(x.length * 8);
        heap.set(x, 0);
        return () => copyFloats(0, x.length * 4, x.length);
      },
    },
  ];
}
