// Fits the polynomial of the float32 log1p kernel (assembly/log1p.ts) and prints its coefficients
// as float32 bit patterns. log(1 + f) = 2 atanh(s) with s = f / (2 + f), and
//   2 atanh(s) = 2s + s R(z),   z = s^2,   R(z) = z (c1 + c2 z + c3 z^2 + c4 z^3) ~ 2z/3 + 2z^2/5 + ...
// The kernel keeps f exact and uses the form f - (f^2/2 - s (f^2/2 + R)), so an error dR of R costs
// s dR in the result, about dR / 2 relative to log(1 + f) ~ 2s: we minimise the max of |dR| over
// z in [0, ZMAX] (s in [-1/7, 1/5] for f in [-1/4, 1/2], the kernel's reduced range).
// Lawson's algorithm: iteratively reweighted least squares converging to the minimax fit.
// Usage: node scripts/fit-log1p.mjs
const ZMAX = 0.2 * 0.2;
const DEG = 4;
const N = 4000;
const zs = Array.from({ length: N }, (_, i) => (ZMAX * (1 - Math.cos((Math.PI * (i + 0.5)) / N))) / 2);
// Exact R(z) = (log((1 + s) / (1 - s)) - 2s) / s, from the series (converges fast for z <= 0.04).
const exactR = (z) => { let t = 0; for (let k = 40; k >= 1; k--) t = t * z + 2 / (2 * k + 1); return t * z; };
const basis = (z) => Array.from({ length: DEG }, (_, j) => z ** (j + 1));

function weightedFit(w) {
  const A = Array.from({ length: DEG }, () => new Array(DEG).fill(0));
  const b = new Array(DEG).fill(0);
  zs.forEach((z, i) => {
    const phi = basis(z);
    for (let r = 0; r < DEG; r++) {
      b[r] += w[i] * phi[r] * exactR(z);
      for (let c = 0; c < DEG; c++) A[r][c] += w[i] * phi[r] * phi[c];
    }
  });
  // Gaussian elimination with partial pivoting.
  for (let k = 0; k < DEG; k++) {
    let p = k;
    for (let r = k + 1; r < DEG; r++) if (Math.abs(A[r][k]) > Math.abs(A[p][k])) p = r;
    [A[k], A[p]] = [A[p], A[k]]; [b[k], b[p]] = [b[p], b[k]];
    for (let r = k + 1; r < DEG; r++) {
      const m = A[r][k] / A[k][k];
      for (let c = k; c < DEG; c++) A[r][c] -= m * A[k][c];
      b[r] -= m * b[k];
    }
  }
  const x = new Array(DEG).fill(0);
  for (let k = DEG - 1; k >= 0; k--) {
    let t = b[k];
    for (let c = k + 1; c < DEG; c++) t -= A[k][c] * x[c];
    x[k] = t / A[k][k];
  }
  return x;
}
const evalR = (c, z) => basis(z).reduce((acc, v, j) => acc + c[j] * v, 0);
let w = new Array(N).fill(1 / N);
let c = [];
for (let it = 0; it < 200; it++) {
  c = weightedFit(w);
  const err = zs.map((z) => Math.abs(evalR(c, z) - exactR(z)));
  const sum = w.reduce((a, wi, i) => a + wi * err[i], 0);
  w = w.map((wi, i) => (wi * err[i]) / sum);
}
const c32 = c.map(Math.fround);
const maxErr = (cc) => Math.max(...zs.map((z) => Math.abs(evalR(cc, z) - exactR(z))));
const hex = (v) => { const b = new DataView(new ArrayBuffer(4)); b.setFloat32(0, v); return '0x' + b.getUint32(0).toString(16).toUpperCase().padStart(8, '0'); };
console.log(`max |dR| on z in [0, ${ZMAX}]: ${maxErr(c).toExponential(3)} (float64 coefficients), ${maxErr(c32).toExponential(3)} (rounded to float32)`);
console.log(`relative to log(1 + f), about max |dR| / 2: ${(maxErr(c32) / 2 / 2 ** -24).toFixed(4)} ULP (2^-24 units)`);
c32.forEach((v, j) => console.log(`LG${j + 1} = reinterpret<f32>(${hex(v)}); // ${v}`));
