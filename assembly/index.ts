// The one export list of the wasm module. Every kernel takes byte addresses into this module's
// linear memory (owned and grown by the TypeScript side) and element counts; none allocates.
export { relu, reluBackward } from "./ops/relu";
export { leakyRelu, leakyReluBackward } from "./ops/leaky_relu";
export { sigmoid, sigmoidBackward } from "./ops/sigmoid";
export { tanh, tanhBackward } from "./ops/tanh";
export { hardtanh, hardtanhBackward } from "./ops/hardtanh";
export { relu6, relu6Backward } from "./ops/relu6";
export { hardsigmoid, hardsigmoidBackward } from "./ops/hardsigmoid";
export { hardswish, hardswishBackward } from "./ops/hardswish";
export { softsign, softsignBackward } from "./ops/softsign";
export { softshrink, softshrinkBackward } from "./ops/softshrink";
export { hardshrink, hardshrinkBackward } from "./ops/hardshrink";
export { threshold, thresholdBackward } from "./ops/threshold";
export { prelu, preluBlocks, preluPeriodic, preluBackward, preluBackwardBlocks, preluBackwardPeriodic } from "./ops/prelu";
export { elu, eluBackward } from "./ops/elu";
export { selu, seluBackward } from "./ops/selu";
export { celu, celuBackward } from "./ops/celu";
export { silu, siluBackward } from "./ops/silu";
export { softplus, softplusBackward } from "./ops/softplus";
export { logsigmoid, logsigmoidBackward } from "./ops/log_sigmoid";
export { mish, mishBackward } from "./ops/mish";
export { softmax, softmaxStrided } from "./softmax";
export { softmaxBackward, softmaxBackwardStrided } from "./softmax_backward";
export { softmin, softminStrided, logSoftmax, logSoftmaxStrided } from "./softmax";
export { softminBackward, softminBackwardStrided, logSoftmaxBackward, logSoftmaxBackwardStrided } from "./softmax_backward";
export { copyFloats } from "./util";
export { tanhshrink, tanhshrinkBackward } from "./ops/tanhshrink";
export { gelu, geluBackward } from "./ops/gelu";
