"use strict";
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
Object.defineProperty(exports, "__esModule", { value: true });
exports.loadOrtWeb = loadOrtWeb;
exports.loadOrtNode = loadOrtNode;
// onnxruntime-web (its WebAssembly build, SIMD, one thread) and onnxruntime-node (native CPU
// execution provider, one intra-op thread) on one-node models built in memory. onnxruntime-web
// ignores a preallocated output tensor, so for both one timed call is the ordinary API end to
// end: an ort.Tensor over the Float32Array, `await session.run()`, and the output's data (a new
// Float32Array, copied out of the runtime's memory).
var node_path_1 = require("node:path");
var cases_js_1 = require("../cases.js");
var onnx_model_js_1 = require("./onnx-model.js");
/** The class name of onnxruntime-node's session handler (its dist is not minified). */
var NATIVE_HANDLER = 'OnnxruntimeSessionHandler';
/**
 * Whether a session runs on onnxruntime-node's native binding. Both packages share one
 * onnxruntime-common and its backend registry, where the first package to register 'cpu' keeps
 * it (a higher priority registered later does not replace it): onnxruntime-node must load first,
 * and every session is checked, so that no row is timed on the wrong runtime.
 */
function nativeHandler(session) {
    var _a, _b;
    return ((_b = (_a = session.handler) === null || _a === void 0 ? void 0 : _a.constructor) === null || _b === void 0 ? void 0 : _b.name) === NATIVE_HANDLER;
}
/** The registry's activations as one-node models (opset 13: Softmax along one axis, the last). */
function modelOf(definition, shape) {
    var params = (0, cases_js_1.defaults)(definition);
    switch (definition.name) {
        case 'relu': return { opType: 'Relu', shape: shape };
        case 'leakyRelu': return { opType: 'LeakyRelu', attributes: [{ name: 'alpha', float: params.alpha }], shape: shape };
        case 'sigmoid': return { opType: 'Sigmoid', shape: shape };
        case 'tanh': return { opType: 'Tanh', shape: shape };
        case 'softmax': return { opType: 'Softmax', attributes: [{ name: 'axis', int: -1 }], shape: shape };
        default: return undefined;
    }
}
function onnxImplementation(ort, id, label, sessionOptions, native) {
    return {
        id: id,
        label: label,
        kind: 'peer',
        note: "new ort.Tensor(Float32Array) \u2192 await session.run() \u2192 output .data: its API end to end".concat(native ? '' : ' (a preallocated output tensor is ignored by onnxruntime-web)'),
        supports: function (definition) { return modelOf(definition, [1]) !== undefined; },
        prepare: function (definition, x) {
            return __awaiter(this, void 0, void 0, function () {
                var shape, session, output;
                return __generator(this, function (_a) {
                    switch (_a.label) {
                        case 0:
                            shape = (0, cases_js_1.shapeOf)(definition, x.length);
                            return [4 /*yield*/, ort.InferenceSession.create((0, onnx_model_js_1.oneNodeModel)(modelOf(definition, shape)), sessionOptions)];
                        case 1:
                            session = _a.sent();
                            if (!(nativeHandler(session) !== native)) return [3 /*break*/, 3];
                            return [4 /*yield*/, session.release()];
                        case 2:
                            _a.sent();
                            throw new Error("".concat(id, ": the session runs on ").concat(native ? 'onnxruntime-web, not the native binding' : 'the native binding, not wasm'));
                        case 3:
                            output = new Float32Array(0);
                            return [2 /*return*/, {
                                    get output() {
                                        return output;
                                    },
                                    runAsync: function () {
                                        return __awaiter(this, void 0, void 0, function () {
                                            var results;
                                            var _a;
                                            return __generator(this, function (_b) {
                                                switch (_b.label) {
                                                    case 0: return [4 /*yield*/, session.run((_a = {}, _a[onnx_model_js_1.INPUT_NAME] = new ort.Tensor('float32', x, shape), _a))];
                                                    case 1:
                                                        results = _b.sent();
                                                        output = results[onnx_model_js_1.OUTPUT_NAME].data;
                                                        return [2 /*return*/];
                                                }
                                            });
                                        });
                                    },
                                    dispose: function () { return session.release(); },
                                }];
                    }
                });
            });
        },
    };
}
/** onnxruntime-web's wasm backend in this process: SIMD build, numThreads = 1 (no workers), no proxy. */
function loadOrtWeb(peers) {
    return __awaiter(this, void 0, void 0, function () {
        var ort, version;
        var _a;
        return __generator(this, function (_b) {
            ort = peers.require('onnxruntime-web');
            ort.env.wasm.numThreads = 1;
            ort.env.wasm.simd = true;
            ort.env.wasm.proxy = false;
            // Its .wasm and .mjs from its own dist folder (a file path prefix; no fetch).
            ort.env.wasm.wasmPaths = "".concat((0, node_path_1.join)(peers.packageDir('onnxruntime-web'), 'dist'), "/");
            ort.env.logLevel = 'error';
            version = (_a = ort.env.versions.web) !== null && _a !== void 0 ? _a : peers.version('onnxruntime-web');
            return [2 /*return*/, {
                    implementation: onnxImplementation(ort, 'ort-web', "onnxruntime-web ".concat(version, " (wasm SIMD, 1 thread)"), {
                        executionProviders: ['wasm'],
                        graphOptimizationLevel: 'all',
                    }, false),
                    versions: { 'onnxruntime-web': version },
                    settings: { executionProviders: ['wasm'], numThreads: 1, simd: true, proxy: false },
                }];
        });
    });
}
/** onnxruntime-node: the native CPU execution provider, intraOpNumThreads = interOpNumThreads = 1. */
function loadOrtNode(peers) {
    return __awaiter(this, void 0, void 0, function () {
        var ort, version, options;
        var _a;
        return __generator(this, function (_b) {
            ort = peers.require('onnxruntime-node');
            ort.env.logLevel = 'error';
            version = (_a = ort.env.versions.node) !== null && _a !== void 0 ? _a : peers.version('onnxruntime-node');
            options = {
                executionProviders: ['cpu'],
                intraOpNumThreads: 1,
                interOpNumThreads: 1,
                executionMode: 'sequential',
                graphOptimizationLevel: 'all',
            };
            return [2 /*return*/, {
                    implementation: onnxImplementation(ort, 'ort-node', "onnxruntime-node ".concat(version, " (native CPU, 1 thread)"), options, true),
                    versions: { 'onnxruntime-node': version },
                    settings: options,
                }];
        });
    });
}
