// What the benchmark runs: for each activation in the registry, each implementation (the
// tutorial's formula as a naive JS loop, the package on each backend, the peers), prepared on
// one input and checked against the float64 reference before it is timed.
import type { Activations } from '../src/instance.js';
import type { ActivationBuffer } from '../src/runtime/buffer.js';
import type { ChannelLayout, ChannelwiseDefinition, Definition, GatedLayout, NaiveOf, ParamSpec } from '../src/spec.js';
import { ulpError } from '../src/ulp.js';
import { uniformFloats } from './inputs.js';
import { naiveLoops } from './naive.js';
import type { Direction } from './results.js';

export type { Direction };

/** Softmax-like functions run over rows of this length by default (sizes above it are multiples of it). */
export const ROW_LENGTH = 1024;

/** The row length in effect for this process's benchmark (--row-length; ROW_LENGTH unless set). */
let softmaxRow = ROW_LENGTH;

/** Sets the row length of the softmax family for the runs prepared from now on (--row-length). */
export function setRowLength(n: number): void {
  if (!Number.isSafeInteger(n) || n < 1) throw new RangeError(`row length must be a positive integer; got ${n}`);
  softmaxRow = n;
}

/** The row length in effect (see setRowLength). */
export function currentRowLength(): number {
  return softmaxRow;
}

/** One implementation of an activation, ready to run on a fixed input. */
export interface PreparedRun {
  /** One call, for synchronous APIs. Exactly one of run and runAsync is set. */
  readonly run?: () => void;
  /** One call, for APIs that return a promise (onnxruntime). */
  readonly runAsync?: () => Promise<void>;
  /** The result of the last call. */
  readonly output: Float32Array;
  /** Frees what prepare() allocated. */
  dispose?(): void | Promise<void>;
}

/**
 * Where an implementation comes from: the naive loop, the package's copying API, the package's
 * zero-copy buffers, or another library (a peer), whose accuracy is not our contract.
 */
export type ImplementationKind = 'naive' | 'package' | 'zero-copy' | 'peer';

/** An implementation the benchmark compares. */
export interface Implementation {
  /** Short id: a column of the tables, a key of the JSON. */
  readonly id: string;
  /** Longer name for the chart's legend. */
  readonly label: string;
  readonly kind: ImplementationKind;
  /** What one timed call includes, for the report. */
  readonly note: string;
  /** Whether it has this activation (a peer may lack one); default: yes. */
  supports?(definition: Definition): boolean;
  /**
   * For a peer without the activation as one op: what it runs instead ('Sigmoid → Mul (2
   * nodes)'), recorded with its cells and marked in the report; undefined for one op.
   */
  composite?(definition: Definition): string | undefined;
  prepare(definition: Definition, x: Float32Array): PreparedRun | Promise<PreparedRun>;
  /** The backward pass on `input` (absent: the implementation has no backward rows, as the peers). */
  prepareBackward?(definition: Definition, input: BackwardInput): PreparedRun | Promise<PreparedRun>;
}


/**
 * The operands of a backward pass: the gradient `dy` and the saved tensor (the input x for
 * element-wise activations, the forward output y for softmax-like ones).
 */
export interface BackwardInput {
  readonly dy: Float32Array;
  readonly saved: Float32Array;
}

/**
 * The backward operands over the input `x`: dy uniform in [-1, 1] from `seed`, and x itself or
 * (softmax) its float64 reference rounded to float32, a valid forward output.
 */
export function backwardInputOf(definition: Definition, x: Float32Array, seed: number): BackwardInput {
  const dy = uniformFloats(outputLength(definition, x.length), -1, 1, seed);
  return { dy, saved: definition.kind === 'reduction' ? Float32Array.from(referenceOf(definition, x)) : x };
}

/** The exact (float64) backward pass at every element: dy · f'(x), or the reduction's reference per row. */
export function backwardReferenceOf(definition: Definition, input: BackwardInput): Float64Array {
  const { dy, saved } = input;
  const exact = new Float64Array(dy.length);
  const params = defaults(definition);
  if (definition.kind === 'elementwise') {
    for (let i = 0; i < dy.length; i++) exact[i] = dy[i] * definition.derivative(saved[i], params);
    return exact;
  }
  if (definition.kind === 'gated') {
    // dx has the saved x's length: the a half then the b half of each block.
    const { outer, m } = gatedCase(saved.length);
    const dx = new Float64Array(saved.length);
    for (let o = 0; o < outer; o++) {
      for (let i = 0; i < m; i++) {
        const a = saved[o * 2 * m + i];
        const b = saved[o * 2 * m + m + i];
        const g = dy[o * m + i];
        dx[o * 2 * m + i] = g * definition.derivative.a(a, b);
        dx[o * 2 * m + m + i] = g * definition.derivative.b(a, b);
      }
    }
    return dx;
  }
  if (definition.kind === 'channelwise') {
    // dx only (the timed output); the weight gradient is checked by the tests.
    const { layout, weights } = channelCase(definition, dy.length);
    for (let i = 0; i < dy.length; i++) {
      exact[i] = dy[i] * definition.derivative(saved[i], weights[layout.weights === 1 ? 0 : i % layout.channels]);
    }
    return exact;
  }
  const n = rowLength(dy.length);
  for (let r = 0; r < dy.length; r += n) {
    exact.set(definition.backward.reference(Array.from(dy.subarray(r, r + n)), Array.from(saved.subarray(r, r + n)), params), r);
  }
  return exact;
}

