"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.leakyRelu = void 0;
var spec_js_1 = require("../spec.js");
/** Leaky ReLU: x if x > 0, else alpha * x. */
exports.leakyRelu = (0, spec_js_1.defineElementwise)({
    name: 'leakyRelu',
    torch: 'torch.nn.functional.leaky_relu (negative_slope → alpha)',
    formula: 'x > 0 ? x : alpha·x',
    summary: 'ReLU with a small slope for x ≤ 0, so no unit dies.',
    params: { alpha: (0, spec_js_1.float32Param)(0.01) },
    ulp: 1,
    ulpNote: 'alpha is rounded to float32 (≤ 0.5 ULP), then one multiply (≤ 0.5 ULP)',
    plotDomain: [-4, 4],
    reference: function (x, _a) {
        var alpha = _a.alpha;
        return (x > 0 ? x : alpha * x);
    },
    derivative: function (x, _a) {
        var alpha = _a.alpha;
        return (x > 0 ? 1 : alpha);
    },
    js: function (src, dst, n, _a) {
        var alpha = _a.alpha;
        for (var i = 0; i < n; i++) {
            var v = src[i];
            dst[i] = v > 0 ? v : alpha * v;
        }
    },
    naive: function (x, y, _a) {
        var alpha = _a.alpha;
        for (var i = 0; i < x.length; i++)
            y[i] = x[i] > 0 ? x[i] : alpha * x[i];
    },
    wasm: { export: 'leakyRelu', args: ['alpha'] },
    backward: {
        ulp: 1, // alpha rounded to float32, then one multiply
        js: function (dy, x, dx, n, _a) {
            var alpha = _a.alpha;
            var a = Math.fround(alpha); // as the wasm kernels, which take alpha as a float32
            for (var i = 0; i < n; i++)
                dx[i] = x[i] > 0 ? dy[i] : dy[i] * a;
        },
        wasm: 'leakyReluBackward',
    },
});
