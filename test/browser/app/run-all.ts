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
 * 2-D shape along each dim; per-channel ones (prelu) with the example weight and with a weight
 * per channel, recording dx and the weights' gradient. `xBits` and `dyBits` are float32 bit patterns, a multiple of 8 long.
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
    // [label suffix, options]: the defaults first (its label is the bare name).
    const cases: [string, Record<string, unknown>][] = [['', {}]];
    if (definition.kind === 'reduction') {
      for (const dim of [0, 1]) {
        const layout = { shape: [8, x.length / 8], dim };
        cases.push([` ${JSON.stringify(layout)}`, layout]);
      }
    } else if (definition.kind === 'gated') {
      // Halved along dim 0 of [8, n/8] and along dim 1 of [2, n/2] (both sizes even).
      cases.push([' [8, n/8] dim 0', { shape: [8, x.length / 8], dim: 0 }]);
      cases.push([' [2, n/2] dim 1', { shape: [2, x.length / 2], dim: 1 }]);
    } else if (definition.kind === 'channelwise') {
      // One shared weight (the example, torch.nn.PReLU's 0.25), then one per channel of [8, C]
      // and of [2, 4, n/8] (distinct weights, negative and above 1 among them).
      cases[0][1] = { weight: definition.exampleWeight };
      const channels = x.length / 8;
      const perChannel = Array.from({ length: channels }, (_, c) => 1.5 - 0.375 * c);
      cases.push([' [8, C]', { weight: perChannel, shape: [8, channels] }]);
      cases.push([' [2, 4, n/8]', { weight: [0.25, -0.5, 1.5, 0.1], shape: [2, 4, x.length / 8] }]);
    }
    for (const [suffix, layout] of cases) {
      const label = `${definition.name}${suffix}`;
      const forward = functions[definition.name];
      const backward = functions[`${definition.name}Backward`];
      if (typeof forward !== 'function' || typeof backward !== 'function') {
        throw new Error(`the package exports no ${definition.name} or ${definition.name}Backward function`);
      }
      const y = forward(x, { ...params, ...layout });
      results[label] = bitsOf(y);
      // An element-wise or per-channel backward takes the saved input, softmax's the saved output;
      // a per-channel one returns the weights' gradient too.
      // A gated one (glu) takes a dy of its output's length, half x's.
      const g = definition.kind === 'gated' ? dy.subarray(0, y.length) : dy;
      const gradient: unknown = backward(g, definition.kind === 'reduction' ? y : x, { ...params, ...layout });
      if (definition.kind === 'channelwise') {
        const { dx, dweight } = gradient as { dx: Float32Array; dweight: Float32Array };
        results[`${label} backward`] = bitsOf(dx);
        results[`${label} backward dweight`] = bitsOf(dweight);
      } else {
        results[`${label} backward`] = bitsOf(gradient as Float32Array);
      }
    }
  }
  return { backend: api.backend(), info: api.backendInfo(), results };
}
