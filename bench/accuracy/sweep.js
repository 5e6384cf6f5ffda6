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
var __spreadArray = (this && this.__spreadArray) || function (to, from, pack) {
    if (pack || arguments.length === 2) for (var i = 0, l = from.length, ar; i < l; i++) {
        if (ar || !(i in from)) {
            if (!ar) ar = Array.prototype.slice.call(from, 0, i);
            ar[i] = from[i];
        }
    }
    return to.concat(ar || Array.prototype.slice.call(from));
};
Object.defineProperty(exports, "__esModule", { value: true });
exports.Sweeper = exports.BATCH = exports.BUCKET_LABELS = exports.BUCKET_EDGES = void 0;
exports.emptyStats = emptyStats;
exports.mergeStats = mergeStats;
exports.mismatches = mismatches;
exports.fromBits = fromBits;
exports.accumulate = accumulate;
// The core of `wasm-activations accuracy`: run an element-wise activation of the registry on
// float32 inputs given as bit patterns, compare each result with the definition's float64
// reference, and keep the statistics the report needs. Used by the sweep's workers (every
// pattern, 2^32) and, in sample mode, by the CI test (a stratified sample).
var instance_js_1 = require("../../src/instance.js");
var ulp_js_1 = require("../../src/ulp.js");
var inputs_js_1 = require("../inputs.js");
/** Upper edges of the histogram's buckets, in ULP: 0, ≤0.5, ≤1, ≤2, ≤4, and the rest. */
exports.BUCKET_EDGES = [0, 0.5, 1, 2, 4];
/** Labels of the buckets. */
exports.BUCKET_LABELS = ['0', '≤0.5', '≤1', '≤2', '≤4', '>4'];
/** Statistics of no inputs. */
function emptyStats() {
    return { count: 0, maxUlp: 0, maxAtBits: 0, histogram: exports.BUCKET_LABELS.map(function () { return 0; }), nanMismatch: 0, infMismatch: 0, signMismatch: 0, mismatchBits: [] };
}
/** The statistics of two disjoint sweeps together. */
function mergeStats(a, b) {
    var worse = b.maxUlp > a.maxUlp ? b : a;
    return {
        count: a.count + b.count,
        maxUlp: worse.maxUlp,
        maxAtBits: worse.maxAtBits,
        histogram: a.histogram.map(function (v, i) { return v + b.histogram[i]; }),
        nanMismatch: a.nanMismatch + b.nanMismatch,
        infMismatch: a.infMismatch + b.infMismatch,
        signMismatch: a.signMismatch + b.signMismatch,
        mismatchBits: __spreadArray(__spreadArray([], a.mismatchBits, true), b.mismatchBits, true).slice(0, 8),
    };
}
/** Mismatches of every kind. */
function mismatches(stats) {
    return stats.nanMismatch + stats.infMismatch + stats.signMismatch;
}
var scratch = new Float32Array(1);
var scratchBits = new Uint32Array(scratch.buffer);
/** The float32 with these bits. */
function fromBits(bits) {
    scratchBits[0] = bits >>> 0;
    return scratch[0];
}
function bucket(ulp) {
    for (var i = 0; i < exports.BUCKET_EDGES.length; i++)
        if (ulp <= exports.BUCKET_EDGES[i])
            return i;
    return exports.BUCKET_EDGES.length;
}
/** Adds the comparison of results y with the references of inputs x to `stats`. */
function accumulate(definition, params, x, y, stats, direction) {
    if (direction === void 0) { direction = 'forward'; }
    var bits = new Uint32Array(x.buffer, x.byteOffset, x.length);
    var exactOf = direction === 'forward' ? definition.reference : definition.derivative;
    for (var i = 0; i < x.length; i++) {
        var exact = exactOf(x[i], params);
        var got = y[i];
        var kind = null;
        if (Number.isNaN(exact) !== Number.isNaN(got))
            kind = 'nan';
        else if (!Number.isNaN(exact)) {
            var infinite = !Number.isFinite(exact) || !Number.isFinite(got);
            if (infinite && got !== exact && Math.fround(exact) !== got)
                kind = 'inf';
            else if (got !== 0 && exact !== 0 && (got < 0) !== (exact < 0))
                kind = 'sign';
        }
        if (kind) {
            if (kind === 'nan')
                stats.nanMismatch++;
            else if (kind === 'inf')
                stats.infMismatch++;
            else
                stats.signMismatch++;
            if (stats.mismatchBits.length < 8)
                stats.mismatchBits.push(bits[i]);
            continue;
        }
        var ulp = (0, ulp_js_1.ulpError)(got, exact);
        stats.histogram[bucket(ulp)]++;
        if (ulp > stats.maxUlp) {
            stats.maxUlp = ulp;
            stats.maxAtBits = bits[i];
        }
    }
    stats.count += x.length;
}
/** Floats per batch a sweeper runs at once. */
exports.BATCH = 1 << 20;
/**
 * Runs one definition on one backend over batches of bit patterns: its forward pass, or its
 * backward pass with dy = 1 (so dx is f'(x) itself, compared with the float64 derivative).
 */
