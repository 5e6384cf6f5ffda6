import { defineReduction, type ReductionBackward, type ReductionDefinition, type ActivationDocs, type NaiveOf } from '../spec.js';

/**
 * The js loop of softmax(sign * x) over an [outer, n, inner] view: sign 1 for softmax, -1 for
 * softmin (negation is exact, so softmin is softmax of the negated input to the last bit).
 */
export function softmaxLoop(sign: 1 | -1): ReductionDefinition<{}>['js'] {
  return (src, dst, outer, n, inner) => {
    for (let o = 0; o < outer; o++) {
      for (let c = 0; c < inner; c++) {
        const base = o * n * inner + c;
        const end = base + n * inner;
        let max = -Infinity;
        for (let i = base; i < end; i += inner) {
          const v = sign * src[i];
          max = max < v ? v : max; // skips NaN: the sum below catches it
        }
        let sum = 0;
        for (let i = base; i < end; i += inner) {
          const e = Math.exp(sign * src[i] - max);
          dst[i] = e;
          sum += e;
        }
        // dst holds e rounded to float32 (<= 0.5 ULP); one more rounding for the product.
        const inv = 1 / sum;
        for (let i = base; i < end; i += inner) dst[i] *= inv;
      }
    }
  };
}

/**
 * The js loop of softmax's backward pass, sign * y_i (dy_i − Σ_j dy_j y_j): sign 1 for softmax,
 * -1 for softmin (the chain rule's −1 of softmax(−x)).
 */
export function softmaxBackwardLoop(sign: 1 | -1): ReductionBackward<{}>['js'] {
  return (dy, y, dx, outer, n, inner) => {
    for (let o = 0; o < outer; o++) {
      for (let c = 0; c < inner; c++) {
        const base = o * n * inner + c;
        const end = base + n * inner;
        // TwoSum-compensated float64 sum, as the wasm kernels (see assembly/softmax_backward.ts).
        let hi = 0;
        let lo = 0;
        for (let i = base; i < end; i += inner) {
          const p = dy[i] * y[i];
          const t = hi + p;
          const bb = t - hi;
          lo += (hi - (t - bb)) + (p - bb);
          hi = t;
        }
        if (!Number.isFinite(hi)) lo = 0;
        for (let i = base; i < end; i += inner) dx[i] = sign * (y[i] * ((dy[i] - hi) - lo));
      }
    }
  };
}

/** Neumaier's compensated sum of terms(j) for j < n as an unevaluated pair [sum, c]; c = 0 when sum is not finite. */
export function compensatedSum(n: number, terms: (j: number) => number): [number, number] {
  let sum = 0;
  let c = 0;
  for (let j = 0; j < n; j++) {
    const p = terms(j);
    const t = sum + p;
    c += Math.abs(sum) >= Math.abs(p) ? (sum - t) + p : (p - t) + sum;
    sum = t;
  }
  return [sum, Number.isFinite(sum) ? c : 0];
}

