// The module classes behind ReLU, Softmax & co.: an activation's params fixed at construction
// (checked there, with the functional API's own checks and errors), forward() that keeps what
// backward() needs (a copy of x, or of y for the softmax family), and backward().
import { checkOwner, createActivationsSync, type Activations } from '../instance.js';
import { defaultActivations } from '../default-instance.js';
import { definitions, type ActivationName } from '../registry.js';
import { ActivationBuffer } from '../runtime/buffer.js';
import { checkOptions, describe, optionNames, toOperand, type OptionNames } from '../runtime/validate.js';
import type { Definition, Float32Input } from '../spec.js';
import { SavedTensor } from './saved.js';
import type {
  ElementwiseName, InplaceOption, ModuleArguments, ModuleBackwardOptions, ModuleForwardOptions, ModuleOptions, Output, ParamsOf,
  ReductionName,
} from './types.js';

type Loose = (...args: unknown[]) => Output;

/**
 * A js-backend instance that only checks constructor options: the functional API run on zero
 * elements does every check of its params (types, ranges, required ones, rules across them)
 * with its own errors, and nothing else.
 */
let checker: Activations | null = null;
function paramChecker(): Activations {
  return (checker ??= createActivationsSync({ backend: 'js' }));
}

// As in buffer.ts: Symbol.dispose where it exists, else the registry key `using` helpers look up.
const disposeSymbol: typeof Symbol.dispose = (Symbol as { dispose?: typeof Symbol.dispose }).dispose ?? (Symbol.for('Symbol.dispose') as typeof Symbol.dispose);

/**
 * The common part of every activation module: the params, the instance, the saved tensor and
 * backward(). Subclasses add forward(). A module with state of its own (PReLU's weight) extends
 * {@link ElementwiseModule}, passes its extra constructor option names to the constructor and
 * overrides {@link ActivationModule.runForward} and {@link ActivationModule.runBackward}.
 */
export abstract class ActivationModule<N extends ActivationName> {
  /** The functional API's name of the activation, e.g. 'leakyRelu'. */
  readonly activation: N;
  /** The activation's params, checked, PyTorch's defaults filled in (frozen). */
  readonly params: Readonly<ParamsOf<N>>;
  /** What forward() kept for backward(). */
  protected readonly saved = new SavedTensor();
  /** The class name, for messages (kept here: minifiers may rename constructors). */
  protected readonly className: string;
  readonly #instance: Activations | null;

  /**
   * @param name the activation's name in the registry
   * @param options the constructor options (params, `activations`, `dim` for the softmax family)
   * @param extra further option names a subclass accepts and reads itself (e.g. PReLU's)
   */
  protected constructor(name: N, options: ModuleOptions<N> | undefined, className: string, extra: readonly string[] = []) {
    const definition = definitions[name] as Definition;
    this.activation = name;
    this.className = className;
    const specs = (definition.params ?? {}) as Record<string, { default: unknown }>;
    const paramNames = Object.keys(specs);
    const allowed = optionNames(...paramNames, 'activations', ...(definition.kind === 'reduction' ? ['dim'] : []), ...extra);
    if (options !== undefined) checkOptions(options, allowed, `new ${className}`);
    const opts = (options ?? {}) as Record<string, unknown>;
    const given: Record<string, unknown> = {};
    for (const key of paramNames) if (opts[key] !== undefined) given[key] = opts[key];
    this.checkParams(given);
    const params: Record<string, unknown> = {};
    for (const key of paramNames) params[key] = given[key] !== undefined ? given[key] : specs[key].default;
    this.params = Object.freeze(params) as unknown as Readonly<ParamsOf<N>>;
    const acts = opts.activations;
    if (acts !== undefined && (acts === null || typeof acts !== 'object' || typeof (acts as Record<string, unknown>)[name] !== 'function'
      || typeof (acts as Record<string, unknown>)[`${name}Backward`] !== 'function')) {
      throw new TypeError(`activations must be an Activations instance (from createActivations()) with ${name}; got ${describe(acts)}`);
    }
    if (acts !== undefined && 'threadThresholds' in (acts as object)) {
      // A threaded instance's functions return Promises; forward() and backward() return and
      // keep arrays, so they would hand back Promises and save an x the workers still use.
      throw new TypeError(`activations must be a single-threaded instance (createActivations() without threads): ${className} runs its function synchronously, and a threaded instance's functions return Promises`);
    }
    this.#instance = (acts as Activations | undefined) ?? null;
  }

