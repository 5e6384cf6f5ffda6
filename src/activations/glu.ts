import { defineGated, type ActivationDocs, type NaiveOf } from '../spec.js';

/** The logistic sigmoid in float64, accurate for both signs (e^b / (1 + e^b) for b < 0). */
function sigmoid64(b: number): number {
  if (b >= 0) return 1 / (1 + Math.exp(-b));
  const e = Math.exp(b);
  return e / (1 + e);
}

/** sigmoid'(b) = e / (1 + e)^2 with e = e^-|b|: no cancellation at any b; 0 at ±Infinity. */
function slope64(b: number): number {
  const e = Math.exp(-Math.abs(b));
  return e / ((1 + e) * (1 + e));
}

/**
 * GLU, the gated linear unit: x split in halves a and b along `dim`, y = a · sigmoid(b), half x's
 * size along dim. PyTorch computes a · sigmoid(b) with sigmoid(b) in float32, so b = +Infinity
 * gives a, b = -Infinity gives a · 0 (±0, NaN for an infinite a), and NaN in either half gives
 * NaN.
 */
export const glu = defineGated({
  name: 'glu',
  torch: 'torch.nn.functional.glu',
  formula: 'a · σ(b), a and b the halves of x along dim',
  summary: 'Gated linear unit: one half of the input gates the other (language models, GLU variants).',
  params: {},
  ulp: 4,
  ulpNote: 'sigmoid\'s exp core + compensated quotient (2 ULP) and one product; where σ(b) < 2^-126 (b < -87.3) it may flush to 0 (from b ≈ -87.7) as sigmoid\'s does, so y = a·0',
  plotDomain: [-8, 8],
  reference: (a, b) => (b >= 0 ? a / (1 + Math.exp(-b)) : (a * Math.exp(b)) / (1 + Math.exp(b))),
  derivative: {
    a: (_a, b) => sigmoid64(b),
    b: (a, b) => a * slope64(b),
  },
  js(src, dst, { outer, m }) {
    // float64 arithmetic rounded once on the store: <= 0.5 ULP + a float64 rounding or two.
    for (let o = 0; o < outer; o++) {
      const pa = o * 2 * m;
      const pb = pa + m;
      const py = o * m;
      for (let i = 0; i < m; i++) dst[py + i] = src[pa + i] / (1 + Math.exp(-src[pb + i]));
    }
  },
  wasm: { export: 'glu' },
  backward: {
    ulp: 8,
    js(dy, x, dx, { outer, m }) {
      // float64: s = σ(b), σ'(b) = e / (1 + e)^2 with e = e^-|b| (no cancellation), one exp each.
      for (let o = 0; o < outer; o++) {
        const pa = o * 2 * m;
        const pb = pa + m;
        const py = o * m;
        for (let i = 0; i < m; i++) {
          const g = dy[py + i];
          const a = x[pa + i];
          const b = x[pb + i];
          // Both read before either is written: dx may be x.
          const e = Math.exp(-Math.abs(b));
          const d = 1 + e;
          dx[pa + i] = g * (b >= 0 ? 1 / d : e / d);
          dx[pb + i] = (g * a * e) / (d * d);
        }
      }
    },
    wasm: 'gluBackward',
  },
});

/** The benchmark's baselines for glu (bench/; never bundled): its formula and gradient as naive JS loops. */
export const gluNaive: NaiveOf<typeof glu> = {
  forward(x, y, { outer, m }) {
    for (let o = 0; o < outer; o++) {
      for (let i = 0; i < m; i++) y[o * m + i] = x[o * 2 * m + i] * (1 / (1 + Math.exp(-x[o * 2 * m + m + i])));
    }
  },
  backward(dy, x, dx, { outer, m }) {
    // The textbook s (1 - s) from the forward formula.
    for (let o = 0; o < outer; o++) {
      for (let i = 0; i < m; i++) {
        const a = x[o * 2 * m + i];
        const s = 1 / (1 + Math.exp(-x[o * 2 * m + m + i]));
        dx[o * 2 * m + i] = dy[o * m + i] * s;
        dx[o * 2 * m + m + i] = dy[o * m + i] * a * s * (1 - s);
      }
    }
  },
};

/** The JSDoc of glu, gluBackward and GLU in the generated API files (scripts/generate-api.mjs). */
export const gluDocs: ActivationDocs = {
  forward: {
    text: [
      'GLU, `a * sigmoid(b)` where a and b are the first and second halves of x along `dim` of `shape`',
      '(defaults: `dim` -1, `shape` `[x.length]`), within 4 ULP. The size along dim must be even (a',
      'RangeError naming dim and the size otherwise); the result is half x\'s length (x\'s shape with dim',
      'halved), so `out` must have x.length / 2 floats and must not overlap x. b = +Infinity gives a,',
      'b = -Infinity gives a * 0; NaN stays NaN.',
    ],
    examples: [
      'glu([1, 2, 0, 100]) // Float32Array [0.5, 2]',
      'glu([1, 2, 0, 0], { shape: [2, 2], dim: 0 }) // Float32Array [0.5, 1]',
    ],
  },
  backward: {
    text: [
      'Gradient of glu from its input x: dy has x.length / 2 floats, dx has x.length, its a half',
      '`dy * sigmoid(b)` and its b half `dy * a * sigmoid(b) * (1 - sigmoid(b))` (without cancellation),',
      'each within 8 ULP. Pass the forward\'s `shape` and `dim`; `out` may be x itself (in place).',
    ],
    examples: ['gluBackward([1], [2, 0]) // Float32Array [0.5, 0.5]'],
  },
  module: {
    className: 'GLU',
    handWritten: { file: 'glu', types: ['GLUOptions', 'GLUForwardOptions'] },
    text: [
      'GLU, `a * sigmoid(b)` over the halves of x along `dim`, as a module (torch.nn.GLU(dim=-1));',
      'forward(x, { shape }) keeps a copy of x, backward(dy) returns dx of x\'s length.',
    ],
    examples: ['new GLU({ dim: 0 }).forward([1, 0], { shape: [2] }); // Float32Array [0.5]'],
  },
};
