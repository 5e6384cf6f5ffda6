// An Activations instance: one backend (and, for wasm, one instance with its own memory) and
// a function per registry entry, with the argument checks in front of the engine.
import { definitions, type ActivationName } from './registry.js';
import {
  buildOf, compile, compileSync, compileFailureReason, instantiate, instantiateSync, unavailableReason,
} from './runtime/loader.js';
import type { MemoryStats } from './runtime/allocator.js';
import type { ThreadedActivations, ThreadedCreateOptions, ThreadsChoice } from './threads/instance.js';
import type { DocumentedFunctions } from './documented.js';
import { ActivationBuffer, bufferAddress, type BufferHost } from './runtime/buffer.js';
import { DEFAULT_MAX_MEMORY_BYTES, JsEngine, WasmEngine, type Engine } from './runtime/engine.js';
import {
  checkApartFromWeight, checkBackwardOperands, checkChannelShape, checkGatedLayout, checkLayout, checkLength, checkOptions, checkOut, optionNames, type OptionNames,
  checkParams, checkSizedOut, checkWeight, checkWeightOut, describe, toOperand,
} from './runtime/validate.js';
import type {
  AnyParamSpec, Backend, ChannelwiseDefinition, Definition, ElementwiseDefinition, Float32Input, GatedDefinition, ParamSpec,
  ParamValues, ReductionDefinition,
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

// P from the reference's second argument: inferring it through the definition's params type,
// whose specs depend on the required names, loses it.
export type ParamsOf<D> = D extends { readonly kind: 'elementwise' | 'reduction' }
  ? D extends { readonly reference: (input: never, params: infer P) => unknown } ? P : never
  : never;
/** The names of D's required params: those whose spec's type has `required: true` (RequiredParamSpec). */
type RequiredNames<D> = D extends { readonly params: infer S }
  ? { [K in keyof S]-?: S[K] extends { readonly required: true } ? K : never }[keyof S]
  : never;
/** D's params as options: the required ones required, the others optional. */
type ParamOptions<D> = { [K in keyof ParamsOf<D> as K extends RequiredNames<D> ? K : never]: ParamsOf<D>[K] }
  & { [K in keyof ParamsOf<D> as K extends RequiredNames<D> ? never : K]?: ParamsOf<D>[K] };
export type OptionsOf<D, O extends Float32Array | ActivationBuffer> = ParamOptions<D> & OutOption<O> &
  (D extends ReductionDefinition<any> ? LayoutOptions : {});
/** The options argument: optional unless D has a required param. */
export type OptionsArgument<D, O extends Float32Array | ActivationBuffer> = [RequiredNames<D>] extends [never]
  ? [options?: OptionsOf<D, O>]
  : [options: OptionsOf<D, O>];

/**
 * An activation function: `x` (an array or an ActivationBuffer) in; the result is `options.out`
 * when given (a Float32Array or an ActivationBuffer), else a new Float32Array. The options
 * are required when the function has a required param (threshold's `threshold` and `value`).
 */
export interface ActivationFunction<D> {
  <O extends Float32Array | ActivationBuffer>(x: Float32Input | ActivationBuffer, options: OptionsOf<D, O> & { out: O }): O;
  (x: Float32Input | ActivationBuffer, ...options: OptionsArgument<D, Float32Array | ActivationBuffer>): Float32Array;
}

/** The weights of a per-channel activation (prelu): one for every element, or one per channel. */
export type WeightInput = number | Float32Array | readonly number[];

/** Options of per-channel activations (prelu): the weights and the layout of `x`. */
export interface ChannelOptions {
  /**
   * Required (PyTorch's functional prelu has no default; torch.nn.PReLU starts at 0.25): a
   * number, or a Float32Array or Array of 1 weight or of one weight per channel, each finite as a
   * float32. Numbers are rounded to float32, as PyTorch's float tensors hold them.
   */
  weight: WeightInput;
  /**
   * The shape of `x` (row-major); dim 1 is the channel dim: [N, C, ...rest] takes C weights. A
   * 1-D shape has one channel. Default: `[x.length]`.
   */
  shape?: readonly number[];
}

/** Options of a per-channel backward pass: the forward's, `out` for dx and `weightOut` for the weights' gradient. */
export interface ChannelBackwardOptions<O extends Float32Array | ActivationBuffer = Float32Array | ActivationBuffer>
  extends ChannelOptions, OutOption<O> {
  /** Where to write the weights' gradient: a Float32Array of the weights' count (not overlapping out). Default: a new one. */
  weightOut?: Float32Array;
}

/** What a per-channel backward pass returns: both gradients. */
export interface ChannelGradients<O extends Float32Array | ActivationBuffer = Float32Array> {
  /** The gradient with respect to x: `out` when given, else a new Float32Array. */
  dx: O;
  /**
   * The gradient with respect to the weights (one per weight): `weightOut` when given, else a new
   * Float32Array. A `weightOut` that is a view of the instance's memory (such as a buffer's
   * `array`) and that the call detached by growing memory is replaced by a view of the same floats.
   */
  dweight: Float32Array;
}

/** A per-channel activation function (prelu): `x` and the weights in, y out. */
export interface ChannelwiseFunction {
  <O extends Float32Array | ActivationBuffer>(x: Float32Input | ActivationBuffer, options: ChannelOptions & { out: O }): O;
  (x: Float32Input | ActivationBuffer, options: ChannelOptions & OutOption): Float32Array;
}

/** A per-channel backward pass: dy and the forward's input x in; dx and the weights' gradient out. */
export interface ChannelwiseBackwardFunction {
  <O extends Float32Array | ActivationBuffer>(
    dy: Float32Input | ActivationBuffer, x: Float32Input | ActivationBuffer, options: ChannelBackwardOptions<O> & { out: O },
  ): ChannelGradients<O>;
  (dy: Float32Input | ActivationBuffer, x: Float32Input | ActivationBuffer, options: ChannelBackwardOptions): ChannelGradients<Float32Array>;
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
  (dy: Float32Input | ActivationBuffer, saved: Float32Input | ActivationBuffer, ...options: OptionsArgument<D, Float32Array | ActivationBuffer>): Float32Array;
}

/**
 * Options of gated activations (glu): the layout of `x`, the dimension halved, and `out` (half
 * x's length for the forward pass, x's length for the backward pass).
 */
export interface GatedOptions<O extends Float32Array | ActivationBuffer = Float32Array | ActivationBuffer> {
  /** The shape of `x` (row-major); its product must be `x.length`. Default: `[x.length]`. */
  shape?: readonly number[];
  /**
   * The dimension split in halves a and b (its size must be even); negative counts from the
   * end. Default: -1 (the last).
   */
  dim?: number;
  /**
   * Where to write the result: a Float32Array or an ActivationBuffer of this instance of
   * x.length / 2 floats (forward; never overlapping x) or of x.length floats (backward; x itself
   * computes in place). Default: a new Float32Array.
   */
  out?: O;
}

/** A gated activation function (glu): x in, y of half x's length out. */
export interface GatedFunction {
  <O extends Float32Array | ActivationBuffer>(x: Float32Input | ActivationBuffer, options: GatedOptions<O> & { out: O }): O;
  (x: Float32Input | ActivationBuffer, options?: GatedOptions): Float32Array;
}

/** A gated backward pass: dy (half x's length) and the forward's input x in; dx (x's length) out. */
export interface GatedBackwardFunction {
  <O extends Float32Array | ActivationBuffer>(
    dy: Float32Input | ActivationBuffer, x: Float32Input | ActivationBuffer, options: GatedOptions<O> & { out: O },
  ): O;
  (dy: Float32Input | ActivationBuffer, x: Float32Input | ActivationBuffer, options?: GatedOptions): Float32Array;
}

/** The activation functions, one per registry entry, and their backward passes (`<name>Backward`). */
export type ActivationFunctions = {
  readonly [K in ActivationName]: (typeof definitions)[K] extends ChannelwiseDefinition
    ? ChannelwiseFunction : (typeof definitions)[K] extends GatedDefinition ? GatedFunction : ActivationFunction<(typeof definitions)[K]>;
} & {
  readonly [K in ActivationName as `${K}Backward`]: (typeof definitions)[K] extends ChannelwiseDefinition
    ? ChannelwiseBackwardFunction
    : (typeof definitions)[K] extends GatedDefinition ? GatedBackwardFunction : BackwardFunction<(typeof definitions)[K]>;
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
  /**
   * Absent (or undefined): an instance on the calling thread. A number of threads or 'auto'
   * makes createActivations() return a threaded instance instead (see ThreadedCreateOptions);
   * typed `undefined` here so that options holding threads never pass as these.
   */
  threads?: undefined;
}

/** Which backend an instance runs, what was asked for, and why no faster backend runs instead. */
export interface BackendInfo {
  /** The backend the instance runs on. */
  readonly backend: Backend;
  /** What `options.backend` asked for: 'auto' (the default) or a forced backend. */
  readonly requested: BackendChoice;
  /**
   * The faster backends passed over, best first, each with why: a missing feature (no
   * WebAssembly, no SIMD) or the error compiling its wasm gave (e.g. a Content-Security-Policy
   * without 'wasm-unsafe-eval'). Empty when the fastest backend runs or one was forced.
   */
  readonly skipped: readonly { readonly backend: Backend; readonly reason: string }[];
}

/** An independent set of the activation functions, with its own backend and wasm memory. */
export interface Activations extends DocumentedFunctions {
  /** The backend this instance runs on. */
  readonly backend: Backend;
  /** The backend, what was asked for, and why each faster backend was passed over. */
  readonly backendInfo: BackendInfo;
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

/**
 * @internal The key of an instance's own check that a buffer operand belongs to it (the
 * TypeError of its functions otherwise, and use after free), for module code that runs loops of
 * its own on operands instead of calling a function (RReLU's training mode).
 */
export const CHECK_OWNER = Symbol('wasm-activations.checkOwner');

/** @internal The owner check of {@link CHECK_OWNER}; does nothing for an object that has none. */
export function checkOwner(acts: Activations, operand: unknown, name: string): void {
  (acts as unknown as { [CHECK_OWNER]?: (operand: unknown, name: string) => void })[CHECK_OWNER]?.(operand, name);
}

/** What a definition's forward and backward calls both check: the option names and the params. */
export function optionRules(definition: Definition): {
  /** Every option name, each marked as a param or not (for checkOptions). */
  allowed: OptionNames;
  /** The params of a call: `namesParam` is what checkOptions returned for `opts`. */
  paramsOf: (opts: Record<string, unknown> | undefined, namesParam: boolean) => ParamValues;
  /** The params of a call whose options name none (paramsOf's answer then), or null when a param is required. */
  defaults: ParamValues | null;
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
  // The last params given and what they checked to: a caller in a loop passes the same values
  // each time, and checking them again cost ~25 ns of a ~75 ns call (leakyRelu at n = 16). The
  // check is a function of the values alone, so equal values (Object.is) give the same result.
  // Each param is read once per call (a getter may answer differently each time): the values
  // read are the ones compared, checked and remembered.
  const lastGiven: unknown[] = [];
  let lastValues: ParamValues | null = null;
  /**
   * The params from `opts` when param `first` (value `firstValue`, already read) is the first
   * given one (-1: none read yet): each of the rest read once. Nothing is allocated while each
   * value is the remembered one (a repeat); `given` is built at the first other value.
   */
  const readFrom = (opts: Record<string, unknown>, first: number, firstValue: unknown): ParamValues => {
    let given: Record<string, unknown> | null = null;
    for (let i = 0; i < paramNames.length; i++) {
      const value = i < first ? undefined : i === first ? firstValue : opts[paramNames[i]];
      if (given === null) {
        if (lastValues !== null && Object.is(value, lastGiven[i])) continue;
        given = {};
        for (let j = 0; j < i; j++) given[paramNames[j]] = lastGiven[j];
      }
      given[paramNames[i]] = value;
    }
    if (given === null) return lastValues!;
    const values = check(given); // throws before anything is remembered
    for (let i = 0; i < paramNames.length; i++) lastGiven[i] = given[paramNames[i]];
    lastValues = values;
    return values;
  };
  // A definition with a required param has no defaults object: every call must pass it.
  const hasRequired = paramNames.some((name) => (definition.params as Record<string, AnyParamSpec>)[name].required);
  const defaults = hasRequired ? null : check({});
  return {
    allowed: new Map([
      ...paramNames.map((param): [string, boolean] => [param, true]),
      ...optionNames('out', ...(definition.kind === 'reduction' ? ['shape', 'dim'] : [])),
    ]),
    // The params of a call: the shared defaults object while the options name none (a call
    // with { out } alone reads no param; the element-wise calls take `defaults` themselves
    // then, without calling this), else readFrom, which goes on from the first param set.
    paramsOf(opts, namesParam) {
      if (defaults === null) return readFrom(opts ?? {}, -1, undefined);
      if (!namesParam) return defaults; // also when opts is undefined
      for (let i = 0; i < paramNames.length; i++) {
        const value = opts![paramNames[i]];
        if (value !== undefined) return readFrom(opts!, i, value);
      }
      return defaults;
    },
    defaults,
  };
}

/** The option names of a per-channel forward call. */
const CHANNEL_OPTIONS: OptionNames = optionNames('weight', 'shape', 'out');
/** The option names of a per-channel backward call. */
const CHANNEL_BACKWARD_OPTIONS: OptionNames = optionNames('weight', 'shape', 'out', 'weightOut');

/** A per-channel forward call: x, shape, weights (against the channel count) and out checked, then the engine's runner. */
function bindChannelwise(engine: Engine, definition: ChannelwiseDefinition): (x: Float32Input | ActivationBuffer, options?: object) => Float32Array | ActivationBuffer {
  const name = definition.name;
  const run = engine.channelwise(definition);
  return (input, options) => {
    if (options !== undefined) checkOptions(options, CHANNEL_OPTIONS, name);
    const opts = (options ?? {}) as Record<string, unknown>;
    const x = toOperand(input, 'x');
    const shape = checkChannelShape(opts.shape, x.length);
    const weights = checkWeight(opts.weight, shape.channels, name);
    const out = checkOut(opts.out, x) || new Float32Array(x.length);
    checkApartFromWeight(out, weights);
    run(x, out, { outer: shape.outer, channels: shape.channels, inner: shape.inner, weights: weights.length }, weights);
    return out;
  };
}

/** A per-channel backward call: dx into `out`, the weights' gradient rounded once into `weightOut`. */
function bindChannelwiseBackward(engine: Engine, definition: ChannelwiseDefinition): BackwardImpl {
  const name = `${definition.name}Backward`;
  const run = engine.channelwiseBackward(definition);
  return (dyInput, xInput, options) => {
    if (options !== undefined) checkOptions(options, CHANNEL_BACKWARD_OPTIONS, name);
    const opts = (options ?? {}) as Record<string, unknown>;
    const { dy, saved: x, out: given } = checkBackwardOperands(dyInput, xInput, 'x', opts.out);
    const shape = checkChannelShape(opts.shape, dy.length, 'dy');
    const weights = checkWeight(opts.weight, shape.channels, name);
    // The count before the run: a weights view of wasm memory is detached if the run grows it.
    const count = weights.length;
    const weightOut = checkWeightOut(opts.weightOut, count, given);
    if (given !== undefined) checkApartFromWeight(given, weights);
    const out = given || new Float32Array(dy.length);
    // A weightOut in the instance's memory (a buffer's array) is detached if the run grows it:
    // its offset now, to write the sums through a view of the grown memory.
    const weightOutOffset = weightOut === undefined ? -1 : engine.memoryOffset(weightOut);
    const sums = run(dy, x, out, { outer: shape.outer, channels: shape.channels, inner: shape.inner, weights: count }, weights);
    let dweight = weightOut ?? new Float32Array(count);
    if (weightOutOffset >= 0 && dweight.length !== count) dweight = engine.memoryView(weightOutOffset, count);
    dweight.set(sums); // each float64 sum rounded to float32 once
    return { dx: out, dweight };
  };
}

/** A freed buffer is an Error before any other check (the other kinds' order, too). */
function checkLive(operand: unknown, name: string): void {
  if (operand instanceof ActivationBuffer && operand.freed) throw new Error(`cannot use ${name} after free: this ActivationBuffer was freed`);
}

/** The option names of a gated call, forward and backward. */
const GATED_OPTIONS: OptionNames = optionNames('shape', 'dim', 'out');

/** A gated forward call: x, shape and dim (size along dim even), out (half x's length, apart from x) checked, then the engine's runner. */
function bindGated(engine: Engine, definition: GatedDefinition): (x: Float32Input | ActivationBuffer, options?: object) => Float32Array | ActivationBuffer {
  const name = definition.name;
  const run = engine.gated(definition);
  return (input, options) => {
    if (options !== undefined) checkOptions(options, GATED_OPTIONS, name);
    const opts = (options ?? {}) as Record<string, unknown>;
    const x = toOperand(input, 'x');
    checkLive(x, 'x');
    checkLive(opts.out, 'out');
    const layout = checkGatedLayout(opts.shape, opts.dim, x.length);
    const half = layout.outer * layout.m;
    const out = checkSizedOut(opts.out, half, 'half the length of x', [x], ['x']) || new Float32Array(half);
    run(x, out, layout);
    return out;
  };
}

/** A gated backward call: dy of half x's length, out of x's length (x itself allowed: in place, apart from dy). */
function bindGatedBackward(engine: Engine, definition: GatedDefinition): BackwardImpl {
  const name = `${definition.name}Backward`;
  const run = engine.gatedBackward(definition);
  return (dyInput, xInput, options) => {
    if (options !== undefined) checkOptions(options, GATED_OPTIONS, name);
    const opts = (options ?? {}) as Record<string, unknown>;
    const dy = toOperand(dyInput, 'dy');
    const x = toOperand(xInput, 'x');
    checkLive(dy, 'dy');
    checkLive(x, 'x');
    checkLive(opts.out, 'out');
    const layout = checkGatedLayout(opts.shape, opts.dim, x.length);
    if (dy.length * 2 !== x.length) {
      throw new RangeError(`dy must have half the length of x (${x.length / 2}); got dy of length ${dy.length} and x of length ${x.length}`);
    }
    const out = checkSizedOut(opts.out, x.length, 'the length of x', [dy, x], ['dy', 'x'], 1) || new Float32Array(x.length);
    run(dy, x, out, layout);
    return out;
  };
}

function bind(engine: Engine, definition: Definition): (x: Float32Input | ActivationBuffer, options?: object) => Float32Array | ActivationBuffer {
  if (definition.kind === 'channelwise') return bindChannelwise(engine, definition);
  if (definition.kind === 'gated') return bindGated(engine, definition);
  const { allowed, paramsOf, defaults } = optionRules(definition);
  const name = definition.name;
  if (definition.kind === 'elementwise') {
    const run = engine.elementwise(definition);
    const jsBelow = engine.jsBelow(definition);
    return (input, options) => {
      const namesParam = options !== undefined && checkOptions(options, allowed, name);
      const opts = options as Record<string, unknown> | undefined;
      const x = toOperand(input, 'x');
      const out = (opts && checkOut(opts.out, x)) || new Float32Array(x.length);
      // (paramsOf's own first answer, without the call: a site every activation shares.)
      const params = namesParam || defaults === null ? paramsOf(opts, namesParam) : defaults;
      // Small plain arrays straight to the js loop, where the runner would send them: a call
      // fewer (through a site all activations share, never inlined), ~10 ns of 90 at n = 16.
      if (x.length < jsBelow && x instanceof Float32Array && out instanceof Float32Array) definition.js(x, out, x.length, params);
      else run(x, out, params);
      return out;
    };
  }
  const run = engine.reduction(definition);
  return (input, options) => {
    const namesParam = options !== undefined && checkOptions(options, allowed, name);
    const opts = options as Record<string, unknown> | undefined;
    const x = toOperand(input, 'x');
    const layout = checkLayout(opts?.shape, opts?.dim, x.length);
    const out = (opts && checkOut(opts.out, x)) || new Float32Array(x.length);
    run(x, out, layout, paramsOf(opts, namesParam));
    return out;
  };
}

type BackwardImpl = (
  dy: Float32Input | ActivationBuffer, saved: Float32Input | ActivationBuffer, options?: object,
) => Float32Array | ActivationBuffer | ChannelGradients<Float32Array | ActivationBuffer>;

/** `<name>Backward`: the argument checks (all before anything is written), then the engine's runner. */
function bindBackward(engine: Engine, definition: Definition): BackwardImpl {
  if (definition.kind === 'channelwise') return bindChannelwiseBackward(engine, definition);
  if (definition.kind === 'gated') return bindGatedBackward(engine, definition);
  const { allowed, paramsOf, defaults } = optionRules(definition);
  const name = `${definition.name}Backward`;
  const savedName = definition.kind === 'reduction' ? 'y' : 'x';
  if (definition.kind === 'elementwise') {
    const run = engine.elementwiseBackward(definition);
    const jsBelow = engine.jsBelow(definition);
    return (dyInput, savedInput, options) => {
      const namesParam = options !== undefined && checkOptions(options, allowed, name);
      const opts = options as Record<string, unknown> | undefined;
      const { dy, saved, out: given } = checkBackwardOperands(dyInput, savedInput, savedName, opts?.out);
      const params = namesParam || defaults === null ? paramsOf(opts, namesParam) : defaults; // as in bind
      const out = given || new Float32Array(dy.length);
      // As bind's forward call: small plain arrays straight to the js loop.
      if (dy.length < jsBelow && dy instanceof Float32Array && saved instanceof Float32Array && out instanceof Float32Array) {
        definition.backward.js(dy, saved, out, dy.length, params);
      } else {
        run(dy, saved, out, params);
      }
      return out;
    };
  }
  const run = engine.reductionBackward(definition);
  return (dyInput, savedInput, options) => {
    const namesParam = options !== undefined && checkOptions(options, allowed, name);
    const opts = options as Record<string, unknown> | undefined;
    const { dy, saved, out: given } = checkBackwardOperands(dyInput, savedInput, savedName, opts?.out);
    const layout = checkLayout(opts?.shape, opts?.dim, dy.length, 'dy');
    const params = paramsOf(opts, namesParam);
    const out = given || new Float32Array(dy.length);
    run(dy, saved, out, layout, params);
    return out;
  };
}

/** The functions of an engine, checked (also the calling-thread path of a threaded instance). */
export function fromEngine(engine: Engine, requested: BackendChoice = engine.backend, skipped: BackendInfo['skipped'] = []): Activations {
  const functions: Record<string | symbol, unknown> = {
    backend: engine.backend,
    backendInfo: Object.freeze({ backend: engine.backend, requested, skipped: Object.freeze(skipped.map((s) => Object.freeze(s))) }),
    allocate: (length: number) => engine.allocate(checkLength(length)),
    memoryStats: () => engine.stats(),
    [CHECK_OWNER]: (operand: unknown, name: string): void => {
      if (operand instanceof ActivationBuffer) bufferAddress(operand, engine as unknown as BufferHost, name);
    },
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

/**
 * The options of createActivationsSync, and of createActivations and init/initSync without
 * threads (hence a message that names no one function): an object (not an Array) of known keys.
 */
function checkChoice(options: CreateOptions | undefined): BackendChoice {
  if (options !== undefined && (options === null || typeof options !== 'object' || Array.isArray(options))) {
    throw new TypeError(`options must be an object; got ${describe(options)}`);
  }
  for (const key of Object.keys(options ?? {})) {
    if (key === 'threads') {
      if (options!.threads === undefined) continue; // as if absent, like the other options
      throw new TypeError("the 'threads' option needs createActivations() (asynchronous: workers start asynchronously)");
    }
    if (key !== 'backend' && key !== 'maxMemoryBytes') {
      throw new TypeError(`an instance has no option '${key}'; the options are 'backend', 'maxMemoryBytes'`);
    }
  }
  const choice = options?.backend === undefined ? 'auto' : options.backend;
  if (choice !== 'auto' && !BACKENDS.includes(choice)) {
    throw new RangeError(`backend must be 'auto', ${BACKENDS.map((b) => `'${b}'`).join(', ')}; got ${String(choice)}`);
  }
  return choice;
}

/**
 * The backends to try, best first: the forced one alone, or every one that can run here; those
 * that cannot are added to `skipped` with why.
 */
function candidates(choice: BackendChoice, skipped: { backend: Backend; reason: string }[]): Backend[] {
  if (choice !== 'auto') {
    const reason = unavailableReason(choice);
    if (reason) throw new Error(`the ${choice} backend cannot run here: ${reason}`);
    return [choice];
  }
  return BACKENDS.filter((backend) => {
    const reason = unavailableReason(backend);
    if (reason !== null) skipped.push({ backend, reason });
    return reason === null;
  });
}

function failure(choice: Backend, error: unknown): Error {
  return new Error(`the ${choice} backend cannot run here: ${compileFailureReason(error)}`, { cause: error });
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
  const skipped: { backend: Backend; reason: string }[] = [];
  const tries = candidates(choice, skipped);
  for (const backend of tries) {
    if (backend === 'js') return fromEngine(new JsEngine(maxBytes), choice, skipped);
    try {
      return fromEngine(new WasmEngine(backend, instantiateSync(compileSync(buildOf(backend))), maxBytes), choice, skipped);
    } catch (error) {
      if (choice !== 'auto') throw failure(backend, error);
      skipped.push({ backend, reason: compileFailureReason(error) });
    }
  }
  return fromEngine(new JsEngine(maxBytes), choice, skipped);
}

/** The options of {@link createActivations} when whether there are threads is known only at run time. */
export type MaybeThreadedCreateOptions = CreateOptions | ThreadedCreateOptions | (Omit<ThreadedCreateOptions, 'threads'> & { threads?: ThreadsChoice });

/**
 * Creates an independent Activations instance: its own backend choice and its own wasm memory.
 * With `threads` (a positive integer or 'auto'), a {@link ThreadedActivations} instance: its
 * functions return Promises and split large calls between worker threads on a shared memory.
 */
export async function createActivations(options: ThreadedCreateOptions): Promise<ThreadedActivations>;
export async function createActivations(options?: CreateOptions): Promise<Activations>;
/**
 * Options decided at run time (e.g. `threads` from configuration, maybe undefined): either kind of
 * instance. (With threads the backend can only be 'auto' or 'wasm-simd'.)
 */
export async function createActivations(options?: MaybeThreadedCreateOptions): Promise<Activations | ThreadedActivations>;
export async function createActivations(options?: MaybeThreadedCreateOptions): Promise<Activations | ThreadedActivations> {
  if (options !== null && typeof options === 'object' && (options as ThreadedCreateOptions).threads !== undefined) {
    // Loaded on demand: a bundle that never asks for threads never carries the worker code.
    const { createThreadedActivations } = await import('./threads/instance.js');
    return createThreadedActivations(options as ThreadedCreateOptions);
  }
  const plain = options as CreateOptions | undefined; // threads absent or undefined
  const choice = checkChoice(plain);
  const maxBytes = checkMaxMemory(plain);
  const skipped: { backend: Backend; reason: string }[] = [];
  const tries = candidates(choice, skipped);
  for (const backend of tries) {
    if (backend === 'js') return fromEngine(new JsEngine(maxBytes), choice, skipped);
    try {
      return fromEngine(new WasmEngine(backend, await instantiate(await compile(buildOf(backend))), maxBytes), choice, skipped);
    } catch (error) {
      if (choice !== 'auto') throw failure(backend, error);
      skipped.push({ backend, reason: compileFailureReason(error) });
    }
  }
  return fromEngine(new JsEngine(maxBytes), choice, skipped);
}
