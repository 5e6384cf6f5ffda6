import { defineElementwise, float32Param, type ActivationDocs, type NaiveOf } from '../spec.js';
import { leakyRelu, leakyReluNaive } from './leakyRelu.js';

const f = Math.fround;

/**
 * The slope of evaluation mode: the mean of lower and upper taken as float32 (as the wasm kernels
 * take every param), formed in float64 and rounded to float32 once, as assembly/ops/rrelu.ts
 * does, so every backend uses the same slope. (PyTorch rounds the mean of its float64 lower and
 * upper once; the two can differ by 1 ULP of the slope when lower or upper is not a float32.)
 */
export function rreluSlope(lower: number, upper: number): number {
  return f((f(lower) + f(upper)) * 0.5);
}

/** The exact mean of the float32 lower and upper (the references' slope, not rounded). */
const exactMean = (lower: number, upper: number): number => (f(lower) + f(upper)) / 2;

/** RReLU in evaluation mode (PyTorch's functional default, training=False): leaky ReLU with slope (lower + upper) / 2. */
export const rrelu = defineElementwise<{ lower: number; upper: number }>({
  name: 'rrelu',
  torch: 'torch.nn.functional.rrelu (training=False)',
  formula: 'x > 0 ? x : x·(lower + upper)/2',
  summary: 'Randomized leaky ReLU; the function (training=False) takes the mean slope.',
  params: { lower: float32Param(1 / 8), upper: float32Param(1 / 3) },
  checkParams: ({ lower, upper }) =>
    lower <= upper ? null : `lower must be <= upper; got lower = ${lower}, upper = ${upper}`,
  ulp: 2,
  ulpNote: 'float32 lower and upper, their mean rounded (≤ 0.5 ULP), one multiply (≤ 0.5 ULP)',
  plotDomain: [-4, 4],
  // The kernels take lower and upper as float32 (as hardtanh's reference rounds its bounds).
  reference: (x, { lower, upper }) => (x > 0 ? x : x * exactMean(lower, upper)),
  // PyTorch's leaky_relu_backward: x > 0 ? dy : dy * slope; a NaN x takes the slope.
  derivative: (x, { lower, upper }) => (x > 0 ? 1 : exactMean(lower, upper)),
  // The js backend is leakyRelu's with the slope (its product of two float32 in float64 rounds
  // once, as the wasm kernels' float32 multiply); so are the benchmark's naive loops (below).
  js: (src, dst, n, { lower, upper }) => leakyRelu.js(src, dst, n, { alpha: rreluSlope(lower, upper) }),
  wasm: { export: 'rrelu', args: ['lower', 'upper'] },
  backward: {
    ulp: 2, // the rounded mean slope, then one multiply
    js: (dy, x, dx, n, { lower, upper }) => leakyRelu.backward.js(dy, x, dx, n, { alpha: rreluSlope(lower, upper) }),
    wasm: 'rreluBackward',
  },
});

/** The benchmark's baselines for rrelu (bench/; never bundled): its formula and gradient as naive JS loops. */
export const rreluNaive: NaiveOf<typeof rrelu> = {
  forward: (x, y, { lower, upper }) => leakyReluNaive.forward(x, y, { alpha: (lower + upper) / 2 }),
  backward: (dy, x, dx, { lower, upper }) => leakyReluNaive.backward(dy, x, dx, { alpha: (lower + upper) / 2 }),
};

/** The JSDoc of rrelu, rreluBackward and RReLU in the generated API files (scripts/generate-api.mjs). */
export const rreluDocs: ActivationDocs = {
  forward: {
    text: [
      'RReLU as PyTorch\'s functional default (training=False): leaky ReLU with the mean slope,',
      '`x > 0 ? x : x * (lower + upper) / 2`, element-wise; `lower` = 1/8 and `upper` = 1/3 by default.',
      'The slope is the float32 of the mean of float32 lower and upper; lower > upper is a RangeError.',
      'The random slopes of training mode are the RReLU module\'s (see RReLU.train()).',
    ],
    examples: ['rrelu([-2, 0, 3], { lower: 0.25, upper: 0.75 }) // Float32Array [-1, 0, 3]'],
  },
  backward: {
    text: [
      'Gradient of rrelu (evaluation mode): `x > 0 ? dy : dy * (lower + upper) / 2`, within 2 ULP;',
      'pass the forward\'s `lower` and `upper`.',
    ],
    examples: ['rreluBackward([1, 1], [-1, 2], { lower: 0.25, upper: 0.75 }) // Float32Array [0.5, 1]'],
  },
  module: {
    className: 'RReLU',
    handWritten: { file: 'rrelu', types: ['RReLUOptions'] },
    text: [
      'RReLU as a module (torch.nn.RReLU; lower, upper): in training mode (the default) forward() draws',
      'a slope in [lower, upper] for each x <= 0 and backward() is dy · that slope; after eval() it is',
      'rrelu() with the mean slope.',
    ],
    examples: [
      'const act = new RReLU(); act.forward(x); act.backward(dy); act.eval().forward(x); // eval: rrelu(x)',
    ],
  },
};
