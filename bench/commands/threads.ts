// `wasm-activations threads` (= `npm run bench:threads`): the threaded instance
// (createActivations({ threads })) on 1, 2 and N threads (N = the available cores, when that is
// another number), with zero-copy buffers and with plain arrays, at sizes above the thread
// thresholds. One thread is a threads: 1 instance (every call on the calling thread, awaited
// like the others), so the rows differ only in the threads. A module of its own, apart from
// the main bench: it awaits every call and has its own rows.
import { availableParallelism } from 'node:os';
import { parseArgs } from 'node:util';
import { createActivations } from '../../src/instance.js';
import { definitions } from '../../src/registry.js';
import type { ThreadedActivations } from '../../src/threads/instance.js';
import { measureAsync, type Budget } from '../harness.js';
import { uniformFloats } from '../inputs.js';
import { UsageError } from './bench.js';

const DEFAULT_FNS = ['sigmoid', 'softmax'];
const DEFAULT_SIZES = [1 << 20, 1 << 24];
/** Softmax-like functions run on rows of this length (as in the main bench). */
const ROW = 1024;
const BUDGET: Budget = { warmupMs: 100, batchMs: 60, batches: 9, maxCellMs: 1500, minBatches: 7 };

export const THREADS_HELP = `Usage: wasm-activations threads [options]
       npm run bench:threads -- [options]

Times the threaded instance on 1, 2 and N threads (N = available cores) with zero-copy buffers
and with plain arrays (copied into the shared memory and back), and prints each row's speed-up
over one thread. Medians of ${BUDGET.batches} batches (interquartile range beside them).

Options:
  --fn NAME       a function (repeatable; default ${DEFAULT_FNS.join(', ')})
  --size N        elements, e.g. 16Mi, 1048576 (repeatable; default 1Mi, 16Mi)
  --threads N     thread counts to compare (repeatable; default 1, 2 and the available cores)
  -h, --help      this text`;

function parseSize(text: string): number {
  const m = /^(\d+)(Ki|Mi)?$/.exec(text);
  if (!m) throw new UsageError(`--size must be a count such as 65536, 64Ki or 16Mi; got '${text}'`);
  return Number(m[1]) * (m[2] === 'Ki' ? 1024 : m[2] === 'Mi' ? 1 << 20 : 1);
}

function label(n: number): string {
  return n >= 1 << 20 && n % (1 << 20) === 0 ? `${n / (1 << 20)}Mi` : n >= 1024 && n % 1024 === 0 ? `${n / 1024}Ki` : String(n);
}

/** Runs the threads benchmark and prints its table. */
export async function threadsCommand(argv: readonly string[]): Promise<void> {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      strict: true,
      options: {
        fn: { type: 'string', multiple: true },
        size: { type: 'string', multiple: true },
        threads: { type: 'string', multiple: true },
        help: { type: 'boolean', short: 'h', default: false },
      },
    }));
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  if (values.help) {
    console.log(THREADS_HELP);
    return;
  }
  const fns = values.fn ?? DEFAULT_FNS;
  for (const fn of fns) if (!(fn in definitions)) throw new UsageError(`--fn: no activation '${fn}'`);
  const sizes = (values.size ?? DEFAULT_SIZES.map(String)).map(parseSize);
  const counts = values.threads?.map(Number) ?? [...new Set([1, 2, availableParallelism()])];
  for (const c of counts) if (!Number.isInteger(c) || c < 1) throw new UsageError(`--threads must be a positive integer; got ${c}`);

  console.log(`threads benchmark: Node ${process.versions.node}, ${availableParallelism()} cores available; ns per element, median (q1–q3)`);
  console.log(['function', 'size', 'threads', 'api', 'ns/element', 'speed-up'].join('\t'));
  const instances = new Map<number, ThreadedActivations>();
  for (const c of counts) instances.set(c, await createActivations({ threads: c }));
  try {
    for (const fn of fns) {
      const definition = definitions[fn as keyof typeof definitions];
      for (const n of sizes) {
        const options: Record<string, unknown> = definition.kind === 'reduction' ? { shape: [Math.ceil(n / ROW), ROW] } : {};
        const length = definition.kind === 'reduction' ? Math.ceil(n / ROW) * ROW : n;
        const x = uniformFloats(length, -6, 6, 0x5eed + length);
        const out = new Float32Array(length);
        const base = new Map<string, number>();
        for (const [c, acts] of instances) {
          const call = (acts as unknown as Record<string, (x: unknown, o: unknown) => Promise<unknown>>)[fn];
          const buffer = acts.allocate(length);
          const result = acts.allocate(length);
          buffer.array.set(x);
          try {
            const rows: [string, () => Promise<unknown>][] = [
              ['zero-copy', () => call(buffer, { ...options, out: result })],
              ['arrays', () => call(x, { ...options, out })],
            ];
            for (const [api, run] of rows) {
              const t = await measureAsync(async () => { await run(); }, length, BUDGET);
              if (c === counts[0]) base.set(api, t.median);
              const speedup = (base.get(api) ?? t.median) / t.median;
              console.log([fn, label(n), String(c), api, `${t.median.toFixed(3)} (${t.q1.toFixed(3)}–${t.q3.toFixed(3)})`, `${speedup.toFixed(2)}×`].join('\t'));
            }
          } finally {
            buffer.free();
            result.free();
          }
        }
      }
    }
  } finally {
    for (const acts of instances.values()) await acts.destroy();
  }
}
