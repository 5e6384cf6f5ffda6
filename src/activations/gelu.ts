import { erfc } from '../reference/erf.js';
import { choiceParam, defineElementwise, type ActivationDocs, type NaiveOf } from '../spec.js';

type Approximate = 'none' | 'tanh';

const SQRT1_2 = Math.SQRT1_2;
const INV_SQRT_2PI = 0.3989422804014327;
/** PyTorch's constants of the tanh form: kBeta = √2 · (2/√π) · 0.5 = √(2/π), kKappa = 0.044715. */
const K_BETA = Math.SQRT2 * (2 / Math.sqrt(Math.PI)) * 0.5;
const K_KAPPA = 0.044715;

/**
 * Taylor expansions of the two derivatives about their zeros (x0 = hi + lo in float64; the
 * coefficients f^(k)(x0)/k!, k = 1..10, from mpmath at 50 digits). Near a zero, Φ(x) + x φ(x)
 * cancels (both terms are 0.23 there): the expansion in d = x - x0 keeps relative accuracy.
 */
const ZERO = {
  none: {
    hi: -0.7517915246935645, lo: 1.4956759177009883e-17,
    c: [0.4314939923140469, 0.388284982990552, -0.018199676398671087, -0.1140082332972217, -0.014771522148244337,
      0.019421679838189067, 0.004539228379125415, -0.002239538068073497, -0.0007448268386746817, 0.00018633974623233514],
  },
  tanh: {
    hi: -0.7524614220710163, lo: 3.635560509207687e-17,
    c: [0.4304000910248585, 0.38751844613578895, -0.01578285352184803, -0.11394448308095899, -0.01661932834305256,
      0.019682309459833118, 0.005261059254921912, -0.0024227318458750974, -0.0009274420230205449, 0.00026392764052681053],
  },
} as const;

/** The Taylor expansion about the zero of `approximate`'s derivative, for |x - x0| < 0.05 (d^11 < 5e-15). */
function nearZero(x: number, approximate: Approximate): number {
  const { hi, lo, c } = ZERO[approximate];
  const d = (x - hi) - lo;
  let s = 0;
  for (let k = c.length - 1; k >= 0; k--) s = s * d + c[k];
  return s * d;
}

// The js backend evaluates the float32 kernel's fits (assembly/ops/gelu.ts, scripts/fit-gelu.py)
// in float64 instead of erfc, which costs a continued fraction: the fits' own errors (1.5e-8 and
// less, relative) are a quarter ULP of float32 at most, and float64 rounds nothing that matters.
const K32 = 2.5066282749176025; // float32(√(2π)), as in the fit
const PC = [2, 0.9070083498954773, 0.226466104388237, 0.023569835349917412, 2.822958094839123e-6];
const QC = [1, 0.9089331030845642, 0.39057618379592896, 0.08942930400371552, 0.009452150203287601];
const RS = [0.3989422917366028, -0.06648994237184525, 0.009964837692677975, -0.001131132710725069];
/** d H(d) about each derivative's zero: the kernel's fits on [-1.3, -0.25]. */
const NEAR = {
  none: {
    hi: -0.7517915368080139, lo: 1.211444988769017e-8,
    c: [0.43149399757385254, 0.38828498125076294, -0.018199708312749863, -0.11400800198316574, -0.014770494773983955,
      0.019418248906731606, 0.004527764394879341, -0.0022204136475920677, -0.0006923655746504664, 0.00014813039160799235],
  },
  tanh: {
    hi: -0.7524614334106445, lo: 1.1339627903339533e-8,
    c: [0.4304001033306122, 0.38751843571662903, -0.015782898291945457, -0.11394412815570831, -0.01661788672208786,
      0.019676975905895233, 0.005244892090559006, -0.0023919453378766775, -0.0008529549813829362, 0.0001966326526599005],
  },
} as const;

function horner(c: readonly number[], t: number): number {
  let s = 0;
  for (let k = c.length - 1; k >= 0; k--) s = s * t + c[k];
  return s;
}

/** The derivative on [-1.3, -0.25], for the js backend. */
function nearJs(x: number, approximate: Approximate): number {
  const { hi, lo, c } = NEAR[approximate];
  const d = (x - hi) - lo;
  return d * horner(c, d);
}

/** Φ(-u) e^(u²/2) for 0 <= u, by the fit (js backend). */
function tailJs(u: number): number {
  const q = horner(QC, u);
  return q / (K32 * (u * q) + horner(PC, u));
}

/** Φ(x) for x >= 0 and the lower tail Φ(-|x|) otherwise, from erfc (no cancellation in the tail). */
function phi(x: number): number {
  return x >= 0 ? 1 - 0.5 * erfc(x * SQRT1_2) : 0.5 * erfc(-x * SQRT1_2);
}

