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
  const wrong = cells.filter((c) => c.error);
  if (wrong.length) {
    lines.push('\nWrong answers (not timed):');
    for (const c of wrong) lines.push(`  ${c.impl} ${c.fn} @ ${formatSize(c.size)}: ${c.error}`);
  }
  return lines.join('\n');
}
