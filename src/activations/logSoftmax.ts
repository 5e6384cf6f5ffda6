import { defineReduction, type ActivationDocs, type NaiveOf } from '../spec.js';
import { compensatedSum } from './softmax.js';

/**
 * The log of the slice's Σ_j e^(x_j − max) and its max, in float64, as the wasm kernels: the
 * maxima's terms (exactly 1 each) are counted apart from the rest of the sum, and one maximum
 * gives log1p(rest): when it dominates (rest ~ 1e-13) a sum that holds the 1 would have lost
 * rest's low bits, which are all of log(sum). PyTorch's special slices: NaN or +Infinity anywhere,
 * or all −Infinity, give NaN.
 */
function logSumOf(slice: ArrayLike<number>, start: number, end: number, step: number): { max: number; logSum: number } {
  let max = -Infinity;
  for (let i = start; i < end; i += step) {
    const v = slice[i];
    if (Number.isNaN(v) || v === Infinity) return { max: NaN, logSum: NaN };
    if (v > max) max = v;
  }
  if (max === -Infinity) return { max: NaN, logSum: NaN };
  let count = 0;
  let rest = 0;
  for (let i = start; i < end; i += step) {
    if (slice[i] === max) count++;
    else rest += Math.exp(slice[i] - max);
  }
  return { max, logSum: count === 1 ? Math.log1p(rest) : Math.log(count + rest) };
}

/** Log-softmax along one dimension: x_i − log Σ_j e^x_j. */
export const logSoftmax = defineReduction<{}>({
  name: 'logSoftmax',
  torch: 'torch.nn.functional.log_softmax',
  formula: '(x_i − max) − log Σ_j e^(x_j − max)',
  summary: 'Log-probabilities from logits, stable for any range: the input of NLL loss.',
  params: {},
  ulp: 2,
  ulpNote: 'per element: exact x − max, float64 sum and log',
  plotDomain: [-4, 4],
  // (x_i − max) − log(sum): x_i − max is exact in float64 for float32 inputs of similar size
  // (else within 2^-53 relative), the terms e^(x_j − max) <= 1 are summed without the maxima
  // (see logSumOf), and |y_i| >= log(sum), so neither subtraction loses more than 2^-53 relative.
  reference(slice) {
    const { max, logSum } = logSumOf(slice, 0, slice.length, 1);
    return Array.from(slice, (v) => (v - max) - logSum);
  },
  js(src, dst, outer, n, inner) {
    for (let o = 0; o < outer; o++) {
      for (let c = 0; c < inner; c++) {
        const base = o * n * inner + c;
        const end = base + n * inner;
        const { max, logSum } = logSumOf(src, base, end, inner);
        for (let i = base; i < end; i += inner) dst[i] = (src[i] - max) - logSum;
      }
    }
  },
  wasm: { rows: 'logSoftmax', strided: 'logSoftmaxStrided' },
  backward: {
    ulp: 8,
    // dy_i − e^(y_i) Σ_j dy_j with the sum as a Neumaier pair (sum, c), in float64 (logGrad64):
    // (dy_i − e sum) − e c, or for y ≥ −ln 2 ((dy_i − sum) − c) − expm1(y) (sum + c), where the
    // first form cancels as y → 0 with dy ~ Σ (a confident prediction's NLL gradient: dx =
    // −expm1(y) Σ, which e^y rounded near 1 loses entirely from y ~ −1e-16; the kernels' float64
    // fallback takes the same two forms). Math.exp and Math.expm1 are within 1 ULP of float64;
    // the evaluation keeps 2^-52 of its terms, far below a float32 ULP of dx unless they cancel
    // to ~29 bits, and the kernels' float64 exp (~2^-47) to ~20: the bound is tested for
    // cancellation up to 2^-20. Built inputs that agree to 43 bits gave 12 ULP against this
    // reference, which is itself not exact there. PyTorch's limits: y = −∞ gives dy (e^y = 0)
    // unless Σ is infinite (0 · ∞ = NaN); NaN anywhere in dy gives a NaN slice.
    reference(dySlice, ySlice) {
      const [sum, c] = compensatedSum(dySlice.length, (j) => dySlice[j]);
      return ySlice.map((y, j) => logGrad64(dySlice[j], y, sum, c));
    },
    js(dy, y, dx, outer, n, inner) {
      for (let o = 0; o < outer; o++) {
        for (let c = 0; c < inner; c++) {
          const base = o * n * inner + c;
          const end = base + n * inner;
          const [hi, lo] = compensatedSum(n, (k) => dy[base + k * inner]);
          for (let i = base; i < end; i += inner) dx[i] = logGrad64(dy[i], y[i], hi, lo);
        }
      }
    },
    wasm: { rows: 'logSoftmaxBackward', strided: 'logSoftmaxBackwardStrided' },
  },
});

