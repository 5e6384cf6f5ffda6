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

/**
 * Hardtanh, `min(max(x, minVal), maxVal)`, element-wise and exact; `minVal` = -1 and `maxVal` = 1
 * by default (PyTorch's min_val, max_val). minVal > maxVal is a RangeError. NaN stays NaN.
 * @example hardtanh([-2, 0.5, 2]) // Float32Array [-1, 0.5, 1]
 */
export const hardtanh = onDefault('hardtanh');

/**
 * ReLU6, `min(max(x, 0), 6)`, element-wise and exact. NaN stays NaN, -0 stays -0.
 * @example relu6([-1, 3, 7]) // Float32Array [0, 3, 6]
 */
export const relu6 = onDefault('relu6');

/**
 * Hardsigmoid, `x <= -3 ? 0 : x >= 3 ? 1 : x / 6 + 1/2`, element-wise, within 1 ULP.
 * @example hardsigmoid([-4, 0, 1.5, 4]) // Float32Array [0, 0.5, 0.75, 1]
 */
export const hardsigmoid = onDefault('hardsigmoid');

/**
 * Hardswish, `x <= -3 ? 0 : x >= 3 ? x : x * (x + 3) / 6`, element-wise, within 2 ULP.
 * @example hardswish([-4, 1, 4]) // Float32Array [0, 0.6666667, 4]
 */
export const hardswish = onDefault('hardswish');

/**
 * Softsign, `x / (1 + |x|)`, element-wise, within 2 ULP; ±Infinity gives NaN, as PyTorch's formula.
 * @example softsign([-1, 0, 3]) // Float32Array [-0.5, 0, 0.75]
 */
export const softsign = onDefault('softsign');

/**
 * Softshrink, `x > lambd ? x - lambd : x < -lambd ? x + lambd : 0`, element-wise, within 1 ULP;
 * `lambd` (≥ 0) defaults to 0.5. Inside the band the zero keeps x's sign, as in PyTorch.
 * @example softshrink([-2, 0.25, 2]) // Float32Array [-1.5, 0, 1.5]
 */
export const softshrink = onDefault('softshrink');

/**
 * Hardshrink, `|x| > lambd ? x : 0`, element-wise and exact; `lambd` (≥ 0) defaults to 0.5.
 * @example hardshrink([-2, 0.25, 2]) // Float32Array [-2, 0, 2]
 */
export const hardshrink = onDefault('hardshrink');

/**
 * Threshold, `x > threshold ? x : value`, element-wise and exact. Both `threshold` and `value`
 * are required (PyTorch has no defaults): a call without them is a TypeError. NaN stays NaN.
 * @example threshold([-1, 0.5, 2], { threshold: 0.5, value: -9 }) // Float32Array [-9, -9, 2]
 */
export const threshold = onDefault('threshold');

/**
 * ELU, `x > 0 ? x : alpha * (e^x - 1)`, element-wise, within 4 ULP (expm1: accurate near 0 too);
 * `alpha` defaults to 1. elu(-Infinity) = -alpha; elu(-0) = +0 (PyTorch's exp(-0) - 1).
 * @example elu([-1, 0, 2]) // Float32Array [-0.63212055, 0, 2]
 */
export const elu = onDefault('elu');

/**
 * SELU, `scale * (x > 0 ? x : alpha * (e^x - 1))` with PyTorch's alpha ≈ 1.6733 and scale ≈ 1.0507,
 * element-wise, within 4 ULP. selu(-Infinity) = -alpha * scale ≈ -1.7581.
 * @example selu([-1, 0, 1]) // Float32Array [-1.1113307, 0, 1.050701]
 */
export const selu = onDefault('selu');

/**
 * CELU, `max(0, x) + min(0, alpha * (e^(x / alpha) - 1))`, element-wise, within 4 ULP; `alpha`
 * defaults to 1 and may be negative; 0 is a RangeError (as PyTorch). Fastest for a power of two
 * in (0, 1] (float32 SIMD); any other alpha runs in float64 per element.
 * @example celu([-1, 0, 2], { alpha: 0.5 }) // Float32Array [-0.43233234, 0, 2]
 */
export const celu = onDefault('celu');

