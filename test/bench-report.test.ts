// The benchmark's report (bench/report.ts) and README section (bench/readme.ts): number and cell
// formatting, the tables as text and Markdown, the headline ratios and the goals.
import { describe, expect, it } from 'vitest';
import { benchSection, BENCH_END, BENCH_START, renderBenchReadme } from '../bench/readme.js';
import {
  formatCell, formatNumber, formatRatio, formatReport, formatSize, goalTable, limitsTable, perCallTable, renderMarkdown, renderText,
  memoryGoalTable, sizeTable, speedupLegend, speedupTable, sweepTable, threadGoalTable, threadsTable, wrongNotes,
} from '../bench/report.js';
import type { BenchResults, Cell } from '../bench/results.js';

const timed = (fn: string, size: number, impl: string, median: number, extra: Partial<Cell> = {}): Cell =>
  ({ fn, size, impl, unit: 'ns/element', median, q1: median * 0.95, q3: median * 1.05, maxUlp: 0.5, ...extra });

function fixture(): BenchResults {
  const cells: Cell[] = [];
  for (const size of [65536, 1048576]) {
    cells.push(timed('relu', size, 'naive', 6), timed('relu', size, 'wasm-simd', 0.12), timed('relu', size, 'zero-copy', 0.05));
    cells.push(timed('relu', size, 'tfjs-wasm', 1.2), timed('relu', size, 'ort-web', 0.09));
    cells.push(timed('sigmoid', size, 'naive', 10), timed('sigmoid', size, 'wasm-simd', 1), timed('sigmoid', size, 'zero-copy', 0.95));
    cells.push(timed('sigmoid', size, 'tfjs-wasm', 1.2, { outOfBound: true, maxUlp: 2.97, boundUlp: 2 }), timed('sigmoid', size, 'ort-web', 2.5));
    cells.push(timed('limit', size, 'memory.copy', 0.03), timed('limit', size, 'set in + out', 0.07));
  }
  cells.push({ fn: 'sigmoid', size: 4096, impl: 'wasm-scalar', unit: 'ns/element', maxUlp: 9, boundUlp: 2, error: 'max error 9 ULP at x = 1 (bound 2)' });
  cells.push({ ...timed('relu', 16, 'wasm-simd', 120), unit: 'ns/call' }, { ...timed('sigmoid', 16, 'wasm-simd', 140), unit: 'ns/call' });
  return {
    schema: 1,
    date: '2026-01-02T03:04:05.000Z',
    durationSeconds: 99.6,
    args: ['--peers'],
    environment: {
      cpu: 'Test CPU', cores: 2, memoryGiB: 24, platform: 'linux', arch: 'x64', osRelease: '6', node: 'v20.1.0', v8: '11', loadAverage: 0.2,
      versions: { 'wasm-activations': '0.1.0', '@tensorflow/tfjs-core': '4.22.0' },
    },
    method: { input: 'uniform', seed: 1, rowLength: 1024, warmupMs: 1, batchMs: 1, batches: 5, maxCellMs: 10, minBatches: 5, perCallN: 16 },
    fns: ['relu', 'sigmoid'],
    sizes: [65536, 1048576],
    implementations: [
      { id: 'naive', label: 'naive JS loop', kind: 'naive', note: 'loop' },
      { id: 'wasm-scalar', label: 'scalar', kind: 'package', note: 'copying' },
      { id: 'wasm-simd', label: 'simd', kind: 'package', note: 'copying' },
      { id: 'zero-copy', label: 'simd zero-copy', kind: 'zero-copy', note: 'buffers' },
      { id: 'tfjs-wasm', label: 'tfjs-backend-wasm 4.22.0', kind: 'peer', note: 'end to end' },
      { id: 'ort-web', label: 'onnxruntime-web 1.30.0', kind: 'peer', note: 'end to end' },
    ],
    limits: [{ id: 'set in + out', label: 'set in + out', kind: 'limit', note: 'set' }, { id: 'memory.copy', label: 'memory.copy', kind: 'limit', note: 'copy' }],
    peerSettings: {},
    cells,
  };
}

