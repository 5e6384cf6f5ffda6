// The loop skeleton every element-wise kernel shares. An op is a @final class whose @inline
// methods give its formula for a v128 of four lanes and for one float32; `mapUnary<Op>` is
// monomorphised per op and the methods are inlined into it, so the hot loop has no call at all
// (no call_indirect: check build/*.wat). The methods are called on a null reference of the op's
// class: they never touch `this`, and nothing is allocated (the module is built with --runtime stub
// and owns no heap; the TypeScript side manages all of linear memory).
//
// In-place safe: each v128 of the result is stored after its input was loaded, and element i is
// written only after element i was read, so dst == src works. (Partially overlapping ranges at
// other offsets are rejected on the TypeScript side.)

/**
 * The `unroll` of the memory-bound ops (relu and the like, whose op is one to three instructions):
 * sixteen v128 per iteration, each stored right after it is loaded and computed. The grouped
 * shapes (all loads, then all stores) run such loops 12-20% slower on V8/x64: relu 0.048 against
 * 0.043 ns/element at 64Ki, relu's backward 0.085 against 0.072. For ops with a long chain it is
 * the other way round (sigmoid 30% slower streamed), so the exp-based ops keep 2, 4 or 8.
 */
// @ts-ignore: decorator
@inline export const STREAM: i32 = 16;

/** Bytes per float32. */
// @ts-ignore: decorator
@inline const F32: usize = 4;

/**
 * dst[i] = Op(src[i], p, q) for i < n. Main loop: several v128 per iteration, whose loads are
 * independent, which hides the latency of the polynomial chains and spreads the loop overhead;
 * then single v128 steps; then a scalar tail for the last n % 4 elements. The scalar build
 * compiles only the scalar loop.
 *
 * `p` and `q` are the op's float32 params (0 where it has fewer; an op ignores the ones it does
 * not take). `unroll` (a compile-time constant at each call: 2, 4, 8 or STREAM) is the number of
 * v128 per iteration of the main loop, loaded together before any is stored, or STREAM (above)
 * for the memory-bound ops. 8 is right for the cheap ops with a few more instructions (softsign,
 * the elu family's backward) and for sigmoid (0.83 against 1.00 ns/element); 4, the default, for
 * most exp-based ops (tanh, whose two branches keep more values live, runs out of the 16 xmm
 * registers at 8: 1.56 against 1.02; at 2 every exp-based op measured 10-20% slower than at 4);
 * 2 for the ops with the most live values, where four chains spill (gelu's erf form: 1.72
 * against 2.23 ns/element).
 */
// @ts-ignore: decorator
@inline export function mapUnary<Op>(src: usize, dst: usize, n: usize, p: f32, q: f32, unroll: i32 = 4): void {
  const op = changetype<Op>(0);
  let i: usize = 0;
  if (ASC_FEATURE_SIMD) {
    const pv = f32x4.splat(p);
    const qv = f32x4.splat(q);
    if (unroll == STREAM) for (; i + 64 <= n; i += 64) {
      const a = src + i * F32;
      const b = dst + i * F32;
      v128.store(b, op.vec(v128.load(a, 0), pv, qv), 0);
      v128.store(b, op.vec(v128.load(a, 16), pv, qv), 16);
      v128.store(b, op.vec(v128.load(a, 32), pv, qv), 32);
      v128.store(b, op.vec(v128.load(a, 48), pv, qv), 48);
      v128.store(b, op.vec(v128.load(a, 64), pv, qv), 64);
      v128.store(b, op.vec(v128.load(a, 80), pv, qv), 80);
      v128.store(b, op.vec(v128.load(a, 96), pv, qv), 96);
      v128.store(b, op.vec(v128.load(a, 112), pv, qv), 112);
      v128.store(b, op.vec(v128.load(a, 128), pv, qv), 128);
      v128.store(b, op.vec(v128.load(a, 144), pv, qv), 144);
      v128.store(b, op.vec(v128.load(a, 160), pv, qv), 160);
      v128.store(b, op.vec(v128.load(a, 176), pv, qv), 176);
      v128.store(b, op.vec(v128.load(a, 192), pv, qv), 192);
      v128.store(b, op.vec(v128.load(a, 208), pv, qv), 208);
      v128.store(b, op.vec(v128.load(a, 224), pv, qv), 224);
      v128.store(b, op.vec(v128.load(a, 240), pv, qv), 240);
    }
    if (unroll == 8) for (; i + 32 <= n; i += 32) {
      const a = src + i * F32;
      const b = dst + i * F32;
      const x0 = v128.load(a, 0);
      const x1 = v128.load(a, 16);
      const x2 = v128.load(a, 32);
      const x3 = v128.load(a, 48);
      const x4 = v128.load(a, 64);
      const x5 = v128.load(a, 80);
      const x6 = v128.load(a, 96);
      const x7 = v128.load(a, 112);
      v128.store(b, op.vec(x0, pv, qv), 0);
      v128.store(b, op.vec(x1, pv, qv), 16);
      v128.store(b, op.vec(x2, pv, qv), 32);
      v128.store(b, op.vec(x3, pv, qv), 48);
      v128.store(b, op.vec(x4, pv, qv), 64);
      v128.store(b, op.vec(x5, pv, qv), 80);
      v128.store(b, op.vec(x6, pv, qv), 96);
      v128.store(b, op.vec(x7, pv, qv), 112);
    }
    if (unroll == 2) for (; i + 8 <= n; i += 8) {
      const a = src + i * F32;
      const b = dst + i * F32;
      const x0 = v128.load(a, 0);
      const x1 = v128.load(a, 16);
      v128.store(b, op.vec(x0, pv, qv), 0);
      v128.store(b, op.vec(x1, pv, qv), 16);
    }
    if (unroll != 2) for (; i + 16 <= n; i += 16) {
      const a = src + i * F32;
      const b = dst + i * F32;
      const x0 = v128.load(a, 0);
      const x1 = v128.load(a, 16);
      const x2 = v128.load(a, 32);
      const x3 = v128.load(a, 48);
      v128.store(b, op.vec(x0, pv, qv), 0);
      v128.store(b, op.vec(x1, pv, qv), 16);
      v128.store(b, op.vec(x2, pv, qv), 32);
      v128.store(b, op.vec(x3, pv, qv), 48);
    }
    for (; i + 4 <= n; i += 4) {
      v128.store(dst + i * F32, op.vec(v128.load(src + i * F32), pv, qv));
    }
  }
  for (; i < n; i++) {
    store<f32>(dst + i * F32, op.scalar(load<f32>(src + i * F32), p, q));
  }
}
