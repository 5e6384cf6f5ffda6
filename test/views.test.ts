// The typed-array reads of the argument checks (src/runtime/views.ts): the getters called
// directly must answer as the properties do, and the overlap test must hold at every edge.
import { describe, expect, it } from 'vitest';
import { bufferOf, byteOffsetOf, viewsOverlap } from '../src/runtime/views.js';

describe('views', () => {
  it('byteOffsetOf and bufferOf answer as the properties, also for a detached view', () => {
    const memory = new ArrayBuffer(64);
    for (const view of [new Float32Array(4), new Float32Array(memory, 12, 3), new Float32Array(memory).subarray(5)]) {
      expect(byteOffsetOf(view)).toBe(view.byteOffset);
      expect(bufferOf(view)).toBe(view.buffer);
    }
    const wasm = new WebAssembly.Memory({ initial: 1 });
    const view = new Float32Array(wasm.buffer, 32, 4);
    wasm.grow(1); // detaches the old buffer: its views read as empty at offset 0
    expect([view.length, byteOffsetOf(view)]).toEqual([0, view.byteOffset]);
    expect(bufferOf(view)).toBe(view.buffer);
  });

  it('viewsOverlap: shared bytes only, in either order', () => {
    const all = new Float32Array(16);
    const at = (start: number, end: number) => all.subarray(start, end);
    const cases: [Float32Array, Float32Array, boolean][] = [
      [at(0, 4), at(4, 8), false], // adjacent
      [at(0, 4), at(3, 8), true], // one element
      [at(2, 6), at(2, 6), true], // the same range
      [at(0, 16), at(7, 8), true], // inside
      [at(5, 5), at(0, 16), false], // empty
      [at(0, 4), new Float32Array(4), false], // another buffer
      [at(0, 4), new Float32Array(all.buffer, 0, 4), true], // another view of the same bytes
    ];
    for (const [a, b, expected] of cases) {
      expect(viewsOverlap(a, b), `[${a.byteOffset}, +${a.length}) and [${b.byteOffset}, +${b.length})`).toBe(expected);
      expect(viewsOverlap(b, a)).toBe(expected);
    }
  });
});
