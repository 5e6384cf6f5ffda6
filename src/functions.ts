// The top-level activation functions: each runs on the default instance (see init()).
import { defaultActivations } from './default-instance.js';
import type { ActivationFunctions } from './instance.js';
import type { ActivationName } from './registry.js';

/** The default instance's function `name`, looked up at each call (init() may switch it). */
function onDefault<K extends ActivationName>(name: K): ActivationFunctions[K] {
  return ((x: never, options: never) => (defaultActivations()[name] as (x: never, o: never) => unknown)(x, options)) as unknown as ActivationFunctions[K];
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
