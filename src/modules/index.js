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
Object.defineProperty(exports, "__esModule", { value: true });
exports.Threshold = exports.Hardshrink = exports.Softshrink = exports.Softsign = exports.Hardswish = exports.Hardsigmoid = exports.ReLU6 = exports.Hardtanh = exports.Softmax = exports.Tanh = exports.Sigmoid = exports.LeakyReLU = exports.ReLU = void 0;
// The modules, torch.nn style: one class per activation, by PyTorch's class name. Each line
// maps a registry name to its class; adding an activation's module is one more line (with its
// one-line JSDoc and an example). PReLU, which owns a learnable weight, is a class of its own
// extending ElementwiseModule (see base.ts).
var base_js_1 = require("./base.js");
/**
 * ReLU, `max(0, x)`, as a module (torch.nn.ReLU); backward from the saved x.
 * @example const act = new ReLU(); const y = act.forward(x); const dx = act.backward(dy);
 */
var ReLU = /** @class */ (function (_super) {
    __extends(ReLU, _super);
    function ReLU() {
        return _super !== null && _super.apply(this, arguments) || this;
    }
    return ReLU;
}((0, base_js_1.activationModule)('relu', 'ReLU')));
exports.ReLU = ReLU;
/**
 * Leaky ReLU, `x > 0 ? x : alpha·x`, as a module (torch.nn.LeakyReLU; alpha is negative_slope, default 0.01).
 * @example const act = new LeakyReLU({ alpha: 0.2 }); act.forward([-1, 2]); // Float32Array [-0.2, 2]
 */
var LeakyReLU = /** @class */ (function (_super) {
    __extends(LeakyReLU, _super);
    function LeakyReLU() {
        return _super !== null && _super.apply(this, arguments) || this;
    }
    return LeakyReLU;
}((0, base_js_1.activationModule)('leakyRelu', 'LeakyReLU')));
exports.LeakyReLU = LeakyReLU;
/**
 * Logistic sigmoid, `1 / (1 + e^-x)`, as a module (torch.nn.Sigmoid); backward from the saved x.
 * @example new Sigmoid().forward([0]); // Float32Array [0.5]
 */
var Sigmoid = /** @class */ (function (_super) {
    __extends(Sigmoid, _super);
    function Sigmoid() {
        return _super !== null && _super.apply(this, arguments) || this;
    }
    return Sigmoid;
}((0, base_js_1.activationModule)('sigmoid', 'Sigmoid')));
exports.Sigmoid = Sigmoid;
/**
 * Hyperbolic tangent as a module (torch.nn.Tanh); backward from the saved x.
 * @example new Tanh().forward([0, 1]); // Float32Array [0, 0.7615942]
 */
var Tanh = /** @class */ (function (_super) {
    __extends(Tanh, _super);
    function Tanh() {
        return _super !== null && _super.apply(this, arguments) || this;
    }
    return Tanh;
}((0, base_js_1.activationModule)('tanh', 'Tanh')));
exports.Tanh = Tanh;
/**
 * Softmax along `dim` (default -1) as a module (torch.nn.Softmax); each forward() gives its `shape`; backward from the saved y.
 * @example const sm = new Softmax({ dim: 1 }); const p = sm.forward(logits, { shape: [32, 10] }); const dLogits = sm.backward(dp);
 */
var Softmax = /** @class */ (function (_super) {
    __extends(Softmax, _super);
    function Softmax() {
        return _super !== null && _super.apply(this, arguments) || this;
    }
    return Softmax;
}((0, base_js_1.activationModule)('softmax', 'Softmax')));
exports.Softmax = Softmax;
/**
 * Hardtanh, `min(max(x, minVal), maxVal)`, as a module (torch.nn.Hardtanh; min_val, max_val → minVal, maxVal).
 * @example new Hardtanh({ minVal: -2, maxVal: 2 }).forward([-3, 1, 3]); // Float32Array [-2, 1, 2]
 */
