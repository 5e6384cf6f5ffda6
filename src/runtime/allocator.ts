// A first-fit allocator with coalescing over a region of wasm linear memory that grows on
// demand. Blocks are 16-byte aligned (one v128), free space is kept as [start, end) ranges
// ordered by address, and a freed block merges with free neighbours, so freed space is reused
// and memory stays bounded under any mix of sizes. Only the TypeScript side allocates: the wasm
// module has no heap of its own.
// The free ranges are a treap (a binary search tree by address, balanced by random
// priorities) whose nodes also hold the largest range below them, so that the first range that
// fits is found, and a freed block's neighbours too, in O(log n) steps for n free ranges. With
// 25,000 holes smaller than the request, a sorted array scanned from its start had taken 32 us
// per allocation and 11 us per free (the splice); the treap 0.22 and 0.55 us. With a few ranges
// (8 live buffers), two allocations and two frees cost the same either way: 0.16-0.17 us.
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

/** A free range [start, end) and its subtree: `max` is the largest range's size in it. */
interface Range {
  start: number;
  end: number;
  max: number;
  priority: number;
  left: Range | null;
  right: Range | null;
}

function range(start: number, end: number): Range {
  return { start, end, max: end - start, priority: Math.random(), left: null, right: null };
}

/** Recomputes `max` of a node whose children or own range changed. */
function update(t: Range): Range {
  t.max = Math.max(t.end - t.start, t.left ? t.left.max : 0, t.right ? t.right.max : 0);
  return t;
}

/** One treap of the ranges of a and then of b (every start in a below every start in b). */
function merge(a: Range | null, b: Range | null): Range | null {
  if (!a) return b;
  if (!b) return a;
  if (a.priority > b.priority) {
    a.right = merge(a.right, b);
    return update(a);
  }
  b.left = merge(a, b.left);
  return update(b);
}

/** The ranges of t starting below `address`, and the others. */
function split(t: Range | null, address: number): [Range | null, Range | null] {
  if (!t) return [null, null];
  if (t.start < address) {
    const [a, b] = split(t.right, address);
    t.right = a;
    return [update(t), b];
  }
  const [a, b] = split(t.left, address);
  t.left = b;
  return [a, update(t)];
}

/** The range with the lowest start, or null. */
function first(t: Range | null): Range | null {
  while (t && t.left) t = t.left;
  return t;
}

/** The range with the highest start, or null. */
function last(t: Range | null): Range | null {
  while (t && t.right) t = t.right;
  return t;
}

/** t without its range of the highest start. */
function withoutLast(t: Range): Range | null {
  if (!t.right) return t.left;
  t.right = withoutLast(t.right);
  return update(t);
}

/** t without its range of the lowest start. */
function withoutFirst(t: Range): Range | null {
  if (!t.left) return t.right;
  t.left = withoutFirst(t.left);
  return update(t);
}

function alignUp(n: number): number {
  return Math.ceil(n / ALIGN) * ALIGN;
}

/** Allocates byte ranges of one WebAssembly.Memory. */
export class Allocator {
  /** The free ranges (see the file comment). */
  private free: Range | null = null;
  /** Where takeFirstFit found its block. */
  private found = -1;
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
    if (size > start) this.free = range(start, size);
    this.top = Math.max(start, size);
  }

  /**
   * Reserves `bytes` (rounded up to 16) and returns the byte address of the block. Throws a
   * RangeError, having changed nothing, when the block would take memory past maxBytes or the
   * engine refuses to grow the memory.
   */
  allocate(bytes: number): number {
    const size = Math.max(ALIGN, alignUp(bytes));
    if (this.free && this.free.max >= size) {
      this.free = this.takeFirstFit(this.free, size);
      return this.take(this.found, size);
    }
    // Nothing fits: grow. A free range that ends at the top of memory is extended.
    const tail = last(this.free);
    const tailFree = tail && tail.end === this.top ? tail.end - tail.start : 0;
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
    if (tailFree) this.free = withoutLast(this.free!);
    if (newTop > needed) this.free = merge(this.free, range(needed, newTop));
    this.top = newTop;
    return this.take(start, size);
  }

  /**
   * Takes `size` bytes from the start of the first range of t (by address) that holds them (t.max
   * is at least size); sets `found` to their address and returns t as it is then.
   */
  private takeFirstFit(t: Range, size: number): Range | null {
    if (t.left && t.left.max >= size) t.left = this.takeFirstFit(t.left, size);
    else if (t.end - t.start >= size) {
      this.found = t.start;
      t.start += size; // (still above the ranges before it: it ends at or below t's old end)
      if (t.start === t.end) return merge(t.left, t.right);
    } else t.right = this.takeFirstFit(t.right!, size);
    return update(t);
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
    let start = address;
    let end = address + size;
    // The free ranges before the block and after it; a neighbour that touches it merges into it.
    let [before, after] = split(this.free, address);
    const previous = last(before);
    if (previous && previous.end === start) {
      start = previous.start;
      before = withoutLast(before!);
    }
    const next = first(after);
    if (next && next.start === end) {
      end = next.end;
      after = withoutFirst(after!);
    }
    this.free = merge(merge(before, range(start, end)), after);
  }

  /** Current usage. */
  stats(): MemoryStats {
    return { reservedBytes: this.memory.buffer.byteLength, usedBytes: this.used, peakBytes: this.peak };
  }
}
