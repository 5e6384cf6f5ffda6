// The loop skeleton of the element-wise backward kernels: two inputs (dy and the saved tensor),
// one output. Same structure as mapUnary (assembly/unary.ts): an op is a @final class whose
// @inline vec()/scalar() methods give its formula for a v128 of four lanes and for one float32,
// called on a null reference of the class, so the hot loop has no call at all.
//
// In-place safe: each v128 of the result is stored after both its inputs were loaded, and
// element i is written only after element i was read, so dst == a or dst == b works.

import { STREAM } from "./unary";

// @ts-ignore: decorator
@inline const F32: usize = 4;

/**
 * dst[i] = Op(a[i], b[i], p, q) for i < n (p, q: the op's float32 params, 0 where it has
 * fewer). `unroll` (2, 4, 8 or STREAM, a compile-time constant) is the number of v128 per
 * iteration of the main loop: STREAM for the memory-bound ops, 8 for the cheap ones with a few
 * more instructions and for sigmoid's and tanh's slopes, 4 (the default) for most, 2 where four
 * chains keep too many values live and spill (gelu's erf form: 2.13 against 2.88 ns/element);
 * see mapUnary (./unary.ts).
 */
// @ts-ignore: decorator
@inline export function mapBinary<Op>(a: usize, b: usize, dst: usize, n: usize, p: f32, q: f32, unroll: i32 = 4): void {
  const op = changetype<Op>(0);
  let i: usize = 0;
  if (ASC_FEATURE_SIMD) {
    const pv = f32x4.splat(p);
    const qv = f32x4.splat(q);
    if (unroll == STREAM) for (; i + 64 <= n; i += 64) {
      const pa = a + i * F32;
      const pb = b + i * F32;
      const d = dst + i * F32;
      v128.store(d, op.vec(v128.load(pa, 0), v128.load(pb, 0), pv, qv), 0);
      v128.store(d, op.vec(v128.load(pa, 16), v128.load(pb, 16), pv, qv), 16);
      v128.store(d, op.vec(v128.load(pa, 32), v128.load(pb, 32), pv, qv), 32);
      v128.store(d, op.vec(v128.load(pa, 48), v128.load(pb, 48), pv, qv), 48);
      v128.store(d, op.vec(v128.load(pa, 64), v128.load(pb, 64), pv, qv), 64);
      v128.store(d, op.vec(v128.load(pa, 80), v128.load(pb, 80), pv, qv), 80);
      v128.store(d, op.vec(v128.load(pa, 96), v128.load(pb, 96), pv, qv), 96);
      v128.store(d, op.vec(v128.load(pa, 112), v128.load(pb, 112), pv, qv), 112);
      v128.store(d, op.vec(v128.load(pa, 128), v128.load(pb, 128), pv, qv), 128);
      v128.store(d, op.vec(v128.load(pa, 144), v128.load(pb, 144), pv, qv), 144);
      v128.store(d, op.vec(v128.load(pa, 160), v128.load(pb, 160), pv, qv), 160);
      v128.store(d, op.vec(v128.load(pa, 176), v128.load(pb, 176), pv, qv), 176);
      v128.store(d, op.vec(v128.load(pa, 192), v128.load(pb, 192), pv, qv), 192);
      v128.store(d, op.vec(v128.load(pa, 208), v128.load(pb, 208), pv, qv), 208);
      v128.store(d, op.vec(v128.load(pa, 224), v128.load(pb, 224), pv, qv), 224);
      v128.store(d, op.vec(v128.load(pa, 240), v128.load(pb, 240), pv, qv), 240);
    }
    if (unroll == 8) for (; i + 32 <= n; i += 32) {
      const pa = a + i * F32;
      const pb = b + i * F32;
      const d = dst + i * F32;
      const a0 = v128.load(pa, 0);
      const a1 = v128.load(pa, 16);
      const a2 = v128.load(pa, 32);
      const a3 = v128.load(pa, 48);
      const a4 = v128.load(pa, 64);
      const a5 = v128.load(pa, 80);
      const a6 = v128.load(pa, 96);
      const a7 = v128.load(pa, 112);
      const b0 = v128.load(pb, 0);
      const b1 = v128.load(pb, 16);
      const b2 = v128.load(pb, 32);
      const b3 = v128.load(pb, 48);
      const b4 = v128.load(pb, 64);
      const b5 = v128.load(pb, 80);
      const b6 = v128.load(pb, 96);
      const b7 = v128.load(pb, 112);
      v128.store(d, op.vec(a0, b0, pv, qv), 0);
      v128.store(d, op.vec(a1, b1, pv, qv), 16);
      v128.store(d, op.vec(a2, b2, pv, qv), 32);
      v128.store(d, op.vec(a3, b3, pv, qv), 48);
      v128.store(d, op.vec(a4, b4, pv, qv), 64);
      v128.store(d, op.vec(a5, b5, pv, qv), 80);
      v128.store(d, op.vec(a6, b6, pv, qv), 96);
      v128.store(d, op.vec(a7, b7, pv, qv), 112);
    }
    if (unroll == 2) for (; i + 8 <= n; i += 8) {
      const pa = a + i * F32;
      const pb = b + i * F32;
      const d = dst + i * F32;
      const a0 = v128.load(pa, 0);
      const a1 = v128.load(pa, 16);
      const b0 = v128.load(pb, 0);
      const b1 = v128.load(pb, 16);
      v128.store(d, op.vec(a0, b0, pv, qv), 0);
      v128.store(d, op.vec(a1, b1, pv, qv), 16);
    }
    if (unroll != 2) for (; i + 16 <= n; i += 16) {
      const pa = a + i * F32;
      const pb = b + i * F32;
      const d = dst + i * F32;
      const a0 = v128.load(pa, 0);
      const a1 = v128.load(pa, 16);
      const a2 = v128.load(pa, 32);
      const a3 = v128.load(pa, 48);
      const b0 = v128.load(pb, 0);
      const b1 = v128.load(pb, 16);
      const b2 = v128.load(pb, 32);
      const b3 = v128.load(pb, 48);
      v128.store(d, op.vec(a0, b0, pv, qv), 0);
      v128.store(d, op.vec(a1, b1, pv, qv), 16);
      v128.store(d, op.vec(a2, b2, pv, qv), 32);
      v128.store(d, op.vec(a3, b3, pv, qv), 48);
    }
    for (; i + 4 <= n; i += 4) {
      v128.store(dst + i * F32, op.vec(v128.load(a + i * F32), v128.load(b + i * F32), pv, qv));
    }
  }
  for (; i < n; i++) {
    store<f32>(dst + i * F32, op.scalar(load<f32>(a + i * F32), load<f32>(b + i * F32), p, q));
  }
}
