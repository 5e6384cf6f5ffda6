import { defineElementwise } from '../spec.js';

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
  naive(x, y) {
    for (let i = 0; i < x.length; i++) y[i] = x[i] / (1 + Math.abs(x[i]));
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
    naive(dy, x, dx) {
      for (let i = 0; i < x.length; i++) {
        const d = 1 + Math.abs(x[i]);
        dx[i] = dy[i] / (d * d);
      }
    },
    wasm: 'softsignBackward',
  },
});
