// The floors under every kernel: moving the same bytes without computing anything.
//  - "set in + out": what the copying API must do at least, a TypedArray set() into wasm memory
//    and one back out (as many bytes as the copying path moves);
//  - "memory.copy": the engine's bulk copy of n floats inside wasm memory (read n, write n, as a
//    zero-copy kernel does).
import type { WasmMemory } from '../src/runtime/wasm-types.js';

/** A limit the benchmark times beside the kernels. */
export interface Limit {
  readonly id: 'set in + out' | 'memory.copy';
  /** What it moves, for the report. */
  readonly note: string;
  prepare(x: Float32Array): () => void;
}

/**
 * A module of its own for the memory.copy limit (the package's builds carry no benchmark code):
 *   (module
 *     (memory (export "memory") 1)
 *     (func (export "copyFloats") (param $src i32) (param $dst i32) (param $n i32)
 *       (memory.copy (local.get $dst) (local.get $src) (i32.shl (local.get $n) (i32.const 2)))))
 */
const MEMORY_COPY_MODULE = new Uint8Array([
  0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, // magic, version 1
  0x01, 0x07, 0x01, 0x60, 0x03, 0x7f, 0x7f, 0x7f, 0x00, // types: (i32, i32, i32) -> ()
  0x03, 0x02, 0x01, 0x00, // functions: one of type 0
  0x05, 0x03, 0x01, 0x00, 0x01, // memories: one, 1 page, no maximum
  0x07, 0x17, 0x02, // exports: two
  0x06, ...Array.from('memory', (c) => c.charCodeAt(0)), 0x02, 0x00,
  0x0a, ...Array.from('copyFloats', (c) => c.charCodeAt(0)), 0x00, 0x00,
  0x0a, 0x11, 0x01, 0x0f, 0x00, // code: one body of 15 bytes, no locals
  0x20, 0x01, 0x20, 0x00, 0x20, 0x02, 0x41, 0x02, 0x74, // local.get dst, src, n; i32.const 2; i32.shl
  0xfc, 0x0a, 0x00, 0x00, 0x0b, // memory.copy (memory 0 to memory 0); end
]);

/** Heap offsets (in quarters of the input) of the set in + out placements tried. */
const PLACEMENTS = [0, 1, 2] as const;
/** Calls timed per placement when picking the fastest (after as many untimed ones): about 16 MiB of copies, 2 to 20 calls. */
function pickCalls(length: number): number {
  return Math.max(2, Math.min(20, Math.round((1 << 22) / length)));
}

/** The candidate whose `calls` calls take the least wall time (each warmed up first). */
function fastestOf(candidates: readonly (() => void)[], calls: number): () => void {
  let best = candidates[0];
  let bestTime = Infinity;
  for (const run of candidates) {
    for (let i = 0; i < calls; i++) run();
    const start = performance.now();
    for (let i = 0; i < calls; i++) run();
    const time = performance.now() - start;
    if (time < bestTime) {
      bestTime = time;
      best = run;
    }
  }
  return best;
}

/** The two limits over one wasm instance of their own. */
export function limits(): Limit[] {
  const { exports } = new WebAssembly.Instance(new WebAssembly.Module(MEMORY_COPY_MODULE), {}) as unknown as {
    exports: { memory: WasmMemory; copyFloats: (src: number, dst: number, n: number) => void };
  };
  const { memory, copyFloats } = exports;
  const ensure = (bytes: number): Float32Array => {
    const missing = bytes - memory.buffer.byteLength;
    if (missing > 0) memory.grow(Math.ceil(missing / 65536));
    return new Float32Array(memory.buffer);
  };
  return [
    {
      id: 'set in + out',
      note: 'TypedArray set() of the input into wasm memory and of as many floats back out, the fastest of three placements of the arrays: the least a copying call moves',
      prepare(x) {
        // As much memory as memory.copy's prepare asks for: both limits are prepared before
        // either is timed (interleaved rounds), and growing the memory would detach this view.
        const heap = ensure(x.length * 8);
        // The same two copies cost 0.059 to 0.158 ns/element at 64Ki depending on where the
        // arrays land (measured in one process: fresh arrays at other offsets, 1.5-2.5x apart),
        // so the limit, the least the copies can cost, takes the fastest of a few placements.
        const candidates = PLACEMENTS.map((k) => {
          const out = new Float32Array(x.length);
          const at = k * (x.length >>> 2); // 0, n/4, n/2 floats into memory, all within 2n
          const view = heap.subarray(at, at + x.length);
          return () => {
            heap.set(x, at);
            out.set(view);
          };
        });
        return fastestOf(candidates, pickCalls(x.length));
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
