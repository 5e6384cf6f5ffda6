// The tensor a module's forward() keeps for its backward(): a copy, so that changing x (or y)
// in place after forward() cannot change the gradient. The copy lives in storage the module owns
// and reuses across calls: a Float32Array (grown when a call is longer, a view of its start when
// shorter) for array inputs, and for ActivationBuffer inputs a buffer of the same instance, so a
// zero-copy forward keeps a zero-copy backward (the copy is a memmove inside wasm memory).
import type { Activations } from '../instance.js';
import { ActivationBuffer } from '../runtime/buffer.js';

/** A module's saved tensor and the instance its forward() ran on. */
export class SavedTensor {
  #array: Float32Array | null = null;
  #view: Float32Array | null = null;
  #buffer: ActivationBuffer | null = null;
  #bufferOwner: Activations | null = null;
  #tensor: Float32Array | ActivationBuffer | null = null;
  #owner: Activations | null = null;
  #ready = false;

  /** Whether a forward() completed since the last clear() or release(). */
  get ready(): boolean {
    return this.#ready;
  }

  /** The saved tensor (valid when ready). */
  get tensor(): Float32Array | ActivationBuffer {
    return this.#tensor as Float32Array | ActivationBuffer;
  }

  /** The instance the forward() ran on (valid when ready): its backward runs there too. */
  get owner(): Activations {
    return this.#owner as Activations;
  }

  /** Forgets the saved tensor (kept storage is reused by the next store()). */
  clear(): void {
    this.#ready = false;
  }

  /**
   * Makes the storage ready for a tensor of `n` floats: a buffer of `owner` (the instance the
   * call runs on) when `inMemory`, allocated when the length or the instance changed (which may
   * grow that instance's memory), else an array. Then {@link store} fills it, and {@link commit}
   * marks it once the forward pass succeeded.
   */
  prepare(owner: Activations, n: number, inMemory: boolean): void {
    this.#ready = false;
    if (inMemory) {
      let buffer = this.#buffer;
      if (buffer === null || buffer.freed || buffer.length !== n || this.#bufferOwner !== owner) {
        this.#freeBuffer();
        buffer = owner.allocate(n);
        this.#buffer = buffer;
        this.#bufferOwner = owner;
      }
      this.#tensor = buffer;
    } else {
      this.#freeBuffer(); // an array forward: give the instance its memory back
      if (this.#array === null || this.#array.length < n) {
        this.#array = new Float32Array(n);
        this.#view = null;
      }
      if (this.#view === null || this.#view.length !== n) this.#view = this.#array.subarray(0, n);
      this.#tensor = this.#view;
    }
    this.#owner = owner;
  }

  /** Copies `source` (of the prepared length) into the prepared storage. */
  store(source: Float32Array | ActivationBuffer): void {
    const target = this.#tensor as Float32Array | ActivationBuffer;
    (target instanceof ActivationBuffer ? target.array : target).set(source instanceof ActivationBuffer ? source.array : source);
  }

  /** Marks the stored tensor as the one backward() uses. */
  commit(): void {
    this.#ready = true;
  }

  /** Drops the saved tensor and its storage, freeing its buffer in the instance's memory, if any. */
  release(): void {
    this.#ready = false;
    this.#freeBuffer();
    this.#array = null;
    this.#view = null;
    this.#tensor = null;
    this.#owner = null;
  }

  #freeBuffer(): void {
    if (this.#buffer !== null && !this.#buffer.freed) this.#buffer.free();
    this.#buffer = null;
    this.#bufferOwner = null;
    if (this.#tensor instanceof ActivationBuffer) this.#tensor = null;
  }
}
