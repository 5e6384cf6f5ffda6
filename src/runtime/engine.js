"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.WasmEngine = exports.JS_BELOW = exports.JsEngine = exports.CHUNK_ELEMENTS = exports.DEFAULT_MAX_MEMORY_BYTES = void 0;
var allocator_js_1 = require("./allocator.js");
var buffer_js_1 = require("./buffer.js");
/** The most memory an instance may use by default: all a wasm32 memory can address. */
exports.DEFAULT_MAX_MEMORY_BYTES = Math.pow(2, 32);
/**
 * Elements per chunk of the copying path: 16Ki floats (64 KiB) stays in L2 and keeps the
 * per-chunk call overhead below 1% of the work.
 */
exports.CHUNK_ELEMENTS = 16384;
/** Plain JavaScript: each definition's own float64 loop. */
var JsEngine = /** @class */ (function () {
    function JsEngine(maxBytes) {
        this.maxBytes = maxBytes;
        this.backend = 'js';
        this.arrays = new Map();
        this.nextId = 16;
        this.used = 0;
        this.peak = 0;
    }
    JsEngine.prototype.allocate = function (length) {
        var bytes = Math.max(16, Math.ceil((length * 4) / 16) * 16);
        if (this.used + bytes > this.maxBytes) {
            throw new RangeError("cannot allocate ".concat(length, " floats: ").concat(this.used + bytes, " bytes would exceed maxMemoryBytes (").concat(this.maxBytes, ")"));
        }
        var id = this.nextId;
        this.nextId += 16;
        this.arrays.set(id, new Float32Array(length));
        this.used += bytes;
        this.peak = Math.max(this.peak, this.used);
        return new buffer_js_1.ActivationBuffer(this, id, length);
    };
    JsEngine.prototype.view = function (address) {
        return this.arrays.get(address);
    };
    JsEngine.prototype.isCurrent = function () {
        return true;
    };
    JsEngine.prototype.release = function (address) {
        var array = this.arrays.get(address);
        if (!array)
            throw new Error("no live buffer ".concat(address));
        this.arrays.delete(address);
        this.used -= Math.max(16, Math.ceil((array.length * 4) / 16) * 16);
    };
    JsEngine.prototype.stats = function () {
        return { reservedBytes: this.used, usedBytes: this.used, peakBytes: this.peak };
    };
    JsEngine.prototype.array = function (operand, name) {
        if (operand instanceof buffer_js_1.ActivationBuffer) {
            operand.addressFor(this, name);
            return operand.array;
        }
        return operand;
    };
    JsEngine.prototype.elementwise = function (definition) {
        var _this = this;
        return function (x, out, params) {
            var xs = _this.array(x, 'x');
            definition.js(xs, _this.array(out, 'out'), xs.length, params);
        };
    };
    JsEngine.prototype.reduction = function (definition) {
        var _this = this;
        return function (x, out, layout, params) {
            definition.js(_this.array(x, 'x'), _this.array(out, 'out'), layout.outer, layout.n, layout.inner, params);
        };
    };
    JsEngine.prototype.elementwiseBackward = function (definition) {
        var _this = this;
        var backward = definition.backward;
        return function (dy, x, out, params) {
            var dys = _this.array(dy, 'dy');
            backward.js(dys, _this.array(x, 'x'), _this.array(out, 'out'), dys.length, params);
        };
    };
    JsEngine.prototype.reductionBackward = function (definition) {
        var _this = this;
        var backward = definition.backward;
        return function (dy, y, out, layout, params) {
            backward.js(_this.array(dy, 'dy'), _this.array(y, 'y'), _this.array(out, 'out'), layout.outer, layout.n, layout.inner, params);
        };
    };
    return JsEngine;
}());
exports.JsEngine = JsEngine;
/**
 * Plain arrays shorter than this run the definition's js loop even on a wasm backend: the two
 * copies and the call into wasm cost more than the work (measured on Node 20, x64: relu at n = 4
 * 59 ns in js vs 83 ns through wasm; at n = 16 wasm wins for every function, 83 vs 70 ns for
 * relu and 96 vs 188 ns for sigmoid). Results stay within each definition's bound either way.
 */
