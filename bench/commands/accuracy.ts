// `wasm-activations accuracy`: every float32 bit pattern (or a stratified sample) through each
// element-wise activation on each backend, against the float64 reference; writes
// docs/accuracy.json, the README's accuracy table, and exits 1 when a bound is broken.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { Worker } from 'node:worker_threads';
import { definitions } from '../../src/registry.js';
import type { Backend, ChannelwiseDefinition, ElementwiseDefinition, ParamValues } from '../../src/spec.js';
import { accuracyTable, passes, renderAccuracySection, type AccuracyEntry, type AccuracyReport } from '../accuracy/report.js';
import { emptyStats, fromBits, mergeStats, sweepVariants, type Direction, type SweepStats } from '../accuracy/sweep.js';
import type { Job } from '../accuracy/worker.js';
import { ProgressBar } from '../progress.js';
import { UsageError } from './bench.js';

const BACKENDS: readonly Backend[] = ['wasm-simd', 'wasm-scalar', 'js'];
// Per-channel functions (prelu) are swept with one weight, their example weight (see sweptDefinition).
const ELEMENTWISE = Object.values(definitions).filter((d) => d.kind === 'elementwise' || d.kind === 'channelwise').map((d) => d.name);

/** The command's help text. */
export const ACCURACY_HELP = `Usage: wasm-activations accuracy [options]   (npm run accuracy -- [options])

Runs every float32 bit pattern (2^32, NaNs included) through each element-wise activation on each
backend, in parallel worker threads, and compares every result with the float64 reference:
max error in ULP and where, a histogram (0, ≤0.5, ≤1, ≤2, ≤4, >4 ULP), NaN/infinity/sign
mismatches. Updates docs/accuracy.json (only the entries swept) and the README's table; exits
1 when a bound is broken.

Options:
  --fn NAME        only this function (repeatable); default: ${ELEMENTWISE.join(', ')}
  --backend NAME   only this backend (repeatable); default: ${BACKENDS.join(', ')}
  --direction D    forward, backward (dx with dy = 1, against the float64 derivative) or both
                   (default: both); backward entries are reported as <name>Backward
  --sample N       a stratified sample of about N inputs per function instead of all 2^32
                   (every sign and exponent; the first and last mantissa of each)
  --workers N      worker threads (default: the available cores)
  --out FILE       the JSON report (default docs/accuracy.json; only that one updates the README)
  --no-write       print the table only
  -h, --help       this text`;

function runJobs(
  fn: string, backend: Backend, direction: Direction, jobs: Job[], workers: number, onDone: (weight: number) => void, params?: ParamValues,
): Promise<SweepStats> {
  return new Promise((resolve, reject) => {
    let total = emptyStats();
    let next = 0;
    let running = 0;
    const pool: Worker[] = [];
    const finish = (error?: unknown) => {
      for (const w of pool) void w.terminate();
      if (error) reject(error);
      else resolve(total);
    };
    const feed = (worker: Worker) => {
      if (next < jobs.length) {
        running++;
        worker.postMessage(jobs[next++]);
      } else if (running === 0) finish();
    };
    for (let i = 0; i < Math.min(workers, jobs.length); i++) {
      const worker = new Worker(new URL('../accuracy/worker.js', import.meta.url), { workerData: { fn, backend, direction, params } });
      pool.push(worker);
      worker.on('message', (stats: SweepStats) => {
        running--;
        total = mergeStats(total, stats);
        onDone(stats.count);
        feed(worker);
      });
      worker.on('error', finish);
      worker.on('exit', (code) => {
        if (code !== 0 && (next < jobs.length || running > 0)) finish(new Error(`an accuracy worker exited with code ${code}`));
      });
      feed(worker);
    }
  });
}

