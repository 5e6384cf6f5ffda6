// `wasm-activations threads` (= `npm run bench:threads`): the threaded instance
// (createActivations({ threads })) on 1, 2 and N threads (N = the available cores, when that is
// another number), with zero-copy buffers and with plain arrays, at sizes above the thread
// thresholds. One thread is a threads: 1 instance (every call on the calling thread, awaited
// like the others), so the rows differ only in the threads. The main bench times the zero-copy
// rows of sigmoid and softmax the same way (bench/threads-rows.ts); this command adds plain
// arrays and takes any functions, sizes and thread counts.
import { availableParallelism } from 'node:os';
import { parseArgs } from 'node:util';
import { definitions } from '../../src/registry.js';
import type { Budget } from '../harness.js';
import type { Cell } from '../results.js';
import { threadsId, timeThreadRows } from '../threads-rows.js';
import { parseSize, UsageError } from './bench.js';

const DEFAULT_FNS = ['sigmoid', 'softmax'];
const DEFAULT_SIZES = [1 << 20, 1 << 24];
const BUDGET: Budget = { warmupMs: 100, batchMs: 60, batches: 9, maxCellMs: 1500, minBatches: 7, clock: 'wall' };

export const THREADS_HELP = `Usage: wasm-activations threads [options]
       npm run bench:threads -- [options]

Times the threaded instance on 1, 2 and N threads (N = available cores) with zero-copy buffers
and with plain arrays (copied into the shared memory and back), and prints each row's speed-up
over one thread (— without a one-thread row). The counts of one function and size are timed in
interleaved rounds (wall clock); medians of up to ${BUDGET.batches} batches (interquartile range beside
them).

Options:
  --fn NAME       a function (repeatable; default ${DEFAULT_FNS.join(', ')})
  --size N        elements, e.g. 16Mi, 64Ki, 1048576 (repeatable; default 1Mi, 16Mi), as bench's --size
  --threads N     thread counts to compare (repeatable; default 1, 2 and the available cores)
  -h, --help      this text`;


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
  const fns = [...new Set(values.fn ?? DEFAULT_FNS)];
  for (const fn of fns) {
    if (!Object.prototype.hasOwnProperty.call(definitions, fn)) throw new UsageError(`--fn: no activation '${fn}'`);
    const kind = definitions[fn as keyof typeof definitions].kind;
    if (kind !== 'elementwise' && kind !== 'reduction') throw new UsageError(`--fn: ${fn} is not split between threads (a threaded instance runs it on the calling thread)`);
  }
  // The main bench's size rules (64Ki, 1Mi …; softmax's rows of 1024), each size once.
  const sizes = [...new Set((values.size ?? DEFAULT_SIZES.map(String)).map((text) => parseSize(text)))];
  for (const text of values.threads ?? []) {
    if (!/^\d+$/.test(text) || Number(text) < 1) throw new UsageError(`--threads must be a positive integer; got '${text}'`);
  }
  const counts = values.threads ? [...new Set(values.threads.map(Number))] : [...new Set([1, 2, availableParallelism()])];

  console.log(`threads benchmark: Node ${process.versions.node}, ${availableParallelism()} cores available; ns per element, median (q1–q3)`);
  console.log(['function', 'size', 'threads', 'api', 'ns/element', 'speed-up'].join('\t'));
  // The same groups as the main bench's threads rows (interleaved rounds, each output checked),
  // with plain arrays beside the buffers and only the sizes asked for.
  const cells = await timeThreadRows({ fns, sizes, counts, budget: BUDGET, arrays: true, below: false });
  // The speed-up over one thread: the 1-thread row of the same function, size and api (none without --threads 1).
  const one = (c: Cell) => cells.find((o) => o.fn === c.fn && o.size === c.size && o.impl === threadsId(1, c.impl.endsWith(' arrays')));
  for (const c of cells) {
    const [count, api] = c.impl.replace('threads-', '').split(' ');
    const timing = c.error ? c.error : `${c.median!.toFixed(3)} (${c.q1!.toFixed(3)}–${c.q3!.toFixed(3)})`;
    const base = one(c);
    const speedup = c.error || !base || base.error ? '—' : `${(base.median! / c.median!).toFixed(2)}×`;
    console.log([c.fn, label(c.size), count, api ?? 'zero-copy', timing, speedup].join('\t'));
  }
}
