// A small timing harness: warm up, calibrate a batch to a target duration, then time batches
// and keep the median and interquartile range. Hand-written rather than tinybench or mitata so
// that the CLI shipped in the package keeps zero runtime dependencies.
//
// The benchmark times the implementations it compares (one function, direction and size: the
// naive loop, the package's rows, the peers) in interleaved rounds, measureRounds(): on a shared
// machine a burst of load from another process lasts anywhere from milliseconds to minutes; timed
// one after the other, a burst lands on one implementation and not on its neighbours and flips
// their ratio. Interleaved, it lands on every implementation of the rounds it spans, and the
// per-round ratio (pairedRatio in results.ts) cancels it. The rounds alone did not steady the
// ratios at load 5 to 6 on 2 cores, where the wall clock of every batch includes time slices of
// other processes, unevenly: measureRounds times a batch by startLap's clock, which leaves them out.

/** Timing of one benchmark cell, in nanoseconds per element. */
export interface Timing {
  readonly median: number;
  readonly q1: number;
  readonly q3: number;
  /** Batches timed. */
  readonly samples: number;
  /** Calls per batch. */
  readonly callsPerBatch: number;
  /**
   * ns per element of each batch in the order timed: with measureRounds, batch r of every
   * implementation of a group was timed in round r, next to the others' batch r.
   */
  readonly rounds: readonly number[];
}

/** How long to spend on one cell. */
export interface Budget {
  /** Warm-up time in ms (JIT tiers up, caches fill). */
  readonly warmupMs: number;
  /** Target duration of one timed batch in ms. */
  readonly batchMs: number;
  /** Number of timed batches. */
  readonly batches: number;
  /**
   * At most this many ms of timed batches per cell: where one call is slower than a batch (16Mi
   * elements on a slow implementation), fewer batches are timed, but never fewer than
   * `minBatches`.
   */
  readonly maxCellMs: number;
  /** The fewest batches a cell gets. */
  readonly minBatches: number;
  /**
   * measureRounds' clock (measure and measureAsync always use the wall clock): 'cpu' (default),
   * see {@link startLap}, or 'wall', performance.now().
   */
  readonly clock?: Clock;
}

/** Which clock times the batches. */
export type Clock = 'cpu' | 'wall';

/**
 * measureRounds warms each contender up for at least this many calls, however long they take:
 * where one call outlasts the warm-up time (16Mi elements), a single warm-up call left
 * tfjs-backend-wasm slow for its first rounds (softmax at 16Mi in run 17: 9.4, 10.8, 11.3, then
 * 2.7 and 2.3 ns per element; its memory growing and its code tiering up, presumably), and the
 * median mixed the two states.
 */
export const MIN_WARMUP_CALLS = 4;

/** The CPU time of this process in ms: user + system, every thread. */
export function cpuClock(): number {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1000;
}

/** The wall clock in ms. */
export function wallClock(): number {
  return performance.now();
}

/**
 * Starts a stopwatch; calling the result gives the ms since. 'wall': the wall clock. 'cpu': the
 * smaller of the wall time and the CPU time of this process over the lap. Both bound the time the
 * benchmark's own thread worked from above: the wall clock also runs while another process has
 * the core (on a shared machine with more runnable processes than cores, a 12 ms batch includes
 * whole time slices of the others; measured here at load 5 on 2 cores: per-round naive/wasm-simd
 * ratios of sigmoid from 5 to 21 by the wall clock, 10.1 to 10.5 by CPU time), and the process's
 * CPU time also counts its other threads (V8 collecting a peer's garbage in parallel doubled two
 * batches of the next implementation). What neither removes, and the paired rounds share out:
 * cache and memory contention. Linux accounts CPU time to the nanosecond and Node reports
 * microseconds, below 0.01% of a batch.
 */
export function startLap(clock: Clock = 'cpu'): () => number {
  const wall = wallClock();
  if (clock === 'wall') return () => wallClock() - wall;
  const cpu = cpuClock();
  return () => Math.min(wallClock() - wall, cpuClock() - cpu);
}

/**
 * The q-quantile (0 ≤ q ≤ 1) of ascending `sorted`, interpolated linearly between the two
 * nearest ranks (R's type 7, NumPy's default). NaN for an empty list.
 */
export function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return NaN;
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
}

/** Median and quartiles of `values` (any order; not modified). */
export function summarize(values: readonly number[]): { median: number; q1: number; q3: number } {
  const sorted = [...values].sort((a, b) => a - b);
  return { median: quantile(sorted, 0.5), q1: quantile(sorted, 0.25), q3: quantile(sorted, 0.75) };
}

/** Calls per batch and batch count from the cost of one call, as measured by the warm-up. */
export function plan(perCallMs: number, budget: Budget): { callsPerBatch: number; batches: number } {
  const callsPerBatch = Math.max(1, Math.round(budget.batchMs / Math.max(perCallMs, 1e-6)));
  const batchMs = callsPerBatch * perCallMs;
  const fit = Math.floor(budget.maxCellMs / Math.max(batchMs, 1e-6));
  return { callsPerBatch, batches: Math.max(budget.minBatches, Math.min(budget.batches, fit)) };
}

function timing(perBatchMs: readonly number[], callsPerBatch: number, elements: number): Timing {
  const perElement = perBatchMs.map((ms) => (ms * 1e6) / (callsPerBatch * elements));
  return { ...summarize(perElement), samples: perElement.length, callsPerBatch, rounds: perElement };
}

