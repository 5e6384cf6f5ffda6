// torch.nn.PReLU: the one module that owns learnable state. Its weight (numParameters values,
// each starting at `init`) is the module's; forward() passes it to prelu() with the call's shape,
// and backward() returns dx and adds the weight's gradient into `weightGrad`, as PyTorch adds
// into `.grad`: an optimizer step reads it, and zeroGrad() clears it before the next batch.
import type { Activations, OutOption, WeightInput } from '../instance.js';
import type { ActivationBuffer } from '../runtime/buffer.js';
import { checkOptions, checkWeight, describe, optionNames, type OptionNames } from '../runtime/validate.js';
import type { Float32Input } from '../spec.js';
import { ElementwiseModule } from './base.js';
import type { InstanceOption, Output, ShapeOption } from './types.js';

/** The constructor options of {@link PReLU}, as torch.nn.PReLU(num_parameters=1, init=0.25). */
export interface PReLUOptions extends InstanceOption {
  /** How many weights: 1 (shared by every element) or C, one per channel (dim 1 of forward()'s shape). Default 1. */
  numParameters?: number;
  /** Every weight's initial value, finite as a float32 (rounded to it). Default 0.25. */
  init?: number;
}

/** The options of PReLU's forward(): `out`, and the `shape` of x whose dim 1 is the channel dim. */
export type PReLUForwardOptions<O extends Output = Output> = OutOption<O> & ShapeOption;

const FORWARD_OPTIONS: OptionNames = optionNames('out', 'shape');
const EXTRA_OPTIONS: readonly string[] = ['numParameters', 'init'];

/**
 * PReLU, `x > 0 ? x : weight[c]·x`, as a module (torch.nn.PReLU; num_parameters, init →
 * numParameters, init), with its learnable weight.
 *
 * Gradient semantics are PyTorch's: each backward() ADDS the weight's gradient into
 * {@link PReLU.weightGrad} (float32 additions, as `.grad +=`), so the gradients of several
 * backward passes (micro-batches, a shared module) sum up; call {@link PReLU.zeroGrad} before each
 * batch. `weightGrad` is null until the first backward() and after zeroGrad() (PyTorch 2's
 * `zero_grad(set_to_none=True)`). backward(dy, { out }) returns dx only; it uses the weight as it was at forward() time, so an
 * optimizer step between the two passes does not skew dx.
 * @example
 * const act = new PReLU({ numParameters: 3 });
 * const y = act.forward(x, { shape: [batch, 3] });
 * const dx = act.backward(dy);
 * for (let c = 0; c < 3; c++) act.weight[c] -= lr * act.weightGrad![c];
 * act.zeroGrad();
 */
export class PReLU extends ElementwiseModule<'prelu'> {
  /** The functional API's name of the activation. */
  static readonly activation = 'prelu';
  /** The number of weights: 1, or the channel count C of forward()'s shape. */
  readonly numParameters: number;
  readonly #weight: Float32Array;
  /** The weight the last forward() ran with (backward() differentiates that forward). */
  readonly #forwardWeight: Float32Array;
  /** Where preluBackward writes this pass's weight gradient before it is added into #grad. */
  readonly #dweight: Float32Array;
  #grad: Float32Array | null = null;
  #shape: readonly number[] | undefined = undefined;

  constructor(options?: PReLUOptions) {
    super('prelu', options, 'PReLU', EXTRA_OPTIONS);
    const numParameters = options?.numParameters ?? 1;
    if (typeof numParameters !== 'number' || !Number.isInteger(numParameters)) {
      throw new TypeError(`numParameters must be a positive integer; got ${describe(numParameters)}`);
    }
    if (numParameters < 1 || !Number.isSafeInteger(numParameters)) {
      throw new RangeError(`numParameters must be a positive integer; got ${describe(numParameters)}`);
    }
    const init = options?.init ?? 0.25;
    if (typeof init !== 'number') throw new TypeError(`init must be a number; got ${describe(init)}`);
    const w = Math.fround(init);
    if (!Number.isFinite(w)) throw new RangeError(`init must be finite as a float32 (|init| <= 3.4028234663852886e38); got ${init}`);
    this.numParameters = numParameters;
    this.#weight = new Float32Array(numParameters).fill(w);
    this.#forwardWeight = new Float32Array(numParameters);
    this.#dweight = new Float32Array(numParameters);
  }