var Hardtanh = /** @class */ (function (_super) {
    __extends(Hardtanh, _super);
    function Hardtanh() {
        return _super !== null && _super.apply(this, arguments) || this;
    }
    return Hardtanh;
}((0, base_js_1.activationModule)('hardtanh', 'Hardtanh')));
exports.Hardtanh = Hardtanh;
/**
 * ReLU6, `min(max(x, 0), 6)`, as a module (torch.nn.ReLU6).
 * @example new ReLU6().forward([-1, 3, 7]); // Float32Array [0, 3, 6]
 */
var ReLU6 = /** @class */ (function (_super) {
    __extends(ReLU6, _super);
    function ReLU6() {
        return _super !== null && _super.apply(this, arguments) || this;
    }
    return ReLU6;
}((0, base_js_1.activationModule)('relu6', 'ReLU6')));
exports.ReLU6 = ReLU6;
/**
 * Hardsigmoid, `clamp(x / 6 + 1/2, 0, 1)`, as a module (torch.nn.Hardsigmoid).
 * @example new Hardsigmoid().forward([-4, 0, 4]); // Float32Array [0, 0.5, 1]
 */
var Hardsigmoid = /** @class */ (function (_super) {
    __extends(Hardsigmoid, _super);
    function Hardsigmoid() {
        return _super !== null && _super.apply(this, arguments) || this;
    }
    return Hardsigmoid;
}((0, base_js_1.activationModule)('hardsigmoid', 'Hardsigmoid')));
exports.Hardsigmoid = Hardsigmoid;
/**
 * Hardswish, `x · hardsigmoid(x)`, as a module (torch.nn.Hardswish).
 * @example new Hardswish().forward([-4, 1, 4]); // Float32Array [0, 0.6666667, 4]
 */
var Hardswish = /** @class */ (function (_super) {
    __extends(Hardswish, _super);
    function Hardswish() {
        return _super !== null && _super.apply(this, arguments) || this;
    }
    return Hardswish;
}((0, base_js_1.activationModule)('hardswish', 'Hardswish')));
exports.Hardswish = Hardswish;
/**
 * Softsign, `x / (1 + |x|)`, as a module (torch.nn.Softsign).
 * @example new Softsign().forward([-1, 3]); // Float32Array [-0.5, 0.75]
 */
var Softsign = /** @class */ (function (_super) {
    __extends(Softsign, _super);
    function Softsign() {
        return _super !== null && _super.apply(this, arguments) || this;
    }
    return Softsign;
}((0, base_js_1.activationModule)('softsign', 'Softsign')));
exports.Softsign = Softsign;
/**
 * Softshrink, `x ∓ lambd` outside [-lambd, lambd] and 0 inside, as a module (torch.nn.Softshrink; lambd ≥ 0, default 0.5).
 * @example new Softshrink({ lambd: 1 }).forward([-2, 0.5, 2]); // Float32Array [-1, 0, 1]
 */
var Softshrink = /** @class */ (function (_super) {
    __extends(Softshrink, _super);
    function Softshrink() {
        return _super !== null && _super.apply(this, arguments) || this;
    }
    return Softshrink;
}((0, base_js_1.activationModule)('softshrink', 'Softshrink')));
exports.Softshrink = Softshrink;
/**
 * Hardshrink, `|x| > lambd ? x : 0`, as a module (torch.nn.Hardshrink; lambd ≥ 0, default 0.5).
 * @example new Hardshrink().forward([-2, 0.25, 2]); // Float32Array [-2, 0, 2]
 */
var Hardshrink = /** @class */ (function (_super) {
    __extends(Hardshrink, _super);
    function Hardshrink() {
        return _super !== null && _super.apply(this, arguments) || this;
    }
    return Hardshrink;
}((0, base_js_1.activationModule)('hardshrink', 'Hardshrink')));
exports.Hardshrink = Hardshrink;
/**
 * Threshold, `x > threshold ? x : value`, as a module (torch.nn.Threshold; both params required).
 * @example new Threshold({ threshold: 0.5, value: -9 }).forward([-1, 2]); // Float32Array [-9, 2]
 */
var Threshold = /** @class */ (function (_super) {
    __extends(Threshold, _super);
    function Threshold() {
        return _super !== null && _super.apply(this, arguments) || this;
    }
    return Threshold;
}((0, base_js_1.activationModule)('threshold', 'Threshold')));
exports.Threshold = Threshold;
