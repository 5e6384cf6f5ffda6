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
exports.UTILITY_EXPORTS = void 0;
exports.hasWebAssembly = hasWebAssembly;
exports.hasWasmSimd = hasWasmSimd;
exports.buildOf = buildOf;
exports.unavailableReason = unavailableReason;
exports.compileFailureReason = compileFailureReason;
exports.compileSync = compileSync;
exports.compile = compile;
exports.instantiateSync = instantiateSync;
exports.instantiate = instantiate;
// Finds out what this engine can run, and compiles and instantiates the inlined wasm builds.
// No @assemblyscript/loader and no generated bindings: the kernels take plain numbers (byte
// addresses and counts) and the module imports nothing, so `instantiate(module, {})` is all.
var wasm_js_1 = require("../generated/wasm.js");
/**
 * Exports that are not an activation's kernel, with their wasm parameter types: the benchmark's
 * memory.copy limit. Everything else the module exports belongs to a registry definition.
 */
exports.UTILITY_EXPORTS = {
    copyFloats: ['i32', 'i32', 'i32'], // (src, dst, n)
};
// The smallest module that uses a v128 instruction (i32.const 0; i8x16.splat; i8x16.popcnt),
// the probe wasm-feature-detect uses: validate() is false wherever SIMD is missing.
var SIMD_PROBE = new Uint8Array([
    0, 97, 115, 109, 1, 0, 0, 0, 1, 5, 1, 96, 0, 1, 123, 3, 2, 1, 0, 10, 10, 1, 8, 0, 65, 0, 253, 15, 253, 98, 11,
]);
// An empty module: validate() is true wherever WebAssembly works at all.
var EMPTY_MODULE = new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0]);
/** Whether this engine has WebAssembly at all. */
function hasWebAssembly() {
    try {
        return typeof WebAssembly === 'object' && WebAssembly.validate(EMPTY_MODULE);
    }
    catch (_a) {
        return false;
    }
}
/** Whether this engine's WebAssembly has fixed-width SIMD (v128). */
function hasWasmSimd() {
    try {
        return hasWebAssembly() && WebAssembly.validate(SIMD_PROBE);
    }
    catch (_a) {
        return false;
    }
}
/** The wasm build a wasm backend runs. */
function buildOf(backend) {
    return backend === 'wasm-simd' ? 'simd' : 'scalar';
}
/**
 * Why `backend` cannot run here, or null when it can. Checks features only; compiling can still
 * fail (e.g. a Content-Security-Policy without 'wasm-unsafe-eval').
 */
function unavailableReason(backend) {
    if (backend === 'js')
        return null;
    if (!hasWebAssembly())
        return 'this JavaScript engine has no WebAssembly';
    if (backend === 'wasm-simd' && !hasWasmSimd()) {
        return "this engine's WebAssembly has no SIMD (WebAssembly.validate rejected a v128 probe module)";
    }
    return null;
}
/**
 * Why compiling or instantiating a build failed, in words: a Content-Security-Policy that
 * forbids compiling WebAssembly is named as such (browsers word it differently: Chromium and
 * Safari mention 'unsafe-eval' and the policy, Firefox "CSP"), with the fix.
 */
function compileFailureReason(error) {
    var _a;
    var message = (_a = error === null || error === void 0 ? void 0 : error.message) !== null && _a !== void 0 ? _a : String(error);
    if (/content.security.policy|\bCSP\b|unsafe-eval/i.test(message)) {
        return "the page's Content-Security-Policy forbids compiling WebAssembly (add 'wasm-unsafe-eval' to its script-src to allow it): ".concat(message);
    }
    return "compiling or instantiating its wasm failed: ".concat(message);
}
function decodeBase64(base64) {
    var binary = atob(base64);
    var bytes = new Uint8Array(binary.length);
    for (var i = 0; i < binary.length; i++)
        bytes[i] = binary.charCodeAt(i);
    return bytes;
}
var sources = { simd: wasm_js_1.simdWasmBase64, scalar: wasm_js_1.scalarWasmBase64 };
// Compiled modules are cached per build: every instance shares the compiled code, and only
// instantiation (a new memory) is per instance.
var compiled = new Map();
var compiling = new Map();
/** The compiled module of a build, compiled on first use (synchronously). */
function compileSync(build) {
    var module = compiled.get(build);
    if (!module) {
        module = new WebAssembly.Module(decodeBase64(sources[build]));
        compiled.set(build, module);
    }
    return module;
}
/** The compiled module of a build, compiled on first use (off the main thread where possible). */
function compile(build) {
    var done = compiled.get(build);
    if (done)
        return Promise.resolve(done);
    var pending = compiling.get(build);
    if (!pending) {
        pending = WebAssembly.compile(decodeBase64(sources[build])).then(function (module) {
            compiled.set(build, module);
            compiling.delete(build);
            return module;
        }, function (error) {
            compiling.delete(build);
            throw error;
        });
        compiling.set(build, pending);
    }
    return pending;
}
/** A new instance (with its own memory) of a compiled build. */
function instantiateSync(module) {
    return new WebAssembly.Instance(module, {}).exports;
}
/** A new instance (with its own memory) of a compiled build, asynchronously. */
function instantiate(module) {
    return __awaiter(this, void 0, void 0, function () {
        var instance;
        return __generator(this, function (_a) {
            switch (_a.label) {
                case 0: return [4 /*yield*/, WebAssembly.instantiate(module, {})];
                case 1:
                    instance = _a.sent();
                    return [2 /*return*/, instance.exports];
            }
        });
    });
}
