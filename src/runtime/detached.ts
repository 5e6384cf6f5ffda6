// The wasm memories that have grown since a view of them was taken. Growing a (non-shared)
// WebAssembly.Memory detaches its ArrayBuffer, and every Float32Array over it reads as empty from
// then on, so a kept `buffer.array` passed as x would silently be an empty input. The allocator,
// through which every growth goes, records each buffer it detached; the argument checks look a
// zero-length Float32Array up here (a WeakSet: the old buffers are not kept alive by it).

const detachedMemories = new WeakSet<ArrayBufferLike>();

/** Records `buffer`, a wasm memory's buffer that growing the memory just detached. */
export function noteDetached(buffer: ArrayBufferLike): void {
  detachedMemories.add(buffer);
}

/** Whether `view` is a view of a wasm memory that has grown since (detached, so empty). */
export function isDetachedMemoryView(view: Float32Array): boolean {
  return view.length === 0 && detachedMemories.has(view.buffer);
}

/** The message for such a view passed as `name`. */
export function detachedViewMessage(name: string): string {
  return `${name} is a view of wasm memory that has grown since (growth detaches every view): read the buffer's array again, or pass the ActivationBuffer itself`;
}