describe('formatting', () => {
  it('names sizes in Ki and Mi', () => {
    expect(formatSize(4096)).toBe('4Ki');
    expect(formatSize(16777216)).toBe('16Mi');
    expect(formatSize(16)).toBe('16');
    expect(formatSize(1000)).toBe('1000');
  });

  it('keeps three significant digits below 100 and whole numbers above', () => {
    expect(formatNumber(0.04712)).toBe('0.0471');
    expect(formatNumber(1.1849)).toBe('1.18');
    expect(formatNumber(14.26)).toBe('14.3');
    expect(formatNumber(6323.4)).toBe('6323');
    expect(formatNumber(Infinity)).toBe('Infinity');
  });

  it('shows a cell as median ±IQR%, marks a peer outside the bound, names a wrong one', () => {
    expect(formatCell(timed('relu', 1, 'x', 2))).toBe('2 ±10%');
    expect(formatCell(timed('relu', 1, 'x', 2), false)).toBe('2');
    expect(formatCell(timed('relu', 1, 'x', 2, { outOfBound: true }))).toBe('2 ±10%*');
    expect(formatCell({ fn: 'relu', size: 1, impl: 'x', unit: 'ns/element', maxUlp: 9, error: 'bad' })).toBe('wrong');
    expect(formatCell(undefined)).toBe('—');
  });

  it('writes ratios as their time over ours', () => {
    expect(formatRatio(10, 1)).toBe('10.0×');
    expect(formatRatio(3, 2)).toBe('1.50×');
    expect(formatRatio(120, 1)).toBe('120×');
    expect(formatRatio(undefined, 1)).toBe('—');
    expect(formatRatio(1, 0)).toBe('—');
  });
});

