// The benchmark's command line (bench/commands/): options, the dispatcher, and the check that
// every implementation's output is right before it is timed (bench/cases.ts, timeCell). Runs
// with a tiny timing budget; nothing here asserts how fast anything is.
import { describe, expect, it } from 'vitest';
import {
  backwardInputOf, backwardReferenceOf, GARBAGE_SCALE, isGarbage, maxError, naive, naiveUlpOf, packageImplementation, referenceOf, ROW_LENGTH, setRowLength, shapeOf, zeroCopyImplementation, type Implementation,
} from '../bench/cases.js';
import { belowThreshold, threadsId, timeThreadRows } from '../bench/threads-rows.js';
import { FEATURED, HELP, parseBenchArgs, parseSize, runBenchmark, timeCell, timeGroup, UsageError } from '../bench/commands/bench.js';
import { COMMANDS, DEFAULT_COMMAND, main, resolveCommand } from '../bench/commands/index.js';
import type { Budget } from '../bench/harness.js';
import { uniformFloats } from '../bench/inputs.js';
import { limits } from '../bench/limits.js';
import { createActivations } from '../src/instance.js';
import { definitions } from '../src/registry.js';

const TINY: Budget = { warmupMs: 1, batchMs: 0.5, batches: 5, maxCellMs: 10, minBatches: 5 };

describe('bench options', () => {
  it('defaults to the five at 4Ki to 16Mi on every package row, every function in the sweep at 64Ki, no peers', () => {
    const o = parseBenchArgs([]);
    expect(o.fns).toEqual(['relu', 'leakyRelu', 'sigmoid', 'tanh', 'softmax']);
    expect(FEATURED).toEqual(o.fns);
    expect(o.sizes).toEqual([4096, 65536, 1048576, 16777216]);
    expect(o.rows).toEqual(['js', 'wasm-scalar', 'wasm-simd', 'new-out', 'zero-copy']);
    expect(o.sweep).toEqual({ fns: Object.keys(definitions), size: 65536, rows: ['js', 'wasm-simd', 'new-out'] });
    expect(o.peers).toEqual([]);
    expect(o.help).toBe(false);
  });

  it('--fn names the functions of both the tables and the sweep; the sweep takes the smallest size without 64Ki', () => {
    const o = parseBenchArgs(['--fn', 'softsign', '--size', '1Mi', '--size', '4Ki']);
    expect(o.fns).toEqual(['softsign']);
    expect(o.sweep).toEqual({ fns: ['softsign'], size: 4096, rows: ['js', 'wasm-simd', 'new-out'] });
    expect(parseBenchArgs(['--backend', 'zero-copy', '--backend', 'wasm-scalar']).sweep.rows).toEqual(['wasm-scalar', 'zero-copy']);
  });

  it('adds the threads rows (sigmoid and softmax at the largest size) unless --backend leaves them out', () => {
    expect(parseBenchArgs([]).threads).toEqual({ fns: ['sigmoid', 'softmax'], size: 16777216 });
    expect(parseBenchArgs(['--quick']).threads).toEqual({ fns: ['sigmoid', 'softmax'], size: 1048576 });
    expect(parseBenchArgs(['--backend', 'wasm-simd']).threads).toBeUndefined();
    const o = parseBenchArgs(['--backend', 'threads', '--backend', 'wasm-simd', '--fn', 'tanh', '--fn', 'prelu', '--size', '4Mi']);
    expect(o.threads).toEqual({ fns: ['tanh'], size: 4194304 }); // prelu runs on the calling thread: no row
    expect(o.rows).toEqual(['wasm-simd']);
    expect(o.sweep.rows).toEqual(['wasm-simd']);
  });

  it('times by CPU time unless --clock wall', () => {
    expect(parseBenchArgs([]).clock).toBe('cpu');
    expect(parseBenchArgs(['--clock', 'wall']).clock).toBe('wall');
    expect(() => parseBenchArgs(['--clock', 'sundial'])).toThrow(/--clock must be cpu or wall/);
  });

  it('drops 16Mi with --quick', () => {
    expect(parseBenchArgs(['--quick']).sizes).toEqual([4096, 65536, 1048576]);
  });

  it('takes repeated --fn, --size (with Ki/Mi) and --backend', () => {
    const o = parseBenchArgs(['--fn', 'tanh', '--fn', 'relu', '--size', '1Mi', '--size', '4096', '--backend', 'zero-copy', '--json', 'r.json', '--svg', 'r.svg']);
    expect(o.fns).toEqual(['tanh', 'relu']);
    expect(o.sizes).toEqual([4096, 1048576]);
    expect(o.rows).toEqual(['zero-copy']);
    expect(o.sweep).toEqual({ fns: ['tanh', 'relu'], size: 4096, rows: ['zero-copy'] });
    expect(o.json).toBe('r.json');
    expect(o.svg).toBe('r.svg');
  });

  it('--peers adds every peer; naming a peer in --backend implies --peers', () => {
    expect(parseBenchArgs(['--peers']).peers).toEqual(['tfjs-wasm', 'ort-web', 'ort-node']);
    const o = parseBenchArgs(['--backend', 'ort-node']);
    expect(o.peers).toEqual(['ort-node']);
    expect(o.rows).toEqual(['js', 'wasm-scalar', 'wasm-simd', 'new-out', 'zero-copy']);
  });

  it('rejects unknown names and bad sizes with a UsageError', () => {
    expect(() => parseBenchArgs(['--fn', 'noSuchActivation'])).toThrow(UsageError);
    expect(() => parseBenchArgs(['--backend', 'webgpu'])).toThrow(UsageError);
    expect(() => parseBenchArgs(['--size', '0'])).toThrow(UsageError);
    expect(() => parseBenchArgs(['--size', '5000'])).toThrow(/multiple of 1024/);
    expect(() => parseBenchArgs(['--row-length', '0'])).toThrow(/--row-length must be an integer from 1 to 65536/);
    expect(() => parseBenchArgs(['--row-length', '2.5'])).toThrow(UsageError);
    expect(() => parseBenchArgs(['--row-length', '10', '--size', '4096'])).toThrow(/multiple of 10/);
    expect(() => parseBenchArgs(['--bogus'])).toThrow(UsageError);
    expect(() => parseBenchArgs(['extra'])).toThrow(UsageError);
    expect(parseSize('64Ki')).toBe(65536);
    expect(parseSize('16M')).toBe(16777216);
    expect(parseSize('16')).toBe(16);
  });

  it('documents every option in --help', () => {
    for (const option of ['--fn', '--size', '--backend', '--quick', '--clock', '--peers', '--json', '--svg', '--help']) expect(HELP).toContain(option);
    expect(HELP).toMatch(/interleaved rounds/);
    expect(HELP).toMatch(/median over the rounds of the ratio/);
    expect(parseBenchArgs(['-h']).help).toBe(true);
  });
});

