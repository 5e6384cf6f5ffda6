// The types of the modules, derived from the registry: each class's constructor options are its
// activation's params (as the functional API names them), plus `dim` for the softmax family.
import type { ActivationBuffer } from '../runtime/buffer.js';
import type { Activations, OutOption } from '../instance.js';
import type { ActivationName, definitions } from '../registry.js';
import type { ElementwiseDefinition, ReductionDefinition } from '../spec.js';

type Definitions = typeof definitions;

/**
 * The params of activation `N` (e.g. `{ alpha: number }` for leakyRelu), read from its
 * reference's second argument, whatever else the definition's generics carry; `{}` for a kind
 * with no numeric params (a module of its own declares its options, as PReLU's weight).
 */
export type ParamsOf<N extends ActivationName> = Definitions[N] extends {
  readonly kind: 'elementwise' | 'reduction';
  readonly reference: (input: never, params: infer P) => unknown;
} ? P : {};

/** The names of N's params that have no default (threshold's): those whose spec says `required: true`. */
export type RequiredParamNames<N extends ActivationName> = Definitions[N] extends { readonly params: infer S }
  ? { [K in keyof S]-?: S[K] extends { readonly required: true } ? K : never }[keyof S]
  : never;

/** The softmax-like activations (normalised along a dimension; backward from the output y). */
export type ReductionName = {
  [K in ActivationName]: Definitions[K] extends { readonly kind: 'reduction' } ? K : never;
}[ActivationName];

/** The element-wise activations (backward from the input x). */
export type ElementwiseName = {
  [K in ActivationName]: Definitions[K] extends { readonly kind: 'elementwise' } ? K : never;
}[ActivationName];

/** The per-channel activations (a learned weight per channel: prelu), each a module class of its own. */
export type ChannelwiseName = {
  [K in ActivationName]: Definitions[K] extends { readonly kind: 'channelwise' } ? K : never;
}[ActivationName];

/** Where a module runs. */
export interface InstanceOption {
  /**
   * The Activations instance (from createActivations) to run on. Default: the default instance,
   * looked up at each forward() (init() may switch it); backward() runs where its forward() ran.
   */
  activations?: Activations;
}

/** The dimension option of a softmax-like module, as PyTorch's `nn.Softmax(dim=1)`. */
export interface DimOption {
  /** The dimension to normalise along; negative counts from the end. Default: -1 (the last). */
  dim?: number;
}

/**
 * The constructor options of the module of activation `N`: its params by the functional API's
 * names (defaults as PyTorch's), `activations`, and `dim` for the softmax family.
 */
export type ModuleOptions<N extends ActivationName> =
  & { [K in keyof ParamsOf<N> as K extends RequiredParamNames<N> ? K : never]: ParamsOf<N>[K] }
  & { [K in keyof ParamsOf<N> as K extends RequiredParamNames<N> ? never : K]?: ParamsOf<N>[K] }
  & InstanceOption
  & (N extends ReductionName ? DimOption : {});

/** PyTorch's `inplace`, on the classes whose torch.nn module has it (nn.ReLU(inplace=True)). */
export interface InplaceOption {
  /**
   * Whether forward(x) writes its result into x (a Float32Array or an ActivationBuffer), as
   * PyTorch's inplace=True: an `out` given to forward() still wins. Default false. The module
   * keeps its copy of x for backward() either way.
   */
  inplace?: boolean;
}

/** The constructor's arguments: the options (with `Extra`, e.g. {@link InplaceOption}), required when a param has no default. */
export type ModuleArguments<N extends ActivationName, Extra = {}> = [RequiredParamNames<N>] extends [never]
  ? [options?: ModuleOptions<N> & Extra]
  : [options: ModuleOptions<N> & Extra];

/** The layout option of a softmax-like or per-channel module's forward(): the shape of this call's `x`. */
export interface ShapeOption {
  /** The shape of `x` (row-major); its product must be `x.length`. Default: `[x.length]`. */
  shape?: readonly number[];
}

/** Any output: a Float32Array or an ActivationBuffer. */
export type Output = Float32Array | ActivationBuffer;

/**
 * The options of forward(): `out`, and `shape` for the softmax family and the per-channel ones
 * (whose channel dim is dim 1 of it); params are the constructor's.
 */
export type ModuleForwardOptions<N extends ActivationName, O extends Output = Output> = OutOption<O> &
  (N extends ReductionName | ChannelwiseName ? ShapeOption : {});

/** The options of backward(): `out` (which may be `dy` itself: in place). */
export type ModuleBackwardOptions<O extends Output = Output> = OutOption<O>;
