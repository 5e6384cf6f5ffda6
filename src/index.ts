// wasm-activations: neural-network activation functions as WebAssembly SIMD kernels, with
// scalar-wasm and plain-JavaScript fallbacks.
export { init, initSync, backend, allocate, memoryStats } from './default-instance.js';
export { ActivationBuffer } from './runtime/buffer.js';
export type { MemoryStats } from './runtime/allocator.js';
export { createActivations, createActivationsSync } from './instance.js';
export type {
  Activations, ActivationFunction, ActivationFunctions, BackendChoice, CreateOptions, LayoutOptions, OutOption,
} from './instance.js';
export { relu, leakyRelu, sigmoid, tanh, softmax } from './functions.js';
export { definitions, definitionList, type ActivationName } from './registry.js';
export type { Backend, Definition, ElementwiseDefinition, Float32Input, ParamSpec, ReductionDefinition } from './spec.js';
