// Below these sizes a threaded instance runs a call on the calling thread: handing the parts to
// workers (a postMessage to each and an answer back, plus waking a thread) costs more than
// the parts save. A size is in elements (of x, or of dy for a backward pass).
//
// Measured with `node scripts/thread-thresholds.mjs` (after `npm run build`): it times each
// function's forward pass on one thread at 1Mi elements (zero-copy buffers) for its cost per
// element c, and the round trip of a two-worker call on 16Ki elements minus the same call on
// one thread for the dispatch cost d; splitting pays once one thread's time reaches 2.5 d
// (then d + t/2 <= 0.9 t), so the threshold is 2.5 d / c rounded up to a power of two, at
// least 64Ki. The backward passes cost more per element than the forwards, so the forward's
// threshold is on the safe side for them.

/** Elements from which a call is split between workers, per function (forward and backward). */
export const THREAD_THRESHOLDS: Record<string, number> = {
  relu: 16 << 20,
  leakyRelu: 4 << 20,
  sigmoid: 256 << 10,
  tanh: 512 << 10,
  softmax: 512 << 10,
  hardtanh: 8 << 20,
  relu6: 8 << 20,
  hardsigmoid: 256 << 10,
  hardswish: 1 << 20,
  softsign: 4 << 20,
  softshrink: 4 << 20,
  hardshrink: 8 << 20,
  threshold: 2 << 20,
};

/** For a function not in the table (added later): the largest measured, on the safe side. */
export const DEFAULT_THREAD_THRESHOLD = 1 << 22;

/** The threshold of a function. */
export function thresholdOf(name: string): number {
  return THREAD_THRESHOLDS[name] ?? DEFAULT_THREAD_THRESHOLD;
}