/** Times `run` (one call processes `elements` elements) and reports ns per element. */
export function measure(run: () => void, elements: number, budget: Budget): Timing {
  // Warm-up, which also estimates the cost of one call.
  let calls = 0;
  const warmStart = performance.now();
  do {
    run();
    calls++;
  } while (performance.now() - warmStart < budget.warmupMs);
  const { callsPerBatch, batches } = plan((performance.now() - warmStart) / calls, budget);
  const perBatchMs: number[] = [];
  for (let b = 0; b < batches; b++) {
    const start = performance.now();
    for (let i = 0; i < callsPerBatch; i++) run();
    perBatchMs.push(performance.now() - start);
  }
  return timing(perBatchMs, callsPerBatch, elements);
}

/**
 * {@link measure} for an API that returns a promise (onnxruntime's `session.run`): each call is
 * awaited before the next, as a caller of that API would.
 */
export async function measureAsync(run: () => Promise<void>, elements: number, budget: Budget): Promise<Timing> {
  let calls = 0;
  const warmStart = performance.now();
  do {
    await run();
    calls++;
  } while (performance.now() - warmStart < budget.warmupMs);
  const { callsPerBatch, batches } = plan((performance.now() - warmStart) / calls, budget);
  const perBatchMs: number[] = [];
  for (let b = 0; b < batches; b++) {
    const start = performance.now();
    for (let i = 0; i < callsPerBatch; i++) await run();
    perBatchMs.push(performance.now() - start);
  }
  return timing(perBatchMs, callsPerBatch, elements);
}

/** One implementation of a group timed in rounds: one call (exactly one of run, runAsync) over `elements` elements. */
export interface Contender {
  readonly run?: () => void;
  /** One call of an API that returns a promise (onnxruntime's session.run): awaited before the next. */
  readonly runAsync?: () => Promise<void>;
  readonly elements: number;
}

/** What measureRounds reports for one contender: its timing, or what it threw (then it was dropped from the later rounds). */
export type RoundResult = { readonly timing: Timing; readonly error?: undefined } | { readonly timing?: undefined; readonly error: unknown };

/** For tests: a fake clock, and a look at the schedule. */
export interface RoundHooks {
  /** A fake clock in ms (default: {@link startLap} with budget.clock). */
  readonly now?: () => number;
  /** Called before each timed batch: the round (0-based) and the contender's index. */
  readonly onBatch?: (round: number, index: number) => void;
}

/**
 * The order of round `round` over `count` contenders: each round starts one further along
 * (0 1 2, 1 2 0, 2 0 1, …), so that no contender always runs first after a switch (cold caches,
 * a JIT's or a branch predictor's state left by another) nor always right after the same one.
 */
export function roundOrder(round: number, count: number): number[] {
  return Array.from({ length: count }, (_, j) => (round + j) % count);
}

/**
 * Times a group of contenders in interleaved rounds. First each one on its own: warm-up, which
 * also measures one call, and its plan (its own calls per batch, so that each batch lasts about
 * budget.batchMs). Then R rounds, R the fewest batches any contender's plan allows (so the slowest
 * sets the pace, as budget.maxCellMs wants, and every contender gets the same R batches); round r
 * times one batch of each contender in {@link roundOrder}. A contender that throws (in warm-up or
 * in a batch) is reported with its error and left out of the later rounds; the others go on.
 */
export async function measureRounds(contenders: readonly Contender[], budget: Budget, hooks: RoundHooks = {}): Promise<RoundResult[]> {
  const fake = hooks.now;
  const lap = fake ? () => { const t0 = fake(); return () => fake() - t0; } : () => startLap(budget.clock);
  const errors = new Map<number, unknown>();
  const plans: { callsPerBatch: number; batches: number }[] = [];
  const perBatchMs: number[][] = contenders.map(() => []);
  // Sync and async calls in separate loops: a sync call is never awaited (an await per call
  // would add a microtask to every call of a 16-element input).
  for (const [index, c] of contenders.entries()) {
    try {
      // Calls in chunks that double while a chunk is short: reading the clock (a system call for
      // the CPU time) after every call of a 16-element input would cost more than the call.
      let calls = 0;
      let chunk = 1;
      let elapsed = 0;
      const warm = lap();
      do {
        if (c.runAsync) for (let i = 0; i < chunk; i++) await c.runAsync();
        else for (let i = 0; i < chunk; i++) c.run!();
        calls += chunk;
        const t = warm();
        if (t - elapsed < budget.warmupMs / 16) chunk *= 2;
        elapsed = t;
      } while (elapsed < budget.warmupMs || calls < MIN_WARMUP_CALLS);
      plans[index] = plan(elapsed / calls, budget);
    } catch (error) {
      errors.set(index, error);
    }
  }
  const live = () => contenders.map((_, i) => i).filter((i) => !errors.has(i));
  const rounds = live().length ? Math.min(...live().map((i) => plans[i].batches)) : 0;
  for (let round = 0; round < rounds; round++) {
    const members = live();
    for (const k of roundOrder(round, members.length)) {
      const index = members[k];
      const c = contenders[index];
      const calls = plans[index].callsPerBatch;
      hooks.onBatch?.(round, index);
      try {
        const elapsed = lap();
        if (c.runAsync) for (let i = 0; i < calls; i++) await c.runAsync();
        else for (let i = 0; i < calls; i++) c.run!();
        perBatchMs[index].push(elapsed());
      } catch (error) {
        errors.set(index, error);
      }
    }
  }
  return contenders.map((c, i) =>
    errors.has(i) ? { error: errors.get(i) } : { timing: timing(perBatchMs[i], plans[i].callsPerBatch, c.elements) });
}
