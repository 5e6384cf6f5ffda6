// Measures the thresholds of src/threads/thresholds.ts (see the comment there for the rule).
// Run after `npm run build`: `node scripts/thread-thresholds.mjs` (a quiet machine gives the truest
// figures; the percentile timing copes with a busy one).
// Prints the per-element cost of each function, the dispatch cost and the table to paste.
import { createActivations, definitionList } from '../dist/src/index.js';
import { THREAD_THRESHOLDS } from '../dist/src/threads/thresholds.js';

// Split everything, whatever its size, while measuring (the table is read at instance creation).
for (const d of definitionList) THREAD_THRESHOLDS[d.name] = 0;

const one = await createActivations({ threads: 1 });
const two = await createActivations({ threads: 2 });

/**
 * The 10th percentile of `reps` single awaited calls, in µs: on a shared, busy machine most calls
 * are interrupted by other processes, and a low percentile of single short calls still sees the
 * ones that ran undisturbed (a mean over long batches would not).
 */
async function time(call, reps) {
  for (let i = 0; i < 20; i++) await call();
  const samples = [];
  for (let i = 0; i < reps; i++) {
    const start = performance.now();
    await call();
    samples.push((performance.now() - start) * 1000);
  }
  samples.sort((a, b) => a - b);
  return samples[Math.floor(reps / 10)];
}

function args(definition, n) {
  if (definition.kind === 'reduction') return { shape: [Math.max(2, n / 1024), Math.min(1024, n / 2)] };
  const params = {};
  for (const [key, spec] of Object.entries(definition.params)) if (spec.required) params[key] = 0.5;
  return params;
}

async function run(acts, definition, n, reps) {
  const buffer = acts.allocate(n);
  const a = buffer.array;
  for (let i = 0; i < n; i++) a[i] = Math.sin(i) * 6;
  const options = { ...args(definition, n), out: buffer };
  const us = await time(() => acts[definition.name](buffer, options), reps);
  buffer.free();
  return us;
}

const COST_N = 1 << 16; // ~3-60 µs a call: short enough to run undisturbed now and then
const DISPATCH_N = 64; // two parts of 32 elements: the call is all dispatch
const table = {};
// Three passes; each function keeps its largest threshold (the pass where it ran fastest). Only
// the kinds a threaded instance splits: prelu and glu always run on the calling thread.
const split = definitionList.filter((d) => d.kind === 'elementwise' || d.kind === 'reduction');
for (let pass = 0; pass < 3; pass++) for (const definition of split) {
  const perElement = (await run(one, definition, COST_N, 400)) / COST_N; // µs per element
  const dispatch = (await run(two, definition, DISPATCH_N, 1000)) - (await run(one, definition, DISPATCH_N, 1000));
  const elements = (2.5 * Math.max(dispatch, 1)) / perElement;
  const threshold = Math.max(1 << 16, 2 ** Math.ceil(Math.log2(elements)));
  table[definition.name] = Math.max(table[definition.name] ?? 0, threshold);
  console.log(`${definition.name.padEnd(12)} ${(perElement * 1e6).toFixed(0).padStart(6)} ps/element  dispatch ${dispatch.toFixed(1).padStart(6)} µs  threshold ${threshold}`);
}
await two.destroy();
console.log('\nexport const THREAD_THRESHOLDS: Record<string, number> = {');
for (const [name, n] of Object.entries(table)) console.log(`  ${name}: ${n >= 1 << 20 ? `${n / (1 << 20)} << 20` : `${n / 1024} << 10`},`);
console.log('};');
