"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.hardswish = void 0;
var spec_js_1 = require("../spec.js");
/** Hardswish: x <= -3 ? 0 : x >= 3 ? x : x (x + 3) / 6. */
exports.hardswish = (0, spec_js_1.defineElementwise)({
    name: 'hardswish',
    torch: 'torch.nn.functional.hardswish',
    formula: 'x ≤ -3 ? 0 : x ≥ 3 ? x : x·(x + 3)/6',
    summary: 'Piecewise-polynomial swish: the activation of MobileNetV3.',
    params: {},
    ulp: 2,
    ulpNote: 'x·(x + 3)/6 in float64, one rounding to float32 (measured 0.5 ULP)',
    plotDomain: [-5, 5],
    reference: function (x) { return (x <= -3 ? 0 : x >= 3 ? x : (x * (x + 3)) / 6); },
    // PyTorch's hardswish_backward: x < -3 ? 0 : x <= 3 ? dy (2x + 3) / 6 : dy; a NaN x passes dy.
    derivative: function (x) { return (x < -3 ? 0 : x <= 3 ? (2 * x + 3) / 6 : 1); },
    js: function (src, dst, n) {
        for (var i = 0; i < n; i++) {
            var v = src[i];
            dst[i] = v <= -3 ? 0 : v >= 3 ? v : (v * (v + 3)) / 6;
        }
    },
    naive: function (x, y) {
        for (var i = 0; i < x.length; i++)
            y[i] = (x[i] * Math.min(Math.max(x[i] + 3, 0), 6)) / 6;
    },
    wasm: { export: 'hardswish', args: [] },
    backward: {
        ulp: 8, // dy (2x + 3) / 6 in float64, one rounding to float32 (measured 0.5 ULP)
        js: function (dy, x, dx, n) {
            for (var i = 0; i < n; i++) {
                var v = x[i];
                dx[i] = v < -3 ? 0 : v <= 3 ? (dy[i] * (v + v + 3)) / 6 : dy[i];
            }
        },
        wasm: 'hardswishBackward',
    },
});
