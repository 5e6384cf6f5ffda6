// The shape of an activation's one definition. Each file in src/activations/ fills one of these
// in, and everything else (the API functions and their argument checks, the js backend, the
// wasm dispatch, the tests, the benchmark rows and the README tables) reads it from the registry;
// the files that list every activation (src/functions.ts, src/modules/index.ts,
// assembly/index.ts) are generated from it and its ActivationDocs by scripts/generate-api.mjs.

/** The three ways of running the kernels, fastest first. */
export type Backend = 'wasm-simd' | 'wasm-scalar' | 'js';

/**
 * What the API accepts as input: a Float32Array as is; another numeric typed array or an Array of
 * numbers, converted. (Not any array-like: an object with a length and indices is a TypeError.)
 */
export type Float32Input =
  | Float32Array | Float64Array | Int8Array | Uint8Array | Uint8ClampedArray | Int16Array | Uint16Array | Int32Array
  | Uint32Array | readonly number[];

/** A numeric parameter of an activation (e.g. leaky ReLU's `alpha`). */
export interface ParamSpec {
  /**
   * PyTorch's default value; for a {@link ParamSpec.required} param (PyTorch has none) only the
   * value the tests, the benchmarks and the docs' examples use, never applied to a call.
   */
  readonly default: number;
  /** True when PyTorch has no default: a call without it is a TypeError naming the param. */
  readonly required?: boolean;
  /** Whether a value is allowed (called only with numbers). */
  readonly allows: (value: number) => boolean;
  /** Completes "`alpha` must be …" in the RangeError for a value that is not allowed. */
  readonly requirement: string;
}

/**
 * A {@link ParamSpec} that PyTorch requires (no default). Its type carries `required: true`, so
 * the API's option types can make the param a required property (see the `R` parameter of
 * {@link ElementwiseDefinition}).
 */
export interface RequiredParamSpec extends ParamSpec {
  readonly required: true;
}

/**
 * A parameter that is one of a few strings (gelu's `approximate`). The API takes the string; the
 * wasm kernels get its index in `choices` as their float param.
 */
export interface ChoiceParamSpec<C extends string = string> {
  /** The allowed values, in the order whose index the wasm kernels take. */
  readonly choices: readonly C[];
  /** PyTorch's default value. */
  readonly default: C;
  /** Choices always have a default. */
  readonly required?: false;
}

/** Any parameter: numeric or a choice of strings. */
export type AnyParamSpec = ParamSpec | ChoiceParamSpec;

/** Whether a param is a choice of strings (else numeric). */
export function isChoiceParam(spec: AnyParamSpec): spec is ChoiceParamSpec {
  return 'choices' in spec;
}

/** A choice param whose default is `defaultValue`. */
export function choiceParam<const C extends string>(choices: readonly C[], defaultValue: NoInfer<C>): ChoiceParamSpec<C> {
  return { choices, default: defaultValue };
}

/** Params of an activation, by name: numbers, or strings for choice params. */
export type ParamValues = Record<string, number | string>;

/**
 * The specs of params P, where the names in R are required ({@link RequiredParamSpec}, checked
 * by the compiler) and the others may be any ParamSpec.
 */
export type ParamSpecs<P extends ParamValues, R extends keyof P = never> = {
  readonly [K in keyof P]: P[K] extends string ? ChoiceParamSpec<P[K]> : K extends R ? RequiredParamSpec : ParamSpec;
};

/** Fields every definition has. */
interface DefinitionBase<P extends ParamValues, R extends keyof P = never> {
  /** The API name (camelCase of PyTorch's). */
  readonly name: string;
  /** The PyTorch function this mirrors, e.g. `torch.nn.functional.leaky_relu`. */
  readonly torch: string;
  /** The formula in plain text, for the README and docs. */
  readonly formula: string;
  /** One line on what it is for. */
  readonly summary: string;
  /**
   * Its parameters with PyTorch's defaults: numeric (the names in R required, without one), or a
   * choice for a string-valued param.
   */
  readonly params: ParamSpecs<P, R>;
  /**
   * Accuracy contract: the max error in ULP of the exact value, on every backend; where the exact
   * value is below 2^-126 an absolute error up to 2^-126 is allowed as well.
   */
  readonly ulp: number;
  /** Why that bound, in a few words (README accuracy table). */
  readonly ulpNote: string;
  /** The x range its plot shows. */
  readonly plotDomain: readonly [number, number];
  /**
   * A check across params (e.g. hardtanh's minVal <= maxVal), called after each param passed its
   * own check and before anything is written: the RangeError message, or null when they agree.
   */
  readonly checkParams?: (params: P) => string | null;
}