/** Softmax along one dimension: e^x_i / sum_j e^x_j. */
export const softmax = defineReduction<{}>({
  name: 'softmax',
  torch: 'torch.nn.functional.softmax',
  formula: 'e^(x_i − max) / Σ_j e^(x_j − max)',
  summary: 'Turns logits into probabilities that sum to 1: multi-class outputs.',
  params: {},
  ulp: 8,
  ulpNote: 'per element, rows up to 1024: no rounded x − max (a power-of-two shift, or x − max exactly), float64 sum',
  plotDomain: [-4, 4],
  // Log-sum-exp form, a different computation from the js backend's quotient:
  // e^((x_i - max) - log Σ e^(x_j - max)). The difference x_i - max is taken first (exact in
  // float64 for float32 inputs of similar size, and never absorbing log Σ, which is in [0, log n]).
  reference(slice) {
    let max = -Infinity;
    for (const v of slice) max = Math.max(max, v); // Math.max: NaN in gives NaN
    let sum = 0;
    for (const v of slice) sum += Math.exp(v - max);
    const logSum = Math.log(sum);
    return slice.map((v) => Math.exp(v - max - logSum));
  },
  js: softmaxLoop(1),
  wasm: { rows: 'softmax', strided: 'softmaxStrided' },
  backward: {
    ulp: 8,
    // y_i (dy_i − Σ_j dy_j y_j) with the sum as an unevaluated pair sum + c (Neumaier), and
    // dy_i − Σ as (dy_i − sum) − c: exact to float64's relative precision even where dy_i − Σ
    // cancels (a plain float64 Σ would be off by 2^-53 |Σ| there). NaN anywhere in the slice
    // gives a NaN slice; an infinite Σ gives y_i (dy_i − Σ) as the plain formula.
    reference(dySlice, ySlice) {
      // products of two float32 values: exact in float64
      const [sum, c] = compensatedSum(dySlice.length, (j) => dySlice[j] * ySlice[j]);
      return ySlice.map((y, j) => y * ((dySlice[j] - sum) - c));
    },
    js: softmaxBackwardLoop(1),
    wasm: { rows: 'softmaxBackward', strided: 'softmaxBackwardStrided' },
  },
});

/** The benchmark's baselines for softmax (bench/; never bundled): its formula and gradient as naive JS loops. */
export const softmaxNaive: NaiveOf<typeof softmax> = {
  forward(x, y, n) {
    // The tutorial's exp_x = exp(x - max(x)); exp_x / exp_x.sum(), row by row: each exp
    // computed once and kept in y (computing it again in the last loop took 1.7x as long).
    for (let r = 0; r < x.length; r += n) {
      let max = -Infinity;
      for (let i = r; i < r + n; i++) max = Math.max(max, x[i]);
      let sum = 0;
      for (let i = r; i < r + n; i++) sum += y[i] = Math.exp(x[i] - max);
      for (let i = r; i < r + n; i++) y[i] /= sum;
    }
  },
  backward(dy, y, dx, n) {
    // The textbook y_i (dy_i − Σ_j dy_j y_j), row by row.
    for (let r = 0; r < y.length; r += n) {
      let sum = 0;
      for (let i = r; i < r + n; i++) sum += dy[i] * y[i];
      for (let i = r; i < r + n; i++) dx[i] = y[i] * (dy[i] - sum);
    }
  },
};

/** The JSDoc of softmax, softmaxBackward and Softmax in the generated API files (scripts/generate-api.mjs). */
export const softmaxDocs: ActivationDocs = {
  forward: {
    text: [
      'Softmax along `dim` (default -1) of an array of `shape` (default `[x.length]`), within 8 ULP per',
      'element. Stable for any logits; -Infinity entries give 0; a slice that is all -Infinity or holds',
      '+Infinity or NaN gives NaN (as PyTorch).',
    ],
    examples: [
      'softmax([1, 2, 3]) // Float32Array [0.09003057, 0.24472848, 0.66524094]',
      'softmax(logits, { shape: [32, 10], dim: 1 }) // each of 32 rows sums to 1',
    ],
  },
  backward: {
    text: [
      'Gradient of softmax from its OUTPUT y: `y_i * (dy_i - Σ_j dy_j y_j)` along `dim` of `shape` (as',
      'the forward call), within 8 ULP (float64 sum and difference); NaN in a slice gives a NaN slice.',
    ],
    examples: [
      'softmaxBackward(dy, y, { shape: [32, 10], dim: 1 }) // y = softmax(logits, { shape: [32, 10], dim: 1 })',
    ],
  },
  module: {
    className: 'Softmax',
    text: [
      'Softmax along `dim` (default -1) as a module (torch.nn.Softmax); each forward() gives its `shape`; backward from the saved y.',
    ],
    examples: [
      'const sm = new Softmax({ dim: 1 }); const p = sm.forward(logits, { shape: [32, 10] }); const dLogits = sm.backward(dp);',
    ],
  },
};
