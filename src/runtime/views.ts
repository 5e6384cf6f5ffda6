// A typed array's byteOffset and buffer, read through %TypedArray%.prototype's own getters called
// directly. The argument checks read them on every call that passes `out` (the overlap check), and
// V8 11 (Node 20) does not inline these accessors as property reads: two `.byteOffset` reads cost
// 27 ns, the same two getter calls 6.4 ns (two `.buffer` reads 42 ns, the getter calls 21 ns;
// V8/x64, an optimized loop). At n = 16 that was a quarter of relu's call: 102 -> 77 ns. The
// getters are the ones a property read would run, so the values (and, for a view whose buffer
// was detached, the zeros) are the same in every engine.

const typedArrayPrototype = Object.getPrototypeOf(Float32Array.prototype) as object;
const byteOffsetGetter = Object.getOwnPropertyDescriptor(typedArrayPrototype, 'byteOffset')!.get!;
const bufferGetter = Object.getOwnPropertyDescriptor(typedArrayPrototype, 'buffer')!.get!;

/** `view.byteOffset`, by the getter itself (see above). */
export function byteOffsetOf(view: Float32Array): number {
  return byteOffsetGetter.call(view) as number;
}

/** `view.buffer`, by the getter itself (see above). */
export function bufferOf(view: Float32Array): ArrayBufferLike {
  return bufferGetter.call(view) as ArrayBufferLike;
}

/** Whether Float32Array views `a` and `b` share any byte of memory (both non-empty, one buffer, ranges that intersect). */
export function viewsOverlap(a: Float32Array, b: Float32Array): boolean {
  if (a.length === 0 || b.length === 0 || bufferOf(a) !== bufferOf(b)) return false;
  const aStart = byteOffsetOf(a);
  const bStart = byteOffsetOf(b);
  return aStart < bStart + 4 * b.length && bStart < aStart + 4 * a.length;
}
