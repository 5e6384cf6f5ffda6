import { CHEAP_JS_BELOW, defineElementwise, nonNegativeFloat32Param, type ActivationDocs, type NaiveOf } from '../spec.js';

const f = Math.fround;

/** Softshrink: x > lambd ? x - lambd : x < -lambd ? x + lambd : 0. */
export const softshrink = defineElementwise<{ lambd: number }>({
  name: 'softshrink',
  torch: 'torch.nn.functional.softshrink',
  formula: 'x > λ ? x − λ : x < −λ ? x + λ : 0',
  summary: 'Soft thresholding: shrinks x towards 0 by λ (sparse coding, denoising).',
  params: { lambd: nonNegativeFloat32Param(0.5) },
  ulp: 1,
  ulpNote: 'λ rounded to float32, then one float32 addition (measured 0.5 ULP)',
  plotDomain: [-4, 4],
  // As PyTorch: inside the band x * 0, a zero with x's sign (NaN for NaN).
  reference: (x, { lambd }) => {
    const l = f(lambd);
    return x > l ? x - l : x < -l ? x + l : x * 0;
  },
  // PyTorch's shrink backward: (-λ <= x <= λ) ? 0 : dy; a NaN x passes dy.
  derivative: (x, { lambd }) => (x >= -f(lambd) && x <= f(lambd) ? 0 : 1),
  js(src, dst, n, { lambd }) {
    const l = f(lambd);
    for (let i = 0; i < n; i++) {
      const v = src[i];
      dst[i] = v > l ? v - l : v < -l ? v + l : v * 0;
    }
  },
  wasm: { export: 'softshrink', args: ['lambd'] },
  jsBelow: CHEAP_JS_BELOW,
  backward: {
    ulp: 0, // a select (measured 0 ULP)
    js(dy, x, dx, n, { lambd }) {
      const l = f(lambd);
      for (let i = 0; i < n; i++) dx[i] = x[i] >= -l && x[i] <= l ? 0 : dy[i];
    },
    wasm: 'softshrinkBackward',
  },
});

/** The benchmark's baselines for softshrink (bench/; never bundled): its formula and gradient as naive JS loops. */
export const softshrinkNaive: NaiveOf<typeof softshrink> = {
  forward(x, y, { lambd }) {
    for (let i = 0; i < x.length; i++) y[i] = x[i] > lambd ? x[i] - lambd : x[i] < -lambd ? x[i] + lambd : 0;
  },
  backward(dy, x, dx, { lambd }) {
    for (let i = 0; i < x.length; i++) dx[i] = x[i] >= -lambd && x[i] <= lambd ? 0 : dy[i];
  },
};

/** The JSDoc of softshrink, softshrinkBackward and Softshrink in the generated API files (scripts/generate-api.mjs). */
export const softshrinkDocs: ActivationDocs = {
  forward: {
    text: [
      'Softshrink, `x > lambd ? x - lambd : x < -lambd ? x + lambd : 0`, element-wise, within 1 ULP;',
      '`lambd` (≥ 0) defaults to 0.5. Inside the band the zero keeps x\'s sign, as in PyTorch.',
    ],
    examples: ['softshrink([-2, 0.25, 2]) // Float32Array [-1.5, 0, 1.5]'],
  },
  backward: {
    text: ['Gradient of softshrink: `|x| > lambd ? dy : 0`, exact; pass the forward\'s `lambd`.'],
    examples: ['softshrinkBackward([1, 1], [0.25, 2]) // Float32Array [0, 1]'],
  },
  module: {
    className: 'Softshrink',
    text: [
      'Softshrink, `x ∓ lambd` outside [-lambd, lambd] and 0 inside, as a module (torch.nn.Softshrink; lambd ≥ 0, default 0.5).',
    ],
    examples: ['new Softshrink({ lambd: 1 }).forward([-2, 0.5, 2]); // Float32Array [-1, 0, 1]'],
  },
};