/** The default params of an activation (leaky ReLU's alpha = 0.01). */
export function defaults(definition: Definition): Record<string, number> {
  return Object.fromEntries(Object.entries(definition.params).map(([name, spec]) => [name, spec.default]));
}

/** Rows of the row length in effect, or one row of n when n is smaller or not a multiple of it (the n = 16 per-call cells). */
export function rowLength(n: number): number {
  return n % softmaxRow === 0 ? softmaxRow : n;
}

/** The shape every implementation sees: [n] for element-wise functions, [rows, 1024] for softmax (or --row-length), [rows, 64] for prelu. */
export function shapeOf(definition: Definition, n: number): number[] {
  if (definition.kind === 'channelwise') return channelCase(definition, n).shape;
  const row = rowLength(n);
  return definition.kind === 'reduction' ? [n / row, row] : [n];
}

/**
 * Gated functions (glu) at n input elements: x of shape [n] split along its only dim (outer 1,
 * m = n / 2); the output has n / 2 elements. n is even in every benchmark cell.
 */
export function gatedCase(n: number): GatedLayout {
  return { outer: 1, m: n / 2 };
}

/** The forward output's length at n input elements: n, or n / 2 for a gated function. */
export function outputLength(definition: Definition, n: number): number {
  return definition.kind === 'gated' ? n / 2 : n;
}

/** Per-channel functions (prelu) run on rows of this many channels: shape [n / 64, 64], a Linear layer's output. */
export const CHANNELS = 64;

/**
 * The shape, layout and weights of a per-channel function at n elements: [n / 64, 64] with 64
 * distinct weights near torch.nn.PReLU's 0.25 when n is a multiple of 64, else [n] with one weight.
 */
export function channelCase(definition: ChannelwiseDefinition, n: number): { shape: number[]; layout: ChannelLayout; weights: Float32Array } {
  if (n % CHANNELS !== 0 || n === 0) {
    return { shape: [n], layout: { outer: n, channels: 1, inner: 1, weights: 1 }, weights: Float32Array.of(definition.exampleWeight) };
  }
  const weights = new Float32Array(CHANNELS);
  for (let c = 0; c < CHANNELS; c++) weights[c] = definition.exampleWeight * (1 + (c - 32) / 128);
  return { shape: [n / CHANNELS, CHANNELS], layout: { outer: n / CHANNELS, channels: CHANNELS, inner: 1, weights: CHANNELS }, weights };
}

/** The naive JS loop of the tutorial's formula (the definition's `<name>Naive`, bench/naive.ts). */
export const naive: Implementation = {
  id: 'naive',
  label: 'naive JS loop',
  kind: 'naive',
  note: 'the tutorial\'s formula in a plain loop into a preallocated Float32Array',
  prepare(definition, x) {
    const output = new Float32Array(outputLength(definition, x.length));
    const params = defaults(definition);
    if (definition.kind === 'elementwise') {
      const loops = naiveOf(definition);
      return { output, run: () => loops.forward(x, output, params) };
    }
    if (definition.kind === 'gated') {
      const loops = naiveOf(definition);
      const layout = gatedCase(x.length);
      return { output, run: () => loops.forward(x, output, layout) };
    }
    if (definition.kind === 'channelwise') {
      const loops = naiveOf(definition);
      const { layout, weights } = channelCase(definition, x.length);
      return { output, run: () => loops.forward(x, output, layout, weights) };
    }
    const loops = naiveOf(definition);
    const n = rowLength(x.length);
    return { output, run: () => loops.forward(x, output, n, params) };
  },
  prepareBackward(definition, { dy, saved }) {
    const output = new Float32Array(saved.length);
    const params = defaults(definition);
    if (definition.kind === 'elementwise') {
      const loops = naiveOf(definition);
      return { output, run: () => loops.backward(dy, saved, output, params) };
    }
    if (definition.kind === 'gated') {
      const loops = naiveOf(definition);
      const layout = gatedCase(saved.length);
      return { output, run: () => loops.backward(dy, saved, output, layout) };
    }
    if (definition.kind === 'channelwise') {
      const loops = naiveOf(definition);
      const { layout, weights } = channelCase(definition, dy.length);
      const sums = new Float64Array(layout.weights);
      return { output, run: () => loops.backward(dy, saved, output, sums.fill(0), layout, weights) };
    }
    const loops = naiveOf(definition);
    const n = rowLength(dy.length);
    return { output, run: () => loops.backward(dy, saved, output, n, params) };
  },
};