  /**
   * Checks the params given to the constructor (called by it, before any subclass field exists):
   * the function's own checks on an empty input, so the same TypeError or RangeError as a call.
   * A module whose function needs more than params to run (PReLU's weight) overrides it.
   */
  protected checkParams(given: Record<string, unknown>): void {
    (paramChecker()[this.activation] as unknown as Loose)(new Float32Array(0), given);
  }

  /** The instance the next forward() runs on: the one passed to the constructor, else the default instance now. */
  get activations(): Activations {
    return this.#instance ?? defaultActivations();
  }

  /**
   * forward()'s common steps around `run(x, out)`, the call: the storage for the saved tensor is made
   * ready first (a buffer of `acts` when that tensor is one: x if `saveX`, else the output, which
   * is `out` when given), so that a failed allocation throws before anything is written; then x
   * is copied there before the call (it may overwrite x: `out: x`), or the output after it.
   * Allocating may grow acts' memory, which detaches views of it: x or `out`, when it was a
   * Float32Array view of that memory, is rebuilt over the grown one (same place, same length). A
   * buffer of another instance, or a freed one, is refused before anything is allocated. If the
   * call throws, nothing stays saved and the storage is released.
   */
  protected saveAndRun(
    acts: Activations, x: Float32Array | ActivationBuffer, out: Output | undefined, saveX: boolean,
    run: (x: Float32Array | ActivationBuffer, out: Output | undefined) => Output,
  ): Output {
    checkOwner(acts, x, 'x');
    checkOwner(acts, out, 'out');
    const kept = saveX ? x : out;
    if (kept instanceof ActivationBuffer) {
      const memory = kept.array.buffer;
      const xAt = viewOf(x, memory);
      const outAt = viewOf(out, memory);
      this.saved.prepare(acts, x.length, true);
      if (memory.byteLength === 0) { // grown: the old views are detached
        x = xAt === null ? x : new Float32Array(kept.array.buffer, xAt[0], xAt[1]);
        out = outAt === null ? out : new Float32Array(kept.array.buffer, outAt[0], outAt[1]);
      }
    } else {
      this.saved.prepare(acts, x.length, false);
    }
    try {
      if (saveX) this.saved.store(x);
      const y = run(x, out);
      if (!saveX) this.saved.store(y);
      this.saved.commit();
      return y;
    } catch (error) {
      this.saved.release();
      throw error;
    }
  }

  /** The name of the tensor backward() uses: 'x', or 'y' for the softmax family. */
  protected abstract get savedName(): 'x' | 'y';

  /**
   * The gradient with respect to the last forward()'s input, from `dy`, the gradient with respect
   * to its output: `<name>Backward(dy, saved)` with the module's params, on the instance the
   * forward ran on. `options.out` may be `dy` itself (in place). May be called again for the same
   * forward. Throws an Error when no forward() completed (or after release()).
   */
  backward<O extends Output>(dy: Float32Input | ActivationBuffer, options: ModuleBackwardOptions<O> & { out: O }): O;
  backward(dy: Float32Input | ActivationBuffer, options?: ModuleBackwardOptions): Float32Array;
  backward(dy: Float32Input | ActivationBuffer, options?: ModuleBackwardOptions): Output {
    if (options !== undefined) checkOptions(options, BACKWARD_OPTIONS, `${this.className}.backward`);
    const opts = options as Record<string, unknown> | undefined;
    if (!this.saved.ready) {
      throw new Error(`${this.className}.backward() needs a forward() first: there is no saved ${this.savedName} (none yet, the last forward() threw, or release() dropped it)`);
    }
    return this.runBackward(this.saved.owner, dy, this.saved.tensor, this.callOptions(opts?.out as Output | undefined));
  }

  /**
   * Drops the saved tensor and frees the storage the module keeps for it (a buffer in the
   * instance's memory when forward() had buffer inputs). The module stays usable: the next
   * forward() saves again. Also runs at the end of a `using` block.
   */
  release(): void {
    this.saved.release();
  }

  /** {@link release}, for `using act = new ReLU()`. */
  [disposeSymbol](): void {
    this.release();
  }

  /** PyTorch's repr: the class name and the params, e.g. `LeakyReLU(alpha=0.2)`. */
  toString(): string {
    const fields = Object.entries(this.reprFields()).map(([k, v]) => `${k}=${String(v)}`);
    return `${this.className}(${fields.join(', ')})`;
  }

  /** The fields toString() shows. */
  protected reprFields(): Record<string, unknown> {
    return this.params;
  }

  /** The options of a function call: the params, `out`, and for the softmax family the layout. */
  protected abstract callOptions(out: Output | undefined): object | undefined;