describe('the dispatcher', () => {
  it('runs bench by name and by default', () => {
    expect(DEFAULT_COMMAND).toBe('bench');
    expect(Object.keys(COMMANDS)).toContain('bench');
    expect(resolveCommand(['bench', '--quick'])).toEqual({ name: 'bench', args: ['--quick'] });
    expect(resolveCommand(['--quick'])).toEqual({ name: 'bench', args: ['--quick'] });
    expect(resolveCommand([])).toEqual({ name: 'bench', args: [] });
  });

  it('prints help for --help or help, and rejects an unknown command', () => {
    expect(resolveCommand(['--help'])).toEqual({ help: true });
    expect(resolveCommand(['help'])).toEqual({ help: true });
    expect(resolveCommand(['bench', '--help'])).toEqual({ name: 'bench', args: ['--help'] });
    expect(() => resolveCommand(['frobnicate'])).toThrow(/unknown command 'frobnicate'/);
  });

  it('refuses an unwritable --json or --svg before running anything (exit code 2), and points at the command\'s own --help', async () => {
    const errors: string[] = [];
    const logged: string[] = [];
    const original = { error: console.error, log: console.log };
    console.error = (message: unknown) => void errors.push(String(message));
    console.log = (message: unknown) => void logged.push(String(message));
    try {
      expect(await main(['--json', '/dev/null/results.json', '--quick'])).toBe(2);
      expect(logged).toEqual([]); // no report: the benchmark did not run
      expect(errors.pop()).toMatch(/^wasm-activations: --json \/dev\/null\/results\.json: cannot write there/);
      expect(await main(['bench', '--svg', '/dev/null/chart.svg'])).toBe(2);
      expect(errors.pop()).toMatch(/--svg \/dev\/null\/chart\.svg: cannot write there/);
      expect(await main(['accuracy', '--bogus'])).toBe(2);
      expect(errors.pop()).toMatch(/Run 'wasm-activations accuracy --help'/);
      expect(await main(['threads', '--threads', 'abc'])).toBe(2);
      expect(errors.pop()).toMatch(/--threads must be a positive integer; got 'abc'/);
      // Usage errors, not a run that fails later or a stack trace (found by an audit of the CLI).
      expect(await main(['bench', '--fn', 'glu', '--size', '1001', '--quick'])).toBe(2);
      expect(errors.pop()).toMatch(/--size must be even for glu/);
      expect(await main(['bench', '--quick', '--json', ''])).toBe(2);
      expect(errors.pop()).toMatch(/--json needs a file name/);
      expect(await main(['plot', '--fn', 'toString', '--out', '/tmp'])).toBe(2);
      expect(errors.pop()).toMatch(/unknown function 'toString'/);
      expect(await main(['plot', '--fn', 'relu', '--out', '/dev/null/plots'])).toBe(2);
      expect(errors.pop()).toMatch(/--out \/dev\/null\/plots: cannot write there/);
      expect(await main(['threads', '--fn', 'glu'])).toBe(2);
      expect(errors.pop()).toMatch(/glu is not split between threads/);
      expect(await main(['threads', '--fn', 'constructor'])).toBe(2);
      expect(errors.pop()).toMatch(/no activation 'constructor'/);
      expect(await main(['threads', '--size', '0'])).toBe(2);
      expect(errors.pop()).toMatch(/--size must be a positive integer/);
      expect(await main(['accuracy', '--fn', 'relu', '--out', '/tmp/report.txt'])).toBe(2);
      expect(errors.pop()).toMatch(/--out must name a \.json file/);
      expect(logged).toEqual([]);
    } finally {
      console.error = original.error;
      console.log = original.log;
    }
  });
});

