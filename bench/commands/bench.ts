// `wasm-activations bench` (= `npm run bench`): every activation in the registry at several
// sizes, through the naive JS loop of the tutorial's formula, the package's backends (copying API
// and zero-copy), the limits, and with --peers tfjs-backend-wasm, onnxruntime-web and
// onnxruntime-node, side by side in one process.
import { readFileSync, writeFileSync, mkdirSync, existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { createActivations } from '../../src/instance.js';
import { definitions } from '../../src/registry.js';
import type { Backend, Definition } from '../../src/spec.js';
import {
  maxError, naive, packageImplementation, referenceOf, ROW_LENGTH, zeroCopyImplementation, type Implementation, type PreparedRun,
} from '../cases.js';
import { measure, measureAsync, type Budget, type Timing } from '../harness.js';
import { uniformFloats } from '../inputs.js';
import { limits, type Limit } from '../limits.js';
import { ProgressBar } from '../progress.js';
import { formatReport, formatSize } from '../report.js';
import { currentEnvironment, type BenchResults, type Cell, type ImplementationInfo, type Unit } from '../results.js';
import { chartFromResults, renderSvg } from '../svg.js';

/** A command-line mistake: printed with a pointer to --help, exit code 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

const PACKAGE_BACKENDS: readonly Backend[] = ['js', 'wasm-scalar', 'wasm-simd'];
/** Implementation ids --backend accepts, besides the package's backends. */
const PEER_IDS = ['tfjs-wasm', 'ort-web', 'ort-node'] as const;
const ROW_IDS = [...PACKAGE_BACKENDS, 'zero-copy', ...PEER_IDS];
const DEFAULT_SIZES = [4096, 65536, 1048576, 16777216];
const QUICK_SIZES = [4096, 65536, 1048576];
/** The input length at which the per-call cost is measured. */
export const PER_CALL_N = 16;
/** The input's seed (each size adds its length) and range. */
const SEED = 0x5eed;
const RANGE: readonly [number, number] = [-6, 6];
/** The untimed warm-up of each implementation × function before the first cell. */
const WARMUP_N = 4096;
const WARMUP_MS = 40;
/** A peer's output this far off (or NaN) is a broken adapter or a wrong answer, not a rounding difference: not timed. */
const GARBAGE_ULP = 2 ** 20;

export const BUDGETS: Record<'default' | 'quick' | 'perCall', Budget> = {
  default: { warmupMs: 40, batchMs: 20, batches: 7, maxCellMs: 300, minBatches: 5 },
  quick: { warmupMs: 25, batchMs: 12, batches: 7, maxCellMs: 250, minBatches: 5 },
  perCall: { warmupMs: 20, batchMs: 5, batches: 11, maxCellMs: 60, minBatches: 7 },
};

export const HELP = `Usage: wasm-activations bench [options]
       npm run bench -- [options]

Times every activation on the naive JS loop of its formula, on each backend of the package
(copying API into a preallocated out) and on wasm-simd zero-copy (x and out buffers of its wasm
memory); beside them the limits (TypedArray set into wasm memory and back; wasm memory.copy of
the same bytes) and the cost of one call at n = ${PER_CALL_N}. With --peers, the same inputs through
tfjs-backend-wasm (SIMD, 1 thread), onnxruntime-web (wasm SIMD, 1 thread) and onnxruntime-node
(native CPU, 1 thread), each through its ordinary API end to end.

Method: one process; every implementation gets the same seeded input, uniform in [-6, 6];
softmax runs over rows of ${ROW_LENGTH}. Each output is checked against the float64 reference
before it is timed (a wrong answer is reported, not timed; a peer outside our accuracy bound is
timed and marked *). Then warm-up, calibrated batches, and per cell the median and the
interquartile range of the batches.

Options:
  --fn NAME        only this function (repeatable): ${Object.keys(definitions).join(', ')}
  --size N         only this size in elements (repeatable; 65536, 64Ki, 1Mi …; a multiple of
                   ${ROW_LENGTH} above ${ROW_LENGTH}); default 4Ki, 64Ki, 1Mi, 16Mi (without 16Mi with --quick)
  --backend ID     only this row (repeatable): ${ROW_IDS.join(', ')};
                   the naive loop and the limits always run; a peer id implies --peers
  --quick          shorter timing budget and no 16Mi column (noisier; about 15 s)
  --peers          also time the peers; installs them on first use into the bench/peers
                   folder (npm ci --ignore-scripts from its own lock; never a dependency
                   of wasm-activations)
  --json FILE      also write every cell, the method, the machine and the versions as JSON
  --svg FILE       also write a bar chart (log scale) as SVG
  -h, --help       this text

Examples:
  npx wasm-activations bench --quick
  npm run bench -- --peers --json results.json --svg results.svg
  npm run bench -- --fn sigmoid --size 1Mi --backend wasm-simd --backend zero-copy`;

/** What the command line asks for. */
export interface BenchOptions {
  readonly help: boolean;
  readonly fns: readonly string[];
  readonly sizes: readonly number[];
  /** Package rows (backends and 'zero-copy'). */
  readonly rows: readonly string[];
  /** Peer ids to time (empty without --peers). */
  readonly peers: readonly string[];
  readonly quick: boolean;
  readonly json?: string;
  readonly svg?: string;
}

/** '65536', '64Ki', '1Mi', '16M' → elements. */
export function parseSize(text: string): number {
  const match = /^(\d+)\s*(Ki|K|Mi|M)?$/i.exec(text.trim());
  const unit = match?.[2]?.toLowerCase();
  const n = match ? Number(match[1]) * (unit === 'ki' || unit === 'k' ? 1024 : unit === 'mi' || unit === 'm' ? 1048576 : 1) : NaN;
  if (!Number.isSafeInteger(n) || n <= 0) throw new UsageError(`--size must be a positive integer (or 64Ki, 1Mi …); got '${text}'`);
  if (n > ROW_LENGTH && n % ROW_LENGTH !== 0) throw new UsageError(`--size above ${ROW_LENGTH} must be a multiple of ${ROW_LENGTH} (softmax rows); got ${n}`);
  if (n > 2 ** 26) throw new UsageError(`--size at most 64Mi elements; got ${n}`);
  return n;
}

/** Parses the bench command's arguments (not including the command name). */
export function parseBenchArgs(argv: readonly string[]): BenchOptions {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      strict: true,
      allowPositionals: false,
      options: {
        fn: { type: 'string', multiple: true },
        size: { type: 'string', multiple: true },
        backend: { type: 'string', multiple: true },
        quick: { type: 'boolean', default: false },
        peers: { type: 'boolean', default: false },
        json: { type: 'string' },
        svg: { type: 'string' },
        help: { type: 'boolean', short: 'h', default: false },
      },
    }));
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const known = Object.keys(definitions);
  const fns = values.fn ?? known;
  for (const fn of fns) if (!known.includes(fn)) throw new UsageError(`unknown function '${fn}'; known: ${known.join(', ')}`);
  const sizes = values.size ? values.size.map(parseSize) : values.quick ? QUICK_SIZES : DEFAULT_SIZES;
  const chosen = values.backend ?? [];
  for (const id of chosen) if (!ROW_IDS.includes(id)) throw new UsageError(`unknown --backend '${id}'; known: ${ROW_IDS.join(', ')}`);
  const chosenPeers = chosen.filter((id) => (PEER_IDS as readonly string[]).includes(id));
  const chosenRows = chosen.filter((id) => !(PEER_IDS as readonly string[]).includes(id));
  // Without --backend: every package row. With only peers named: the package rows all the same.
  const rows = chosenRows.length ? chosenRows : [...PACKAGE_BACKENDS, 'zero-copy'];
  const peers = chosenPeers.length ? chosenPeers : values.peers ? [...PEER_IDS] : [];
  return {
    help: values.help, fns: [...new Set(fns)], sizes: [...new Set(sizes)].sort((a, b) => a - b), rows: ROW_IDS.filter((id) => rows.includes(id)),
    peers, quick: values.quick, json: values.json, svg: values.svg,
  };
}

