import { defineElementwise, finiteParam, isNormalFloat32, type ParamSpec, type ActivationDocs, type NaiveOf } from '../spec.js';

/**
 * beta: a positive number in float32's normal range. PyTorch accepts any beta, but beta = 0 gives
 * log(2) / 0 and a negative beta makes log(1 + exp(beta x)) / beta negative (not a softplus at all,
 * and its linear regime then tests x * beta > threshold the wrong way round): meaningless, so the
 * project's issue makes them a RangeError. Below 2^-126 the float32 beta the kernels use would be
 * subnormal or 0, above FLT_MAX infinite (the check is on beta rounded to float32).
 */
const betaParam: ParamSpec = {
  default: 1,
  allows: (v) => v > 0 && isNormalFloat32(v),
  requirement: 'a positive number in float32\'s normal range [1.1754944e-38, 3.4028235e38]',
};

/** Whether PyTorch's float kernel takes the linear regime: the float32 x * beta above the float32 threshold. */
function linear(x: number, beta32: number, threshold32: number): boolean {
  return Math.fround(x * beta32) > threshold32;
}

/** Softplus: log(1 + exp(beta x)) / beta, and x itself where x * beta > threshold. */
export const softplus = defineElementwise<{ beta: number; threshold: number }>({
  name: 'softplus',
  torch: 'torch.nn.functional.softplus',
  formula: 'x·beta > threshold ? x : log(1 + e^(beta·x)) / beta',
  summary: 'A smooth ReLU: always positive, slope sigmoid(beta·x).',
  params: { beta: betaParam, threshold: finiteParam(20) },
  ulp: 4,
  ulpNote: 'exact beta·x into the exp core, log1p kernel, float64 division by beta (measured 1.7 ULP)',
  plotDomain: [-4, 4],
  // beta and threshold as the kernels (and PyTorch's float kernels) use them: rounded to float32.
  // b x is exact in float64 (24 x 24 bits); max(x, 0) + log1p(exp(-|b x|)) / b adds two
  // non-negative terms, each a few float64 roundings (Math.exp, Math.log1p, the division) from
  // exact: relative error ~1e-15, far below 0.01 ULP of float32 (6e-10 relative). Where exp
  // underflows float64 (|b x| > 745) the exact log term is below 2^-948: 0 is right.
  reference(x, { beta, threshold }) {
    const b = Math.fround(beta);
    if (linear(x, b, Math.fround(threshold))) return x;
    return Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(b * x))) / b;
  },
  // PyTorch's softplus_backward: sigmoid(b x) outside the linear regime, as 1 / (1 + e^-bx):
  // no cancellation, 0 at -Infinity, 1 where e^-bx underflows.
  derivative(x, { beta, threshold }) {
    const b = Math.fround(beta);
    if (linear(x, b, Math.fround(threshold))) return 1;
    return 1 / (1 + Math.exp(-b * x));
  },
  js(src, dst, n, { beta, threshold }) {
    // float64 arithmetic rounded once on the store (x b exact): <= 0.5 ULP + a few float64 roundings.
    const b = Math.fround(beta);
    const t = Math.fround(threshold);
    for (let i = 0; i < n; i++) {
      const v = src[i];
      const y = v * b;
      if (Math.fround(y) > t) dst[i] = v;
      else dst[i] = y > 0 ? v + Math.log1p(Math.exp(-y)) / b : Math.log1p(Math.exp(y)) / b;
    }
  },
  wasm: { export: 'softplus', args: ['beta', 'threshold'] },
  backward: {
    ulp: 8, // float32 exp of |beta·x| / 2 (exact split) and quotient (measured 4.41 ULP, all 2^32 x)
    js(dy, x, dx, n, { beta, threshold }) {
      const b = Math.fround(beta);
      const t = Math.fround(threshold);
      for (let i = 0; i < n; i++) {
        const y = x[i] * b;
        if (Math.fround(y) > t) {
          dx[i] = dy[i];
        } else {
          // z / (z + 1) with z = e^y, as 1 / (1 + e^-y): e^-y may overflow to Infinity, whose
          // quotient is the right limit, 0. No branch on the sign of y (a random one mispredicted).
          dx[i] = dy[i] / (1 + Math.exp(-y));
        }
      }
    },
    wasm: 'softplusBackward',
  },
});

/** The benchmark's baselines for softplus (bench/; never bundled): its formula and gradient as naive JS loops. */
export const softplusNaive: NaiveOf<typeof softplus> = {
  forward(x, y, { beta, threshold }) {
    for (let i = 0; i < x.length; i++) {
      y[i] = x[i] * beta > threshold ? x[i] : Math.log(1 + Math.exp(beta * x[i])) / beta;
    }
  },
  backward(dy, x, dx, { beta, threshold }) {
    // PyTorch's z / (z + 1), z = e^(beta·x), and dy above the threshold.
    for (let i = 0; i < x.length; i++) {
      const z = Math.exp(x[i] * beta);
      dx[i] = x[i] * beta > threshold ? dy[i] : dy[i] * z / (z + 1);
    }
  },
};

/** The JSDoc of softplus, softplusBackward and Softplus in the generated API files (scripts/generate-api.mjs). */
export const softplusDocs: ActivationDocs = {
  forward: {
    text: [
      'Softplus, `x * beta > threshold ? x : log(1 + e^(beta x)) / beta`, element-wise, within 4 ULP;',
      '`beta` (positive) defaults to 1 and `threshold` to 20, as PyTorch. softplus(-Infinity) = 0.',
    ],
    examples: ['softplus([-1, 0, 30]) // Float32Array [0.3132617, 0.6931472, 30]'],
  },
  backward: {
    text: [
      'Gradient of softplus: `x * beta > threshold ? dy : dy * sigmoid(beta x)`, within 8 ULP; pass the',
      'forward\'s `beta` and `threshold`. Never overflows (PyTorch\'s z / (z + 1) can give Infinity / Infinity).',
    ],
    examples: ['softplusBackward([1, 1], [0, 30]) // Float32Array [0.5, 1]'],
  },
  module: {
    className: 'Softplus',
    text: [
      'Softplus, `log(1 + e^(beta·x)) / beta` (x itself above `threshold`), as a module (torch.nn.Softplus; beta 1, threshold 20).',
    ],
    examples: ['new Softplus().forward([0]); // Float32Array [0.6931472]'],
  },
};
