import { defineElementwise } from '../spec.js';

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
  derivative(x) {
    const s = x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x));
    return s * (1 - s);
  },
  js(src, dst, n) {
    // float64 arithmetic rounded once on the store: <= 0.5 ULP + a float64 rounding or two.
    for (let i = 0; i < n; i++) dst[i] = 1 / (1 + Math.exp(-src[i]));
  },
  naive(x, y) {
    for (let i = 0; i < x.length; i++) y[i] = 1 / (1 + Math.exp(-x[i]));
  },
  wasm: { export: 'sigmoid', args: [] },
});
