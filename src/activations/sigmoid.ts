import { defineElementwise, type ActivationDocs, type NaiveOf } from '../spec.js';

/** Logistic sigmoid: 1 / (1 + e^-x). */
export const sigmoid = defineElementwise<{}>({
  name: 'sigmoid',
  torch: 'torch.sigmoid',
  formula: '1 / (1 + e^−x)',
  summary: 'Squashes to (0, 1): binary classification outputs, gates.',
  params: {},
  ulp: 2,
  ulpNote: 'exp core + compensated quotient',
  plotDomain: [-8, 8],
  // For x < 0 the form e^x / (1 + e^x) keeps full relative accuracy down to the smallest
  // results (1 / (1 + e^-x) is accurate too, in float64, but this is a different formula from
  // the js backend's, so the tests compare two independent computations).
  reference: (x) => (x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x))),
  // s (1 - s) = e / (1 + e)^2 with e = exp(-|x|): no cancellation for large |x| (where
  // 1 - s rounds to 0 in float64), symmetric, 0 at ±Infinity, NaN for NaN.
  derivative(x) {
    const e = Math.exp(-Math.abs(x));
    return e / ((1 + e) * (1 + e));
  },
  js(src, dst, n) {
    // float64 arithmetic rounded once on the store: <= 0.5 ULP + a float64 rounding or two.
    for (let i = 0; i < n; i++) dst[i] = 1 / (1 + Math.exp(-src[i]));
  },
  wasm: { export: 'sigmoid', args: [] },
  backward: {
    ulp: 8,
    js(dy, x, dx, n) {
      // s (1 - s) = e / (1 + e)^2 with e = e^-|x| (even in x): no cancellation, one exp and no
      // branch (two exps of ±x had made this loop half again as slow as the naive one).
      for (let i = 0; i < n; i++) {
        const e = Math.exp(-Math.abs(x[i]));
        const d = 1 + e;
        dx[i] = (dy[i] * e) / (d * d);
      }
    },
    wasm: 'sigmoidBackward',
  },
});

/** The benchmark's baselines for sigmoid (bench/; never bundled): its formula and gradient as naive JS loops. */
export const sigmoidNaive: NaiveOf<typeof sigmoid> = {
  forward(x, y) {
    for (let i = 0; i < x.length; i++) y[i] = 1 / (1 + Math.exp(-x[i]));
  },
  backward(dy, x, dx) {
    // The textbook s (1 - s) from the forward formula.
    for (let i = 0; i < x.length; i++) {
      const s = 1 / (1 + Math.exp(-x[i]));
      dx[i] = dy[i] * s * (1 - s);
    }
  },
};

/** The JSDoc of sigmoid, sigmoidBackward and Sigmoid in the generated API files (scripts/generate-api.mjs). */
export const sigmoidDocs: ActivationDocs = {
  forward: {
    text: [
      'Logistic sigmoid, `1 / (1 + e^-x)`, element-wise, within 2 ULP; sigmoid(±Infinity) = 1 / 0.',
    ],
    examples: ['sigmoid([-1, 0, 1]) // Float32Array [0.26894143, 0.5, 0.7310586]'],
  },
  backward: {
    text: [
      'Gradient of sigmoid from its input x: `dy * s * (1 - s)`, within 8 ULP without cancellation at any x; 0 at ±Infinity.',
    ],
    examples: ['sigmoidBackward([1], [0]) // Float32Array [0.25]'],
  },
  module: {
    className: 'Sigmoid',
    text: [
      'Logistic sigmoid, `1 / (1 + e^-x)`, as a module (torch.nn.Sigmoid); backward from the saved x.',
    ],
    examples: ['new Sigmoid().forward([0]); // Float32Array [0.5]'],
  },
};
