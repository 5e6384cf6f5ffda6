// Below these sizes a threaded instance runs a call on the calling thread: handing parts to
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
// Buffers: since the calling thread runs one of the parts itself (instance.ts), two threads beat
// one from 128Ki to 512Ki elements for the exp-based functions (sigmoid: 1.3-1.4x at 512Ki,
// 1.6-1.9x from 2Mi); the cheap memory-bound ones gain 1.0-1.4x from 2Mi, not steadily 10%, and
// most stay on the calling thread. (Before, with both parts on workers, the workers woken from
// idle often ran them one after the other, and the same rule gave 1Mi to 16Mi; the model before
// that, fitted to the 10th percentile of the calls' times, gave 128Ki for sigmoid, where its
// median call at 128Ki to 1Mi was 0.6-0.9x one thread's, found by an audit.) The backward passes
// cost more per element than the forwards, so the forward's threshold is on the safe side for
// them. prelu and glu are not here: a threaded instance runs them on the calling thread.

/** Elements from which a call with every operand a buffer is split between threads, per function (forward and backward). */
export const THREAD_THRESHOLDS: Record<string, number> = {
  relu: Infinity,
  leakyRelu: Infinity,
  sigmoid: 512 << 10,
  tanh: 256 << 10,
  softmax: 256 << 10,
  hardtanh: Infinity,
  relu6: 8 << 20,
  hardsigmoid: 512 << 10,
  hardswish: 512 << 10,
  softsign: 1 << 20,
  softshrink: 1 << 20,
  hardshrink: Infinity,
  threshold: Infinity,
  rrelu: Infinity,
  logSoftmax: 128 << 10,
  softmin: 256 << 10,
  elu: 256 << 10,
  selu: 256 << 10,
  celu: 256 << 10,
  silu: 512 << 10,
  softplus: 128 << 10,
  logsigmoid: 128 << 10,
  mish: 128 << 10,
  tanhshrink: 256 << 10,
  gelu: 256 << 10,
};

/**
 * Elements from which a call with a plain array among its operands is split, per function: such
 * a call streams through the staging area, the calling thread copying the worker's chunks in and
 * out and computing chunks of its own in between (Infinity: never, the copies alone take about
 * as long as one thread's whole call). The larger of two runs, after the calling thread took its
 * share of these calls (before, it only copied, and the same rule gave 2Mi to 16Mi): 256Ki to
 * 2Mi for the exp-based functions (sigmoid: 1.16-1.22x at 512Ki, 1.4-1.85x from 2Mi); the
 * cheap ones gain 0.8-1.4x at 16Mi.
 */
export const ARRAY_THREAD_THRESHOLDS: Record<string, number> = {
  relu: Infinity,
  leakyRelu: Infinity,
  sigmoid: 512 << 10,
  tanh: 512 << 10,
  softmax: 512 << 10,
  hardtanh: Infinity,
  relu6: Infinity,
  hardsigmoid: 1 << 20,
  hardswish: 1 << 20,
  softsign: 16 << 20,
  softshrink: 8 << 20,
  hardshrink: Infinity,
  threshold: Infinity,
  rrelu: Infinity,
  logSoftmax: 512 << 10,
  softmin: 512 << 10,
  elu: 1 << 20,
  selu: 2 << 20,
  celu: 1 << 20,
  silu: 512 << 10,
  softplus: 2 << 20,
  logsigmoid: 512 << 10,
  mish: 256 << 10,
  tanhshrink: 512 << 10,
  gelu: 2 << 20,
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
 * The most elements per worker chunk when a split call streams plain arrays through the shared
 * memory (256Ki, 1 MiB per operand, a multiple of 16): each chunk is one task, so its work
 * (~100-250 us for sigmoid or softmax) dwarfs a task's dispatch, while 2 slots per worker keep
 * the staging area small (2 MiB per operand with one worker) whatever the input's length. The
 * calling thread's own chunks are a quarter of it. Softmax-like calls stream whole slice blocks,
 * as many as fit (at least one).
 */
export const STREAM_ELEMENTS = 1 << 18;
