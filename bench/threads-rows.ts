// The threads rows of the benchmark: the threaded instance (createActivations({ threads }))
// on 1, 2 and N threads, zero-copy buffers in its shared memory, at a size above the
// function's thread threshold (where the call is split between workers) and at one below it
// (where it runs on the calling thread, and must not be slower than one thread). One thread is
// a `threads: 1` instance: every call on the calling thread, awaited like the others, so the
// rows differ only in the threads. Wall-clock time: the work of several threads is what is
// timed (CPU time would add the threads up).
import { availableParallelism } from 'node:os';
import { createActivations } from '../src/instance.js';
import { definitions } from '../src/registry.js';
import { ActivationBuffer } from '../src/runtime/buffer.js';
import type { ThreadedActivations } from '../src/threads/instance.js';
import { thresholdOf } from '../src/threads/thresholds.js';
import { measureRounds, type Budget } from './harness.js';
import { currentRowLength, maxError, referenceOf, requiredParams } from './cases.js';
import { uniformFloats } from './inputs.js';
import type { Cell } from './results.js';


/** The implementation id of the threads row with `count` threads (zero-copy, or plain arrays). */
export function threadsId(count: number, arrays = false): string {
  return `threads-${count}${arrays ? ' arrays' : ''}`;
}

/** The thread counts to compare: 1, 2 and the available cores (each once, ascending). */
export function threadCounts(cores: number = availableParallelism()): number[] {
  return [...new Set([1, 2, cores])].sort((a, b) => a - b);
}

/**
 * The largest power of two below `name`'s thread threshold, from 4096 to at most 64Ki: a size at
 * which a threaded instance runs the call on the calling thread (for the softmax family, brought
 * down to a multiple of the row length in effect, as the main bench's sizes are). Capped at 64Ki,
 * the main bench's middle size: the row checks that a call kept on the calling thread costs no
 * more than on a single-threaded instance, which any size below the threshold shows, and the
 * thresholds are now up to 16Mi.
 */
export function belowThreshold(name: string): number {
  const threshold = thresholdOf(name);
  let size = 4096;
  while (size * 2 < threshold && size < 65536) size *= 2;
  const row = currentRowLength();
  if (definitions[name as keyof typeof definitions]?.kind === 'reduction' && size > row) size -= size % row;
  return size;
}

/** What to time: functions, sizes (each function also gets its below-threshold size), counts. */
export interface ThreadRowsPlan {
  readonly fns: readonly string[];
  readonly sizes: readonly number[];
  readonly counts: readonly number[];
  readonly budget: Budget;
  /** Also time plain Float32Arrays (copied into the shared memory and back): impl 'threads-<count> arrays'. Default false. */
  readonly arrays?: boolean;
  /** Add each function's below-threshold size. Default true. */
  readonly below?: boolean;
}

/**
 * Times every function of `plan` at each size (and below its threshold): the thread counts of
 * one function × size in interleaved rounds (measureRounds, as the main groups), each call
 * awaited, zero-copy (x and out buffers of each instance's shared memory) and, with `arrays`,
 * plain Float32Arrays too. Each output is
 * checked against the float64 reference before it is timed. `progress` is told each group's
 * label before it runs. An instance that cannot start its threads gives error cells, not a
 * failed run.
 */
export async function timeThreadRows(plan: ThreadRowsPlan, progress: (label: string) => void = () => {}): Promise<Cell[]> {
  const cells: Cell[] = [];
  const instances = new Map<number, ThreadedActivations>();
  try {
    for (const count of plan.counts) instances.set(count, await createActivations({ threads: count }));
    for (const fn of plan.fns) {
      const definition = definitions[fn as keyof typeof definitions];
      const reduction = definition.kind === 'reduction';
      const sizes = [...new Set([...(plan.below === false ? [] : [belowThreshold(fn)]), ...plan.sizes])].sort((a, b) => a - b);
      for (const size of sizes) {
        const row = currentRowLength(); // the softmax family's rows, as in the main bench (--row-length)
        const length = reduction ? Math.ceil(size / row) * row : size;
        progress(`${fn} @ ${length} on ${plan.counts.join(', ')} threads`);
        cells.push(...await timeGroup(fn, length, instances, plan.budget, plan.arrays === true));
      }
    }
  } finally {
    for (const acts of instances.values()) await acts.destroy();
  }
  return cells;
}

/** The cells of one function × length on every instance. */
async function timeGroup(
  fn: string, length: number, instances: Map<number, ThreadedActivations>, budget: Budget, arrays: boolean,
): Promise<Cell[]> {
  const definition = definitions[fn as keyof typeof definitions];
  const row = currentRowLength();
  // The params the function requires (threshold's), as the main bench passes them; the reference uses the same.
  const options = definition.kind === 'reduction' ? { shape: [length / row, row] } : requiredParams(definition);
  const x = uniformFloats(length, -6, 6, 0x5eed + length);
  const exact = referenceOf(definition, x);
  const cells: Cell[] = [];
  const members: { base: Cell; run: () => Promise<void>; maxUlp: number }[] = [];
  const buffers: ActivationBuffer[] = [];
  try {
    for (const [count, acts] of instances) for (const plain of arrays ? [false, true] : [false]) {
      const base: Cell = { fn, direction: 'forward', size: length, impl: threadsId(count, plain), unit: 'ns/element', maxUlp: NaN };
      if (acts.threads !== count) {
        cells.push({ ...base, error: `${acts.threads} thread(s) available: ${acts.threadsReason ?? 'unknown reason'}` });
        continue;
      }
      try {
        const call = (acts as unknown as Record<string, (x: unknown, o: unknown) => Promise<unknown>>)[fn];
        let input: Float32Array | ActivationBuffer = x;
        let out: Float32Array | ActivationBuffer = new Float32Array(length);
        if (!plain) {
          input = acts.allocate(length);
          out = acts.allocate(length);
          buffers.push(input, out);
          input.array.set(x);
        }
        const run = async () => {
          await call(input, { ...options, out });
        };
        await run();
        const err = maxError(exact, x, out instanceof ActivationBuffer ? out.array : out);
        if (!(err.ulp <= definition.ulp)) {
          cells.push({ ...base, maxUlp: err.ulp, boundUlp: definition.ulp, error: `max error ${err.ulp} ULP at x = ${err.at} (bound ${definition.ulp})` });
          continue;
        }
        members.push({ base, run, maxUlp: err.ulp });
      } catch (error) {
        cells.push({ ...base, error: `threw: ${(error as Error)?.message ?? String(error)}` });
      }
    }
    const results = await measureRounds(members.map((m) => ({ runAsync: m.run, elements: length })), budget);
    results.forEach((result, i) => {
      const { base, maxUlp } = members[i];
      const t = result.timing;
      cells.push(t
        ? { ...base, median: t.median, q1: t.q1, q3: t.q3, samples: t.samples, callsPerBatch: t.callsPerBatch, rounds: t.rounds, maxUlp, boundUlp: definition.ulp }
        : { ...base, error: `threw: ${(result.error as Error)?.message ?? String(result.error)}` });
    });
  } finally {
    for (const buffer of buffers) buffer.free();
  }
  return cells.sort((a, b) => a.impl.localeCompare(b.impl, 'en', { numeric: true }));
}
