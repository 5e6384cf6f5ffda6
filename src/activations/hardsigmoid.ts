import { defineElementwise, type ActivationDocs, type NaiveOf } from '../spec.js';

/** Hardsigmoid: x <= -3 ? 0 : x >= 3 ? 1 : x / 6 + 1/2. */
export const hardsigmoid = defineElementwise<{}>({
  name: 'hardsigmoid',
  torch: 'torch.nn.functional.hardsigmoid',
  formula: 'x ≤ -3 ? 0 : x ≥ 3 ? 1 : x/6 + 1/2',
  summary: 'Piecewise-linear sigmoid: gates of mobile networks (MobileNetV3 squeeze-excite).',
  params: {},
  ulp: 1,
  ulpNote: '(x + 3) / 6 in float64, one rounding to float32 (measured 0.5 ULP)',
  plotDomain: [-5, 5],
  // (x + 3) / 6: x + 3 is exact in float64 for float32 x in (-3, 3) (to 2^-52 for tiny x), so
  // this is within 2^-52 relative of the exact value; x / 6 + 1/2 would cancel near x = -3.
  reference: (x) => (x <= -3 ? 0 : x >= 3 ? 1 : (x + 3) / 6),
  // PyTorch's hardsigmoid_backward: (-3 < x < 3) ? dy / 6 : 0; a NaN x gives 0.
  derivative: (x) => (x > -3 && x < 3 ? 1 / 6 : 0),
  js(src, dst, n) {
    for (let i = 0; i < n; i++) {
      const v = src[i];
      dst[i] = v <= -3 ? 0 : v >= 3 ? 1 : (v + 3) / 6;
    }
  },
  wasm: { export: 'hardsigmoid', args: [] },
  backward: {
    ulp: 1, // dy / 6, one rounding (measured 0.33 ULP)
    js(dy, x, dx, n) {
      for (let i = 0; i < n; i++) dx[i] = x[i] > -3 && x[i] < 3 ? dy[i] / 6 : 0;
    },
    wasm: 'hardsigmoidBackward',
  },
});

/** The benchmark's baselines for hardsigmoid (bench/; never bundled): its formula and gradient as naive JS loops. */
export const hardsigmoidNaive: NaiveOf<typeof hardsigmoid> = {
  forward(x, y) {
    // Piecewise, with conditionals (V8's Math.min/Math.max clamp runs 2.1x slower here).
    for (let i = 0; i < x.length; i++) {
      const v = x[i];
      y[i] = v <= -3 ? 0 : v >= 3 ? 1 : v / 6 + 0.5;
    }
  },
  backward(dy, x, dx) {
    for (let i = 0; i < x.length; i++) dx[i] = x[i] > -3 && x[i] < 3 ? dy[i] / 6 : 0;
  },
};

/** The JSDoc of hardsigmoid, hardsigmoidBackward and Hardsigmoid in the generated API files (scripts/generate-api.mjs). */
export const hardsigmoidDocs: ActivationDocs = {
  forward: {
    text: ['Hardsigmoid, `x <= -3 ? 0 : x >= 3 ? 1 : x / 6 + 1/2`, element-wise, within 1 ULP.'],
    examples: ['hardsigmoid([-4, 0, 1.5, 4]) // Float32Array [0, 0.5, 0.75, 1]'],
  },
  backward: {
    text: ['Gradient of hardsigmoid: `(-3 < x < 3) ? dy / 6 : 0`, within 1 ULP.'],
    examples: ['hardsigmoidBackward([6, 6], [0, 3]) // Float32Array [1, 0]'],
  },
  module: {
    className: 'Hardsigmoid',
    inplace: true,
    text: ['Hardsigmoid, `clamp(x / 6 + 1/2, 0, 1)`, as a module (torch.nn.Hardsigmoid).'],
    examples: ['new Hardsigmoid().forward([-4, 0, 4]); // Float32Array [0, 0.5, 1]'],
  },
};
