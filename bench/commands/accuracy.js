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
exports.ACCURACY_HELP = void 0;
exports.accuracyCommand = accuracyCommand;
// `wasm-activations accuracy`: every float32 bit pattern (or a stratified sample) through each
// element-wise activation on each backend, against the float64 reference; writes
// docs/accuracy.json, the README's accuracy table, and exits 1 when a bound is broken.
var node_fs_1 = require("node:fs");
var node_os_1 = require("node:os");
var node_path_1 = require("node:path");
var node_util_1 = require("node:util");
var node_worker_threads_1 = require("node:worker_threads");
var registry_js_1 = require("../../src/registry.js");
var report_js_1 = require("../accuracy/report.js");
var sweep_js_1 = require("../accuracy/sweep.js");
var progress_js_1 = require("../progress.js");
var bench_js_1 = require("./bench.js");
var BACKENDS = ['wasm-simd', 'wasm-scalar', 'js'];
var ELEMENTWISE = Object.values(registry_js_1.definitions).filter(function (d) { return d.kind === 'elementwise'; }).map(function (d) { return d.name; });
/** The command's help text. */
exports.ACCURACY_HELP = "Usage: wasm-activations accuracy [options]   (npm run accuracy -- [options])\n\nRuns every float32 bit pattern (2^32, NaNs included) through each element-wise activation on each\nbackend, in parallel worker threads, and compares every result with the float64 reference:\nmax error in ULP and where, a histogram (0, \u22640.5, \u22641, \u22642, \u22644, >4 ULP), NaN/infinity/sign\nmismatches. Updates docs/accuracy.json (only the entries swept) and the README's table; exits\n1 when a bound is broken.\n\nOptions:\n  --fn NAME        only this function (repeatable); default: ".concat(ELEMENTWISE.join(', '), "\n  --backend NAME   only this backend (repeatable); default: ").concat(BACKENDS.join(', '), "\n  --direction D    forward, backward (dx with dy = 1, against the float64 derivative) or both\n                   (default: both); backward entries are reported as <name>Backward\n  --sample N       a stratified sample of about N inputs per function instead of all 2^32\n                   (every sign and exponent; the first and last mantissa of each)\n  --workers N      worker threads (default: the available cores)\n  --out FILE       the JSON report (default docs/accuracy.json); the README beside it is updated\n  --no-write       print the table only\n  -h, --help       this text");
function runJobs(fn, backend, direction, jobs, workers, onDone) {
    return new Promise(function (resolve, reject) {
        var total = (0, sweep_js_1.emptyStats)();
        var next = 0;
        var running = 0;
        var pool = [];
        var finish = function (error) {
            for (var _i = 0, pool_1 = pool; _i < pool_1.length; _i++) {
                var w = pool_1[_i];
                void w.terminate();
            }
            if (error)
                reject(error);
            else
                resolve(total);
        };
        var feed = function (worker) {
            if (next < jobs.length) {
                running++;
                worker.postMessage(jobs[next++]);
            }
            else if (running === 0)
                finish();
        };
        var _loop_1 = function (i) {
            var worker = new node_worker_threads_1.Worker(new URL('../accuracy/worker.js', import.meta.url), { workerData: { fn: fn, backend: backend, direction: direction } });
            pool.push(worker);
            worker.on('message', function (stats) {
                running--;
                total = (0, sweep_js_1.mergeStats)(total, stats);
                onDone(stats.count);
                feed(worker);
            });
            worker.on('error', finish);
            worker.on('exit', function (code) {
                if (code !== 0 && (next < jobs.length || running > 0))
                    finish(new Error("an accuracy worker exited with code ".concat(code)));
            });
            feed(worker);
        };
        for (var i = 0; i < Math.min(workers, jobs.length); i++) {
            _loop_1(i);
        }
    });
}
/** Runs the command on its arguments. */
function accuracyCommand(argv) {
    return __awaiter(this, void 0, void 0, function () {
        var values, fns, _i, fns_1, fn, backends, _a, backends_1, b, directions, _b, directions_1, d, sample, workers, jobs, perCombo, combos, bar, out, previous, results, failed, keys, _c, directions_2, direction, _d, fns_2, fn, definition, key, _e, backends_2, backend, started, stats, seconds, bound, entry, verdict, report, readme;
        var _f, _g, _h, _j;
        return __generator(this, function (_k) {
            switch (_k.label) {
                case 0:
                    try {
                        (values = (0, node_util_1.parseArgs)({
                            args: __spreadArray([], argv, true),
                            options: {
                                fn: { type: 'string', multiple: true },
                                backend: { type: 'string', multiple: true },
                                sample: { type: 'string' },
                                direction: { type: 'string', default: 'both' },
                                workers: { type: 'string' },
                                out: { type: 'string', default: 'docs/accuracy.json' },
                                'no-write': { type: 'boolean', default: false },
                                help: { type: 'boolean', short: 'h', default: false },
                            },
                        }).values);
                    }
                    catch (error) {
                        throw new bench_js_1.UsageError(error.message);
                    }
                    if (values.help) {
                        console.log(exports.ACCURACY_HELP);
                        return [2 /*return*/];
                    }
                    fns = (_f = values.fn) !== null && _f !== void 0 ? _f : ELEMENTWISE;
                    for (_i = 0, fns_1 = fns; _i < fns_1.length; _i++) {
                        fn = fns_1[_i];
                        if (!ELEMENTWISE.includes(fn))
                            throw new bench_js_1.UsageError("--fn: '".concat(fn, "' is not an element-wise activation; known: ").concat(ELEMENTWISE.join(', ')));
                    }
                    backends = ((_g = values.backend) !== null && _g !== void 0 ? _g : BACKENDS);
                    for (_a = 0, backends_1 = backends; _a < backends_1.length; _a++) {
                        b = backends_1[_a];
                        if (!BACKENDS.includes(b))
                            throw new bench_js_1.UsageError("--backend: unknown '".concat(b, "'"));
                    }
                    directions = values.direction === 'both' ? ['forward', 'backward'] : [values.direction];
                    for (_b = 0, directions_1 = directions; _b < directions_1.length; _b++) {
                        d = directions_1[_b];
                        if (d !== 'forward' && d !== 'backward')
                            throw new bench_js_1.UsageError("--direction must be forward, backward or both; got ".concat(values.direction));
                    }
                    sample = values.sample === undefined ? undefined : Number(values.sample);
                    if (sample !== undefined && !(Number.isSafeInteger(sample) && sample >= 1024))
                        throw new bench_js_1.UsageError('--sample must be an integer ≥ 1024');
                    workers = values.workers === undefined ? (0, node_os_1.availableParallelism)() : Number(values.workers);
                    if (!(Number.isSafeInteger(workers) && workers >= 1))
                        throw new bench_js_1.UsageError('--workers must be a positive integer');
                    jobs = sample === undefined
                        ? Array.from({ length: 256 }, function (_, k) { return ({ kind: 'range', start: k * Math.pow(2, 24), count: Math.pow(2, 24) }); })
                        : Array.from({ length: 16 }, function (_, g) { return ({
                            kind: 'sample', strata: Array.from({ length: 32 }, function (_, i) { return g * 32 + i; }), perStratum: Math.ceil(sample / 512), seed: 0xacc,
                        }); });
                    perCombo = sample === undefined ? Math.pow(2, 32) : 512 * Math.ceil(sample / 512);
                    combos = fns.length * backends.length * directions.length;
                    bar = new progress_js_1.ProgressBar(process.stderr, perCombo * combos, jobs.length * combos);
                    out = values.out;
                    previous = (0, node_fs_1.existsSync)(out) ? JSON.parse((0, node_fs_1.readFileSync)(out, 'utf8')) : undefined;
                    results = structuredClone((_h = previous === null || previous === void 0 ? void 0 : previous.results) !== null && _h !== void 0 ? _h : {});
                    failed = 0;
                    keys = [];
                    _c = 0, directions_2 = directions;
                    _k.label = 1;
                case 1:
                    if (!(_c < directions_2.length)) return [3 /*break*/, 8];
                    direction = directions_2[_c];
                    _d = 0, fns_2 = fns;
                    _k.label = 2;
                case 2:
                    if (!(_d < fns_2.length)) return [3 /*break*/, 7];
                    fn = fns_2[_d];
                    definition = registry_js_1.definitions[fn];
                    key = direction === 'forward' ? fn : "".concat(fn, "Backward");
                    keys.push(key);
                    _e = 0, backends_2 = backends;
                    _k.label = 3;
                case 3:
                    if (!(_e < backends_2.length)) return [3 /*break*/, 6];
                    backend = backends_2[_e];
                    bar.start("".concat(key, " on ").concat(backend));
                    started = performance.now();
                    return [4 /*yield*/, runJobs(fn, backend, direction, jobs, workers, function (n) { return bar.finish(n); })];
                case 4:
                    stats = _k.sent();
                    seconds = (performance.now() - started) / 1000;
                    bound = direction === 'forward' ? definition.ulp : definition.backward.ulp;
                    entry = __assign(__assign({}, stats), { mode: sample === undefined ? 'exhaustive' : 'sample', bound: bound, date: new Date().toISOString(), seconds: seconds });
                    ((_j = results[key]) !== null && _j !== void 0 ? _j : (results[key] = {}))[backend] = entry;
                    verdict = (0, report_js_1.passes)(entry) ? 'ok' : 'BOUND BROKEN';
                    bar.log("".concat(key, " on ").concat(backend, ": max ").concat(entry.maxUlp.toFixed(3), " ULP at x = ").concat((0, sweep_js_1.fromBits)(entry.maxAtBits), " (bound ").concat(entry.bound, "), mismatches ").concat(entry.nanMismatch, "/").concat(entry.infMismatch, "/").concat(entry.signMismatch, ", ").concat(seconds.toFixed(0), " s: ").concat(verdict));
                    if (!(0, report_js_1.passes)(entry))
                        failed++;
                    _k.label = 5;
                case 5:
                    _e++;
                    return [3 /*break*/, 3];
                case 6:
                    _d++;
                    return [3 /*break*/, 2];
                case 7:
                    _c++;
                    return [3 /*break*/, 1];
                case 8:
                    bar.clear();
                    report = { node: process.version, arch: process.arch, results: results };
                    console.log((0, report_js_1.accuracyTable)(__assign(__assign({}, report), { results: Object.fromEntries(keys.map(function (key) { return [key, Object.fromEntries(backends.map(function (b) { return [b, results[key][b]]; }))]; })) })));
                    if (!values['no-write']) {
                        (0, node_fs_1.mkdirSync)((0, node_path_1.dirname)(out), { recursive: true });
                        (0, node_fs_1.writeFileSync)(out, "".concat(JSON.stringify(report, null, 2), "\n"));
                        (0, node_fs_1.writeFileSync)(out.replace(/\.json$/, '.md'), "".concat((0, report_js_1.accuracyTable)(report), "\n"));
                        readme = new URL('../../../README.md', import.meta.url);
                        if ((0, node_fs_1.existsSync)(readme))
                            (0, node_fs_1.writeFileSync)(readme, (0, report_js_1.renderAccuracySection)((0, node_fs_1.readFileSync)(readme, 'utf8'), report));
                        console.log("\nwrote ".concat(out, ", ").concat(out.replace(/\.json$/, '.md'), " and the README's accuracy table"));
                    }
                    if (failed) {
                        process.exitCode = 1;
                        console.error("".concat(failed, " function \u00D7 backend combination(s) broke their bound"));
                    }
                    return [2 /*return*/];
            }
        });
    });
}
