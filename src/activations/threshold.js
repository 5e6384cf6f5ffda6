"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.threshold = void 0;
var spec_js_1 = require("../spec.js");
var f = Math.fround;
/** Threshold: x > threshold ? x : value. Both params required, as in PyTorch. */
exports.threshold = (0, spec_js_1.defineElementwise)({
    name: 'threshold',
    torch: 'torch.nn.functional.threshold',
    formula: 'x > threshold ? x : value',
    summary: 'Replaces every value at or below a threshold by a constant.',
    // No defaults in PyTorch: the numbers are only the tests' and docs' example values.
    params: { threshold: (0, spec_js_1.requiredFloat32Param)(0.5), value: (0, spec_js_1.requiredFloat32Param)(-1) },
    ulp: 0,
    ulpNote: 'exact: x or the float32-rounded value (measured 0 ULP)',
    plotDomain: [-4, 4],
    // PyTorch's kernel: x <= threshold ? value : x, so NaN stays NaN.
    reference: function (x, _a) {
        var t = _a.threshold, value = _a.value;
        return (x <= f(t) ? f(value) : x);
    },
    // PyTorch's threshold_backward: x <= threshold ? 0 : dy; a NaN x passes dy.
    derivative: function (x, _a) {
        var t = _a.threshold;
        return (x <= f(t) ? 0 : 1);
    },
    js: function (src, dst, n, _a) {
        var t = _a.threshold, value = _a.value;
        var th = f(t);
        var v = f(value);
        for (var i = 0; i < n; i++) {
            var s = src[i];
            dst[i] = s <= th ? v : s;
        }
    },
    naive: function (x, y, _a) {
        var t = _a.threshold, value = _a.value;
        for (var i = 0; i < x.length; i++)
            y[i] = x[i] > t ? x[i] : value;
    },
    wasm: { export: 'threshold', args: ['threshold', 'value'] },
    backward: {
        ulp: 0, // a select (measured 0 ULP)
        js: function (dy, x, dx, n, _a) {
            var t = _a.threshold;
            var th = f(t);
            for (var i = 0; i < n; i++)
                dx[i] = x[i] <= th ? 0 : dy[i];
        },
        wasm: 'thresholdBackward',
    },
});
