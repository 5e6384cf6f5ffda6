"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.softshrink = void 0;
var spec_js_1 = require("../spec.js");
var f = Math.fround;
/** Softshrink: x > lambd ? x - lambd : x < -lambd ? x + lambd : 0. */
exports.softshrink = (0, spec_js_1.defineElementwise)({
    name: 'softshrink',
    torch: 'torch.nn.functional.softshrink',
    formula: 'x > λ ? x − λ : x < −λ ? x + λ : 0',
    summary: 'Soft thresholding: shrinks x towards 0 by λ (sparse coding, denoising).',
    params: { lambd: (0, spec_js_1.nonNegativeFloat32Param)(0.5) },
    ulp: 1,
    ulpNote: 'λ rounded to float32, then one float32 addition (measured 0.5 ULP)',
    plotDomain: [-4, 4],
    // As PyTorch: inside the band x * 0, a zero with x's sign (NaN for NaN).
    reference: function (x, _a) {
        var lambd = _a.lambd;
        var l = f(lambd);
        return x > l ? x - l : x < -l ? x + l : x * 0;
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
            dst[i] = v > l ? v - l : v < -l ? v + l : v * 0;
        }
    },
    naive: function (x, y, _a) {
        var lambd = _a.lambd;
        for (var i = 0; i < x.length; i++)
            y[i] = x[i] > lambd ? x[i] - lambd : x[i] < -lambd ? x[i] + lambd : 0;
    },
    wasm: { export: 'softshrink', args: ['lambd'] },
    backward: {
        ulp: 0, // a select (measured 0 ULP)
        js: function (dy, x, dx, n, _a) {
            var lambd = _a.lambd;
            var l = f(lambd);
            for (var i = 0; i < n; i++)
                dx[i] = x[i] >= -l && x[i] <= l ? 0 : dy[i];
        },
        wasm: 'softshrinkBackward',
    },
});
