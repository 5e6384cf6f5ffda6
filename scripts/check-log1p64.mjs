// Measures the float64 log1p of assembly/log64.ts (log1p64) by running its float64 operations in
// JavaScript (whose numbers are float64: the same IEEE operations, no fused multiply-add) against
// Math.log1p (fdlibm's, within 1 ULP), in float64 ULPs, over 10^7 t log-uniform in [2^-60, 2^40]
// and the edges of its argument reduction.
// Usage: node scripts/check-log1p64.mjs [count]
const view = new DataView(new ArrayBuffer(8));
const hiWord = (x) => { view.setFloat64(0, x); return view.getInt32(0); };
const withHiWord = (x, hi) => { view.setFloat64(0, x); view.setInt32(0, hi); return view.getFloat64(0); };
const fromBits = (hex) => { view.setBigUint64(0, BigInt(hex)); return view.getFloat64(0); };
const LN2_HI = fromBits('0x3FE62E42FEE00000'), LN2_LO = fromBits('0x3DEA39EF35793C76');
const LG1 = fromBits('0x3FE5555555555593'), LG2 = fromBits('0x3FD999999997FA04'), LG3 = fromBits('0x3FD2492494229359');
const LG4 = fromBits('0x3FCC71C51D8E78AF'), LG5 = fromBits('0x3FC7466496CB03DE'), LG6 = fromBits('0x3FC39A09D078C69F');
const LG7 = fromBits('0x3FC2F112DF3E5244');
const SQRT2_SHIFT = 0x3FF00000 - 0x3FE6A09E;

/** assembly/log64.ts's log1p64, operation for operation. */
function log1p64(t) {
  const u = 1 + t;
  const c = (t - (u - 1)) / u;
  const hu = (hiWord(u) + SQRT2_SHIFT) | 0;
  const dk = (hu >> 20) - 0x3FF;
  const f = withHiWord(u, (hu & 0x000FFFFF) + 0x3FE6A09E) - 1;
  const hfsq = 0.5 * f * f;
  const s = f / (2 + f);
  const z = s * s;
  const w = z * z;
  const t1 = w * (LG2 + w * (LG4 + w * LG6));
  const t2 = z * (LG1 + w * (LG3 + w * (LG5 + w * LG7)));
  const r = t2 + t1;
  const low = dk * LN2_LO + c;
  return ((s * (hfsq + r) + low) - hfsq + f) + dk * LN2_HI;
}

/** The spacing of float64 at |y|. */
const ulp64 = (y) => 2 ** (Math.floor(Math.log2(Math.abs(y))) - 52);

const count = Number(process.argv[2] ?? 1e7);
let worst = 0, at = 0;
const check = (t) => {
  const exact = Math.log1p(t);
  const e = exact === 0 ? Math.abs(log1p64(t)) : Math.abs(log1p64(t) - exact) / ulp64(exact);
  if (e > worst) { worst = e; at = t; }
};
let seed = 12345;
const random = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32 + (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 64);
for (let i = 0; i < count; i++) check(2 ** (-60 + 100 * random()));
const edges = [0, 2 ** -53, 2 ** -53 * (1 + 2 ** -52), 2 ** -53 * (1 - 2 ** -53), 1, Math.SQRT2 - 1, Math.SQRT1_2 - 1 + 1e-17, 1e-300, 5e-324];
for (let k = -60; k <= 40; k++) for (const d of [-1e-15, 0, 1e-15]) edges.push(2 ** k * (1 + d), Math.SQRT2 * 2 ** k - 1);
for (const t of edges) if (t >= 0) check(t);
if (!Number.isNaN(log1p64(NaN))) throw new Error('log1p64(NaN) is not NaN');
if (log1p64(0) !== 0) throw new Error('log1p64(0) is not 0');
console.log(`log1p64: max ${worst.toFixed(3)} ULP (float64) against Math.log1p at t = ${at} over ${count} random t and ${edges.length} edges`);
