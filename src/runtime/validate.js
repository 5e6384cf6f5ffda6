"use strict";
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
exports.toOperand = toOperand;
exports.checkOptions = checkOptions;
exports.checkParams = checkParams;
exports.checkOut = checkOut;
exports.checkPair = checkPair;
exports.checkLength = checkLength;
exports.checkLayout = checkLayout;
var buffer_js_1 = require("./buffer.js");
function describe(value) {
    if (value === null)
        return 'null';
    if (Array.isArray(value))
        return 'an Array';
    if (ArrayBuffer.isView(value))
        return "a ".concat(value.constructor.name);
    return typeof value === 'object' ? "an object (".concat(Object.prototype.toString.call(value), ")") : "".concat(typeof value, " ").concat(String(value));
}
/**
 * `x` as a Float32Array or buffer: a Float32Array or an ActivationBuffer as it is (no copy),
 * any other numeric typed array or an Array of numbers converted (a copy).
 */
function toOperand(x, name) {
    if (x instanceof Float32Array || x instanceof buffer_js_1.ActivationBuffer)
        return x;
    if (ArrayBuffer.isView(x)) {
        if (x instanceof DataView || x instanceof BigInt64Array || x instanceof BigUint64Array) {
            throw new TypeError("".concat(name, " must be a Float32Array, an ActivationBuffer, another numeric typed array or an Array of numbers; got ").concat(describe(x)));
        }
        return new Float32Array(x);
    }
    if (Array.isArray(x)) {
        for (var i = 0; i < x.length; i++) {
            if (typeof x[i] !== 'number') {
                throw new TypeError("".concat(name, "[").concat(i, "] must be a number; got ").concat(describe(x[i])));
            }
        }
        return new Float32Array(x);
    }
    throw new TypeError("".concat(name, " must be a Float32Array, an ActivationBuffer, another numeric typed array or an Array of numbers; got ").concat(describe(x)));
}
/** The options object itself: a plain object whose keys are all in `allowed`. */
function checkOptions(options, allowed, fn) {
    if (options === null || typeof options !== 'object' || Array.isArray(options)) {
        throw new TypeError("options of ".concat(fn, "() must be an object; got ").concat(describe(options)));
    }
    for (var key in options) {
        if (!allowed.has(key)) {
            throw new TypeError("".concat(fn, "() has no option '").concat(key, "'; its options are ").concat(__spreadArray([], allowed, true).map(function (k) { return "'".concat(k, "'"); }).join(', ')));
        }
    }
    return options;
}
/** The values of an activation's numeric params, defaults filled in. */
function checkParams(options, specs, names) {
    if (names === void 0) { names = Object.keys(specs); }
    var values = {};
    for (var _i = 0, names_1 = names; _i < names_1.length; _i++) {
        var name_1 = names_1[_i];
        var spec = specs[name_1];
        var value = options[name_1];
        if (value === undefined) {
            if (spec.required)
                throw new TypeError("".concat(name_1, " is required (it has no default); got none"));
            values[name_1] = spec.default;
            continue;
        }
        if (typeof value !== 'number')
            throw new TypeError("".concat(name_1, " must be a number; got ").concat(describe(value)));
        if (!spec.allows(value))
            throw new RangeError("".concat(name_1, " must be ").concat(spec.requirement, "; got ").concat(value));
        values[name_1] = value;
    }
    return values;
}
/**
 * The `out` option: undefined (a new array is made), or a Float32Array or ActivationBuffer of
 * exactly `x.length` elements that is `x` itself or does not overlap it.
 */
