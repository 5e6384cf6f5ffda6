"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.softsign = void 0;
var spec_js_1 = require("../spec.js");
/** Softsign: x / (1 + |x|). */
exports.softsign = (0, spec_js_1.defineElementwise)({
    name: 'softsign',
    torch: 'torch.nn.functional.softsign',
    formula: 'x / (1 + abs(x))',
    summary: 'A tanh-like squashing to (-1, 1) with polynomial tails, no exp.',
    params: {},
    ulp: 2,
    ulpNote: 'one float64 division, one rounding to float32 (measured 0.5 ULP)',
    plotDomain: [-8, 8],
    // PyTorch's formula as is: ±Infinity gives Infinity / Infinity = NaN; -0 stays -0.
    reference: function (x) { return x / (1 + Math.abs(x)); },
    // 1 / (1 + |x|)^2: 0 at ±Infinity, NaN at NaN.
    derivative: function (x) { return 1 / ((1 + Math.abs(x)) * (1 + Math.abs(x))); },
    js: function (src, dst, n) {
        for (var i = 0; i < n; i++) {
            var v = src[i];
            dst[i] = v / (1 + Math.abs(v));
        }
    },
    naive: function (x, y) {
        for (var i = 0; i < x.length; i++)
            y[i] = x[i] / (1 + Math.abs(x[i]));
    },
    wasm: { export: 'softsign', args: [] },
    backward: {
        ulp: 8, // dy / (1 + |x|)^2 in float64, one rounding to float32 (measured 0.5 ULP)
        js: function (dy, x, dx, n) {
            for (var i = 0; i < n; i++) {
                var d = 1 + Math.abs(x[i]);
                dx[i] = dy[i] / (d * d);
            }
        },
        wasm: 'softsignBackward',
    },
});
