import { defineElementwise, type ActivationDocs, type NaiveOf } from '../spec.js';

/**
 * Taylor coefficients of x - tanh(x) = Σ C[k] x^(2k+3) (from the Bernoulli numbers, printed by
 * mpmath.taylor at 40 digits). At |x| < 0.5 the terms shrink by (2x/π)^2 < 0.11 each, so 17 terms
 * leave under 1e-17 relative.
 */
const C = [
  0.3333333333333333, -0.13333333333333333, 0.05396825396825397, -0.021869488536155203,
  0.008863235529902197, -0.003592128036572481, 0.0014558343870513183, -0.000590027440945586,
  0.00023912911424355248, -9.691537956929451e-05, 3.927832388331683e-05, -1.5918905069328964e-05,
  6.451689215655431e-06, -2.6147711512907546e-06, 1.0597268320104654e-06, -4.294911078273806e-07,
  1.7406618963571648e-07,
];

/** tanh(x) in float64 by the expm1 form (accurate near 0, exactly ±1 past 20). */
function tanh64(x: number): number {
  if (Math.abs(x) > 20) return Math.sign(x);
  const m = Math.expm1(2 * Math.abs(x));
  return Math.sign(x) * (m / (m + 2));
}

/**
 * The js backend's small-|x| polynomial: the float32 kernel's fit (assembly/ops/tanhshrink.ts,
 * 5.8e-9 relative on [0, 1]) evaluated in float64, where v - Math.tanh(v) would cancel.
 */
function smallJs(v: number): number {
  const w = v * v;
  const q = ((((((-0.000144891761 * w + 0.000931378338) * w - 0.00321862521) * w + 0.00870687328) * w
    - 0.0218332317) * w + 0.0539641827) * w - 0.133333176) * w + 1 / 3;
  return v * w * q;
}

/** Tanhshrink: x − tanh(x). */
export const tanhshrink = defineElementwise<{}>({
  name: 'tanhshrink',
  torch: 'torch.nn.functional.tanhshrink',
  formula: 'x − tanh(x)',
  summary: 'Shrinks small inputs towards 0 smoothly (≈ x³/3 near 0), passes large ones shifted by ±1.',
  params: {},
  ulp: 4,
  ulpNote: 'odd polynomial below abs(x) = 1 (no cancellation), (abs(x) − 1) + 2e/(1 + e) above',
  plotDomain: [-4, 4],
  // The series below 0.5 (x - tanh x cancels there: at 1e-3 it is 1e-6 of x), the expm1-based
  // tanh above (at 0.5 the difference is 8% of x, so float64's rounding stays under 1e-15).
  // -0 gives -0 (the odd function's sign; PyTorch's x - tanh(x) gives +0), ±Infinity gives ±Infinity.
  reference(x) {
    if (Number.isNaN(x) || !Number.isFinite(x)) return x;
    if (Math.abs(x) < 0.5) {
      const w = x * x;
      let s = 0;
      for (let k = C.length - 1; k >= 0; k--) s = s * w + C[k];
      return x * w * s;
    }
    return x - tanh64(x);
  },
  // 1 - tanh'(x) = tanh(x)^2: no cancellation, 1 at ±Infinity, NaN at NaN.
  derivative(x) {
    if (Number.isNaN(x)) return x;
    const t = tanh64(x);
    return t * t;
  },
  js(src, dst, n) {
    for (let i = 0; i < n; i++) {
      const v = src[i];
      dst[i] = Math.abs(v) < 1 ? smallJs(v) : v - Math.tanh(v);
    }
  },
  wasm: { export: 'tanhshrink', args: [] },
  backward: {
    ulp: 8, // the tanh kernel (≤ 2 ULP) squared and times dy: ≤ 5 ULP by construction
    js(dy, x, dx, n) {
      for (let i = 0; i < n; i++) {
        const t = Math.tanh(x[i]);
        dx[i] = dy[i] * (t * t);
      }
    },
    wasm: 'tanhshrinkBackward',
  },
});

/** The benchmark's baselines for tanhshrink (bench/; never bundled): its formula and gradient as naive JS loops. */
export const tanhshrinkNaive: NaiveOf<typeof tanhshrink> = {
  forward(x, y) {
    for (let i = 0; i < x.length; i++) y[i] = x[i] - Math.tanh(x[i]);
  },
  backward(dy, x, dx) {
    // The textbook tanh(x)².
    for (let i = 0; i < x.length; i++) {
      const t = Math.tanh(x[i]);
      dx[i] = dy[i] * t * t;
    }
  },
};

/** The JSDoc of tanhshrink, tanhshrinkBackward and Tanhshrink in the generated API files (scripts/generate-api.mjs). */
export const tanhshrinkDocs: ActivationDocs = {
  forward: {
    text: [
      'Tanhshrink, `x - tanh(x)`, element-wise, within 4 ULP with no cancellation near 0 (≈ x³/3 there);',
      '±Infinity stays ±Infinity, -0 gives -0.',
    ],
    examples: ['tanhshrink([-1, 0, 2]) // Float32Array [-0.23840584, 0, 1.0359725]'],
  },
  backward: {
    text: ['Gradient of tanhshrink: `dy * tanh(x)^2`, within 8 ULP; dy at x = ±Infinity.'],
    examples: ['tanhshrinkBackward([1, 1], [0, 1]) // Float32Array [0, 0.5800257]'],
  },
  module: {
    className: 'Tanhshrink',
    text: ['Tanhshrink, `x − tanh(x)`, as a module (torch.nn.Tanhshrink).'],
    examples: ['new Tanhshrink().forward([2]); // Float32Array [1.0359725]'],
  },
};
