import { defineElementwise, float32Param, type ActivationDocs, type NaiveOf } from '../spec.js';

/** ELU: x > 0 ? x : alpha (e^x - 1). */
export const elu = defineElementwise<{ alpha: number }>({
  name: 'elu',
  torch: 'torch.nn.functional.elu',
  formula: 'x > 0 ? x : alpha·(e^x − 1)',
  summary: 'Smooth for x ≤ 0, saturating at −alpha: mean activations closer to zero than ReLU.',
  params: { alpha: float32Param(1) },
  ulp: 4,
  ulpNote: 'float32 expm1 (exp core, s·r + (s − 1)), one multiply',
  plotDomain: [-4, 4],
  // Math.expm1 (fdlibm, < 1 ULP of float64) keeps full relative accuracy near 0, where
  // Math.exp(x) - 1 would cancel (at x = -1e-6 it leaves ~1e-10 relative error, 0.001 ULP of
  // float32, and at -1e-30 it gives 0 for a value of -1e-30).
  // x = ±0 gives x itself, as PyTorch since 2.8 (its x * scale branch): elu(-0) = -0.
  reference: (x, { alpha }) => (x >= 0 ? x : alpha * Math.expm1(x)),
  // PyTorch's elu_backward (is_result = false): x > 0 ? 1 : alpha e^x; a NaN x gives NaN, as its
  // vectorised kernel (its blend takes the x > 0 lanes, NaN fails that test).
  derivative: (x, { alpha }) => (x > 0 ? 1 : alpha * Math.exp(x)),
  js(src, dst, n, { alpha }) {
    for (let i = 0; i < n; i++) {
      const v = src[i];
      dst[i] = v >= 0 ? v : Math.expm1(v) * alpha;
    }
  },
  wasm: { export: 'elu', args: ['alpha'] },
  backward: {
    ulp: 8,
    js(dy, x, dx, n, { alpha }) {
      for (let i = 0; i < n; i++) {
        const v = x[i];
        dx[i] = v > 0 ? dy[i] : dy[i] * alpha * Math.exp(v);
      }
    },
    wasm: 'eluBackward',
  },
});

/** The benchmark's baselines for elu (bench/; never bundled): its formula and gradient as naive JS loops. */
export const eluNaive: NaiveOf<typeof elu> = {
  forward(x, y, { alpha }) {
    for (let i = 0; i < x.length; i++) y[i] = x[i] > 0 ? x[i] : alpha * (Math.exp(x[i]) - 1);
  },
  backward(dy, x, dx, { alpha }) {
    // The textbook derivative: 1 for x > 0, alpha·e^x otherwise.
    for (let i = 0; i < x.length; i++) dx[i] = x[i] > 0 ? dy[i] : dy[i] * alpha * Math.exp(x[i]);
  },
};

/** The JSDoc of elu, eluBackward and ELU in the generated API files (scripts/generate-api.mjs). */
export const eluDocs: ActivationDocs = {
  forward: {
    text: [
      'ELU, `x > 0 ? x : alpha * (e^x - 1)`, element-wise, within 4 ULP (expm1: accurate near 0 too);',
      '`alpha` defaults to 1. elu(-Infinity) = -alpha; elu(-0) = -0 (PyTorch >= 2.8).',
    ],
    examples: ['elu([-1, 0, 2]) // Float32Array [-0.63212055, 0, 2]'],
  },
  backward: {
    text: [
      'Gradient of elu from its input x: `x > 0 ? dy : dy * alpha * e^x` (PyTorch\'s elu_backward),',
      'within 8 ULP; pass the forward\'s `alpha`.',
    ],
    examples: ['eluBackward([1, 1], [-1, 2]) // Float32Array [0.36787945, 1]'],
  },
  module: {
    className: 'ELU',
    inplace: true,
    text: ['ELU, `x > 0 ? x : alpha·(e^x − 1)`, as a module (torch.nn.ELU; alpha default 1).'],
    examples: ['new ELU().forward([-1, 2]); // Float32Array [-0.63212055, 2]'],
  },
};
