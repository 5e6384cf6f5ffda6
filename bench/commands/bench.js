"use strict";
var __extends = (this && this.__extends) || (function () {
    var extendStatics = function (d, b) {
        extendStatics = Object.setPrototypeOf ||
            ({ __proto__: [] } instanceof Array && function (d, b) { d.__proto__ = b; }) ||
            function (d, b) { for (var p in b) if (Object.prototype.hasOwnProperty.call(b, p)) d[p] = b[p]; };
        return extendStatics(d, b);
    };
    return function (d, b) {
        if (typeof b !== "function" && b !== null)
            throw new TypeError("Class extends value " + String(b) + " is not a constructor or null");
        extendStatics(d, b);
        function __() { this.constructor = d; }
        d.prototype = b === null ? Object.create(b) : (__.prototype = b.prototype, new __());
    };
})();
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
exports.HELP = exports.BUDGETS = exports.PER_CALL_N = exports.UsageError = void 0;
exports.parseSize = parseSize;
exports.parseBenchArgs = parseBenchArgs;
exports.timeCell = timeCell;
exports.runBenchmark = runBenchmark;
exports.benchCommand = benchCommand;
// `wasm-activations bench` (= `npm run bench`): every activation in the registry at several
// sizes, through the naive JS loop of the tutorial's formula, the package's backends (copying API
// and zero-copy), the limits, and with --peers tfjs-backend-wasm, onnxruntime-web and
// onnxruntime-node, side by side in one process.
var node_fs_1 = require("node:fs");
var node_path_1 = require("node:path");
var node_url_1 = require("node:url");
var node_util_1 = require("node:util");
var instance_js_1 = require("../../src/instance.js");
var registry_js_1 = require("../../src/registry.js");
var cases_js_1 = require("../cases.js");
var harness_js_1 = require("../harness.js");
var inputs_js_1 = require("../inputs.js");
var limits_js_1 = require("../limits.js");
var progress_js_1 = require("../progress.js");
var report_js_1 = require("../report.js");
var results_js_1 = require("../results.js");
var svg_js_1 = require("../svg.js");
/** A command-line mistake: printed with a pointer to --help, exit code 2. */
var UsageError = /** @class */ (function (_super) {
    __extends(UsageError, _super);
    function UsageError() {
        var _this = _super !== null && _super.apply(this, arguments) || this;
        _this.name = 'UsageError';
        return _this;
    }
    return UsageError;
}(Error));
exports.UsageError = UsageError;
var PACKAGE_BACKENDS = ['js', 'wasm-scalar', 'wasm-simd'];
/** Implementation ids --backend accepts, besides the package's backends. */
var PEER_IDS = ['tfjs-wasm', 'ort-web', 'ort-node'];
var ROW_IDS = __spreadArray(__spreadArray(__spreadArray([], PACKAGE_BACKENDS, true), ['zero-copy'], false), PEER_IDS, true);
var DEFAULT_SIZES = [4096, 65536, 1048576, 16777216];
var QUICK_SIZES = [4096, 65536, 1048576];
/** The input length at which the per-call cost is measured. */
exports.PER_CALL_N = 16;
/** The input's seed (each size adds its length) and range. */
var SEED = 0x5eed;
var RANGE = [-6, 6];
/** The untimed warm-up of each implementation × function before the first cell. */
var WARMUP_N = 4096;
var WARMUP_MS = 40;
/** A peer's output this far off (or NaN) is a broken adapter or a wrong answer, not a rounding difference: not timed. */
var GARBAGE_ULP = Math.pow(2, 20);
exports.BUDGETS = {
    default: { warmupMs: 40, batchMs: 20, batches: 7, maxCellMs: 300, minBatches: 5 },
    quick: { warmupMs: 25, batchMs: 12, batches: 7, maxCellMs: 250, minBatches: 5 },
    perCall: { warmupMs: 20, batchMs: 5, batches: 11, maxCellMs: 60, minBatches: 7 },
};
exports.HELP = "Usage: wasm-activations bench [options]\n       npm run bench -- [options]\n\nTimes every activation on the naive JS loop of its formula, on each backend of the package\n(copying API into a preallocated out) and on wasm-simd zero-copy (x and out buffers of its wasm\nmemory); beside them the limits (TypedArray set into wasm memory and back; wasm memory.copy of\nthe same bytes) and the cost of one call at n = ".concat(exports.PER_CALL_N, ". With --peers, the same inputs through\ntfjs-backend-wasm (SIMD, 1 thread), onnxruntime-web (wasm SIMD, 1 thread) and onnxruntime-node\n(native CPU, 1 thread), each through its ordinary API end to end.\n\nMethod: one process; every implementation gets the same seeded input, uniform in [-6, 6];\nsoftmax runs over rows of ").concat(cases_js_1.ROW_LENGTH, ". Each output is checked against the float64 reference\nbefore it is timed (a wrong answer is reported, not timed; a peer outside our accuracy bound is\ntimed and marked *). Then warm-up, calibrated batches, and per cell the median and the\ninterquartile range of the batches.\n\nOptions:\n  --fn NAME        only this function (repeatable): ").concat(Object.keys(registry_js_1.definitions).join(', '), "\n  --size N         only this size in elements (repeatable; 65536, 64Ki, 1Mi \u2026; a multiple of\n                   ").concat(cases_js_1.ROW_LENGTH, " above ").concat(cases_js_1.ROW_LENGTH, "); default 4Ki, 64Ki, 1Mi, 16Mi (without 16Mi with --quick)\n  --backend ID     only this row (repeatable): ").concat(ROW_IDS.join(', '), ";\n                   the naive loop and the limits always run; a peer id implies --peers\n  --quick          shorter timing budget and no 16Mi column (noisier; about 15 s)\n  --peers          also time the peers; installs them on first use into the bench/peers\n                   folder (npm ci --ignore-scripts from its own lock; never a dependency\n                   of wasm-activations)\n  --json FILE      also write every cell, the method, the machine and the versions as JSON\n  --svg FILE       also write a bar chart (log scale) as SVG\n  -h, --help       this text\n\nExamples:\n  npx wasm-activations bench --quick\n  npm run bench -- --peers --json results.json --svg results.svg\n  npm run bench -- --fn sigmoid --size 1Mi --backend wasm-simd --backend zero-copy");
/** '65536', '64Ki', '1Mi', '16M' → elements. */
function parseSize(text) {
    var _a;
    var match = /^(\d+)\s*(Ki|K|Mi|M)?$/i.exec(text.trim());
    var unit = (_a = match === null || match === void 0 ? void 0 : match[2]) === null || _a === void 0 ? void 0 : _a.toLowerCase();
    var n = match ? Number(match[1]) * (unit === 'ki' || unit === 'k' ? 1024 : unit === 'mi' || unit === 'm' ? 1048576 : 1) : NaN;
    if (!Number.isSafeInteger(n) || n <= 0)
        throw new UsageError("--size must be a positive integer (or 64Ki, 1Mi \u2026); got '".concat(text, "'"));
    if (n > cases_js_1.ROW_LENGTH && n % cases_js_1.ROW_LENGTH !== 0)
        throw new UsageError("--size above ".concat(cases_js_1.ROW_LENGTH, " must be a multiple of ").concat(cases_js_1.ROW_LENGTH, " (softmax rows); got ").concat(n));
    if (n > Math.pow(2, 26))
        throw new UsageError("--size at most 64Mi elements; got ".concat(n));
    return n;
}
/** Parses the bench command's arguments (not including the command name). */
function parseBenchArgs(argv) {
    var _a, _b;
    var values;
    try {
        (values = (0, node_util_1.parseArgs)({
            args: __spreadArray([], argv, true),
            strict: true,
            allowPositionals: false,
            options: {
                fn: { type: 'string', multiple: true },
                size: { type: 'string', multiple: true },
                backend: { type: 'string', multiple: true },
                quick: { type: 'boolean', default: false },
                peers: { type: 'boolean', default: false },
                json: { type: 'string' },
                svg: { type: 'string' },
                help: { type: 'boolean', short: 'h', default: false },
            },
        }).values);
    }
    catch (error) {
        throw new UsageError(error.message);
    }
    var known = Object.keys(registry_js_1.definitions);
    var fns = (_a = values.fn) !== null && _a !== void 0 ? _a : known;
    for (var _i = 0, fns_1 = fns; _i < fns_1.length; _i++) {
        var fn = fns_1[_i];
        if (!known.includes(fn))
            throw new UsageError("unknown function '".concat(fn, "'; known: ").concat(known.join(', ')));
    }
    var sizes = values.size ? values.size.map(parseSize) : values.quick ? QUICK_SIZES : DEFAULT_SIZES;
    var chosen = (_b = values.backend) !== null && _b !== void 0 ? _b : [];
    for (var _c = 0, chosen_1 = chosen; _c < chosen_1.length; _c++) {
        var id = chosen_1[_c];
        if (!ROW_IDS.includes(id))
            throw new UsageError("unknown --backend '".concat(id, "'; known: ").concat(ROW_IDS.join(', ')));
    }
    var chosenPeers = chosen.filter(function (id) { return PEER_IDS.includes(id); });
    var chosenRows = chosen.filter(function (id) { return !PEER_IDS.includes(id); });
    // Without --backend: every package row. With only peers named: the package rows all the same.
    var rows = chosenRows.length ? chosenRows : __spreadArray(__spreadArray([], PACKAGE_BACKENDS, true), ['zero-copy'], false);
    var peers = chosenPeers.length ? chosenPeers : values.peers ? __spreadArray([], PEER_IDS, true) : [];
    return {
        help: values.help, fns: __spreadArray([], new Set(fns), true), sizes: __spreadArray([], new Set(sizes), true).sort(function (a, b) { return a - b; }), rows: ROW_IDS.filter(function (id) { return rows.includes(id); }),
        peers: peers,
        quick: values.quick, json: values.json, svg: values.svg,
    };
}
/** This package's folder and version, from the package.json above this file (source or dist). */
function packageInfo() {
    var _a;
    var dir = (0, node_path_1.dirname)((0, node_url_1.fileURLToPath)(import.meta.url));
    for (var i = 0; i < 5; i++, dir = (0, node_path_1.dirname)(dir)) {
        var file = (0, node_path_1.join)(dir, 'package.json');
        if (!(0, node_fs_1.existsSync)(file))
            continue;
        var manifest = JSON.parse((0, node_fs_1.readFileSync)(file, 'utf8'));
        if (manifest.name === 'wasm-activations')
            return { dir: dir, version: (_a = manifest.version) !== null && _a !== void 0 ? _a : 'unknown' };
    }
    return { version: 'unknown' };
}
function info(impl) {
    return { id: impl.id, label: impl.label, kind: impl.kind, note: impl.note };
}
function timeRun(prepared, elements, budget) {
    return __awaiter(this, void 0, void 0, function () {
        return __generator(this, function (_a) {
            if (prepared.runAsync)
                return [2 /*return*/, (0, harness_js_1.measureAsync)(prepared.runAsync, elements, budget)];
            return [2 /*return*/, (0, harness_js_1.measure)(prepared.run, elements, budget)];
        });
    });
}
/**
 * Prepares `impl` on `x`, runs it once, checks its output against `exact`, and times it when
 * right: the naive loop and the package's rows must be within the bound (else an error cell);
 * a peer outside it is timed and marked.
 */
