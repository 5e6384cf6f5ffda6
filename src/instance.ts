// An Activations instance: one backend (and, for wasm, one instance with its own memory) and
// a function per registry entry, with the argument checks in front of the engine.
import { definitions, type ActivationName } from './registry.js';
import {
  buildOf, compile, compileSync, instantiate, instantiateSync, unavailableReason,
} from './runtime/loader.js';
import { JsEngine, WasmEngine, type Engine } from './runtime/engine.js';
import { checkLayout, checkOptions, checkOut, checkParams, toFloat32Array } from './runtime/validate.js';
import type {
  Backend, Definition, ElementwiseDefinition, Float32Input, ReductionDefinition,
} from './spec.js';

/** Options of every activation: where to write the result. */
export interface OutOption {
  /**
   * Where to write the result: a Float32Array of the same length as `x`; `x` itself computes in
   * place. Default: a new Float32Array.
   */
  out?: Float32Array;
}

/** Options of softmax-like activations: the layout of `x` and the dimension to normalise. */
export interface LayoutOptions {
  /** The shape of `x` (row-major); its product must be `x.length`. Default: `[x.length]`. */
  shape?: readonly number[];
  /** The dimension to normalise along; negative counts from the end. Default: -1 (the last). */
  dim?: number;
}

type ParamsOf<D> = D extends ElementwiseDefinition<infer P> ? P : D extends ReductionDefinition<infer P> ? P : never;
type OptionsOf<D> = Partial<ParamsOf<D>> & OutOption & (D extends ReductionDefinition<any> ? LayoutOptions : {});

/** An activation function: `x` in, a Float32Array out (`options.out` when given). */
export type ActivationFunction<D> = (x: Float32Input, options?: OptionsOf<D>) => Float32Array;

/** The activation functions, one per registry entry. */
export type ActivationFunctions = {
  readonly [K in ActivationName]: ActivationFunction<(typeof definitions)[K]>;
};

/** What `backend` may ask for: a backend, or 'auto' for the fastest this engine runs. */
export type BackendChoice = Backend | 'auto';

/** Options of {@link createActivations}. */
export interface CreateOptions {
  /** The backend to use; 'auto' (default) picks wasm-simd, else wasm-scalar, else js. */
  backend?: BackendChoice;
}

/** An independent set of the activation functions, with its own backend and wasm memory. */
export interface Activations extends ActivationFunctions {
  /** The backend this instance runs on. */
  readonly backend: Backend;
}

const BACKENDS: readonly Backend[] = ['wasm-simd', 'wasm-scalar', 'js'];

function bind(engine: Engine, definition: Definition): (x: Float32Input, options?: object) => Float32Array {
  const allowed = [...Object.keys(definition.params), 'out', ...(definition.kind === 'reduction' ? ['shape', 'dim'] : [])];
  const name = definition.name;
  if (definition.kind === 'elementwise') {
    return (input, options) => {
      const opts = checkOptions(options, allowed, name);
      const x = toFloat32Array(input, 'x');
      const out = checkOut(opts.out, x) ?? new Float32Array(x.length);
      const params = checkParams(opts, definition.params);
      engine.elementwise(definition, x, out, params);
      return out;
    };
  }
  return (input, options) => {
    const opts = checkOptions(options, allowed, name);
    const x = toFloat32Array(input, 'x');
    const layout = checkLayout(opts.shape, opts.dim, x.length);
    const out = checkOut(opts.out, x) ?? new Float32Array(x.length);
    const params = checkParams(opts, definition.params);
    engine.reduction(definition, x, out, layout, params);
    return out;
  };
}

function fromEngine(engine: Engine): Activations {
  const functions: Record<string, unknown> = { backend: engine.backend };
  for (const [name, definition] of Object.entries(definitions)) functions[name] = bind(engine, definition);
  return Object.freeze(functions) as unknown as Activations;
}

function checkChoice(options: CreateOptions | undefined): BackendChoice {
  if (options !== undefined && (options === null || typeof options !== 'object')) {
    throw new TypeError(`options must be an object; got ${options === null ? 'null' : typeof options}`);
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
  const tries = candidates(choice);
  for (const backend of tries) {
    if (backend === 'js') return fromEngine(new JsEngine());
    try {
      return fromEngine(new WasmEngine(backend, instantiateSync(compileSync(buildOf(backend)))));
    } catch (error) {
      if (choice !== 'auto') throw failure(backend, error);
    }
  }
  return fromEngine(new JsEngine());
}

/** Creates an independent Activations instance: its own backend choice and its own wasm memory. */
export async function createActivations(options?: CreateOptions): Promise<Activations> {
  const choice = checkChoice(options);
  const tries = candidates(choice);
  for (const backend of tries) {
    if (backend === 'js') return fromEngine(new JsEngine());
    try {
      return fromEngine(new WasmEngine(backend, await instantiate(await compile(buildOf(backend)))));
    } catch (error) {
      if (choice !== 'auto') throw failure(backend, error);
    }
  }
  return fromEngine(new JsEngine());
}
