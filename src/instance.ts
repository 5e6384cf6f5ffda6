// An Activations instance: one backend (and, for wasm, one instance with its own memory) and
// a function per registry entry, with the argument checks in front of the engine.
import { definitions, type ActivationName } from './registry.js';
import {
  buildOf, compile, compileSync, instantiate, instantiateSync, unavailableReason,
} from './runtime/loader.js';
import type { MemoryStats } from './runtime/allocator.js';
import type { ThreadedActivations, ThreadedCreateOptions } from './threads/instance.js';
import { ActivationBuffer } from './runtime/buffer.js';
import { DEFAULT_MAX_MEMORY_BYTES, JsEngine, WasmEngine, type Engine } from './runtime/engine.js';
import {
  checkLayout, checkLength, checkOptions, checkOut, checkPair, checkParams, toOperand,
} from './runtime/validate.js';
import type {
  Backend, Definition, ElementwiseDefinition, Float32Input, ParamSpec, ParamValues, ReductionDefinition,
} from './spec.js';

/** Options of every activation: where to write the result. */
export interface OutOption<O extends Float32Array | ActivationBuffer = Float32Array | ActivationBuffer> {
  /**
   * Where to write the result: a Float32Array or an ActivationBuffer of this instance, of the
   * same length as `x`; `x` itself computes in place. Default: a new Float32Array.
   */
  out?: O;
}

/** Options of softmax-like activations: the layout of `x` and the dimension to normalise. */
export interface LayoutOptions {
  /** The shape of `x` (row-major); its product must be `x.length`. Default: `[x.length]`. */
  shape?: readonly number[];
  /** The dimension to normalise along; negative counts from the end. Default: -1 (the last). */
  dim?: number;
}

export type ParamsOf<D> = D extends ElementwiseDefinition<infer P> ? P : D extends ReductionDefinition<infer P> ? P : never;
export type OptionsOf<D, O extends Float32Array | ActivationBuffer> = Partial<ParamsOf<D>> & OutOption<O> &
  (D extends ReductionDefinition<any> ? LayoutOptions : {});

/**
 * An activation function: `x` (an array or an ActivationBuffer) in; the result is `options.out`
 * when given (a Float32Array or an ActivationBuffer), else a new Float32Array.
 */
export interface ActivationFunction<D> {
  <O extends Float32Array | ActivationBuffer>(x: Float32Input | ActivationBuffer, options: OptionsOf<D, O> & { out: O }): O;
  (x: Float32Input | ActivationBuffer, options?: OptionsOf<D, Float32Array | ActivationBuffer>): Float32Array;
}

/**
 * A backward pass: the gradient `dy` of the loss with respect to the activation's output and the
 * saved tensor (the input `x` for element-wise activations, the output `y` for softmax) in; the
 * gradient with respect to the input is `options.out` when given (which may be `dy` or the
 * saved tensor itself: in place), else a new Float32Array. Options: the forward's params (and
 * `shape`/`dim` for softmax), which must match the forward call's.
 */
export interface BackwardFunction<D> {
  <O extends Float32Array | ActivationBuffer>(
    dy: Float32Input | ActivationBuffer, saved: Float32Input | ActivationBuffer, options: OptionsOf<D, O> & { out: O },
  ): O;
  (dy: Float32Input | ActivationBuffer, saved: Float32Input | ActivationBuffer, options?: OptionsOf<D, Float32Array | ActivationBuffer>): Float32Array;
}

/** The activation functions, one per registry entry, and their backward passes (`<name>Backward`). */
export type ActivationFunctions = {
  readonly [K in ActivationName]: ActivationFunction<(typeof definitions)[K]>;
} & {
  readonly [K in ActivationName as `${K}Backward`]: BackwardFunction<(typeof definitions)[K]>;
};

/** The names of the backward passes. */
export type BackwardName = `${ActivationName}Backward`;

/** What `backend` may ask for: a backend, or 'auto' for the fastest this engine runs. */
export type BackendChoice = Backend | 'auto';

/** Options of {@link createActivations}. */
export interface CreateOptions {
  /** The backend to use; 'auto' (default) picks wasm-simd, else wasm-scalar, else js. */
  backend?: BackendChoice;
  /**
   * The most memory the instance may use, in bytes (default 4 GiB, all a wasm32 memory can
   * address), rounded down to whole 64 KiB pages (wasm memory grows by pages): an
   * allocate() or a copying call that would need more throws a RangeError.
   */
  maxMemoryBytes?: number;
}

/** An independent set of the activation functions, with its own backend and wasm memory. */
export interface Activations extends ActivationFunctions {
  /** The backend this instance runs on. */
  readonly backend: Backend;
  /**
   * A buffer of `length` floats (zeroed only when new memory was grown for it) living in this
   * instance's memory: pass it as `x` and `out` and no byte is copied. Free it with `free()` or
   * `using`. Throws a RangeError beyond maxMemoryBytes.
   */
  allocate(length: number): ActivationBuffer;
  /** Memory reserved, in use (buffers and the copy path's scratch) and the peak of use, in bytes. */
  memoryStats(): MemoryStats;
}