describe('tables', () => {
  const table = { header: ['function', 'a', 'bb'], rows: [['relu', '1', '22'], ['leakyRelu', '333', '4|5']] };

  it('pads text columns: first left-aligned, the others right', () => {
    expect(renderText(table).split('\n')).toEqual([
      'function     a   bb',
      'relu         1   22',
      'leakyRelu  333  4|5',
    ]);
  });

  it('renders Markdown with alignment and escaped pipes', () => {
    expect(renderMarkdown(table).split('\n')).toEqual([
      '| function | a | bb |',
      '|:---|---:|---:|',
      '| relu | 1 | 22 |',
      '| leakyRelu | 333 | 4\\|5 |',
    ]);
  });

  const results = fixture();

  it('has a column per implementation that ran, in order, and a row per function', () => {
    const t = sizeTable(results, 65536);
    expect(t.header).toEqual(['function', 'naive', 'wasm-scalar', 'wasm-simd', 'zero-copy', 'tfjs-wasm', 'ort-web']);
    expect(t.rows.map((r) => r[0])).toEqual(['relu', 'sigmoid']);
    expect(t.rows[1][5]).toBe('1.2 ±10%*');
    expect(t.rows[0][2]).toBe('—'); // wasm-scalar did not run relu
  });

  it('computes the headline as the baseline\'s time over wasm-simd\'s (copying / zero-copy)', () => {
    const t = speedupTable(results, 'tfjs-wasm');
    expect(t.header).toEqual(['function', '64Ki', '1Mi']);
    expect(t.rows[0]).toEqual(['relu', '10.0× / 24.0×', '10.0× / 24.0×']);
    expect(t.rows[1][1]).toBe('1.20× / 1.26×');
    expect(speedupTable(results, 'naive').rows[1][1]).toBe('10.0× / 10.5×');
  });

  it('compares a peer first with our call without out (new-out, allocating as the peer does), when it ran', () => {
    const withNewOut: BenchResults = {
      ...results,
      implementations: [...results.implementations, { id: 'new-out', label: 'simd, new out', kind: 'package', note: 'copying, no out' }],
      cells: [...results.cells, timed('sigmoid', 65536, 'new-out', 1.5), timed('relu', 65536, 'new-out', 0.2)],
    };
    expect(speedupLegend(withNewOut, 'tfjs-wasm')).toBe('a new out per call (as the peer) / copying API / zero-copy');
    expect(speedupLegend(withNewOut, 'naive')).toBe('copying API / zero-copy');
    expect(speedupLegend(results, 'tfjs-wasm')).toBe('copying API / zero-copy');
    expect(speedupTable(withNewOut, 'tfjs-wasm').rows[1][1]).toBe('0.80× / 1.20× / 1.26×');
    expect(speedupTable(withNewOut, 'naive').rows[1][1]).toBe('10.0× / 10.5×');
    expect(goalTable(withNewOut)!.rows).toContainEqual(['sigmoid @ 64Ki', 'wasm-simd ≥ 1.5×', '1.20× ✗ (new out 0.80×)', '2.50× ✓ (new out 1.67×)']);
    // zero-copy goals have no like-for-like figure: a buffer is the caller's own memory.
    expect(goalTable(withNewOut)!.rows).toContainEqual(['relu @ 64Ki', 'zero-copy ≥ 2×', '24.0× ✓', '1.80× ✗']);
  });

  it('checks the goals per function and size against each wasm peer', () => {
    const t = goalTable(results)!;
    expect(t.header).toEqual(['function @ size', 'goal', 'vs tfjs-wasm', 'vs ort-web']);
    expect(t.rows).toContainEqual(['sigmoid @ 64Ki', 'wasm-simd ≥ 1.5×', '1.20× ✗', '2.50× ✓']);
    expect(t.rows).toContainEqual(['relu @ 1Mi', 'zero-copy ≥ 2×', '24.0× ✓', '1.80× ✗']);
    expect(goalTable({ ...results, cells: results.cells.filter((c) => c.impl !== 'tfjs-wasm' && c.impl !== 'ort-web') })).toBeUndefined();
  });

  it('takes every ratio from the paired rounds when the cells have them, and says so', () => {
    // sigmoid @ 64Ki: load doubled the last three rounds, starting within round 3 (after tfjs-wasm's
    // and the naive loop's batch, before ours): per-round ratios 10, 10, 5, 10, 10 against the
    // naive loop; the quotient of the medians would be 10 / 2 = 5.
    const rounds: Record<string, number[]> = {
      naive: [10, 10, 10, 20, 20], 'wasm-simd': [1, 1, 2, 2, 2], 'zero-copy': [1, 1, 1, 2, 2],
      'tfjs-wasm': [1.2, 1.2, 1.2, 2.4, 2.4], 'ort-web': [2.5, 2.5, 2.5, 5, 5],
    };
    const median = (v: number[]) => [...v].sort((a, b) => a - b)[2];
    const paired = {
      ...results,
      cells: results.cells.map((c) => (c.fn === 'sigmoid' && c.size === 65536 && rounds[c.impl] ? { ...c, median: median(rounds[c.impl]), rounds: rounds[c.impl] } : c)),
    };
    expect(speedupTable(paired, 'naive').rows[1][1]).toBe('10.0× / 10.0×');
    expect(speedupTable(paired, 'tfjs-wasm').rows[1][1]).toBe('1.20× / 1.20×');
    expect(goalTable(paired)!.rows).toContainEqual(['sigmoid @ 64Ki', 'wasm-simd ≥ 1.5×', '1.20× ✗', '2.50× ✓']);
    // The other cells have no rounds: the quotient of the medians, as before.
    expect(speedupTable(paired, 'naive').rows[1][2]).toBe('10.0× / 10.5×');
    expect(formatReport(paired)).toContain('a speedup is the median of the per-round ratio');
    expect(formatReport(results)).not.toContain('per-round');
    expect(benchSection(paired)).toContain('Each speedup is the median over the rounds');
    expect(benchSection(results)).not.toContain('over the rounds');
  });

  it('lists the per-call costs and the limits', () => {
    expect(perCallTable(results)!.rows).toEqual([['relu', '120 ±10%'], ['sigmoid', '140 ±10%']]);
    expect(limitsTable(results)!.rows[1]).toEqual(['memory.copy', '0.03 ±10%', '0.03 ±10%']);
  });
});

describe('formatReport', () => {
  const text = formatReport(fixture());

  it('has the machine, a table per size, the limits, the per-call costs, the headline and the goals', () => {
    expect(text).toContain('Test CPU (2 cores, 24 GiB), linux x64, Node v20.1.0');
    expect(text).toContain('64Ki elements');
    expect(text).toContain('1Mi elements');
    expect(text).toContain('Limits');
    expect(text).toContain('One call at n = 16');
    expect(text).toContain('than the naive JS loop');
    expect(text).toContain('than tfjs-wasm');
    expect(text).toContain('than ort-web');
    expect(text).toContain('Goals');
  });

  it('names the peer outside the bound and the wrong answer', () => {
    expect(text).toContain('tfjs-wasm sigmoid: max error 2.97 ULP (our bound: 2)');
    expect(text).toContain('wasm-scalar sigmoid @ 4Ki: max error 9 ULP at x = 1 (bound 2)');
  });
});

