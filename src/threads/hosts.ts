// Where the pool's workers come from, and how many threads this engine offers. Node modules
// are imported dynamically, inside the Node branch only, so browser bundles never see them.
import { NODE_WORKER_SOURCE, WEB_WORKER_SOURCE } from './worker-source.js';
import type { Spawn, WorkerAnswer } from './pool.js';
import type { WasmMemory, WasmModule } from '../runtime/wasm-types.js';

/** What a worker needs to start: the compiled threads build and the shared memory. */
export interface WorkerInit {
  readonly module: WasmModule;
  readonly memory: WasmMemory;
}

/** The threads this engine can run and how to make a worker, or why it cannot. */
export interface ThreadHost {
  /** Cores available ('auto'): os.availableParallelism() in Node, navigator.hardwareConcurrency elsewhere. */
  readonly cores: number;
  /** Makes workers, or null when this engine cannot run workers on shared memory. */
  readonly spawner: ((init: WorkerInit) => Spawn) | null;
  /** Why `spawner` is null. */
  readonly reason: string | null;
}

function isNode(): boolean {
  const p = (globalThis as { process?: { versions?: { node?: string } } }).process;
  return typeof p?.versions?.node === 'string';
}

/**
 * Imports a Node builtin through a variable specifier, which bundlers leave alone (a browser
 * bundle then neither fails on nor carries node:worker_threads; this branch never runs there).
 */
function nodeBuiltin<T>(specifier: string): Promise<T> {
  return import(/* webpackIgnore: true */ /* @vite-ignore */ specifier) as Promise<T>;
}

async function nodeHost(): Promise<ThreadHost> {
  const [{ Worker }, os] = await Promise.all([
    nodeBuiltin<typeof import('node:worker_threads')>('node:worker_threads'),
    nodeBuiltin<typeof import('node:os')>('node:os'),
  ]);
  const cores = typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length;
  const spawner = (init: WorkerInit): Spawn => (onMessage, onDeath) => {
    const worker = new Worker(NODE_WORKER_SOURCE, { eval: true, workerData: init });
    let error: Error | null = null;
    let dead = false;
    worker.on('message', (message: WorkerAnswer) => onMessage(message));
    worker.on('error', (e: Error) => { error = e; });
    worker.on('messageerror', (e: Error) => { error = e; void worker.terminate(); });
    worker.on('exit', (code: number) => {
      dead = true;
      onDeath(error ?? new Error(`the worker exited with code ${code}`));
    });
    return {
      post: (message) => worker.postMessage(message),
      terminate: () => (dead ? Promise.resolve() : worker.terminate()),
      keepAlive: (on) => (on ? worker.ref() : worker.unref()),
    };
  };
  return { cores: Math.max(1, cores), spawner, reason: null };
}

/** Web Workers on a shared memory, when the page is cross-origin isolated (exported for the tests). */
export function webHost(): ThreadHost {
  const g = globalThis as {
    navigator?: { hardwareConcurrency?: number };
    crossOriginIsolated?: boolean;
    Worker?: typeof Worker;
  };
  const cores = Math.max(1, g.navigator?.hardwareConcurrency ?? 1);
  let reason: string | null = null;
  if (typeof g.Worker !== 'function') reason = 'this JavaScript engine has no Web Workers';
  else if (typeof SharedArrayBuffer !== 'function' || g.crossOriginIsolated !== true) {
    reason = 'the page is not cross-origin isolated (crossOriginIsolated is false: serve it with the headers Cross-Origin-Opener-Policy: same-origin and Cross-Origin-Embedder-Policy: require-corp), so WebAssembly memory cannot be shared with workers';
  }
  if (reason !== null) return { cores, spawner: null, reason };
  const url = URL.createObjectURL(new Blob([WEB_WORKER_SOURCE], { type: 'text/javascript' }));
  const spawner = (init: WorkerInit): Spawn => (onMessage, onDeath) => {
    let worker: Worker;
    try {
      worker = new g.Worker!(url);
    } catch (error) {
      // An engine that refuses the worker at once (a SecurityError, say) instead of firing an
      // error event: the same death, reported as the event would be (after the pool has its
      // slot), so the pool counts it among the start failures and gives up after three.
      const message = `the worker could not be created: ${(error as Error)?.message ?? String(error)}`;
      setTimeout(() => onDeath(new Error(message)));
      return { post: () => {}, terminate: () => Promise.resolve(), keepAlive: () => {} };
    }
    let dead = false;
    worker.onmessage = (event: MessageEvent<WorkerAnswer>) => onMessage(event.data);
    const die = (message: string): void => {
      if (dead) return;
      dead = true;
      worker.terminate();
      onDeath(new Error(message));
    };
    worker.onerror = (event: ErrorEvent) => {
      event.preventDefault();
      // A worker whose script could not load (a Content-Security-Policy without worker-src blob:,
      // say) fires a plain Event, with no message.
      die(typeof event.message === 'string'
        ? `the worker failed: ${event.message}`
        : 'the worker could not start: its script was blocked or failed to load (a Content-Security-Policy must allow worker-src blob:)');
    };
    worker.onmessageerror = () => die('the worker could not read a message');
    worker.postMessage(init);
    return {
      post: (message) => worker.postMessage(message),
      terminate: () => {
        die('the worker was terminated');
        return Promise.resolve();
      },
      keepAlive: () => {},
    };
  };
  return { cores, spawner, reason: null };
}

/** The host of this engine: worker_threads in Node, Web Workers elsewhere. */
export async function threadHost(): Promise<ThreadHost> {
  return isNode() ? nodeHost() : webHost();
}
