// A worker of the accuracy sweep: its own Activations instance (own wasm memory), fed ranges of
// bit patterns by the main thread, answering with the statistics of each.
import { parentPort, workerData } from 'node:worker_threads';
import { definitions } from '../../src/registry.js';
import type { Backend, ChannelwiseDefinition, ElementwiseDefinition, ParamValues } from '../../src/spec.js';
import { Sweeper, type Direction } from './sweep.js';

/** A job: every pattern of a range, or a stratified sample of some strata. */
export type Job =
  | { readonly kind: 'range'; readonly start: number; readonly count: number }
  | { readonly kind: 'sample'; readonly strata: readonly number[]; readonly perStratum: number; readonly seed: number };

const { fn, backend, direction, params } = workerData as { fn: string; backend: Backend; direction: Direction; params?: ParamValues };
const sweeper = new Sweeper(definitions[fn as keyof typeof definitions] as ElementwiseDefinition | ChannelwiseDefinition, backend, direction, params);

parentPort!.on('message', (job: Job) => {
  const stats = job.kind === 'range' ? sweeper.range(job.start, job.count) : sweeper.sample(job.perStratum, job.seed, job.strata);
  parentPort!.postMessage(stats);
});
