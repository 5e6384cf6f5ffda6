// The test app's page script: exposes runAll() on the package as the bundler resolved it, on this
// page (init()) and in a module worker (initSync()), for test/browser.test.ts to call.
import * as api from 'wasm-activations';
import { runAll, type RunResult } from './run-all.js';
import { threadsCheck, type ThreadsResult } from './threads.js';

/** What the page offers the test. */
export interface PageApi {
  /** runAll() on the page, after `await init()`. */
  main(backend: string | undefined, xBits: number[], dyBits: number[]): Promise<RunResult>;
  /** runAll() in a new module worker, after `initSync()`. */
  worker(backend: string | undefined, xBits: number[], dyBits: number[]): Promise<RunResult>;
  /** The message of the Error that `init({ backend })` rejects with, or null when it resolves. */
  initError(backend: string): Promise<string | null>;
  /** threadsCheck(): a threaded instance on this page against the single-threaded one. */
  threads(waitForReason?: boolean): Promise<ThreadsResult>;
}

const page: PageApi = {
  main: (backend, xBits, dyBits) => runAll(api, backend, xBits, dyBits, false),
  worker: (backend, xBits, dyBits) => new Promise((resolve, reject) => {
    // The pattern both Vite and a plain ESM build understand: a URL relative to this module.
    const worker = new Worker(new URL('./worker.js', import.meta.url), { type: 'module' });
    worker.onmessage = (event: MessageEvent<{ result?: RunResult; error?: string }>) => {
      worker.terminate();
      if (event.data.error !== undefined) reject(new Error(event.data.error));
      else resolve(event.data.result!);
    };
    worker.onerror = (event) => {
      worker.terminate();
      reject(new Error(`worker failed: ${event.message}`));
    };
    worker.postMessage({ backend, xBits, dyBits });
  }),
  initError: async (backend) => {
    try {
      await api.init({ backend: backend as 'js' });
      return null;
    } catch (error) {
      return (error as Error).message;
    }
  },
  threads: threadsCheck,
};

(globalThis as unknown as { wasmActivationsTest: PageApi }).wasmActivationsTest = page;
document.title = 'ready';