/** This package's folder and version, from the package.json above this file (source or dist). */
function packageInfo(): { dir?: string; version: string } {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 5; i++, dir = dirname(dir)) {
    const file = join(dir, 'package.json');
    if (!existsSync(file)) continue;
    const manifest = JSON.parse(readFileSync(file, 'utf8')) as { name?: string; version?: string };
    if (manifest.name === 'wasm-activations') return { dir, version: manifest.version ?? 'unknown' };
  }
  return { version: 'unknown' };
}

function info(impl: Implementation): ImplementationInfo {
  return { id: impl.id, label: impl.label, kind: impl.kind, note: impl.note };
}

/** One row of work: a cell to check and time, with its progress weight. */
interface Task {
  readonly label: string;
  readonly weight: number;
  run(): Promise<Cell | undefined>;
}

async function timeRun(prepared: PreparedRun, elements: number, budget: Budget): Promise<Timing> {
  if (prepared.runAsync) return measureAsync(prepared.runAsync, elements, budget);
  return measure(prepared.run!, elements, budget);
}

/**
 * Prepares `impl` on `x`, runs it once, checks its output against `exact`, and times it when
 * right: the naive loop and the package's rows must be within the bound (else an error cell);
 * a peer outside it is timed and marked.
 */
/** Calls `impl` on `x` for `ms` milliseconds, untimed; a failure shows up later, in its cells. */
async function warmUp(impl: Implementation, definition: Definition, x: Float32Array, ms: number): Promise<void> {
  try {
    const prepared = await impl.prepare(definition, x);
    const end = performance.now() + ms;
    while (performance.now() < end) {
      if (prepared.runAsync) await prepared.runAsync();
      else prepared.run!();
    }
    await prepared.dispose?.();
  } catch {
    // timeCell reports it, in the first cell of this implementation and function.
  }
}

