// torch.nn.Softmax2d: softmax over the channels at each spatial location of an image batch, that
// is softmax along dim -3 of a [C, H, W] or [N, C, H, W] input. PyTorch has no functional form
// of it (its forward is `F.softmax(input, -3)` after a check of the input's rank), so neither
// does this package: the class is a softmax module whose dim is fixed and whose forward()
// insists on a 3-D or 4-D shape.
import { REDUCTION_FORWARD_OPTIONS, ReductionModule } from './base.js';
import { checkOptions } from '../runtime/validate.js';
import type { ActivationBuffer } from '../runtime/buffer.js';
import type { Float32Input } from '../spec.js';
import type { InstanceOption, ModuleForwardOptions, Output } from './types.js';

/** The options of `new Softmax2d()`: only where it runs (its dim is always -3). */
export type Softmax2dOptions = InstanceOption;

/** The options of Softmax2d's forward(): `out`, and the `shape` of x, which must have 3 or 4 dims. */
export type Softmax2dForwardOptions<O extends Output = Output> = ModuleForwardOptions<'softmax', O> & {
  /** [C, H, W] or [N, C, H, W] (row-major); its product must be `x.length`. */
  shape: readonly number[];
};

/**
 * Softmax over the channels of each pixel (torch.nn.Softmax2d): `softmax` along dim -3 of a
 * `[C, H, W]` or `[N, C, H, W]` input, whose `shape` each forward() must give. backward(dy) is
 * `softmaxBackward(dy, y, { dim: -3, shape })` from the saved output, as the Softmax module's.
 * @example const seg = new Softmax2d(); const p = seg.forward(logits, { shape: [1, 21, 64, 64] }); const dLogits = seg.backward(dp);
 */
export class Softmax2d extends ReductionModule<'softmax'> {
  /**
   * @param options `activations`, the instance to run on (default: the default instance at each
   * forward()). No `dim`: it is -3, as in PyTorch, where Softmax2d takes no arguments.
   */
  constructor(options?: Softmax2dOptions) {
    if (options !== null && typeof options === 'object' && 'dim' in options) {
      throw new TypeError('new Softmax2d: unknown option dim (Softmax2d always normalises dim -3, the channels; use new Softmax({ dim }) for another dim)');
    }
    // Anything but an object goes through as given, for the base class's TypeError.
    const withDim = options === undefined ? { dim: -3 } : options !== null && typeof options === 'object' ? { ...options, dim: -3 } : options;
    super('softmax', withDim, 'Softmax2d');
  }

  /**
   * Softmax over the channels (dim -3) of `x`, whose `options.shape` must be `[C, H, W]` or
   * `[N, C, H, W]` (a RangeError otherwise, before anything is written, as PyTorch's check of
   * the input's rank): `options.out` when given (which may be `x`: in place), else a new
   * Float32Array. Keeps a copy of the output for backward().
   */
  override forward<O extends Output>(x: Float32Input | ActivationBuffer, options: Softmax2dForwardOptions<O> & { out: O }): O;
  override forward(x: Float32Input | ActivationBuffer, options: Softmax2dForwardOptions): Float32Array;
  override forward(x: Float32Input | ActivationBuffer, options: Softmax2dForwardOptions): Output {
    this.saved.clear(); // first: a forward that throws, whatever the reason, leaves nothing saved
    if (options !== undefined) checkOptions(options, REDUCTION_FORWARD_OPTIONS, 'Softmax2d.forward');
    const opts = options as unknown as Record<string, unknown> | undefined;
    // Each option read once: the shape checked here is the one the call runs with (a copy).
    const given = opts?.shape;
    const shape = Array.isArray(given) ? [...(given as readonly number[])] : given;
    if (!Array.isArray(shape) || (shape.length !== 3 && shape.length !== 4)) {
      const got = Array.isArray(shape) ? `a shape of ${shape.length} dims ([${shape.join(', ')}])` : shape === undefined ? 'no shape' : `shape ${String(shape)}`;
      throw new RangeError(`Softmax2d.forward: shape must have 3 dims [C, H, W] or 4 dims [N, C, H, W]; got ${got}`);
    }
    const out = opts?.out as Output | undefined;
    return super.forward(x, out === undefined ? { shape } : { shape, out });
  }

  protected override reprFields(): Record<string, unknown> {
    return {};
  }
}
