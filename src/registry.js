"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.definitionList = exports.definitions = void 0;
// The single list of activations. The API, the js backend, the tests, the benchmark and the
// README tables iterate it; adding an activation is a definition file, its kernel in
// assembly/ops/, and one line here (plus its name in src/functions.ts and assembly/index.ts).
var hardtanh_js_1 = require("./activations/hardtanh.js");
var relu6_js_1 = require("./activations/relu6.js");
var hardsigmoid_js_1 = require("./activations/hardsigmoid.js");
var hardswish_js_1 = require("./activations/hardswish.js");
var softsign_js_1 = require("./activations/softsign.js");
var softshrink_js_1 = require("./activations/softshrink.js");
var hardshrink_js_1 = require("./activations/hardshrink.js");
var threshold_js_1 = require("./activations/threshold.js");
var leakyRelu_js_1 = require("./activations/leakyRelu.js");
var relu_js_1 = require("./activations/relu.js");
var sigmoid_js_1 = require("./activations/sigmoid.js");
var softmax_js_1 = require("./activations/softmax.js");
var tanh_js_1 = require("./activations/tanh.js");
/** Every activation, by API name. */
exports.definitions = {
    relu: relu_js_1.relu,
    leakyRelu: leakyRelu_js_1.leakyRelu,
    sigmoid: sigmoid_js_1.sigmoid,
    tanh: tanh_js_1.tanh,
    softmax: softmax_js_1.softmax,
    hardtanh: hardtanh_js_1.hardtanh,
    relu6: relu6_js_1.relu6,
    hardsigmoid: hardsigmoid_js_1.hardsigmoid,
    hardswish: hardswish_js_1.hardswish,
    softsign: softsign_js_1.softsign,
    softshrink: softshrink_js_1.softshrink,
    hardshrink: hardshrink_js_1.hardshrink,
    threshold: threshold_js_1.threshold,
};
/** The definitions as a list, in registry order. */
exports.definitionList = Object.values(exports.definitions);
