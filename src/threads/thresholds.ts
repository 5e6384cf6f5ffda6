// Below these sizes a threaded instance runs a call on the calling thread: handing the parts to
// workers (a postMessage to each and an answer back, plus waking a thread) costs more than
// the parts save. A size is in elements (of x, or of dy for a backward pass).
//
// Measured with `node scripts/thread-thresholds.mjs` (after `npm run build`). Per function, it
// times single calls: the cost per element c of the forward pass on one thread at 64Ki elements
// (zero-copy buffers), and the dispatch cost d as a two-worker call of 64 elements (all
// overhead) minus the same call on the calling thread; the 10th percentile of many calls each,
// which sees undisturbed calls even on a busy machine. Splitting in two pays once one thread's
// time reaches 2.5 d (then d + t/2 <= 0.9 t), so the threshold is 2.5 d / c rounded up to a
// power of two, at least 64Ki; three passes, the largest kept. The backward passes cost more
// per element than the forwards, so the forward's threshold is on the safe side for them.
// Measured on the project's 2-core x64 machine under Node 20 (shared with other jobs at the
// time: d came out at 25-33 µs; c at 57 ps for relu, 811 ps for sigmoid, 966 ps for softmax),
// relu to threshold; the rest (from rrelu on: the script stopped at prelu's missing weight until
// it learnt to skip the kinds that are not split) on 2026-11-29, d at 19-58 µs. prelu and glu are
// not here: a threaded instance runs them on the calling thread.

/** Elements from which a call is split between workers, per function (forward and backward). */
export const THREAD_THRESHOLDS: Record<string, number> = {
  relu: 2 << 20,
  leakyRelu: 2 << 20,
  sigmoid: 128 << 10,
  tanh: 128 << 10,
  softmax: 128 << 10,
  hardtanh: 2 << 20,
  relu6: 2 << 20,
  hardsigmoid: 256 << 10,
  hardswish: 256 << 10,
  softsign: 256 << 10,
  softshrink: 1 << 20,
  hardshrink: 2 << 20,
  threshold: 2 << 20,
  rrelu: 4 << 20,
  logSoftmax: 128 << 10,
  softmin: 256 << 10,
  elu: 256 << 10,
  selu: 256 << 10,
  celu: 256 << 10,
  silu: 256 << 10,
  softplus: 128 << 10,
  logsigmoid: 128 << 10,
  mish: 128 << 10,
  tanhshrink: 128 << 10,
  gelu: 128 << 10,
};

/** For a function not in the table (added later, or prelu and glu, which are not split): twice the largest measured, on the safe side. */
export const DEFAULT_THREAD_THRESHOLD = 1 << 22;

/** The threshold of a function. */
export function thresholdOf(name: string): number {
  return THREAD_THRESHOLDS[name] ?? DEFAULT_THREAD_THRESHOLD;
}

/**
 * Elements per chunk when a split call streams plain arrays through the shared memory (256Ki,
 * 1 MiB per operand, a multiple of 16): each chunk is one task, so its work (~100-200 µs for
 * sigmoid or softmax) dwarfs a task's dispatch, while 2 slots per worker keep the staging area
 * small (4 MiB per operand with 2 workers) whatever the input's length. Softmax-like calls
 * stream whole slice blocks, as many as fit (at least one).
 */
export const STREAM_ELEMENTS = 1 << 18;
