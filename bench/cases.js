"use strict";
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
exports.naive = exports.ROW_LENGTH = void 0;
exports.defaults = defaults;
exports.rowLength = rowLength;
exports.shapeOf = shapeOf;
exports.requiredParams = requiredParams;
exports.packageImplementation = packageImplementation;
exports.zeroCopyImplementation = zeroCopyImplementation;
exports.referenceOf = referenceOf;
exports.maxError = maxError;
var ulp_js_1 = require("../src/ulp.js");
/** Softmax-like functions run over rows of this length (a classifier's logits; sizes are multiples of it). */
exports.ROW_LENGTH = 1024;
/** The default params of an activation (leaky ReLU's alpha = 0.01). */
function defaults(definition) {
    return Object.fromEntries(Object.entries(definition.params).map(function (_a) {
        var name = _a[0], spec = _a[1];
        return [name, spec.default];
    }));
}
/** Rows of ROW_LENGTH (or one row when n is smaller). */
function rowLength(n) {
    return Math.min(n, exports.ROW_LENGTH);
}
/** The shape every implementation sees: [n] for element-wise functions, [rows, 1024] for softmax. */
function shapeOf(definition, n) {
    var row = rowLength(n);
    return definition.kind === 'reduction' ? [n / row, row] : [n];
}
/** The naive JS loop of the tutorial's formula. */
exports.naive = {
    id: 'naive',
    label: 'naive JS loop',
    kind: 'naive',
    note: 'the tutorial\'s formula in a plain loop into a preallocated Float32Array',
    prepare: function (definition, x) {
        var output = new Float32Array(x.length);
        var params = defaults(definition);
        if (definition.kind === 'elementwise')
            return { output: output, run: function () { return definition.naive(x, output, params); } };
        var n = rowLength(x.length);
        return { output: output, run: function () { return definition.naive(x, output, n, params); } };
    },
};
/** The params a call must pass (PyTorch has no default for them, e.g. threshold's), at the definition's example values. */
function requiredParams(definition) {
    var entries = Object.entries(definition.params).filter(function (_a) {
        var spec = _a[1];
        return spec.required;
    });
    return Object.fromEntries(entries.map(function (_a) {
        var name = _a[0], spec = _a[1];
        return [name, spec.default];
    }));
}
function options(definition, n, out) {
    return definition.kind === 'reduction' ? { out: out, shape: shapeOf(definition, n) } : __assign(__assign({}, requiredParams(definition)), { out: out });
}
/** The package's copying API on one backend, writing into a preallocated `out`. */
function packageImplementation(activations) {
    return {
        id: activations.backend,
        label: "wasm-activations ".concat(activations.backend),
        kind: 'package',
        note: 'copying API: Float32Array in, result into a preallocated Float32Array out',
        prepare: function (definition, x) {
            var output = new Float32Array(x.length);
            var fn = activations[definition.name];
            var opts = options(definition, x.length, output);
            return { output: output, run: function () { return fn(x, opts); } };
        },
    };
}
/**
 * The package with x and out both buffers of its memory: no byte is copied. The input is copied
 * into the x buffer once, before timing.
 */
function zeroCopyImplementation(activations) {
    return {
        id: 'zero-copy',
        label: "wasm-activations ".concat(activations.backend, " zero-copy"),
        kind: 'zero-copy',
        note: "".concat(activations.backend, " with x and out ActivationBuffers in its wasm memory: nothing copied"),
        prepare: function (definition, x) {
            var input = activations.allocate(x.length);
            var result = activations.allocate(x.length);
            input.array.set(x);
            var fn = activations[definition.name];
            var opts = options(definition, x.length, result);
            return {
                get output() {
                    return result.array;
                },
                run: function () { return fn(input, opts); },
                dispose: function () {
                    input.free();
                    result.free();
                },
            };
        },
    };
}
/** The exact (float64) value of the activation at every element of x, computed once per input. */
function referenceOf(definition, x) {
    var exact = new Float64Array(x.length);
    var params = defaults(definition);
    if (definition.kind === 'elementwise') {
        for (var i = 0; i < x.length; i++)
            exact[i] = definition.reference(x[i], params);
        return exact;
    }
    var n = rowLength(x.length);
    for (var r = 0; r < x.length; r += n)
        exact.set(definition.reference(Array.from(x.subarray(r, r + n)), params), r);
    return exact;
}
/**
 * The largest error of `output` against the exact values, in ULP (NaN or a missing element
 * counts as Infinity), and the input where it occurs.
 */
function maxError(exact, x, output) {
    if (output.length !== exact.length)
        return { ulp: Infinity, at: NaN };
    var worst = { ulp: 0, at: 0 };
    for (var i = 0; i < exact.length; i++) {
        var e = (0, ulp_js_1.ulpError)(output[i], exact[i]);
        if (e > worst.ulp || Number.isNaN(e))
            worst = { ulp: Number.isNaN(e) ? Infinity : e, at: x[i] };
    }
    return worst;
}
