// Below these sizes a threaded instance runs a call on the calling thread: handing the parts to
// workers (a postMessage to each and an answer back, plus waking a thread) costs more than
// the parts save. A size is in elements (of x, or of dy for a backward pass).
//
// Measured with `node scripts/thread-thresholds.mjs` (after `npm run build`): per function and
// size (128Ki to 16Mi, powers of two), the median of single awaited calls on one thread over the
// median on two, the calls alternating between the two instances; the threshold is the smallest
// size where two threads are at least 1.1x faster there and at twice the size (Infinity: at no
// size up to 16Mi). Once with every operand a buffer (THREAD_THRESHOLDS), once with plain arrays
// (ARRAY_THREAD_THRESHOLDS, below). Each table is the larger of two runs' thresholds per function,
// on the project's 2-core x64 machine under Node 20 (2026-11-29, load average under 1).
// On that machine a two-thread call's time is bimodal when the workers idled while the calling
// thread worked (as between these alternating calls, and in a program that computes between its
// calls): its two parts then often run one after the other (sigmoid on 2Mi elements: 0.9-1.0 or
// 1.8-1.9 ms, against 1.65 on one thread; the same with --no-liftoff, so not V8's tiering).
// Calls back to back keep both parts at 0.9 ms (the benchmark's threads rows time those). The
// runs disagree below a few Mi; the larger threshold keeps a call where it is not slower on one
// thread. The
// cheap memory-bound functions never gained 10% (relu 1.07-1.55x at 16Mi): they stay on the
// calling thread. The backward passes cost more per element than the forwards, so the forward's
// threshold is on the safe side for them. prelu and glu are not here: a threaded instance runs
// them on the calling thread. (The tables before these came from a model fitted to the 10th
// percentile of the calls' times, 128Ki for sigmoid: its median call at 128Ki to 1Mi was 0.6-0.9x
// one thread's, found by an audit.)

/** Elements from which a call with every operand a buffer is split between workers, per function (forward and backward). */
export const THREAD_THRESHOLDS: Record<string, number> = {
  relu: Infinity,
  leakyRelu: Infinity,
  sigmoid: 8 << 20,
  tanh: 4 << 20,
  softmax: 8 << 20,
  hardtanh: Infinity,
  relu6: Infinity,
  hardsigmoid: 16 << 20,
  hardswish: 16 << 20,
  softsign: Infinity,
  softshrink: Infinity,
  hardshrink: Infinity,
  threshold: Infinity,
  rrelu: Infinity,
  logSoftmax: 4 << 20,
  softmin: 1 << 20,
  elu: 8 << 20,
  selu: 16 << 20,
  celu: 8 << 20,
  silu: 8 << 20,
  softplus: 16 << 20,
  logsigmoid: 256 << 10,
  mish: 1 << 20,
  tanhshrink: 1 << 20,
  gelu: 2 << 20,
};

/**
 * Elements from which a call with a plain array among its operands is split, per function: such
 * a call streams through the staging area, its copies made by the calling thread while the
 * workers compute (Infinity: never, the copies alone take as long as one thread's whole call).
 */
export const ARRAY_THREAD_THRESHOLDS: Record<string, number> = {
  relu: Infinity,
  leakyRelu: Infinity,
  sigmoid: 4 << 20,
  tanh: 4 << 20,
  softmax: 8 << 20,
  hardtanh: 16 << 20,
  relu6: Infinity,
  hardsigmoid: 4 << 20,
  hardswish: 4 << 20,
  softsign: 8 << 20,
  softshrink: 8 << 20,
  hardshrink: 16 << 20,
  threshold: 8 << 20,
  rrelu: Infinity,
  logSoftmax: 8 << 20,
  softmin: 4 << 20,
  elu: 2 << 20,
  selu: 4 << 20,
  celu: 2 << 20,
  silu: 8 << 20,
  softplus: 8 << 20,
  logsigmoid: 8 << 20,
  mish: 2 << 20,
  tanhshrink: 4 << 20,
  gelu: 4 << 20,
};

/** For a function not in the tables (one added later, not yet measured): 4Mi, where most exp-based functions gain. */
export const DEFAULT_THREAD_THRESHOLD = 1 << 22;

/** The threshold of a function whose operands are all buffers of the instance. */
export function thresholdOf(name: string): number {
  return THREAD_THRESHOLDS[name] ?? DEFAULT_THREAD_THRESHOLD;
}

/** The threshold of a function with a plain array among its operands. */
export function arrayThresholdOf(name: string): number {
  return ARRAY_THREAD_THRESHOLDS[name] ?? DEFAULT_THREAD_THRESHOLD;
}

/**
 * Elements per chunk when a split call streams plain arrays through the shared memory (256Ki,
 * 1 MiB per operand, a multiple of 16): each chunk is one task, so its work (~100-200 µs for
 * sigmoid or softmax) dwarfs a task's dispatch, while 2 slots per worker keep the staging area
 * small (4 MiB per operand with 2 workers) whatever the input's length. Softmax-like calls
 * stream whole slice blocks, as many as fit (at least one).
 */
export const STREAM_ELEMENTS = 1 << 18;