/**
 * An activation applied to each element on its own; R names its required params (PyTorch has
 * no default for them, e.g. threshold's `threshold` and `value`).
 */
export interface ElementwiseDefinition<P extends ParamValues = ParamValues, R extends keyof P = never> extends DefinitionBase<P, R> {
  readonly kind: 'elementwise';
  /** float64 reference: the exact value to well under 0.01 ULP of float32. */
  readonly reference: (x: number, params: P) => number;
  /**
   * float64 derivative d/dx, for backward passes (the reference of dx is dy · derivative) and
   * plots; at kinks and NaN it follows PyTorch's backward (e.g. relu'(0) = 0, relu'(NaN) = 1).
   */
  readonly derivative: (x: number, params: P) => number;
  /** The js backend: dst[i] = f(src[i]) for i < n (src and dst may be the same array). */
  readonly js: (src: Float32Array, dst: Float32Array, n: number, params: P) => void;
  /** The wasm export `(src, dst, n, ...args)` and the params it takes after n, in order. */
  readonly wasm: { readonly export: string; readonly args: readonly (keyof P & string)[] };
  /**
   * Plain arrays shorter than this run the js loops (forward and backward) on a wasm backend
   * too (default: JS_BELOW of src/runtime/engine.ts, 8). Only for functions whose js loops give
   * the wasm kernels' bits (a select, a clamp or one float32 operation), so that a result never
   * depends on the array's length; such a function takes CHEAP_JS_BELOW.
   */
  readonly jsBelow?: number;
  /**
   * The backward pass `<name>Backward(dy, x)`: dx = dy · f'(x), whose float64 reference is
   * `dy * derivative(x, params)`. The wasm export takes `(dy, x, dx, n, ...args)` with the same
   * params as the forward one.
   */
  readonly backward: ElementwiseBackward<P>;
}

/** The backward pass of an element-wise activation. */
export interface ElementwiseBackward<P extends ParamValues = ParamValues> {
  /** Max error in ULP of the exact dy · f'(x) (same flush-to-zero allowance as forward). */
  readonly ulp: number;
  /** The js backend: dx[i] = dy[i] · f'(x[i]) for i < n (dx may be dy or x). */
  readonly js: (dy: Float32Array, x: Float32Array, dx: Float32Array, n: number, params: P) => void;
  /** The wasm export `(dy, x, dx, n, ...args)`; args as the forward's `wasm.args`. */
  readonly wasm: string;
}

/** Softmax-like: normalised along one dimension of a shaped array. */
export interface ReductionDefinition<P extends ParamValues = ParamValues, R extends keyof P = never> extends DefinitionBase<P, R> {
  readonly kind: 'reduction';
  /** float64 reference over one slice (already gathered into a plain array). */
  readonly reference: (slice: readonly number[], params: P) => number[];
  /**
   * The js backend over an [outer, n, inner] view: the slices are the n entries at stride
   * `inner`. src and dst may be the same array.
   */
  readonly js: (src: Float32Array, dst: Float32Array, outer: number, n: number, inner: number, params: P) => void;
  /**
   * wasm exports: `rows(src, dst, rows, n)` for the last dimension and
   * `strided(src, dst, outer, n, inner)` for any other.
   */
  readonly wasm: { readonly rows: string; readonly strided: string };
  /** The backward pass `<name>Backward(dy, y)`, from the forward output y. */
  readonly backward: ReductionBackward<P>;
}

/** The backward pass of a softmax-like activation, from the saved forward output y. */
export interface ReductionBackward<P extends ParamValues = ParamValues> {
  /** Max error in ULP of the exact value of `reference` (same flush-to-zero allowance). */
  readonly ulp: number;
  /** float64 reference of dx over one slice of dy and y (gathered into plain arrays). */
  readonly reference: (dySlice: readonly number[], ySlice: readonly number[], params: P) => number[];
  /** The js backend over an [outer, n, inner] view (dx may be dy or y). */
  readonly js: (
    dy: Float32Array, y: Float32Array, dx: Float32Array, outer: number, n: number, inner: number, params: P,
  ) => void;
  /** wasm exports: `rows(dy, y, dx, rows, n)` and `strided(dy, y, dx, outer, n, inner)`. */
  readonly wasm: { readonly rows: string; readonly strided: string };
}