describe('answers are checked before timing', () => {
  const x = uniformFloats(2048, -6, 6, 42);

  it('the reference and maxError agree with themselves and catch NaN and a short output', () => {
    const exact = referenceOf(definitions.sigmoid, x);
    expect(maxError(exact, x, Float32Array.from(exact)).ulp).toBeLessThanOrEqual(0.5);
    const bad = Float32Array.from(exact);
    bad[7] = NaN;
    expect(maxError(exact, x, bad)).toEqual({ ulp: Infinity, at: x[7] });
    expect(maxError(exact, x, bad.subarray(1)).ulp).toBe(Infinity);
  });

  it('tells a garbage output (not timed) from an inaccurate one (timed and marked)', () => {
    const exact = referenceOf(definitions.gelu, x);
    const flushed = Float32Array.from(exact, (v) => (Math.abs(v) < 1e-7 ? 0 : v)); // as onnxruntime's gelu
    const flushedErr = maxError(exact, x, flushed);
    expect(flushedErr.ulp, 'the flush is far outside any ULP bound').toBeGreaterThan(2 ** 20);
    expect(isGarbage(exact, flushed, flushedErr.ulp)).toBe(false);
    const near1 = exact.findIndex((v) => v > 0.9 && v < 1.1);
    const off = Float32Array.from(exact);
    off[near1] += 0.5; // one element visibly off: 2^22 ULP and far above 2^-20 of the values' scale
    expect(isGarbage(exact, off, maxError(exact, x, off).ulp)).toBe(true);
    off[near1] = exact[near1] + 2 ** -20 * GARBAGE_SCALE; // a few ULP: never garbage
    expect(isGarbage(exact, off, maxError(exact, x, off).ulp)).toBe(false);
    const reversed = Float32Array.from(exact).reverse(); // misplaced elements
    expect(isGarbage(exact, reversed, maxError(exact, x, reversed).ulp)).toBe(true);
    const nan = Float32Array.from(exact);
    nan[3] = NaN;
    expect(isGarbage(exact, nan, maxError(exact, x, nan).ulp)).toBe(true);
    expect(isGarbage(exact, nan.subarray(1), Infinity)).toBe(true);
    expect(isGarbage(exact, Float32Array.from(exact), maxError(exact, x, Float32Array.from(exact)).ulp)).toBe(false);
  });

  it('the naive loop, every backend and zero-copy are within the bound on every function', async () => {
    const impls: Implementation[] = [naive];
    for (const backend of ['js', 'wasm-scalar', 'wasm-simd'] as const) impls.push(packageImplementation(await createActivations({ backend })));
    impls.push(zeroCopyImplementation(await createActivations({ backend: 'wasm-simd' })));
    for (const definition of Object.values(definitions)) {
      const exact = referenceOf(definition, x);
      for (const impl of impls) {
        const prepared = await impl.prepare(definition, x);
        prepared.run!();
        const bound = impl.kind === 'naive' ? naiveUlpOf(definition, definition.ulp) : definition.ulp;
        expect(maxError(exact, x, prepared.output).ulp, `${impl.id} ${definition.name}`).toBeLessThanOrEqual(bound);
        await prepared.dispose?.();
      }
    }
  });

  /** An implementation whose output is the reference with one element scaled by (1 + rel). */
  function fake(kind: Implementation['kind'], rel: number, opts: { async?: boolean; throws?: boolean } = {}): Implementation & { calls: number } {
    const impl = {
      id: `fake-${kind}`, label: 'fake', kind, note: 'test', calls: 0,
      prepare(definition: (typeof definitions)[keyof typeof definitions], input: Float32Array) {
        if (opts.throws) throw new Error('no such op');
        const output = Float32Array.from(referenceOf(definition, input));
        output[3] *= 1 + rel;
        const run = () => {
          impl.calls++;
        };
        return opts.async ? { output, runAsync: async () => run() } : { output, run };
      },
    };
    return impl;
  }

  it('times a right answer', async () => {
    const impl = fake('package', 0);
    const cell = await timeCell(impl, definitions.sigmoid, x, referenceOf(definitions.sigmoid, x), 'ns/element', TINY);
    expect(cell.error).toBeUndefined();
    expect(cell.median).toBeGreaterThan(0);
    expect(cell.samples).toBeGreaterThanOrEqual(5);
    expect(cell.outOfBound).toBeUndefined();
    expect(impl.calls).toBeGreaterThan(5);
  });

  it('reports a wrong answer of the package as an error, without timing it', async () => {
    const impl = fake('package', 1e-5);
    const cell = await timeCell(impl, definitions.sigmoid, x, referenceOf(definitions.sigmoid, x), 'ns/element', TINY);
    expect(cell.error).toMatch(/max error .* ULP at x = .* \(bound 2\)/);
    expect(cell.median).toBeUndefined();
    expect(impl.calls).toBe(1); // the checking run only
  });

  it('times a peer outside our bound and marks it; a far-off peer is an error', async () => {
    const near = fake('peer', 1e-5, { async: true });
    const cell = await timeCell(near, definitions.sigmoid, x, referenceOf(definitions.sigmoid, x), 'ns/element', TINY);
    expect(cell.outOfBound).toBe(true);
    expect(cell.maxUlp).toBeGreaterThan(2);
    expect(cell.median).toBeGreaterThan(0);
    const far = fake('peer', 0.5);
    const broken = await timeCell(far, definitions.sigmoid, x, referenceOf(definitions.sigmoid, x), 'ns/element', TINY);
    expect(broken.error).toBeDefined();
    expect(broken.median).toBeUndefined();
  });

  it('the naive loop of every derivative, every backend and zero-copy are within the backward bound on every function', async () => {
    const impls: Implementation[] = [naive];
    for (const backend of ['js', 'wasm-scalar', 'wasm-simd'] as const) impls.push(packageImplementation(await createActivations({ backend })));
    impls.push(zeroCopyImplementation(await createActivations({ backend: 'wasm-simd' })));
    for (const definition of Object.values(definitions)) {
      const input = backwardInputOf(definition, x, 7);
      const exact = backwardReferenceOf(definition, input);
      // A real check: dy varies in sign and size, and the exact gradient is not zero everywhere.
      expect(exact.some((v) => Math.abs(v) > 1e-3), definition.name).toBe(true);
      for (const impl of impls) {
        const prepared = await impl.prepareBackward!(definition, input);
        prepared.run!();
        // A naive loop built on a textbook approximation (gelu's erf) is held to its own bound.
        const bound = impl.kind === 'naive' ? naiveUlpOf(definition, definition.backward.ulp) : definition.backward.ulp;
        expect(maxError(exact, input.saved, prepared.output).ulp, `${impl.id} ${definition.name}Backward`).toBeLessThanOrEqual(bound);
        await prepared.dispose?.();
      }
    }
  });

  it('softmax\'s backward input is a valid forward output: rows that sum to 1', () => {
    const { dy, saved } = backwardInputOf(definitions.softmax, x, 7);
    expect(dy).toHaveLength(x.length);
    expect(dy.every((v) => v >= -1 && v < 1)).toBe(true);
    for (let r = 0; r < x.length; r += 1024) expect(saved.subarray(r, r + 1024).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
    expect(backwardInputOf(definitions.sigmoid, x, 7).saved).toBe(x);
  });

  it('times a backward cell against the backward reference and names its direction', async () => {
    const input = backwardInputOf(definitions.tanh, x, 7);
    const exact = backwardReferenceOf(definitions.tanh, input);
    const impl = packageImplementation(await createActivations({ backend: 'wasm-simd' }));
    const cell = await timeCell(impl, definitions.tanh, x, exact, 'ns/element', TINY, input);
    expect(cell).toMatchObject({ fn: 'tanh', direction: 'backward', impl: 'wasm-simd', boundUlp: 8 });
    expect(cell.error).toBeUndefined();
    expect(cell.median).toBeGreaterThan(0);
    // The forward reference is not the backward one: checked against it, the answer is wrong.
    const wrong = await timeCell(impl, definitions.tanh, x, referenceOf(definitions.tanh, x), 'ns/element', TINY, input);
    expect(wrong.error).toMatch(/max error/);
    // A peer has no backward pass: an error cell, not a crash.
    const peer = await timeCell(fake('peer', 0), definitions.tanh, x, exact, 'ns/element', TINY, input);
    expect(peer.error).toMatch(/no backward pass/);
  });

  it('reports an implementation that throws as an error cell', async () => {
    const cell = await timeCell(fake('peer', 0, { throws: true }), definitions.relu, x, referenceOf(definitions.relu, x), 'ns/element', TINY);
    expect(cell.error).toBe('threw: no such op');
  });
});

describe('a comparison group', () => {
  const x = uniformFloats(4096, -6, 6, 11);
  const exact = referenceOf(definitions.sigmoid, x);

  /** An implementation whose output is the reference with one element scaled by (1 + rel), counting its calls. */
  function fake(id: string, kind: Implementation['kind'], rel: number, opts: { async?: boolean; throws?: 'prepare' | 'later' } = {}) {
    const impl = {
      id, label: id, kind, note: 'test', calls: 0,
      prepare(definition: (typeof definitions)[keyof typeof definitions], input: Float32Array) {
        if (opts.throws === 'prepare') throw new Error('no such op');
        const output = Float32Array.from(referenceOf(definition, input));
        output[3] *= 1 + rel;
        const run = () => {
          if (opts.throws === 'later' && impl.calls > 0) throw new Error('lost its session');
          impl.calls++;
        };
        return opts.async ? { output, runAsync: async () => run() } : { output, run };
      },
    };
    return impl;
  }

  it('checks every member, times the right ones and the limits in the same rounds, and reports the rest', async () => {
    const members = [
      naive, fake('ours', 'package', 0), fake('wrong', 'package', 1e-5), fake('missing', 'peer', 0, { throws: 'prepare' }),
      fake('async-peer', 'peer', 1e-5, { async: true }), fake('flaky', 'peer', 0, { throws: 'later' }),
    ];
    const cells = await timeGroup(members, definitions.sigmoid, x, exact, 'ns/element', TINY, undefined, limits());
    expect(cells.map((c) => c.impl)).toEqual(['naive', 'ours', 'wrong', 'missing', 'async-peer', 'flaky', 'set in + out', 'memory.copy']);
    expect(cells.map((c) => c.fn)).toEqual([...Array(6).fill('sigmoid'), 'limit', 'limit']);
    const [naiveCell, ours, wrong, missing, asyncPeer, flaky, ...floors] = cells;
    for (const cell of [naiveCell, ours, asyncPeer, ...floors]) {
      expect(cell.error, cell.impl).toBeUndefined();
      expect(cell.samples, cell.impl).toBe(5);
      expect(cell.rounds, cell.impl).toHaveLength(5);
      expect(cell.median, cell.impl).toBeGreaterThan(0);
    }
    expect(asyncPeer.outOfBound).toBe(true);
    expect(wrong.error).toMatch(/max error .* ULP/);
    expect(wrong.rounds).toBeUndefined();
    expect((members[2] as ReturnType<typeof fake>).calls).toBe(1); // the checking run only
    expect(missing.error).toBe('threw: no such op');
    expect(flaky.error).toBe('threw: lost its session');
    expect(flaky.median).toBeUndefined();
  });

  it('a group of one is a cell (timeCell)', async () => {
    const cell = await timeCell(fake('ours', 'package', 0), definitions.sigmoid, x, exact, 'ns/call', TINY);
    expect(cell).toMatchObject({ fn: 'sigmoid', impl: 'ours', unit: 'ns/call', samples: 5 });
  });
});

describe('--row-length', () => {
  it('brings the default sizes down to multiples of the row length, the sweep with them', () => {
    const o = parseBenchArgs(['--row-length', '10']);
    expect(o.rowLength).toBe(10);
    expect(o.sizes).toEqual([4090, 65530, 1048570, 16777210]);
    expect(o.sweep.size).toBe(65530);
    expect(parseBenchArgs([]).rowLength).toBe(1024);
  });

  it('runs the softmax family over rows of that length and records it', async () => {
    const sink = { write: () => true, isTTY: false } as unknown as NodeJS.WritableStream;
    try {
      const results = await runBenchmark(parseBenchArgs(['--fn', 'softmax', '--row-length', '10', '--size', '4090', '--quick', '--backend', 'wasm-simd', '--backend', 'threads']), sink);
      expect(results.method.rowLength).toBe(10);
      expect(results.cells.filter((c) => c.error)).toEqual([]);
      expect(results.cells.some((c) => c.fn === 'softmax' && c.impl === 'wasm-simd' && c.size === 4090)).toBe(true);
      // The threads rows too: at the run's size and below the threshold, a multiple of 10.
      expect(results.cells.some((c) => c.fn === 'softmax' && c.impl === 'threads-1' && c.size === 4090)).toBe(true);
      expect(results.threads?.below.softmax).toBe(65530);
      expect(results.cells.some((c) => c.fn === 'softmax' && c.impl === 'threads-1' && c.size === 65530)).toBe(true);
      expect(shapeOf(definitions.softmax, 4090)).toEqual([409, 10]);
    } finally {
      setRowLength(ROW_LENGTH);
    }
  }, 120_000);
});

describe('one short run', () => {
  it('times the tables forward and the sweep forward and backward, each cell once, every answer right', async () => {
    const sink = { write: () => true, isTTY: false } as unknown as NodeJS.WritableStream;
    const results = await runBenchmark(parseBenchArgs(['--fn', 'relu', '--fn', 'softmax', '--size', '4Ki', '--quick', '--backend', 'wasm-simd']), sink);
    expect(results.fns).toEqual(['relu', 'softmax']);
    expect(results.sweep).toEqual({ size: 4096, fns: ['relu', 'softmax'], impls: ['naive', 'wasm-simd'] });
    expect(results.method.backwardInput).toMatch(/dy uniform in \[-1, 1\]/);
    expect(results.cells.filter((c) => c.error)).toEqual([]);
    const at = (fn: string, impl: string, direction: string) =>
      results.cells.filter((c) => c.fn === fn && c.impl === impl && c.size === 4096 && c.unit === 'ns/element' && c.direction === direction);
    for (const fn of ['relu', 'softmax']) {
      for (const impl of ['naive', 'wasm-simd']) {
        expect(at(fn, impl, 'forward'), `${fn} ${impl}`).toHaveLength(1); // the table's cell, not timed again by the sweep
        expect(at(fn, impl, 'backward'), `${fn}Backward ${impl}`).toHaveLength(1);
        expect(at(fn, impl, 'backward')[0].boundUlp).toBe(impl === 'naive' ? Math.max(definitions[fn as 'relu'].backward.ulp, 1) : definitions[fn as 'relu'].backward.ulp);
      }
    }
    expect(results.cells.filter((c) => c.unit === 'ns/call').every((c) => c.direction === 'forward')).toBe(true);
    // Each group's cells were timed in the same rounds (the limits with relu's at 4Ki): aligned.
    const groups = new Map<string, number[]>();
    for (const c of results.cells) {
      const key = c.fn === 'limit' ? 'relu forward 4096 ns/element' : `${c.fn} ${c.direction} ${c.size} ${c.unit}`;
      groups.set(key, [...(groups.get(key) ?? []), c.rounds!.length]);
    }
    for (const [key, lengths] of groups) expect(new Set(lengths).size, key).toBe(1);
    expect(groups.get('relu forward 4096 ns/element')).toHaveLength(4); // naive, wasm-simd and the two limits
    expect(results.method.clock).toBe('cpu');
    expect(results.method.schedule).toMatch(/interleaved rounds/);
  }, 60_000);
});

describe('the threads rows', () => {
  it('time each count in the same rounds, below the threshold and above, every answer checked', async () => {
    const budget = { warmupMs: 2, batchMs: 2, batches: 3, maxCellMs: 20, minBatches: 3, clock: 'wall' as const };
    const labels: string[] = [];
    const cells = await timeThreadRows({ fns: ['sigmoid', 'softmax'], sizes: [262144], counts: [1, 2], budget }, (l) => labels.push(l));
    expect(belowThreshold('sigmoid')).toBe(65536);
    expect(cells.map((c) => `${c.fn} ${c.size} ${c.impl}`)).toEqual([
      'sigmoid 65536 threads-1', 'sigmoid 65536 threads-2', 'sigmoid 262144 threads-1', 'sigmoid 262144 threads-2',
      'softmax 65536 threads-1', 'softmax 65536 threads-2', 'softmax 262144 threads-1', 'softmax 262144 threads-2',
    ]);
    for (const c of cells) {
      expect(c.error).toBeUndefined();
      expect(c.maxUlp).toBeLessThanOrEqual(c.boundUlp!);
      expect(c.rounds).toHaveLength(c.samples!);
      expect(c.median).toBeGreaterThan(0);
    }
    expect(threadsId(2)).toBe('threads-2');
    expect(labels).toHaveLength(4);
  }, 60_000);

  it('give a function its required params (threshold\'s): timed, not reported wrong', async () => {
    const budget = { warmupMs: 2, batchMs: 2, batches: 3, maxCellMs: 20, minBatches: 3, clock: 'wall' as const };
    const cells = await timeThreadRows({ fns: ['threshold'], sizes: [65536], counts: [1, 2], budget, below: false });
    expect(cells.map((c) => c.impl)).toEqual(['threads-1', 'threads-2']);
    for (const c of cells) {
      expect(c.error).toBeUndefined();
      expect(c.maxUlp).toBeLessThanOrEqual(c.boundUlp!);
    }
  }, 60_000);

  it('time plain arrays beside the buffers when asked, and only the sizes given without below', async () => {
    const budget = { warmupMs: 2, batchMs: 2, batches: 3, maxCellMs: 20, minBatches: 3, clock: 'wall' as const };
    const cells = await timeThreadRows({ fns: ['sigmoid'], sizes: [262144], counts: [1, 2], budget, arrays: true, below: false });
    expect(cells.map((c) => c.impl)).toEqual(['threads-1', 'threads-1 arrays', 'threads-2', 'threads-2 arrays']);
    for (const c of cells) {
      expect(c.error).toBeUndefined();
      expect(c.size).toBe(262144);
      expect(c.maxUlp).toBeLessThanOrEqual(c.boundUlp!);
    }
  }, 60_000);
});