/** Runs the command on its arguments; resolves to 1 when a bound is broken, else 0. */
export async function accuracyCommand(argv: readonly string[]): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: {
        fn: { type: 'string', multiple: true },
        backend: { type: 'string', multiple: true },
        sample: { type: 'string' },
        direction: { type: 'string', default: 'both' },
        workers: { type: 'string' },
        out: { type: 'string', default: 'docs/accuracy.json' },
        'no-write': { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    }));
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  if (values.help) {
    console.log(ACCURACY_HELP);
    return 0;
  }
  // Each function and backend once, however often given (a repeat would rerun a 2^32 sweep).
  const fns = [...new Set(values.fn ?? ELEMENTWISE)];
  for (const fn of fns) if (!ELEMENTWISE.includes(fn)) throw new UsageError(`--fn: '${fn}' is not an element-wise activation; known: ${ELEMENTWISE.join(', ')}`);
  const backends = [...new Set(values.backend ?? BACKENDS)] as Backend[];
  for (const b of backends) if (!BACKENDS.includes(b)) throw new UsageError(`--backend: unknown '${b}'`);
  const directions: Direction[] = values.direction === 'both' ? ['forward', 'backward'] : [values.direction as Direction];
  for (const d of directions) if (d !== 'forward' && d !== 'backward') throw new UsageError(`--direction must be forward, backward or both; got ${values.direction}`);
  const sample = values.sample === undefined ? undefined : Number(values.sample);
  if (sample !== undefined && !(Number.isSafeInteger(sample) && sample >= 1024)) throw new UsageError('--sample must be an integer ≥ 1024');
  const workers = values.workers === undefined ? availableParallelism() : Number(values.workers);
  if (!(Number.isSafeInteger(workers) && workers >= 1)) throw new UsageError('--workers must be a positive integer');

  // Exhaustive: 256 ranges of 2^24 patterns; sample: the 512 strata in 16 groups of 32.
  const jobs: Job[] = sample === undefined
    ? Array.from({ length: 256 }, (_, k) => ({ kind: 'range', start: k * 2 ** 24, count: 2 ** 24 }))
    : Array.from({ length: 16 }, (_, g) => ({
        kind: 'sample', strata: Array.from({ length: 32 }, (_, i) => g * 32 + i), perStratum: Math.ceil(sample / 512), seed: 0xacc,
      }));
  const perCombo = sample === undefined ? 2 ** 32 : 512 * Math.ceil(sample / 512);
  const variantCount = fns.reduce((sum, fn) => sum + sweepVariants(definitions[fn as keyof typeof definitions] as ElementwiseDefinition | ChannelwiseDefinition).length, 0);
  const combos = variantCount * backends.length * directions.length;
  const bar = new ProgressBar(process.stderr, perCombo * combos, jobs.length * combos);

  const out = values.out;
  if (!values['no-write'] && !out.endsWith('.json')) throw new UsageError(`--out must name a .json file (its table goes beside it as .md); got '${out}'`);
  // The report merges into the one at --out (other functions' rows stay); with --no-write it is not read.
  let previous: AccuracyReport | undefined;
  if (!values['no-write'] && existsSync(out)) {
    try {
      previous = JSON.parse(readFileSync(out, 'utf8')) as AccuracyReport;
    } catch (error) {
      throw new UsageError(`--out: '${out}' is not an accuracy report to merge into (${(error as Error).message}); name another file`);
    }
  }
  const results: AccuracyReport['results'] = structuredClone(previous?.results ?? {});
  let failed = 0;
  const keys: string[] = [];
  for (const direction of directions) for (const fn of fns) for (const variant of sweepVariants(definitions[fn as keyof typeof definitions] as ElementwiseDefinition | ChannelwiseDefinition)) {
    const definition = definitions[fn as keyof typeof definitions] as ElementwiseDefinition | ChannelwiseDefinition;
    // A choice param's other values get their own rows: gelu(tanh), geluBackward(tanh).
    const key = `${direction === 'forward' ? fn : `${fn}Backward`}${variant.suffix}`;
    keys.push(key);
    for (const backend of backends) {
      bar.start(`${key} on ${backend}`);
      const started = performance.now();
      const stats = await runJobs(fn, backend, direction, jobs, workers, (n) => bar.finish(n), variant.params);
      const seconds = (performance.now() - started) / 1000;
      const bound = direction === 'forward' ? definition.ulp : definition.backward.ulp;
      const entry: AccuracyEntry = { ...stats, mode: sample === undefined ? 'exhaustive' : 'sample', bound, date: new Date().toISOString(), seconds };
      (results[key] ??= {})[backend] = entry;
      const verdict = passes(entry) ? 'ok' : 'BOUND BROKEN';
      bar.log(`${key} on ${backend}: max ${entry.maxUlp.toFixed(3)} ULP at x = ${fromBits(entry.maxAtBits)} (bound ${entry.bound}), mismatches ${entry.nanMismatch}/${entry.infMismatch}/${entry.signMismatch}, ${seconds.toFixed(0)} s: ${verdict}`);
      if (!passes(entry)) failed++;
    }
  }
  bar.clear();
  const report: AccuracyReport = { node: process.version, arch: process.arch, results };
  console.log(accuracyTable({ ...report, results: Object.fromEntries(keys.map((key) => [key, Object.fromEntries(backends.map((b) => [b, results[key][b]]))])) }));
  if (!values['no-write']) {
    mkdirSync(dirname(out), { recursive: true });
    writeFileSync(out, `${JSON.stringify(report, null, 2)}\n`);
    writeFileSync(out.replace(/\.json$/, '.md'), `${accuracyTable(report)}\n`);
    // The README's table shows the committed report: a report written elsewhere (--out, e.g. one
    // part of a sweep run in pieces) leaves it alone.
    const readme = new URL('../../../README.md', import.meta.url);
    const committed = resolve(out) === fileURLToPath(new URL('../../../docs/accuracy.json', import.meta.url));
    if (committed && existsSync(readme)) writeFileSync(readme, renderAccuracySection(readFileSync(readme, 'utf8'), report));
    console.log(`\nwrote ${out}, ${out.replace(/\.json$/, '.md')}${committed ? " and the README's accuracy table" : ''}`);
  }
  if (failed) {
    console.error(`${failed} function × backend combination(s) broke their bound`);
    return 1;
  }
  return 0;
}
