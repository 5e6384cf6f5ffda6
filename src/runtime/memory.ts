// The linear memory of one wasm instance, as the TypeScript side sees it. The module has no
// static data and allocates nothing, so all of its memory is ours. Growing the memory detaches
// every view of the old buffer, so the Float32Array view is rebuilt whenever that happened.

/** Bytes per wasm page. */
const PAGE = 65536;

/** One instance's linear memory: growth on demand and an always-valid float32 view. */
export class LinearMemory {
  private view: Float32Array;

  constructor(readonly memory: WebAssembly.Memory) {
    this.view = new Float32Array(memory.buffer);
  }

  /** A float32 view of all of memory, rebuilt if growth detached the previous one. */
  get f32(): Float32Array {
    if (this.view.buffer !== this.memory.buffer) this.view = new Float32Array(this.memory.buffer);
    return this.view;
  }

  /** Size of memory in bytes. */
  get byteLength(): number {
    return this.memory.buffer.byteLength;
  }

  /**
   * Grows memory (if needed) so that it is at least `bytes` long. Throws a RangeError, and grows
   * nothing, when the engine refuses the growth.
   */
  ensure(bytes: number): void {
    const missing = bytes - this.memory.buffer.byteLength;
    if (missing <= 0) return;
    try {
      this.memory.grow(Math.ceil(missing / PAGE));
    } catch (error) {
      throw new RangeError(`cannot grow wasm memory to ${bytes} bytes: ${(error as Error).message}`);
    }
  }
}