/**
 * How a per-channel call sees its input: `outer` blocks of `channels` blocks of `inner`
 * elements (shape [N, C, ...rest]: outer = N, channels = C, inner = the product of rest; a 1-D
 * shape has one channel), and the number of weights (1, shared by all, or `channels`).
 */
export interface ChannelLayout {
  readonly outer: number;
  readonly channels: number;
  readonly inner: number;
  /** 1 or `channels`. */
  readonly weights: number;
}

/**
 * PReLU-like: each element's formula takes a learned weight of its channel (dim 1 of `shape`), or
 * one weight shared by all elements. The weights are an option (`weight`), not numeric params;
 * the backward pass returns the weights' gradient too.
 */
export interface ChannelwiseDefinition extends DefinitionBase<{}> {
  readonly kind: 'channelwise';
  /** The weight the tests, benchmarks and docs use (PyTorch's module default); never applied to a call. */
  readonly exampleWeight: number;
  /** float64 reference of one element x with its channel's weight w (a float32 value). */
  readonly reference: (x: number, w: number) => number;
  /** float64 d/dx at x with weight w; the reference of dx is dy · derivative(x, w). */
  readonly derivative: (x: number, w: number) => number;
  /** The js backend over `layout` (src and dst may be the same array; weights of length layout.weights). */
  readonly js: (src: Float32Array, dst: Float32Array, layout: ChannelLayout, weights: Float32Array) => void;
  /**
   * wasm exports: `one(src, dst, n, w)` for one weight; `blocks(src, dst, n, inner, weights,
   * channels, start)` and `periodic(src, dst, n, weights, period, phase)` for per-channel weights.
   */
  readonly wasm: { readonly one: string; readonly blocks: string; readonly periodic: string };
  readonly backward: ChannelwiseBackward;
}

/** The backward pass of a per-channel activation: dx and the gradient of each weight. */
export interface ChannelwiseBackward {
  /** Max error of dx in ULP of the exact dy · derivative(x, w). */
  readonly ulp: number;
  /**
   * float64 term of one element in its weight's gradient (the gradient is the sum of the terms
   * over the weight's elements), as PyTorch's kernel forms it (e.g. a select, not a product with 0).
   */
  readonly weightTerm: (dy: number, x: number, w: number) => number;
  /** The weight gradient's accuracy contract, in words (README, JSDoc). */
  readonly weightNote: string;
  /**
   * The js backend: dx (may be dy or x) and, added into `sums` (float64, one per weight), each
   * weight's sum of terms.
   */
  readonly js: (
    dy: Float32Array, x: Float32Array, dx: Float32Array, sums: Float64Array, layout: ChannelLayout, weights: Float32Array,
  ) => void;
  /**
   * wasm exports: `one(dy, x, dx, n, w) → f64 sum`; `blocks(dy, x, dx, n, inner, weights,
   * channels, start, sums)` and `periodic(dy, x, dx, n, weights, period, phase, sums)`, which add
   * into float64 sums in memory.
   */
  readonly wasm: { readonly one: string; readonly blocks: string; readonly periodic: string };
}

/**
 * How a gated call sees its input: `outer` blocks of 2m floats, each the a half (m floats) then
 * the b half (m floats), and the output's `outer` blocks of m floats. Shape S with dim d: outer =
 * the product of S before d, m = (S[d] / 2) · the product of S after d; a 1-D x: outer = 1.
 */
export interface GatedLayout {
  readonly outer: number;
  readonly m: number;
}

/**
 * GLU-like: x is split in two halves along `dim` (whose size must be even), a and b, and the
 * output, half x's length, is f(a, b) element by element. The backward pass takes dy (half x's
 * length) and x, and returns dx of x's length: the a half then the b half.
 */
export interface GatedDefinition extends DefinitionBase<{}> {
  readonly kind: 'gated';
  /** float64 reference of one output element from its a and b (float32 values). */
  readonly reference: (a: number, b: number) => number;
  /** float64 partial derivatives ∂f/∂a and ∂f/∂b at (a, b); dx_a = dy · da, dx_b = dy · db. */
  readonly derivative: { readonly a: (a: number, b: number) => number; readonly b: (a: number, b: number) => number };
  /** The js backend over `layout` (dst of outer · m floats, never overlapping src). */
  readonly js: (src: Float32Array, dst: Float32Array, layout: GatedLayout) => void;
  /** The wasm export `(src, dst, outer, m)`. */
  readonly wasm: { readonly export: string };
  readonly backward: GatedBackward;
}

