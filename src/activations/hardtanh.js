"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.hardtanh = void 0;
var spec_js_1 = require("../spec.js");
var f = Math.fround;
/** Hardtanh: min(max(x, minVal), maxVal). */
exports.hardtanh = (0, spec_js_1.defineElementwise)({
    name: 'hardtanh',
    torch: 'torch.nn.functional.hardtanh (min_val, max_val → minVal, maxVal)',
    formula: 'min(max(x, minVal), maxVal)',
    summary: 'tanh\'s cheap piecewise-linear stand-in: x clamped to [minVal, maxVal].',
    params: { minVal: (0, spec_js_1.float32Param)(-1), maxVal: (0, spec_js_1.float32Param)(1) },
    checkParams: function (_a) {
        var minVal = _a.minVal, maxVal = _a.maxVal;
        return minVal <= maxVal ? null : "minVal must be <= maxVal; got minVal = ".concat(minVal, ", maxVal = ").concat(maxVal);
    },
    ulp: 0,
    ulpNote: 'exact: x or a float32-rounded bound (measured 0 ULP)',
    plotDomain: [-4, 4],
    // The kernels take the params as float32. NaN stays NaN, -0 stays -0 (both compares false).
    reference: function (x, _a) {
        var minVal = _a.minVal, maxVal = _a.maxVal;
        var lo = f(minVal);
        var hi = f(maxVal);
        return x < lo ? lo : x > hi ? hi : x;
    },
    // PyTorch's hardtanh_backward: (x <= min || x >= max) ? 0 : dy; a NaN x passes dy.
    derivative: function (x, _a) {
        var minVal = _a.minVal, maxVal = _a.maxVal;
        return (x <= f(minVal) || x >= f(maxVal) ? 0 : 1);
    },
    js: function (src, dst, n, _a) {
        var minVal = _a.minVal, maxVal = _a.maxVal;
        var lo = f(minVal);
        var hi = f(maxVal);
        for (var i = 0; i < n; i++) {
            var v = src[i];
            dst[i] = v < lo ? lo : v > hi ? hi : v;
        }
    },
    naive: function (x, y, _a) {
        var minVal = _a.minVal, maxVal = _a.maxVal;
        for (var i = 0; i < x.length; i++)
            y[i] = Math.min(Math.max(x[i], minVal), maxVal);
    },
    wasm: { export: 'hardtanh', args: ['minVal', 'maxVal'] },
    backward: {
        ulp: 0, // a select (measured 0 ULP)
        js: function (dy, x, dx, n, _a) {
            var minVal = _a.minVal, maxVal = _a.maxVal;
            var lo = f(minVal);
            var hi = f(maxVal);
            for (var i = 0; i < n; i++)
                dx[i] = x[i] <= lo || x[i] >= hi ? 0 : dy[i];
        },
        wasm: 'hardtanhBackward',
    },
});
