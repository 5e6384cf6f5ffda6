// Measures the thresholds of src/threads/thresholds.ts (see the comment there for the rule).
// Run after `npm run build`: `node scripts/thread-thresholds.mjs [fn,fn,...|all] [buffers|arrays]` (a quiet machine
// gives the truest figures; interleaved calls and medians cope with a busy one). Prints, per
// function and size, one thread's time over two threads' (zero-copy buffers, then plain arrays)
// and the two tables to paste. About five minutes for every function.
import { createActivations, definitionList } from '../dist/src/index.js';
import { ARRAY_THREAD_THRESHOLDS, THREAD_THRESHOLDS } from '../dist/src/threads/thresholds.js';

// Split everything, whatever its size, while measuring (an instance reads the tables when it is created).
for (const d of definitionList) {
  THREAD_THRESHOLDS[d.name] = 0;
  ARRAY_THREAD_THRESHOLDS[d.name] = 0;
}

const SIZES = Array.from({ length: 8 }, (_, k) => 1 << (17 + k)); // 128Ki to 16Mi
/** Two workers must beat one thread by this much at a size and at twice it. */
const GAIN = 1.1;

const one = await createActivations({ threads: 1 }); // every call on the calling thread
const two = await createActivations({ threads: 2 });

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[sorted.length >> 1];
}

function options(definition, n) {
  if (definition.kind === 'reduction') return { shape: [n / 1024, 1024] };
  const params = {};
  for (const [key, spec] of Object.entries(definition.params)) if (spec.required) params[key] = 0.5;
  return params;
}

/**
 * One thread's median time over two threads' for `definition` at n elements: single awaited
 * calls, alternating between the instances (so that load from other processes falls on both),
 * at least 15 of each and 300 ms in all of each, at most 61. Medians, not a low percentile: a
 * threaded call's time includes waking its workers, which a user pays on a typical call.
 */
async function ratio(definition, n, arrays) {
  const x = new Float32Array(n);
  for (let i = 0; i < n; i++) x[i] = Math.sin(i) * 6;
  const setups = [one, two].map((acts) => {
    if (arrays) return { acts, x, out: new Float32Array(n) };
    const xb = acts.allocate(n);
    xb.array.set(x);
    return { acts, x: xb, out: acts.allocate(n) };
  });
  const times = [[], []];
  const call = async (k) => {
    const { acts, x: input, out } = setups[k];
    const start = performance.now();
    await acts[definition.name](input, { ...options(definition, n), out });
    return performance.now() - start;
  };
  for (let k = 0; k < 2; k++) for (let i = 0; i < 3; i++) await call(k); // warm-up
  let spent = 0;
  while (times[0].length < 61 && (times[0].length < 15 || spent < 300)) {
    for (let k = 0; k < 2; k++) {
      const t = await call(k);
      times[k].push(t);
      spent += t / 2;
    }
  }
  if (!arrays) for (const s of setups) {
    s.x.free();
    s.out.free();
  }
  return median(times[0]) / median(times[1]);
}

/**
 * The smallest size whose ratio and the next size's are at least GAIN (the largest size: its own);
 * Infinity if none. Not "every larger size": a two-thread call's time is bimodal on this
 * machine (its two parts now and then run one after the other, as if both workers were woken on
 * one core: sigmoid at 2Mi took 0.9-1.0 or 1.8-1.9 ms, against 1.65 on one thread), and one
 * unlucky median among the large sizes would otherwise refuse a function threads altogether.
 */
function thresholdOf(ratios) {
  for (let k = 0; k < SIZES.length; k++) {
    if (ratios[k] >= GAIN && (k + 1 === SIZES.length || ratios[k + 1] >= GAIN)) return SIZES[k];
  }
  return Infinity;
}

const only = process.argv[2] && process.argv[2] !== 'all' ? process.argv[2].split(',') : undefined;
const kinds = process.argv[3] === 'buffers' ? [['buffers', false]] : process.argv[3] === 'arrays' ? [['arrays', true]] : [['buffers', false], ['arrays', true]];
const split = definitionList.filter((d) => (d.kind === 'elementwise' || d.kind === 'reduction') && (!only || only.includes(d.name)));
const tables = { buffers: {}, arrays: {} };
for (const definition of split) {
  for (const [label, arrays] of kinds) {
    const ratios = [];
    for (const n of SIZES) ratios.push(await ratio(definition, n, arrays));
    tables[label][definition.name] = thresholdOf(ratios);
    console.log(`${definition.name.padEnd(12)} ${label.padEnd(7)} ${ratios.map((r) => r.toFixed(2)).join(' ')}  threshold ${tables[label][definition.name]}`);
  }
}
await two.destroy();
const show = (n) => (n === Infinity ? 'Infinity' : n >= 1 << 20 ? `${n / (1 << 20)} << 20` : `${n / 1024} << 10`);
for (const [label, name] of [['buffers', 'THREAD_THRESHOLDS'], ['arrays', 'ARRAY_THREAD_THRESHOLDS']].filter(([label]) => kinds.some(([k]) => k === label))) {
  console.log(`\nexport const ${name}: Record<string, number> = {`);
  for (const [fn, n] of Object.entries(tables[label])) console.log(`  ${fn}: ${show(n)},`);
  console.log('};');
}
