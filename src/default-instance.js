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
exports.init = init;
exports.initSync = initSync;
exports.backend = backend;
exports.backendInfo = backendInfo;
exports.defaultActivations = defaultActivations;
exports.allocate = allocate;
exports.memoryStats = memoryStats;
// The process-wide default instance behind the top-level functions and init().
var instance_js_1 = require("./instance.js");
var current = null;
/**
 * Picks and loads the default backend: the fastest this engine runs ('auto', the default) or
 * the one forced by `options.backend` (an Error says why when it cannot run). Resolves to the
 * backend in use. Calling it again switches the default instance.
 */
function init(options) {
    return __awaiter(this, void 0, void 0, function () {
        return __generator(this, function (_a) {
            switch (_a.label) {
                case 0: return [4 /*yield*/, (0, instance_js_1.createActivations)(options)];
                case 1:
                    current = _a.sent();
                    return [2 /*return*/, current.backend];
            }
        });
    });
}
/** {@link init}, synchronously: for Node and workers (browsers limit sync compiles on the main thread). */
function initSync(options) {
    current = (0, instance_js_1.createActivationsSync)(options);
    return current.backend;
}
/** The default instance's backend, or null before init()/initSync() or the first call. */
function backend() {
    var _a;
    return (_a = current === null || current === void 0 ? void 0 : current.backend) !== null && _a !== void 0 ? _a : null;
}
/**
 * The default instance's backend, what was asked for and why each faster backend was passed
 * over (e.g. a Content-Security-Policy without 'wasm-unsafe-eval'), or null before
 * init()/initSync() or the first call.
 */
function backendInfo() {
    var _a;
    return (_a = current === null || current === void 0 ? void 0 : current.backendInfo) !== null && _a !== void 0 ? _a : null;
}
/**
 * The default instance; the first call without init() runs initSync() with 'auto'. In a browser
 * main thread, where synchronous compilation of the wasm may be refused, call `await init()` first.
 */
function defaultActivations() {
    if (current)
        return current;
    try {
        return (current = (0, instance_js_1.createActivationsSync)());
    }
    catch (error) {
        throw new Error("wasm-activations could not initialise synchronously; call `await init()` before the first call (".concat(error.message, ")"), { cause: error });
    }
}
/** A buffer of the default instance's memory (see Activations.allocate). */
function allocate(length) {
    return defaultActivations().allocate(length);
}
/** The default instance's memory use (see Activations.memoryStats). */
function memoryStats() {
    return defaultActivations().memoryStats();
}
