import { defineElementwise } from '../spec.js';

/** Mish: x tanh(softplus(x)). */
export const mish = defineElementwise<{}>({
  name: 'mish',
  torch: 'torch.nn.functional.mish',
  formula: 'x·tanh(log(1 + e^x))',
  summary: 'A smooth, non-monotonic ReLU-like activation (YOLOv4).',
  params: {},
  ulp: 4,
  ulpNote: 'exp core, then float64 rational form of tanh(softplus) (measured 1.5 ULP)',
  plotDomain: [-5, 3],
  // PyTorch's formula in float64. Each of Math.exp, Math.log1p and Math.tanh is within an ULP or
  // two of float64, and none amplifies relative error (d ln tanh(s) / d ln s <= 1, d ln log1p(e) /
  // d ln e <= 1): relative ~1e-15, far below 0.01 ULP of float32. exp overflows float64 only for
  // x > 709, where log1p(Infinity) = Infinity and tanh = 1: x, right. mish(-Infinity) is
  // -Infinity * 0 = NaN there, as in PyTorch.
  reference: (x) => x * Math.tanh(Math.log1p(Math.exp(x))),
  // PyTorch's mish_backward: T + x sigmoid(x) (1 - T^2), T = tanh(softplus(x)), in float64. Near
  // the root at x = -1.1924 the two terms cancel: absolute error ~1e-16, against |f'| >= ~4e-9 at
  // the float32 x nearest the root (f'' there is ~0.35, the nearest float32 is ~1e-8 away), a
  // relative 3e-8 at worst there and ~1e-15 elsewhere. NaN at ±Infinity (Infinity * 0), as PyTorch.
  derivative(x) {
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
  naive(x, y) {
    for (let i = 0; i < x.length; i++) y[i] = x[i] * Math.tanh(Math.log(1 + Math.exp(x[i])));
  },
  wasm: { export: 'mish', args: [] },
  backward: {
    ulp: 8,
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
