// Measures the float32 log1p kernel of assembly/log1p.ts (log1pUnit) over every float32 u in
// [0, 1], emulating its float32 operations (Math.fround after each) against float64 Math.log1p.
// Usage: node scripts/check-log1p.mjs [stride]   (stride 1 = all 2^30 inputs, about a minute)
const f = Math.fround;
const u32 = new Uint32Array(1);
const f32 = new Float32Array(u32.buffer);
const bits = (v) => { f32[0] = v; return u32[0]; };
const fromBits = (b) => { u32[0] = b; return f32[0]; };
const LN2_HI = fromBits(0x3F317180), LN2_LO = fromBits(0x3717F7D1);
const LG1 = fromBits(0x3F2AAAAA), LG2 = fromBits(0x3ECCCDEE), LG3 = fromBits(0x3E91F4DE), LG4 = fromBits(0x3E76C4C8);
function log1pUnit(u) {
  const big = u > 0.5;
  const fr = big ? f(f(u - 1) * 0.5) : u;
  const s = f(fr / f(fr + 2));
  const z = f(s * s);
  const w = f(z * z);
  const t1 = f(w * f(f(w * LG4) + LG2));
  const t2 = f(z * f(f(w * LG3) + LG1));
  const r = f(t2 + t1);
  const hfsq = f(f(fr * fr) * 0.5);
  const lo = big ? LN2_LO : 0;
  const hi = big ? LN2_HI : 0;
  const c = f(hfsq - f(f(s * f(hfsq + r)) + lo));
  return f(hi - f(c - fr));
}
// ULP of the exact value y: the spacing of float32 at |y| (2^-149 below the normal range).
const ulpOf = (y) => { const a = Math.abs(y); if (a < 2 ** -126) return 2 ** -149; return 2 ** (Math.floor(Math.log2(a)) - 23); };
const stride = Number(process.argv[2] ?? 1);
let worst = 0, at = 0;
for (let b = 0; b <= 0x3F800000; b += stride) {
  const u = fromBits(b);
  const exact = Math.log1p(u);
  const e = Math.abs(log1pUnit(u) - exact) / ulpOf(exact);
  if (e > worst) { worst = e; at = u; }
}
console.log(`max error ${worst.toFixed(4)} ULP at u = ${at} (stride ${stride})`);
