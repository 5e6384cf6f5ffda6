import { CHEAP_JS_BELOW, defineElementwise, float32Param, type ActivationDocs, type NaiveOf } from '../spec.js';

/** Leaky ReLU: x if x > 0, else alpha * x. */
export const leakyRelu = defineElementwise<{ alpha: number }>({
  name: 'leakyRelu',
  torch: 'torch.nn.functional.leaky_relu (negative_slope → alpha)',
  formula: 'x > 0 ? x : alpha·x',
  summary: 'ReLU with a small slope for x ≤ 0, so no unit dies.',
  params: { alpha: float32Param(0.01) },
  ulp: 1,
  ulpNote: 'alpha is rounded to float32 (≤ 0.5 ULP), then one multiply (≤ 0.5 ULP)',
  plotDomain: [-4, 4],
  reference: (x, { alpha }) => (x > 0 ? x : alpha * x),
  derivative: (x, { alpha }) => (x > 0 ? 1 : alpha),
  js(src, dst, n, { alpha }) {
    const a = Math.fround(alpha); // as the wasm kernels and PyTorch's float tensors hold it
    for (let i = 0; i < n; i++) {
      const v = src[i];
      dst[i] = v > 0 ? v : a * v;
    }
  },
  wasm: { export: 'leakyRelu', args: ['alpha'] },
  jsBelow: CHEAP_JS_BELOW,
  backward: {
    ulp: 1, // alpha rounded to float32, then one multiply
    js(dy, x, dx, n, { alpha }) {
      const a = Math.fround(alpha); // as the wasm kernels, which take alpha as a float32
      for (let i = 0; i < n; i++) dx[i] = x[i] > 0 ? dy[i] : dy[i] * a;
    },
    wasm: 'leakyReluBackward',
  },
});

/** The benchmark's baselines for leakyRelu (bench/; never bundled): its formula and gradient as naive JS loops. */
export const leakyReluNaive: NaiveOf<typeof leakyRelu> = {
  forward(x, y, { alpha }) {
    for (let i = 0; i < x.length; i++) y[i] = x[i] > 0 ? x[i] : alpha * x[i];
  },
  backward(dy, x, dx, { alpha }) {
    for (let i = 0; i < x.length; i++) dx[i] = x[i] > 0 ? dy[i] : alpha * dy[i];
  },
};

/** The JSDoc of leakyRelu, leakyReluBackward and LeakyReLU in the generated API files (scripts/generate-api.mjs). */
export const leakyReluDocs: ActivationDocs = {
  forward: {
    text: [
      'Leaky ReLU, `x > 0 ? x : alpha * x`, element-wise; `alpha` (PyTorch\'s negative_slope) defaults to 0.01.',
    ],
    examples: ['leakyRelu([-1, 0, 1]) // Float32Array [-0.01, 0, 1]'],
  },
  backward: {
    text: [
      'Gradient of leakyRelu: `x > 0 ? dy : alpha * dy`, within 1 ULP; pass the forward\'s `alpha`.',
    ],
    examples: ['leakyReluBackward([1, 1], [-1, 2], { alpha: 0.1 }) // Float32Array [0.1, 1]'],
  },
  module: {
    className: 'LeakyReLU',
    inplace: true,
    text: [
      'Leaky ReLU, `x > 0 ? x : alpha·x`, as a module (torch.nn.LeakyReLU; alpha is negative_slope, default 0.01).',
    ],
    examples: [
      'const act = new LeakyReLU({ alpha: 0.2 }); act.forward([-1, 2]); // Float32Array [-0.2, 2]',
    ],
  },
};
