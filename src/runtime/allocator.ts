// A first-fit allocator with coalescing over a region of wasm linear memory that grows on
// demand. Blocks are 16-byte aligned (one v128), free space is kept as a list of [start, end)
// ranges sorted by address, and a freed block merges with free neighbours, so freed space is
// reused and memory stays bounded under any mix of sizes. Only the TypeScript side allocates:
// the wasm module has no heap of its own.
import { noteDetached } from './detached.js';
import type { WasmMemory } from './wasm-types.js';

/** Alignment of every block: one v128. */
export const ALIGN = 16;

/** Bytes per wasm page. */
const PAGE = 65536;

/** Memory usage of an instance. */
export interface MemoryStats {
  /** Bytes of wasm memory reserved (the memory's current size). */
  readonly reservedBytes: number;
  /** Bytes in live allocations (buffers and the copy path's scratch region). */
  readonly usedBytes: number;
  /** The largest usedBytes has been. */
  readonly peakBytes: number;
}

interface Range {
  start: number;
  end: number;
}

function alignUp(n: number): number {
  return Math.ceil(n / ALIGN) * ALIGN;
}

/** Allocates byte ranges of one WebAssembly.Memory. */
export class Allocator {
  private readonly free: Range[] = [];
  private readonly live = new Map<number, number>(); // start -> size
  private used = 0;
  private peak = 0;
  /** End of the usable memory: the memory's size, or maxBytes when that is smaller. */
  private top: number;

  /**
   * @param memory the memory to allocate from (grown on demand)
   * @param maxBytes the most the memory may grow to, rounded down to whole 64 KiB pages (memory
   *   grows by pages); beyond it allocate() throws a RangeError
   * @param base the first byte the allocator may hand out
   */
  readonly maxBytes: number;

  constructor(
    private readonly memory: WasmMemory,
    maxBytes: number,
    base = 0,
  ) {
    this.maxBytes = Math.floor(maxBytes / PAGE) * PAGE;
    const start = alignUp(base);
    const size = Math.min(memory.buffer.byteLength, maxBytes);
    if (size > start) this.free.push({ start, end: size });
    this.top = Math.max(start, size);
  }

  /**
   * Reserves `bytes` (rounded up to 16) and returns the byte address of the block. Throws a
   * RangeError, having changed nothing, when the block would take memory past maxBytes or the
   * engine refuses to grow the memory.
   */
  allocate(bytes: number): number {
    const size = Math.max(ALIGN, alignUp(bytes));
    for (let i = 0; i < this.free.length; i++) {
      const range = this.free[i];
      if (range.end - range.start >= size) {
        const start = range.start;
        range.start += size;
        if (range.start === range.end) this.free.splice(i, 1);
        return this.take(start, size);
      }
    }
    // Nothing fits: grow. A free range that ends at the top of memory is extended.
    const last = this.free[this.free.length - 1];
    const tailFree = last && last.end === this.top ? last.end - last.start : 0;
    const start = this.top - tailFree;
    const needed = start + size;
    if (needed > this.maxBytes) {
      throw new RangeError(
        `cannot allocate ${bytes} bytes: wasm memory would grow to ${needed} bytes, over maxMemoryBytes (${this.maxBytes}); ${this.used} bytes are in use`,
      );
    }
    // Grow by at least an eighth of the current size to keep growth (which detaches every view)
    // rare, but never past maxBytes; if the engine refuses that (its own limit can be below
    // maxBytes: a browser tab's, or V8's --wasm-max-mem-pages), by just what the block needs.
    const want = Math.min(this.maxBytes, Math.max(needed, this.top + (this.top >>> 3)));
    const current = this.memory.buffer.byteLength;
    const pages = Math.ceil((want - current) / PAGE);
    const neededPages = Math.ceil((needed - current) / PAGE);
    const before = this.memory.buffer;
    try {
      if (pages > 0) this.memory.grow(pages);
    } catch (first) {
      try {
        if (neededPages < pages) this.memory.grow(neededPages);
        else throw first;
      } catch (error) {
        throw new RangeError(`cannot allocate ${bytes} bytes: the engine refused to grow wasm memory to ${needed} bytes (${(error as Error).message})`);
      }
    }
    if (this.memory.buffer !== before) noteDetached(before); // (a shared memory's old buffer stays valid: never empty)
    // Memory grows by whole pages; what lies past maxBytes is never handed out.
    const newTop = Math.min(this.memory.buffer.byteLength, this.maxBytes);
    if (tailFree) this.free.pop();
    if (newTop > needed) this.free.push({ start: needed, end: newTop });
    this.top = newTop;
    return this.take(start, size);
  }

  private take(start: number, size: number): number {
    this.live.set(start, size);
    this.used += size;
    if (this.used > this.peak) this.peak = this.used;
    return start;
  }

  /** Whether `address` is the start of a live block. */
  isLive(address: number): boolean {
    return this.live.has(address);
  }

  /** Returns a block to the free list, merging it with free neighbours. */
  release(address: number): void {
    const size = this.live.get(address);
    if (size === undefined) throw new Error(`no live allocation at ${address} (freed twice?)`);
    this.live.delete(address);
    this.used -= size;
    const end = address + size;
    // Binary search for the first free range after the block.
    let lo = 0;
    let hi = this.free.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.free[mid].start < address) lo = mid + 1;
      else hi = mid;
    }
    const before = this.free[lo - 1];
    const after = this.free[lo];
    if (before && before.end === address) {
      before.end = end;
      if (after && after.start === end) {
        before.end = after.end;
        this.free.splice(lo, 1);
      }
    } else if (after && after.start === end) {
      after.start = address;
    } else {
      this.free.splice(lo, 0, { start: address, end });
    }
  }

  /** Current usage. */
  stats(): MemoryStats {
    return { reservedBytes: this.memory.buffer.byteLength, usedBytes: this.used, peakBytes: this.peak };
  }
}
