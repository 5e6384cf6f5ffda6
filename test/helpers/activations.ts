// Registry-driven helpers: the backends, the definitions by kind, a definition's function on an
// instance, its parameter cases, and float64 references of whole arrays from `definition.reference`.
import {
  definitionList, isChoiceParam, type Activations, type AnyParamSpec, type Backend, type ChannelwiseDefinition,
  type Definition, type ElementwiseDefinition, type GatedDefinition,
  type ReductionDefinition,
} from '../../src/index.js';

/** Every backend, fastest first. */
export const BACKENDS: readonly Backend[] = ['wasm-simd', 'wasm-scalar', 'js'];

/** The element-wise definitions of the registry. */
export const elementwiseDefinitions: readonly ElementwiseDefinition[] = definitionList.filter(
  (d): d is ElementwiseDefinition => d.kind === 'elementwise',
);

/** The reduction (softmax-like) definitions of the registry. */
export const reductionDefinitions: readonly ReductionDefinition[] = definitionList.filter(
  (d): d is ReductionDefinition => d.kind === 'reduction',
);

/** The per-channel (prelu-like) definitions of the registry; test/prelu.test.ts covers them in depth. */
export const channelwiseDefinitions: readonly ChannelwiseDefinition[] = definitionList.filter(
  (d): d is ChannelwiseDefinition => d.kind === 'channelwise',
);

/** The gated (glu-like) definitions of the registry; test/glu.test.ts covers them in depth. */
export const gatedDefinitions: readonly GatedDefinition[] = definitionList.filter(
  (d): d is GatedDefinition => d.kind === 'gated',
);

/**
 * The definitions whose result has the length of x (every kind but the gated one, whose result
 * is half as long): the registry-wide tests of out = x, same-length outputs and the like.
 */
export function sameLengthDefinitionsOf(): Definition[] {
  return definitionList.filter((d) => d.kind !== 'gated');
}

/**
 * definition.reference of a gated function over x of `shape` split along `dim` (float64, not
 * rounded), gathering a and b index by index from the shape (independent of the kernels' [outer,
 * 2, m] view): y has x's shape with dim halved.
 */
export function gatedReference(definition: GatedDefinition, x: ArrayLike<number>, shape: readonly number[] = [x.length], dim = -1): Float64Array {
  const axis = dim < 0 ? dim + shape.length : dim;
  const half = shape[axis] / 2;
  const yShape = shape.map((s, i) => (i === axis ? half : s));
  const total = yShape.reduce((p, s) => p * s, 1);
  const strides = shape.map((_, i) => shape.slice(i + 1).reduce((p, s) => p * s, 1));
  const y = new Float64Array(total);
  const index = new Array<number>(shape.length).fill(0);
  for (let k = 0; k < total; k++) {
    // The multi-index of y's element k (row-major in yShape).
    let rest = k;
    for (let i = yShape.length - 1; i >= 0; i--) {
      index[i] = rest % yShape[i];
      rest = Math.floor(rest / yShape[i]);
    }
    let ia = 0;
    for (let i = 0; i < shape.length; i++) ia += index[i] * strides[i];
    const ib = ia + half * strides[axis];
    y[k] = definition.reference(x[ia], x[ib]);
  }
  return y;
}

/**
 * definition.reference on every element of x with per-channel weights (float64, not rounded):
 * x of shape [outer, channels, inner] (default: 1-D, one channel) and weights of 1 or `channels`
 * values (default: the example weight), each rounded to float32 as the API does.
 */
export function channelwiseReference(
  definition: ChannelwiseDefinition,
  x: ArrayLike<number>,
  weights: ArrayLike<number> = [definition.exampleWeight],
  shape: readonly number[] = [x.length],
): Float64Array {
  const channels = shape.length > 1 ? shape[1] : 1;
  const inner = shape.slice(2).reduce((a, b) => a * b, 1);
  const out = new Float64Array(x.length);
  for (let i = 0; i < x.length; i++) {
    const w = Math.fround(weights[weights.length === 1 ? 0 : Math.floor(i / inner) % channels]);
    out[i] = definition.reference(x[i], w);
  }
  return out;
}

/** Any activation function, loosely typed (options checked at run time, as the tests want). */
export type LooseFunction = (x: unknown, options?: unknown) => Float32Array;

