// The shape of one benchmark run: every cell, the implementations, the method and the machine.
// The CLI writes it with --json; the report, the SVG chart and the README section read it.
import { spawnSync } from 'node:child_process';
import { cpus, loadavg, release, totalmem } from 'node:os';

/** What a cell's numbers measure: time per element of the input, or per call (at n = 16). */
export type Unit = 'ns/element' | 'ns/call';

/** What a cell times: the activation or its backward pass `<fn>Backward(dy, saved)`. */
export type Direction = 'forward' | 'backward';

/** One measured (or failed) cell: a function × a direction × a size × an implementation. */
export interface Cell {
  readonly fn: string;
  /** Absent in runs before the backward rows (and for limits): forward. */
  readonly direction?: Direction;
  /** Elements of the input (the tensor's total size; softmax runs over rows of 1024). */
  readonly size: number;
  /** Implementation id ('naive', 'wasm-simd', 'tfjs-wasm', …), or a limit's id for fn 'limit'. */
  readonly impl: string;
  readonly unit: Unit;
  /** Median, first and third quartile over the batches; absent when the cell was not timed. */
  readonly median?: number;
  readonly q1?: number;
  readonly q3?: number;
  /** Batches timed and calls per batch. */
  readonly samples?: number;
  readonly callsPerBatch?: number;
  /**
   * ns per element (per call for ns/call) of each batch, in round order: batch r was timed in
   * round r beside batch r of every other cell of its group (same fn, direction, size and unit;
   * the limits with the first function of their size). Absent in runs before the rounds; the
   * ratios then fall back to the quotient of the medians.
   */
  readonly rounds?: readonly number[];
  /** Max error against the float64 reference, in ULP (0 for limits). */
  readonly maxUlp: number;
  /** The package's bound for this function, in ULP. */
  readonly boundUlp?: number;
  /** A peer whose error exceeds our bound: timed all the same (it is not our contract), marked. */
  readonly outOfBound?: boolean;
  /** Set when the output was wrong: the cell is not timed. */
  readonly error?: string;
  /** A peer that runs several ops for this function: what it runs (marked † in the report). */
  readonly composite?: string;
}

/** An implementation as the results describe it. */
export interface ImplementationInfo {
  readonly id: string;
  readonly label: string;
  readonly kind: 'naive' | 'package' | 'zero-copy' | 'peer' | 'limit';
  /** What one timed call includes. */
  readonly note: string;
}

/** The machine and software a run happened on. */
export interface Environment {
  /** os.cpus()[0].model. */
  readonly cpu: string;
  /** Logical cores (os.cpus().length); every implementation runs on one thread. */
  readonly cores: number;
  readonly memoryGiB: number;
  readonly platform: string;
  readonly arch: string;
  readonly osRelease: string;
  readonly node: string;
  readonly v8: string;
  /** The 1-minute load average when the run started (other work on the machine). */
  readonly loadAverage: number;
  /** Versions: wasm-activations and each peer package. */
  readonly versions: Record<string, string>;
  /** The git commit of a checkout (with '-dirty' when the work tree has changes), if any. */
  readonly revision?: string;
}

/** How the cells were measured. */
export interface Method {
  readonly input: string;
  readonly seed: number;
  readonly rowLength: number;
  readonly warmupMs: number;
  readonly batchMs: number;
  readonly batches: number;
  readonly maxCellMs: number;
  readonly minBatches: number;
  readonly perCallN: number;
  /** The backward cells' operands (absent in runs before the backward rows). */
  readonly backwardInput?: string;
  /**
   * What timed a batch: 'cpu', the smaller of the process's CPU time and the wall time over it, or
   * 'wall' (absent in runs before the choice: the wall clock).
   */
  readonly clock?: 'cpu' | 'wall';
  /** How the batches of a group were scheduled (absent in runs before the interleaved rounds: one cell after the other). */
  readonly schedule?: string;
}

/**
 * The sweep: every function forward and backward at one size, on the naive loop, some of our
 * rows and the peers (forward only).
 */
export interface Sweep {
  readonly size: number;
  readonly fns: readonly string[];
  /** Implementation ids, in table order. */
  readonly impls: readonly string[];
}

/** One benchmark run, as written by --json. */
export interface BenchResults {
  readonly schema: 1;
  /** ISO date of the run's start. */
  readonly date: string;
  readonly durationSeconds: number;
  /** The command line's options. */
  readonly args: readonly string[];
  readonly environment: Environment;
  readonly method: Method;
  /** The functions timed at every size (forward). */
  readonly fns: readonly string[];
  readonly sizes: readonly number[];
  /** Absent in runs before the backward rows. */
  readonly sweep?: Sweep;
  /** Implementations in table order (naive first, peers last); limits are listed apart. */
  readonly implementations: readonly ImplementationInfo[];
  readonly limits: readonly ImplementationInfo[];
  /** Per peer: its settings as the benchmark set them (threads, SIMD, execution provider). */
  readonly peerSettings: Record<string, Record<string, unknown>>;
  readonly cells: readonly Cell[];
  /**
   * The threads rows (absent in runs before them, or without the 'threads' row): the threaded
   * instance on each thread count, zero-copy, wall clock; cells with impl 'threads-<count>'.
   */
  readonly threads?: ThreadRows;
}

