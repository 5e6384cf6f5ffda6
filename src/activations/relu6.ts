import { CHEAP_JS_BELOW, defineElementwise, type ActivationDocs, type NaiveOf } from '../spec.js';

/** ReLU6: min(max(x, 0), 6) = hardtanh(x, 0, 6). */
export const relu6 = defineElementwise<{}>({
  name: 'relu6',
  torch: 'torch.nn.functional.relu6',
  formula: 'min(max(x, 0), 6)',
  summary: 'ReLU capped at 6: mobile networks (MobileNetV2), friendly to low precision.',
  params: {},
  ulp: 0,
  ulpNote: 'exact: x, 0 or 6 (measured 0 ULP)',
  plotDomain: [-4, 8],
  // NaN stays NaN, -0 stays -0.
  reference: (x) => (x < 0 ? 0 : x > 6 ? 6 : x),
  // hardtanh_backward with 0, 6: (x <= 0 || x >= 6) ? 0 : dy; a NaN x passes dy.
  derivative: (x) => (x <= 0 || x >= 6 ? 0 : 1),
  js(src, dst, n) {
    for (let i = 0; i < n; i++) {
      const v = src[i];
      dst[i] = v < 0 ? 0 : v > 6 ? 6 : v;
    }
  },
  wasm: { export: 'relu6', args: [] },
  jsBelow: CHEAP_JS_BELOW,
  backward: {
    ulp: 0, // a select (measured 0 ULP)
    js(dy, x, dx, n) {
      for (let i = 0; i < n; i++) dx[i] = x[i] <= 0 || x[i] >= 6 ? 0 : dy[i];
    },
    wasm: 'relu6Backward',
  },
});

/** The benchmark's baselines for relu6 (bench/; never bundled): its formula and gradient as naive JS loops. */
export const relu6Naive: NaiveOf<typeof relu6> = {
  forward(x, y) {
    // A clamp with conditionals (V8's Math.min/Math.max runs 1.4x slower here).
    for (let i = 0; i < x.length; i++) {
      const v = x[i];
      y[i] = v < 0 ? 0 : v > 6 ? 6 : v;
    }
  },
  backward(dy, x, dx) {
    for (let i = 0; i < x.length; i++) dx[i] = x[i] <= 0 || x[i] >= 6 ? 0 : dy[i];
  },
};

/** The JSDoc of relu6, relu6Backward and ReLU6 in the generated API files (scripts/generate-api.mjs). */
export const relu6Docs: ActivationDocs = {
  forward: {
    text: ['ReLU6, `min(max(x, 0), 6)`, element-wise and exact. NaN stays NaN, -0 stays -0.'],
    examples: ['relu6([-1, 3, 7]) // Float32Array [0, 3, 6]'],
  },
  backward: {
    text: ['Gradient of relu6: `(x <= 0 || x >= 6) ? 0 : dy`, exact.'],
    examples: ['relu6Backward([1, 1, 1], [0, 3, 6]) // Float32Array [0, 1, 0]'],
  },
  module: {
    className: 'ReLU6',
    inplace: true,
    text: ['ReLU6, `min(max(x, 0), 6)`, as a module (torch.nn.ReLU6).'],
    examples: ['new ReLU6().forward([-1, 3, 7]); // Float32Array [0, 3, 6]'],
  },
};