describe('README section', () => {
  const results = fixture();

  it('replaces only the block between the markers, and is stable', () => {
    const readme = `# x\n\n## Benchmark\n\ntext\n\n${BENCH_START}\nold\n${BENCH_END}\n\n## Next\n`;
    const once = renderBenchReadme(readme, results);
    expect(once.startsWith('# x\n\n## Benchmark\n\ntext\n\n')).toBe(true);
    expect(once.endsWith(`${BENCH_END}\n\n## Next\n`)).toBe(true);
    expect(once).not.toContain('old');
    expect(renderBenchReadme(once, results)).toBe(once);
    expect(() => renderBenchReadme('# no markers', results)).toThrow(/bench:start/);
  });

  it('names the run, the machine, the chart, the tables and how to reproduce', () => {
    const section = benchSection(results);
    expect(section).toContain('`npm run bench -- --peers`');
    expect(section).toContain('Test CPU (2 cores, 24 GiB)');
    expect(section).toContain('![Benchmark: ns per element, log scale](docs/bench/results.svg)');
    expect(section).toContain('| function | 64Ki | 1Mi |');
    expect(section).toContain('npm run bench -- --peers --json docs/bench/results.json --svg docs/bench/results.svg');
    expect(section).toContain('npm run bench:readme');
  });
});

/** The fixture with a sweep at 64Ki: relu and sigmoid forward (the table's cells) and backward, and a sweep-only softsign. */
function sweepFixture(): BenchResults {
  const base = fixture();
  const back = (fn: string, impl: string, median: number, extra: Partial<Cell> = {}) => timed(fn, 65536, impl, median, { direction: 'backward', ...extra });
  const cells: Cell[] = [
    ...base.cells,
    back('relu', 'naive', 6), back('relu', 'wasm-simd', 0.5),
    back('sigmoid', 'naive', 11), back('sigmoid', 'wasm-simd', 1),
    timed('softsign', 65536, 'naive', 1.7, { direction: 'forward' }), timed('softsign', 65536, 'wasm-simd', 0.2, { direction: 'forward' }),
    timed('softsign', 65536, 'ort-web', 0.4, { direction: 'forward', outOfBound: true, maxUlp: 3, boundUlp: 2 }),
    back('softsign', 'naive', 2), { fn: 'softsign', direction: 'backward', size: 65536, impl: 'wasm-simd', unit: 'ns/element', maxUlp: 30, boundUlp: 8, error: 'max error 30 ULP at x = 2 (bound 8)' },
  ];
  return { ...base, sweep: { size: 65536, fns: ['relu', 'sigmoid', 'softsign'], impls: ['naive', 'wasm-simd', 'ort-web'] }, cells };
}

describe('the sweep', () => {
  const results = sweepFixture();

  it('has a row per function and per backward pass, the speedup over naive against the 8x goal, the peers after it', () => {
    const t = sweepTable(results)!;
    expect(t.header).toEqual(['function', 'naive', 'wasm-simd', 'naive / wasm-simd (≥ 8×)', 'ort-web']);
    expect(t.rows).toEqual([
      ['relu', '6', '0.12', '50.0× ✓', '0.09'],
      ['reluBackward', '6', '0.5', '12.0× ✓', '—'],
      ['sigmoid', '10', '1', '10.0× ✓', '2.5'],
      ['sigmoidBackward', '11', '1', '11.0× ✓', '—'],
      ['softsign', '1.7', '0.2', '8.50× ✓', '0.4*'],
      ['softsignBackward', '2', 'wrong', '—', '—'],
    ]);
    const slow = { ...results, cells: results.cells.map((c) => (c.fn === 'relu' && c.direction === 'backward' && c.impl === 'wasm-simd' ? { ...c, median: 1 } : c)) };
    expect(sweepTable(slow)!.rows[1][3]).toBe('6.00× ✗');
    // With rounds, the column is the paired ratio: load that doubles both from round 3 on, starting
    // between the naive loop's batch and ours, gives 7, 7, 3.5, 7, 7 (the quotient of the medians: 3.5 / 1).
    const load = {
      ...results,
      cells: results.cells.map((c) => (c.fn === 'relu' && c.direction === 'backward'
        ? { ...c, ...(c.impl === 'naive' ? { rounds: [3.5, 3.5, 3.5, 7, 7], median: 3.5 } : { rounds: [0.5, 0.5, 1, 1, 1], median: 1 }) } : c)),
    };
    expect(sweepTable(load)!.rows[1].slice(1, 4)).toEqual(['3.5', '1', '7.00× ✗']);
    expect(sweepTable(fixture())).toBeUndefined();
  });

  it('keeps the forward tables forward: a backward cell never lands in them', () => {
    expect(sizeTable(results, 65536).rows.map((r) => r[0])).toEqual(['relu', 'sigmoid']);
    expect(speedupTable(results, 'naive').rows[0][1]).toBe('50.0× / 120×');
  });

  it('names the backward pass in the notes and prints the sweep in the report and the README section', () => {
    expect(wrongNotes(results)).toContain('wasm-simd softsignBackward @ 64Ki: max error 30 ULP at x = 2 (bound 8)');
    const text = formatReport(results);
    expect(text).toContain('Every function forward and backward (<name>Backward) at 64Ki');
    expect(text).toContain('ort-web softsign: max error 3 ULP (our bound: 2)');
    const section = benchSection(results);
    expect(section).toContain('**Every function, forward and backward**');
    expect(section).toContain('| sigmoidBackward | 11 | 1 | 11.0× ✓ | — |');
    // A run without a sweep renders as before.
    expect(benchSection(fixture())).not.toContain('Every function');
  });
});

