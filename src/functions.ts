// The top-level activation functions: each runs on the default instance (see init()).
import { defaultActivations } from './default-instance.js';
import type { ActivationFunctions, BackwardName } from './instance.js';
import type { ActivationName } from './registry.js';

/** The default instance's function `name`, looked up at each call (init() may switch it). */
function onDefault<K extends ActivationName>(name: K): ActivationFunctions[K] {
  return ((x: never, options: never) => (defaultActivations()[name] as (x: never, o: never) => unknown)(x, options)) as unknown as ActivationFunctions[K];
}

/** The default instance's backward pass `name`, looked up at each call. */
function backwardOnDefault<K extends BackwardName>(name: K): ActivationFunctions[K] {
  return ((dy: never, saved: never, options: never) =>
    (defaultActivations()[name] as (dy: never, s: never, o: never) => unknown)(dy, saved, options)) as unknown as ActivationFunctions[K];
}

/**
 * ReLU, `max(0, x)`, element-wise and exact. NaN stays NaN, -0 stays -0.
 * @example relu([-1, 0, 1]) // Float32Array [0, 0, 1]
 */
export const relu = onDefault('relu');

/**
 * Leaky ReLU, `x > 0 ? x : alpha * x`, element-wise; `alpha` (PyTorch's negative_slope) defaults to 0.01.
 * @example leakyRelu([-1, 0, 1]) // Float32Array [-0.01, 0, 1]
 */
export const leakyRelu = onDefault('leakyRelu');

/**
 * Logistic sigmoid, `1 / (1 + e^-x)`, element-wise, within 2 ULP; sigmoid(±Infinity) = 1 / 0.
 * @example sigmoid([-1, 0, 1]) // Float32Array [0.26894143, 0.5, 0.7310586]
 */
export const sigmoid = onDefault('sigmoid');

/**
 * Hyperbolic tangent, element-wise, within 2 ULP; tanh(±Infinity) = ±1, tanh(-0) = -0.
 * @example tanh([-1, 0, 1]) // Float32Array [-0.7615942, 0, 0.7615942]
 */
export const tanh = onDefault('tanh');

/**
 * Softmax along `dim` (default -1) of an array of `shape` (default `[x.length]`), within 8 ULP per
 * element. Stable for any logits; -Infinity entries give 0; a slice that is all -Infinity or holds
 * +Infinity or NaN gives NaN (as PyTorch).
 * @example softmax([1, 2, 3]) // Float32Array [0.09003057, 0.24472848, 0.66524094]
 * @example softmax(logits, { shape: [32, 10], dim: 1 }) // each of 32 rows sums to 1
 */
export const softmax = onDefault('softmax');

// Backward passes: dx from the gradient dy of the output and the saved tensor, as PyTorch's
// autograd computes them. `out` may be dy or the saved tensor (in place).

/**
 * Gradient of relu: `x <= 0 ? 0 : dy` (PyTorch's threshold_backward: a NaN x passes dy), exact.
 * @example reluBackward([1, 1, 1], [-1, 0, 2]) // Float32Array [0, 0, 1]
 */
export const reluBackward = backwardOnDefault('reluBackward');

/**
 * Gradient of leakyRelu: `x > 0 ? dy : alpha * dy`, within 1 ULP; pass the forward's `alpha`.
 * @example leakyReluBackward([1, 1], [-1, 2], { alpha: 0.1 }) // Float32Array [0.1, 1]
 */
export const leakyReluBackward = backwardOnDefault('leakyReluBackward');

/**
 * Gradient of sigmoid from its input x: `dy * s * (1 - s)`, within 8 ULP without cancellation at any x; 0 at ±Infinity.
 * @example sigmoidBackward([1], [0]) // Float32Array [0.25]
 */
export const sigmoidBackward = backwardOnDefault('sigmoidBackward');

/**
 * Gradient of tanh from its input x: `dy * (1 - tanh(x)^2)`, within 8 ULP without cancellation at any x; 0 at ±Infinity.
 * @example tanhBackward([1], [0]) // Float32Array [1]
 */
export const tanhBackward = backwardOnDefault('tanhBackward');

/**
 * Gradient of softmax from its OUTPUT y: `y_i * (dy_i - Σ_j dy_j y_j)` along `dim` of `shape` (as
 * the forward call), within 8 ULP (float64 sum and difference); NaN in a slice gives a NaN slice.
 * @example softmaxBackward(dy, y, { shape: [32, 10], dim: 1 }) // y = softmax(logits, { shape: [32, 10], dim: 1 })
 */
export const softmaxBackward = backwardOnDefault('softmaxBackward');