export async function timeCell(
  impl: Implementation, definition: Definition, x: Float32Array, exact: Float64Array, unit: Unit, budget: Budget,
): Promise<Cell> {
  const base = { fn: definition.name, size: x.length, impl: impl.id, unit };
  let prepared: PreparedRun | undefined;
  try {
    prepared = await impl.prepare(definition, x);
    if (prepared.runAsync) await prepared.runAsync();
    else prepared.run!();
    const err = maxError(exact, x, prepared.output);
    const bound = impl.kind === 'naive' ? (definition.naiveUlp ?? Math.max(definition.ulp, 1)) : definition.ulp;
    const within = err.ulp <= bound;
    if (!within && (impl.kind !== 'peer' || !(err.ulp <= GARBAGE_ULP))) {
      return { ...base, maxUlp: err.ulp, boundUlp: bound, error: `max error ${err.ulp} ULP at x = ${err.at} (bound ${bound})` };
    }
    const t = await timeRun(prepared, unit === 'ns/call' ? 1 : x.length, budget);
    return {
      ...base, median: t.median, q1: t.q1, q3: t.q3, samples: t.samples, callsPerBatch: t.callsPerBatch,
      maxUlp: err.ulp, boundUlp: bound, ...(within ? {} : { outOfBound: true }),
    };
  } catch (error) {
    return { ...base, maxUlp: NaN, error: `threw: ${(error as Error)?.message ?? String(error)}` };
  } finally {
    await prepared?.dispose?.();
  }
}

