import { defineElementwise, type ActivationDocs, type NaiveOf } from '../spec.js';

/** Logsigmoid: log(1 / (1 + e^-x)) = min(x, 0) - log1p(e^-|x|). */
export const logsigmoid = defineElementwise<{}>({
  name: 'logsigmoid',
  torch: 'torch.nn.functional.logsigmoid',
  formula: 'log(1 / (1 + e^−x))',
  summary: 'The log of sigmoid, stable for any x: binary cross-entropy from logits.',
  params: {},
  ulp: 4,
  ulpNote: 'exp core + log1p kernel, no cancellation (measured 1.7 ULP)',
  plotDomain: [-6, 4],
  // PyTorch's stable form in float64: for x < 0 the two terms have the same sign, for x >= 0 the
  // result is -log1p(e^-x) alone; Math.exp and Math.log1p are within an ULP or two of float64
  // (relative ~1e-16, far below 0.01 ULP of float32). logsigmoid(+Infinity) = 0 - 0 = +0.
  reference: (x) => Math.min(x, 0) - Math.log1p(Math.exp(-Math.abs(x))),
  // PyTorch's log_sigmoid_backward: 1 - sigmoid(x) = sigmoid(-x) = 1 / (1 + e^x): no cancellation,
  // 1 at -Infinity, 0 at +Infinity.
  derivative: (x) => 1 / (1 + Math.exp(x)),
  js(src, dst, n) {
    for (let i = 0; i < n; i++) {
      const v = src[i];
      dst[i] = v < 0 ? v - Math.log1p(Math.exp(v)) : 0 - Math.log1p(Math.exp(-v));
    }
  },
  wasm: { export: 'logsigmoid', args: [] },
  backward: {
    ulp: 8, // float32 exp of |x| / 2 and quotient, as softplus's at -x (measured 4.41 ULP)
    js(dy, x, dx, n) {
      // sigmoid(-x) as 1 / (1 + e^x): e^x may overflow to Infinity, whose quotient is the right
      // limit, 0. No branch on the sign of x (a random one mispredicted).
      for (let i = 0; i < n; i++) {
        dx[i] = dy[i] / (1 + Math.exp(x[i]));
      }
    },
    wasm: 'logsigmoidBackward',
  },
});

/** The benchmark's baselines for logsigmoid (bench/; never bundled): its formula and gradient as naive JS loops. */
export const logsigmoidNaive: NaiveOf<typeof logsigmoid> = {
  forward(x, y) {
    for (let i = 0; i < x.length; i++) y[i] = Math.log(1 / (1 + Math.exp(-x[i])));
  },
  backward(dy, x, dx) {
    // The textbook 1 − sigmoid(x).
    for (let i = 0; i < x.length; i++) dx[i] = dy[i] * (1 - 1 / (1 + Math.exp(-x[i])));
  },
};

/** The JSDoc of logsigmoid, logsigmoidBackward and LogSigmoid in the generated API files (scripts/generate-api.mjs). */
export const logsigmoidDocs: ActivationDocs = {
  forward: {
    text: [
      'Logsigmoid, `log(1 / (1 + e^-x))` = `min(x, 0) - log1p(e^-|x|)`, element-wise, within 4 ULP;',
      'stable for any x: logsigmoid(-Infinity) = -Infinity, logsigmoid(+Infinity) = 0.',
    ],
    examples: ['logsigmoid([-1, 0, 1]) // Float32Array [-1.3132616, -0.6931472, -0.3132617]'],
  },
  backward: {
    text: [
      'Gradient of logsigmoid: `dy * (1 - sigmoid(x))` = `dy * sigmoid(-x)`, within 8 ULP; dy at',
      'x = -Infinity, 0 at +Infinity.',
    ],
    examples: ['logsigmoidBackward([1, 1], [0, -30]) // Float32Array [0.5, 1]'],
  },
  module: {
    className: 'LogSigmoid',
    text: ['Log-sigmoid, `log(sigmoid(x))`, as a module (torch.nn.LogSigmoid).'],
    examples: ['new LogSigmoid().forward([0]); // Float32Array [-0.6931472]'],
  },
};
