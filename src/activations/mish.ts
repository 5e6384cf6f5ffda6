import { defineElementwise, type ActivationDocs, type NaiveOf } from '../spec.js';

/** The float64 nearest the root of mish' (scripts/mish-root.py). */
const MISH_ROOT = -1.1924312145154952;
/** Taylor coefficients a0..a8 of mish' around MISH_ROOT (scripts/mish-root.py, mpmath). */
const ROOT_SERIES = [
  1.2942924190978498e-17, 0.26694791404953455, 0.20473126408010586, 0.04190782104360987, -0.02027182271668425,
  -0.015821126561733383, -0.003360684927023268, 0.0010924055409445859, 0.0009898181021289199,
];

/** Mish: x tanh(softplus(x)). */
export const mish = defineElementwise<{}>({
  name: 'mish',
  torch: 'torch.nn.functional.mish',
  formula: 'x·tanh(log(1 + e^x))',
  summary: 'A smooth, non-monotonic ReLU-like activation (YOLOv4).',
  params: {},
  ulp: 4,
  ulpNote: 'exp core, then float64 rational form of tanh(softplus) (measured 1.7 ULP)',
  plotDomain: [-5, 3],
  // PyTorch's formula in float64. Each of Math.exp, Math.log1p and Math.tanh is within an ULP or
  // two of float64, and none amplifies relative error (d ln tanh(s) / d ln s <= 1, d ln log1p(e) /
  // d ln e <= 1): relative ~1e-15, far below 0.01 ULP of float32. exp overflows float64 only for
  // x > 709, where log1p(Infinity) = Infinity and tanh = 1: x, right. mish(-Infinity) is
  // -Infinity * 0 = NaN there, as in PyTorch.
  reference: (x) => x * Math.tanh(Math.log1p(Math.exp(x))),
  // PyTorch's mish_backward: T + x sigmoid(x) (1 - T^2), T = tanh(softplus(x)), in float64,
  // except near its root at x0 = -1.19243 (mish's minimum): there the two terms of ~0.2 cancel,
  // and the formula's absolute error (~1e-17) would be 1.4 ULP of float32 at the float32 x nearest
  // the root (|f'| = 8.1e-10 there). Within 0.02 of x0 the Taylor series of f' around c (the float64
  // nearest x0; d = x - c is exact for a float32 x) is used instead, coefficients from
  // scripts/mish-root.py (mpmath, 50 digits): a0 ~ 1e-17 and a1 d dominate, no cancellation,
  // truncation after d^8 below 1e-16 relative. Beyond 0.02, |f'| > 0.005 and the formula's
  // relative error is < 1e-14. NaN at ±Infinity (Infinity * 0), as PyTorch.
  derivative(x) {
    const d = x - MISH_ROOT;
    if (Math.abs(d) <= 0.02) {
      let p = ROOT_SERIES[ROOT_SERIES.length - 1];
      for (let k = ROOT_SERIES.length - 2; k >= 0; k--) p = p * d + ROOT_SERIES[k];
      return p;
    }
    const sig = 1 / (1 + Math.exp(-x));
    const t = Math.tanh(Math.log1p(Math.exp(x)));
    return t + x * sig * (1 - t * t);
  },
  js(src, dst, n) {
    // tanh(log(1 + e)) = n / (n + 2), n = e (e + 2); for x > 0 in u = e^-x (no overflow).
    for (let i = 0; i < n; i++) {
      const v = src[i];
      const u = Math.exp(-Math.abs(v));
      if (v > 0) dst[i] = (v * (1 + 2 * u)) / (1 + 2 * u + 2 * u * u);
      else {
        const m = u * (u + 2);
        dst[i] = (v * m) / (m + 2);
      }
    }
  },
  wasm: { export: 'mish', args: [] },
  backward: {
    ulp: 8, // float64 exp and rational form, also at the root of mish' (measured 0.88 ULP)
    js(dy, x, dx, n) {
      // The rational forms of the wasm kernel (assembly/ops/mish.ts): no overflow, 1 - T^2 without
      // cancellation; float64 throughout (the root at -1.1924 needs it).
      for (let i = 0; i < n; i++) {
        const v = x[i];
        const u = Math.exp(-Math.abs(v));
        let num: number;
        let den: number;
        if (v > 0) {
          const p = 1 + 2 * u;
          const d = p + 2 * u * u;
          num = p * d + 4 * v * u * u * (1 + u);
          den = d * d;
        } else {
          const m = u * (u + 2);
          const d = m + 2;
          num = m * d * (1 + u) + 4 * v * (m + 1) * u;
          den = d * d * (1 + u);
        }
        dx[i] = (dy[i] * num) / den;
      }
    },
    wasm: 'mishBackward',
  },
});

/** The benchmark's baselines for mish (bench/; never bundled): its formula and gradient as naive JS loops. */
export const mishNaive: NaiveOf<typeof mish> = {
  forward(x, y) {
    for (let i = 0; i < x.length; i++) y[i] = x[i] * Math.tanh(Math.log(1 + Math.exp(x[i])));
  },
  backward(dy, x, dx) {
    // PyTorch's tanh(sp) + x·sigmoid(x)·(1 − tanh(sp)²), sp = softplus(x).
    for (let i = 0; i < x.length; i++) {
      const t = Math.tanh(Math.log(1 + Math.exp(x[i])));
      dx[i] = dy[i] * (t + x[i] * (1 / (1 + Math.exp(-x[i]))) * (1 - t * t));
    }
  },
};

/** The JSDoc of mish, mishBackward and Mish in the generated API files (scripts/generate-api.mjs). */
export const mishDocs: ActivationDocs = {
  forward: {
    text: [
      'Mish, `x * tanh(log(1 + e^x))`, element-wise, within 4 ULP; mish(+Infinity) = Infinity and',
      'mish(-Infinity) = NaN (Infinity * 0), as PyTorch\'s formula.',
    ],
    examples: ['mish([-1, 0, 1]) // Float32Array [-0.30340147, 0, 0.8650984]'],
  },
  backward: {
    text: [
      'Gradient of mish: `dy * (T + x * sigmoid(x) * (1 - T^2))`, T = tanh(softplus(x)), within 8 ULP,',
      'also near its root at x = -1.1924; NaN at x = ±Infinity (Infinity * 0), as PyTorch\'s formula.',
    ],
    examples: ['mishBackward([1, 1], [0, 30]) // Float32Array [0.6, 1]'],
  },
  module: {
    className: 'Mish',
    inplace: true,
    text: ['Mish, `x·tanh(softplus(x))`, as a module (torch.nn.Mish).'],
    examples: ['new Mish().forward([1]); // Float32Array [0.8650984]'],
  },
};
