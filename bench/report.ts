// Turns benchmark results into the text table printed on stdout.

/** One measured (or failed) cell. */
export interface Cell {
  readonly fn: string;
  readonly size: number;
  readonly impl: string;
  /** ns per element: median, first and third quartile. */
  readonly median?: number;
  readonly q1?: number;
  readonly q3?: number;
  /** Max error against the float64 reference, in ULP. */
  readonly maxUlp: number;
  /** Set when the output was wrong: the cell is not timed. */
  readonly error?: string;
}

function pad(text: string, width: number, left = false): string {
  return left ? text.padEnd(width) : text.padStart(width);
}

function formatNs(cell: Cell | undefined): string {
  if (!cell) return '—';
  if (cell.error) return 'WRONG';
  const m = cell.median!;
  const spread = ((cell.q3! - cell.q1!) / m) * 100;
  return `${m < 10 ? m.toFixed(3) : m.toFixed(2)} ±${spread.toFixed(0)}%`;
}

/** Human size: 4096 -> 4Ki, 1048576 -> 1Mi. */
export function formatSize(n: number): string {
  if (n % 1048576 === 0) return `${n / 1048576}Mi`;
  if (n % 1024 === 0) return `${n / 1024}Ki`;
  return String(n);
}

/**
 * One table per size: a row per function, a column per implementation (median ns/element and
 * the interquartile range as ± % of it), then the speedup of each package backend over the
 * naive loop.
 */
export function formatTables(cells: readonly Cell[], impls: readonly string[], fns: readonly string[], sizes: readonly number[]): string {
  const lines: string[] = [];
  const speedupImpls = impls.filter((i) => i !== 'naive');
  lines.push('\n(IQR: the spread of the middle half of the batches, as ± % of the median)');
  for (const size of sizes) {
    lines.push(`\n${formatSize(size)} elements — ns/element, median ±IQR/median; speedup over the naive JS loop`);
    const head = [pad('function', 10, true), ...impls.map((i) => pad(i, 15)), ...speedupImpls.map((i) => pad(`× ${i}`, 14))];
    lines.push(head.join(' '));
    for (const fn of fns) {
      const row = [pad(fn, 10, true)];
      const naive = cells.find((c) => c.fn === fn && c.size === size && c.impl === 'naive');
      for (const impl of impls) row.push(pad(formatNs(cells.find((c) => c.fn === fn && c.size === size && c.impl === impl)), 15));
      for (const impl of speedupImpls) {
        const cell = cells.find((c) => c.fn === fn && c.size === size && c.impl === impl);
        const ok = naive?.median && cell?.median && !cell.error && !naive.error;
        row.push(pad(ok ? `${(naive!.median! / cell!.median!).toFixed(1)}×` : '—', 14));
      }
      lines.push(row.join(' '));
    }
  }
  for (const size of sizes) {
    const floor = cells.filter((c) => c.fn === 'limit' && c.size === size);
    if (floor.length) lines.push(`limits @ ${formatSize(size)}: ${floor.map((c) => `${c.impl} ${formatNs(c)}`).join(', ')} ns/element`);
  }
  const wrong = cells.filter((c) => c.error);
  if (wrong.length) {
    lines.push('\nWrong answers (not timed):');
    for (const c of wrong) lines.push(`  ${c.impl} ${c.fn} @ ${formatSize(c.size)}: ${c.error}`);
  }
  return lines.join('\n');
}

function median(cells: readonly Cell[], fn: string, size: number, impl: string): number | undefined {
  const cell = cells.find((c) => c.fn === fn && c.size === size && c.impl === impl);
  return cell && !cell.error ? cell.median : undefined;
}

function ratio(a: number | undefined, b: number | undefined, digits = 1): string {
  return a !== undefined && b !== undefined ? `${(a / b).toFixed(digits)}×` : '—';
}

/**
 * The figures the project's goals are stated in, at each size: wasm-simd's speedup over the
 * naive loop; zero-copy over memory.copy and the copying API over set in + out (how close to
 * the memory limit); the cost of one call at n = 16.
 */
export function formatHeadline(cells: readonly Cell[], fns: readonly string[], sizes: readonly number[]): string {
  const lines = ['\nHeadline'];
  for (const size of sizes) {
    const at = formatSize(size);
    lines.push(`  ${at}: wasm-simd vs naive JS   ${fns.map((fn) => `${fn} ${ratio(median(cells, fn, size, 'naive'), median(cells, fn, size, 'wasm-simd'))}`).join(', ')}`);
    const copy = median(cells, 'limit', size, 'memory.copy');
    const set = median(cells, 'limit', size, 'set in + out');
    lines.push(`  ${at}: zero-copy / memory.copy ${fns.map((fn) => `${fn} ${ratio(median(cells, fn, size, 'zero-copy'), copy, 2)}`).join(', ')}`);
    lines.push(`  ${at}: copying / set in + out  ${fns.map((fn) => `${fn} ${ratio(median(cells, fn, size, 'wasm-simd'), set, 2)}`).join(', ')}`);
  }
  const perCall = fns.map((fn) => {
    const cell = cells.find((c) => c.fn === fn && c.impl === 'per call');
    return cell?.median !== undefined ? `${fn} ${cell.median.toFixed(0)} ns` : undefined;
  }).filter(Boolean);
  if (perCall.length) lines.push(`  one call at n = 16 (wasm-simd, copying API): ${perCall.join(', ')}`);
  return lines.join('\n');
}
