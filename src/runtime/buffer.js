"use strict";
// Buffers that live in an instance's memory: the zero-copy way to call the activations. A
// wasm instance's buffers are blocks of its linear memory, so an activation whose x and out are
// both buffers runs on them where they are, copying nothing. Memory growth detaches every view
// of the old memory, so `array` rebuilds its view whenever that happened.
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
var _a;
var _ActivationBuffer_instances, _ActivationBuffer_host, _ActivationBuffer_address, _ActivationBuffer_length, _ActivationBuffer_view, _ActivationBuffer_freed, _ActivationBuffer_check;
Object.defineProperty(exports, "__esModule", { value: true });
exports.ActivationBuffer = void 0;
// Symbol.dispose exists in Node >= 20 and recent browsers; elsewhere the well-known-symbol
// registry key the TypeScript `using` helpers look up.
var disposeSymbol = (_a = Symbol.dispose) !== null && _a !== void 0 ? _a : Symbol.for('Symbol.dispose');
/**
 * `length` float32 values living in an Activations instance's memory. Pass it as `x` or `out` of
 * that instance's functions to avoid copying; read and write it through `array`. Free it with
 * `free()` or a `using` declaration; a freed buffer cannot be used again.
 */
var ActivationBuffer = /** @class */ (function () {
    /** @internal Made by `allocate()`, not by users. */
    function ActivationBuffer(host, address, length) {
        _ActivationBuffer_instances.add(this);
        _ActivationBuffer_host.set(this, void 0);
        _ActivationBuffer_address.set(this, void 0);
        _ActivationBuffer_length.set(this, void 0);
        _ActivationBuffer_view.set(this, null);
        _ActivationBuffer_freed.set(this, false);
        __classPrivateFieldSet(this, _ActivationBuffer_host, host, "f");
        __classPrivateFieldSet(this, _ActivationBuffer_address, address, "f");
        __classPrivateFieldSet(this, _ActivationBuffer_length, length, "f");
    }
    Object.defineProperty(ActivationBuffer.prototype, "length", {
        /** Number of float32 elements. */
        get: function () {
            return __classPrivateFieldGet(this, _ActivationBuffer_length, "f");
        },
        enumerable: false,
        configurable: true
    });
    Object.defineProperty(ActivationBuffer.prototype, "array", {
        /**
         * A Float32Array over the buffer's memory, valid until the next call that may grow memory
         * (an allocate() or a copying call): read `array` again rather than keeping the view.
         */
        get: function () {
            __classPrivateFieldGet(this, _ActivationBuffer_instances, "m", _ActivationBuffer_check).call(this, 'read');
            if (__classPrivateFieldGet(this, _ActivationBuffer_view, "f") === null || !__classPrivateFieldGet(this, _ActivationBuffer_host, "f").isCurrent(__classPrivateFieldGet(this, _ActivationBuffer_view, "f"))) {
                __classPrivateFieldSet(this, _ActivationBuffer_view, __classPrivateFieldGet(this, _ActivationBuffer_host, "f").view(__classPrivateFieldGet(this, _ActivationBuffer_address, "f"), __classPrivateFieldGet(this, _ActivationBuffer_length, "f")), "f");
            }
            return __classPrivateFieldGet(this, _ActivationBuffer_view, "f");
        },
        enumerable: false,
        configurable: true
    });
    Object.defineProperty(ActivationBuffer.prototype, "freed", {
        /** Whether free() was called. */
        get: function () {
            return __classPrivateFieldGet(this, _ActivationBuffer_freed, "f");
        },
        enumerable: false,
        configurable: true
    });
    /** @internal The byte address in the owner's memory (throws once freed). */
    ActivationBuffer.prototype.addressFor = function (host, name) {
        if (host !== __classPrivateFieldGet(this, _ActivationBuffer_host, "f"))
            throw new TypeError("".concat(name, " is a buffer of another Activations instance; use that instance or copy its array"));
        __classPrivateFieldGet(this, _ActivationBuffer_instances, "m", _ActivationBuffer_check).call(this, "use ".concat(name, " after free"));
        return __classPrivateFieldGet(this, _ActivationBuffer_address, "f");
    };
    /** Gives the memory back to the instance. Throws when called twice. */
    ActivationBuffer.prototype.free = function () {
        if (__classPrivateFieldGet(this, _ActivationBuffer_freed, "f"))
            throw new Error('this ActivationBuffer was already freed');
        __classPrivateFieldSet(this, _ActivationBuffer_freed, true, "f");
        __classPrivateFieldSet(this, _ActivationBuffer_view, null, "f");
        __classPrivateFieldGet(this, _ActivationBuffer_host, "f").release(__classPrivateFieldGet(this, _ActivationBuffer_address, "f"));
    };
    /** free(), for `using buffer = acts.allocate(n)`. Does nothing if already freed. */
    ActivationBuffer.prototype[(_ActivationBuffer_host = new WeakMap(), _ActivationBuffer_address = new WeakMap(), _ActivationBuffer_length = new WeakMap(), _ActivationBuffer_view = new WeakMap(), _ActivationBuffer_freed = new WeakMap(), _ActivationBuffer_instances = new WeakSet(), disposeSymbol)] = function () {
        if (!__classPrivateFieldGet(this, _ActivationBuffer_freed, "f"))
            this.free();
    };
    return ActivationBuffer;
}());
exports.ActivationBuffer = ActivationBuffer;
_ActivationBuffer_check = function _ActivationBuffer_check(what) {
    if (__classPrivateFieldGet(this, _ActivationBuffer_freed, "f"))
        throw new Error("cannot ".concat(what, ": this ActivationBuffer was freed"));
};
