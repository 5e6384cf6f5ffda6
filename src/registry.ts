// The single list of activations. The API, the js backend, the tests, the benchmark and the
// README tables iterate it. Adding an activation is three files: its definition (with its
// `<name>Docs`) in src/activations/, its kernel in assembly/ops/, and one line here; then
// `npm run generate` (or `npm run build`, which runs it first) writes src/functions.ts,
// src/modules/index.ts and assembly/index.ts from them (scripts/generate-api.mjs).
import { hardtanh } from './activations/hardtanh.js';
import { relu6 } from './activations/relu6.js';
import { hardsigmoid } from './activations/hardsigmoid.js';
import { hardswish } from './activations/hardswish.js';
import { softsign } from './activations/softsign.js';
import { softshrink } from './activations/softshrink.js';
import { hardshrink } from './activations/hardshrink.js';
import { threshold } from './activations/threshold.js';
import { leakyRelu } from './activations/leakyRelu.js';
import { rrelu } from './activations/rrelu.js';
import { relu } from './activations/relu.js';
import { sigmoid } from './activations/sigmoid.js';
import { softmax } from './activations/softmax.js';
import { logSoftmax } from './activations/logSoftmax.js';
import { softmin } from './activations/softmin.js';
import { tanh } from './activations/tanh.js';
import { prelu } from './activations/prelu.js';
import { elu } from './activations/elu.js';
import { selu } from './activations/selu.js';
import { celu } from './activations/celu.js';
import { silu } from './activations/silu.js';
import { softplus } from './activations/softplus.js';
import { logsigmoid } from './activations/logsigmoid.js';
import { mish } from './activations/mish.js';
import { tanhshrink } from './activations/tanhshrink.js';
import { gelu } from './activations/gelu.js';
import { glu } from './activations/glu.js';
import type { Definition } from './spec.js';

/** Every activation, by API name. */
export const definitions = {
  relu, leakyRelu, sigmoid, tanh, softmax,
  hardtanh, relu6, hardsigmoid, hardswish, softsign, softshrink, hardshrink, threshold,
  prelu, rrelu,
  logSoftmax, softmin,
  elu, selu, celu, silu,
  softplus, logsigmoid, mish,
  tanhshrink, gelu,
  glu,
} satisfies Record<string, Definition>;

/** The API names of all activations. */
export type ActivationName = keyof typeof definitions;

/** The definitions as a list, in registry order. */
export const definitionList: readonly Definition[] = Object.values(definitions);
