// The test app's module worker: runAll() after initSync(), which workers may always use
// (browsers limit synchronous wasm compilation on the main thread only).
import * as api from 'wasm-activations';
import { runAll } from './run-all.js';

self.onmessage = async (event: MessageEvent<{ backend: string | undefined; xBits: number[]; dyBits: number[] }>) => {
  const { backend, xBits, dyBits } = event.data;
  try {
    self.postMessage({ result: await runAll(api, backend, xBits, dyBits, true) });
  } catch (error) {
    self.postMessage({ error: String((error as Error)?.stack ?? error) });
  }
};
