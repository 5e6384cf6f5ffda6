"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.softmax = void 0;
var spec_js_1 = require("../spec.js");
/** Softmax along one dimension: e^x_i / sum_j e^x_j. */
exports.softmax = (0, spec_js_1.defineReduction)({
    name: 'softmax',
    torch: 'torch.nn.functional.softmax',
    formula: 'e^(x_i − max) / Σ_j e^(x_j − max)',
    summary: 'Turns logits into probabilities that sum to 1: multi-class outputs.',
    params: {},
    ulp: 8,
    ulpNote: 'per element, rows up to 1024: exact x − max, float64 sum',
    plotDomain: [-4, 4],
    // Log-sum-exp form, a different computation from the js backend's quotient:
    // e^((x_i - max) - log Σ e^(x_j - max)). The difference x_i - max is taken first (exact in
    // float64 for float32 inputs of similar size, and never absorbing log Σ, which is in [0, log n]).
    reference: function (slice) {
        var max = -Infinity;
        for (var _i = 0, slice_1 = slice; _i < slice_1.length; _i++) {
            var v = slice_1[_i];
            max = Math.max(max, v);
        } // Math.max: NaN in gives NaN
        var sum = 0;
        for (var _a = 0, slice_2 = slice; _a < slice_2.length; _a++) {
            var v = slice_2[_a];
            sum += Math.exp(v - max);
        }
        var logSum = Math.log(sum);
        return slice.map(function (v) { return Math.exp(v - max - logSum); });
    },
    js: function (src, dst, outer, n, inner) {
        for (var o = 0; o < outer; o++) {
            for (var c = 0; c < inner; c++) {
                var base = o * n * inner + c;
                var end = base + n * inner;
                var max = -Infinity;
                for (var i = base; i < end; i += inner) {
                    var v = src[i];
                    max = max < v ? v : max; // skips NaN: the sum below catches it
                }
                var sum = 0;
                for (var i = base; i < end; i += inner) {
                    var e = Math.exp(src[i] - max);
                    dst[i] = e;
                    sum += e;
                }
                // dst holds e rounded to float32 (<= 0.5 ULP); one more rounding for the product.
                var inv = 1 / sum;
                for (var i = base; i < end; i += inner)
                    dst[i] *= inv;
            }
        }
    },
    naive: function (x, y, n) {
        // The tutorial's exp(x - max(x)) / sum, row by row.
        for (var r = 0; r < x.length; r += n) {
            var max = -Infinity;
            for (var i = r; i < r + n; i++)
                max = Math.max(max, x[i]);
            var sum = 0;
            for (var i = r; i < r + n; i++)
                sum += Math.exp(x[i] - max);
            for (var i = r; i < r + n; i++)
                y[i] = Math.exp(x[i] - max) / sum;
        }
    },
    wasm: { rows: 'softmax', strided: 'softmaxStrided' },
    backward: {
        ulp: 8,
        // y_i (dy_i − Σ_j dy_j y_j) with the sum as an unevaluated pair sum + c (Neumaier), and
        // dy_i − Σ as (dy_i − sum) − c: exact to float64's relative precision even where dy_i − Σ
        // cancels (a plain float64 Σ would be off by 2^-53 |Σ| there). NaN anywhere in the slice
        // gives a NaN slice; an infinite Σ gives y_i (dy_i − Σ) as the plain formula.
        reference: function (dySlice, ySlice) {
            var sum = 0;
            var c = 0;
            for (var j = 0; j < dySlice.length; j++) {
                var p = dySlice[j] * ySlice[j]; // exact: a product of two float32 values
                var t = sum + p;
                c += Math.abs(sum) >= Math.abs(p) ? (sum - t) + p : (p - t) + sum;
                sum = t;
            }
            if (!Number.isFinite(sum))
                c = 0;
            return ySlice.map(function (y, j) { return y * ((dySlice[j] - sum) - c); });
        },
        js: function (dy, y, dx, outer, n, inner) {
            for (var o = 0; o < outer; o++) {
                for (var c = 0; c < inner; c++) {
                    var base = o * n * inner + c;
                    var end = base + n * inner;
                    // TwoSum-compensated float64 sum, as the wasm kernels (see assembly/softmax_backward.ts).
                    var hi = 0;
                    var lo = 0;
                    for (var i = base; i < end; i += inner) {
                        var p = dy[i] * y[i];
                        var t = hi + p;
                        var bb = t - hi;
                        lo += (hi - (t - bb)) + (p - bb);
                        hi = t;
                    }
                    if (!Number.isFinite(hi))
                        lo = 0;
                    for (var i = base; i < end; i += inner)
                        dx[i] = y[i] * ((dy[i] - hi) - lo);
                }
            }
        },
        wasm: { rows: 'softmaxBackward', strided: 'softmaxBackwardStrided' },
    },
});
