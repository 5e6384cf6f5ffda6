// Buffers that live in an instance's memory: the zero-copy way to call the activations. A
// wasm instance's buffers are blocks of its linear memory, so an activation whose x and out are
// both buffers runs on them where they are, copying nothing. Memory growth detaches every view
// of the old memory, so `array` rebuilds its view whenever that happened.

/** What a buffer needs from the instance that owns it. */
export interface BufferHost {
  /** A Float32Array over `length` floats at byte `address` of the current memory. */
  view(address: number, length: number): Float32Array;
  /** Whether a view made by view() is still valid (memory growth detaches old views). */
  isCurrent(view: Float32Array): boolean;
  /** Gives the block back. */
  release(address: number): void;
}

// Symbol.dispose exists in Node >= 20 and recent browsers; elsewhere the well-known-symbol
// registry key the TypeScript `using` helpers look up.
const disposeSymbol: typeof Symbol.dispose = (Symbol as { dispose?: typeof Symbol.dispose }).dispose ?? (Symbol.for('Symbol.dispose') as typeof Symbol.dispose);

// The package's own ways in, set by the class's static initializer below (which may reach its
// private members): neither is a member of the public type, so users see neither a constructor
// nor an address.
/** A new buffer of `host` at byte `address` (for the engines' allocate(), not for users). */
export let newBuffer: (host: BufferHost, address: number, length: number) => ActivationBuffer;
/**
 * The byte address of `buffer` in `host`'s memory: a TypeError naming `name` when the buffer
 * belongs to another instance, an Error once it is freed.
 */
export let bufferAddress: (buffer: ActivationBuffer, host: BufferHost, name: string) => number;

/**
 * `length` float32 values living in an Activations instance's memory. Pass it as `x` or `out` of
 * that instance's functions to avoid copying; read and write it through `array`. Free it with
 * `free()` or a `using` declaration; a freed buffer cannot be used again.
 */
export class ActivationBuffer {
  readonly #host: BufferHost;
  readonly #address: number;
  readonly #length: number;
  #view: Float32Array | null = null;
  #freed = false;

  /** Made by an instance's `allocate()`, not by users. */
  private constructor(host: BufferHost, address: number, length: number) {
    this.#host = host;
    this.#address = address;
    this.#length = length;
  }

  // A private static field's initializer, not a static block: those need Chrome 94 and Firefox 93,
  // past what the private fields already need (Chrome 74, Firefox 90).
  static #wired = ((): boolean => {
    newBuffer = (host, address, length) => new ActivationBuffer(host, address, length);
    bufferAddress = (buffer, host, name) => {
      if (host !== buffer.#host) throw new TypeError(`${name} is a buffer of another Activations instance; use that instance or copy its array`);
      buffer.#check(`use ${name} after free`);
      return buffer.#address;
    };
    return true;
  })();

  /** Number of float32 elements. */
  get length(): number {
    return this.#length;
  }

  /**
   * A Float32Array over the buffer's memory, valid until the next call that may grow memory
   * (an allocate() or a copying call): read `array` again rather than keeping the view.
   */
  get array(): Float32Array {
    this.#check('read');
    if (this.#view === null || !this.#host.isCurrent(this.#view)) {
      this.#view = this.#host.view(this.#address, this.#length);
    }
    return this.#view;
  }

  /** Whether free() was called. */
  get freed(): boolean {
    return this.#freed;
  }

  /** Gives the memory back to the instance. Throws when called twice. */
  free(): void {
    if (this.#freed) throw new Error('this ActivationBuffer was already freed');
    this.#freed = true;
    this.#view = null;
    this.#host.release(this.#address);
  }

  /** free(), for `using buffer = acts.allocate(n)`. Does nothing if already freed. */
  [disposeSymbol](): void {
    if (!this.#freed) this.free();
  }

  #check(what: string): void {
    if (this.#freed) throw new Error(`cannot ${what}: this ActivationBuffer was freed`);
  }
}
