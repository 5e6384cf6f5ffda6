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
exports.loadTfjs = loadTfjs;
// TensorFlow.js on its WebAssembly backend (XNNPACK kernels), SIMD build, one thread, its .wasm
// files read from bench/peers/node_modules. tfjs has no preallocated output: one timed call is
// its ordinary API end to end — a tensor from the Float32Array (copied into wasm memory), the
// op, dataSync() (copied back out into a new Float32Array) and dispose() of both tensors.
var node_path_1 = require("node:path");
var cases_js_1 = require("../cases.js");
/** The registry's activations as tfjs ops (softmax over the last dimension, as our rows). */
var OPS = {
    relu: function (tf, x) { return tf.relu(x); },
    leakyRelu: function (tf, x, _a) {
        var alpha = _a.alpha;
        return tf.leakyRelu(x, alpha);
    },
    sigmoid: function (tf, x) { return tf.sigmoid(x); },
    tanh: function (tf, x) { return tf.tanh(x); },
    softmax: function (tf, x) { return tf.softmax(x, -1); },
};
/** Loads tfjs-core with the wasm backend (SIMD, one thread) and returns it as an implementation. */
function loadTfjs(peers) {
    return __awaiter(this, void 0, void 0, function () {
        var tf, wasm, dist, simd, threads, implementation;
        return __generator(this, function (_a) {
            switch (_a.label) {
                case 0:
                    tf = peers.require('@tensorflow/tfjs-core');
                    wasm = peers.require('@tensorflow/tfjs-backend-wasm');
                    dist = (0, node_path_1.join)(peers.packageDir('@tensorflow/tfjs-backend-wasm'), 'dist');
                    wasm.setWasmPaths(Object.fromEntries(['tfjs-backend-wasm.wasm', 'tfjs-backend-wasm-simd.wasm', 'tfjs-backend-wasm-threaded-simd.wasm'].map(function (f) { return [f, (0, node_path_1.join)(dist, f)]; })));
                    wasm.setThreadsCount(1);
                    return [4 /*yield*/, tf.setBackend('wasm')];
                case 1:
                    if (!(_a.sent()))
                        throw new Error('tfjs: the wasm backend failed to initialise');
                    return [4 /*yield*/, tf.ready()];
                case 2:
                    _a.sent();
                    return [4 /*yield*/, tf.env().getAsync('WASM_HAS_SIMD_SUPPORT')];
                case 3:
                    simd = (_a.sent()) === true;
                    return [4 /*yield*/, tf.env().getAsync('WASM_HAS_MULTITHREAD_SUPPORT')];
                case 4:
                    threads = (_a.sent()) === true;
                    if (!simd)
                        throw new Error('tfjs: WASM_HAS_SIMD_SUPPORT is false here; the benchmark compares SIMD builds');
                    implementation = {
                        id: 'tfjs-wasm',
                        label: "tfjs-backend-wasm ".concat(wasm.version_wasm, " (SIMD, 1 thread)"),
                        kind: 'peer',
                        note: 'tf.tensor(Float32Array) → op → dataSync() → dispose(): its API end to end (no preallocated output in tfjs)',
                        supports: function (definition) { return definition.name in OPS; },
                        prepare: function (definition, x) {
                            var op = OPS[definition.name];
                            var shape = (0, cases_js_1.shapeOf)(definition, x.length);
                            var params = (0, cases_js_1.defaults)(definition);
                            var output = new Float32Array(0);
                            return {
                                get output() {
                                    return output;
                                },
                                run: function () {
                                    var input = tf.tensor(x, shape, 'float32');
                                    var result = op(tf, input, params);
                                    output = result.dataSync();
                                    input.dispose();
                                    result.dispose();
                                },
                            };
                        },
                    };
                    return [2 /*return*/, {
                            implementation: implementation,
                            versions: { '@tensorflow/tfjs-core': tf.version_core, '@tensorflow/tfjs-backend-wasm': wasm.version_wasm },
                            // In Node, tfjs-backend-wasm never uses threads (WASM_HAS_MULTITHREAD_SUPPORT is false there), so
                            // with SIMD it loads tfjs-backend-wasm-simd.wasm.
                            settings: { backend: tf.getBackend(), simd: simd, multithreadSupport: threads, threadsCount: wasm.getThreadsCount(), wasmFile: threads ? 'tfjs-backend-wasm-threaded-simd.wasm' : 'tfjs-backend-wasm-simd.wasm' },
                        }];
            }
        });
    });
}
