"use strict";
var __createBinding = (this && this.__createBinding) || (Object.create ? (function(o, m, k, k2) {
    if (k2 === undefined) k2 = k;
    var desc = Object.getOwnPropertyDescriptor(m, k);
    if (!desc || ("get" in desc ? !m.__esModule : desc.writable || desc.configurable)) {
      desc = { enumerable: true, get: function() { return m[k]; } };
    }
    Object.defineProperty(o, k2, desc);
}) : (function(o, m, k, k2) {
    if (k2 === undefined) k2 = k;
    o[k2] = m[k];
}));
var __exportStar = (this && this.__exportStar) || function(m, exports) {
    for (var p in m) if (p !== "default" && !Object.prototype.hasOwnProperty.call(exports, p)) __createBinding(exports, m, p);
};
Object.defineProperty(exports, "__esModule", { value: true });
exports.activationModule = exports.ReductionModule = exports.ElementwiseModule = exports.ActivationModule = exports.definitionList = exports.definitions = exports.thresholdBackward = exports.hardshrinkBackward = exports.softshrinkBackward = exports.softsignBackward = exports.hardswishBackward = exports.hardsigmoidBackward = exports.relu6Backward = exports.hardtanhBackward = exports.softmaxBackward = exports.tanhBackward = exports.sigmoidBackward = exports.leakyReluBackward = exports.reluBackward = exports.threshold = exports.hardshrink = exports.softshrink = exports.softsign = exports.hardswish = exports.hardsigmoid = exports.relu6 = exports.hardtanh = exports.softmax = exports.tanh = exports.sigmoid = exports.leakyRelu = exports.relu = exports.createActivationsSync = exports.createActivations = exports.ActivationBuffer = exports.memoryStats = exports.allocate = exports.backendInfo = exports.backend = exports.initSync = exports.init = void 0;
// wasm-activations: neural-network activation functions as WebAssembly SIMD kernels, with
// scalar-wasm and plain-JavaScript fallbacks.
var default_instance_js_1 = require("./default-instance.js");
Object.defineProperty(exports, "init", { enumerable: true, get: function () { return default_instance_js_1.init; } });
Object.defineProperty(exports, "initSync", { enumerable: true, get: function () { return default_instance_js_1.initSync; } });
Object.defineProperty(exports, "backend", { enumerable: true, get: function () { return default_instance_js_1.backend; } });
Object.defineProperty(exports, "backendInfo", { enumerable: true, get: function () { return default_instance_js_1.backendInfo; } });
Object.defineProperty(exports, "allocate", { enumerable: true, get: function () { return default_instance_js_1.allocate; } });
Object.defineProperty(exports, "memoryStats", { enumerable: true, get: function () { return default_instance_js_1.memoryStats; } });
var buffer_js_1 = require("./runtime/buffer.js");
Object.defineProperty(exports, "ActivationBuffer", { enumerable: true, get: function () { return buffer_js_1.ActivationBuffer; } });
var instance_js_1 = require("./instance.js");
Object.defineProperty(exports, "createActivations", { enumerable: true, get: function () { return instance_js_1.createActivations; } });
Object.defineProperty(exports, "createActivationsSync", { enumerable: true, get: function () { return instance_js_1.createActivationsSync; } });
var functions_js_1 = require("./functions.js");
Object.defineProperty(exports, "relu", { enumerable: true, get: function () { return functions_js_1.relu; } });
Object.defineProperty(exports, "leakyRelu", { enumerable: true, get: function () { return functions_js_1.leakyRelu; } });
Object.defineProperty(exports, "sigmoid", { enumerable: true, get: function () { return functions_js_1.sigmoid; } });
Object.defineProperty(exports, "tanh", { enumerable: true, get: function () { return functions_js_1.tanh; } });
Object.defineProperty(exports, "softmax", { enumerable: true, get: function () { return functions_js_1.softmax; } });
Object.defineProperty(exports, "hardtanh", { enumerable: true, get: function () { return functions_js_1.hardtanh; } });
Object.defineProperty(exports, "relu6", { enumerable: true, get: function () { return functions_js_1.relu6; } });
Object.defineProperty(exports, "hardsigmoid", { enumerable: true, get: function () { return functions_js_1.hardsigmoid; } });
Object.defineProperty(exports, "hardswish", { enumerable: true, get: function () { return functions_js_1.hardswish; } });
Object.defineProperty(exports, "softsign", { enumerable: true, get: function () { return functions_js_1.softsign; } });
Object.defineProperty(exports, "softshrink", { enumerable: true, get: function () { return functions_js_1.softshrink; } });
Object.defineProperty(exports, "hardshrink", { enumerable: true, get: function () { return functions_js_1.hardshrink; } });
Object.defineProperty(exports, "threshold", { enumerable: true, get: function () { return functions_js_1.threshold; } });
Object.defineProperty(exports, "reluBackward", { enumerable: true, get: function () { return functions_js_1.reluBackward; } });
Object.defineProperty(exports, "leakyReluBackward", { enumerable: true, get: function () { return functions_js_1.leakyReluBackward; } });
Object.defineProperty(exports, "sigmoidBackward", { enumerable: true, get: function () { return functions_js_1.sigmoidBackward; } });
Object.defineProperty(exports, "tanhBackward", { enumerable: true, get: function () { return functions_js_1.tanhBackward; } });
Object.defineProperty(exports, "softmaxBackward", { enumerable: true, get: function () { return functions_js_1.softmaxBackward; } });
Object.defineProperty(exports, "hardtanhBackward", { enumerable: true, get: function () { return functions_js_1.hardtanhBackward; } });
Object.defineProperty(exports, "relu6Backward", { enumerable: true, get: function () { return functions_js_1.relu6Backward; } });
Object.defineProperty(exports, "hardsigmoidBackward", { enumerable: true, get: function () { return functions_js_1.hardsigmoidBackward; } });
Object.defineProperty(exports, "hardswishBackward", { enumerable: true, get: function () { return functions_js_1.hardswishBackward; } });
Object.defineProperty(exports, "softsignBackward", { enumerable: true, get: function () { return functions_js_1.softsignBackward; } });
Object.defineProperty(exports, "softshrinkBackward", { enumerable: true, get: function () { return functions_js_1.softshrinkBackward; } });
Object.defineProperty(exports, "hardshrinkBackward", { enumerable: true, get: function () { return functions_js_1.hardshrinkBackward; } });
Object.defineProperty(exports, "thresholdBackward", { enumerable: true, get: function () { return functions_js_1.thresholdBackward; } });
var registry_js_1 = require("./registry.js");
Object.defineProperty(exports, "definitions", { enumerable: true, get: function () { return registry_js_1.definitions; } });
Object.defineProperty(exports, "definitionList", { enumerable: true, get: function () { return registry_js_1.definitionList; } });
__exportStar(require("./modules/index.js"), exports);
var base_js_1 = require("./modules/base.js");
Object.defineProperty(exports, "ActivationModule", { enumerable: true, get: function () { return base_js_1.ActivationModule; } });
Object.defineProperty(exports, "ElementwiseModule", { enumerable: true, get: function () { return base_js_1.ElementwiseModule; } });
Object.defineProperty(exports, "ReductionModule", { enumerable: true, get: function () { return base_js_1.ReductionModule; } });
Object.defineProperty(exports, "activationModule", { enumerable: true, get: function () { return base_js_1.activationModule; } });
