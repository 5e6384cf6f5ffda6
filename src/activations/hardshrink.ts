import { CHEAP_JS_BELOW, defineElementwise, nonNegativeFloat32Param, type ActivationDocs, type NaiveOf } from '../spec.js';

const f = Math.fround;

/** Hardshrink: |x| > lambd ? x : 0. */
export const hardshrink = defineElementwise<{ lambd: number }>({
  name: 'hardshrink',
  torch: 'torch.nn.functional.hardshrink',
  formula: 'abs(x) > λ ? x : 0',
  summary: 'Hard thresholding: zeroes the values within λ of 0.',
  params: { lambd: nonNegativeFloat32Param(0.5) },
  ulp: 0,
  ulpNote: 'exact: x or 0 (measured 0 ULP)',
  plotDomain: [-4, 4],
  // As PyTorch: (-λ <= x <= λ) ? 0 : x, so NaN stays NaN.
  reference: (x, { lambd }) => (x >= -f(lambd) && x <= f(lambd) ? 0 : x),
  // PyTorch's shrink backward: (-λ <= x <= λ) ? 0 : dy; a NaN x passes dy.
  derivative: (x, { lambd }) => (x >= -f(lambd) && x <= f(lambd) ? 0 : 1),
  js(src, dst, n, { lambd }) {
    const l = f(lambd);
    for (let i = 0; i < n; i++) {
      const v = src[i];
      dst[i] = Math.abs(v) <= l ? 0 : v; // one branch, taken rarely (NaN: false, so NaN)
    }
  },
  wasm: { export: 'hardshrink', args: ['lambd'] },
  jsBelow: CHEAP_JS_BELOW,
  backward: {
    ulp: 0, // a select (measured 0 ULP)
    js(dy, x, dx, n, { lambd }) {
      const l = f(lambd);
      for (let i = 0; i < n; i++) dx[i] = Math.abs(x[i]) <= l ? 0 : dy[i];
    },
    wasm: 'hardshrinkBackward',
  },
});

/** The benchmark's baselines for hardshrink (bench/; never bundled): its formula and gradient as naive JS loops. */
export const hardshrinkNaive: NaiveOf<typeof hardshrink> = {
  forward(x, y, { lambd }) {
    for (let i = 0; i < x.length; i++) y[i] = Math.abs(x[i]) > lambd ? x[i] : 0;
  },
  backward(dy, x, dx, { lambd }) {
    for (let i = 0; i < x.length; i++) dx[i] = x[i] >= -lambd && x[i] <= lambd ? 0 : dy[i];
  },
};

/** The JSDoc of hardshrink, hardshrinkBackward and Hardshrink in the generated API files (scripts/generate-api.mjs). */
export const hardshrinkDocs: ActivationDocs = {
  forward: {
    text: [
      'Hardshrink, `|x| > lambd ? x : 0`, element-wise and exact; `lambd` (≥ 0) defaults to 0.5.',
    ],
    examples: ['hardshrink([-2, 0.25, 2]) // Float32Array [-2, 0, 2]'],
  },
  backward: {
    text: ['Gradient of hardshrink: `|x| > lambd ? dy : 0`, exact; pass the forward\'s `lambd`.'],
    examples: ['hardshrinkBackward([1, 1], [0.25, 2]) // Float32Array [0, 1]'],
  },
  module: {
    className: 'Hardshrink',
    text: [
      'Hardshrink, `|x| > lambd ? x : 0`, as a module (torch.nn.Hardshrink; lambd ≥ 0, default 0.5).',
    ],
    examples: ['new Hardshrink().forward([-2, 0.25, 2]); // Float32Array [-2, 0, 2]'],
  },
};