/** 2a = 2 kBeta (x + kKappa x³), the tanh form's argument doubled (so σ(2a) = (1 + tanh a) / 2). */
function twoA(x: number): number {
  return 2 * K_BETA * x * (1 + K_KAPPA * x * x);
}

/** σ(t) in float64 without overflow or cancellation. */
function sigma(t: number): number {
  if (t >= 0) return 1 / (1 + Math.exp(-t));
  const e = Math.exp(t);
  return e / (1 + e);
}

/**
 * GELU: x Φ(x), or PyTorch's tanh approximation 0.5 x (1 + tanh(√(2/π)(x + 0.044715 x³))).
 * Limits: gelu(+Infinity) = +Infinity, gelu(-Infinity) = -0 (the limit, with the sign of the
 * formula's negative values; PyTorch's formula gives -Infinity · 0 = NaN, pytorch/pytorch#185770),
 * NaN stays NaN, gelu(-0) = -0, for both forms.
 */
export const gelu = defineElementwise<{ approximate: Approximate }>({
  name: 'gelu',
  torch: 'torch.nn.functional.gelu',
  formula: "x·Φ(x) = x/2·(1 + erf(x/√2)); 'tanh': x/2·(1 + tanh(√(2/π)(x + 0.044715x³)))",
  summary: 'Smooth ReLU weighted by the normal CDF: transformers (BERT, GPT).',
  params: { approximate: choiceParam(['none', 'tanh'], 'none') },
  ulp: 4,
  ulpNote: "'none': e^(−x²/2) with x² exact, times a rational fit (never 1 + erf); 'tanh': x·σ(2a), 2a in float64",
  plotDomain: [-4, 4],
  // x Φ(x) from erfc (x < 0: x erfc(-x/√2)/2 keeps relative accuracy down to the smallest
  // results); the tanh form as x σ(2a), equal to 0.5 x (1 + tanh a) and free of its cancellation.
  reference(x, { approximate }) {
    if (Number.isNaN(x)) return x;
    if (x === Infinity) return x;
    if (x === -Infinity) return -0;
    if (approximate === 'tanh') return x * sigma(twoA(x));
    return x * phi(x);
  },
  // 'none': Φ(x) + x φ(x); 'tanh': σ + x · 2a'(x) · σ (1 - σ) with 2a' = 2 kBeta (1 + 3 kKappa x²),
  // PyTorch's GeluBackward formula rewritten with σ(2a) = (1 + tanh a)/2 and 1 - tanh² = 4σ(1 - σ).
  // Near the zero at x ≈ -0.752 both cancel: the Taylor expansion about it there. 1 at +Infinity,
  // 0 at -Infinity, NaN at NaN.
  derivative(x, { approximate }) {
    if (Number.isNaN(x)) return x;
    if (x === Infinity) return 1;
    if (x === -Infinity) return 0;
    if (Math.abs(x - ZERO[approximate].hi) < 0.05) return nearZero(x, approximate);
    if (approximate === 'tanh') {
      const s = sigma(twoA(x));
      const t = sigma(-twoA(x));
      return s + x * 2 * K_BETA * (1 + 3 * K_KAPPA * x * x) * s * t;
    }
    return phi(x) + x * INV_SQRT_2PI * Math.exp(-0.5 * x * x);
  },
  js(src, dst, n, { approximate }) {
    if (approximate === 'tanh') {
      for (let i = 0; i < n; i++) {
        const v = src[i];
        dst[i] = v === -Infinity ? -0 : v * sigma(twoA(v));
      }
      return;
    }
    for (let i = 0; i < n; i++) {
      const v = src[i];
      const u = Math.abs(v);
      if (u < 0.5) {
        dst[i] = v * (0.5 + v * horner(RS, v * v));
      } else if (u > 13.5) {
        dst[i] = v < 0 ? -0 : v; // u Φ(-u) < 2^-126; keeps ±Infinity and NaN
      } else {
        const t = u * Math.exp(-0.5 * u * u) * tailJs(u); // u Φ(-u), u² exact in float64
        dst[i] = v < 0 ? -t : v - t;
      }
    }
  },
  wasm: { export: 'gelu', args: ['approximate'] },
  backward: {
    ulp: 8,
    js(dy, x, dx, n, { approximate }) {
      const tanhForm = approximate === 'tanh';
      for (let i = 0; i < n; i++) {
        const v = x[i];
        let f: number;
        if (v >= -1.3 && v <= -0.25) {
          f = nearJs(v, approximate);
        } else if (tanhForm) {
          const t = twoA(v);
          f = v === -Infinity ? 0 : sigma(t) + v * 2 * K_BETA * (1 + 3 * K_KAPPA * v * v) * sigma(t) * sigma(-t);
          if (v === Infinity) f = 1;
        } else {
          const u = Math.abs(v);
          if (u > 13.7) {
            f = v < 0 ? 0 : 1; // below 2^-126 for x < 0; NaN stays NaN through dy * f below
            if (Number.isNaN(v)) f = v;
          } else {
            const k = u * INV_SQRT_2PI - tailJs(u);
            const ek = Math.exp(-0.5 * u * u) * k;
            f = v < 0 ? -ek : 1 + ek;
          }
        }
        // Far below 0 the slope underflows from below (gelu' < 0 for x < -0.75): -0, as the
        // kernels give it (the forms above add a +0 to a -0 there, or return 0 for x < -13.7).
        if (f === 0 && v < 0) f = -0;
        dx[i] = dy[i] * f;
      }
    },
    wasm: 'geluBackward',
  },
});

