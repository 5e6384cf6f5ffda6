import { defineReduction, type ActivationDocs, type NaiveOf } from '../spec.js';
import { softmax, softmaxBackwardLoop, softmaxLoop } from './softmax.js';

/** Softmin along one dimension: softmax(−x) = e^−x_i / Σ_j e^−x_j. */
export const softmin = defineReduction<{}>({
  name: 'softmin',
  torch: 'torch.nn.functional.softmin',
  formula: 'e^(min − x_i) / Σ_j e^(min − x_j)',
  summary: 'Softmax of −x: probabilities that favour the smallest inputs (e.g. distances).',
  params: {},
  ulp: 8,
  ulpNote: 'as softmax (of −x, negation is exact)',
  plotDomain: [-4, 4],
  // softmax(−x) exactly (negation is exact): the softmax reference of the negated slice.
  reference: (slice, params) => softmax.reference(slice.map((v) => -v), params),
  js: softmaxLoop(-1),
  wasm: { rows: 'softmin', strided: 'softminStrided' },
  backward: {
    ulp: 8,
    // −y_i (dy_i − Σ_j dy_j y_j): softmax's backward of −x times the chain rule's −1.
    reference: (dySlice, ySlice, params) => softmax.backward.reference(dySlice, ySlice, params).map((v) => -v),
    js: softmaxBackwardLoop(-1),
    wasm: { rows: 'softminBackward', strided: 'softminBackwardStrided' },
  },
});

/** The benchmark's baselines for softmin (bench/; never bundled): its formula and gradient as naive JS loops. */
export const softminNaive: NaiveOf<typeof softmin> = {
  forward(x, y, n) {
    // exp(−x − max(−x)) / sum, row by row, each exp computed once (as softmax's).
    for (let r = 0; r < x.length; r += n) {
      let max = -Infinity;
      for (let i = r; i < r + n; i++) max = Math.max(max, -x[i]);
      let sum = 0;
      for (let i = r; i < r + n; i++) sum += y[i] = Math.exp(-x[i] - max);
      for (let i = r; i < r + n; i++) y[i] /= sum;
    }
  },
  backward(dy, y, dx, n) {
    // The textbook −y_i (dy_i − Σ_j dy_j y_j), row by row.
    for (let r = 0; r < y.length; r += n) {
      let sum = 0;
      for (let i = r; i < r + n; i++) sum += dy[i] * y[i];
      for (let i = r; i < r + n; i++) dx[i] = -y[i] * (dy[i] - sum);
    }
  },
};

/** The JSDoc of softmin, softminBackward and Softmin in the generated API files (scripts/generate-api.mjs). */
export const softminDocs: ActivationDocs = {
  forward: {
    text: ['Softmin along `dim` of `shape`, softmax(−x): within 8 ULP; +Infinity entries give 0.'],
    examples: ['softmin([1, 2, 3]) // Float32Array [0.66524094, 0.24472848, 0.09003057]'],
  },
  backward: {
    text: [
      'Gradient of softmin from its OUTPUT y: `−y_i (dy_i − Σ_j dy_j y_j)` along `dim` of `shape`,',
      'within 8 ULP.',
    ],
    examples: [
      'softminBackward(dy, y, { shape: [32, 10], dim: 1 }) // y = softmin(x, { shape: [32, 10], dim: 1 })',
    ],
  },
  module: {
    className: 'Softmin',
    text: [
      'Softmin, softmax(−x), along `dim` (default -1) as a module (torch.nn.Softmin); backward from the saved y.',
    ],
    examples: [
      'new Softmin().forward([1, 2, 3]); // Float32Array [0.66524094, 0.24472848, 0.09003057]',
    ],
  },
};
