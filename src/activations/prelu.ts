import { defineChannelwise, type ChannelLayout, type ActivationDocs, type NaiveOf } from '../spec.js';

/**
 * Calls `body(start, end, c)` once per run of elements [start, end) that share weight c: one run
 * for one weight; runs of `inner` elements for per-channel weights with inner > 1. With
 * inner == 1 ([N, C]) the callers loop over the elements themselves (a call per element would
 * cost more than the element).
 */
function forEachBlock(layout: ChannelLayout, body: (start: number, end: number, c: number) => void): void {
  const { outer, channels, inner } = layout;
  let i = 0;
  for (let o = 0; o < outer; o++) {
    for (let c = 0; c < channels; c++, i += inner) body(i, i + inner, c);
  }
}

/** Elements of a layout. */
function lengthOf({ outer, channels, inner }: ChannelLayout): number {
  return outer * channels * inner;
}

/**
 * PReLU: x if x > 0, else w·x, with a learned weight w per channel (dim 1 of the shape) or one
 * for all. PyTorch's CPU kernel computes `input > 0 ? input : weight * input` (not the
 * documented max(0,x) + w·min(0,x), which would turn -0 into +0): so a NaN x gives w·NaN = NaN
 * and -0 gives w·-0. The weights are float32 already, and a product of two float32 is exact in
 * float64, so the float64 reference is the exact value and the result is it correctly rounded.
 */
export const prelu = defineChannelwise({
  name: 'prelu',
  torch: 'torch.nn.functional.prelu',
  formula: 'x > 0 ? x : weight[c]·x (c: the channel, dim 1)',
  summary: 'Leaky ReLU whose slope is learned, per channel or shared.',
  params: {},
  ulp: 0.5,
  ulpNote: 'correctly rounded: a select and one float32 multiply (all 2^32 inputs at weight 0.25: 0 ULP, the product being exact)',
  plotDomain: [-4, 4],
  exampleWeight: 0.25, // torch.nn.PReLU's initial weight
  reference: (x, w) => (x > 0 ? x : w * x),
  // PyTorch: grad_input = input > 0 ? grad : weight * grad; a NaN x takes the weight branch.
  derivative: (x, w) => (x > 0 ? 1 : w),
  js(src, dst, layout, weights) {
    const n = lengthOf(layout);
    if (layout.weights === 1 || layout.inner === 1) {
      const { channels } = layout;
      const one = layout.weights === 1;
      for (let i = 0, c = 0; i < n; i++) {
        const v = src[i];
        dst[i] = v > 0 ? v : weights[c] * v;
        if (!one && ++c === channels) c = 0;
      }
      return;
    }
    forEachBlock(layout, (start, end, c) => {
      const w = weights[c];
      for (let i = start; i < end; i++) {
        const v = src[i];
        dst[i] = v > 0 ? v : w * v;
      }
    });
  },
  wasm: { one: 'prelu', blocks: 'preluBlocks', periodic: 'preluPeriodic' },
  backward: {
    ulp: 0.5, // a select and one multiply, correctly rounded (test/prelu.test.ts: bit-exact against the rounded float64 value)
    // PyTorch: grad_weight = input > 0 ? 0 : input * grad, a select: an x > 0 gives 0 even
    // where dy is NaN or infinite; x = -Infinity with dy = 0 gives NaN.
    weightTerm: (dy, x) => (x > 0 ? 0 : x * dy),
    weightNote: 'exact float64 products summed in float64, rounded once to float32: within 1 ULP of the exact sum '
      + 'when the terms share a sign; in general within ½ ULP plus n·2^-53·Σ|x·dy| for n elements per weight',
    js(dy, x, dx, sums, layout, weights) {
      const n = lengthOf(layout);
      if (layout.weights === 1 || layout.inner === 1) {
        // One weight, or [N, C]: element by element; a sum per weight in element order.
        const { channels } = layout;
        const one = layout.weights === 1;
        for (let i = 0, c = 0; i < n; i++) {
          const g = dy[i];
          const v = x[i];
          // Both read before dx is written: dx may be dy or x.
          if (v > 0) {
            dx[i] = g;
          } else {
            dx[i] = weights[c] * g;
            sums[c] += v * g; // exact in float64
          }
          if (!one && ++c === channels) c = 0;
        }
        return;
      }
      forEachBlock(layout, (start, end, c) => {
        const w = weights[c];
        let s = 0;
        for (let i = start; i < end; i++) {
          const g = dy[i];
          const v = x[i];
          // Both read before dx is written: dx may be dy or x.
          if (v > 0) {
            dx[i] = g;
          } else {
            dx[i] = w * g;
            s += v * g; // exact in float64
          }
        }
        sums[c] += s;
      });
    },
    wasm: { one: 'preluBackward', blocks: 'preluBackwardBlocks', periodic: 'preluBackwardPeriodic' },
  },
});