/** Calls `impl` on `x` for `ms` milliseconds, untimed; a failure shows up later, in its cells. */
function warmUp(impl, definition, x, ms) {
    return __awaiter(this, void 0, void 0, function () {
        var prepared, end, _a;
        var _b;
        return __generator(this, function (_c) {
            switch (_c.label) {
                case 0:
                    _c.trys.push([0, 8, , 9]);
                    return [4 /*yield*/, impl.prepare(definition, x)];
                case 1:
                    prepared = _c.sent();
                    end = performance.now() + ms;
                    _c.label = 2;
                case 2:
                    if (!(performance.now() < end)) return [3 /*break*/, 6];
                    if (!prepared.runAsync) return [3 /*break*/, 4];
                    return [4 /*yield*/, prepared.runAsync()];
                case 3:
                    _c.sent();
                    return [3 /*break*/, 5];
                case 4:
                    prepared.run();
                    _c.label = 5;
                case 5: return [3 /*break*/, 2];
                case 6: return [4 /*yield*/, ((_b = prepared.dispose) === null || _b === void 0 ? void 0 : _b.call(prepared))];
                case 7:
                    _c.sent();
                    return [3 /*break*/, 9];
                case 8:
                    _a = _c.sent();
                    return [3 /*break*/, 9];
                case 9: return [2 /*return*/];
            }
        });
    });
}
function timeCell(impl, definition, x, exact, unit, budget) {
    return __awaiter(this, void 0, void 0, function () {
        var base, prepared, err, bound, within, t, error_1;
        var _a, _b;
        return __generator(this, function (_c) {
            switch (_c.label) {
                case 0:
                    base = { fn: definition.name, size: x.length, impl: impl.id, unit: unit };
                    _c.label = 1;
                case 1:
                    _c.trys.push([1, 7, 8, 10]);
                    return [4 /*yield*/, impl.prepare(definition, x)];
                case 2:
                    prepared = _c.sent();
                    if (!prepared.runAsync) return [3 /*break*/, 4];
                    return [4 /*yield*/, prepared.runAsync()];
                case 3:
                    _c.sent();
                    return [3 /*break*/, 5];
                case 4:
                    prepared.run();
                    _c.label = 5;
                case 5:
                    err = (0, cases_js_1.maxError)(exact, x, prepared.output);
                    bound = impl.kind === 'naive' ? Math.max(definition.ulp, 1) : definition.ulp;
                    within = err.ulp <= bound;
                    if (!within && (impl.kind !== 'peer' || !(err.ulp <= GARBAGE_ULP))) {
                        return [2 /*return*/, __assign(__assign({}, base), { maxUlp: err.ulp, boundUlp: bound, error: "max error ".concat(err.ulp, " ULP at x = ").concat(err.at, " (bound ").concat(bound, ")") })];
                    }
                    return [4 /*yield*/, timeRun(prepared, unit === 'ns/call' ? 1 : x.length, budget)];
                case 6:
                    t = _c.sent();
                    return [2 /*return*/, __assign(__assign(__assign({}, base), { median: t.median, q1: t.q1, q3: t.q3, samples: t.samples, callsPerBatch: t.callsPerBatch, maxUlp: err.ulp, boundUlp: bound }), (within ? {} : { outOfBound: true }))];
                case 7:
                    error_1 = _c.sent();
                    return [2 /*return*/, __assign(__assign({}, base), { maxUlp: NaN, error: "threw: ".concat((_a = error_1 === null || error_1 === void 0 ? void 0 : error_1.message) !== null && _a !== void 0 ? _a : String(error_1)) })];
                case 8: return [4 /*yield*/, ((_b = prepared === null || prepared === void 0 ? void 0 : prepared.dispose) === null || _b === void 0 ? void 0 : _b.call(prepared))];
                case 9:
                    _c.sent();
                    return [7 /*endfinally*/];
                case 10: return [2 /*return*/];
            }
        });
    });
}
/** Runs the benchmark the options describe and returns its results (progress on `progressStream`). */
function runBenchmark(options_1) {
    return __awaiter(this, arguments, void 0, function (options, progressStream) {
        var started, clock, budget, log, pkg, versions, impls, _i, PACKAGE_BACKENDS_1, backend, _a, _b, _c, _d, _e, _f, peerSettings, loadPeers, _g, _h, peer, floors, environment, tasks, fnDefs, perSize, inputs, exactOf, sizeWeight, _loop_1, _j, impls_1, impl, _loop_2, _k, _l, size, _loop_3, _m, fnDefs_1, definition, bar, cells, lastSize, _o, tasks_1, task, cell;
        var _this = this;
        if (progressStream === void 0) { progressStream = process.stderr; }
        return __generator(this, function (_p) {
            switch (_p.label) {
                case 0:
                    started = new Date();
                    clock = performance.now();
                    budget = options.quick ? exports.BUDGETS.quick : exports.BUDGETS.default;
                    log = function (line) { return progressStream.write("".concat(line, "\n")); };
                    pkg = packageInfo();
                    versions = { 'wasm-activations': pkg.version };
                    impls = [cases_js_1.naive];
                    _i = 0, PACKAGE_BACKENDS_1 = PACKAGE_BACKENDS;
                    _p.label = 1;
                case 1:
                    if (!(_i < PACKAGE_BACKENDS_1.length)) return [3 /*break*/, 4];
                    backend = PACKAGE_BACKENDS_1[_i];
                    if (!options.rows.includes(backend)) return [3 /*break*/, 3];
                    _b = (_a = impls).push;
                    _c = cases_js_1.packageImplementation;
                    return [4 /*yield*/, (0, instance_js_1.createActivations)({ backend: backend })];
                case 2:
                    _b.apply(_a, [_c.apply(void 0, [_p.sent()])]);
                    _p.label = 3;
                case 3:
                    _i++;
                    return [3 /*break*/, 1];
                case 4:
                    if (!options.rows.includes('zero-copy')) return [3 /*break*/, 6];
                    _e = (_d = impls).push;
                    _f = cases_js_1.zeroCopyImplementation;
                    return [4 /*yield*/, (0, instance_js_1.createActivations)({ backend: 'wasm-simd' })];
                case 5:
                    _e.apply(_d, [_f.apply(void 0, [_p.sent()])]);
                    _p.label = 6;
                case 6:
                    peerSettings = {};
                    if (!options.peers.length) return [3 /*break*/, 11];
                    return [4 /*yield*/, Promise.resolve().then(function () { return require('../peers/index.js'); })];
                case 7:
                    loadPeers = (_p.sent()).loadPeers;
                    _g = 0;
                    return [4 /*yield*/, loadPeers(options.peers, log)];
                case 8:
                    _h = _p.sent();
                    _p.label = 9;
                case 9:
                    if (!(_g < _h.length)) return [3 /*break*/, 11];
                    peer = _h[_g];
                    impls.push(peer.implementation);
                    Object.assign(versions, peer.versions);
                    peerSettings[peer.implementation.id] = peer.settings;
                    _p.label = 10;
                case 10:
                    _g++;
                    return [3 /*break*/, 9];
                case 11:
                    floors = (0, limits_js_1.limits)();
                    environment = (0, results_js_1.currentEnvironment)(versions, pkg.dir);
                    tasks = [];
                    fnDefs = options.fns.map(function (fn) { return registry_js_1.definitions[fn]; });
                    perSize = new Map();
                    inputs = function (size) {
                        var entry = perSize.get(size);
                        if (!entry) {
                            perSize.clear(); // one size in memory at a time (16Mi inputs and references are large)
                            entry = { x: (0, inputs_js_1.uniformFloats)(size, RANGE[0], RANGE[1], SEED + size), exact: new Map() };
                            perSize.set(size, entry);
                        }
                        return entry;
                    };
                    exactOf = function (definition, size) {
                        var entry = inputs(size);
                        var exact = entry.exact.get(definition.name);
                        if (!exact)
                            entry.exact.set(definition.name, (exact = (0, cases_js_1.referenceOf)(definition, entry.x)));
                        return exact;
                    };
                    sizeWeight = function (size) { return 1 + size / Math.pow(2, 22); };
                    _loop_1 = function (impl) {
                        var _loop_4 = function (definition) {
                            if (impl.supports && !impl.supports(definition))
                                return "continue";
                            tasks.push({
                                label: "warm-up: ".concat(definition.name, " on ").concat(impl.id),
                                weight: 0.1,
                                run: function () { return __awaiter(_this, void 0, void 0, function () {
                                    return __generator(this, function (_a) {
                                        switch (_a.label) {
                                            case 0: return [4 /*yield*/, warmUp(impl, definition, inputs(WARMUP_N).x, WARMUP_MS)];
                                            case 1:
                                                _a.sent();
                                                return [2 /*return*/, undefined];
                                        }
                                    });
                                }); },
                            });
                        };
                        for (var _q = 0, fnDefs_2 = fnDefs; _q < fnDefs_2.length; _q++) {
                            var definition = fnDefs_2[_q];
                            _loop_4(definition);
                        }
                    };
                    // Warm-up of every implementation on every function, untimed: the first call into a library
                    // (its JIT, its memory growing, a session's first run) must not land in the first cell.
                    for (_j = 0, impls_1 = impls; _j < impls_1.length; _j++) {
                        impl = impls_1[_j];
                        _loop_1(impl);
                    }
                    _loop_2 = function (size) {
                        var _loop_5 = function (definition) {
                            var _loop_7 = function (impl) {
                                if (impl.supports && !impl.supports(definition))
                                    return "continue";
                                tasks.push({
                                    label: "".concat(definition.name, " @ ").concat((0, report_js_1.formatSize)(size), " on ").concat(impl.id),
                                    weight: sizeWeight(size) * (impl.kind === 'peer' ? 1.3 : 1),
                                    run: function () { return timeCell(impl, definition, inputs(size).x, exactOf(definition, size), 'ns/element', budget); },
                                });
                            };
                            for (var _t = 0, impls_2 = impls; _t < impls_2.length; _t++) {
                                var impl = impls_2[_t];
                                _loop_7(impl);
                            }
                        };
                        for (var _r = 0, fnDefs_3 = fnDefs; _r < fnDefs_3.length; _r++) {
                            var definition = fnDefs_3[_r];
                            _loop_5(definition);
                        }
                        var _loop_6 = function (floor) {
                            tasks.push({
                                label: "".concat(floor.id, " @ ").concat((0, report_js_1.formatSize)(size)),
                                weight: sizeWeight(size),
                                run: function () { return __awaiter(_this, void 0, void 0, function () {
                                    var t;
                                    return __generator(this, function (_a) {
                                        t = (0, harness_js_1.measure)(floor.prepare(inputs(size).x), size, budget);
                                        return [2 /*return*/, { fn: 'limit', size: size, impl: floor.id, unit: 'ns/element', median: t.median, q1: t.q1, q3: t.q3, samples: t.samples, callsPerBatch: t.callsPerBatch, maxUlp: 0 }];
                                    });
                                }); },
                            });
                        };
                        for (var _s = 0, floors_1 = floors; _s < floors_1.length; _s++) {
                            var floor = floors_1[_s];
                            _loop_6(floor);
                        }
                    };
                    for (_k = 0, _l = options.sizes; _k < _l.length; _k++) {
                        size = _l[_k];
                        _loop_2(size);
                    }
                    _loop_3 = function (definition) {
                        var _loop_8 = function (impl) {
                            if (impl.supports && !impl.supports(definition))
                                return "continue";
                            tasks.push({
                                label: "".concat(definition.name, ", one call at n = ").concat(exports.PER_CALL_N, ", on ").concat(impl.id),
                                weight: 0.15,
                                run: function () { return timeCell(impl, definition, inputs(exports.PER_CALL_N).x, exactOf(definition, exports.PER_CALL_N), 'ns/call', exports.BUDGETS.perCall); },
                            });
                        };
                        for (var _u = 0, impls_3 = impls; _u < impls_3.length; _u++) {
                            var impl = impls_3[_u];
                            _loop_8(impl);
                        }
                    };
                    for (_m = 0, fnDefs_1 = fnDefs; _m < fnDefs_1.length; _m++) {
                        definition = fnDefs_1[_m];
                        _loop_3(definition);
                    }
                    bar = new progress_js_1.ProgressBar(progressStream, tasks.reduce(function (s, t) { return s + t.weight; }, 0), tasks.length);
                    cells = [];
                    lastSize = -1;
                    _o = 0, tasks_1 = tasks;
                    _p.label = 12;
                case 12:
                    if (!(_o < tasks_1.length)) return [3 /*break*/, 15];
                    task = tasks_1[_o];
                    bar.start(task.label);
                    return [4 /*yield*/, task.run()];
                case 13:
                    cell = _p.sent();
                    if (cell)
                        cells.push(cell);
                    bar.finish(task.weight);
                    if (cell && cell.size !== lastSize) {
                        if (lastSize >= 0 && !bar.live)
                            log("done: ".concat((0, report_js_1.formatSize)(lastSize), " (").concat(bar.state().count, "/").concat(tasks.length, " cells, ").concat(((performance.now() - clock) / 1000).toFixed(0), " s)"));
                        lastSize = cell.size;
                    }
                    _p.label = 14;
                case 14:
                    _o++;
                    return [3 /*break*/, 12];
                case 15:
                    bar.clear();
                    if (!bar.live)
                        log("done: all ".concat(tasks.length, " cells in ").concat(((performance.now() - clock) / 1000).toFixed(0), " s"));
                    return [2 /*return*/, {
                            schema: 1,
                            date: started.toISOString(),
                            durationSeconds: Math.round((performance.now() - clock) / 100) / 10,
                            args: [],
                            environment: environment,
                            method: __assign(__assign({ input: "uniform in [".concat(RANGE[0], ", ").concat(RANGE[1], "] (mulberry32, seed ").concat(SEED, " + n), the same for every implementation"), seed: SEED, rowLength: cases_js_1.ROW_LENGTH }, budget), { perCallN: exports.PER_CALL_N }),
                            fns: options.fns,
                            sizes: options.sizes,
                            implementations: impls.map(info),
                            limits: floors.map(function (l) { return ({ id: l.id, label: l.id, kind: 'limit', note: l.note }); }),
                            peerSettings: peerSettings,
                            cells: cells,
                        }];
            }
        });
    });
}
function write(file, text) {
    (0, node_fs_1.mkdirSync)((0, node_path_1.dirname)(file), { recursive: true });
    (0, node_fs_1.writeFileSync)(file, text);
}
/** The bench command: parse, run, print the report, write --json / --svg. */
function benchCommand(argv) {
    return __awaiter(this, void 0, void 0, function () {
        var options, results, _a;
        return __generator(this, function (_b) {
            switch (_b.label) {
                case 0:
                    options = parseBenchArgs(argv);
                    if (options.help) {
                        console.log(exports.HELP);
                        return [2 /*return*/];
                    }
                    _a = [{}];
                    return [4 /*yield*/, runBenchmark(options)];
                case 1:
                    results = __assign.apply(void 0, [__assign.apply(void 0, _a.concat([(_b.sent())])), { args: __spreadArray([], argv, true) }]);
                    console.log((0, report_js_1.formatReport)(results));
                    if (options.json) {
                        write(options.json, "".concat(JSON.stringify(results, null, 2), "\n"));
                        console.log("\nwrote ".concat(options.json));
                    }
                    if (options.svg) {
                        write(options.svg, (0, svg_js_1.renderSvg)((0, svg_js_1.chartFromResults)(results)));
                        console.log("wrote ".concat(options.svg));
                    }
                    return [2 /*return*/];
            }
        });
    });
}
