import { defineElementwise, float32Param } from '../spec.js';

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
    for (let i = 0; i < n; i++) {
      const v = src[i];
      dst[i] = v > 0 ? v : alpha * v;
    }
  },
  naive(x, y, { alpha }) {
    for (let i = 0; i < x.length; i++) y[i] = x[i] > 0 ? x[i] : alpha * x[i];
  },
  wasm: { export: 'leakyRelu', args: ['alpha'] },
  backward: {
    ulp: 1, // alpha rounded to float32, then one multiply
    js(dy, x, dx, n, { alpha }) {
      const a = Math.fround(alpha); // as the wasm kernels, which take alpha as a float32
      for (let i = 0; i < n; i++) dx[i] = x[i] > 0 ? dy[i] : dy[i] * a;
    },
    naive(dy, x, dx, { alpha }) {
      for (let i = 0; i < x.length; i++) dx[i] = x[i] > 0 ? dy[i] : alpha * dy[i];
    },
    wasm: 'leakyReluBackward',
  },
});
