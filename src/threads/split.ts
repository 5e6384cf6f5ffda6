// How a call's work is divided between workers.

/** A part of a call: `count` units from unit `start`. */
export interface Part {
  readonly start: number;
  readonly count: number;
}

/**
 * Splits `count` units into at most `parts` near-equal parts whose starts are multiples of
 * `align` units. Element-wise calls split elements with align 16 (64 bytes: each part starts on
 * a v128 and on a cache line, so no two workers write one line); softmax-like calls split
 * whole slices (align 1, a unit being one slice block).
 */
export function split(count: number, parts: number, align: number): Part[] {
  const groups = Math.ceil(count / align);
  const n = Math.max(1, Math.min(parts, groups));
  const result: Part[] = [];
  let start = 0;
  for (let i = 1; i <= n; i++) {
    const end = i === n ? count : Math.min(count, Math.floor((groups * i) / n) * align);
    if (end > start) result.push({ start, count: end - start });
    start = end;
  }
  return result;
}
