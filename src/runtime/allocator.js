"use strict";
// A first-fit allocator with coalescing over a region of wasm linear memory that grows on
// demand. Blocks are 16-byte aligned (one v128), free space is kept as a list of [start, end)
// ranges sorted by address, and a freed block merges with free neighbours, so freed space is
// reused and memory stays bounded under any mix of sizes. Only the TypeScript side allocates:
// the wasm module has no heap of its own.
Object.defineProperty(exports, "__esModule", { value: true });
exports.Allocator = exports.ALIGN = void 0;
/** Alignment of every block: one v128. */
exports.ALIGN = 16;
/** Bytes per wasm page. */
var PAGE = 65536;
function alignUp(n) {
    return Math.ceil(n / exports.ALIGN) * exports.ALIGN;
}
/** Allocates byte ranges of one WebAssembly.Memory. */
var Allocator = /** @class */ (function () {
    function Allocator(memory, maxBytes, base) {
        if (base === void 0) { base = 0; }
        this.memory = memory;
        this.free = [];
        this.live = new Map(); // start -> size
        this.used = 0;
        this.peak = 0;
        this.maxBytes = Math.floor(maxBytes / PAGE) * PAGE;
        var start = alignUp(base);
        var size = Math.min(memory.buffer.byteLength, maxBytes);
        if (size > start)
            this.free.push({ start: start, end: size });
        this.top = Math.max(start, size);
    }
    /**
     * Reserves `bytes` (rounded up to 16) and returns the byte address of the block. Throws a
     * RangeError, having changed nothing, when the block would take memory past maxBytes or the
     * engine refuses to grow the memory.
     */
    Allocator.prototype.allocate = function (bytes) {
        var size = Math.max(exports.ALIGN, alignUp(bytes));
        for (var i = 0; i < this.free.length; i++) {
            var range = this.free[i];
            if (range.end - range.start >= size) {
                var start_1 = range.start;
                range.start += size;
                if (range.start === range.end)
                    this.free.splice(i, 1);
                return this.take(start_1, size);
            }
        }
        // Nothing fits: grow. A free range that ends at the top of memory is extended.
        var last = this.free[this.free.length - 1];
        var tailFree = last && last.end === this.top ? last.end - last.start : 0;
        var start = this.top - tailFree;
        var needed = start + size;
        if (needed > this.maxBytes) {
            throw new RangeError("cannot allocate ".concat(bytes, " bytes: wasm memory would grow to ").concat(needed, " bytes, over maxMemoryBytes (").concat(this.maxBytes, "); ").concat(this.used, " bytes are in use"));
        }
        // Grow by at least an eighth of the current size to keep growth (which detaches every view)
        // rare, but never past maxBytes.
        var want = Math.min(this.maxBytes, Math.max(needed, this.top + (this.top >>> 3)));
        var pages = Math.ceil((want - this.memory.buffer.byteLength) / PAGE);
        try {
            if (pages > 0)
                this.memory.grow(pages);
        }
        catch (error) {
            throw new RangeError("cannot allocate ".concat(bytes, " bytes: the engine refused to grow wasm memory to ").concat(want, " bytes (").concat(error.message, ")"));
        }
        // Memory grows by whole pages; what lies past maxBytes is never handed out.
        var newTop = Math.min(this.memory.buffer.byteLength, this.maxBytes);
        if (tailFree)
            this.free.pop();
        if (newTop > needed)
            this.free.push({ start: needed, end: newTop });
        this.top = newTop;
        return this.take(start, size);
    };
    Allocator.prototype.take = function (start, size) {
        this.live.set(start, size);
        this.used += size;
        if (this.used > this.peak)
            this.peak = this.used;
        return start;
    };
    /** Whether `address` is the start of a live block. */
    Allocator.prototype.isLive = function (address) {
        return this.live.has(address);
    };
    /** Returns a block to the free list, merging it with free neighbours. */
    Allocator.prototype.release = function (address) {
        var size = this.live.get(address);
        if (size === undefined)
            throw new Error("no live allocation at ".concat(address, " (freed twice?)"));
        this.live.delete(address);
        this.used -= size;
        var end = address + size;
        // Binary search for the first free range after the block.
        var lo = 0;
        var hi = this.free.length;
        while (lo < hi) {
            var mid = (lo + hi) >>> 1;
            if (this.free[mid].start < address)
                lo = mid + 1;
            else
                hi = mid;
        }
        var before = this.free[lo - 1];
        var after = this.free[lo];
        if (before && before.end === address) {
            before.end = end;
            if (after && after.start === end) {
                before.end = after.end;
                this.free.splice(lo, 1);
            }
        }
        else if (after && after.start === end) {
            after.start = address;
        }
        else {
            this.free.splice(lo, 0, { start: address, end: end });
        }
    };
    /** Current usage. */
    Allocator.prototype.stats = function () {
        return { reservedBytes: this.memory.buffer.byteLength, usedBytes: this.used, peakBytes: this.peak };
    };
    return Allocator;
}());
exports.Allocator = Allocator;
