"use strict";
// The shape of an activation's one definition. Each file in src/activations/ fills one of these
// in, and everything else (the API functions and their argument checks, the js backend, the
// wasm dispatch, the tests, the benchmark rows and the README tables) reads it from the registry.
var __assign = (this && this.__assign) || function () {
    __assign = Object.assign || function(t) {
        for (var s, i = 1, n = arguments.length; i < n; i++) {
            s = arguments[i];
            for (var p in s) if (Object.prototype.hasOwnProperty.call(s, p))
                t[p] = s[p];
        }
        return t;
    };
    return __assign.apply(this, arguments);
};
Object.defineProperty(exports, "__esModule", { value: true });
exports.defineElementwise = defineElementwise;
exports.defineReduction = defineReduction;
exports.finiteParam = finiteParam;
exports.float32Param = float32Param;
exports.requiredFloat32Param = requiredFloat32Param;
exports.nonNegativeFloat32Param = nonNegativeFloat32Param;
/** Identity helpers that check a definition against its kind and keep its literal types. */
function defineElementwise(definition) {
    return __assign({ kind: 'elementwise' }, definition);
}
/** See {@link defineElementwise}. */
function defineReduction(definition) {
    return __assign({ kind: 'reduction' }, definition);
}
/** A parameter that may be any finite number. */
function finiteParam(defaultValue) {
    return { default: defaultValue, allows: Number.isFinite, requirement: 'a finite number' };
}
/**
 * A parameter the kernels use as a float32: 0 or a magnitude in float32's normal range
 * [2^-126, FLT_MAX]. Beyond it the float32 value would be Infinity (0 · Infinity = NaN) or lose
 * precision as a subnormal (PyTorch rounds it the same way for float tensors, silently).
 */
function float32Param(defaultValue) {
    return {
        default: defaultValue,
        allows: function (v) { return v === 0 || (Math.abs(v) >= Math.pow(2, -126) && Math.abs(v) <= 3.4028234663852886e38); },
        requirement: '0 or a number whose magnitude is in float32\'s normal range [1.1754944e-38, 3.4028235e38]',
    };
}
/** A required float32 param (PyTorch has no default): {@link float32Param}, `example` only for tests and docs. */
function requiredFloat32Param(example) {
    return __assign(__assign({}, float32Param(example)), { required: true });
}
/**
 * A non-negative parameter used as a float32 (the shrink functions' `lambd`): 0 or a value in
 * float32's normal range [2^-126, FLT_MAX].
 */
function nonNegativeFloat32Param(defaultValue) {
    return {
        default: defaultValue,
        allows: function (v) { return v === 0 || (v >= Math.pow(2, -126) && v <= 3.4028234663852886e38); },
        requirement: '0 or a positive number in float32\'s normal range [1.1754944e-38, 3.4028235e38]',
    };
}
