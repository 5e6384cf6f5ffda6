"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.relu = void 0;
var spec_js_1 = require("../spec.js");
/** ReLU: max(0, x). */
exports.relu = (0, spec_js_1.defineElementwise)({
    name: 'relu',
    torch: 'torch.nn.functional.relu',
    formula: 'max(0, x)',
    summary: 'Rectified linear unit: hidden layers of deep networks.',
    params: {},
    ulp: 0,
    ulpNote: 'exact (no rounding)',
    plotDomain: [-4, 4],
    // -0 stays -0 and NaN stays NaN: `x < 0` is false for both.
    reference: function (x) { return (x < 0 ? 0 : x); },
    // PyTorch's threshold_backward: x <= 0 ? 0 : dy, so a NaN x passes dy through.
    derivative: function (x) { return (x <= 0 ? 0 : 1); },
    js: function (src, dst, n) {
        for (var i = 0; i < n; i++) {
            var v = src[i];
            dst[i] = v < 0 ? 0 : v;
        }
    },
    naive: function (x, y) {
        for (var i = 0; i < x.length; i++)
            y[i] = Math.max(0, x[i]);
    },
    wasm: { export: 'relu', args: [] },
    backward: {
        ulp: 0,
        js: function (dy, x, dx, n) {
            for (var i = 0; i < n; i++)
                dx[i] = x[i] <= 0 ? 0 : dy[i];
        },
        wasm: 'reluBackward',
    },
});
