// `wasm-activations bench` (= `npm run bench`): every activation in the registry at several
// sizes, through the naive JS loop of the tutorial's formula, the package's backends (copying API
// and zero-copy), the limits, and with --peers tfjs-backend-wasm, onnxruntime-web and
// onnxruntime-node, side by side in one process.
import { accessSync, constants, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { createActivations } from '../../src/instance.js';
import { definitions } from '../../src/registry.js';
import type { Backend, Definition } from '../../src/spec.js';
import {
  backwardInputOf, backwardReferenceOf, isGarbage, maxError, naive, naiveUlpOf, newOutImplementation, packageImplementation, referenceOf, ROW_LENGTH, setRowLength, zeroCopyImplementation,
  type BackwardInput, type Direction, type Implementation, type PreparedRun,
} from '../cases.js';
import { measureRounds, type Budget, type Clock, type Contender } from '../harness.js';
import { uniformFloats } from '../inputs.js';
import { limits, type Limit } from '../limits.js';
import { ProgressBar } from '../progress.js';
import { belowThreshold, threadCounts, timeThreadRows } from '../threads-rows.js';
import { formatReport, formatSize } from '../report.js';
import { currentEnvironment, fnLabel, type BenchResults, type Cell, type ThreadRows, type ImplementationInfo, type Unit } from '../results.js';
import { chartFromResults, renderSvg } from '../svg.js';

/** A command-line mistake: printed with a pointer to --help, exit code 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

const PACKAGE_BACKENDS: readonly Backend[] = ['js', 'wasm-scalar', 'wasm-simd'];
/** Implementation ids --backend accepts, besides the package's backends. */
const PEER_IDS = ['tfjs-wasm', 'ort-web', 'ort-node'] as const;
const ROW_IDS = [...PACKAGE_BACKENDS, 'new-out', 'zero-copy', 'threads', ...PEER_IDS];
/** The functions of the threads rows (issue 8's figures), unless --fn names others. */
export const THREAD_FNS = ['sigmoid', 'softmax'];
/**
 * The functions of the tables at every size (and of the headline and the goals): the tutorial's
 * five. Every other function, and every backward pass, is timed at one size (the sweep), so
 * that the default run stays short as the registry grows.
 */
export const FEATURED = ['relu', 'leakyRelu', 'sigmoid', 'tanh', 'softmax'];
/** The sweep's size: where issue 5's figures are taken (used when --size includes it). */
export const SWEEP_SIZE = 65536;
/** The sweep's rows of ours besides the naive loop (unless --backend names others). */
const SWEEP_ROWS = ['js', 'wasm-simd', 'new-out'];
/** dy's seed: the input's seed + n + this. */
const DY_SEED = 0xd1;
const DEFAULT_SIZES = [4096, 65536, 1048576, 16777216];
const QUICK_SIZES = [4096, 65536, 1048576];
/**
 * The threads rows' budget: calls of 16Mi elements take 5-20 ms, so longer batches than the
 * kernels' (each batch is a few awaited calls, timed by the wall clock).
 */
const THREADS_BUDGET: Budget = { warmupMs: 100, batchMs: 60, batches: 9, maxCellMs: 1200, minBatches: 7 };
/** The input length at which the per-call cost is measured. */
export const PER_CALL_N = 16;
/** The input's seed (each size adds its length) and range. */
const SEED = 0x5eed;
const RANGE: readonly [number, number] = [-6, 6];
/** The untimed warm-up of each implementation × function before the first cell. */
const WARMUP_N = 4096;
const WARMUP_MS = 40;

/**
 * Timing budgets, in ms of the batch clock (by default at most the CPU time: on a loaded machine
 * the wall time of a run grows with the load). The default's 15 ms batches (20 before the CPU clock)
 * keep `npm run bench` under 2 minutes at load 6 on the 2-core machine of the committed runs.
 */
export const BUDGETS: Record<'default' | 'quick' | 'perCall', Budget> = {
  default: { warmupMs: 30, batchMs: 15, batches: 7, maxCellMs: 300, minBatches: 5 },
  quick: { warmupMs: 25, batchMs: 12, batches: 7, maxCellMs: 250, minBatches: 5 },
  perCall: { warmupMs: 20, batchMs: 5, batches: 11, maxCellMs: 60, minBatches: 7 },
};

/** How the batches are scheduled, as the JSON's method records it. */
export const SCHEDULE = 'interleaved rounds: the implementations of one function × direction × size (and the limits with the first ' +
  'function of their size) are warmed up and calibrated one by one, then timed in R rounds of one batch each, the starting ' +
  'implementation rotating by one per round; R is the fewest batches any of them may take. Ratios are the median over the ' +
  'rounds of the per-round ratio.';

/** `text` broken at spaces into lines of at most `width` characters, each indented by `indent` spaces. */
function wrap(text: string, indent: number, width: number): string {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line && indent + line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(line);
  return lines.map((l) => ' '.repeat(indent) + l).join('\n');
}

export const HELP = `Usage: wasm-activations bench [options]
       npm run bench -- [options]

Times the tutorial's five activations (${FEATURED.join(', ')}) at every size on the naive JS
loop of their formula, on each backend of the package (copying API into a preallocated out),
on wasm-simd without out (new-out: a new Float32Array per call, as the peers return theirs)
and on wasm-simd zero-copy (x and out buffers of its wasm memory); beside them the limits
(TypedArray set into wasm memory and back; wasm memory.copy of the same bytes) and the cost of
one call at n = ${PER_CALL_N}. Then the sweep: every activation forward and backward
(<name>Backward(dy, x)) at 64Ki on the naive JS loop of its formula (of its derivative for
backward), js, wasm-simd and new-out, with the speedup over the naive loop. With --peers, the same
inputs through tfjs-backend-wasm (SIMD, 1 thread), onnxruntime-web (wasm SIMD, 1 thread) and
onnxruntime-node (native CPU, 1 thread), each through its ordinary API end to end, on every
function they have as one op (forward only; marked † where the peer composes it of several).
Last, the threads rows: createActivations({ threads }) on 1, 2 and N threads (N = the available
cores), zero-copy, on ${THREAD_FNS.join(' and ')} (or the --fn functions) at the largest size and at a size
below each function's thread threshold (where a threaded instance stays on the calling thread),
timed by the wall clock, with the speedup over one thread.

Method: one process; every implementation gets the same seeded input, uniform in [-6, 6];
softmax runs over rows of ${ROW_LENGTH} (--row-length); backward: dy uniform in [-1, 1] (softmax's saved y is its
float64 reference rounded to float32). Each output is checked against the float64 reference
before it is timed (a wrong answer is reported, not timed; a peer outside our accuracy bound is
timed and marked *). The implementations of one function × direction × size (the naive loop,
ours, the peers; the limits with the first function of their size) are a group: each is warmed
up and calibrated on its own (calls per batch for a batch of ~${BUDGETS.default.batchMs} ms, ${BUDGETS.quick.batchMs} with --quick), then the
group is timed in R interleaved rounds of one batch of each, the first one rotating by one per
round, so that load from another process falls on all of them alike rather than on one cell.
Per cell: the median and the interquartile range of its R batches. Each speedup (naive / ours,
peer / ours) is paired: the median over the rounds of the ratio of the two batches timed side by
side, which cancels load spanning a round and sets aside a round a burst hit on one side only.
A batch's time is the smaller of its wall time and the CPU time of the process over it: both
bound the benchmark thread's own time from above; the wall clock also counts the time slices
other processes take from the core (on this project's shared 2-core machine at load 5, wall-clock
ratios of one round ranged from 5 to 21, CPU-time ratios from 10.1 to 10.5), the CPU time also
counts the process's other threads (garbage collection in parallel), so where those make it the
larger (most batches of the peers and of new-out, which allocate per call) the batch is timed by
the wall clock, other processes' time slices included. With --clock wall, the wall time alone.

Options:
  --fn NAME        only this function (repeatable), at every size and in the sweep:
${wrap(Object.keys(definitions).join(', '), 19, 98)}
                   (default: the five at every size, all of them in the sweep)
  --size N         only this size in elements (repeatable; 65536, 64Ki, 1Mi …; a multiple of
                   the row length above it); default 4Ki, 64Ki, 1Mi, 16Mi (without 16Mi with --quick);
                   the sweep runs at 64Ki, or at the smallest size given when 64Ki is not
  --row-length N   the softmax family's rows: N entries (default ${ROW_LENGTH}; e.g. 10, a
                   classifier's logits); the default sizes come down to multiples of N
  --backend ID     only this row (repeatable): ${ROW_IDS.join(', ')};
                   the naive loop and the limits always run; a peer id implies --peers (with
                   only peer ids named, every package row runs beside them);
                   the sweep has js, wasm-simd and new-out unless --backend names rows
  --quick          shorter timing budget and no 16Mi column (noisier; under a minute)
  --clock CLOCK    cpu (default: the smaller of CPU time and wall time, see Method) or wall
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
  /** Package rows (backends, 'new-out' and 'zero-copy'). */
  readonly rows: readonly string[];
  /** Peer ids to time (empty without --peers). */
  readonly peers: readonly string[];
  /** The sweep: these functions forward and backward at one size, on the naive loop and these rows (and the peers, forward). */
  readonly sweep: { readonly fns: readonly string[]; readonly size: number; readonly rows: readonly string[] };
  /** The threads rows: these functions at the largest size (and below their thresholds); absent when the 'threads' row is not asked for. */
  readonly threads?: { readonly fns: readonly string[]; readonly size: number };
  readonly quick: boolean;
  /** The softmax family's row length (--row-length; 1024 by default). */
  readonly rowLength: number;
  /** What times a batch: 'cpu', the smaller of the process's CPU time and the wall time (default), or the wall clock. */
  readonly clock: Clock;
  readonly json?: string;
  readonly svg?: string;
}

/** '65536', '64Ki', '1Mi', '16M' → elements; above the softmax row length, a multiple of it. */
export function parseSize(text: string, rowLength: number = ROW_LENGTH): number {
  const match = /^(\d+)\s*(Ki|K|Mi|M)?$/i.exec(text.trim());
  const unit = match?.[2]?.toLowerCase();
  const n = match ? Number(match[1]) * (unit === 'ki' || unit === 'k' ? 1024 : unit === 'mi' || unit === 'm' ? 1048576 : 1) : NaN;
  if (!Number.isSafeInteger(n) || n <= 0) throw new UsageError(`--size must be a positive integer (or 64Ki, 1Mi …); got '${text}'`);
  if (n > rowLength && n % rowLength !== 0) throw new UsageError(`--size above ${rowLength} must be a multiple of ${rowLength} (softmax rows); got ${n}`);
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
        clock: { type: 'string', default: 'cpu' },
        'row-length': { type: 'string' },
        json: { type: 'string' },
        svg: { type: 'string' },
        help: { type: 'boolean', short: 'h', default: false },
      },
    }));
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  if (values.clock !== 'cpu' && values.clock !== 'wall') throw new UsageError(`--clock must be cpu or wall; got '${values.clock}'`);
  const known = Object.keys(definitions);
  const fns = values.fn ?? FEATURED.filter((fn) => known.includes(fn));
  const sweepFns = values.fn ?? known;
  for (const fn of fns) if (!known.includes(fn)) throw new UsageError(`unknown function '${fn}'; known: ${known.join(', ')}`);
  const rowText = values['row-length'];
  const rowLength = rowText === undefined ? ROW_LENGTH : Number(rowText);
  if (!/^\d+$/.test(rowText ?? '1') || !Number.isSafeInteger(rowLength) || rowLength < 1 || rowLength > 65536) {
    throw new UsageError(`--row-length must be an integer from 1 to 65536; got '${rowText}'`);
  }
  // Without --size the default sizes come down to multiples of the row length (64Ki with rows of
  // 10: 65530 elements, 6553 rows).
  const roundDown = (n: number) => (n > rowLength ? n - (n % rowLength) : n);
  const sizes = values.size
    ? values.size.map((text) => parseSize(text, rowLength))
    : (values.quick ? QUICK_SIZES : DEFAULT_SIZES).map(roundDown);
  const sweepSize = roundDown(SWEEP_SIZE);
  const chosen = values.backend ?? [];
  for (const id of chosen) if (!ROW_IDS.includes(id)) throw new UsageError(`unknown --backend '${id}'; known: ${ROW_IDS.join(', ')}`);
  const chosenPeers = chosen.filter((id) => (PEER_IDS as readonly string[]).includes(id));
  const chosenRows = chosen.filter((id) => !(PEER_IDS as readonly string[]).includes(id));
  // Without --backend: every package row. With only peers named: the package rows all the same.
  const rows = chosenRows.length ? chosenRows : [...PACKAGE_BACKENDS, 'new-out', 'zero-copy', 'threads'];
  const peers = chosenPeers.length ? chosenPeers : values.peers ? [...PEER_IDS] : [];
  const sorted = [...new Set(sizes)].sort((a, b) => a - b);
  const sweepRows = (chosenRows.length ? chosenRows : SWEEP_ROWS).filter((id) => id !== 'threads');
  // glu halves its input: at an odd size it has no halves (its own RangeError): a usage error here.
  const isGated = (fn: string) => definitions[fn as keyof typeof definitions].kind === 'gated';
  const sweepAt = sorted.includes(sweepSize) ? sweepSize : sorted[0];
  const oddMain = fns.some(isGated) ? sorted.find((n) => n % 2 !== 0) : undefined;
  const oddAt = oddMain ?? (sweepFns.some(isGated) && sweepAt % 2 !== 0 ? sweepAt : undefined);
  if (oddAt !== undefined) throw new UsageError(`--size must be even for glu (it splits x into two halves); got ${oddAt}`);
  const threadFns = (values.fn ?? THREAD_FNS).filter((fn) => {
    const kind = definitions[fn as keyof typeof definitions].kind;
    return kind === 'elementwise' || kind === 'reduction';
  });
  return {
    help: values.help, fns: [...new Set(fns)], sizes: sorted, rows: ROW_IDS.filter((id) => rows.includes(id) && id !== 'threads'),
    peers, quick: values.quick, clock: values.clock, rowLength, json: values.json, svg: values.svg,
    sweep: {
      fns: [...new Set(sweepFns)],
      size: sweepAt,
      rows: ROW_IDS.filter((id) => sweepRows.includes(id)),
    },
    ...(rows.includes('threads') && threadFns.length ? { threads: { fns: [...new Set(threadFns)], size: sorted[sorted.length - 1] } } : {}),
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

/** One task of the run: a group of cells (or a warm-up) to check and time, with its progress weight. */
interface Task {
  readonly label: string;
  readonly weight: number;
  run(): Promise<Cell[]>;
}

/** Calls `impl` on `x` for `ms` milliseconds, untimed; a failure shows up later, in its cells. */
async function warmUp(impl: Implementation, definition: Definition, x: Float32Array, ms: number, backward?: BackwardInput): Promise<void> {
  try {
    const prepared = backward ? await impl.prepareBackward!(definition, backward) : await impl.prepare(definition, x);
    const end = performance.now() + ms;
    while (performance.now() < end) {
      if (prepared.runAsync) await prepared.runAsync();
      else prepared.run!();
    }
    await prepared.dispose?.();
  } catch {
    // timeGroup reports it, in the first cell of this implementation and function.
  }
}

/** A round's time to 4 significant digits: plenty for a ratio (the noise is percents), and a shorter JSON. */
const roundTo4 = (v: number) => Number(v.toPrecision(4));

const thrown = (error: unknown) => `threw: ${(error as Error)?.message ?? String(error)}`;

/**
 * One comparison group: `impls` on one function, direction and input, and the `floors` (the
 * limits) beside them. Prepares each implementation, runs it once and checks its output against
 * `exact`: the naive loop and the package's rows must be within the bound (else an error cell,
 * not timed); a peer outside it is timed and marked. Then times every right one and the floors
 * together in interleaved rounds (measureRounds). Returns the cells in the order of `impls`, then
 * the floors' cells (fn 'limit').
 */
export async function timeGroup(
  impls: readonly Implementation[], definition: Definition, x: Float32Array, exact: Float64Array, unit: Unit, budget: Budget,
  backward?: BackwardInput, floors: readonly Limit[] = [],
): Promise<Cell[]> {
  const direction: Direction = backward ? 'backward' : 'forward';
  const elements = unit === 'ns/call' ? 1 : x.length;
  const cells: Cell[] = [];
  const timed: { slot: number; base: Cell; run: Contender }[] = [];
  const prepared: PreparedRun[] = [];
  try {
    for (const impl of impls) {
      const composite = impl.composite?.(definition);
      const base = { fn: definition.name, direction, size: x.length, impl: impl.id, unit, ...(composite ? { composite } : {}) };
      try {
        if (backward && !impl.prepareBackward) throw new Error(`${impl.id} has no backward pass`);
        const run = backward ? await impl.prepareBackward!(definition, backward) : await impl.prepare(definition, x);
        prepared.push(run);
        if (run.runAsync) await run.runAsync();
        else run.run!();
        const err = maxError(exact, backward ? backward.saved : x, run.output);
        const ulp = backward ? definition.backward.ulp : definition.ulp;
        // A naive loop may use a textbook approximation (gelu's erf) outside any ULP bound: its own.
        const bound = impl.kind === 'naive' ? naiveUlpOf(definition, ulp) : ulp;
        const within = err.ulp <= bound;
        if (!within && (impl.kind !== 'peer' || isGarbage(exact, run.output, err.ulp))) {
          cells.push({ ...base, maxUlp: err.ulp, boundUlp: bound, error: `max error ${err.ulp} ULP at x = ${err.at} (bound ${bound})` });
          continue;
        }
        timed.push({ slot: cells.length, base: { ...base, maxUlp: err.ulp, boundUlp: bound, ...(within ? {} : { outOfBound: true }) }, run: { run: run.run, runAsync: run.runAsync, elements } });
        cells.push(base as Cell); // replaced by its timing below
      } catch (error) {
        cells.push({ ...base, maxUlp: NaN, error: thrown(error) });
      }
    }
    for (const floor of floors) {
      const base: Cell = { fn: 'limit', size: x.length, impl: floor.id, unit: 'ns/element', maxUlp: 0 };
      try {
        timed.push({ slot: cells.length, base, run: { run: floor.prepare(x), elements: x.length } });
        cells.push(base);
      } catch (error) {
        cells.push({ ...base, error: thrown(error) });
      }
    }
    const results = await measureRounds(timed.map((t) => t.run), budget);
    for (const [k, { slot, base }] of timed.entries()) {
      const { timing: t, error } = results[k];
      cells[slot] = t
        ? { ...base, median: t.median, q1: t.q1, q3: t.q3, samples: t.samples, callsPerBatch: t.callsPerBatch, rounds: t.rounds.map(roundTo4) }
        : { ...base, error: thrown(error) };
    }
    return cells;
  } finally {
    for (const run of prepared) {
      try {
        await run.dispose?.();
      } catch {
        // Nothing to report: the cells are measured.
      }
    }
  }
}

/** One implementation's cell: {@link timeGroup} of one. */
export async function timeCell(
  impl: Implementation, definition: Definition, x: Float32Array, exact: Float64Array, unit: Unit, budget: Budget, backward?: BackwardInput,
): Promise<Cell> {
  return (await timeGroup([impl], definition, x, exact, unit, budget, backward))[0];
}

/** Runs the benchmark the options describe and returns its results (progress on `progressStream`). */
export async function runBenchmark(options: BenchOptions, progressStream: NodeJS.WritableStream & { isTTY?: boolean; columns?: number } = process.stderr): Promise<BenchResults> {
  const started = new Date();
  const clock = performance.now();
  setRowLength(options.rowLength); // every case prepared below shapes the softmax family by it
  const budget: Budget = { ...(options.quick ? BUDGETS.quick : BUDGETS.default), clock: options.clock };
  const perCallBudget: Budget = { ...BUDGETS.perCall, clock: options.clock };
  const log = (line: string) => progressStream.write(`${line}\n`);

  const pkg = packageInfo();
  const versions: Record<string, string> = { 'wasm-activations': pkg.version };
  const impls: Implementation[] = [naive];
  for (const backend of PACKAGE_BACKENDS) {
    if (options.rows.includes(backend)) impls.push(packageImplementation(await createActivations({ backend })));
  }
  if (options.rows.includes('new-out')) impls.push(newOutImplementation(await createActivations({ backend: 'wasm-simd' })));
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

  // The plan: per size, the featured functions on every implementation, then the limits; then
  // the sweep (every function forward and backward at one size: cells already planned above are
  // not timed twice); then one call at n = 16. Weights estimate each task's share of the time
  // (checks and slow calls grow with n).
  const tasks: Task[] = [];
  const definitionOf = (fn: string) => definitions[fn as keyof typeof definitions] as Definition;
  const fnDefs = options.fns.map(definitionOf);
  const sweepDefs = options.sweep.fns.map(definitionOf);
  const perSize = new Map<number, { x: Float32Array; exact: Map<string, Float64Array>; backward: Map<string, BackwardInput> }>();
  const inputs = (size: number) => {
    let entry = perSize.get(size);
    if (!entry) {
      perSize.clear(); // one size in memory at a time (16Mi inputs and references are large)
      entry = { x: uniformFloats(size, RANGE[0], RANGE[1], SEED + size), exact: new Map(), backward: new Map() };
      perSize.set(size, entry);
    }
    return entry;
  };
  const backwardOf = (definition: Definition, size: number) => {
    const entry = inputs(size);
    // Softmax-like functions save y, gated ones take a dy of half x's length: each its own input.
    const key = definition.kind === 'reduction' || definition.kind === 'gated' ? definition.name : 'elementwise';
    let input = entry.backward.get(key);
    if (!input) entry.backward.set(key, (input = backwardInputOf(definition, entry.x, SEED + size + DY_SEED)));
    return input;
  };
  const exactOf = (definition: Definition, size: number, direction: Direction = 'forward') => {
    const entry = inputs(size);
    const key = `${definition.name} ${direction}`;
    let exact = entry.exact.get(key);
    if (!exact) {
      exact = direction === 'forward' ? referenceOf(definition, entry.x) : backwardReferenceOf(definition, backwardOf(definition, size));
      entry.exact.set(key, exact);
    }
    return exact;
  };
  const sizeWeight = (size: number) => 1 + size / 2 ** 22;
  const supports = (impl: Implementation, definition: Definition, direction: Direction) =>
    (!impl.supports || impl.supports(definition)) && (direction === 'forward' || impl.prepareBackward !== undefined);
  const sweepImpls = impls.filter((i) => i.kind === 'naive' || i.kind === 'peer' || options.sweep.rows.includes(i.id));
  // A comparison group per function × direction × size × unit: the implementations timed there,
  // in interleaved rounds (timeGroup). An implementation asked for twice (a featured function's
  // table and the sweep at the same size) joins its group once; the task runs every member.
  const groups = new Map<string, { impls: Implementation[]; floors: Limit[] }>();
  const groupOf = (definition: Definition, size: number, direction: Direction, unit: Unit) => {
    const key = `${definition.name} ${direction} ${size} ${unit}`;
    let group = groups.get(key);
    if (group) return group;
    const members = { impls: [] as Implementation[], floors: [] as Limit[] };
    groups.set(key, (group = members));
    const name = `${fnLabel(definition.name, direction)} @ ${unit === 'ns/call' ? `n = ${size}, one call,` : formatSize(size)}`;
    tasks.push({
      get label() {
        return `${name} on ${[...members.impls.map((i) => i.id), ...members.floors.map((f) => f.id)].join(', ')}`;
      },
      get weight() {
        const perImpl = unit === 'ns/call' ? 0.15 : sizeWeight(size);
        return members.impls.reduce((w, i) => w + perImpl * (i.kind === 'peer' ? 1.3 : 1), 0) + members.floors.length * perImpl;
      },
      run: () => timeGroup(members.impls, definition, inputs(size).x, exactOf(definition, size, direction), unit,
        unit === 'ns/call' ? perCallBudget : budget, direction === 'backward' ? backwardOf(definition, size) : undefined, members.floors),
    });
    return group;
  };
  const cellTask = (impl: Implementation, definition: Definition, size: number, direction: Direction, unit: Unit = 'ns/element') => {
    if (!supports(impl, definition, direction)) return;
    const group = groupOf(definition, size, direction, unit);
    if (!group.impls.includes(impl)) group.impls.push(impl);
  };
  // Warm-up of every implementation on every function (and backward pass) it will time, untimed:
  // the first call into a library (its JIT, its memory growing, a session's first run) must not
  // land in the first cell.
  const warmed = new Set<string>();
  const warmTask = (impl: Implementation, definition: Definition, direction: Direction) => {
    const key = `${definition.name} ${direction} ${impl.id}`;
    if (warmed.has(key) || !supports(impl, definition, direction)) return;
    warmed.add(key);
    tasks.push({
      label: `warm-up: ${definition.name}${direction === 'backward' ? 'Backward' : ''} on ${impl.id}`,
      weight: 0.1,
      run: async () => {
        await warmUp(impl, definition, inputs(WARMUP_N).x, WARMUP_MS, direction === 'backward' ? backwardOf(definition, WARMUP_N) : undefined);
        return [];
      },
    });
  };
  for (const impl of impls) for (const definition of fnDefs) warmTask(impl, definition, 'forward');
  for (const impl of sweepImpls) {
    for (const definition of sweepDefs) for (const direction of ['forward', 'backward'] as const) warmTask(impl, definition, direction);
  }
  for (const size of options.sizes) {
    for (const definition of fnDefs) for (const impl of impls) cellTask(impl, definition, size, 'forward');
    // The limits are timed in the rounds of the first function at their size (with --fn relu,
    // relu's), beside kernels that move the same bytes.
    if (fnDefs.length) groupOf(fnDefs[0], size, 'forward', 'ns/element').floors.push(...floors);
  }
  for (const definition of sweepDefs) {
    for (const direction of ['forward', 'backward'] as const) {
      for (const impl of sweepImpls) cellTask(impl, definition, options.sweep.size, direction);
    }
  }
  for (const definition of fnDefs) for (const impl of impls) cellTask(impl, definition, PER_CALL_N, 'forward', 'ns/call');
  // Last, the threads rows: they load both cores (and, by the wall clock, want them quiet).
  let threads: ThreadRows | undefined;
  if (options.threads) {
    const plan = { fns: options.threads.fns, sizes: [options.threads.size], counts: threadCounts(), budget: { ...THREADS_BUDGET, clock: 'wall' as const } };
    threads = {
      fns: plan.fns, sizes: plan.sizes, counts: plan.counts, below: Object.fromEntries(plan.fns.map((fn) => [fn, belowThreshold(fn)])),
      note: 'createActivations({ threads: count }), x and out zero-copy buffers of its shared memory, each call awaited; wall clock',
    };
    tasks.push({
      label: 'threads',
      weight: plan.fns.length * plan.counts.length * (1 + sizeWeight(options.threads.size)),
      run: () => timeThreadRows(plan, (label) => bar.start(`threads: ${label}`)),
    });
  }

  // Groups left empty (every member unsupported) are not tasks; the bar counts tasks (warm-ups
  // and groups), weighted by their estimated share of the time.
  const work = tasks.filter((t) => t.weight > 0);
  const bar = new ProgressBar(progressStream, work.reduce((s, t) => s + t.weight, 0), work.length);
  const cells: Cell[] = [];
  let lastSize = -1;
  for (const task of work) {
    bar.start(task.label);
    const group = await task.run();
    cells.push(...group);
    bar.finish(task.weight);
    const size = group[0]?.size;
    if (size !== undefined && size !== lastSize) {
      if (lastSize >= 0 && !bar.live) log(`done: ${formatSize(lastSize)} (${bar.state().count}/${work.length} tasks, ${((performance.now() - clock) / 1000).toFixed(0)} s)`);
      lastSize = size;
    }
  }
  bar.clear();
  if (!bar.live) log(`done: ${cells.length} cells in ${work.length} tasks, ${((performance.now() - clock) / 1000).toFixed(0)} s`);

  return {
    schema: 1,
    date: started.toISOString(),
    durationSeconds: Math.round((performance.now() - clock) / 100) / 10,
    args: [],
    environment,
    method: {
      input: `uniform in [${RANGE[0]}, ${RANGE[1]}] (mulberry32, seed ${SEED} + n), the same for every implementation`,
      seed: SEED,
      rowLength: options.rowLength,
      ...budget,
      perCallN: PER_CALL_N,
      backwardInput: 'dy uniform in [-1, 1] (mulberry32, seed ' + `${SEED} + n + ${DY_SEED}); the saved tensor is x (softmax: its float64 reference rounded to float32)`,
      schedule: SCHEDULE,
    },
    fns: options.fns,
    sizes: options.sizes,
    sweep: { size: options.sweep.size, fns: options.sweep.fns, impls: sweepImpls.map((i) => i.id) },
    implementations: impls.map(info),
    limits: floors.map((l) => ({ id: l.id, label: l.id, kind: 'limit', note: l.note })),
    peerSettings,
    cells,
    ...(threads ? { threads } : {}),
  };
}

/**
 * Checks, before the run, that `file` can be written (its folder made if missing): a bad --json
 * or --svg path is a usage error at once, not a stack trace after minutes of benchmarking.
 */
function checkWritable(file: string, option: string): void {
  try {
    mkdirSync(dirname(file), { recursive: true });
    accessSync(dirname(file), constants.W_OK);
    if (existsSync(file)) accessSync(file, constants.W_OK);
    if (existsSync(file) && !statSync(file).isFile()) throw new Error('not a file');
  } catch (error) {
    throw new UsageError(`${option} ${file}: cannot write there (${(error as Error).message})`);
  }
}

function write(file: string, text: string, option: string): void {
  try {
    writeFileSync(file, text);
  } catch (error) {
    throw new UsageError(`${option} ${file}: the write failed (${(error as Error).message})`);
  }
}

/** The bench command: parse, run, print the report, write --json / --svg. */
export async function benchCommand(argv: readonly string[]): Promise<void> {
  const options = parseBenchArgs(argv);
  if (options.help) {
    console.log(HELP);
    return;
  }
  // An empty path is a mistake (a shell variable left unset), not "no file".
  for (const [option, file] of [['--json', options.json], ['--svg', options.svg]] as const) {
    if (file === '') throw new UsageError(`${option} needs a file name; got ''`);
  }
  if (options.json) checkWritable(options.json, '--json');
  if (options.svg) checkWritable(options.svg, '--svg');
  const results = { ...(await runBenchmark(options)), args: [...argv] };
  console.log(formatReport(results));
  if (options.json) {
    write(options.json, `${JSON.stringify(results, null, 2)}\n`, '--json');
    console.log(`\nwrote ${options.json}`);
  }
  if (options.svg) {
    write(options.svg, renderSvg(chartFromResults(results)), '--svg');
    console.log(`wrote ${options.svg}`);
  }
}
