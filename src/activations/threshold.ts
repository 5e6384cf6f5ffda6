import { CHEAP_JS_BELOW, defineElementwise, requiredFloat32Param, type ActivationDocs, type NaiveOf } from '../spec.js';

const f = Math.fround;

/** Threshold: x > threshold ? x : value. Both params required, as in PyTorch. */
export const threshold = defineElementwise<{ threshold: number; value: number }, 'threshold' | 'value'>({
  name: 'threshold',
  torch: 'torch.nn.functional.threshold',
  formula: 'x > threshold ? x : value',
  summary: 'Replaces every value at or below a threshold by a constant.',
  // No defaults in PyTorch: the numbers are only the tests' and docs' example values.
  params: { threshold: requiredFloat32Param(0.5), value: requiredFloat32Param(-1) },
  ulp: 0,
  ulpNote: 'exact: x or the float32-rounded value (measured 0 ULP)',
  plotDomain: [-4, 4],
  // PyTorch's kernel: x <= threshold ? value : x, so NaN stays NaN.
  reference: (x, { threshold: t, value }) => (x <= f(t) ? f(value) : x),
  // PyTorch's threshold_backward: x <= threshold ? 0 : dy; a NaN x passes dy.
  derivative: (x, { threshold: t }) => (x <= f(t) ? 0 : 1),
  js(src, dst, n, { threshold: t, value }) {
    const th = f(t);
    const v = f(value);
    for (let i = 0; i < n; i++) {
      const s = src[i];
      dst[i] = s <= th ? v : s;
    }
  },
  wasm: { export: 'threshold', args: ['threshold', 'value'] },
  jsBelow: CHEAP_JS_BELOW,
  backward: {
    ulp: 0, // a select (measured 0 ULP)
    js(dy, x, dx, n, { threshold: t }) {
      const th = f(t);
      for (let i = 0; i < n; i++) dx[i] = x[i] <= th ? 0 : dy[i];
    },
    wasm: 'thresholdBackward',
  },
});

/** The benchmark's baselines for threshold (bench/; never bundled): its formula and gradient as naive JS loops. */
export const thresholdNaive: NaiveOf<typeof threshold> = {
  forward(x, y, { threshold: t, value }) {
    for (let i = 0; i < x.length; i++) y[i] = x[i] > t ? x[i] : value;
  },
  backward(dy, x, dx, { threshold: t }) {
    for (let i = 0; i < x.length; i++) dx[i] = x[i] <= t ? 0 : dy[i];
  },
};

/** The JSDoc of threshold, thresholdBackward and Threshold in the generated API files (scripts/generate-api.mjs). */
export const thresholdDocs: ActivationDocs = {
  forward: {
    text: [
      'Threshold, `x > threshold ? x : value`, element-wise and exact. Both `threshold` and `value`',
      'are required (PyTorch has no defaults): a call without them is a TypeError. NaN stays NaN.',
    ],
    examples: ['threshold([-1, 0.5, 2], { threshold: 0.5, value: -9 }) // Float32Array [-9, -9, 2]'],
  },
  backward: {
    text: [
      'Gradient of threshold: `x > threshold ? dy : 0` (a NaN x passes dy), exact; `threshold` and',
      '`value` are required, as in the forward call.',
    ],
    examples: [
      'thresholdBackward([1, 1], [0, 2], { threshold: 0.5, value: -9 }) // Float32Array [0, 1]',
    ],
  },
  module: {
    className: 'Threshold',
    inplace: true,
    text: [
      'Threshold, `x > threshold ? x : value`, as a module (torch.nn.Threshold; both params required).',
    ],
    examples: [
      'new Threshold({ threshold: 0.5, value: -9 }).forward([-1, 2]); // Float32Array [-9, 2]',
    ],
  },
};
