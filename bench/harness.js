"use strict";
// A small timing harness: warm up, calibrate a batch to a target duration, then time batches
// and keep the median and interquartile range. Hand-written rather than tinybench or mitata so
// that the CLI shipped in the package keeps zero runtime dependencies.
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
var __awaiter = (this && this.__awaiter) || function (thisArg, _arguments, P, generator) {
    function adopt(value) { return value instanceof P ? value : new P(function (resolve) { resolve(value); }); }
    return new (P || (P = Promise))(function (resolve, reject) {
        function fulfilled(value) { try { step(generator.next(value)); } catch (e) { reject(e); } }
        function rejected(value) { try { step(generator["throw"](value)); } catch (e) { reject(e); } }
        function step(result) { result.done ? resolve(result.value) : adopt(result.value).then(fulfilled, rejected); }
        step((generator = generator.apply(thisArg, _arguments || [])).next());
    });
};
var __generator = (this && this.__generator) || function (thisArg, body) {
    var _ = { label: 0, sent: function() { if (t[0] & 1) throw t[1]; return t[1]; }, trys: [], ops: [] }, f, y, t, g = Object.create((typeof Iterator === "function" ? Iterator : Object).prototype);
    return g.next = verb(0), g["throw"] = verb(1), g["return"] = verb(2), typeof Symbol === "function" && (g[Symbol.iterator] = function() { return this; }), g;
    function verb(n) { return function (v) { return step([n, v]); }; }
    function step(op) {
        if (f) throw new TypeError("Generator is already executing.");
        while (g && (g = 0, op[0] && (_ = 0)), _) try {
            if (f = 1, y && (t = op[0] & 2 ? y["return"] : op[0] ? y["throw"] || ((t = y["return"]) && t.call(y), 0) : y.next) && !(t = t.call(y, op[1])).done) return t;
            if (y = 0, t) op = [op[0] & 2, t.value];
            switch (op[0]) {
                case 0: case 1: t = op; break;
                case 4: _.label++; return { value: op[1], done: false };
                case 5: _.label++; y = op[1]; op = [0]; continue;
                case 7: op = _.ops.pop(); _.trys.pop(); continue;
                default:
                    if (!(t = _.trys, t = t.length > 0 && t[t.length - 1]) && (op[0] === 6 || op[0] === 2)) { _ = 0; continue; }
                    if (op[0] === 3 && (!t || (op[1] > t[0] && op[1] < t[3]))) { _.label = op[1]; break; }
                    if (op[0] === 6 && _.label < t[1]) { _.label = t[1]; t = op; break; }
                    if (t && _.label < t[2]) { _.label = t[2]; _.ops.push(op); break; }
                    if (t[2]) _.ops.pop();
                    _.trys.pop(); continue;
            }
            op = body.call(thisArg, _);
        } catch (e) { op = [6, e]; y = 0; } finally { f = t = 0; }
        if (op[0] & 5) throw op[1]; return { value: op[0] ? op[1] : void 0, done: true };
    }
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
exports.quantile = quantile;
exports.summarize = summarize;
exports.plan = plan;
exports.measure = measure;
exports.measureAsync = measureAsync;
/**
 * The q-quantile (0 ≤ q ≤ 1) of ascending `sorted`, interpolated linearly between the two
 * nearest ranks (R's type 7, NumPy's default). NaN for an empty list.
 */
function quantile(sorted, q) {
    if (sorted.length === 0)
        return NaN;
    var pos = (sorted.length - 1) * q;
    var lo = Math.floor(pos);
    var hi = Math.ceil(pos);
    return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
}
/** Median and quartiles of `values` (any order; not modified). */
function summarize(values) {
    var sorted = __spreadArray([], values, true).sort(function (a, b) { return a - b; });
    return { median: quantile(sorted, 0.5), q1: quantile(sorted, 0.25), q3: quantile(sorted, 0.75) };
}
/** Calls per batch and batch count from the cost of one call, as measured by the warm-up. */
function plan(perCallMs, budget) {
    var callsPerBatch = Math.max(1, Math.round(budget.batchMs / Math.max(perCallMs, 1e-6)));
    var batchMs = callsPerBatch * perCallMs;
    var fit = Math.floor(budget.maxCellMs / Math.max(batchMs, 1e-6));
    return { callsPerBatch: callsPerBatch, batches: Math.max(budget.minBatches, Math.min(budget.batches, fit)) };
}
function timing(perBatchMs, callsPerBatch, elements) {
    var perElement = perBatchMs.map(function (ms) { return (ms * 1e6) / (callsPerBatch * elements); });
    return __assign(__assign({}, summarize(perElement)), { samples: perElement.length, callsPerBatch: callsPerBatch });
}
/** Times `run` (one call processes `elements` elements) and reports ns per element. */
function measure(run, elements, budget) {
    // Warm-up, which also estimates the cost of one call.
    var calls = 0;
    var warmStart = performance.now();
    do {
        run();
        calls++;
    } while (performance.now() - warmStart < budget.warmupMs);
    var _a = plan((performance.now() - warmStart) / calls, budget), callsPerBatch = _a.callsPerBatch, batches = _a.batches;
    var perBatchMs = [];
    for (var b = 0; b < batches; b++) {
        var start = performance.now();
        for (var i = 0; i < callsPerBatch; i++)
            run();
        perBatchMs.push(performance.now() - start);
    }
    return timing(perBatchMs, callsPerBatch, elements);
}
/**
 * {@link measure} for an API that returns a promise (onnxruntime's `session.run`): each call is
 * awaited before the next, as a caller of that API would.
 */
function measureAsync(run, elements, budget) {
    return __awaiter(this, void 0, void 0, function () {
        var calls, warmStart, _a, callsPerBatch, batches, perBatchMs, b, start, i;
        return __generator(this, function (_b) {
            switch (_b.label) {
                case 0:
                    calls = 0;
                    warmStart = performance.now();
                    _b.label = 1;
                case 1: return [4 /*yield*/, run()];
                case 2:
                    _b.sent();
                    calls++;
                    _b.label = 3;
                case 3:
                    if (performance.now() - warmStart < budget.warmupMs) return [3 /*break*/, 1];
                    _b.label = 4;
                case 4:
                    _a = plan((performance.now() - warmStart) / calls, budget), callsPerBatch = _a.callsPerBatch, batches = _a.batches;
                    perBatchMs = [];
                    b = 0;
                    _b.label = 5;
                case 5:
                    if (!(b < batches)) return [3 /*break*/, 11];
                    start = performance.now();
                    i = 0;
                    _b.label = 6;
                case 6:
                    if (!(i < callsPerBatch)) return [3 /*break*/, 9];
                    return [4 /*yield*/, run()];
                case 7:
                    _b.sent();
                    _b.label = 8;
                case 8:
                    i++;
                    return [3 /*break*/, 6];
                case 9:
                    perBatchMs.push(performance.now() - start);
                    _b.label = 10;
                case 10:
                    b++;
                    return [3 /*break*/, 5];
                case 11: return [2 /*return*/, timing(perBatchMs, callsPerBatch, elements)];
            }
        });
    });
}