/**
 * The function of `definition` on an instance. For a definition with required params (threshold:
 * PyTorch has no defaults) each call gets them at their example values unless its options set
 * them, so registry-wide tests can call every function alike; options that are not a plain object
 * pass through untouched (the argument checks see them as given). {@link rawFn} adds nothing.
 */
export function fn(activations: Activations, definition: Definition | string): LooseFunction {
  const f = rawFn(activations, definition);
  const def = typeof definition === 'string' ? definitionList.find((d) => d.name === definition) : definition;
  const required = def ? requiredOptions(def) : {};
  if (Object.keys(required).length === 0) return f;
  return (x, options) => {
    if (options === undefined) return f(x, required);
    if (options !== null && typeof options === 'object' && Object.getPrototypeOf(options) === Object.prototype) {
      return f(x, { ...required, ...(options as object) });
    }
    return f(x, options);
  };
}

/** The function of `definition` on an instance, as is. */
export function rawFn(activations: Activations, definition: Definition | string): LooseFunction {
  const name = typeof definition === 'string' ? definition : definition.name;
  const f = (activations as unknown as Record<string, unknown>)[name];
  if (typeof f !== 'function') throw new Error(`the instance has no function ${name}`);
  return f as LooseFunction;
}

/** Param values tried besides the defaults (those a param allows). */
export const EXTRA_PARAM_VALUES: readonly number[] = [0.2, 1, 3, -0.5, 0];

/** One way of calling a definition: the options passed and the full params they mean. */
export interface ParamCase {
  readonly label: string;
  readonly options: Record<string, number | string>;
  readonly params: Record<string, number | string>;
}

/** The params of `definition` at their defaults (a required param at its example value). */
export function defaultParams(definition: Definition): Record<string, number | string> {
  const params: Record<string, number | string> = {};
  for (const [name, spec] of Object.entries(definition.params as Record<string, { default: number | string }>)) {
    params[name] = spec.default;
  }
  return params;
}

/**
 * The options every call of `definition` must pass: its required params (PyTorch has no default
 * for them) at their example values, and a per-channel function's one `weight`; `{}` for most definitions.
 */
export function requiredOptions(definition: Definition): Record<string, number> {
  const options: Record<string, number> = {};
  for (const [name, spec] of Object.entries(definition.params as Record<string, { default: number; required?: boolean }>)) {
    if (spec.required) options[name] = spec.default;
  }
  // Per-channel functions require their weights (PyTorch's functional prelu has no default).
  if (definition.kind === 'channelwise') options.weight = definition.exampleWeight;
  return options;
}

/** Whether the definition's check across params (e.g. minVal <= maxVal) accepts `params`. */
function agrees(definition: Definition, params: Record<string, number | string>): boolean {
  const check = definition.checkParams as ((p: Record<string, number | string>) => string | null) | undefined;
  return !check || check(params) === null;
}

/**
 * Defaults (no options but the required ones), then each param set to each allowed
 * {@link EXTRA_PARAM_VALUES} (combinations the cross-param check rejects are left out), and each
 * choice param (gelu's approximate) set to each of its choices, the default one passed explicitly.
 */
export function paramCases(definition: Definition): ParamCase[] {
  const defaults = defaultParams(definition);
  const required = requiredOptions(definition);
  const cases: ParamCase[] = [{ label: 'default params', options: required, params: defaults }];
  const specs = definition.params as Record<string, AnyParamSpec>;
  for (const [name, spec] of Object.entries(specs)) {
    if (isChoiceParam(spec)) {
      for (const choice of spec.choices) {
        cases.push({ label: `${name} = '${choice}'`, options: { ...required, [name]: choice }, params: { ...defaults, [name]: choice } });
      }
      continue;
    }
    for (const value of EXTRA_PARAM_VALUES) {
      if (!spec.allows(value)) continue;
      const params = { ...defaults, [name]: value };
      if (!agrees(definition, params)) continue;
      cases.push({ label: `${name} = ${value}`, options: { ...required, [name]: value }, params });
    }
  }
  return cases;
}

/** definition.reference on every element (float64, not rounded). */
export function elementwiseReference(
  definition: ElementwiseDefinition,
  x: ArrayLike<number>,
  params: Record<string, number | string>,
): Float64Array {
  const out = new Float64Array(x.length);
  for (let i = 0; i < x.length; i++) out[i] = definition.reference(x[i], params);
  return out;
}

