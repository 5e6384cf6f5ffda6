import { CHEAP_JS_BELOW, defineElementwise, type ActivationDocs, type NaiveOf } from '../spec.js';

/** ReLU: max(0, x). */
export const relu = defineElementwise<{}>({
  name: 'relu',
  torch: 'torch.nn.functional.relu',
  formula: 'max(0, x)',
  summary: 'Rectified linear unit: hidden layers of deep networks.',
  params: {},
  ulp: 0,
  ulpNote: 'exact (no rounding)',
  plotDomain: [-4, 4],
  // -0 stays -0 and NaN stays NaN: `x < 0` is false for both.
  reference: (x) => (x < 0 ? 0 : x),
  // PyTorch's threshold_backward: x <= 0 ? 0 : dy, so a NaN x passes dy through.
  derivative: (x) => (x <= 0 ? 0 : 1),
  js(src, dst, n) {
    for (let i = 0; i < n; i++) {
      const v = src[i];
      dst[i] = v < 0 ? 0 : v;
    }
  },
  wasm: { export: 'relu', args: [] },
  jsBelow: CHEAP_JS_BELOW,
  backward: {
    ulp: 0,
    js(dy, x, dx, n) {
      for (let i = 0; i < n; i++) dx[i] = x[i] <= 0 ? 0 : dy[i];
    },
    wasm: 'reluBackward',
  },
});

/** The benchmark's baselines for relu (bench/; never bundled): its formula and gradient as naive JS loops. */
export const reluNaive: NaiveOf<typeof relu> = {
  forward(x, y) {
    for (let i = 0; i < x.length; i++) y[i] = Math.max(0, x[i]);
  },
  backward(dy, x, dx) {
    for (let i = 0; i < x.length; i++) dx[i] = x[i] > 0 ? dy[i] : 0;
  },
};

/** The JSDoc of relu, reluBackward and ReLU in the generated API files (scripts/generate-api.mjs). */
export const reluDocs: ActivationDocs = {
  forward: {
    text: ['ReLU, `max(0, x)`, element-wise and exact. NaN stays NaN, -0 stays -0.'],
    examples: ['relu([-1, 0, 1]) // Float32Array [0, 0, 1]'],
  },
  backward: {
    text: [
      'Gradient of relu: `x <= 0 ? 0 : dy` (PyTorch\'s threshold_backward: a NaN x passes dy), exact.',
    ],
    examples: ['reluBackward([1, 1, 1], [-1, 0, 2]) // Float32Array [0, 0, 1]'],
  },
  module: {
    className: 'ReLU',
    inplace: true,
    text: ['ReLU, `max(0, x)`, as a module (torch.nn.ReLU); backward from the saved x.'],
    examples: ['const act = new ReLU(); const y = act.forward(x); const dx = act.backward(dy);'],
  },
};