  /** Runs the forward function on `acts` (a module with its own state, like PReLU's weight, overrides this). */
  protected runForward(acts: Activations, x: Float32Input | ActivationBuffer, options: object | undefined): Output {
    return (acts[this.activation] as unknown as Loose)(x, options);
  }

  /** Runs `<name>Backward` on `acts` (overridable as runForward). */
  protected runBackward(acts: Activations, dy: Float32Input | ActivationBuffer, saved: Output, options: object | undefined): Output {
    return (acts[`${this.activation}Backward`] as unknown as Loose)(dy, saved, options);
  }
}

/** [byteOffset, length] of `view` when it is a Float32Array view of `memory`, else null. */
function viewOf(view: unknown, memory: ArrayBufferLike): [number, number] | null {
  return view instanceof Float32Array && view.buffer === memory ? [view.byteOffset, view.length] : null;
}

const BACKWARD_OPTIONS: OptionNames = optionNames('out');
const ELEMENTWISE_FORWARD_OPTIONS: OptionNames = optionNames('out');
export const REDUCTION_FORWARD_OPTIONS: OptionNames = optionNames('out', 'shape');

/** A module of an element-wise activation: forward() keeps a copy of x, backward() is dy · f′(x). */
export abstract class ElementwiseModule<N extends ActivationName = ElementwiseName> extends ActivationModule<N> {
  /**
   * PyTorch's `inplace` (on the classes whose torch.nn module has it; false elsewhere): forward(x)
   * writes into x unless given another `out`.
   */
  readonly inplace: boolean;
  readonly #params: object | undefined;

  /** @param inplace whether the class takes PyTorch's `inplace` option (its torch.nn module does) */
  protected constructor(name: N, options: ModuleOptions<N> | undefined, className: string, extra: readonly string[] = [], inplace = false) {
    super(name, options, className, inplace ? [...extra, 'inplace'] : extra);
    const flag = inplace ? (options as InplaceOption | undefined)?.inplace : undefined; // options, if given, is an object (checked above)
    if (flag !== undefined && typeof flag !== 'boolean') throw new TypeError(`inplace must be a boolean; got ${describe(flag)}`);
    this.inplace = flag === true;
    this.#params = Object.keys(this.params).length === 0 ? undefined : this.params;
  }

  protected get savedName(): 'x' {
    return 'x';
  }

  /**
   * The activation of `x` (a Float32Array, another numeric array, or an ActivationBuffer):
   * `options.out` when given (which may be `x` itself: in place), else a new Float32Array. Keeps
   * a copy of x for backward(), replacing the previous forward's; changing x afterwards does not
   * change the gradient. If it throws, no tensor stays saved.
   */
  forward<O extends Output>(x: Float32Input | ActivationBuffer, options: ModuleForwardOptions<N, O> & { out: O }): O;
  forward(x: Float32Input | ActivationBuffer, options?: ModuleForwardOptions<N>): Float32Array;
  forward(x: Float32Input | ActivationBuffer, options?: ModuleForwardOptions<N>): Output {
    this.saved.clear(); // first: a forward that throws, whatever the reason, leaves nothing saved
    if (options !== undefined) checkOptions(options, ELEMENTWISE_FORWARD_OPTIONS, `${this.className}.forward`);
    const opts = options as Record<string, unknown> | undefined;
    const acts = this.activations;
    const operand = toOperand(x, 'x');
    let out = opts?.out as Output | undefined;
    if (out === undefined && this.inplace) {
      // In place into the caller's x: a Float32Array or a buffer, not an array converted for the call.
      if (operand !== x) throw new TypeError(`${this.className} with inplace: x must be a Float32Array or an ActivationBuffer to be written in place; got ${describe(x)}`);
      out = operand;
    }
    return this.saveAndRun(acts, operand, out, true, (input, y) => this.runForward(acts, input, this.callOptions(y)));
  }

  protected callOptions(out: Output | undefined): object | undefined {
    return out === undefined ? this.#params : { ...this.params, out };
  }

  protected override reprFields(): Record<string, unknown> {
    return this.inplace ? { ...this.params, inplace: 'True' } : this.params;
  }
}

/**
 * The `dim` constructor option of a module along a dimension (the softmax family, GLU): -1 when
 * absent. Its range depends on each call's shape; its type is checked now, with the functions'
 * message.
 */
