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
var __classPrivateFieldSet = (this && this.__classPrivateFieldSet) || function (receiver, state, value, kind, f) {
    if (kind === "m") throw new TypeError("Private method is not writable");
    if (kind === "a" && !f) throw new TypeError("Private accessor was defined without a setter");
    if (typeof state === "function" ? receiver !== state || !f : !state.has(receiver)) throw new TypeError("Cannot write private member to an object whose class did not declare it");
    return (kind === "a" ? f.call(receiver, value) : f ? f.value = value : state.set(receiver, value)), value;
};
var __classPrivateFieldGet = (this && this.__classPrivateFieldGet) || function (receiver, state, kind, f) {
    if (kind === "a" && !f) throw new TypeError("Private accessor was defined without a getter");
    if (typeof state === "function" ? receiver !== state || !f : !state.has(receiver)) throw new TypeError("Cannot read private member from an object whose class did not declare it");
    return kind === "m" ? f : kind === "a" ? f.call(receiver) : f ? f.value : state.get(receiver);
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
var _a;
var _ActivationModule_instance, _ElementwiseModule_params, _ReductionModule_shape;
Object.defineProperty(exports, "__esModule", { value: true });
exports.ReductionModule = exports.ElementwiseModule = exports.ActivationModule = void 0;
exports.activationModule = activationModule;
// The module classes behind ReLU, Softmax & co.: an activation's params fixed at construction
// (checked there, with the functional API's own checks and errors), forward() that keeps what
// backward() needs (a copy of x, or of y for the softmax family), and backward().
var instance_js_1 = require("../instance.js");
var default_instance_js_1 = require("../default-instance.js");
var registry_js_1 = require("../registry.js");
var buffer_js_1 = require("../runtime/buffer.js");
var validate_js_1 = require("../runtime/validate.js");
var saved_js_1 = require("./saved.js");
/**
 * A js-backend instance that only checks constructor options: the functional API run on zero
 * elements does every check of its params (types, ranges, required ones, rules across them)
 * with its own errors, and nothing else.
 */
var checker = null;
function paramChecker() {
    return (checker !== null && checker !== void 0 ? checker : (checker = (0, instance_js_1.createActivationsSync)({ backend: 'js' })));
}
// As in buffer.ts: Symbol.dispose where it exists, else the registry key `using` helpers look up.
var disposeSymbol = (_a = Symbol.dispose) !== null && _a !== void 0 ? _a : Symbol.for('Symbol.dispose');
function describe(value) {
    if (value === null)
        return 'null';
    return typeof value === 'object' ? "an object (".concat(Object.prototype.toString.call(value), ")") : "".concat(typeof value, " ").concat(String(value));
}
/**
 * The common part of every activation module: the params, the instance, the saved tensor and
 * backward(). Subclasses add forward(). A module with state of its own (PReLU's weight) extends
 * {@link ElementwiseModule}, passes its extra constructor option names to the constructor and
 * overrides {@link ActivationModule.runForward} and {@link ActivationModule.runBackward}.
 */
var ActivationModule = /** @class */ (function () {
    /**
     * @param name the activation's name in the registry
     * @param options the constructor options (params, `activations`, `dim` for the softmax family)
     * @param extra further option names a subclass accepts and reads itself (e.g. PReLU's)
     */
    function ActivationModule(name, options, className, extra) {
        if (extra === void 0) { extra = []; }
        var _a, _b;
        /** What forward() kept for backward(). */
        this.saved = new saved_js_1.SavedTensor();
        _ActivationModule_instance.set(this, void 0);
        var definition = registry_js_1.definitions[name];
        this.activation = name;
        this.className = className;
        var specs = ((_a = definition.params) !== null && _a !== void 0 ? _a : {});
        var paramNames = Object.keys(specs);
        var allowed = new Set(__spreadArray(__spreadArray(__spreadArray(__spreadArray([], paramNames, true), ['activations'], false), (definition.kind === 'reduction' ? ['dim'] : []), true), extra, true));
        var opts = options === undefined ? {} : (0, validate_js_1.checkOptions)(options, allowed, "new ".concat(className));
        var given = {};
        for (var _i = 0, paramNames_1 = paramNames; _i < paramNames_1.length; _i++) {
            var key = paramNames_1[_i];
            if (opts[key] !== undefined)
                given[key] = opts[key];
        }
        this.checkParams(given);
        var params = {};
        for (var _c = 0, paramNames_2 = paramNames; _c < paramNames_2.length; _c++) {
            var key = paramNames_2[_c];
            params[key] = given[key] !== undefined ? given[key] : specs[key].default;
        }
        this.params = Object.freeze(params);
        var acts = opts.activations;
        if (acts !== undefined && (acts === null || typeof acts !== 'object' || typeof acts[name] !== 'function'
            || typeof acts["".concat(name, "Backward")] !== 'function')) {
            throw new TypeError("activations must be an Activations instance (from createActivations()) with ".concat(name, "; got ").concat(describe(acts)));
        }
        __classPrivateFieldSet(this, _ActivationModule_instance, (_b = acts) !== null && _b !== void 0 ? _b : null, "f");
    }
    /**
     * Checks the params given to the constructor (called by it, before any subclass field exists):
     * the function's own checks on an empty input, so the same TypeError or RangeError as a call.
     * A module whose function needs more than params to run (PReLU's weight) overrides it.
     */
    ActivationModule.prototype.checkParams = function (given) {
        paramChecker()[this.activation](new Float32Array(0), given);
    };
    Object.defineProperty(ActivationModule.prototype, "activations", {
        /** The instance the next forward() runs on: the one passed to the constructor, else the default instance now. */
        get: function () {
            var _a;
            return (_a = __classPrivateFieldGet(this, _ActivationModule_instance, "f")) !== null && _a !== void 0 ? _a : (0, default_instance_js_1.defaultActivations)();
        },
        enumerable: false,
        configurable: true
    });
    ActivationModule.prototype.backward = function (dy, options) {
        var opts = options === undefined ? undefined : (0, validate_js_1.checkOptions)(options, BACKWARD_OPTIONS, "".concat(this.className, ".backward"));
        if (!this.saved.ready) {
            throw new Error("".concat(this.className, ".backward() needs a forward() first: there is no saved ").concat(this.savedName, " (none yet, the last forward() threw, or release() dropped it)"));
        }
        return this.runBackward(this.saved.owner, dy, this.saved.tensor, this.callOptions(opts === null || opts === void 0 ? void 0 : opts.out));
    };
    /**
     * Drops the saved tensor and frees the storage the module keeps for it (a buffer in the
     * instance's memory when forward() had buffer inputs). The module stays usable: the next
     * forward() saves again. Also runs at the end of a `using` block.
     */
    ActivationModule.prototype.release = function () {
        this.saved.release();
    };
    /** {@link release}, for `using act = new ReLU()`. */
    ActivationModule.prototype[(_ActivationModule_instance = new WeakMap(), disposeSymbol)] = function () {
        this.release();
    };
    /** PyTorch's repr: the class name and the params, e.g. `LeakyReLU(alpha=0.2)`. */
    ActivationModule.prototype.toString = function () {
        var fields = Object.entries(this.reprFields()).map(function (_a) {
            var k = _a[0], v = _a[1];
            return "".concat(k, "=").concat(String(v));
        });
        return "".concat(this.className, "(").concat(fields.join(', '), ")");
    };
    /** The fields toString() shows. */
    ActivationModule.prototype.reprFields = function () {
        return this.params;
    };
    /** Runs the forward function on `acts` (a module with its own state, like PReLU's weight, overrides this). */
    ActivationModule.prototype.runForward = function (acts, x, options) {
        return acts[this.activation](x, options);
    };
    /** Runs `<name>Backward` on `acts` (overridable as runForward). */
    ActivationModule.prototype.runBackward = function (acts, dy, saved, options) {
        return acts["".concat(this.activation, "Backward")](dy, saved, options);
    };
    return ActivationModule;
}());
exports.ActivationModule = ActivationModule;
var BACKWARD_OPTIONS = new Set(['out']);
var ELEMENTWISE_FORWARD_OPTIONS = new Set(['out']);
var REDUCTION_FORWARD_OPTIONS = new Set(['out', 'shape']);
/** A module of an element-wise activation: forward() keeps a copy of x, backward() is dy · f′(x). */
var ElementwiseModule = /** @class */ (function (_super) {
    __extends(ElementwiseModule, _super);
    function ElementwiseModule(name, options, className, extra) {
        if (extra === void 0) { extra = []; }
        var _this = _super.call(this, name, options, className, extra) || this;
        _ElementwiseModule_params.set(_this, void 0);
        __classPrivateFieldSet(_this, _ElementwiseModule_params, Object.keys(_this.params).length === 0 ? undefined : _this.params, "f");
        return _this;
    }
    Object.defineProperty(ElementwiseModule.prototype, "savedName", {
        get: function () {
            return 'x';
        },
        enumerable: false,
        configurable: true
    });
    ElementwiseModule.prototype.forward = function (x, options) {
        var opts = options === undefined ? undefined : (0, validate_js_1.checkOptions)(options, ELEMENTWISE_FORWARD_OPTIONS, "".concat(this.className, ".forward"));
        var acts = this.activations;
        this.saved.clear();
        var operand = (0, validate_js_1.toOperand)(x, 'x');
        if (operand instanceof buffer_js_1.ActivationBuffer && operand.freed)
            throw new Error('cannot use x after free: this ActivationBuffer was freed');
        // Saved before the call: with `out: x` the call overwrites x.
        this.saved.store(acts, operand);
        var y = this.runForward(acts, operand, this.callOptions(opts === null || opts === void 0 ? void 0 : opts.out));
        this.saved.commit();
        return y;
    };
    ElementwiseModule.prototype.callOptions = function (out) {
        return out === undefined ? __classPrivateFieldGet(this, _ElementwiseModule_params, "f") : __assign(__assign({}, this.params), { out: out });
    };
    return ElementwiseModule;
}(ActivationModule));
exports.ElementwiseModule = ElementwiseModule;
_ElementwiseModule_params = new WeakMap();
/**
 * A module of a softmax-like activation along `dim`: forward() keeps a copy of its output y,
 * backward() is `<name>Backward(dy, y)` over the forward's shape.
 */
var ReductionModule = /** @class */ (function (_super) {
    __extends(ReductionModule, _super);
    function ReductionModule(name, options, className, extra) {
        if (extra === void 0) { extra = []; }
        var _this = _super.call(this, name, options, className, extra) || this;
        _ReductionModule_shape.set(_this, undefined);
        var dim = options === null || options === void 0 ? void 0 : options.dim;
        // The range of dim depends on the shape of each call; its type is checked now (as the function's message).
        if (dim !== undefined && (typeof dim !== 'number' || !Number.isInteger(dim))) {
            throw new TypeError("dim must be an integer; got ".concat(describe(dim)));
        }
        _this.dim = dim === undefined ? -1 : dim;
        return _this;
    }
    Object.defineProperty(ReductionModule.prototype, "savedName", {
        get: function () {
            return 'y';
        },
        enumerable: false,
        configurable: true
    });
    ReductionModule.prototype.forward = function (x, options) {
        var opts = options === undefined ? undefined : (0, validate_js_1.checkOptions)(options, REDUCTION_FORWARD_OPTIONS, "".concat(this.className, ".forward"));
        var acts = this.activations;
        this.saved.clear();
        var shape = opts === null || opts === void 0 ? void 0 : opts.shape;
        var y = this.runForward(acts, x, __assign(__assign({}, this.params), { dim: this.dim, shape: shape, out: opts === null || opts === void 0 ? void 0 : opts.out }));
        // Checked by the call: an Array of integers. Copied: the caller may reuse theirs.
        __classPrivateFieldSet(this, _ReductionModule_shape, shape === undefined ? undefined : __spreadArray([], shape, true), "f");
        this.saved.store(acts, y);
        this.saved.commit();
        return y;
    };
    ReductionModule.prototype.callOptions = function (out) {
        return __assign(__assign({}, this.params), { dim: this.dim, shape: __classPrivateFieldGet(this, _ReductionModule_shape, "f"), out: out });
    };
    ReductionModule.prototype.reprFields = function () {
        return __assign(__assign({}, this.params), { dim: this.dim });
    };
    return ReductionModule;
}(ActivationModule));
exports.ReductionModule = ReductionModule;
_ReductionModule_shape = new WeakMap();
/**
 * The base class of the module of activation `name`, for `export class ReLU extends
 * activationModule('relu', 'ReLU') {}`: an element-wise or a softmax-like module by the
 * definition's kind, whose constructor takes {@link ModuleOptions}.
 */
function activationModule(name, className) {
    var _a, _b;
    if (!Object.prototype.hasOwnProperty.call(registry_js_1.definitions, name))
        throw new Error("no activation named ".concat(String(name)));
    var definition = registry_js_1.definitions[name];
    if (definition.kind !== 'elementwise' && definition.kind !== 'reduction') {
        throw new Error("".concat(name, " is neither element-wise nor softmax-like: its module is a class of its own"));
    }
    if (definition.kind === 'reduction') {
        return _a = /** @class */ (function (_super) {
                __extends(class_1, _super);
                function class_1(options) {
                    return _super.call(this, name, options, className) || this;
                }
                return class_1;
            }(ReductionModule)),
            _a.activation = name,
            _a;
    }
    return _b = /** @class */ (function (_super) {
            __extends(class_2, _super);
            function class_2(options) {
                return _super.call(this, name, options, className) || this;
            }
            return class_2;
        }(ElementwiseModule)),
        _b.activation = name,
        _b;
}
