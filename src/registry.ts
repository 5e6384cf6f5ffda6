// The single list of activations. The API, the js backend, the tests, the benchmark and the
// README tables iterate it; adding an activation is a definition file, its kernel in
// assembly/ops/, and one line here (plus its name in src/functions.ts and assembly/index.ts).
import { leakyRelu } from './activations/leakyRelu.js';
import { relu } from './activations/relu.js';
import { sigmoid } from './activations/sigmoid.js';
import { softmax } from './activations/softmax.js';
import { tanh } from './activations/tanh.js';
import type { Definition } from './spec.js';

/** Every activation, by API name. */
export const definitions = { relu, leakyRelu, sigmoid, tanh, softmax } satisfies Record<string, Definition>;

/** The API names of all activations. */
export type ActivationName = keyof typeof definitions;

/** The definitions as a list, in registry order. */
export const definitionList: readonly Definition[] = Object.values(definitions);