  /** Its params are its weights, not numeric params: the function's checks run at forward(). */
  protected override checkParams(): void {}

  /**
   * The learnable weight: the module's own Float32Array of numParameters values (the same array
   * for the module's life), to read and to update in place (an optimizer step).
   */
  get weight(): Float32Array {
    return this.#weight;
  }

  /**
   * Copies new weights in: a number (every weight) or numParameters numbers, each finite as a
   * float32. The array {@link PReLU.weight} returns stays the same.
   */
  set weight(value: WeightInput) {
    if (typeof value !== 'number' && (value instanceof Float32Array || Array.isArray(value)) && value.length !== this.numParameters) {
      throw new RangeError(`PReLU.weight must hold numParameters (${this.numParameters}) weights; got ${value.length}`);
    }
    const checked = checkWeight(value, this.numParameters, 'PReLU.weight');
    if (checked.length === 1) this.#weight.fill(checked[0]);
    else this.#weight.set(checked);
  }

  /**
   * The weight's gradient summed over the backward() calls since construction or the last
   * zeroGrad(); null before any. The module's own array: an optimizer reads it, and may scale it.
   */
  get weightGrad(): Float32Array | null {
    return this.#grad;
  }

  /** Clears the accumulated weight gradient (weightGrad becomes null), as PyTorch's zero_grad(). */
  zeroGrad(): void {
    this.#grad = null;
  }

  /**
   * The activation of `x` with the module's weight: `options.shape` gives x's layout (dim 1 is
   * the channel dim, which must have numParameters entries unless numParameters is 1; default
   * `[x.length]`); `options.out` when given (which may be `x`: in place), else a new Float32Array.
   * Keeps a copy of x, the shape and the weight for backward(); if it throws, nothing stays saved.
   */
  override forward<O extends Output>(x: Float32Input | ActivationBuffer, options: PReLUForwardOptions<O> & { out: O }): O;
  override forward(x: Float32Input | ActivationBuffer, options?: PReLUForwardOptions): Float32Array;
  override forward(x: Float32Input | ActivationBuffer, options?: PReLUForwardOptions): Output {
    this.saved.clear(); // first: a forward that throws, whatever the reason, leaves nothing saved
    if (options !== undefined) checkOptions(options, FORWARD_OPTIONS, 'PReLU.forward');
    const opts = options as Record<string, unknown> | undefined;
    const shape = opts?.shape;
    // A copy (the caller may reuse theirs); anything else goes to prelu() as is, for its own error.
    this.#shape = Array.isArray(shape) ? [...(shape as readonly number[])] : (shape as readonly number[] | undefined);
    return super.forward(x, opts?.out === undefined ? undefined : { out: opts.out as Output });
  }

  protected override runForward(acts: Activations, x: Float32Input | ActivationBuffer, options: object | undefined): Output {
    this.#forwardWeight.set(this.#weight);
    const out = (options as { out?: Output } | undefined)?.out;
    return acts.prelu(x, { weight: this.#forwardWeight, shape: this.#shape, out });
  }

  protected override runBackward(acts: Activations, dy: Float32Input | ActivationBuffer, saved: Output, options: object | undefined): Output {
    const out = (options as { out?: Output } | undefined)?.out;
    const { dx } = acts.preluBackward(dy, saved, { weight: this.#forwardWeight, shape: this.#shape, out, weightOut: this.#dweight });
    // Added after the call succeeded: a pass that throws adds nothing.
    if (this.#grad === null) {
      this.#grad = this.#dweight.slice();
    } else {
      for (let i = 0; i < this.#grad.length; i++) this.#grad[i] += this.#dweight[i];
    }
    return dx;
  }

  protected override reprFields(): Record<string, unknown> {
    return { numParameters: this.numParameters };
  }
}
