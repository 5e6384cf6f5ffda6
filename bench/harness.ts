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
}

function quantile(sorted: readonly number[], q: number): number {
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
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
  const perCall = (performance.now() - warmStart) / calls;
  const callsPerBatch = Math.max(1, Math.round(budget.batchMs / Math.max(perCall, 1e-6)));
  const perElement: number[] = [];
  for (let b = 0; b < budget.batches; b++) {
    const start = performance.now();
    for (let i = 0; i < callsPerBatch; i++) run();
    const ms = performance.now() - start;
    perElement.push((ms * 1e6) / (callsPerBatch * elements));
  }
  perElement.sort((a, b) => a - b);
  return {
    median: quantile(perElement, 0.5),
    q1: quantile(perElement, 0.25),
    q3: quantile(perElement, 0.75),
    samples: perElement.length,
    callsPerBatch,
  };
}
