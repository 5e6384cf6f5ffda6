import { CHEAP_JS_BELOW, defineElementwise, float32Param, type ActivationDocs, type NaiveOf } from '../spec.js';

const f = Math.fround;

/** Hardtanh: min(max(x, minVal), maxVal). */
export const hardtanh = defineElementwise<{ minVal: number; maxVal: number }>({
  name: 'hardtanh',
  torch: 'torch.nn.functional.hardtanh (min_val, max_val → minVal, maxVal)',
  formula: 'min(max(x, minVal), maxVal)',
  summary: 'tanh\'s cheap piecewise-linear stand-in: x clamped to [minVal, maxVal].',
  params: { minVal: float32Param(-1), maxVal: float32Param(1) },
  checkParams: ({ minVal, maxVal }) =>
    minVal <= maxVal ? null : `minVal must be <= maxVal; got minVal = ${minVal}, maxVal = ${maxVal}`,
  ulp: 0,
  ulpNote: 'exact: x or a float32-rounded bound (measured 0 ULP)',
  plotDomain: [-4, 4],
  // The kernels take the params as float32. NaN stays NaN, -0 stays -0 (both compares false).
  reference: (x, { minVal, maxVal }) => {
    const lo = f(minVal);
    const hi = f(maxVal);
    return x < lo ? lo : x > hi ? hi : x;
  },
  // PyTorch's hardtanh_backward: (x <= min || x >= max) ? 0 : dy; a NaN x passes dy.
  derivative: (x, { minVal, maxVal }) => (x <= f(minVal) || x >= f(maxVal) ? 0 : 1),
  js(src, dst, n, { minVal, maxVal }) {
    const lo = f(minVal);
    const hi = f(maxVal);
    for (let i = 0; i < n; i++) {
      const v = src[i];
      dst[i] = v < lo ? lo : v > hi ? hi : v;
    }
  },
  wasm: { export: 'hardtanh', args: ['minVal', 'maxVal'] },
  jsBelow: CHEAP_JS_BELOW,
  backward: {
    ulp: 0, // a select (measured 0 ULP)
    js(dy, x, dx, n, { minVal, maxVal }) {
      const lo = f(minVal);
      const hi = f(maxVal);
      for (let i = 0; i < n; i++) dx[i] = x[i] <= lo || x[i] >= hi ? 0 : dy[i];
    },
    wasm: 'hardtanhBackward',
  },
});

/** The benchmark's baselines for hardtanh (bench/; never bundled): its formula and gradient as naive JS loops. */
export const hardtanhNaive: NaiveOf<typeof hardtanh> = {
  forward(x, y, { minVal, maxVal }) {
    // A clamp with conditionals (V8's Math.min/Math.max runs 1.2x slower here).
    for (let i = 0; i < x.length; i++) {
      const v = x[i];
      y[i] = v < minVal ? minVal : v > maxVal ? maxVal : v;
    }
  },
  backward(dy, x, dx, { minVal, maxVal }) {
    for (let i = 0; i < x.length; i++) dx[i] = x[i] <= minVal || x[i] >= maxVal ? 0 : dy[i];
  },
};

/** The JSDoc of hardtanh, hardtanhBackward and Hardtanh in the generated API files (scripts/generate-api.mjs). */
export const hardtanhDocs: ActivationDocs = {
  forward: {
    text: [
      'Hardtanh, `min(max(x, minVal), maxVal)`, element-wise and exact; `minVal` = -1 and `maxVal` = 1',
      'by default (PyTorch\'s min_val, max_val). minVal > maxVal is a RangeError. NaN stays NaN.',
    ],
    examples: ['hardtanh([-2, 0.5, 2]) // Float32Array [-1, 0.5, 1]'],
  },
  backward: {
    text: [
      'Gradient of hardtanh: `(x <= minVal || x >= maxVal) ? 0 : dy`, exact; pass the forward\'s params.',
    ],
    examples: ['hardtanhBackward([1, 1, 1], [-2, 0, 1]) // Float32Array [0, 1, 0]'],
  },
  module: {
    className: 'Hardtanh',
    inplace: true,
    text: [
      'Hardtanh, `min(max(x, minVal), maxVal)`, as a module (torch.nn.Hardtanh; min_val, max_val → minVal, maxVal).',
    ],
    examples: [
      'new Hardtanh({ minVal: -2, maxVal: 2 }).forward([-3, 1, 3]); // Float32Array [-2, 1, 2]',
    ],
  },
};
