// torch.nn.RReLU: leaky ReLU whose negative slope is random while training. In training mode (the
// default, as PyTorch's) forward() draws a slope r = lower + (upper - lower)·u, u = random() in
// [0, 1), rounded to float32, for each element with x <= 0 (PyTorch's CPU kernel: `if (input <= 0)`),
// keeps the slopes as the "noise" (1 where x > 0 or x is NaN) and returns x > 0 ? x : r·x; backward()
// is dy · noise. Both are plain loops over the module's saved copy of x and its noise, with the
// functions' own argument checks: the draws cost more than the arithmetic (random() ~7 ns each).
// At 64Ki with Math.random: 9.5 ns per element forward and 1.2 backward; the prelu kernels with one
// weight per element (shape [1, n]), tried first, took 17 and 4.8. After eval() it is the functional
// rrelu() with the mean slope, on the instance's kernels.
import { checkOwner, type Activations } from '../instance.js';
import { ActivationBuffer } from '../runtime/buffer.js';
import { checkBackwardOperands, checkOut } from '../runtime/validate.js';
import type { Float32Input } from '../spec.js';
import { ElementwiseModule } from './base.js';
import type { InplaceOption, InstanceOption, Output } from './types.js';

/** The constructor options of {@link RReLU}, as torch.nn.RReLU(lower=1/8, upper=1/3). */
export interface RReLUOptions extends InstanceOption, InplaceOption {
  /** The lower bound of the random slopes, a float32-range number <= upper. Default 1/8. */
  lower?: number;
  /** The upper bound of the random slopes. Default 1/3. */
  upper?: number;
  /** Where training mode's draws come from: a function returning numbers in [0, 1). Default Math.random. */
  random?: () => number;
}

const EXTRA_OPTIONS: readonly string[] = ['random'];

/**
 * RReLU as a module (torch.nn.RReLU; lower, upper). {@link RReLU.training} is true at first, as in
 * PyTorch: forward() draws one slope per element with x <= 0, uniform in [lower, upper] from the
 * `random` option (default Math.random), and backward() multiplies dy by the slopes of the last
 * forward() (1 where x > 0), which it keeps until the next forward(). After {@link RReLU.eval}
 * forward() is `rrelu(x, { lower, upper })` and backward() `rreluBackward(dy, x, { lower, upper })`.
 * backward() differentiates the last forward() in the mode it ran in.
 * @example
 * const act = new RReLU({ lower: 0.1, upper: 0.3 });
 * const y = act.forward(x); // training: random slopes
 * const dx = act.backward(dy); // dy · the slopes drawn
 * act.eval().forward(x); // x > 0 ? x : 0.2·x
 */
export class RReLU extends ElementwiseModule<'rrelu'> {
  /** The functional API's name of the activation. */
  static readonly activation = 'rrelu';
  /** Training mode (random slopes) when true, evaluation mode (the mean slope) when false; train() and eval() set it. */
  training = true;
  readonly #random: () => number;
  /** The slopes of the last training forward(): the module's array, reused while the length stays (null after release()). */
  #noise: Float32Array | null = null;
  /** Whether the last forward() ran in training mode (its backward() uses the noise). */
  #forwardTraining = false;

  constructor(options?: RReLUOptions) {
    super('rrelu', options, 'RReLU', EXTRA_OPTIONS, true);
    const random = options?.random ?? Math.random;
    if (typeof random !== 'function') throw new TypeError('random must be a function');
    this.#random = random;
  }

  /** Sets training mode (`mode` true, the default) or evaluation mode; returns the module, as PyTorch's train(). */
  train(mode = true): this {
    if (typeof mode !== 'boolean') throw new TypeError(`train(mode): mode must be a boolean; got ${typeof mode}`);
    this.training = mode;
    return this;
  }

  /** Evaluation mode: forward() is rrelu() with the mean slope. Returns the module, as PyTorch's eval(). */
  eval(): this {
    return this.train(false);
  }

  protected override runForward(acts: Activations, x: Float32Input | ActivationBuffer, options: object | undefined): Output {
    this.#forwardTraining = false;
    if (!this.training) return super.runForward(acts, x, options);
    // The saved copy of x (stored before this call): read before an in-place call overwrites x.
    const saved = this.saved.tensor;
    const xs = saved instanceof Float32Array ? saved : saved.array;
    const n = xs.length;
    // x and out checked as the functions check them (length, overlap, freed, a buffer of this
    // instance), before anything is drawn.
    checkOwner(acts, x, 'x');
    const out = checkOut((options as { out?: unknown } | undefined)?.out, x as Float32Array | ActivationBuffer) ?? new Float32Array(n);
    checkOwner(acts, out, 'out');
    const ys = out instanceof ActivationBuffer ? out.array : out;
    const noise = this.#noise?.length === n ? this.#noise : (this.#noise = new Float32Array(n));
    const { lower, upper } = this.params;
    const range = upper - lower;
    // Every draw first, then the output: a random() that throws or strays leaves out unchanged.
    for (let i = 0; i < n; i++) {
      if (xs[i] <= 0) {
        const u = this.#random();
        if (!(u >= 0 && u < 1)) throw new RangeError(`random() must return numbers in [0, 1); got ${u}`);
        noise[i] = lower + range * u; // rounded to float32 on the store, as PyTorch's float slopes
      } else {
        noise[i] = 1; // x > 0, and NaN (NaN <= 0 is false): y = x
      }
    }
    for (let i = 0; i < n; i++) ys[i] = xs[i] * noise[i]; // x itself where the noise is 1; else one float32 rounding
    this.#forwardTraining = true;
    return out;
  }

  protected override runBackward(acts: Activations, dy: Float32Input | ActivationBuffer, saved: Output, options: object | undefined): Output {
    if (!this.#forwardTraining) return super.runBackward(acts, dy, saved, options);
    const noise = this.#noise as Float32Array;
    // dy and out checked as rreluBackward checks them, against the saved x.
    const checked = checkBackwardOperands(dy, saved, 'x', (options as { out?: unknown } | undefined)?.out);
    checkOwner(acts, checked.dy, 'dy');
    if (checked.out !== undefined) checkOwner(acts, checked.out, 'out');
    const dys = checked.dy instanceof ActivationBuffer ? checked.dy.array : checked.dy;
    const out = checked.out ?? new Float32Array(noise.length);
    const dx = out instanceof ActivationBuffer ? out.array : out;
    for (let i = 0; i < noise.length; i++) dx[i] = dys[i] * noise[i]; // one float32 rounding
    return out;
  }

  /** Drops the saved x and the noise, freeing their storage; the module stays usable. */
  override release(): void {
    super.release();
    this.#noise = null;
    this.#forwardTraining = false;
  }
}