/** The benchmark's baselines for logSoftmax (bench/; never bundled): its formula and gradient as naive JS loops. */
export const logSoftmaxNaive: NaiveOf<typeof logSoftmax> = {
  forward(x, y, n) {
    // x − max − log(Σ exp(x − max)), row by row.
    for (let r = 0; r < x.length; r += n) {
      let max = -Infinity;
      for (let i = r; i < r + n; i++) max = Math.max(max, x[i]);
      let sum = 0;
      for (let i = r; i < r + n; i++) sum += Math.exp(x[i] - max);
      const logSum = Math.log(sum);
      for (let i = r; i < r + n; i++) y[i] = x[i] - max - logSum;
    }
  },
  backward(dy, y, dx, n) {
    // The textbook dy_i − e^(y_i) Σ_j dy_j, row by row.
    for (let r = 0; r < y.length; r += n) {
      let sum = 0;
      for (let i = r; i < r + n; i++) sum += dy[i];
      for (let i = r; i < r + n; i++) dx[i] = dy[i] - Math.exp(y[i]) * sum;
    }
  },
};

/**
 * dy − e^y (sum + c) in float64: for y ≥ −ln 2 and a finite sum as (dy − sum − c) − expm1(y)
 * (sum + c), which does not cancel as y → 0 where dy ~ sum; else with e^y itself (see the
 * backward's comment above).
 */
function logGrad64(dy: number, y: number, sum: number, c: number): number {
  if (y >= -Math.LN2 && Number.isFinite(sum)) {
    const m = Math.expm1(y);
    return (((dy - sum) - c) - m * sum) - m * c;
  }
  const e = Math.exp(y);
  return (dy - e * sum) - e * c;
}

/** The JSDoc of logSoftmax, logSoftmaxBackward and LogSoftmax in the generated API files (scripts/generate-api.mjs). */
export const logSoftmaxDocs: ActivationDocs = {
  forward: {
    text: [
      'Log-softmax along `dim` of `shape` (default: the whole array as one row), `(x_i − max) − log Σ e^(x_j − max)`,',
      'within 2 ULP: stable for logits of any size; −Infinity entries give −Infinity, a slice holding',
      'NaN or +Infinity (or all −Infinity) is NaN, as PyTorch.',
    ],
    examples: [
      'logSoftmax([1, 2, 3]) // Float32Array [-2.407606, -1.407606, -0.40760598]',
      'logSoftmax(logits, { shape: [32, 10], dim: 1 }) // each row\'s exp sums to 1',
    ],
  },
  backward: {
    text: [
      'Gradient of logSoftmax from its OUTPUT y: `dy_i − e^(y_i) Σ_j dy_j` along `dim` of `shape` (as',
      'the forward call), within 8 ULP (compensated float64 sum, float64 exp; as (dy_i − Σ) − expm1(y_i) Σ',
      'near y = 0, where a confident prediction\'s NLL gradient would cancel).',
    ],
    examples: [
      'logSoftmaxBackward(dy, y, { shape: [32, 10], dim: 1 }) // y = logSoftmax(logits, { shape: [32, 10], dim: 1 })',
    ],
  },
  module: {
    className: 'LogSoftmax',
    text: [
      'Log-softmax along `dim` (default -1) as a module (torch.nn.LogSoftmax); each forward() gives its `shape`; backward from the saved y.',
    ],
    examples: [
      'const ls = new LogSoftmax({ dim: 1 }); const logp = ls.forward(logits, { shape: [32, 10] }); const dLogits = ls.backward(dLogp);',
    ],
  },
};