exports.JS_BELOW = 8;
/** One wasm instance (simd or scalar build), its memory and its allocator. */
var WasmEngine = /** @class */ (function () {
    function WasmEngine(backend, kernels, maxBytes) {
        this.backend = backend;
        this.kernels = kernels;
        this.scratchAddress = -1;
        this.lastScratchView = null;
        /** The backward passes' scratch: two chunks (dy and the saved tensor), reserved on first use. */
        this.pairScratchAddress = -1;
        this.memory = kernels.memory;
        this.allocator = new allocator_js_1.Allocator(this.memory, maxBytes);
        this.heapView = new Float32Array(this.memory.buffer);
    }
    /**
     * A float32 view of all of memory, rebuilt when growth detached the last one. Growth detaches
     * the old buffer, which leaves its views with length 0: a cheaper test than comparing with
     * memory.buffer (a getter that calls into the engine) on every call.
     */
    WasmEngine.prototype.heap = function () {
        if (this.heapView.length === 0)
            this.heapView = new Float32Array(this.memory.buffer);
        return this.heapView;
    };
    WasmEngine.prototype.kernel = function (name) {
        var exported = this.kernels[name];
        if (typeof exported !== 'function')
            throw new Error("the wasm module has no export '".concat(name, "'"));
        return exported;
    };
    /**
     * The copying path's scratch region (CHUNK_ELEMENTS floats), reserved on first use. Reserving
     * it may grow memory, which detaches views of it: callers take the addresses of operands that
     * live in memory (addressOf) before, and use addresses, not those views, after.
     */
    WasmEngine.prototype.scratch = function () {
        if (this.scratchAddress < 0)
            this.scratchAddress = this.allocator.allocate(exports.CHUNK_ELEMENTS * 4);
        return this.scratchAddress;
    };
    /**
     * Where an operand lives: its byte address when it is a buffer of this instance, else -1 (an
     * array to copy). With `views`, a Float32Array view of this memory (such as `buffer.array`)
     * counts as living there too: needed only when the call may grow memory before it is done
     * (the first reservation of scratch, an oversized softmax block), since growth detaches such
     * views. Otherwise copying from or to a view of this memory is correct (set() copes with
     * overlap), and skipping the test saves two `.buffer` reads, a builtin call each (~10 ns).
     */
    WasmEngine.prototype.addressOf = function (operand, name, views) {
        if (operand instanceof buffer_js_1.ActivationBuffer)
            return operand.addressFor(this, name);
        return views && operand.buffer === this.heap().buffer ? operand.byteOffset : -1;
    };
    WasmEngine.prototype.allocate = function (length) {
        return new buffer_js_1.ActivationBuffer(this, this.allocator.allocate(length * 4), length);
    };
    WasmEngine.prototype.view = function (address, length) {
        return new Float32Array(this.memory.buffer, address, length);
    };
    WasmEngine.prototype.isCurrent = function (view) {
        return view.length !== 0 || view.buffer === this.memory.buffer; // detached views have length 0
    };
    WasmEngine.prototype.release = function (address) {
        this.allocator.release(address);
    };
    WasmEngine.prototype.stats = function () {
        return this.allocator.stats();
    };
    WasmEngine.prototype.elementwise = function (definition) {
        var _this = this;
        var kernel = this.kernel(definition.wasm.export);
        var args = definition.wasm.args;
        if (args.length > 2)
            throw new Error("".concat(definition.name, ": element-wise kernels take at most two params"));
        var arg0 = args[0], arg1 = args[1];
        return function (x, out, params) {
            if (x.length < exports.JS_BELOW && !(x instanceof buffer_js_1.ActivationBuffer) && !(out instanceof buffer_js_1.ActivationBuffer)) {
                definition.js(x, out, x.length, params);
                return;
            }
            _this.runElementwise(kernel, x, out, arg0 === undefined ? 0 : params[arg0], arg1 === undefined ? 0 : params[arg1]);
        };
    };
    WasmEngine.prototype.runElementwise = function (kernel, x, out, a0, a1) {
        var n = x.length;
        var mayGrow = this.scratchAddress < 0;
        var xAddress = this.addressOf(x, 'x', mayGrow);
        var outAddress = this.addressOf(out, 'out', mayGrow);
        if (xAddress >= 0) {
            if (outAddress >= 0) {
                kernel(xAddress, outAddress, n, a0, a1); // zero copy
                return;
            }
            if (n === 0)
                return;
            var scratch_1 = this.scratch();
            for (var start = 0; start < n; start += exports.CHUNK_ELEMENTS) {
                var len = Math.min(exports.CHUNK_ELEMENTS, n - start);
                kernel(xAddress + start * 4, scratch_1, len, a0, a1);
                out.set(this.scratchView(len), start);
            }
            return;
        }
        x = x;
        out = out;
        if (outAddress >= 0) {
            this.heap().set(x, outAddress >>> 2);
            kernel(outAddress, outAddress, n, a0, a1);
            return;
        }
        if (n === 0)
            return;
        var scratch = this.scratch();
        var heap = this.heap();
        var base = scratch >>> 2;
        if (n <= exports.CHUNK_ELEMENTS) {
            heap.set(x, base);
            kernel(scratch, scratch, n, a0, a1);
            out.set(this.scratchView(n));
            return;
        }
        for (var start = 0; start < n; start += exports.CHUNK_ELEMENTS) {
            var len = Math.min(exports.CHUNK_ELEMENTS, n - start);
            heap.set(x.subarray(start, start + len), base);
            kernel(scratch, scratch, len, a0, a1);
            out.set(len === exports.CHUNK_ELEMENTS ? this.scratchView(len) : heap.subarray(base, base + len), start);
        }
    };
    /**
     * A view of the first `length` floats of scratch. The last one is kept: callers in a loop
     * mostly repeat one length, and making a view costs as much as copying a small array.
     */
    WasmEngine.prototype.scratchView = function (length) {
        var view = this.lastScratchView;
        if (view === null || view.length !== length) {
            var base = this.scratch() >>> 2;
            view = this.lastScratchView = this.heap().subarray(base, base + length);
        }
        return view;
    };
    WasmEngine.prototype.reduction = function (definition) {
        var _this = this;
        var rowKernel = this.kernel(definition.wasm.rows);
        var stridedKernel = this.kernel(definition.wasm.strided);
        return function (x, out, layout) { return _this.runReduction(rowKernel, stridedKernel, x, out, layout); };
    };
    WasmEngine.prototype.runReduction = function (rowKernel, stridedKernel, x, out, layout) {
        var outer = layout.outer, n = layout.n, inner = layout.inner;
        var rows = inner === 1;
        var run = function (src, dst, blocks) {
            if (rows)
                rowKernel(src, dst, blocks, n);
            else
                stridedKernel(src, dst, blocks, n, inner);
        };
        var mayGrow = this.scratchAddress < 0 || n * inner > exports.CHUNK_ELEMENTS;
        var xAddress = this.addressOf(x, 'x', mayGrow);
        var outAddress = this.addressOf(out, 'out', mayGrow);
        if (xAddress >= 0 && outAddress >= 0) {
            run(xAddress, outAddress, outer); // zero copy
            return;
        }
        if (xAddress < 0 && outAddress >= 0) {
            this.heap().set(x, outAddress >>> 2);
            run(outAddress, outAddress, outer);
            return;
        }
        if (x.length === 0)
            return;
        // Through scratch, whole blocks of n * inner floats (for inner = 1: whole rows) per chunk,
        // never a split one. A single block larger than the chunk gets a block of its own for the
        // duration of the call.
        var block = n * inner;
        var blocksPerChunk = Math.max(1, Math.floor(exports.CHUNK_ELEMENTS / block));
        var oversized = block > exports.CHUNK_ELEMENTS;
        var scratch = oversized ? this.allocator.allocate(block * 4) : this.scratch();
        try {
            var heap = this.heap(); // after the allocation above, which may have grown memory
            var base = scratch >>> 2;
            for (var first = 0; first < outer; first += blocksPerChunk) {
                var count = Math.min(blocksPerChunk, outer - first);
                var start = first * block;
                var len = count * block;
                if (xAddress >= 0) {
                    run(xAddress + start * 4, scratch, count);
                }
                else {
                    var xs = x;
                    heap.set(len === xs.length ? xs : xs.subarray(start, start + len), base);
                    run(scratch, scratch, count);
                }
                out.set(heap.subarray(base, base + len), start);
            }
        }
        finally {
            if (oversized)
                this.allocator.release(scratch);
        }
    };
    /** Two chunks of CHUNK_ELEMENTS floats for the backward passes' copying path, reserved on first use. */
    WasmEngine.prototype.pairScratch = function () {
        if (this.pairScratchAddress < 0)
            this.pairScratchAddress = this.allocator.allocate(2 * exports.CHUNK_ELEMENTS * 4);
        return this.pairScratchAddress;
    };
    WasmEngine.prototype.elementwiseBackward = function (definition) {
        var _this = this;
        var kernel = this.kernel(definition.backward.wasm);
        var backwardJs = definition.backward.js;
        var args = definition.wasm.args;
        if (args.length > 2)
            throw new Error("".concat(definition.name, ": element-wise kernels take at most two params"));
        var arg0 = args[0], arg1 = args[1];
        return function (dy, x, out, params) {
            if (dy.length < exports.JS_BELOW && !(dy instanceof buffer_js_1.ActivationBuffer) && !(x instanceof buffer_js_1.ActivationBuffer)
                && !(out instanceof buffer_js_1.ActivationBuffer)) {
                backwardJs(dy, x, out, dy.length, params);
                return;
            }
            var a0 = arg0 === undefined ? 0 : params[arg0];
            var a1 = arg1 === undefined ? 0 : params[arg1];
            _this.runPair(dy, x, 'x', out, dy.length, 1, function (g, s, d, count) { return kernel(g, s, d, count, a0, a1); });
        };
    };
    WasmEngine.prototype.reductionBackward = function (definition) {
        var _this = this;
        var rowKernel = this.kernel(definition.backward.wasm.rows);
        var stridedKernel = this.kernel(definition.backward.wasm.strided);
        return function (dy, y, out, layout) {
            var outer = layout.outer, n = layout.n, inner = layout.inner;
            if (inner === 1)
                _this.runPair(dy, y, 'y', out, outer, n, function (g, s, d, blocks) { return rowKernel(g, s, d, blocks, n); });
            else
                _this.runPair(dy, y, 'y', out, outer, n * inner, function (g, s, d, blocks) { return stridedKernel(g, s, d, blocks, n, inner); });
        };
    };
    /**
     * Runs a two-input kernel `run(a, b, dst, blocks)` over `blocks` blocks of `block` floats
     * (element-wise: blocks of 1). Zero copy when a, b and out are all in memory; otherwise whole
     * blocks go through the pair scratch, a chunk at a time, copying only the operands that are
     * not in memory (a to the first chunk, b to the second; the result lands in the first chunk
     * unless out is in memory). A block larger than a chunk gets a pair of blocks of its own for
     * the duration of the call.
     */
    WasmEngine.prototype.runPair = function (a, b, bName, out, blocks, block, run) {
        var oversized = block > exports.CHUNK_ELEMENTS;
        var mayGrow = this.pairScratchAddress < 0 || oversized;
        var aAddress = this.addressOf(a, 'dy', mayGrow);
        var bAddress = this.addressOf(b, bName, mayGrow);
        var outAddress = this.addressOf(out, 'out', mayGrow);
        if (aAddress >= 0 && bAddress >= 0 && outAddress >= 0) {
            run(aAddress, bAddress, outAddress, blocks); // zero copy
            return;
        }
        if (blocks * block === 0)
            return;
        var chunk = oversized ? block : exports.CHUNK_ELEMENTS;
        var scratch = oversized ? this.allocator.allocate(2 * block * 4) : this.pairScratch();
        try {
            var heap = this.heap(); // after the allocation above, which may have grown memory
            var base = scratch >>> 2;
            var second = scratch + chunk * 4;
            var blocksPerChunk = Math.max(1, Math.floor(chunk / block));
            for (var first = 0; first < blocks; first += blocksPerChunk) {
                var count = Math.min(blocksPerChunk, blocks - first);
                var start = first * block;
                var len = count * block;
                var pa = scratch;
                if (aAddress >= 0)
                    pa = aAddress + start * 4;
                else
                    heap.set(a.subarray(start, start + len), base);
                var pb = second;
                if (bAddress >= 0)
                    pb = bAddress + start * 4;
                else
                    heap.set(b.subarray(start, start + len), second >>> 2);
                run(pa, pb, outAddress >= 0 ? outAddress + start * 4 : scratch, count);
                if (outAddress < 0)
                    out.set(heap.subarray(base, base + len), start);
            }
        }
        finally {
            if (oversized)
                this.allocator.release(scratch);
        }
    };
    return WasmEngine;
}());
exports.WasmEngine = WasmEngine;