const BACKENDS: readonly Backend[] = ['wasm-simd', 'wasm-scalar', 'js'];

/** What a definition's forward and backward calls both check: the option names and the params. */
export function optionRules(definition: Definition): {
  allowed: ReadonlySet<string>;
  paramsOf: (opts: Record<string, unknown> | undefined) => ParamValues;
} {
  const paramNames = Object.keys(definition.params);
  const cross = definition.checkParams as ((params: ParamValues) => string | null) | undefined;
  /** Each param on its own (TypeError, RangeError), then the definition's check across them. */
  const check = (opts: Record<string, unknown>): ParamValues => {
    const values = checkParams(opts, definition.params, paramNames);
    const problem = cross ? cross(values) : null;
    if (problem !== null) throw new RangeError(problem);
    return values;
  };
  // A definition with a required param has no defaults object: every call must pass it.
  const hasRequired = paramNames.some((name) => (definition.params as Record<string, ParamSpec>)[name].required);
  const defaults = hasRequired ? null : check({});
  return {
    allowed: new Set([...paramNames, 'out', ...(definition.kind === 'reduction' ? ['shape', 'dim'] : [])]),
    // The params of a call: the shared defaults object unless the options set any.
    paramsOf(opts) {
      if (defaults === null) return check(opts ?? {});
      if (opts === undefined) return defaults;
      for (const key of paramNames) if (opts[key] !== undefined) return check(opts);
      return defaults;
    },
  };
}

function bind(engine: Engine, definition: Definition): (x: Float32Input | ActivationBuffer, options?: object) => Float32Array | ActivationBuffer {
  const { allowed, paramsOf } = optionRules(definition);
  const name = definition.name;
  if (definition.kind === 'elementwise') {
    const run = engine.elementwise(definition);
    return (input, options) => {
      const opts = options === undefined ? undefined : checkOptions(options, allowed, name);
      const x = toOperand(input, 'x');
      const out = (opts && checkOut(opts.out, x)) || new Float32Array(x.length);
      run(x, out, paramsOf(opts));
      return out;
    };
  }
  const run = engine.reduction(definition);
  return (input, options) => {
    const opts = options === undefined ? undefined : checkOptions(options, allowed, name);
    const x = toOperand(input, 'x');
    const layout = checkLayout(opts?.shape, opts?.dim, x.length);
    const out = (opts && checkOut(opts.out, x)) || new Float32Array(x.length);
    run(x, out, layout, paramsOf(opts));
    return out;
  };
}

type BackwardImpl = (
  dy: Float32Input | ActivationBuffer, saved: Float32Input | ActivationBuffer, options?: object,
) => Float32Array | ActivationBuffer;

/** `<name>Backward`: the argument checks (all before anything is written), then the engine's runner. */
function bindBackward(engine: Engine, definition: Definition): BackwardImpl {
  const { allowed, paramsOf } = optionRules(definition);
  const name = `${definition.name}Backward`;
  const savedName = definition.kind === 'reduction' ? 'y' : 'x';
  /** The operands and params of a call, checked: dy and the saved tensor alike, out against both. */
  const operands = (dyInput: unknown, savedInput: unknown, opts: Record<string, unknown> | undefined) => {
    const dy = toOperand(dyInput as Float32Input, 'dy');
    const saved = toOperand(savedInput as Float32Input, savedName);
    checkPair(dy, saved, savedName);
    let out: Float32Array | ActivationBuffer | undefined;
    if (opts && opts.out !== undefined) {
      out = checkOut(opts.out, dy, 'dy');
      checkOut(opts.out, saved, savedName);
    }
    return { dy, saved, out };
  };
  if (definition.kind === 'elementwise') {
    const run = engine.elementwiseBackward(definition);
    return (dyInput, savedInput, options) => {
      const opts = options === undefined ? undefined : checkOptions(options, allowed, name);
      const { dy, saved, out: given } = operands(dyInput, savedInput, opts);
      const params = paramsOf(opts);
      const out = given || new Float32Array(dy.length);
      run(dy, saved, out, params);
      return out;
    };
  }
  const run = engine.reductionBackward(definition);
  return (dyInput, savedInput, options) => {
    const opts = options === undefined ? undefined : checkOptions(options, allowed, name);
    const { dy, saved, out: given } = operands(dyInput, savedInput, opts);
    const layout = checkLayout(opts?.shape, opts?.dim, dy.length, 'dy');
    const params = paramsOf(opts);
    const out = given || new Float32Array(dy.length);
    run(dy, saved, out, layout, params);
    return out;
  };
}

