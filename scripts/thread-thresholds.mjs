// Measures the thresholds of src/threads/thresholds.ts (see the comment there for the rule).
// Run after `npm run build`, on an otherwise idle machine: `node scripts/thread-thresholds.mjs`.
// Prints the per-element cost of each function, the dispatch cost and the table to paste.
import { createActivations, definitionList } from '../dist/src/index.js';
import { THREAD_THRESHOLDS } from '../dist/src/threads/thresholds.js';

// Split everything, whatever its size, while measuring (the table is read at instance creation).
for (const d of definitionList) THREAD_THRESHOLDS[d.name] = 0;

const one = await createActivations({ threads: 1 });
const two = await createActivations({ threads: 2 });

/** Best of `rounds` means of `reps` awaited calls, in µs. */
async function time(call, reps, rounds = 7) {
  for (let i = 0; i < 3; i++) await call();
  let best = Infinity;
  for (let r = 0; r < rounds; r++) {
    const start = performance.now();
    for (let i = 0; i < reps; i++) await call();
    best = Math.min(best, ((performance.now() - start) / reps) * 1000);
  }
  return best;
}

function args(definition, n) {
  if (definition.kind === 'reduction') return { shape: [n / 1024, 1024] };
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

const SMALL = 1 << 14;
const LARGE = 1 << 20;
const table = {};
for (const definition of definitionList) {
  const perElement = (await run(one, definition, LARGE, 10)) / LARGE; // µs per element
  const dispatch = (await run(two, definition, SMALL, 200)) - (await run(one, definition, SMALL, 200));
  const elements = (2.5 * Math.max(dispatch, 1)) / perElement;
  const threshold = Math.max(1 << 16, 2 ** Math.ceil(Math.log2(elements)));
  table[definition.name] = threshold;
  console.log(`${definition.name.padEnd(12)} ${(perElement * 1e6).toFixed(0).padStart(6)} ps/element  dispatch ${dispatch.toFixed(1).padStart(6)} µs  threshold ${threshold}`);
}
await two.destroy();
console.log('\nexport const THREAD_THRESHOLDS: Record<string, number> = {');
for (const [name, n] of Object.entries(table)) console.log(`  ${name}: ${n >= 1 << 20 ? `${n / (1 << 20)} << 20` : `${n / 1024} << 10`},`);
console.log('};');