/** The backward pass of a gated activation: dx (x's length) from dy (half of it) and x. */
export interface GatedBackward {
  /** Max error in ULP of the exact dy · ∂f/∂a and dy · ∂f/∂b (same flush-to-zero allowance). */
  readonly ulp: number;
  /** The js backend (dx may be x itself: a and b are read before dx_a and dx_b are written). */
  readonly js: (dy: Float32Array, x: Float32Array, dx: Float32Array, layout: GatedLayout) => void;
  /** The wasm export `(dy, x, dx, outer, m)`. */
  readonly wasm: string;
}

/**
 * The benchmark's baselines for a definition D (bench/): the formula as a plain JS loop, forward
 * and backward, with D's arguments. Each activation's file exports them beside its definition as
 * `<name>Naive`; the package's runtime never imports them, so they stay out of every bundle.
 */
export type NaiveOf<D> =
  D extends ElementwiseDefinition<infer P, infer _R> ? NaiveLoops<[x: Float32Array, y: Float32Array, params: P], [dy: Float32Array, x: Float32Array, dx: Float32Array, params: P]>
  : D extends ReductionDefinition<infer P, infer _R> ? NaiveLoops<[x: Float32Array, y: Float32Array, n: number, params: P], [dy: Float32Array, y: Float32Array, dx: Float32Array, n: number, params: P]>
  : D extends ChannelwiseDefinition ? NaiveLoops<
    [x: Float32Array, y: Float32Array, layout: ChannelLayout, weights: Float32Array],
    [dy: Float32Array, x: Float32Array, dx: Float32Array, sums: Float64Array, layout: ChannelLayout, weights: Float32Array]>
  : D extends GatedDefinition ? NaiveLoops<[x: Float32Array, y: Float32Array, layout: GatedLayout], [dy: Float32Array, x: Float32Array, dx: Float32Array, layout: GatedLayout]>
  : never;

/** A forward and a backward naive loop taking arguments F and B. */
export interface NaiveLoops<F extends unknown[], B extends unknown[]> {
  /** The tutorial's (or the textbook) formula as a naive JS loop into its output. */
  readonly forward: (...args: F) => void;
  /** The plain formula of the gradient as a naive JS loop into dx (prelu: and into the float64 sums). */
  readonly backward: (...args: B) => void;
  /**
   * The error bound the benchmark holds these loops to, when the naive formula is itself an
   * approximation (gelu's: JavaScript has no erf, so its naive loop uses Abramowitz–Stegun 7.1.26,
   * whose 1.5e-7 absolute error is no relative bound at all in the tail: Infinity). Default: the
   * definition's own bound (at least 1 ULP).
   */
  readonly ulp?: number;
}

/** Any activation definition. */
export type Definition = ElementwiseDefinition<any> | ReductionDefinition<any> | ChannelwiseDefinition | GatedDefinition;

/** The `jsBelow` of the cheap functions whose js loops give the wasm kernels' bits (measured: see JS_BELOW in src/runtime/engine.ts). */
export const CHEAP_JS_BELOW = 28;

/**
 * Identity helpers that check a definition against its kind and keep its literal types. Pass
 * the names of required params as R, e.g. `defineElementwise<{ t: number }, 't'>`.
 */
export function defineElementwise<P extends ParamValues, R extends keyof P = never>(
  definition: Omit<ElementwiseDefinition<P, R>, 'kind'>,
): ElementwiseDefinition<P, R> {
  return { kind: 'elementwise', ...definition };
}

/** See {@link defineElementwise}. */
export function defineReduction<P extends ParamValues, R extends keyof P = never>(
  definition: Omit<ReductionDefinition<P, R>, 'kind'>,
): ReductionDefinition<P, R> {
  return { kind: 'reduction', ...definition };
}

/** See {@link defineElementwise}. */
export function defineChannelwise(definition: Omit<ChannelwiseDefinition, 'kind'>): ChannelwiseDefinition {
  return { kind: 'channelwise', ...definition };
}

