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
exports.createActivationsSync = createActivationsSync;
exports.createActivations = createActivations;
// An Activations instance: one backend (and, for wasm, one instance with its own memory) and
// a function per registry entry, with the argument checks in front of the engine.
var registry_js_1 = require("./registry.js");
var loader_js_1 = require("./runtime/loader.js");
var engine_js_1 = require("./runtime/engine.js");
var validate_js_1 = require("./runtime/validate.js");
var BACKENDS = ['wasm-simd', 'wasm-scalar', 'js'];
/** What a definition's forward and backward calls both check: the option names and the params. */
function optionRules(definition) {
    var paramNames = Object.keys(definition.params);
    var cross = definition.checkParams;
    /** Each param on its own (TypeError, RangeError), then the definition's check across them. */
    var check = function (opts) {
        var values = (0, validate_js_1.checkParams)(opts, definition.params, paramNames);
        var problem = cross ? cross(values) : null;
        if (problem !== null)
            throw new RangeError(problem);
        return values;
    };
    // A definition with a required param has no defaults object: every call must pass it.
    var hasRequired = paramNames.some(function (name) { return definition.params[name].required; });
    var defaults = hasRequired ? null : check({});
    return {
        allowed: new Set(__spreadArray(__spreadArray(__spreadArray([], paramNames, true), ['out'], false), (definition.kind === 'reduction' ? ['shape', 'dim'] : []), true)),
        // The params of a call: the shared defaults object unless the options set any.
        paramsOf: function (opts) {
            if (defaults === null)
                return check(opts !== null && opts !== void 0 ? opts : {});
            if (opts === undefined)
                return defaults;
            for (var _i = 0, paramNames_1 = paramNames; _i < paramNames_1.length; _i++) {
                var key = paramNames_1[_i];
                if (opts[key] !== undefined)
                    return check(opts);
            }
            return defaults;
        },
    };
}
function bind(engine, definition) {
    var _a = optionRules(definition), allowed = _a.allowed, paramsOf = _a.paramsOf;
    var name = definition.name;
    if (definition.kind === 'elementwise') {
        var run_1 = engine.elementwise(definition);
        return function (input, options) {
            var opts = options === undefined ? undefined : (0, validate_js_1.checkOptions)(options, allowed, name);
            var x = (0, validate_js_1.toOperand)(input, 'x');
            var out = (opts && (0, validate_js_1.checkOut)(opts.out, x)) || new Float32Array(x.length);
            run_1(x, out, paramsOf(opts));
            return out;
        };
    }
    var run = engine.reduction(definition);
    return function (input, options) {
        var opts = options === undefined ? undefined : (0, validate_js_1.checkOptions)(options, allowed, name);
        var x = (0, validate_js_1.toOperand)(input, 'x');
        var layout = (0, validate_js_1.checkLayout)(opts === null || opts === void 0 ? void 0 : opts.shape, opts === null || opts === void 0 ? void 0 : opts.dim, x.length);
        var out = (opts && (0, validate_js_1.checkOut)(opts.out, x)) || new Float32Array(x.length);
        run(x, out, layout, paramsOf(opts));
        return out;
    };
}
/** `<name>Backward`: the argument checks (all before anything is written), then the engine's runner. */
function bindBackward(engine, definition) {
    var _a = optionRules(definition), allowed = _a.allowed, paramsOf = _a.paramsOf;
    var name = "".concat(definition.name, "Backward");
    var savedName = definition.kind === 'reduction' ? 'y' : 'x';
    /** The operands and params of a call, checked: dy and the saved tensor alike, out against both. */
    var operands = function (dyInput, savedInput, opts) {
        var dy = (0, validate_js_1.toOperand)(dyInput, 'dy');
        var saved = (0, validate_js_1.toOperand)(savedInput, savedName);
        (0, validate_js_1.checkPair)(dy, saved, savedName);
        var out;
        if (opts && opts.out !== undefined) {
            out = (0, validate_js_1.checkOut)(opts.out, dy, 'dy');
            (0, validate_js_1.checkOut)(opts.out, saved, savedName);
        }
        return { dy: dy, saved: saved, out: out };
    };
    if (definition.kind === 'elementwise') {
        var run_2 = engine.elementwiseBackward(definition);
        return function (dyInput, savedInput, options) {
            var opts = options === undefined ? undefined : (0, validate_js_1.checkOptions)(options, allowed, name);
            var _a = operands(dyInput, savedInput, opts), dy = _a.dy, saved = _a.saved, given = _a.out;
            var params = paramsOf(opts);
            var out = given || new Float32Array(dy.length);
            run_2(dy, saved, out, params);
            return out;
        };
    }
    var run = engine.reductionBackward(definition);
    return function (dyInput, savedInput, options) {
        var opts = options === undefined ? undefined : (0, validate_js_1.checkOptions)(options, allowed, name);
        var _a = operands(dyInput, savedInput, opts), dy = _a.dy, saved = _a.saved, given = _a.out;
        var layout = (0, validate_js_1.checkLayout)(opts === null || opts === void 0 ? void 0 : opts.shape, opts === null || opts === void 0 ? void 0 : opts.dim, dy.length, 'dy');
        var params = paramsOf(opts);
        var out = given || new Float32Array(dy.length);
        run(dy, saved, out, layout, params);
        return out;
    };
}
function fromEngine(engine, requested, skipped) {
    var functions = {
        backend: engine.backend,
        backendInfo: Object.freeze({ backend: engine.backend, requested: requested, skipped: Object.freeze(skipped.map(function (s) { return Object.freeze(s); })) }),
        allocate: function (length) { return engine.allocate((0, validate_js_1.checkLength)(length)); },
        memoryStats: function () { return engine.stats(); },
    };
    for (var _i = 0, _a = Object.entries(registry_js_1.definitions); _i < _a.length; _i++) {
        var _b = _a[_i], name_1 = _b[0], definition = _b[1];
        functions[name_1] = bind(engine, definition);
        functions["".concat(name_1, "Backward")] = bindBackward(engine, definition);
    }
    return Object.freeze(functions);
}
function checkMaxMemory(options) {
    var max = options === null || options === void 0 ? void 0 : options.maxMemoryBytes;
    if (max === undefined)
        return engine_js_1.DEFAULT_MAX_MEMORY_BYTES;
    if (typeof max !== 'number' || !Number.isInteger(max))
        throw new TypeError("maxMemoryBytes must be an integer; got ".concat(String(max)));
    if (max < 65536 || max > engine_js_1.DEFAULT_MAX_MEMORY_BYTES) {
        throw new RangeError("maxMemoryBytes must be in [65536, 2^32]; got ".concat(max));
    }
    return Math.floor(max / 65536) * 65536; // whole pages, on every backend alike
}
function checkChoice(options) {
    if (options !== undefined && (options === null || typeof options !== 'object')) {
        throw new TypeError("options must be an object; got ".concat(options === null ? 'null' : typeof options));
    }
    for (var _i = 0, _a = Object.keys(options !== null && options !== void 0 ? options : {}); _i < _a.length; _i++) {
        var key = _a[_i];
        if (key !== 'backend' && key !== 'maxMemoryBytes') {
            throw new TypeError("createActivations() has no option '".concat(key, "'; its options are 'backend', 'maxMemoryBytes'"));
        }
    }
    var choice = (options === null || options === void 0 ? void 0 : options.backend) === undefined ? 'auto' : options.backend;
    if (choice !== 'auto' && !BACKENDS.includes(choice)) {
        throw new RangeError("backend must be 'auto', ".concat(BACKENDS.map(function (b) { return "'".concat(b, "'"); }).join(', '), "; got ").concat(String(choice)));
    }
    return choice;
}
/**
 * The backends to try, best first: the forced one alone, or every one that can run here; those
 * that cannot are added to `skipped` with why.
 */