/**
 * SiLU (swish), `x * sigmoid(x) = x / (1 + e^-x)`, element-wise, within 4 ULP;
 * silu(+Infinity) = +Infinity, silu(-Infinity) = NaN (PyTorch's -inf / (1 + inf)).
 * @example silu([-1, 0, 1]) // Float32Array [-0.26894143, 0, 0.7310586]
 */
export const silu = onDefault('silu');

/**
 * Softplus, `x * beta > threshold ? x : log(1 + e^(beta x)) / beta`, element-wise, within 4 ULP;
 * `beta` (positive) defaults to 1 and `threshold` to 20, as PyTorch. softplus(-Infinity) = 0.
 * @example softplus([-1, 0, 30]) // Float32Array [0.3132617, 0.6931472, 30]
 */
export const softplus = onDefault('softplus');

/**
 * Logsigmoid, `log(1 / (1 + e^-x))` = `min(x, 0) - log1p(e^-|x|)`, element-wise, within 4 ULP;
 * stable for any x: logsigmoid(-Infinity) = -Infinity, logsigmoid(+Infinity) = 0.
 * @example logsigmoid([-1, 0, 1]) // Float32Array [-1.3132616, -0.6931472, -0.3132617]
 */
export const logsigmoid = onDefault('logsigmoid');

/**
 * Mish, `x * tanh(log(1 + e^x))`, element-wise, within 4 ULP; mish(+Infinity) = Infinity and
 * mish(-Infinity) = NaN (Infinity * 0), as PyTorch's formula.
 * @example mish([-1, 0, 1]) // Float32Array [-0.30340147, 0, 0.8650984]
 */
export const mish = onDefault('mish');

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

/**
 * Gradient of hardtanh: `(x <= minVal || x >= maxVal) ? 0 : dy`, exact; pass the forward's params.
 * @example hardtanhBackward([1, 1, 1], [-2, 0, 1]) // Float32Array [0, 1, 0]
 */
export const hardtanhBackward = backwardOnDefault('hardtanhBackward');

/**
 * Gradient of relu6: `(x <= 0 || x >= 6) ? 0 : dy`, exact.
 * @example relu6Backward([1, 1, 1], [0, 3, 6]) // Float32Array [0, 1, 0]
 */
export const relu6Backward = backwardOnDefault('relu6Backward');

/**
 * Gradient of hardsigmoid: `(-3 < x < 3) ? dy / 6 : 0`, within 1 ULP.
 * @example hardsigmoidBackward([6, 6], [0, 3]) // Float32Array [1, 0]
 */
export const hardsigmoidBackward = backwardOnDefault('hardsigmoidBackward');

/**
 * Gradient of hardswish: `x < -3 ? 0 : x <= 3 ? dy * (2x + 3) / 6 : dy`, within 8 ULP.
 * @example hardswishBackward([1, 1, 1], [-4, 0, 4]) // Float32Array [0, 0.5, 1]
 */
export const hardswishBackward = backwardOnDefault('hardswishBackward');

/**
 * Gradient of softsign: `dy / (1 + |x|)^2`, within 8 ULP; 0 at x = ±Infinity.
 * @example softsignBackward([1, 1], [0, 1]) // Float32Array [1, 0.25]
 */
export const softsignBackward = backwardOnDefault('softsignBackward');

/**
 * Gradient of softshrink: `|x| > lambd ? dy : 0`, exact; pass the forward's `lambd`.
 * @example softshrinkBackward([1, 1], [0.25, 2]) // Float32Array [0, 1]
 */
export const softshrinkBackward = backwardOnDefault('softshrinkBackward');

/**
 * Gradient of hardshrink: `|x| > lambd ? dy : 0`, exact; pass the forward's `lambd`.
 * @example hardshrinkBackward([1, 1], [0.25, 2]) // Float32Array [0, 1]
 */
export const hardshrinkBackward = backwardOnDefault('hardshrinkBackward');

/**
 * Gradient of threshold: `x > threshold ? dy : 0` (a NaN x passes dy), exact; `threshold` and
 * `value` are required, as in the forward call.
 * @example thresholdBackward([1, 1], [0, 2], { threshold: 0.5, value: -9 }) // Float32Array [0, 1]
 */
