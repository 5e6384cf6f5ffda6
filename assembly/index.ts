// The one export list of the wasm module. Every kernel takes byte addresses into this module's
// linear memory (owned and grown by the TypeScript side) and element counts; none allocates.
export { relu } from "./ops/relu";
export { leakyRelu } from "./ops/leaky_relu";
export { sigmoid } from "./ops/sigmoid";
export { tanh } from "./ops/tanh";
export { softmax, softmaxStrided } from "./softmax";
export { copyFloats } from "./util";