describe('the threads rows', () => {
  function threadsFixture(): BenchResults {
    const base = fixture();
    const cells: Cell[] = [...base.cells];
    for (const [fn, size, one, two] of [
      ['sigmoid', 65536, 0.9, 0.92], ['sigmoid', 16777216, 0.9, 0.5], ['softmax', 65536, 1.1, 1.1], ['softmax', 16777216, 1.2, 0.8],
    ] as const) {
      cells.push(timed(fn, size, 'threads-1', one), timed(fn, size, 'threads-2', two));
    }
    return {
      ...base,
      cells,
      threads: { fns: ['sigmoid', 'softmax'], sizes: [16777216], below: { sigmoid: 65536, softmax: 65536 }, counts: [1, 2], note: 'zero-copy, wall clock' },
    };
  }

  it('has a row per function and size (the one below the threshold named), each count, and the speedup over one thread', () => {
    const t = threadsTable(threadsFixture())!;
    expect(t.header).toEqual(['function', 'size', '1 thread', '2 threads', '2 threads / 1']);
    expect(t.rows.map((r) => [r[0], r[1], r[4]])).toEqual([
      ['sigmoid', '64Ki (below threshold)', '0.98×'],
      ['sigmoid', '16Mi', '1.80×'],
      ['softmax', '64Ki (below threshold)', '1.00×'],
      ['softmax', '16Mi', '1.50×'],
    ]);
    expect(threadsTable(fixture())).toBeUndefined();
  });

  it('checks issue 8\'s goals: 2 threads at least 1.7x at 16Mi, no slowdown below the threshold', () => {
    expect(threadGoalTable(threadsFixture())!.rows).toEqual([
      ['sigmoid @ 16Mi', '2 threads ≥ 1.7× one', '1.80× ✓'],
      ['sigmoid @ 64Ki', 'below the threshold: no slowdown (≥ 0.95×)', '0.98× ✓'],
      ['softmax @ 16Mi', '2 threads ≥ 1.7× one', '1.50× ✗'],
      ['softmax @ 64Ki', 'below the threshold: no slowdown (≥ 0.95×)', '1.00× ✓'],
    ]);
  });

  it('prints them in the report and the README section, and not in the per-size tables', () => {
    const results = threadsFixture();
    expect(formatReport(results)).toContain('Threads — zero-copy, wall clock');
    expect(benchSection(results)).toContain('| softmax | 16Mi | 1.2 | 0.8 | 1.50× |');
    expect(sizeTable(results, 65536).header).not.toContain('threads-1');
  });
});

describe('the memory goals (issue 3)', () => {
  it('compares zero-copy with memory.copy and the copying API with set in + out at 64Ki, and the cost of one call', () => {
    expect(memoryGoalTable(fixture())!.rows).toEqual([
      ['relu @ 64Ki', 'zero-copy ≤ 1.3× memory.copy', '1.67× ✗'],
      ['relu @ 64Ki', 'copying API ≤ 1.5× set in + out', '1.71× ✗'],
      ['relu @ n = 16', 'copying API ≤ 100 ns per call', '120 ns ✗'],
    ]);
    const fast = fixture();
    const cells = fast.cells.map((c) => (c.fn === 'relu' && c.size === 65536 && c.impl === 'zero-copy' ? { ...c, median: 0.036 } : c));
    expect(memoryGoalTable({ ...fast, cells })!.rows[0][2]).toBe('1.20× ✓');
    expect(formatReport(fixture())).toContain('Memory goals');
    expect(benchSection(fixture())).toContain('| relu @ 64Ki | zero-copy ≤ 1.3× memory.copy | 1.67× ✗ |');
  });
});
