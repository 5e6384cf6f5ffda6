// wasm-activations: neural-network activation functions as WebAssembly SIMD kernels, with
// scalar-wasm and plain-JavaScript fallbacks.
export { init, initSync, backend, backendInfo, allocate, memoryStats } from './default-instance.js';
export { ActivationBuffer } from './runtime/buffer.js';
export type { MemoryStats } from './runtime/allocator.js';
export { createActivations, createActivationsSync } from './instance.js';
export type {
  ThreadedActivations, ThreadedActivationFunction, ThreadedBackwardFunction, ThreadedChannelwiseBackwardFunction, ThreadedChannelwiseFunction,
  ThreadedCreateOptions, ThreadedGatedBackwardFunction, ThreadedGatedFunction, ThreadsChoice,
} from './threads/instance.js';
export type {
  Activations, ActivationFunction, ActivationFunctions, BackendChoice, BackendInfo, BackwardFunction, BackwardName, CreateOptions, MaybeThreadedCreateOptions,
  LayoutOptions, OutOption,
  ChannelBackwardOptions, ChannelGradients, ChannelOptions, ChannelwiseBackwardFunction, ChannelwiseFunction, WeightInput,
  GatedBackwardFunction, GatedFunction, GatedOptions,
} from './instance.js';
// Every activation's function and its backward pass (generated from the registry).
export * from './functions.js';
export { choiceParam, isChoiceParam, type AnyParamSpec, type ChoiceParamSpec } from './spec.js';
export { definitions, definitionList, type ActivationName } from './registry.js';
export type {
  Backend, Definition, ElementwiseBackward, ElementwiseDefinition, Float32Input, ParamSpec, ReductionBackward, ReductionDefinition,
  ChannelLayout, ChannelwiseBackward, ChannelwiseDefinition, RequiredParamSpec,
  GatedBackward, GatedDefinition, GatedLayout,
} from './spec.js';
export * from './modules/index.js';
export { Softmax2d, type Softmax2dOptions, type Softmax2dForwardOptions } from './modules/softmax2d.js';
export { ActivationModule, ElementwiseModule, ReductionModule, activationModule, type ModuleClass } from './modules/base.js';
export type {
  ChannelwiseName, DimOption, ElementwiseName, InplaceOption, InstanceOption, ModuleArguments, ModuleBackwardOptions, ModuleForwardOptions, ModuleOptions, ParamsOf,
  ReductionName, RequiredParamNames, ShapeOption,
} from './modules/types.js';
