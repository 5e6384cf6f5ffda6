"use strict";
// Seeded inputs, so every implementation (and every run) sees the same numbers.
Object.defineProperty(exports, "__esModule", { value: true });
exports.mulberry32 = mulberry32;
exports.uniformFloats = uniformFloats;
/** mulberry32: a small, fast, seeded generator of uint32 values. */
function mulberry32(seed) {
    var state = seed >>> 0;
    return function () {
        state = (state + 0x6d2b79f5) >>> 0;
        var t = state;
        t = Math.imul(t ^ (t >>> 15), t | 1);
        t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
        return (t ^ (t >>> 14)) >>> 0;
    };
}
/** n floats uniform in [lo, hi) from `seed` (random signs for a symmetric range). */
function uniformFloats(n, lo, hi, seed) {
    var next = mulberry32(seed);
    var x = new Float32Array(n);
    for (var i = 0; i < n; i++)
        x[i] = lo + ((hi - lo) * next()) / 4294967296;
    return x;
}
