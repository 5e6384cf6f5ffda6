"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.hardshrink = void 0;
var spec_js_1 = require("../spec.js");
var f = Math.fround;
/** Hardshrink: |x| > lambd ? x : 0. */
exports.hardshrink = (0, spec_js_1.defineElementwise)({
    name: 'hardshrink',
    torch: 'torch.nn.functional.hardshrink',
    formula: 'abs(x) > λ ? x : 0',
    summary: 'Hard thresholding: zeroes the values within λ of 0.',
    params: { lambd: (0, spec_js_1.nonNegativeFloat32Param)(0.5) },
    ulp: 0,
    ulpNote: 'exact: x or 0 (measured 0 ULP)',
    plotDomain: [-4, 4],
    // As PyTorch: (-λ <= x <= λ) ? 0 : x, so NaN stays NaN.
    reference: function (x, _a) {
        var lambd = _a.lambd;
        return (x >= -f(lambd) && x <= f(lambd) ? 0 : x);
    },
    // PyTorch's shrink backward: (-λ <= x <= λ) ? 0 : dy; a NaN x passes dy.
    derivative: function (x, _a) {
        var lambd = _a.lambd;
        return (x >= -f(lambd) && x <= f(lambd) ? 0 : 1);
    },
    js: function (src, dst, n, _a) {
        var lambd = _a.lambd;
        var l = f(lambd);
        for (var i = 0; i < n; i++) {
            var v = src[i];
            dst[i] = v >= -l && v <= l ? 0 : v;
        }
    },
    naive: function (x, y, _a) {
        var lambd = _a.lambd;
        for (var i = 0; i < x.length; i++)
            y[i] = Math.abs(x[i]) > lambd ? x[i] : 0;
    },
    wasm: { export: 'hardshrink', args: ['lambd'] },
    backward: {
        ulp: 0, // a select (measured 0 ULP)
        js: function (dy, x, dx, n, _a) {
            var lambd = _a.lambd;
            var l = f(lambd);
            for (var i = 0; i < n; i++)
                dx[i] = x[i] >= -l && x[i] <= l ? 0 : dy[i];
        },
        wasm: 'hardshrinkBackward',
    },
});
