// float64 erf and erfc for the references of gelu (JavaScript has neither). Accuracy: a few units
// in 1e-15 relative over the whole range (tested against Python's math.erf/erfc in
// test/erf.test.ts), far below the 6e-10 (0.01 ULP of float32) a reference needs.
//   |x| < 2    erf by the series 2/√π e^(-x²) Σ 2^n x^(2n+1) / (1·3·…·(2n+1)) (Abramowitz and
//              Stegun 7.1.6): every term is positive, so no cancellation; erfc = 1 - erf below 1,
//              which loses at most log10(1/erfc(1)) = 0.8 digits.
//   x >= 1     erfc (and erf from |x| = 2) by the continued fraction e^(-x²)/√π · 1/(x + (1/2)/(x + 1/(x + (3/2)/(x + …))))
//              (A&S 7.1.14), evaluated backwards from a fixed depth; erf = 1 - erfc. e^(-x²) takes
//              x² as hi + lo (Dekker's split), so it stays accurate deep in the tail (x up to 26.5).

const TWO_OVER_SQRT_PI = 1.1283791670955126;
const ONE_OVER_SQRT_PI = 0.5641895835477563;

/** e^(-x²) with x² taken exactly as hi + lo. */
function expMinusSquare(x: number): number {
  const c = x * 134217729; // 2^27 + 1
  const xh = c - (c - x);
  const xl = x - xh;
  const hi = x * x;
  const lo = (xh * xh - hi) + 2 * xh * xl + xl * xl;
  return Math.exp(-hi) * Math.exp(-lo);
}

/** erf(x) for |x| < 2 by the positive series (x >= 0). */
function erfSeries(x: number): number {
  const x2 = 2 * x * x;
  let term = x;
  let sum = x;
  for (let n = 1; n < 200; n++) {
    term *= x2 / (2 * n + 1);
    sum += term;
    if (term < sum * 1e-17) break;
  }
  return TWO_OVER_SQRT_PI * expMinusSquare(x) * sum;
}

/** erfc(x) for x >= 1 by the continued fraction (depth enough for 1e-16: 300 terms at x = 1, 120 from 2). */
function erfcFraction(x: number): number {
  let f = x;
  for (let k = x < 2 ? 300 : 120; k >= 1; k--) f = x + (k / 2) / f;
  return (ONE_OVER_SQRT_PI * expMinusSquare(x)) / f;
}

/** The error function in float64. erf(±Infinity) = ±1, erf(NaN) = NaN, erf(-0) = -0. */
export function erf(x: number): number {
  if (Number.isNaN(x)) return x;
  const a = Math.abs(x);
  if (a < 2) return x === 0 ? x : Math.sign(x) * erfSeries(a);
  if (a > 6) return Math.sign(x); // 1 - erfc(6) = 1 - 2e-17 rounds to 1
  return Math.sign(x) * (1 - erfcFraction(a));
}

/** The complementary error function 1 - erf(x) in float64, accurate in its tail. */
export function erfc(x: number): number {
  if (Number.isNaN(x)) return x;
  if (x === Infinity) return 0;
  if (x === -Infinity) return 2;
  if (x < 1) return 1 - (x < 0 ? (x > -2 ? -erfSeries(-x) : -1 + erfcFraction(-x)) : erfSeries(x));
  if (x > 27.3) return 0; // erfc(27.3) < 2^-1074
  return erfcFraction(x);
}