/** A definition's naive loops (its `<name>Naive`), typed by its kind. */
export function naiveOf<D extends Definition>(definition: D): NaiveOf<D> {
  const loops = naiveLoops[definition.name];
  if (!loops) throw new Error(`${definition.name} has no naive loops (bench/naive.ts: run \`npm run generate\`)`);
  return loops as NaiveOf<D>;
}

/** The error bound the naive loops of `definition` are held to: theirs (gelu's), else `ulp` (at least 1). */
export function naiveUlpOf(definition: Definition, ulp: number): number {
  return naiveOf(definition).ulp ?? Math.max(ulp, 1);
}

/** The params a call must pass (PyTorch has no default for them, e.g. threshold's), at the definition's example values. */
export function requiredParams(definition: Definition): Record<string, number> {
  const entries = Object.entries(definition.params as Record<string, ParamSpec>).filter(([, spec]) => spec.required);
  return Object.fromEntries(entries.map(([name, spec]) => [name, spec.default]));
}

function options(definition: Definition, n: number, out: Float32Array | ActivationBuffer): object {
  if (definition.kind === 'gated') return { out };
  if (definition.kind === 'channelwise') {
    const { shape, weights } = channelCase(definition, n);
    return { weight: weights, shape, out };
  }
  return definition.kind === 'reduction' ? { out, shape: shapeOf(definition, n) } : { ...requiredParams(definition), out };
}

/** The package's copying API on one backend, writing into a preallocated `out`. */
export function packageImplementation(activations: Activations): Implementation {
  return {
    id: activations.backend,
    label: `wasm-activations ${activations.backend}`,
    kind: 'package',
    note: 'copying API: Float32Array in, result into a preallocated Float32Array out',
    prepare(definition, x) {
      const output = new Float32Array(outputLength(definition, x.length));
      const fn = activations[definition.name as keyof Activations] as (x: Float32Array, o: object) => Float32Array;
      const opts = options(definition, x.length, output);
      return { output, run: () => fn(x, opts) };
    },
    prepareBackward(definition, { dy, saved }) {
      const output = new Float32Array(saved.length);
      const fn = activations[`${definition.name}Backward` as keyof Activations] as (dy: Float32Array, s: Float32Array, o: object) => Float32Array;
      const opts = options(definition, dy.length, output);
      return { output, run: () => fn(dy, saved, opts) };
    },
  };
}

/**
 * The package's copying API without `out`: each call returns a new Float32Array, as a call of
 * tfjs or onnxruntime does (neither writes into an array the caller keeps), so that the peers are
 * also compared like for like, allocation included.
 */
export function newOutImplementation(activations: Activations): Implementation {
  const withoutOut = (definition: Definition, n: number): object => {
    const { out: _out, ...rest } = options(definition, n, new Float32Array(0)) as { out: unknown };
    return rest;
  };
  return {
    id: 'new-out',
    label: `wasm-activations ${activations.backend}, a new out per call`,
    kind: 'package',
    note: 'copying API without out: Float32Array in, a new Float32Array returned per call (as the peers return theirs)',
    prepare(definition, x) {
      const fn = activations[definition.name as keyof Activations] as (x: Float32Array, o: object) => Float32Array;
      const opts = withoutOut(definition, x.length);
      return returning(() => fn(x, opts));
    },
    prepareBackward(definition, { dy, saved }) {
      const fn = activations[`${definition.name}Backward` as keyof Activations] as (dy: Float32Array, s: Float32Array, o: object) => Float32Array | { dx: Float32Array };
      const opts = withoutOut(definition, dy.length);
      return returning(() => {
        const result = fn(dy, saved, opts);
        return result instanceof Float32Array ? result : result.dx; // prelu's backward returns { dx, dweight }
      });
    },
  };
}

/** A prepared run whose output is what its last call returned (a new array each time). */
function returning(call: () => Float32Array): PreparedRun {
  let output: Float32Array = new Float32Array(0);
  return {
    get output() {
      return output;
    },
    run: () => {
      output = call();
    },
  };
}

/**
 * The package with x and out both buffers of its memory: no byte is copied. The input is copied
 * into the x buffer once, before timing.
 */
