// Runs every registry function, forward and backward, on fixed inputs through the package's
// default instance, and returns each result's float32 bit patterns. The same code runs in Node
// (test/browser.test.ts, on the package unpacked from the tarball) and in Chromium (bundled by
// esbuild and by Vite into the test app, on the page and in a worker), so the results can be
// compared bit for bit. It iterates the registry: a new activation is covered without a change.
import type * as WasmActivations from 'wasm-activations';

type Api = typeof WasmActivations;

/** What a run reports: the backend it got, why, and every result as float32 bit patterns. */
export interface RunResult {
  backend: string | null;
  info: ReturnType<Api['backendInfo']>;
  results: Record<string, number[]>;
}

/** The float32 bit patterns of `values` (plain numbers, so they survive structured clone and JSON). */
function bitsOf(values: Float32Array): number[] {
  return Array.from(new Uint32Array(values.buffer, values.byteOffset, values.length));
}

/**
 * Initialises the default instance with `backend` (undefined: 'auto') by `init()` or, with `sync`,
 * `initSync()`, then calls every `<name>` and `<name>Backward` top-level function with its params
 * at their defaults (a required param at its example value); softmax-like functions also over a
 * 2-D shape along each dim. `xBits` and `dyBits` are float32 bit patterns, a multiple of 8 long.
 */
export async function runAll(api: Api, backend: string | undefined, xBits: number[], dyBits: number[], sync: boolean): Promise<RunResult> {
  const options = backend === undefined ? undefined : { backend: backend as 'js' };
  if (sync) api.initSync(options);
  else await api.init(options);
  const x = new Float32Array(Uint32Array.from(xBits).buffer);
  const dy = new Float32Array(Uint32Array.from(dyBits).buffer);
  const functions = api as unknown as Record<string, (...args: unknown[]) => Float32Array>;
  const results: Record<string, number[]> = {};
  for (const definition of api.definitionList) {
    const params: Record<string, number> = {};
    for (const [name, spec] of Object.entries(definition.params as Record<string, { default: number }>)) params[name] = spec.default;
    const layouts: Record<string, unknown>[] = definition.kind === 'reduction'
      ? [{}, { shape: [8, x.length / 8], dim: 0 }, { shape: [8, x.length / 8], dim: 1 }]
      : [{}];
    for (const layout of layouts) {
      const label = `${definition.name}${Object.keys(layout).length ? ` ${JSON.stringify(layout)}` : ''}`;
      const forward = functions[definition.name];
      const backward = functions[`${definition.name}Backward`];
      if (typeof forward !== 'function' || typeof backward !== 'function') {
        throw new Error(`the package exports no ${definition.name} or ${definition.name}Backward function`);
      }
      const y = forward(x, { ...params, ...layout });
      results[label] = bitsOf(y);
      // An element-wise backward takes the saved input, softmax's the saved output.
      results[`${label} backward`] = bitsOf(backward(dy, definition.kind === 'reduction' ? y : x, { ...params, ...layout }));
    }
  }
  return { backend: api.backend(), info: api.backendInfo(), results };
}