export const thresholdBackward = backwardOnDefault('thresholdBackward');

/**
 * PReLU, `x > 0 ? x : weight[c] * x`, element-wise and correctly rounded, with learned weights:
 * `weight` (required, as in PyTorch's functional form) is a number or an array of 1 weight or of
 * one per channel, the channel being dim 1 of `shape` (default `[x.length]`: one channel). A
 * weight count that is neither 1 nor the channel count is a RangeError. NaN stays NaN, -0 gives
 * weight · -0, as PyTorch's kernel.
 * @example prelu([-2, 0, 3], { weight: 0.25 }) // Float32Array [-0.5, 0, 3]
 * @example prelu([-1, -1, 2, -4], { weight: [0.1, 0.5], shape: [2, 2] }) // Float32Array [-0.1, -0.5, 2, -2]
 */
export const prelu = onDefault('prelu');

/**
 * Gradients of prelu from its input x: returns `{ dx, dweight }` with
 * `dx = x > 0 ? dy : weight[c] * dy` (correctly rounded) and, per weight, `dweight = Σ (x > 0 ? 0 :
 * x * dy)` over its elements, as PyTorch's prelu backward. Pass the forward's `weight` and `shape`;
 * `out` receives dx (may be dy or x) and `weightOut` dweight. The sums are exact float64 products
 * added in float64 and rounded once: within 1 ULP of the exact sum when the terms share a sign, in
 * general within ½ ULP plus n·2^-53·Σ|x·dy| (n: the weight's element count).
 * @example preluBackward([1, 1, 1], [-2, 0.5, -1], { weight: 0.25 }) // { dx: Float32Array [0.25, 1, 0.25], dweight: Float32Array [-3] }
 */
export const preluBackward = backwardOnDefault('preluBackward');

/**
 * Log-softmax along `dim` of `shape` (default: the whole array as one row), `(x_i − max) − log Σ e^(x_j − max)`,
 * within 2 ULP: stable for logits of any size; −Infinity entries give −Infinity, a slice holding
 * NaN or +Infinity (or all −Infinity) is NaN, as PyTorch.
 * @example logSoftmax([1, 2, 3]) // Float32Array [-2.407606, -1.4076059, -0.40760595]
 * @example logSoftmax(logits, { shape: [32, 10], dim: 1 }) // each row's exp sums to 1
 */
export const logSoftmax = onDefault('logSoftmax');

/**
 * Softmin along `dim` of `shape`, softmax(−x): within 8 ULP; +Infinity entries give 0.
 * @example softmin([1, 2, 3]) // Float32Array [0.66524094, 0.24472848, 0.09003057]
 */
export const softmin = onDefault('softmin');

/**
 * Gradient of logSoftmax from its OUTPUT y: `dy_i − e^(y_i) Σ_j dy_j` along `dim` of `shape` (as
 * the forward call), within 8 ULP (compensated float64 sum, float64 exp).
 * @example logSoftmaxBackward(dy, y, { shape: [32, 10], dim: 1 }) // y = logSoftmax(logits, { shape: [32, 10], dim: 1 })
 */
export const logSoftmaxBackward = backwardOnDefault('logSoftmaxBackward');

/**
 * Gradient of softmin from its OUTPUT y: `−y_i (dy_i − Σ_j dy_j y_j)` along `dim` of `shape`,
 * within 8 ULP.
 * @example softminBackward(dy, y, { shape: [32, 10], dim: 1 }) // y = softmin(x, { shape: [32, 10], dim: 1 })
 */
export const softminBackward = backwardOnDefault('softminBackward');

/**
 * Gradient of elu from its input x: `x > 0 ? dy : dy * alpha * e^x` (PyTorch's elu_backward),
 * within 8 ULP; pass the forward's `alpha`.
 * @example eluBackward([1, 1], [-1, 2]) // Float32Array [0.36787945, 1]
 */
export const eluBackward = backwardOnDefault('eluBackward');

/**
 * Gradient of selu from its input x: `x > 0 ? dy * scale : dy * alpha * scale * e^x`, within 8 ULP.
 * @example seluBackward([1, 1], [0, 1]) // Float32Array [1.7580993, 1.050701]
 */
