"use strict";
// ULP error of float32 results against exact (float64) values: the measure of the package's
// accuracy contract (see DefinitionBase.ulp in src/spec.ts), shared by the tests, the
// benchmark's answer check and the accuracy tool.
Object.defineProperty(exports, "__esModule", { value: true });
exports.FLT_MAX_SUBNORMAL = exports.FLT_TRUE_MIN = exports.FLT_MIN_NORMAL = exports.FLT_MAX = void 0;
exports.float32Bits = float32Bits;
exports.float32FromBits = float32FromBits;
exports.ulpOf = ulpOf;
exports.ulpError = ulpError;
/** The largest finite float32, 2^128 − 2^104. */
exports.FLT_MAX = 3.4028234663852886e38;
/** The smallest normal float32, 2^-126. */
exports.FLT_MIN_NORMAL = Math.pow(2, -126);
/** The smallest (subnormal) float32, 2^-149. */
exports.FLT_TRUE_MIN = Math.pow(2, -149);
/** The largest subnormal float32, 2^-126 − 2^-149. */
exports.FLT_MAX_SUBNORMAL = Math.pow(2, -126) - Math.pow(2, -149);
var f32 = new Float32Array(1);
var u32 = new Uint32Array(f32.buffer);
/** The bit pattern of `x` rounded to float32. */
function float32Bits(x) {
    f32[0] = x;
    return u32[0];
}
/** The float32 with bit pattern `bits`. */
function float32FromBits(bits) {
    u32[0] = bits >>> 0;
    return f32[0];
}
/**
 * ulp(fround(v)) for float32: 2^(floor(log2 |fround(v)|) − 23) where that is a normal number,
 * 2^-149 below 2^-126. Where fround(v) overflows to ±Infinity (|v| ≥ FLT_MAX + ½ ulp), the ulp
 * of the last binade, 2^104. NaN gives NaN.
 */
function ulpOf(v) {
    if (Number.isNaN(v))
        return NaN;
    f32[0] = Math.abs(v);
    var exponent = (u32[0] >>> 23) & 0xff;
    if (exponent === 0)
        return exports.FLT_TRUE_MIN;
    if (exponent === 0xff)
        return Math.pow(2, 104);
    return Math.pow(2, (exponent - 150));
}
/**
 * The error of a float32 result `y` against the exact value `exact` (a float64, not rounded), in
 * ULP of fround(exact):
 *  - exact NaN: 0 if y is NaN, else Infinity;
 *  - exact ±Infinity: 0 if y equals it, else Infinity;
 *  - y NaN (exact not NaN): Infinity;
 *  - y ±Infinity with a finite exact: 0.5 if fround(exact) is that infinity (the correctly
 *    rounded result of an overflow), else Infinity;
 *  - |exact| < 2^-126 and |y − exact| ≤ 2^-126: 0 (flushing to zero is allowed there);
 *  - otherwise |y − exact| / ulpOf(exact).
 * The sign of a zero is not checked.
 */
function ulpError(y, exact) {
    if (exact !== exact)
        return y !== y ? 0 : Infinity;
    if (y !== y)
        return Infinity;
    if (exact === Infinity || exact === -Infinity)
        return y === exact ? 0 : Infinity;
    if (y === Infinity || y === -Infinity)
        return Math.fround(exact) === y ? 0.5 : Infinity;
    var diff = Math.abs(y - exact);
    if (diff === 0)
        return 0;
    if (Math.abs(exact) < exports.FLT_MIN_NORMAL && diff <= exports.FLT_MIN_NORMAL)
        return 0;
    return diff / ulpOf(exact);
}