/** Runs the benchmark the options describe and returns its results (progress on `progressStream`). */
export async function runBenchmark(options: BenchOptions, progressStream: NodeJS.WritableStream & { isTTY?: boolean; columns?: number } = process.stderr): Promise<BenchResults> {
  const started = new Date();
  const clock = performance.now();
  const budget = options.quick ? BUDGETS.quick : BUDGETS.default;
  const log = (line: string) => progressStream.write(`${line}\n`);

  const pkg = packageInfo();
  const versions: Record<string, string> = { 'wasm-activations': pkg.version };
  const impls: Implementation[] = [naive];
  for (const backend of PACKAGE_BACKENDS) {
    if (options.rows.includes(backend)) impls.push(packageImplementation(await createActivations({ backend })));
  }
  if (options.rows.includes('zero-copy')) impls.push(zeroCopyImplementation(await createActivations({ backend: 'wasm-simd' })));
  const peerSettings: Record<string, Record<string, unknown>> = {};
  if (options.peers.length) {
    const { loadPeers } = await import('../peers/index.js');
    for (const peer of await loadPeers(options.peers, log)) {
      impls.push(peer.implementation);
      Object.assign(versions, peer.versions);
      peerSettings[peer.implementation.id] = peer.settings;
    }
  }
  const floors: Limit[] = limits();
  const environment = currentEnvironment(versions, pkg.dir);

  // The plan: per size, every function on every implementation, then the limits; then one call
  // at n = 16. Weights estimate each task's share of the time (checks and slow calls grow with n).
  const tasks: Task[] = [];
  const fnDefs = options.fns.map((fn) => definitions[fn as keyof typeof definitions] as Definition);
  const perSize = new Map<number, { x: Float32Array; exact: Map<string, Float64Array> }>();
  const inputs = (size: number) => {
    let entry = perSize.get(size);
    if (!entry) {
      perSize.clear(); // one size in memory at a time (16Mi inputs and references are large)
      entry = { x: uniformFloats(size, RANGE[0], RANGE[1], SEED + size), exact: new Map() };
      perSize.set(size, entry);
    }
    return entry;
  };
  const exactOf = (definition: Definition, size: number) => {
    const entry = inputs(size);
    let exact = entry.exact.get(definition.name);
    if (!exact) entry.exact.set(definition.name, (exact = referenceOf(definition, entry.x)));
    return exact;
  };
  const sizeWeight = (size: number) => 1 + size / 2 ** 22;
  // Warm-up of every implementation on every function, untimed: the first call into a library
  // (its JIT, its memory growing, a session's first run) must not land in the first cell.
  for (const impl of impls) {
    for (const definition of fnDefs) {
      if (impl.supports && !impl.supports(definition)) continue;
      tasks.push({
        label: `warm-up: ${definition.name} on ${impl.id}`,
        weight: 0.1,
        run: async () => {
          await warmUp(impl, definition, inputs(WARMUP_N).x, WARMUP_MS);
          return undefined;
        },
      });
    }
  }
  for (const size of options.sizes) {
    for (const definition of fnDefs) {
      for (const impl of impls) {
        if (impl.supports && !impl.supports(definition)) continue;
        tasks.push({
          label: `${definition.name} @ ${formatSize(size)} on ${impl.id}`,
          weight: sizeWeight(size) * (impl.kind === 'peer' ? 1.3 : 1),
          run: () => timeCell(impl, definition, inputs(size).x, exactOf(definition, size), 'ns/element', budget),
        });
      }
    }
    for (const floor of floors) {
      tasks.push({
        label: `${floor.id} @ ${formatSize(size)}`,
        weight: sizeWeight(size),
        run: async () => {
          const t = measure(floor.prepare(inputs(size).x), size, budget);
          return { fn: 'limit', size, impl: floor.id, unit: 'ns/element', median: t.median, q1: t.q1, q3: t.q3, samples: t.samples, callsPerBatch: t.callsPerBatch, maxUlp: 0 };
        },
      });
    }
  }
  for (const definition of fnDefs) {
    for (const impl of impls) {
      if (impl.supports && !impl.supports(definition)) continue;
      tasks.push({
        label: `${definition.name}, one call at n = ${PER_CALL_N}, on ${impl.id}`,
        weight: 0.15,
        run: () => timeCell(impl, definition, inputs(PER_CALL_N).x, exactOf(definition, PER_CALL_N), 'ns/call', BUDGETS.perCall),
      });
    }
  }

  const bar = new ProgressBar(progressStream, tasks.reduce((s, t) => s + t.weight, 0), tasks.length);
  const cells: Cell[] = [];
  let lastSize = -1;
  for (const task of tasks) {
    bar.start(task.label);
    const cell = await task.run();
    if (cell) cells.push(cell);
    bar.finish(task.weight);
    if (cell && cell.size !== lastSize) {
      if (lastSize >= 0 && !bar.live) log(`done: ${formatSize(lastSize)} (${bar.state().count}/${tasks.length} cells, ${((performance.now() - clock) / 1000).toFixed(0)} s)`);
      lastSize = cell.size;
    }
  }
  bar.clear();
  if (!bar.live) log(`done: all ${tasks.length} cells in ${((performance.now() - clock) / 1000).toFixed(0)} s`);

  return {
    schema: 1,
    date: started.toISOString(),
    durationSeconds: Math.round((performance.now() - clock) / 100) / 10,
    args: [],
    environment,
    method: {
      input: `uniform in [${RANGE[0]}, ${RANGE[1]}] (mulberry32, seed ${SEED} + n), the same for every implementation`,
      seed: SEED,
      rowLength: ROW_LENGTH,
      ...budget,
      perCallN: PER_CALL_N,
    },
    fns: options.fns,
    sizes: options.sizes,
    implementations: impls.map(info),
    limits: floors.map((l) => ({ id: l.id, label: l.id, kind: 'limit', note: l.note })),
    peerSettings,
    cells,
  };
}

function write(file: string, text: string): void {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, text);
}

/** The bench command: parse, run, print the report, write --json / --svg. */
export async function benchCommand(argv: readonly string[]): Promise<void> {
  const options = parseBenchArgs(argv);
  if (options.help) {
    console.log(HELP);
    return;
  }
  const results = { ...(await runBenchmark(options)), args: [...argv] };
  console.log(formatReport(results));
  if (options.json) {
    write(options.json, `${JSON.stringify(results, null, 2)}\n`);
    console.log(`\nwrote ${options.json}`);
  }
  if (options.svg) {
    write(options.svg, renderSvg(chartFromResults(results)));
    console.log(`wrote ${options.svg}`);
  }
}
