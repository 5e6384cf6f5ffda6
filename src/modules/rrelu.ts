// torch.nn.RReLU: leaky ReLU whose negative slope is random while training. In training mode (the
// default, as PyTorch's) forward() uses a slope r = lower + (upper - lower)·u, u uniform in [0, 1),
// rounded to float32, for each element with x <= 0 (PyTorch's CPU kernel: `if (input <= 0)`),
// keeps the slopes as the "noise" (1 where x > 0 or x is NaN) and returns x > 0 ? x : r·x; backward()
// is dy · noise. Both are plain loops over the module's saved copy of x and its noise, with the
// functions' own argument checks. u comes from the module's own xoshiro128+ generator (./xoshiro.ts,
// seeded by the `seed` option or from Math.random), inlined in the loop with one draw per element,
// or from a `random` callback, called for each element with x <= 0. At 64Ki (V8/x64, uniform x in
// [-6, 6]): 2.7-3.0 ns per element forward with the generator, 9.0-9.5 through a callback of
// Math.random (~7 ns a draw); 1.2 backward. The prelu kernels with one weight per element (shape
// [1, n]), tried first, took 17 and 4.8. After eval() it is the functional rrelu() with the mean
// slope, on the instance's kernels.
import { checkOwner, type Activations } from '../instance.js';
import { ActivationBuffer } from '../runtime/buffer.js';
import { checkBackwardOperands, checkOut } from '../runtime/validate.js';
import type { Float32Input } from '../spec.js';
import { ElementwiseModule } from './base.js';
import { DRAW_SCALE, entropySeed, xoshiroState } from './xoshiro.js';
import type { InplaceOption, InstanceOption, Output } from './types.js';

/** The constructor options of {@link RReLU}, as torch.nn.RReLU(lower=1/8, upper=1/3). */
export interface RReLUOptions extends InstanceOption, InplaceOption {
  /** The lower bound of the random slopes, a float32-range number <= upper. Default 1/8. */
  lower?: number;
  /** The upper bound of the random slopes. Default 1/3. */
  upper?: number;
  /**
   * The seed of the module's generator (xoshiro128+) of training mode's draws, a non-negative safe
   * integer: the same seed gives the same slopes for the same sequence of forward() calls, on
   * every backend. The generator draws once per element (the i-th draw of a call is element i's
   * u; elements with x > 0 leave theirs unused). Default: a seed from Math.random. Not with `random`.
   */
  seed?: number;
  /**
   * Where training mode's draws come from instead of the module's generator: a function returning
   * numbers in [0, 1), called once per element with x <= 0 (slower: a call per draw). Not with `seed`.
   */
  random?: () => number;
}

const EXTRA_OPTIONS: readonly string[] = ['random', 'seed'];

/**
 * RReLU's training forward with the module's generator: one xoshiro128+ step per element, whatever
 * its sign (drawing only where x <= 0, as with `random`, branches on the sign, which random signs
 * mispredict: 4.5 against 1.7 ns per element in a loop of its own), the state in locals. The draws
 * cannot fail, so ys is written as they go (xs is the module's saved copy, never ys).
 */
function applyDraws(state: Int32Array, xs: Float32Array, ys: Float32Array, noise: Float32Array, lower: number, range: number): void {
  let s0 = state[0], s1 = state[1], s2 = state[2], s3 = state[3];
  for (let i = 0; i < xs.length; i++) {
    const v = xs[i];
    const u = ((s0 + s3) >>> 8) * DRAW_SCALE; // the top 24 bits of the output
    const t = s1 << 9;
    s2 ^= s0;
    s3 ^= s1;
    s1 ^= s2;
    s0 ^= s3;
    s2 ^= t;
    s3 = (s3 << 11) | (s3 >>> 21);
    const r = Math.fround(lower + range * u); // the slope rounded to float32, as PyTorch keeps it
    // r where x <= 0, else 1 (x > 0, and NaN: NaN <= 0 is false), without a branch: k is 0 or 1,
    // r k + (1 - k) is r or 1 exactly. (A conditional expression: 5.5 against 1.7-2.2 ns per element.)
    const k = +(v <= 0);
    const slope = r * k + (1 - k);
    noise[i] = slope;
    ys[i] = v * slope; // exact in float64 (24 x 24 bits), rounded once by the store: x itself where the slope is 1
  }
  state[0] = s0;
  state[1] = s1;
  state[2] = s2;
  state[3] = s3;
}

/**
 * RReLU as a module (torch.nn.RReLU; lower, upper). {@link RReLU.training} is true at first, as in
 * PyTorch: forward() draws one slope per element with x <= 0, uniform in [lower, upper] from the
 * module's generator (the `seed` option makes it reproducible) or the `random` option, and
 * backward() multiplies dy by the slopes of the last
 * forward() (1 where x > 0), which it keeps until the next forward(). After {@link RReLU.eval}
 * forward() is `rrelu(x, { lower, upper })` and backward() `rreluBackward(dy, x, { lower, upper })`.
 * backward() differentiates the last forward() in the mode it ran in.
 * @example
 * const act = new RReLU({ lower: 0.1, upper: 0.3, seed: 42 });
 * const y = act.forward(x); // training: random slopes
 * const dx = act.backward(dy); // dy · the slopes drawn
 * act.eval().forward(x); // x > 0 ? x : 0.2·x
 */
export class RReLU extends ElementwiseModule<'rrelu'> {
  /** The functional API's name of the activation. */
  static readonly activation = 'rrelu';
  /** Training mode (random slopes) when true, evaluation mode (the mean slope) when false; train() and eval() set it. */
  training = true;
  /** The `random` option, or null for the module's generator. */
  readonly #random: (() => number) | null;
  /** The generator's state (xoshiro128+), advanced by each training forward(). */
  readonly #state: Int32Array;
  /** The slopes of the last training forward(): the module's array, reused while the length stays (null after release()). */
  #noise: Float32Array | null = null;
  /** Whether the last forward() ran in training mode (its backward() uses the noise). */
  #forwardTraining = false;

  constructor(options?: RReLUOptions) {
    super('rrelu', options, 'RReLU', EXTRA_OPTIONS, true);
    const random = options?.random;
    const seed = options?.seed;
    if (random !== undefined && typeof random !== 'function') throw new TypeError('random must be a function');
    if (random !== undefined && seed !== undefined) throw new TypeError('seed and random cannot both be given: seed seeds the module\'s generator, random replaces it');
    this.#random = random ?? null;
    this.#state = xoshiroState(seed === undefined ? entropySeed() : seed); // null is not absent: a TypeError
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
    if (this.#noise?.length !== n) this.#noise = new Float32Array(n);
    const noise = this.#noise;
    const { lower, upper } = this.params;
    const range = upper - lower;
    if (this.#random === null) {
      applyDraws(this.#state, xs, ys, noise, lower, range);
      this.#forwardTraining = true;
      return out;
    }
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