function candidates(choice, skipped) {
    if (choice !== 'auto') {
        var reason = (0, loader_js_1.unavailableReason)(choice);
        if (reason)
            throw new Error("the ".concat(choice, " backend cannot run here: ").concat(reason));
        return [choice];
    }
    return BACKENDS.filter(function (backend) {
        var reason = (0, loader_js_1.unavailableReason)(backend);
        if (reason !== null)
            skipped.push({ backend: backend, reason: reason });
        return reason === null;
    });
}
function failure(choice, error) {
    return new Error("the ".concat(choice, " backend cannot run here: ").concat((0, loader_js_1.compileFailureReason)(error)), { cause: error });
}
/**
 * Creates an Activations instance synchronously (Node, workers; on a browser's main thread
 * prefer {@link createActivations}, since browsers limit synchronous compilation there). With
 * 'auto', a wasm build that fails to compile (e.g. under a Content-Security-Policy without
 * 'wasm-unsafe-eval') falls back to the next backend.
 */
function createActivationsSync(options) {
    var choice = checkChoice(options);
    var maxBytes = checkMaxMemory(options);
    var skipped = [];
    var tries = candidates(choice, skipped);
    for (var _i = 0, tries_1 = tries; _i < tries_1.length; _i++) {
        var backend = tries_1[_i];
        if (backend === 'js')
            return fromEngine(new engine_js_1.JsEngine(maxBytes), choice, skipped);
        try {
            return fromEngine(new engine_js_1.WasmEngine(backend, (0, loader_js_1.instantiateSync)((0, loader_js_1.compileSync)((0, loader_js_1.buildOf)(backend))), maxBytes), choice, skipped);
        }
        catch (error) {
            if (choice !== 'auto')
                throw failure(backend, error);
            skipped.push({ backend: backend, reason: (0, loader_js_1.compileFailureReason)(error) });
        }
    }
    return fromEngine(new engine_js_1.JsEngine(maxBytes), choice, skipped);
}
/** Creates an independent Activations instance: its own backend choice and its own wasm memory. */
function createActivations(options) {
    return __awaiter(this, void 0, void 0, function () {
        var choice, maxBytes, skipped, tries, _i, tries_2, backend, _a, _b, _c, _d, error_1;
        return __generator(this, function (_e) {
            switch (_e.label) {
                case 0:
                    choice = checkChoice(options);
                    maxBytes = checkMaxMemory(options);
                    skipped = [];
                    tries = candidates(choice, skipped);
                    _i = 0, tries_2 = tries;
                    _e.label = 1;
                case 1:
                    if (!(_i < tries_2.length)) return [3 /*break*/, 7];
                    backend = tries_2[_i];
                    if (backend === 'js')
                        return [2 /*return*/, fromEngine(new engine_js_1.JsEngine(maxBytes), choice, skipped)];
                    _e.label = 2;
                case 2:
                    _e.trys.push([2, 5, , 6]);
                    _a = fromEngine;
                    _b = engine_js_1.WasmEngine.bind;
                    _c = [void 0, backend];
                    _d = loader_js_1.instantiate;
                    return [4 /*yield*/, (0, loader_js_1.compile)((0, loader_js_1.buildOf)(backend))];
                case 3: return [4 /*yield*/, _d.apply(void 0, [_e.sent()])];
                case 4: return [2 /*return*/, _a.apply(void 0, [new (_b.apply(engine_js_1.WasmEngine, _c.concat([_e.sent(), maxBytes])))(), choice, skipped])];
                case 5:
                    error_1 = _e.sent();
                    if (choice !== 'auto')
                        throw failure(backend, error_1);
                    skipped.push({ backend: backend, reason: (0, loader_js_1.compileFailureReason)(error_1) });
                    return [3 /*break*/, 6];
                case 6:
                    _i++;
                    return [3 /*break*/, 1];
                case 7: return [2 /*return*/, fromEngine(new engine_js_1.JsEngine(maxBytes), choice, skipped)];
            }
        });
    });
}