/** See {@link defineElementwise}. */
export function defineGated(definition: Omit<GatedDefinition, 'kind'>): GatedDefinition {
  return { kind: 'gated', ...definition };
}

/** A parameter that may be any finite number. */
export function finiteParam(defaultValue: number): ParamSpec {
  return { default: defaultValue, allows: Number.isFinite, requirement: 'a finite number' };
}

/**
 * Whether v rounded to float32 is a normal float: a magnitude in [2^-126, FLT_MAX] once rounded,
 * so that 3.4028235e38 (FLT_MAX as printed, a hair above it as a double) passes and 1e39 does not.
 */
export function isNormalFloat32(v: number): boolean {
  const f = Math.abs(Math.fround(v));
  return f >= 2 ** -126 && f <= 3.4028234663852886e38;
}

/**
 * A parameter the kernels use as a float32: 0 or a magnitude in float32's normal range
 * [2^-126, FLT_MAX] once rounded to float32. Beyond it the float32 value would be Infinity
 * (0 · Infinity = NaN) or lose precision as a subnormal (PyTorch rounds it the same way for
 * float tensors, silently).
 */
export function float32Param(defaultValue: number): ParamSpec {
  return {
    default: defaultValue,
    allows: (v) => v === 0 || isNormalFloat32(v),
    requirement: '0 or a number whose magnitude is in float32\'s normal range [1.1754944e-38, 3.4028235e38]',
  };
}

/** A required float32 param (PyTorch has no default): {@link float32Param}, `example` only for tests and docs. */
export function requiredFloat32Param(example: number): RequiredParamSpec {
  return { ...float32Param(example), required: true };
}

/**
 * A non-negative parameter used as a float32 (the shrink functions' `lambd`): 0 or a value in
 * float32's normal range [2^-126, FLT_MAX] once rounded to float32.
 */
export function nonNegativeFloat32Param(defaultValue: number): ParamSpec {
  return {
    default: defaultValue,
    allows: (v) => v === 0 || (v > 0 && isNormalFloat32(v)),
    requirement: '0 or a positive number in float32\'s normal range [1.1754944e-38, 3.4028235e38]',
  };
}

/**
 * A nonzero parameter used as a float32 (CELU's `alpha`, which divides x): a magnitude in
 * float32's normal range [2^-126, FLT_MAX] once rounded to float32, either sign.
 */
export function nonzeroFloat32Param(defaultValue: number): ParamSpec {
  return {
    default: defaultValue,
    allows: isNormalFloat32,
    requirement: 'nonzero, with a magnitude in float32\'s normal range [1.1754944e-38, 3.4028235e38]',
  };
}

/** One JSDoc comment of the generated API: its text and its `@example` lines. */
export interface DocComment {
  /** The text, line by line as the comment shows it (keep each line under about 100 columns). */
  readonly text: readonly string[];
  /** One `@example` line each: a call, then `// ` and what it gives. */
  readonly examples: readonly string[];
}

/** The JSDoc of an activation's module class, and the class's name. */
export interface ModuleDocComment extends DocComment {
  /** The class name: PyTorch's (torch.nn.LeakyReLU → `LeakyReLU`); error messages and repr use it too. */
  readonly className: string;
  /**
   * Set when the class is written by hand in `src/modules/<file>.js` (PReLU, which owns a
   * learnable weight), with the types to re-export beside it; else the generated class extends
   * `activationModule(name, className)`.
   */
  readonly handWritten?: { readonly file: string; readonly types: readonly string[] };
  /**
   * Set when PyTorch's module takes `inplace` (nn.ReLU(inplace=True)): the class takes it too, and
   * its forward(x) then writes into x unless given another `out`.
   */
  readonly inplace?: true;
}

/**
 * What the API's generated files say about one activation: the JSDoc of its function, of its
 * backward function and of its module class. Each file in src/activations/ exports one, named
 * `<name>Docs`, beside its definition; scripts/generate-api.mjs writes src/functions.ts and
 * src/modules/index.ts from them. Nothing at run time imports it, so bundles leave the text out.
 */
export interface ActivationDocs {
  /** The JSDoc of the top-level function `<name>`. */
  readonly forward: DocComment;
  /** The JSDoc of `<name>Backward`. */
  readonly backward: DocComment;
  /** The module class, torch.nn style. */
  readonly module: ModuleDocComment;
}