/** [outer, n, inner] of a row-major shape around dim (negative counts from the end). */
export function layoutOf(shape: readonly number[], dim: number): { outer: number; n: number; inner: number } {
  const axis = dim < 0 ? dim + shape.length : dim;
  const outer = shape.slice(0, axis).reduce((a, b) => a * b, 1);
  const inner = shape.slice(axis + 1).reduce((a, b) => a * b, 1);
  return { outer, n: shape[axis], inner };
}

/** definition.reference applied to every slice along `dim` of x (of `shape`), float64. */
export function reductionReference(
  definition: ReductionDefinition,
  x: ArrayLike<number>,
  shape: readonly number[],
  dim: number,
  params: Record<string, number | string> = defaultParams(definition),
): Float64Array {
  const { outer, n, inner } = layoutOf(shape, dim);
  const out = new Float64Array(x.length);
  for (let o = 0; o < outer; o++) {
    for (let c = 0; c < inner; c++) {
      const base = o * n * inner + c;
      const slice: number[] = [];
      for (let k = 0; k < n; k++) slice.push(x[base + k * inner]);
      const r = definition.reference(slice, params);
      for (let k = 0; k < n; k++) out[base + k * inner] = r[k];
    }
  }
  return out;
}

/** The slices along `dim` as lists of flat indices (for per-row assertions). */
export function sliceIndices(shape: readonly number[], dim: number): number[][] {
  const { outer, n, inner } = layoutOf(shape, dim);
  const slices: number[][] = [];
  for (let o = 0; o < outer; o++) {
    for (let c = 0; c < inner; c++) {
      const base = o * n * inner + c;
      const slice: number[] = [];
      for (let k = 0; k < n; k++) slice.push(base + k * inner);
      slices.push(slice);
    }
  }
  return slices;
}

/** Whether two arrays hold the same values by Object.is (NaN equals NaN, +0 differs from -0); the first index that differs, or -1. */
export function firstDifference(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) return Math.min(a.length, b.length);
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) return i;
  return -1;
}

/**
 * Softmax of one slice in float64 by the quotient form e^(x_i − max) / Σ e^(x_j − max), with
 * PyTorch's special slices (NaN or +Infinity anywhere, or all −Infinity: all NaN). Independent of
 * the registry's reference and accurate for logits of any magnitude (for |max| beyond ~1e7 the
 * registry's log-sum-exp form loses log(sum) in `max + log(sum)`).
 */
export function quotientSoftmax(slice: readonly number[]): number[] {
  let max = -Infinity;
  for (const v of slice) {
    if (Number.isNaN(v) || v === Infinity) return slice.map(() => NaN);
    if (v > max) max = v;
  }
  if (max === -Infinity) return slice.map(() => NaN);
  const e = slice.map((v) => Math.exp(v - max));
  const sum = e.reduce((a, b) => a + b, 0);
  return e.map((v) => v / sum);
}

/** Every definition of the registry (a copy, for describe.each). */
export function definitionsOf(): Definition[] {
  return [...definitionList];
}

/** Extreme param values: float32's limits (also as printed: 3.4028235e38 and 1.1754943e-38 round to FLT_MAX and 2^-126), beyond them, and subnormal or smaller magnitudes. */
export const EXTREME_PARAM_VALUES: readonly number[] = [
  3.4028234663852886e38, -3.4028234663852886e38, 3.4028235e38, -3.4028235e38, 1e39, 1e300, 2 ** -126, 1.1754943e-38,
  1e-40, -1e-40, 1e-50,
];

/**
 * Each param of `definition` set to each allowed {@link EXTREME_PARAM_VALUES} (others at defaults;
 * combinations the cross-param check rejects left out).
 */
export function extremeParamCases(definition: Definition): ParamCase[] {
  const defaults = defaultParams(definition);
  const required = requiredOptions(definition);
  const cases: ParamCase[] = [];
  const specs = definition.params as Record<string, AnyParamSpec>;
  for (const [name, spec] of Object.entries(specs)) {
    if (isChoiceParam(spec)) continue; // no extreme values: paramCases has every choice
    for (const value of EXTREME_PARAM_VALUES) {
      if (!spec.allows(value)) continue;
      const params = { ...defaults, [name]: value };
      if (!agrees(definition, params)) continue;
      cases.push({ label: `${name} = ${value}`, options: { ...required, [name]: value }, params });
    }
  }
  return cases;
}
