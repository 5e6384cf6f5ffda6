import { defineElementwise, type ActivationDocs, type NaiveOf } from '../spec.js';

/** Softsign: x / (1 + |x|). */
export const softsign = defineElementwise<{}>({
  name: 'softsign',
  torch: 'torch.nn.functional.softsign',
  formula: 'x / (1 + abs(x))',
  summary: 'A tanh-like squashing to (-1, 1) with polynomial tails, no exp.',
  params: {},
  ulp: 2,
  ulpNote: 'float32 1 + |x| and quotient: two roundings, under 2 ULP (measured 1.5 ULP)',
  plotDomain: [-8, 8],
  // PyTorch's formula as is: ±Infinity gives Infinity / Infinity = NaN; -0 stays -0.
  reference: (x) => x / (1 + Math.abs(x)),
  // 1 / (1 + |x|)^2: 0 at ±Infinity, NaN at NaN.
  derivative: (x) => 1 / ((1 + Math.abs(x)) * (1 + Math.abs(x))),
  js(src, dst, n) {
    for (let i = 0; i < n; i++) {
      const v = src[i];
      dst[i] = v / (1 + Math.abs(v));
    }
  },
  wasm: { export: 'softsign', args: [] },
  backward: {
    ulp: 8, // (dy r) r with r = 1 / (1 + |x|), float32 (measured 3.5 ULP over all 2^32 x)
    js(dy, x, dx, n) {
      for (let i = 0; i < n; i++) {
        const d = 1 + Math.abs(x[i]);
        dx[i] = dy[i] / (d * d);
      }
    },
    wasm: 'softsignBackward',
  },
});

/** The benchmark's baselines for softsign (bench/; never bundled): its formula and gradient as naive JS loops. */
export const softsignNaive: NaiveOf<typeof softsign> = {
  forward(x, y) {
    for (let i = 0; i < x.length; i++) y[i] = x[i] / (1 + Math.abs(x[i]));
  },
  backward(dy, x, dx) {
    for (let i = 0; i < x.length; i++) {
      const d = 1 + Math.abs(x[i]);
      dx[i] = dy[i] / (d * d);
    }
  },
};

/** The JSDoc of softsign, softsignBackward and Softsign in the generated API files (scripts/generate-api.mjs). */
export const softsignDocs: ActivationDocs = {
  forward: {
    text: [
      'Softsign, `x / (1 + |x|)`, element-wise, within 2 ULP; ±Infinity gives NaN, as PyTorch\'s formula.',
    ],
    examples: ['softsign([-1, 0, 3]) // Float32Array [-0.5, 0, 0.75]'],
  },
  backward: {
    text: ['Gradient of softsign: `dy / (1 + |x|)^2`, within 8 ULP; 0 at x = ±Infinity.'],
    examples: ['softsignBackward([1, 1], [0, 1]) // Float32Array [1, 0.25]'],
  },
  module: {
    className: 'Softsign',
    text: ['Softsign, `x / (1 + |x|)`, as a module (torch.nn.Softsign).'],
    examples: ['new Softsign().forward([-1, 3]); // Float32Array [-0.5, 0.75]'],
  },
};
