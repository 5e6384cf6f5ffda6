import { defineElementwise, type ActivationDocs, type NaiveOf } from '../spec.js';

// The zero of silu' for x < 0: 1 + x0 + e^x0 = 0, as a float64 pair (from a 40-digit root).
const X0_HI = -1.2784645427610737;
const X0_LO = -1.0946994183093437e-16;
const E0 = 0.2784645427610738; // e^x0 = -(1 + x0)

/** SiLU (swish): x · sigmoid(x) = x / (1 + e^-x). */
export const silu = defineElementwise<{}>({
  name: 'silu',
  torch: 'torch.nn.functional.silu',
  formula: 'x / (1 + e^−x)',
  summary: 'x gated by its own sigmoid (swish): smooth, non-monotonic, unbounded above.',
  params: {},
  ulp: 4,
  ulpNote: 'exp core (scaled by 2^32 against underflow), sigmoid\'s compensated quotient times x (measured 3.4 ULP)',
  plotDomain: [-6, 6],
  // x e^x / (1 + e^x) for x < 0: no overflow of e^-x in float64 down to x = -709 (x / (1 + e^-x)
  // would be accurate too; the form differs from the js backend's). PyTorch's limits: +Infinity
  // at +Infinity and NaN at -Infinity (its -inf / (1 + inf); here -inf * 0).
  reference: (x) => (x >= 0 ? x / (1 + Math.exp(-x)) : (x * Math.exp(x)) / (1 + Math.exp(x))),
  // s (1 + x (1 - s)) as e (1 + e + x) / (1 + e)^2 with e = e^x for x < 0, and as
  // (1 + e + x e) / (1 + e)^2 with e = e^-x for x >= 0 (no cancellation in 1 - s). Near the zero
  // x0 of the factor w = 1 + x + e^x, w = u + e^x0 expm1(u) with u = x - x0 (two terms of the same
  // sign; x - X0_HI is exact), so the relative accuracy holds at the float32 inputs nearest x0
  // too (the plain sum would leave ~1e-16 / |w| there). ±Infinity: NaN (0 * ±inf), as PyTorch's
  // dy * s * (1 + x * (1 - s)).
  derivative(x) {
    if (x >= 0) {
      const e = Math.exp(-x);
      return (1 + e + x * e) / ((1 + e) * (1 + e));
    }
    const e = Math.exp(x);
    const u = x - X0_HI - X0_LO;
    const w = Math.abs(u) < 0.5 ? u + E0 * Math.expm1(u) : 1 + x + e;
    return (e * w) / ((1 + e) * (1 + e));
  },
  js(src, dst, n) {
    for (let i = 0; i < n; i++) {
      const v = src[i];
      dst[i] = v / (1 + Math.exp(-v));
    }
  },
  wasm: { export: 'silu', args: [] },
  backward: {
    ulp: 8,
    js(dy, x, dx, n) {
      // PyTorch's formula in float64: near x0, 1 + x (1 - s) cancels to ~1e-8 at worst for a
      // float32 x, leaving ~1e-8 relative error (0.1 ULP of float32).
      for (let i = 0; i < n; i++) {
        const v = x[i];
        const s = 1 / (1 + Math.exp(-v));
        dx[i] = dy[i] * s * (1 + v * (1 - s));
      }
    },
    wasm: 'siluBackward',
  },
});

/** The benchmark's baselines for silu (bench/; never bundled): its formula and gradient as naive JS loops. */
export const siluNaive: NaiveOf<typeof silu> = {
  forward(x, y) {
    for (let i = 0; i < x.length; i++) y[i] = x[i] / (1 + Math.exp(-x[i]));
  },
  backward(dy, x, dx) {
    // The textbook s (1 + x (1 − s)), s = sigmoid(x).
    for (let i = 0; i < x.length; i++) {
      const s = 1 / (1 + Math.exp(-x[i]));
      dx[i] = dy[i] * s * (1 + x[i] * (1 - s));
    }
  },
};

/** The JSDoc of silu, siluBackward and SiLU in the generated API files (scripts/generate-api.mjs). */
export const siluDocs: ActivationDocs = {
  forward: {
    text: [
      'SiLU (swish), `x * sigmoid(x) = x / (1 + e^-x)`, element-wise, within 4 ULP;',
      'silu(+Infinity) = +Infinity, silu(-Infinity) = NaN (PyTorch\'s -inf / (1 + inf)).',
    ],
    examples: ['silu([-1, 0, 1]) // Float32Array [-0.26894143, 0, 0.7310586]'],
  },
  backward: {
    text: [
      'Gradient of silu from its input x: `dy * s * (1 + x * (1 - s))`, s = sigmoid(x), within 8 ULP',
      'without cancellation at any x (also near its zero at x ≈ -1.2785); NaN at ±Infinity, as PyTorch.',
    ],
    examples: ['siluBackward([1, 1], [0, 1]) // Float32Array [0.5, 0.92767054]'],
  },
  module: {
    className: 'SiLU',
    inplace: true,
    text: ['SiLU (swish), `x·sigmoid(x)`, as a module (torch.nn.SiLU).'],
    examples: ['new SiLU().forward([0, 1]); // Float32Array [0, 0.7310586]'],
  },
};
