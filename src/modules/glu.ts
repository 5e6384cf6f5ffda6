// torch.nn.GLU(dim=-1): the gated linear unit as a module. Its output is half its input along
// `dim`, so it is neither an element-wise module (same length out) nor a softmax-like one
// (backward from y): forward() keeps a copy of x and the call's shape, and backward(dy) is
// gluBackward(dy, x, { dim, shape }), dx of x's length.
import type { Activations, OutOption } from '../instance.js';
import type { ActivationBuffer } from '../runtime/buffer.js';
import { checkOptions, optionNames, toOperand, type OptionNames } from '../runtime/validate.js';
import type { Float32Input } from '../spec.js';
import { ActivationModule, dimOption } from './base.js';
import type { InstanceOption, Output, ShapeOption } from './types.js';

/** The constructor options of {@link GLU}, as torch.nn.GLU(dim=-1). */
export interface GLUOptions extends InstanceOption {
  /** The dimension split in halves (its size must be even at forward()); negative counts from the end. Default -1. */
  dim?: number;
}

/** The options of GLU's forward(): `out` (x.length / 2 floats), and the `shape` of x. */
export type GLUForwardOptions<O extends Output = Output> = OutOption<O> & ShapeOption;

const FORWARD_OPTIONS: OptionNames = optionNames('out', 'shape');

/**
 * GLU, `a * sigmoid(b)` over the halves a and b of x along `dim`, as a module (torch.nn.GLU).
 * forward(x, { shape }) returns half x's size along dim and keeps a copy of x; backward(dy)
 * returns dx, of x's length.
 * @example
 * const glu = new GLU({ dim: 1 });
 * const y = glu.forward(x, { shape: [batch, 2 * hidden] }); // [batch, hidden]
 * const dx = glu.backward(dy);                               // [batch, 2 * hidden]
 */
export class GLU extends ActivationModule<'glu'> {
  /** The functional API's name of the activation. */
  static readonly activation = 'glu';
  /** The dimension halved (negative counts from the end), as PyTorch's `dim`. */
  readonly dim: number;
  #shape: readonly number[] | undefined = undefined;

  constructor(options?: GLUOptions) {
    super('glu', options, 'GLU', ['dim']);
    this.dim = dimOption(options);
  }

  protected get savedName(): 'x' {
    return 'x';
  }

  /**
   * GLU of `x` along the module's dim of `options.shape` (default `[x.length]`): `options.out`
   * when given (x.length / 2 floats, not overlapping x), else a new Float32Array. Keeps a copy of
   * x and the shape for backward(), replacing the previous forward's; if it throws, nothing stays
   * saved.
   */
  forward<O extends Output>(x: Float32Input | ActivationBuffer, options: GLUForwardOptions<O> & { out: O }): O;
  forward(x: Float32Input | ActivationBuffer, options?: GLUForwardOptions): Float32Array;
  forward(x: Float32Input | ActivationBuffer, options?: GLUForwardOptions): Output {
    this.saved.clear(); // first: a forward that throws, whatever the reason, leaves nothing saved
    if (options !== undefined) checkOptions(options, FORWARD_OPTIONS, 'GLU.forward');
    const opts = options as Record<string, unknown> | undefined;
    const acts = this.activations;
    const operand = toOperand(x, 'x');
    const shape = opts?.shape as readonly number[] | undefined;
    // A copy (the caller may reuse theirs); anything else goes to glu() as is, for its own error.
    this.#shape = Array.isArray(shape) ? [...shape] : shape;
    return this.saveAndRun(acts, operand, opts?.out as Output | undefined, true, (input, out) => this.runForward(acts, input, this.callOptions(out)));
  }

  protected callOptions(out: Output | undefined): object {
    return { dim: this.dim, shape: this.#shape, out };
  }

  protected override runForward(acts: Activations, x: Float32Input | ActivationBuffer, options: object | undefined): Output {
    return acts.glu(x, options as GLUForwardOptions & { dim: number });
  }

  protected override reprFields(): Record<string, unknown> {
    return { dim: this.dim };
  }
}