export const seluBackward = backwardOnDefault('seluBackward');

/**
 * Gradient of celu from its input x: `x > 0 ? dy : dy * e^(x / alpha)`, within 8 ULP; pass the
 * forward's `alpha`.
 * @example celuBackward([1, 1], [-1, 2], { alpha: 0.5 }) // Float32Array [0.13533528, 1]
 */
export const celuBackward = backwardOnDefault('celuBackward');

/**
 * Gradient of silu from its input x: `dy * s * (1 + x * (1 - s))`, s = sigmoid(x), within 8 ULP
 * without cancellation at any x (also near its zero at x ≈ -1.2785); NaN at ±Infinity, as PyTorch.
 * @example siluBackward([1, 1], [0, 1]) // Float32Array [0.5, 0.92767054]
 */
export const siluBackward = backwardOnDefault('siluBackward');

/**
 * Gradient of softplus: `x * beta > threshold ? dy : dy * sigmoid(beta x)`, within 8 ULP; pass the
 * forward's `beta` and `threshold`. Never overflows (PyTorch's z / (z + 1) can give Infinity / Infinity).
 * @example softplusBackward([1, 1], [0, 30]) // Float32Array [0.5, 1]
 */
export const softplusBackward = backwardOnDefault('softplusBackward');

/**
 * Gradient of logsigmoid: `dy * (1 - sigmoid(x))` = `dy * sigmoid(-x)`, within 8 ULP; dy at
 * x = -Infinity, 0 at +Infinity.
 * @example logsigmoidBackward([1, 1], [0, -30]) // Float32Array [0.5, 1]
 */
export const logsigmoidBackward = backwardOnDefault('logsigmoidBackward');

/**
 * Gradient of mish: `dy * (T + x * sigmoid(x) * (1 - T^2))`, T = tanh(softplus(x)), within 8 ULP,
 * also near its root at x = -1.1924; NaN at x = ±Infinity (Infinity * 0), as PyTorch's formula.
 * @example mishBackward([1, 1], [0, 30]) // Float32Array [0.6, 1]
 */
export const mishBackward = backwardOnDefault('mishBackward');

/**
 * Tanhshrink, `x - tanh(x)`, element-wise, within 4 ULP with no cancellation near 0 (≈ x³/3 there);
 * ±Infinity stays ±Infinity, -0 gives -0.
 * @example tanhshrink([-1, 0, 2]) // Float32Array [-0.23840584, 0, 1.0359725]
 */
export const tanhshrink = onDefault('tanhshrink');

/**
 * Gradient of tanhshrink: `dy * tanh(x)^2`, within 8 ULP; dy at x = ±Infinity.
 * @example tanhshrinkBackward([1, 1], [0, 1]) // Float32Array [0, 0.5800257]
 */
export const tanhshrinkBackward = backwardOnDefault('tanhshrinkBackward');

/**
 * GELU, `x * Φ(x)` (Φ the standard normal CDF), element-wise, within 4 ULP, also for large negative
 * x where the result is tiny; `approximate: 'tanh'` gives PyTorch's tanh approximation
 * `0.5 * x * (1 + tanh(√(2/π) * (x + 0.044715 * x³)))`, also within 4 ULP of its exact value.
 * gelu(+Infinity) = +Infinity, gelu(-Infinity) = -0 (the limit), NaN stays NaN.
 * @example gelu([-1, 0, 1]) // Float32Array [-0.15865526, 0, 0.8413447]
 * @example gelu([-1, 0, 1], { approximate: 'tanh' }) // Float32Array [-0.15880796, 0, 0.841192]
 */
export const gelu = onDefault('gelu');

/**
 * Gradient of gelu: `dy * (Φ(x) + x * φ(x))`, or of the tanh form with `approximate: 'tanh'`
 * (PyTorch's gelu_backward), within 8 ULP including near the derivative's zero at x ≈ -0.752;
 * pass the forward's `approximate`.
 * @example geluBackward([1, 1], [0, 1]) // Float32Array [0.5, 1.0833155]
 */
export const geluBackward = backwardOnDefault('geluBackward');