var Sweeper = /** @class */ (function () {
    function Sweeper(definition, backend, direction) {
        if (direction === void 0) { direction = 'forward'; }
        this.definition = definition;
        this.backend = backend;
        this.direction = direction;
        this.x = new Float32Array(exports.BATCH);
        this.y = new Float32Array(exports.BATCH);
        this.ones = new Float32Array(exports.BATCH).fill(1);
        this.bits = new Uint32Array(this.x.buffer);
        this.activations = (0, instance_js_1.createActivationsSync)({ backend: backend });
        this.params = Object.fromEntries(Object.entries(definition.params).map(function (_a) {
            var k = _a[0], spec = _a[1];
            return [k, spec.default];
        }));
    }
    Sweeper.prototype.run = function (n, stats) {
        var x = this.x.subarray(0, n);
        var y = this.y.subarray(0, n);
        if (this.direction === 'forward') {
            var fn = this.activations[this.definition.name];
            fn(x, __assign(__assign({}, this.params), { out: y }));
        }
        else {
            var fn = this.activations["".concat(this.definition.name, "Backward")];
            fn(this.ones.subarray(0, n), x, __assign(__assign({}, this.params), { out: y }));
        }
        accumulate(this.definition, this.params, x, y, stats, this.direction);
    };
    /** Every bit pattern in [start, start + count) (count ≤ 2^32 − start). */
    Sweeper.prototype.range = function (start, count, stats) {
        if (stats === void 0) { stats = emptyStats(); }
        for (var done = 0; done < count; done += exports.BATCH) {
            var n = Math.min(exports.BATCH, count - done);
            for (var i = 0; i < n; i++)
                this.bits[i] = start + done + i;
            this.run(n, stats);
        }
        return stats;
    };
    /**
     * A stratified sample: `perStratum` patterns in each of the 512 strata of sign and exponent
     * (the first and last mantissa of each, the rest seeded-random), so every binade, both signs,
     * subnormals, infinities and NaNs are in.
     */
    Sweeper.prototype.sample = function (perStratum, seed, strata, stats) {
        if (strata === void 0) { strata = Array.from({ length: 512 }, function (_, s) { return s; }); }
        if (stats === void 0) { stats = emptyStats(); }
        var n = 0;
        for (var _i = 0, strata_1 = strata; _i < strata_1.length; _i++) {
            var stratum = strata_1[_i];
            var next = (0, inputs_js_1.mulberry32)(seed ^ Math.imul(stratum + 1, 0x9e3779b1));
            for (var k = 0; k < perStratum; k++) {
                var mantissa = k === 0 ? 0 : k === 1 ? 0x7fffff : next() & 0x7fffff;
                this.bits[n++] = ((stratum << 23) | mantissa) >>> 0;
                if (n === exports.BATCH) {
                    this.run(n, stats);
                    n = 0;
                }
            }
        }
        if (n)
            this.run(n, stats);
        return stats;
    };
    return Sweeper;
}());
exports.Sweeper = Sweeper;
