import { defineElementwise, type ActivationDocs, type NaiveOf } from '../spec.js';

// PyTorch's constants (torch.nn.functional.selu).
const ALPHA = 1.6732632423543772848170429916717;
const SCALE = 1.0507009873554804934193349852946;
// The float32 constants of PyTorch's float32 kernel and of ours (assembly/ops/selu.ts): scale and
// alpha * scale, each rounded to nearest float32 (0x3F867D5F and 0x3FE10966; the latter is also
// the float32 product of the float32 alpha and scale, as PyTorch forms it). The reference, the
// derivative and the js backend use them too: against the exact constants, x * SCALE_F32 (one
// rounding, as PyTorch's) overflows to Infinity for a few x just below FLT_MAX / scale where
// scale * x still rounds to FLT_MAX (an Infinity mismatch over all 2^32 inputs), and each
// constant's rounding moves the result by up to 0.56 ULP (relative 3.3e-8 and 1.3e-8; an ULP is
// 6e-8 to 1.2e-7 relative), which is PyTorch's float32 function, not an error of the kernel.
const SCALE_F32 = Math.fround(SCALE);
const NEGCOEF_F32 = Math.fround(ALPHA * SCALE);

/** SELU: scale (max(0, x) + min(0, alpha (e^x - 1))), with PyTorch's alpha and scale. */
export const selu = defineElementwise<{}>({
  name: 'selu',
  torch: 'torch.nn.functional.selu',
  formula: 'scale·(max(0, x) + min(0, alpha·(e^x − 1))), alpha ≈ 1.6733, scale ≈ 1.0507',
  summary: 'Self-normalising ELU: keeps activations near zero mean and unit variance.',
  params: {},
  ulp: 4,
  ulpNote: 'float32 expm1 (exp core, s·r + (s − 1)), one multiply by a float32-rounded constant',
  plotDomain: [-4, 4],
  // Math.expm1: no cancellation near 0 (see elu); the float32 constants (see above).
  reference: (x) => (x >= 0 ? SCALE_F32 * x : NEGCOEF_F32 * Math.expm1(x)), // selu(-0) = -0, as elu
  // PyTorch's elu_backward with selu's coefficients: x > 0 ? scale : alpha scale e^x (NaN: NaN).
  derivative: (x) => (x > 0 ? SCALE_F32 : NEGCOEF_F32 * Math.exp(x)),
  js(src, dst, n) {
    for (let i = 0; i < n; i++) {
      const v = src[i];
      dst[i] = v >= 0 ? v * SCALE_F32 : Math.expm1(v) * NEGCOEF_F32; // -0 at x = -0, as elu
    }
  },
  wasm: { export: 'selu', args: [] },
  backward: {
    ulp: 8,
    js(dy, x, dx, n) {
      for (let i = 0; i < n; i++) {
        const v = x[i];
        dx[i] = v > 0 ? dy[i] * SCALE_F32 : dy[i] * NEGCOEF_F32 * Math.exp(v);
      }
    },
    wasm: 'seluBackward',
  },
});

/** The benchmark's baselines for selu (bench/; never bundled): its formula and gradient as naive JS loops. */
export const seluNaive: NaiveOf<typeof selu> = {
  forward(x, y) {
    for (let i = 0; i < x.length; i++) y[i] = x[i] > 0 ? SCALE * x[i] : SCALE * ALPHA * (Math.exp(x[i]) - 1);
  },
  backward(dy, x, dx) {
    // The textbook derivative: scale for x > 0, scale·alpha·e^x otherwise.
    for (let i = 0; i < x.length; i++) dx[i] = x[i] > 0 ? dy[i] * SCALE : dy[i] * SCALE * ALPHA * Math.exp(x[i]);
  },
};

/** The JSDoc of selu, seluBackward and SELU in the generated API files (scripts/generate-api.mjs). */
export const seluDocs: ActivationDocs = {
  forward: {
    text: [
      'SELU, `scale * (x > 0 ? x : alpha * (e^x - 1))` with PyTorch\'s alpha ≈ 1.6733 and scale ≈ 1.0507,',
      'element-wise, within 4 ULP. selu(-Infinity) = -alpha * scale ≈ -1.7581.',
    ],
    examples: ['selu([-1, 0, 1]) // Float32Array [-1.1113307, 0, 1.050701]'],
  },
  backward: {
    text: [
      'Gradient of selu from its input x: `x > 0 ? dy * scale : dy * alpha * scale * e^x`, within 8 ULP.',
    ],
    examples: ['seluBackward([1, 1], [0, 1]) // Float32Array [1.7580993, 1.050701]'],
  },
  module: {
    className: 'SELU',
    inplace: true,
    text: ['SELU, `scale·(max(0, x) + min(0, alpha·(e^x − 1)))`, as a module (torch.nn.SELU).'],
    examples: ['new SELU().forward([0, 1]); // Float32Array [0, 1.050701]'],
  },
};