/** The functions of an engine, checked (also the calling-thread path of a threaded instance). */
export function fromEngine(engine: Engine): Activations {
  const functions: Record<string, unknown> = {
    backend: engine.backend,
    allocate: (length: number) => engine.allocate(checkLength(length)),
    memoryStats: () => engine.stats(),
  };
  for (const [name, definition] of Object.entries(definitions)) {
    functions[name] = bind(engine, definition);
    functions[`${name}Backward`] = bindBackward(engine, definition);
  }
  return Object.freeze(functions) as unknown as Activations;
}

function checkMaxMemory(options: CreateOptions | undefined): number {
  const max = options?.maxMemoryBytes;
  if (max === undefined) return DEFAULT_MAX_MEMORY_BYTES;
  if (typeof max !== 'number' || !Number.isInteger(max)) throw new TypeError(`maxMemoryBytes must be an integer; got ${String(max)}`);
  if (max < 65536 || max > DEFAULT_MAX_MEMORY_BYTES) {
    throw new RangeError(`maxMemoryBytes must be in [65536, 2^32]; got ${max}`);
  }
  return Math.floor(max / 65536) * 65536; // whole pages, on every backend alike
}

function checkChoice(options: CreateOptions | undefined): BackendChoice {
  if (options !== undefined && (options === null || typeof options !== 'object')) {
    throw new TypeError(`options must be an object; got ${options === null ? 'null' : typeof options}`);
  }
  for (const key of Object.keys(options ?? {})) {
    if (key === 'threads') throw new TypeError("the 'threads' option needs createActivations() (asynchronous: workers start asynchronously)");
    if (key !== 'backend' && key !== 'maxMemoryBytes') {
      throw new TypeError(`createActivations() has no option '${key}'; its options are 'backend', 'maxMemoryBytes'`);
    }
  }
  const choice = options?.backend === undefined ? 'auto' : options.backend;
  if (choice !== 'auto' && !BACKENDS.includes(choice)) {
    throw new RangeError(`backend must be 'auto', ${BACKENDS.map((b) => `'${b}'`).join(', ')}; got ${String(choice)}`);
  }
  return choice;
}

/** The backends to try, best first: the forced one alone, or every one that can run here. */
function candidates(choice: BackendChoice): Backend[] {
  if (choice !== 'auto') {
    const reason = unavailableReason(choice);
    if (reason) throw new Error(`the ${choice} backend cannot run here: ${reason}`);
    return [choice];
  }
  return BACKENDS.filter((backend) => unavailableReason(backend) === null);
}

function failure(choice: Backend, error: unknown): Error {
  return new Error(`the ${choice} backend cannot run here: compiling or instantiating its wasm failed: ${(error as Error)?.message ?? String(error)}`, { cause: error });
}

/**
 * Creates an Activations instance synchronously (Node, workers; on a browser's main thread
 * prefer {@link createActivations}, since browsers limit synchronous compilation there). With
 * 'auto', a wasm build that fails to compile (e.g. under a Content-Security-Policy without
 * 'wasm-unsafe-eval') falls back to the next backend.
 */
export function createActivationsSync(options?: CreateOptions): Activations {
  const choice = checkChoice(options);
  const maxBytes = checkMaxMemory(options);
  const tries = candidates(choice);
  for (const backend of tries) {
    if (backend === 'js') return fromEngine(new JsEngine(maxBytes));
    try {
      return fromEngine(new WasmEngine(backend, instantiateSync(compileSync(buildOf(backend))), maxBytes));
    } catch (error) {
      if (choice !== 'auto') throw failure(backend, error);
    }
  }
  return fromEngine(new JsEngine(maxBytes));
}

/**
 * Creates an independent Activations instance: its own backend choice and its own wasm memory.
 * With `threads` (a positive integer or 'auto'), a {@link ThreadedActivations} instance: its
 * functions return Promises and split large calls between worker threads on a shared memory.
 */
export async function createActivations(options: ThreadedCreateOptions): Promise<ThreadedActivations>;
export async function createActivations(options?: CreateOptions): Promise<Activations>;
export async function createActivations(options?: CreateOptions | ThreadedCreateOptions): Promise<Activations | ThreadedActivations> {
  if (options !== null && typeof options === 'object' && (options as ThreadedCreateOptions).threads !== undefined) {
    // Loaded on demand: a bundle that never asks for threads never carries the worker code.
    const { createThreadedActivations } = await import('./threads/instance.js');
    return createThreadedActivations(options as ThreadedCreateOptions);
  }
  const choice = checkChoice(options);
  const maxBytes = checkMaxMemory(options);
  const tries = candidates(choice);
  for (const backend of tries) {
    if (backend === 'js') return fromEngine(new JsEngine(maxBytes));
    try {
      return fromEngine(new WasmEngine(backend, await instantiate(await compile(buildOf(backend))), maxBytes));
    } catch (error) {
      if (choice !== 'auto') throw failure(backend, error);
    }
  }
  return fromEngine(new JsEngine(maxBytes));
}
