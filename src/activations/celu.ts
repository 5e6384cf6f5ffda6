import { defineElementwise, nonzeroFloat32Param, type ActivationDocs, type NaiveOf } from '../spec.js';

/** CELU: max(0, x) + min(0, alpha (e^(x / alpha) - 1)), alpha != 0. */
export const celu = defineElementwise<{ alpha: number }>({
  name: 'celu',
  torch: 'torch.nn.functional.celu',
  formula: 'max(0, x) + min(0, alpha·(e^(x/alpha) − 1))',
  summary: 'ELU made continuously differentiable for any alpha: its slope at 0⁻ is 1.',
  params: { alpha: nonzeroFloat32Param(1) },
  ulp: 4,
  ulpNote: 'alpha a power of two in (0, 1]: float32 expm1, one multiply (measured 0.92 ULP); else float64 lanes (x · (1/alpha), expm1 to 2^-44, the product), one rounding (measured 0.5 ULP)',
  plotDomain: [-4, 4],
  // alpha is taken as the float32 the kernels use (PyTorch's float32 kernel rounds it too): the
  // backward pass's exp(x / alpha) amplifies a relative change of alpha by |x / alpha| (up to
  // ~88), so the exact function of the float32 alpha is the one to compare against. For x <= 0
  // the formula is alpha expm1(x / alpha) for either sign of alpha (the min picks it); Math.expm1
  // keeps full relative accuracy near 0 (see elu).
  // The wasm kernels (assembly/ops/celu.ts): alpha a power of two in (0, 1] runs elu's float32
  // path (measured 0.921 ULP forward, 2.909 backward over all 2^32 x at alpha = 1); any other alpha
  // runs in float64 f64x2 lanes, x * (1 / alpha), expm1 (exp64.ts's reduction and degree-11 Taylor
  // polynomial, ~2^-44 relative) or exp (~2^-47) and the product, rounded once: within 0.5 + 2^-18
  // ULP, measured 0.5000000 forward and 0.5000001 backward (dy = 1 and random dy) over every
  // float32 x <= 0 for alpha = 0.7, 1.5, 3, -2, 1e-3 and 100, simd and scalar bit-identical.
  reference: (x, { alpha }) => {
    const a = Math.fround(alpha);
    return x >= 0 ? x : a * Math.expm1(x / a); // celu(-0) = -0, as elu
  },
  // PyTorch's elu_backward with input_scale 1 / alpha: x > 0 ? 1 : e^(x / alpha) (NaN: NaN).
  derivative: (x, { alpha }) => (x > 0 ? 1 : Math.exp(x / Math.fround(alpha))),
  js(src, dst, n, { alpha }) {
    const a = Math.fround(alpha); // as the wasm kernels, which take alpha as a float32
    for (let i = 0; i < n; i++) {
      const v = src[i];
      dst[i] = v >= 0 ? v : Math.expm1(v / a) * a; // x itself at ±0, as PyTorch since 2.8
    }
  },
  wasm: { export: 'celu', args: ['alpha'] },
  backward: {
    ulp: 8,
    js(dy, x, dx, n, { alpha }) {
      const a = Math.fround(alpha);
      for (let i = 0; i < n; i++) {
        const v = x[i];
        dx[i] = v > 0 ? dy[i] : dy[i] * Math.exp(v / a);
      }
    },
    wasm: 'celuBackward',
  },
});

/** The benchmark's baselines for celu (bench/; never bundled): its formula and gradient as naive JS loops. */
export const celuNaive: NaiveOf<typeof celu> = {
  forward(x, y, { alpha }) {
    // The branch form, as elu's (PyTorch's max(0, x) + min(0, α(e^(x/α) − 1)) takes an exp per
    // element and runs 3.2x slower: a baseline that slow would flatter the kernels).
    for (let i = 0; i < x.length; i++) {
      const v = x[i];
      y[i] = v > 0 ? v : alpha * (Math.exp(v / alpha) - 1);
    }
  },
  backward(dy, x, dx, { alpha }) {
    // The textbook derivative: 1 for x > 0, e^(x/alpha) otherwise.
    for (let i = 0; i < x.length; i++) dx[i] = x[i] > 0 ? dy[i] : dy[i] * Math.exp(x[i] / alpha);
  },
};

/** The JSDoc of celu, celuBackward and CELU in the generated API files (scripts/generate-api.mjs). */
export const celuDocs: ActivationDocs = {
  forward: {
    text: [
      'CELU, `max(0, x) + min(0, alpha * (e^(x / alpha) - 1))`, element-wise, within 4 ULP; `alpha`',
      'defaults to 1 and may be negative; 0 is a RangeError (as PyTorch). Fastest for a power of two',
      'in (0, 1] (float32 SIMD); any other alpha runs in float64 SIMD lanes (about 3x slower;',
      'measured 0.5 ULP).',
    ],
    examples: ['celu([-1, 0, 2], { alpha: 0.5 }) // Float32Array [-0.43233237, 0, 2]'],
  },
  backward: {
    text: [
      'Gradient of celu from its input x: `x > 0 ? dy : dy * e^(x / alpha)`, within 8 ULP; pass the',
      'forward\'s `alpha`.',
    ],
    examples: ['celuBackward([1, 1], [-1, 2], { alpha: 0.5 }) // Float32Array [0.13533528, 1]'],
  },
  module: {
    className: 'CELU',
    inplace: true,
    text: [
      'CELU, `max(0, x) + min(0, alpha·(e^(x/alpha) − 1))`, as a module (torch.nn.CELU; alpha default 1, nonzero).',
    ],
    examples: ['new CELU({ alpha: 0.5 }).forward([-1, 2]); // Float32Array [-0.43233237, 2]'],
  },
};