export function zeroCopyImplementation(activations: Activations): Implementation {
  return {
    id: 'zero-copy',
    label: `wasm-activations ${activations.backend} zero-copy`,
    kind: 'zero-copy',
    note: `${activations.backend} with x and out ActivationBuffers in its wasm memory: nothing copied`,
    prepare(definition, x) {
      const input = activations.allocate(x.length);
      const result = activations.allocate(outputLength(definition, x.length));
      input.array.set(x);
      const fn = activations[definition.name as keyof Activations] as (x: ActivationBuffer, o: object) => ActivationBuffer;
      const opts = options(definition, x.length, result);
      return {
        get output() {
          return result.array;
        },
        run: () => fn(input, opts),
        dispose() {
          input.free();
          result.free();
        },
      };
    },
    prepareBackward(definition, { dy, saved }) {
      const buffers = [dy, saved].map((array) => {
        const buffer = activations.allocate(array.length);
        buffer.array.set(array);
        return buffer;
      });
      const result = activations.allocate(saved.length);
      const fn = activations[`${definition.name}Backward` as keyof Activations] as (dy: ActivationBuffer, s: ActivationBuffer, o: object) => ActivationBuffer;
      const opts = options(definition, dy.length, result);
      return {
        get output() {
          return result.array;
        },
        run: () => fn(buffers[0], buffers[1], opts),
        dispose() {
          for (const buffer of [...buffers, result]) buffer.free();
        },
      };
    },
  };
}

/** The exact (float64) value of the activation at every element of x, computed once per input. */
export function referenceOf(definition: Definition, x: Float32Array): Float64Array {
  const exact = new Float64Array(x.length);
  const params = defaults(definition);
  if (definition.kind === 'elementwise') {
    for (let i = 0; i < x.length; i++) exact[i] = definition.reference(x[i], params);
    return exact;
  }
  if (definition.kind === 'gated') {
    const { outer, m } = gatedCase(x.length);
    const y = new Float64Array(outer * m);
    for (let o = 0; o < outer; o++) {
      for (let i = 0; i < m; i++) y[o * m + i] = definition.reference(x[o * 2 * m + i], x[o * 2 * m + m + i]);
    }
    return y;
  }
  if (definition.kind === 'channelwise') {
    const { layout, weights } = channelCase(definition, x.length);
    for (let i = 0; i < x.length; i++) exact[i] = definition.reference(x[i], weights[layout.weights === 1 ? 0 : i % layout.channels]);
    return exact;
  }
  const n = rowLength(x.length);
  for (let r = 0; r < x.length; r += n) exact.set(definition.reference(Array.from(x.subarray(r, r + n)), params), r);
  return exact;
}

/** Beyond this many ULP a peer's output may be garbage; see {@link isGarbage}. */
export const GARBAGE_ULP = 2 ** 20;
/** ... and its error must also exceed this fraction of the largest exact value. */
export const GARBAGE_SCALE = 2 ** -20;

/**
 * Whether a peer's output is garbage (a broken adapter, another op, misplaced elements) rather
 * than inaccurate: its worst error `ulp` (from {@link maxError}) is NaN, Infinity or above
 * GARBAGE_ULP, and some element is off by more than GARBAGE_SCALE of the largest |exact| (or is
 * NaN where the exact value is not). The second test keeps a flush to zero of a tiny value among
 * the inaccurate ones: onnxruntime's gelu(-5.6) is 0 for -6e-8, 2^24 ULP off but 1e-8 of the
 * values' scale; such a peer is timed and marked as outside our bound, not dropped.
 */
export function isGarbage(exact: Float64Array, output: Float32Array, ulp: number): boolean {
  if (ulp <= GARBAGE_ULP) return false;
  if (output.length !== exact.length) return true;
  let scale = 0;
  for (let i = 0; i < exact.length; i++) if (Math.abs(exact[i]) > scale && Number.isFinite(exact[i])) scale = Math.abs(exact[i]);
  const tolerance = scale * GARBAGE_SCALE;
  for (let i = 0; i < exact.length; i++) {
    if (Number.isNaN(exact[i]) && Number.isNaN(output[i])) continue;
    if (output[i] === exact[i]) continue; // equal infinities
    if (!(Math.abs(output[i] - exact[i]) <= tolerance)) return true; // NaN or far off
  }
  return false;
}

/**
 * The largest error of `output` against the exact values, in ULP (NaN or a missing element
 * counts as Infinity), and the input where it occurs.
 */
export function maxError(exact: Float64Array, x: Float32Array, output: Float32Array): { ulp: number; at: number } {
  if (output.length !== exact.length) return { ulp: Infinity, at: NaN };
  let worst = { ulp: 0, at: 0 };
  for (let i = 0; i < exact.length; i++) {
    const e = ulpError(output[i], exact[i]);
    if (e > worst.ulp || Number.isNaN(e)) worst = { ulp: Number.isNaN(e) ? Infinity : e, at: x[i] };
  }
  return worst;
}