export function dimOption(options: object | undefined): number {
  const dim = (options as { dim?: unknown } | undefined)?.dim;
  if (dim !== undefined && (typeof dim !== 'number' || !Number.isInteger(dim))) {
    throw new TypeError(`dim must be an integer; got ${describe(dim)}`);
  }
  return dim === undefined ? -1 : dim;
}

/**
 * A module of a softmax-like activation along `dim`: forward() keeps a copy of its output y,
 * backward() is `<name>Backward(dy, y)` over the forward's shape.
 */
export abstract class ReductionModule<N extends ActivationName = ReductionName> extends ActivationModule<N> {
  /** The dimension normalised (negative counts from the end), as PyTorch's `dim`. */
  readonly dim: number;
  #shape: readonly number[] | undefined = undefined;

  protected constructor(name: N, options: ModuleOptions<N> | undefined, className: string, extra: readonly string[] = []) {
    super(name, options, className, extra);
    this.dim = dimOption(options);
  }

  protected get savedName(): 'y' {
    return 'y';
  }

  /**
   * The activation of `x` along the module's `dim` of `options.shape` (default `[x.length]`):
   * `options.out` when given (which may be `x`: in place), else a new Float32Array. Keeps a copy
   * of the output y and the shape for backward(), replacing the previous forward's; changing the
   * returned y afterwards does not change the gradient. If it throws, no tensor stays saved.
   */
  forward<O extends Output>(x: Float32Input | ActivationBuffer, options: ModuleForwardOptions<N, O> & { out: O }): O;
  forward(x: Float32Input | ActivationBuffer, options?: ModuleForwardOptions<N>): Float32Array;
  forward(x: Float32Input | ActivationBuffer, options?: ModuleForwardOptions<N>): Output {
    this.saved.clear(); // first: a forward that throws, whatever the reason, leaves nothing saved
    if (options !== undefined) checkOptions(options, REDUCTION_FORWARD_OPTIONS, `${this.className}.forward`);
    const opts = options as Record<string, unknown> | undefined;
    const acts = this.activations;
    // A copy, made before the call and passed to it, so that backward() gets the very shape the
    // forward ran with (the caller may reuse theirs, or hand a shape whose entries are getters);
    // anything that is not an Array goes to the function as is, for its own error.
    const given = opts?.shape;
    const shape = Array.isArray(given) ? [...(given as readonly number[])] : (given as readonly number[] | undefined);
    this.#shape = shape;
    const operand = toOperand(x, 'x');
    return this.saveAndRun(acts, operand, opts?.out as Output | undefined, false, (input, out) => this.runForward(acts, input, { ...this.params, dim: this.dim, shape, out }));
  }

  protected callOptions(out: Output | undefined): object {
    return { ...this.params, dim: this.dim, shape: this.#shape, out };
  }

  protected override reprFields(): Record<string, unknown> {
    return { ...this.params, dim: this.dim };
  }
}

/** The constructor of the module of activation `N` (taking `inplace` when `I`), with its registry name as a static. */
export type ModuleClass<N extends ElementwiseName | ReductionName, I extends boolean = false> = (N extends ReductionName
  ? new (...args: ModuleArguments<N>) => ReductionModule<N>
  : new (...args: ModuleArguments<N, I extends true ? InplaceOption : {}>) => ElementwiseModule<N>) & {
  /** The functional API's name of the activation. */
  readonly activation: N;
};

/**
 * The base class of the module of activation `name`, for `export class ReLU extends
 * activationModule('relu', 'ReLU', true) {}`: an element-wise or a softmax-like module by the
 * definition's kind, whose constructor takes {@link ModuleOptions}, and {@link InplaceOption} when
 * `inplace` (PyTorch's module has it).
 */
export function activationModule<N extends ElementwiseName | ReductionName, I extends boolean = false>(name: N, className: string, inplace?: I): ModuleClass<N, I> {
  if (!Object.prototype.hasOwnProperty.call(definitions, name)) throw new Error(`no activation named ${String(name)}`);
  const definition = definitions[name] as Definition;
  if (definition.kind !== 'elementwise' && definition.kind !== 'reduction') {
    throw new Error(`${name} is neither element-wise nor softmax-like: its module is a class of its own`);
  }
  if (definition.kind === 'reduction') {
    return class extends ReductionModule<N> {
      static readonly activation = name;
      constructor(options?: ModuleOptions<N>) {
        super(name, options, className);
      }
    } as unknown as ModuleClass<N, I>;
  }
  return class extends ElementwiseModule<N> {
    static readonly activation = name;
    constructor(options?: ModuleOptions<N>) {
      super(name, options, className, [], inplace === true);
    }
  } as unknown as ModuleClass<N, I>;
}