/** The benchmark's baselines for prelu (bench/; never bundled): its formula and gradient as naive JS loops. */
export const preluNaive: NaiveOf<typeof prelu> = {
  forward(x, y, { channels, inner, weights: count }, weights) {
    for (let i = 0; i < x.length; i++) {
      const w = weights[count === 1 ? 0 : Math.floor(i / inner) % channels];
      y[i] = x[i] > 0 ? x[i] : w * x[i];
    }
  },
  backward(dy, x, dx, sums, { channels, inner, weights: count }, weights) {
    for (let i = 0; i < x.length; i++) {
      const c = count === 1 ? 0 : Math.floor(i / inner) % channels;
      if (x[i] > 0) {
        dx[i] = dy[i];
      } else {
        sums[c] += x[i] * dy[i];
        dx[i] = weights[c] * dy[i];
      }
    }
  },
};

/** The JSDoc of prelu, preluBackward and PReLU in the generated API files (scripts/generate-api.mjs). */
export const preluDocs: ActivationDocs = {
  forward: {
    text: [
      'PReLU, `x > 0 ? x : weight[c] * x`, element-wise and correctly rounded, with learned weights:',
      '`weight` (required, as in PyTorch\'s functional form) is a number or an array of 1 weight or of',
      'one per channel, the channel being dim 1 of `shape` (default `[x.length]`: one channel). A',
      'weight count that is neither 1 nor the channel count is a RangeError. NaN stays NaN, -0 gives',
      'weight · -0, as PyTorch\'s kernel.',
    ],
    examples: [
      'prelu([-2, 0, 3], { weight: 0.25 }) // Float32Array [-0.5, 0, 3]',
      'prelu([-1, -1, 2, -4], { weight: [0.1, 0.5], shape: [2, 2] }) // Float32Array [-0.1, -0.5, 2, -2]',
    ],
  },
  backward: {
    text: [
      'Gradients of prelu from its input x: returns `{ dx, dweight }` with',
      '`dx = x > 0 ? dy : weight[c] * dy` (correctly rounded) and, per weight, `dweight = Σ (x > 0 ? 0 :',
      'x * dy)` over its elements, as PyTorch\'s prelu backward. Pass the forward\'s `weight` and `shape`;',
      '`out` receives dx (may be dy or x) and `weightOut` dweight. The sums are exact float64 products',
      'added in float64 and rounded once: within 1 ULP of the exact sum when the terms share a sign, in',
      'general within ½ ULP plus n·2^-53·Σ|x·dy| (n: the weight\'s element count).',
    ],
    examples: [
      'preluBackward([1, 1, 1], [-2, 0.5, -1], { weight: 0.25 }) // { dx: Float32Array [0.25, 1, 0.25], dweight: Float32Array [-3] }',
    ],
  },
  module: {
    className: 'PReLU',
    handWritten: { file: 'prelu', types: ['PReLUOptions', 'PReLUForwardOptions'] },
    text: [
      'PReLU, `x > 0 ? x : weight[c]·x`, as a module with its learnable weight (torch.nn.PReLU;',
      'num_parameters, init → numParameters, init); backward() adds into weightGrad (see zeroGrad()).',
    ],
    examples: [
      'const act = new PReLU({ numParameters: 3 }); act.forward(x, { shape: [n, 3] }); act.backward(dy); act.weightGrad;',
    ],
  },
};
