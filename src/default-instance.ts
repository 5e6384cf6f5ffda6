// The process-wide default instance behind the top-level functions and init().
import {
  createActivations, createActivationsSync, type Activations, type BackendInfo, type CreateOptions,
} from './instance.js';
import type { MemoryStats } from './runtime/allocator.js';
import type { ActivationBuffer } from './runtime/buffer.js';
import type { Backend } from './spec.js';

let current: Activations | null = null;

/**
 * Picks and loads the default backend: the fastest this engine runs ('auto', the default) or
 * the one forced by `options.backend` (an Error says why when it cannot run). Resolves to the
 * backend in use. Calling it again switches the default instance. `threads` is a TypeError: the
 * top-level functions are synchronous (createActivations({ threads }) makes a threaded instance).
 */
export async function init(options?: CreateOptions): Promise<Backend> {
  if (options !== null && typeof options === 'object' && (options as { threads?: unknown }).threads !== undefined) {
    // createActivations would make a threaded instance, whose functions return Promises: the
    // top-level functions (typed and documented as synchronous) would then return Promises too.
    throw new TypeError("init() has no 'threads' option: the top-level functions run on the calling thread; createActivations({ threads }) makes a threaded instance");
  }
  current = await createActivations(options);
  return current.backend;
}

/** {@link init}, synchronously: for Node and workers (browsers limit sync compiles on the main thread). */
export function initSync(options?: CreateOptions): Backend {
  current = createActivationsSync(options);
  return current.backend;
}

/** The default instance's backend, or null before init()/initSync() or the first call. */
export function backend(): Backend | null {
  return current?.backend ?? null;
}

/**
 * The default instance's backend, what was asked for and why each faster backend was passed
 * over (e.g. a Content-Security-Policy without 'wasm-unsafe-eval'), or null before
 * init()/initSync() or the first call.
 */
export function backendInfo(): BackendInfo | null {
  return current?.backendInfo ?? null;
}

/**
 * The default instance; the first call without init() runs initSync() with 'auto'. In a browser
 * main thread, where synchronous compilation of the wasm may be refused, call `await init()` first.
 */
export function defaultActivations(): Activations {
  if (current) return current;
  try {
    return (current = createActivationsSync());
  } catch (error) {
    throw new Error(`wasm-activations could not initialise synchronously; call \`await init()\` before the first call (${(error as Error).message})`, { cause: error });
  }
}

/** A buffer of the default instance's memory (see Activations.allocate). */
export function allocate(length: number): ActivationBuffer {
  return defaultActivations().allocate(length);
}

/** The default instance's memory use (see Activations.memoryStats). */
export function memoryStats(): MemoryStats {
  return defaultActivations().memoryStats();
}
