// The wrappers behind the top-level functions of src/functions.ts (generated): each looks the
// default instance up at every call, so init() may switch it after the import.
import { defaultActivations } from './default-instance.js';
import type { ActivationFunctions, BackwardName } from './instance.js';
import type { ActivationName } from './registry.js';

/** The default instance's function `name`, looked up at each call (init() may switch it). */
export function onDefault<K extends ActivationName>(name: K): ActivationFunctions[K] {
  return ((x: never, options: never) => (defaultActivations()[name] as (x: never, o: never) => unknown)(x, options)) as unknown as ActivationFunctions[K];
}

/** The default instance's backward pass `name`, looked up at each call. */
export function backwardOnDefault<K extends BackwardName>(name: K): ActivationFunctions[K] {
  return ((dy: never, saved: never, options: never) =>
    (defaultActivations()[name] as (dy: never, s: never, o: never) => unknown)(dy, saved, options)) as unknown as ActivationFunctions[K];
}
