"use strict";
var __classPrivateFieldGet = (this && this.__classPrivateFieldGet) || function (receiver, state, kind, f) {
    if (kind === "a" && !f) throw new TypeError("Private accessor was defined without a getter");
    if (typeof state === "function" ? receiver !== state || !f : !state.has(receiver)) throw new TypeError("Cannot read private member from an object whose class did not declare it");
    return kind === "m" ? f : kind === "a" ? f.call(receiver) : f ? f.value : state.get(receiver);
};
var __classPrivateFieldSet = (this && this.__classPrivateFieldSet) || function (receiver, state, value, kind, f) {
    if (kind === "m") throw new TypeError("Private method is not writable");
    if (kind === "a" && !f) throw new TypeError("Private accessor was defined without a setter");
    if (typeof state === "function" ? receiver !== state || !f : !state.has(receiver)) throw new TypeError("Cannot write private member to an object whose class did not declare it");
    return (kind === "a" ? f.call(receiver, value) : f ? f.value = value : state.set(receiver, value)), value;
};
var _SavedTensor_instances, _SavedTensor_array, _SavedTensor_view, _SavedTensor_buffer, _SavedTensor_bufferOwner, _SavedTensor_tensor, _SavedTensor_owner, _SavedTensor_ready, _SavedTensor_freeBuffer;
Object.defineProperty(exports, "__esModule", { value: true });
exports.SavedTensor = void 0;
var buffer_js_1 = require("../runtime/buffer.js");
/** A module's saved tensor and the instance its forward() ran on. */
var SavedTensor = /** @class */ (function () {
    function SavedTensor() {
        _SavedTensor_instances.add(this);
        _SavedTensor_array.set(this, null);
        _SavedTensor_view.set(this, null);
        _SavedTensor_buffer.set(this, null);
        _SavedTensor_bufferOwner.set(this, null);
        _SavedTensor_tensor.set(this, null);
        _SavedTensor_owner.set(this, null);
        _SavedTensor_ready.set(this, false);
    }
    Object.defineProperty(SavedTensor.prototype, "ready", {
        /** Whether a forward() completed since the last clear() or release(). */
        get: function () {
            return __classPrivateFieldGet(this, _SavedTensor_ready, "f");
        },
        enumerable: false,
        configurable: true
    });
    Object.defineProperty(SavedTensor.prototype, "tensor", {
        /** The saved tensor (valid when ready). */
        get: function () {
            return __classPrivateFieldGet(this, _SavedTensor_tensor, "f");
        },
        enumerable: false,
        configurable: true
    });
    Object.defineProperty(SavedTensor.prototype, "owner", {
        /** The instance the forward() ran on (valid when ready): its backward runs there too. */
        get: function () {
            return __classPrivateFieldGet(this, _SavedTensor_owner, "f");
        },
        enumerable: false,
        configurable: true
    });
    /** Forgets the saved tensor (kept storage is reused by the next store()). */
    SavedTensor.prototype.clear = function () {
        __classPrivateFieldSet(this, _SavedTensor_ready, false, "f");
    };
    /**
     * Copies `source` into the module's storage; call {@link commit} once the forward pass
     * succeeded. A buffer source is copied into a buffer of `owner` (the instance the call runs on),
     * allocated here when the length or the instance changed; allocating may grow that instance's
     * memory, so `source.array` is read after it.
     */
    SavedTensor.prototype.store = function (owner, source) {
        __classPrivateFieldSet(this, _SavedTensor_ready, false, "f");
        var n = source.length;
        if (source instanceof buffer_js_1.ActivationBuffer) {
            var buffer = __classPrivateFieldGet(this, _SavedTensor_buffer, "f");
            if (buffer === null || buffer.freed || buffer.length !== n || __classPrivateFieldGet(this, _SavedTensor_bufferOwner, "f") !== owner) {
                __classPrivateFieldGet(this, _SavedTensor_instances, "m", _SavedTensor_freeBuffer).call(this);
                buffer = owner.allocate(n);
                __classPrivateFieldSet(this, _SavedTensor_buffer, buffer, "f");
                __classPrivateFieldSet(this, _SavedTensor_bufferOwner, owner, "f");
            }
            buffer.array.set(source.array);
            __classPrivateFieldSet(this, _SavedTensor_tensor, buffer, "f");
        }
        else {
            __classPrivateFieldGet(this, _SavedTensor_instances, "m", _SavedTensor_freeBuffer).call(this); // an array forward: give the instance its memory back
            if (__classPrivateFieldGet(this, _SavedTensor_array, "f") === null || __classPrivateFieldGet(this, _SavedTensor_array, "f").length < n) {
                __classPrivateFieldSet(this, _SavedTensor_array, new Float32Array(n), "f");
                __classPrivateFieldSet(this, _SavedTensor_view, null, "f");
            }
            if (__classPrivateFieldGet(this, _SavedTensor_view, "f") === null || __classPrivateFieldGet(this, _SavedTensor_view, "f").length !== n)
                __classPrivateFieldSet(this, _SavedTensor_view, __classPrivateFieldGet(this, _SavedTensor_array, "f").subarray(0, n), "f");
            __classPrivateFieldGet(this, _SavedTensor_view, "f").set(source);
            __classPrivateFieldSet(this, _SavedTensor_tensor, __classPrivateFieldGet(this, _SavedTensor_view, "f"), "f");
        }
        __classPrivateFieldSet(this, _SavedTensor_owner, owner, "f");
    };
    /** Marks the stored tensor as the one backward() uses. */
    SavedTensor.prototype.commit = function () {
        __classPrivateFieldSet(this, _SavedTensor_ready, true, "f");
    };
    /** Drops the saved tensor and its storage, freeing its buffer in the instance's memory, if any. */
    SavedTensor.prototype.release = function () {
        __classPrivateFieldSet(this, _SavedTensor_ready, false, "f");
        __classPrivateFieldGet(this, _SavedTensor_instances, "m", _SavedTensor_freeBuffer).call(this);
        __classPrivateFieldSet(this, _SavedTensor_array, null, "f");
        __classPrivateFieldSet(this, _SavedTensor_view, null, "f");
        __classPrivateFieldSet(this, _SavedTensor_tensor, null, "f");
        __classPrivateFieldSet(this, _SavedTensor_owner, null, "f");
    };
    return SavedTensor;
}());
exports.SavedTensor = SavedTensor;
_SavedTensor_array = new WeakMap(), _SavedTensor_view = new WeakMap(), _SavedTensor_buffer = new WeakMap(), _SavedTensor_bufferOwner = new WeakMap(), _SavedTensor_tensor = new WeakMap(), _SavedTensor_owner = new WeakMap(), _SavedTensor_ready = new WeakMap(), _SavedTensor_instances = new WeakSet(), _SavedTensor_freeBuffer = function _SavedTensor_freeBuffer() {
    if (__classPrivateFieldGet(this, _SavedTensor_buffer, "f") !== null && !__classPrivateFieldGet(this, _SavedTensor_buffer, "f").freed)
        __classPrivateFieldGet(this, _SavedTensor_buffer, "f").free();
    __classPrivateFieldSet(this, _SavedTensor_buffer, null, "f");
    __classPrivateFieldSet(this, _SavedTensor_bufferOwner, null, "f");
    if (__classPrivateFieldGet(this, _SavedTensor_tensor, "f") instanceof buffer_js_1.ActivationBuffer)
        __classPrivateFieldSet(this, _SavedTensor_tensor, null, "f");
};
