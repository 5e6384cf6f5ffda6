// The worker's program, as source text. It is inlined (not a separate file next to the built
// module) so that it needs no path resolution at all: Node runs it with `new Worker(source,
// { eval: true })`, browsers from a Blob URL, and no bundler has to discover or copy a worker
// file. It is small on purpose: it instantiates the threads build on the shared memory it is
// given and runs one kernel per message.

/**
 * The part both hosts share. `start(init, post, exit)` instantiates the module on the shared
 * memory and returns the message handler. A message is `{ id, kernel, args, flag? }`: it runs
 * `kernel(...args)` and answers `{ id }`, or `{ id, error }` when the kernel trapped. With a
 * `flag` (the byte address of an int32 of the shared memory: 0 when posted), the worker first
 * claims the task by setting it from 0 to 1, and skips the kernel if the calling thread took the
 * task back (set it to 3) before; once the kernel returned it stores 2, so the calling thread
 * sees the task done without waiting for its event loop to deliver the answer.
 * `{ id, exit: true, flag? }` makes the worker die without answering (Node: the thread exits; a
 * Web Worker throws an uncaught error, the one death its owner can observe), having claimed the
 * flag when there is one (a death inside the kernel) or not (a death before the task started):
 * the pool's fault-injection hooks, used by the tests to kill a worker in the middle of a call.
 */
const COMMON = `'use strict';
function start(init, post, exit) {
  const exports = new WebAssembly.Instance(init.module, { env: { memory: init.memory } }).exports;
  return (message) => {
    if (message.exit) {
      if (message.flag !== undefined) Atomics.compareExchange(new Int32Array(init.memory.buffer), message.flag >>> 2, 0, 1);
      exit();
      return;
    }
    try {
      if (message.flag === undefined) exports[message.kernel](...message.args);
      else {
        const state = new Int32Array(init.memory.buffer);
        const at = message.flag >>> 2;
        if (Atomics.compareExchange(state, at, 0, 1) === 0) {
          exports[message.kernel](...message.args);
          Atomics.store(state, at, 2);
        }
      }
      post({ id: message.id });
    } catch (error) {
      post({ id: message.id, error: String((error && error.message) || error) });
    }
  };
}
`;

/** The Node worker_threads program: module and memory arrive as workerData. */
export const NODE_WORKER_SOURCE: string = `${COMMON}
const { parentPort, workerData } = require('node:worker_threads');
const handle = start(workerData, (m) => parentPort.postMessage(m), () => process.exit(70));
parentPort.on('message', handle);
`;

/** The Web Worker program: the first message carries module and memory, the rest are tasks. */
export const WEB_WORKER_SOURCE: string = `${COMMON}
let handle = null;
self.onmessage = (event) => {
  if (handle === null) handle = start(event.data, (m) => self.postMessage(m), () => {
    setTimeout(() => { throw new Error('worker killed by the fault-injection hook'); });
  });
  else handle(event.data);
};
`;
