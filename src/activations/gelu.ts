import { erfc } from '../reference/erf.js';
import { choiceParam, defineElementwise } from '../spec.js';

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
      dst[i] = v === Infinity ? v : v === -Infinity ? -0 : v * phi(v);
    }
  },
  naive(x, y, { approximate }) {
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
  wasm: { export: 'gelu', args: ['approximate'] },
  backward: {
    ulp: 8,
    js(dy, x, dx, n, params) {
      // The float64 derivative (its zero handled), rounded once.
      for (let i = 0; i < n; i++) dx[i] = dy[i] * gelu.derivative(x[i], params);
    },
    wasm: 'geluBackward',
  },
});

