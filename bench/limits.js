"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.limits = limits;
// The floors under every kernel: moving the same bytes without computing anything.
//  - "set in + out": what the copying API must do at least, a TypedArray set() into wasm memory
//    and one back out (as many bytes as the copying path moves);
//  - "memory.copy": the engine's bulk copy of n floats inside wasm memory (read n, write n, as a
//    zero-copy kernel does).
var loader_js_1 = require("../src/runtime/loader.js");
/** The two limits over one wasm instance of their own. */
function limits() {
    var exports = (0, loader_js_1.instantiateSync)((0, loader_js_1.compileSync)('simd'));
    var memory = exports.memory;
    var copyFloats = exports.copyFloats;
    var ensure = function (bytes) {
        var missing = bytes - memory.buffer.byteLength;
        if (missing > 0)
            memory.grow(Math.ceil(missing / 65536));
        return new Float32Array(memory.buffer);
    };
    return [
        {
            id: 'set in + out',
            note: 'TypedArray set() of the input into wasm memory and of as many floats back out: the least a copying call moves',
            prepare: function (x) {
                var heap = ensure(x.length * 4);
                var out = new Float32Array(x.length);
                var view = heap.subarray(0, x.length);
                return function () {
                    heap.set(x, 0);
                    out.set(view);
                };
            },
        },
        {
            id: 'memory.copy',
            note: 'wasm memory.copy of n floats inside wasm memory (read n, write n, as a zero-copy kernel does)',
            prepare: function (x) {
                var heap = ensure(x.length * 8);
                heap.set(x, 0);
                return function () { return copyFloats(0, x.length * 4, x.length); };
            },
        },
    ];
}