/** The benchmark's baselines for gelu (bench/; never bundled): its formula and gradient as naive JS loops. */
export const geluNaive: NaiveOf<typeof gelu> = {
  // The naive 'none' loop uses the textbook erf of Abramowitz–Stegun 7.1.26 (JavaScript has none):
  // a timing baseline only, its tail is far from x Φ(x).
  ulp: Infinity,
  forward(x, y, { approximate }) {
    if (approximate === 'tanh') {
      // PyTorch's formula with Math.tanh.
      for (let i = 0; i < x.length; i++) {
        const v = x[i];
        y[i] = 0.5 * v * (1 + Math.tanh(K_BETA * (v + K_KAPPA * v * v * v)));
      }
      return;
    }
    // JavaScript has no erf: the textbook approximation of Abramowitz and Stegun 7.1.26
    // (|error| < 1.5e-7), as a naive implementation would write it.
    for (let i = 0; i < x.length; i++) {
      const v = x[i];
      const z = Math.abs(v) * SQRT1_2;
      const t = 1 / (1 + 0.3275911 * z);
      const e = 1 - t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429)))) * Math.exp(-z * z);
      y[i] = 0.5 * v * (1 + (v < 0 ? -e : e));
    }
  },
  backward(dy, x, dx, { approximate }) {
    for (let i = 0; i < x.length; i++) {
      const v = x[i];
      if (approximate === 'tanh') {
        // The derivative of PyTorch's tanh formula with Math.tanh.
        const inner = K_BETA * (v + K_KAPPA * v * v * v);
        const t = Math.tanh(inner);
        dx[i] = dy[i] * (0.5 * (1 + t) + 0.5 * v * (1 - t * t) * K_BETA * (1 + 3 * K_KAPPA * v * v));
      } else {
        // Φ(x) + x φ(x), Φ from the Abramowitz–Stegun erf as the forward's naive loop.
        const z = Math.abs(v) * SQRT1_2;
        const t = 1 / (1 + 0.3275911 * z);
        const poly = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))));
        const erf = 1 - poly * Math.exp(-z * z);
        const cdf = 0.5 * (1 + (v < 0 ? -erf : erf));
        dx[i] = dy[i] * (cdf + v * INV_SQRT_2PI * Math.exp(-0.5 * v * v));
      }
    }
  },
};

/** The JSDoc of gelu, geluBackward and GELU in the generated API files (scripts/generate-api.mjs). */
export const geluDocs: ActivationDocs = {
  forward: {
    text: [
      'GELU, `x * Φ(x)` (Φ the standard normal CDF), element-wise, within 4 ULP, also for large negative',
      'x where the result is tiny; `approximate: \'tanh\'` gives PyTorch\'s tanh approximation',
      '`0.5 * x * (1 + tanh(√(2/π) * (x + 0.044715 * x³)))`, also within 4 ULP of its exact value.',
      'gelu(+Infinity) = +Infinity, gelu(-Infinity) = -0 (the limit), NaN stays NaN.',
    ],
    examples: [
      'gelu([-1, 0, 1]) // Float32Array [-0.15865526, 0, 0.8413448]',
      'gelu([-1, 0, 1], { approximate: \'tanh\' }) // Float32Array [-0.15880801, 0, 0.841192]',
    ],
  },
  backward: {
    text: [
      'Gradient of gelu: `dy * (Φ(x) + x * φ(x))`, or of the tanh form with `approximate: \'tanh\'`',
      '(PyTorch\'s gelu_backward), within 8 ULP including near the derivative\'s zero at x ≈ -0.752;',
      'pass the forward\'s `approximate`.',
    ],
    examples: ['geluBackward([1, 1], [0, 1]) // Float32Array [0.5, 1.0833155]'],
  },
  module: {
    className: 'GELU',
    text: [
      'GELU, `x·Φ(x)` (approximate \'none\', default) or PyTorch\'s tanh form, as a module (torch.nn.GELU).',
    ],
    examples: ['new GELU({ approximate: \'tanh\' }).forward([1]); // Float32Array [0.8411920]'],
  },
};