function checkOut(out, x, name) {
    if (name === void 0) { name = 'x'; }
    if (out === undefined)
        return undefined;
    if (!(out instanceof Float32Array) && !(out instanceof buffer_js_1.ActivationBuffer)) {
        throw new TypeError("out must be a Float32Array or an ActivationBuffer; got ".concat(describe(out)));
    }
    if (out.length !== x.length) {
        throw new RangeError("out must have the length of ".concat(name, " (").concat(x.length, "); got length ").concat(out.length));
    }
    if (out instanceof buffer_js_1.ActivationBuffer && out.freed)
        throw new Error('cannot use out after free: this ActivationBuffer was freed');
    if (x instanceof buffer_js_1.ActivationBuffer && x.freed)
        throw new Error("cannot use ".concat(name, " after free: this ActivationBuffer was freed"));
    if (out === x)
        return out; // in place
    // Two buffers are two blocks of the allocator: they never overlap unless they are the same.
    if (out instanceof buffer_js_1.ActivationBuffer && x instanceof buffer_js_1.ActivationBuffer)
        return out;
    // Overlap is judged on the memory itself, so a buffer and a view of the same memory count.
    var xs = x instanceof buffer_js_1.ActivationBuffer ? x.array : x;
    var os = out instanceof buffer_js_1.ActivationBuffer ? out.array : out;
    if (os.byteOffset !== xs.byteOffset && os.length > 0 && os.buffer === xs.buffer) {
        var outEnd = os.byteOffset + os.byteLength;
        var xEnd = xs.byteOffset + xs.byteLength;
        if (os.byteOffset < xEnd && xs.byteOffset < outEnd) {
            throw new RangeError("out overlaps ".concat(name, " at another offset; pass ").concat(name, " itself (in place) or a separate array"));
        }
    }
    return out;
}
/**
 * The two inputs of a backward pass: of equal length (a RangeError naming both otherwise) and
 * not freed.
 */
function checkPair(dy, x, xName) {
    if (dy.length !== x.length) {
        throw new RangeError("dy and ".concat(xName, " must have the same length; got dy of length ").concat(dy.length, " and ").concat(xName, " of length ").concat(x.length));
    }
    if (dy instanceof buffer_js_1.ActivationBuffer && dy.freed)
        throw new Error('cannot use dy after free: this ActivationBuffer was freed');
    if (x instanceof buffer_js_1.ActivationBuffer && x.freed)
        throw new Error("cannot use ".concat(xName, " after free: this ActivationBuffer was freed"));
}
/** The length argument of allocate(). */
function checkLength(length) {
    if (typeof length !== 'number' || !Number.isInteger(length)) {
        throw new TypeError("length must be an integer; got ".concat(describe(length)));
    }
    if (length < 0 || length > Math.pow(2, 30))
        throw new RangeError("length must be in [0, 2^30]; got ".concat(length));
    return length;
}
/** Checks `shape` and `dim` against the length of x and returns the [outer, n, inner] view. */
function checkLayout(shapeOption, dimOption, length, name) {
    if (name === void 0) { name = 'x'; }
    if (shapeOption === undefined && (dimOption === undefined || dimOption === -1 || dimOption === 0)) {
        return { outer: 1, n: length, inner: 1 }; // one row: the common call, without building a shape
    }
    var shape;
    if (shapeOption === undefined) {
        shape = [length];
    }
    else {
        if (!Array.isArray(shapeOption))
            throw new TypeError("shape must be an Array of integers; got ".concat(describe(shapeOption)));
        shapeOption.forEach(function (size, i) {
            if (typeof size !== 'number' || !Number.isSafeInteger(size) || size < 0) {
                throw new RangeError("shape[".concat(i, "] must be a non-negative integer; got ").concat(String(size)));
            }
        });
        shape = shapeOption;
        if (shape.length === 0)
            throw new RangeError('shape must have at least one dimension');
        var product = shape.reduce(function (a, b) { return a * b; }, 1);
        if (product !== length) {
            throw new RangeError("shape [".concat(shape.join(', '), "] holds ").concat(product, " elements but ").concat(name, " has ").concat(length));
        }
    }
    var rank = shape.length;
    var dim = dimOption === undefined ? -1 : dimOption;
    if (typeof dim !== 'number' || !Number.isInteger(dim))
        throw new TypeError("dim must be an integer; got ".concat(describe(dim)));
    if (dim < -rank || dim >= rank) {
        throw new RangeError("dim must be in [".concat(-rank, ", ").concat(rank - 1, "] for a shape of rank ").concat(rank, "; got ").concat(dim));
    }
    var axis = dim < 0 ? dim + rank : dim;
    var outer = 1;
    for (var i = 0; i < axis; i++)
        outer *= shape[i];
    var inner = 1;
    for (var i = axis + 1; i < rank; i++)
        inner *= shape[i];
    return { outer: outer, n: shape[axis], inner: inner };
}
