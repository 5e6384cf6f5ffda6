import { defineElementwise, type ActivationDocs, type NaiveOf } from '../spec.js';

/** Hardswish: x <= -3 ? 0 : x >= 3 ? x : x (x + 3) / 6. */
export const hardswish = defineElementwise<{}>({
  name: 'hardswish',
  torch: 'torch.nn.functional.hardswish',
  formula: 'x ≤ -3 ? 0 : x ≥ 3 ? x : x·(x + 3)/6',
  summary: 'Piecewise-polynomial swish: the activation of MobileNetV3.',
  params: {},
  ulp: 2,
  ulpNote: 'x·(x + 3)/6 in float64, one rounding to float32 (measured 0.5 ULP)',
  plotDomain: [-5, 5],
  // PyTorch's x * min(max(x + 3, 0), 6) / 6 is x * 0 / 6 = -0 for x <= -3 (x + 3 = +0 at -3); at
  // -Infinity, where that product is NaN, the limit -0.
  reference: (x) => (x <= -3 ? -0 : x >= 3 ? x : (x * (x + 3)) / 6),
  // PyTorch's hardswish_backward (since 2.7; before, the middle piece held at -3 and 3 too):
  // x <= -3 ? 0 : x < 3 ? dy (2x + 3) / 6 : dy; a NaN x passes dy.
  derivative: (x) => (x <= -3 ? 0 : x < 3 ? (2 * x + 3) / 6 : 1),
  js(src, dst, n) {
    for (let i = 0; i < n; i++) {
      const v = src[i];
      dst[i] = v <= -3 ? -0 : v >= 3 ? v : (v * (v + 3)) / 6;
    }
  },
  wasm: { export: 'hardswish', args: [] },
  backward: {
    ulp: 8, // dy (2x + 3) (1/6), float32 (measured 1.33 ULP over all 2^32 x)
    js(dy, x, dx, n) {
      for (let i = 0; i < n; i++) {
        const v = x[i];
        dx[i] = v <= -3 ? 0 : v < 3 ? (dy[i] * (v + v + 3)) / 6 : dy[i];
      }
    },
    wasm: 'hardswishBackward',
  },
});

/** The benchmark's baselines for hardswish (bench/; never bundled): its formula and gradient as naive JS loops. */
export const hardswishNaive: NaiveOf<typeof hardswish> = {
  forward(x, y) {
    // Piecewise, with conditionals (V8's Math.min/Math.max clamp runs 1.4x slower here).
    for (let i = 0; i < x.length; i++) {
      const v = x[i];
      y[i] = v <= -3 ? 0 : v >= 3 ? v : (v * (v + 3)) / 6;
    }
  },
  backward(dy, x, dx) {
    for (let i = 0; i < x.length; i++) dx[i] = x[i] <= -3 ? 0 : x[i] < 3 ? (dy[i] * (2 * x[i] + 3)) / 6 : dy[i];
  },
};

/** The JSDoc of hardswish, hardswishBackward and Hardswish in the generated API files (scripts/generate-api.mjs). */
export const hardswishDocs: ActivationDocs = {
  forward: {
    text: ['Hardswish, `x <= -3 ? 0 : x >= 3 ? x : x * (x + 3) / 6`, element-wise, within 2 ULP.'],
    examples: ['hardswish([-4, 1, 4]) // Float32Array [-0, 0.6666667, 4]'],
  },
  backward: {
    text: ['Gradient of hardswish: `x <= -3 ? 0 : x < 3 ? dy * (2x + 3) / 6 : dy` (PyTorch >= 2.7), within 8 ULP.'],
    examples: ['hardswishBackward([1, 1, 1], [-4, 0, 4]) // Float32Array [0, 0.5, 1]'],
  },
  module: {
    className: 'Hardswish',
    inplace: true,
    text: ['Hardswish, `x · hardsigmoid(x)`, as a module (torch.nn.Hardswish).'],
    examples: ['new Hardswish().forward([-4, 1, 4]); // Float32Array [-0, 0.6666667, 4]'],
  },
};
