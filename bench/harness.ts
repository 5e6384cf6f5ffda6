// A small timing harness: warm up, calibrate a batch to a target duration, then time batches
// and keep the median and interquartile range. Hand-written rather than tinybench or mitata so
// that the CLI shipped in the package keeps zero runtime dependencies.

/** Timing of one benchmark cell, in nanoseconds per element. */
export interface Timing {
  readonly median: number;
  readonly q1: number;
  readonly q3: number;
  /** Batches timed. */
  readonly samples: number;
  /** Calls per batch. */
  readonly callsPerBatch: number;
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
  return { ...summarize(perElement), samples: perElement.length, callsPerBatch };
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
