#!/usr/bin/env node
// `npm run bench`: every activation in the registry, at several sizes, through the naive JS
// loop of the tutorial's formula and the package's three backends, side by side in one run.
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { createActivations } from '../src/instance.js';
import { definitions } from '../src/registry.js';
import type { Backend } from '../src/spec.js';
import { maxError, naive, packageImplementation, ROW_LENGTH, zeroCopyImplementation, type Implementation } from './cases.js';
import { limits } from './limits.js';
import { measure, type Budget } from './harness.js';
import { uniformFloats } from './inputs.js';
import { formatHeadline, formatSize, formatTables, type Cell } from './report.js';

const HELP = `Usage: npm run bench -- [options]   (or: node dist/bench/cli.js [options])

Times every activation on the naive JS loop of its formula and on each backend of the package
(copying API into a preallocated out), plus wasm-simd zero-copy (x and out buffers of its
memory), after checking each output against the float64 reference; beside them, the limits
(TypedArray set into wasm memory and back; wasm memory.copy of the same bytes) and the cost of
one call at n = 16. Input: uniform in [-6, 6], seeded. Softmax runs over rows of ${ROW_LENGTH}.

Options:
  --fn NAME        only this function (repeatable); default: all of ${Object.keys(definitions).join(', ')}
  --size N         only this size in elements (repeatable); default: 4096, 65536, 1048576
  --backend NAME   only this backend (repeatable): wasm-simd, wasm-scalar, js
  --quick          shorter timing budget (noisier)
  --json FILE      also write every cell, the environment and versions as JSON
  -h, --help       this text`;

const BACKENDS: Backend[] = ['js', 'wasm-scalar', 'wasm-simd'];
/** The input length at which the per-call cost is measured. */
const OVERHEAD_N = 16;

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      fn: { type: 'string', multiple: true },
      size: { type: 'string', multiple: true },
      backend: { type: 'string', multiple: true },
      quick: { type: 'boolean', default: false },
      json: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    console.log(HELP);
    return;
  }
  const fns = values.fn ?? Object.keys(definitions);
  for (const fn of fns) if (!(fn in definitions)) throw new Error(`unknown function '${fn}'; known: ${Object.keys(definitions).join(', ')}`);
  const sizes = (values.size ?? ['4096', '65536', '1048576']).map((s) => {
    const n = Number(s);
    if (!Number.isSafeInteger(n) || n <= 0) throw new Error(`--size must be a positive integer; got ${s}`);
    return n;
  });
  const backends = (values.backend ?? BACKENDS) as Backend[];
  for (const b of backends) if (!BACKENDS.includes(b)) throw new Error(`unknown backend '${b}'`);
  const budget: Budget = values.quick ? { warmupMs: 30, batchMs: 15, batches: 7 } : { warmupMs: 80, batchMs: 40, batches: 11 };

  const impls: Implementation[] = [naive];
  for (const b of backends) impls.push(packageImplementation(await createActivations({ backend: b })));
  const simd = backends.includes('wasm-simd') ? await createActivations({ backend: 'wasm-simd' }) : null;
  if (simd) impls.push(zeroCopyImplementation(simd));
  const floors = limits();

  const cells: Cell[] = [];
  const total = sizes.length * (fns.length * impls.length + floors.length) + (simd ? fns.length : 0);
  const started = performance.now();
  for (const size of sizes) {
    const x = uniformFloats(size, -6, 6, 0x5eed + size);
    for (const fn of fns) {
      const definition = definitions[fn as keyof typeof definitions];
      for (const impl of impls) {
        process.stderr.write(`\r[${cells.length + 1}/${total}] ${fn} @ ${formatSize(size)} on ${impl.label}`.padEnd(60));
        const prepared = impl.prepare(definition, x);
        prepared.run();
        const err = maxError(definition, x, prepared.output);
        const bound = impl.id === 'naive' ? Math.max(definition.ulp, 1) : definition.ulp;
        if (!(err.ulp <= bound)) {
          cells.push({ fn, size, impl: impl.id, maxUlp: err.ulp, error: `max error ${err.ulp} ULP at x = ${err.at} (bound ${bound})` });
          continue;
        }
        const t = measure(prepared.run, size, budget);
        prepared.dispose?.();
        cells.push({ fn, size, impl: impl.id, median: t.median, q1: t.q1, q3: t.q3, maxUlp: err.ulp });
      }
    }
    for (const floor of floors) {
      process.stderr.write(`\r[${cells.length + 1}/${total}] ${floor.id} @ ${formatSize(size)}`.padEnd(60));
      const t = measure(floor.prepare(x), size, budget);
      cells.push({ fn: 'limit', size, impl: floor.id, median: t.median, q1: t.q1, q3: t.q3, maxUlp: 0 });
    }
  }
  // Per-call cost at n = 16 through the copying API (what a tiny input pays).
  if (simd) {
    const x = uniformFloats(OVERHEAD_N, -6, 6, 0x5eed);
    for (const fn of fns) {
      process.stderr.write(`\r[${cells.length + 1}/${total}] ${fn} per call @ n = ${OVERHEAD_N}`.padEnd(60));
      const prepared = packageImplementation(simd).prepare(definitions[fn as keyof typeof definitions], x);
      const t = measure(prepared.run, 1, budget); // "per element" of 1 = per call
      cells.push({ fn, size: OVERHEAD_N, impl: 'per call', median: t.median, q1: t.q1, q3: t.q3, maxUlp: 0 });
    }
  }
  process.stderr.write('\r'.padEnd(61) + '\r');
  const seconds = (performance.now() - started) / 1000;
  console.log(`wasm-activations benchmark — Node ${process.version}, ${process.arch}, one thread; ${seconds.toFixed(0)} s`);
  console.log(formatTables(cells, impls.map((i) => i.id), fns, sizes));
  console.log(formatHeadline(cells, fns, sizes));
  if (values.json) {
    writeFileSync(values.json, JSON.stringify({ date: new Date().toISOString(), node: process.version, arch: process.arch, platform: process.platform, budget, cells }, null, 2));
    console.log(`\nwrote ${values.json}`);
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
