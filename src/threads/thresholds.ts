// Below these sizes a threaded instance runs a call on the calling thread: handing parts to
// workers (a postMessage and an answer per worker) costs more than it saves.

/** Element-wise calls (forward and backward) with fewer elements run on the calling thread. */
export const ELEMENTWISE_THRESHOLD = 1 << 18;

/** Softmax-like calls with fewer elements, or fewer than two slices, run on the calling thread. */
export const REDUCTION_THRESHOLD = 1 << 18;
