import { defineElementwise, type ActivationDocs, type NaiveOf } from '../spec.js';

/** Hyperbolic tangent. */
export const tanh = defineElementwise<{}>({
  name: 'tanh',
  torch: 'torch.tanh',
  formula: '(e^x − e^−x) / (e^x + e^−x)',
  summary: 'Zero-centred squashing to (−1, 1): RNN hidden states.',
  params: {},
  ulp: 2,
  ulpNote: 'odd polynomial below 0.625, exp core above',
  plotDomain: [-4, 4],
  // expm1 form, independent of the js backend's Math.tanh: accurate near 0 (no cancellation)
  // and exactly ±1 past 20, where tanh is 1 to far below float64's resolution.
  reference(x) {
    if (Number.isNaN(x)) return x;
    if (Math.abs(x) > 20) return Math.sign(x);
    if (x === 0) return x; // keeps -0
    const m = Math.expm1(2 * Math.abs(x));
    return Math.sign(x) * (m / (m + 2));
  },
  // 1 - tanh^2 = 4e / (1 + e)^2 with e = exp(-2|x|): no cancellation for large |x| (where
  // 1 - tanh^2 rounds to 0 in float64), 0 at ±Infinity, NaN for NaN.
  derivative(x) {
    const e = Math.exp(-2 * Math.abs(x));
    return (4 * e) / ((1 + e) * (1 + e));
  },
  js(src, dst, n) {
    for (let i = 0; i < n; i++) dst[i] = Math.tanh(src[i]);
  },
  wasm: { export: 'tanh', args: [] },
  backward: {
    ulp: 8,
    js(dy, x, dx, n) {
      // 1 / cosh^2, which does not cancel; cosh overflows to Infinity past ~710, giving 0.
      for (let i = 0; i < n; i++) {
        const c = Math.cosh(x[i]);
        dx[i] = dy[i] / (c * c);
      }
    },
    wasm: 'tanhBackward',
  },
});

/** The benchmark's baselines for tanh (bench/; never bundled): its formula and gradient as naive JS loops. */
export const tanhNaive: NaiveOf<typeof tanh> = {
  forward(x, y) {
    // The tutorial's code calls np.tanh; its JS twin is Math.tanh (faster than the two-exp
    // formula, so the stricter baseline).
    for (let i = 0; i < x.length; i++) y[i] = Math.tanh(x[i]);
  },
  backward(dy, x, dx) {
    // The textbook 1 - tanh^2 (with Math.tanh, as the forward's naive loop).
    for (let i = 0; i < x.length; i++) {
      const t = Math.tanh(x[i]);
      dx[i] = dy[i] * (1 - t * t);
    }
  },
};

/** The JSDoc of tanh, tanhBackward and Tanh in the generated API files (scripts/generate-api.mjs). */
export const tanhDocs: ActivationDocs = {
  forward: {
    text: ['Hyperbolic tangent, element-wise, within 2 ULP; tanh(±Infinity) = ±1, tanh(-0) = -0.'],
    examples: ['tanh([-1, 0, 1]) // Float32Array [-0.7615942, 0, 0.7615942]'],
  },
  backward: {
    text: [
      'Gradient of tanh from its input x: `dy * (1 - tanh(x)^2)`, within 8 ULP without cancellation at any x; 0 at ±Infinity.',
    ],
    examples: ['tanhBackward([1], [0]) // Float32Array [1]'],
  },
  module: {
    className: 'Tanh',
    text: ['Hyperbolic tangent as a module (torch.nn.Tanh); backward from the saved x.'],
    examples: ['new Tanh().forward([0, 1]); // Float32Array [0, 0.7615942]'],
  },
};
