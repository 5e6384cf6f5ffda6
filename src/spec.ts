// The shape of an activation's one definition. Each file in src/activations/ fills one of these
// in, and everything else (the API functions and their argument checks, the js backend, the
// wasm dispatch, the tests, the benchmark rows and the README tables) reads it from the registry.

/** The three ways of running the kernels, fastest first. */
export type Backend = 'wasm-simd' | 'wasm-scalar' | 'js';

/** What the API accepts as input: a Float32Array as is, other numeric arrays converted. */
export type Float32Input = Float32Array | ArrayLike<number>;

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

/** Fields every definition has. */
interface DefinitionBase<P extends ParamValues> {
  /** The API name (camelCase of PyTorch's). */
  readonly name: string;
  /** The PyTorch function this mirrors, e.g. `torch.nn.functional.leaky_relu`. */
  readonly torch: string;
  /** The formula in plain text, for the README and docs. */
  readonly formula: string;
  /** One line on what it is for. */
  readonly summary: string;
  /** Its parameters with PyTorch's defaults: numeric, or a choice for a string-valued param. */
  readonly params: { readonly [K in keyof P]: P[K] extends string ? ChoiceParamSpec<P[K]> : ParamSpec };
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
   * The error bound the benchmark holds the naive loop to, when the naive formula is itself an
   * approximation (gelu's: JavaScript has no erf, so its naive loop uses Abramowitz–Stegun 7.1.26,
   * whose 1.5e-7 absolute error is no relative bound at all in the tail: Infinity). Default: `ulp`.
   */
  readonly naiveUlp?: number;
  /**
   * A check across params (e.g. hardtanh's minVal <= maxVal), called after each param passed its
   * own check and before anything is written: the RangeError message, or null when they agree.
   */
  readonly checkParams?: (params: P) => string | null;
}

/** An activation applied to each element on its own. */
export interface ElementwiseDefinition<P extends ParamValues = ParamValues> extends DefinitionBase<P> {
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
  /** The tutorial's formula as a naive JS loop into y, the benchmark's baseline. */
  readonly naive: (x: Float32Array, y: Float32Array, params: P) => void;
  /** The wasm export `(src, dst, n, ...args)` and the params it takes after n, in order. */
  readonly wasm: { readonly export: string; readonly args: readonly (keyof P & string)[] };
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
export interface ReductionDefinition<P extends ParamValues = ParamValues> extends DefinitionBase<P> {
  readonly kind: 'reduction';
  /** float64 reference over one slice (already gathered into a plain array). */
  readonly reference: (slice: readonly number[], params: P) => number[];
  /**
   * The js backend over an [outer, n, inner] view: the slices are the n entries at stride
   * `inner`. src and dst may be the same array.
   */
  readonly js: (src: Float32Array, dst: Float32Array, outer: number, n: number, inner: number, params: P) => void;
  /** The tutorial's formula as a naive JS loop over rows of `n`, into y. */
  readonly naive: (x: Float32Array, y: Float32Array, n: number, params: P) => void;
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

/** Any activation definition. */
export type Definition = ElementwiseDefinition<any> | ReductionDefinition<any>;

/** Identity helpers that check a definition against its kind and keep its literal types. */
export function defineElementwise<P extends ParamValues>(
  definition: Omit<ElementwiseDefinition<P>, 'kind'>,
): ElementwiseDefinition<P> {
  return { kind: 'elementwise', ...definition };
}

/** See {@link defineElementwise}. */
export function defineReduction<P extends ParamValues>(
  definition: Omit<ReductionDefinition<P>, 'kind'>,
): ReductionDefinition<P> {
  return { kind: 'reduction', ...definition };
}

/** A parameter that may be any finite number. */
export function finiteParam(defaultValue: number): ParamSpec {
  return { default: defaultValue, allows: Number.isFinite, requirement: 'a finite number' };
}

/**
 * A parameter the kernels use as a float32: 0 or a magnitude in float32's normal range
 * [2^-126, FLT_MAX]. Beyond it the float32 value would be Infinity (0 · Infinity = NaN) or lose
 * precision as a subnormal (PyTorch rounds it the same way for float tensors, silently).
 */
export function float32Param(defaultValue: number): ParamSpec {
  return {
    default: defaultValue,
    allows: (v) => v === 0 || (Math.abs(v) >= 2 ** -126 && Math.abs(v) <= 3.4028234663852886e38),
    requirement: '0 or a number whose magnitude is in float32\'s normal range [1.1754944e-38, 3.4028235e38]',
  };
}

/** A required float32 param (PyTorch has no default): {@link float32Param}, `example` only for tests and docs. */
export function requiredFloat32Param(example: number): ParamSpec {
  return { ...float32Param(example), required: true };
}

/**
 * A non-negative parameter used as a float32 (the shrink functions' `lambd`): 0 or a value in
 * float32's normal range [2^-126, FLT_MAX].
 */
export function nonNegativeFloat32Param(defaultValue: number): ParamSpec {
  return {
    default: defaultValue,
    allows: (v) => v === 0 || (v >= 2 ** -126 && v <= 3.4028234663852886e38),
    requirement: '0 or a positive number in float32\'s normal range [1.1754944e-38, 3.4028235e38]',
  };
}
