// What the benchmark runs: for each activation in the registry, each implementation (the
// tutorial's formula as a naive JS loop, then the package on each backend), prepared on one
// input and checked against the float64 reference before it is timed.
import type { Activations } from '../src/instance.js';
import type { ActivationBuffer } from '../src/runtime/buffer.js';
import type { Backend, Definition } from '../src/spec.js';
import { ulpError } from '../src/ulp.js';

/** Softmax-like functions run over rows of this length (a classifier's logits; sizes are multiples of it). */
export const ROW_LENGTH = 1024;

/** One implementation of an activation, ready to run on a fixed input. */
export interface PreparedRun {
  readonly run: () => void;
  readonly output: Float32Array;
  /** Frees what prepare() allocated. */
  dispose?(): void;
}

/** An implementation the benchmark compares. */
export interface Implementation {
  readonly id: 'naive' | Backend | 'zero-copy';
  readonly label: string;
  prepare(definition: Definition, x: Float32Array): PreparedRun;
}

function defaults(definition: Definition): Record<string, number> {
  return Object.fromEntries(Object.entries(definition.params).map(([name, spec]) => [name, spec.default]));
}

/** Rows of ROW_LENGTH (or one row when n is smaller). */
export function rowLength(n: number): number {
  return Math.min(n, ROW_LENGTH);
}

/** The naive JS loop of the tutorial's formula. */
export const naive: Implementation = {
  id: 'naive',
  label: 'naive JS',
  prepare(definition, x) {
    const output = new Float32Array(x.length);
    const params = defaults(definition);
    if (definition.kind === 'elementwise') return { output, run: () => definition.naive(x, output, params) };
    const n = rowLength(x.length);
    return { output, run: () => definition.naive(x, output, n, params) };
  },
};

/** The package's copying API on one backend, writing into a preallocated `out`. */
export function packageImplementation(activations: Activations): Implementation {
  return {
    id: activations.backend,
    label: activations.backend,
    prepare(definition, x) {
      const output = new Float32Array(x.length);
      const fn = activations[definition.name as keyof Activations] as (x: Float32Array, o: object) => Float32Array;
      const n = rowLength(x.length);
      const options = definition.kind === 'reduction' ? { out: output, shape: [x.length / n, n] } : { out: output };
      return { output, run: () => fn(x, options) };
    },
  };
}

/**
 * The package on wasm-simd with x and out both buffers of its memory: no byte is copied. The
 * input is copied into the x buffer once, before timing.
 */
export function zeroCopyImplementation(activations: Activations): Implementation {
  return {
    id: 'zero-copy',
    label: `${activations.backend} zero-copy`,
    prepare(definition, x) {
      const input = activations.allocate(x.length);
      const result = activations.allocate(x.length);
      input.array.set(x);
      const fn = activations[definition.name as keyof Activations] as (x: ActivationBuffer, o: object) => ActivationBuffer;
      const n = rowLength(x.length);
      const options = definition.kind === 'reduction' ? { out: result, shape: [x.length / n, n] } : { out: result };
      return {
        get output() {
          return result.array;
        },
        run: () => fn(input, options),
        dispose() {
          input.free();
          result.free();
        },
      };
    },
  };
}

/**
 * The largest error of `output` against the definition's float64 reference, in ULP, and the
 * input where it occurs. The benchmark reports an implementation whose error exceeds the
 * definition's bound as an error instead of a speed.
 */
export function maxError(definition: Definition, x: Float32Array, output: Float32Array): { ulp: number; at: number } {
  let worst = { ulp: 0, at: 0 };
  const params = defaults(definition);
  if (definition.kind === 'elementwise') {
    for (let i = 0; i < x.length; i++) {
      const e = ulpError(output[i], definition.reference(x[i], params));
      if (e > worst.ulp || Number.isNaN(e)) worst = { ulp: e, at: x[i] };
    }
    return worst;
  }
  const n = rowLength(x.length);
  for (let r = 0; r < x.length; r += n) {
    const exact = definition.reference(Array.from(x.subarray(r, r + n)), params);
    for (let i = 0; i < n; i++) {
      const e = ulpError(output[r + i], exact[i]);
      if (e > worst.ulp) worst = { ulp: e, at: x[r + i] };
    }
  }
  return worst;
}