/** Which threads rows a run timed. */
export interface ThreadRows {
  readonly fns: readonly string[];
  /** Sizes above the thread thresholds (the call is split between workers). */
  readonly sizes: readonly number[];
  /** Per function: a size below its threshold (the call runs on the calling thread). */
  readonly below: Record<string, number>;
  readonly counts: readonly number[];
  /** How a cell was timed. */
  readonly note: string;
}

/** `git describe --always --dirty` in `dir`, or undefined outside a checkout (an installed package). */
export function gitRevision(dir: string): string | undefined {
  const result = spawnSync('git', ['describe', '--always', '--dirty', '--abbrev=12'], { cwd: dir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  return result.status === 0 ? result.stdout.trim() || undefined : undefined;
}

/** The machine this process runs on; `packageDir` is where to look for a git checkout. */
export function currentEnvironment(versions: Record<string, string>, packageDir?: string): Environment {
  const cpu = cpus();
  const revision = packageDir === undefined ? undefined : gitRevision(packageDir);
  return {
    cpu: cpu[0]?.model?.trim() || 'unknown CPU',
    cores: cpu.length,
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    platform: process.platform,
    arch: process.arch,
    osRelease: release(),
    node: process.version,
    v8: process.versions.v8,
    loadAverage: Math.round(loadavg()[0] * 100) / 100,
    versions,
    ...(revision ? { revision } : {}),
  };
}

/** The direction of a cell (forward when absent). */
export function directionOf(cell: Cell): Direction {
  return cell.direction ?? 'forward';
}

/** How a cell's function is named in tables: `sigmoid`, or `sigmoidBackward` for the backward pass (the API's name). */
export function fnLabel(fn: string, direction: Direction = 'forward'): string {
  return direction === 'backward' ? `${fn}Backward` : fn;
}

/** The cell of fn × size × impl in `unit` and `direction`, if any. */
export function findCell(
  cells: readonly Cell[], fn: string, size: number, impl: string, unit: Unit = 'ns/element', direction: Direction = 'forward',
): Cell | undefined {
  return cells.find((c) => c.fn === fn && c.size === size && c.impl === impl && c.unit === unit && directionOf(c) === direction);
}

/** The median of a timed cell, or undefined (missing or wrong). */
export function medianOf(
  cells: readonly Cell[], fn: string, size: number, impl: string, unit: Unit = 'ns/element', direction: Direction = 'forward',
): number | undefined {
  const cell = findCell(cells, fn, size, impl, unit, direction);
  return cell && !cell.error ? cell.median : undefined;
}

/** The median of `values` (any order; not modified); NaN for none. */
function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = (sorted.length - 1) / 2;
  return sorted.length ? (sorted[Math.floor(mid)] + sorted[Math.ceil(mid)]) / 2 : NaN;
}

/**
 * How many times faster `ours` is than `theirs`, two timed cells of one group: the median over
 * the rounds of theirs[r] / ours[r], the two batches timed side by side in round r. Load that
 * slows a whole round (another process, the CPU's clock) cancels in its ratio, and a round where
 * a burst hit only one of the two is one outlier among R for the median. Cells without aligned
 * rounds (runs before them) give the quotient of the medians. Undefined when either is missing,
 * wrong or not timed.
 */
export function pairedRatio(theirs: Cell | undefined, ours: Cell | undefined): number | undefined {
  const quotient = medianRatio(theirs, ours);
  if (quotient === undefined) return undefined;
  const a = theirs!.rounds;
  const b = ours!.rounds;
  if (a && b && a.length === b.length && a.length > 0) return median(a.map((t, r) => t / b[r]));
  return quotient;
}

/** theirs.median / ours.median: for two cells that were not timed in the same rounds. */
export function medianRatio(theirs: Cell | undefined, ours: Cell | undefined): number | undefined {
  if (!theirs || !ours || theirs.error || ours.error || theirs.median === undefined || ours.median === undefined) return undefined;
  return theirs.median / ours.median;
}

/** {@link pairedRatio} of the cells of `theirs` and `ours` at fn × size (× unit, direction). */
export function ratioOf(
  cells: readonly Cell[], fn: string, size: number, theirs: string, ours: string, unit: Unit = 'ns/element', direction: Direction = 'forward',
): number | undefined {
  return pairedRatio(findCell(cells, fn, size, theirs, unit, direction), findCell(cells, fn, size, ours, unit, direction));
}
