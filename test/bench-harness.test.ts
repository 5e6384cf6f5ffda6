// The benchmark's statistics and timing loop (bench/harness.ts): quantiles, the batch plan, the
// shape of what measure() returns, and the round scheduler (measureRounds) on fake contenders
// over a fake clock. No assertion here depends on how fast anything runs.
import { describe, expect, it } from 'vitest';
import { measure, measureAsync, measureRounds, MIN_WARMUP_CALLS, plan, quantile, roundOrder, summarize, type Budget, type Contender } from '../bench/harness.js';
import { pairedRatio } from '../bench/results.js';
import type { Cell } from '../bench/results.js';

const TINY: Budget = { warmupMs: 1, batchMs: 0.5, batches: 7, maxCellMs: 20, minBatches: 5 };

describe('quantile and summarize', () => {
  it('interpolates between ranks (type 7)', () => {
    const sorted = [1, 2, 3, 4];
    expect(quantile(sorted, 0)).toBe(1);
    expect(quantile(sorted, 1)).toBe(4);
    expect(quantile(sorted, 0.5)).toBe(2.5);
    expect(quantile(sorted, 0.25)).toBe(1.75);
    expect(quantile(sorted, 0.75)).toBe(3.25);
    expect(quantile([7], 0.25)).toBe(7);
    expect(quantile([], 0.5)).toBeNaN();
  });

  it('takes the median of an odd count as its middle value', () => {
    expect(quantile([1, 5, 100], 0.5)).toBe(5);
  });

  it('summarizes unsorted values without changing them', () => {
    const values = [9, 1, 5, 3, 7];
    expect(summarize(values)).toEqual({ median: 5, q1: 3, q3: 7 });
    expect(values).toEqual([9, 1, 5, 3, 7]);
  });

  it('is robust to one outlier (the reason for the median)', () => {
    expect(summarize([10, 10, 11, 10, 10, 1e6, 10]).median).toBe(10);
  });
});

describe('plan', () => {
  const budget: Budget = { warmupMs: 50, batchMs: 30, batches: 11, maxCellMs: 600, minBatches: 5 };

  it('fills a batch to its target duration', () => {
    expect(plan(0.01, budget)).toEqual({ callsPerBatch: 3000, batches: 11 });
  });

  it('times one call per batch, and fewer batches, when a call is slower than a batch', () => {
    expect(plan(100, budget)).toEqual({ callsPerBatch: 1, batches: 6 });
    expect(plan(400, budget)).toEqual({ callsPerBatch: 1, batches: 5 }); // never below minBatches
  });
});

describe('measure', () => {
  it('calls the function in batches and reports ns per element with ordered quartiles', () => {
    let calls = 0;
    let sink = 0;
    const t = measure(() => {
      calls++;
      for (let i = 0; i < 100; i++) sink += Math.sqrt(i);
    }, 100, TINY);
    expect(sink).toBeGreaterThan(0);
    expect(t.samples).toBeGreaterThanOrEqual(TINY.minBatches);
    expect(t.samples).toBeLessThanOrEqual(TINY.batches);
    expect(t.callsPerBatch).toBeGreaterThanOrEqual(1);
    expect(calls).toBeGreaterThanOrEqual(t.samples * t.callsPerBatch + 1); // + the warm-up
    expect(t.q1).toBeLessThanOrEqual(t.median);
    expect(t.median).toBeLessThanOrEqual(t.q3);
    expect(t.median).toBeGreaterThan(0);
  });

  it('awaits each call of an async function before the next', async () => {
    let running = 0;
    let overlapped = false;
    const t = await measureAsync(async () => {
      running++;
      if (running > 1) overlapped = true;
      await Promise.resolve();
      running--;
    }, 1, TINY);
    expect(overlapped).toBe(false);
    expect(t.samples).toBeGreaterThanOrEqual(TINY.minBatches);
    expect(t.q1).toBeLessThanOrEqual(t.q3);
  });
});

describe('measureRounds (a fake clock: each call of a contender advances it by that contender\'s cost)', () => {
  // Warm-up 10 ms, batches of 8 ms, 5 of them; a contender slower than 1000 ms / 3 batches gets 3.
  const BUDGET: Budget = { warmupMs: 10, batchMs: 8, batches: 5, maxCellMs: 1000, minBatches: 3 };

  /** Contenders of the given costs (ms per call) over one fake clock; `calls` counts each one's calls. */
  function fakes(costs: readonly number[]) {
    const clock = { t: 0 };
    const calls = costs.map(() => 0);
    const contenders: Contender[] = costs.map((cost, i) => ({
      elements: 10,
      run: () => {
        clock.t += cost;
        calls[i]++;
      },
    }));
    return { clock, calls, contenders, now: () => clock.t };
  }

  it('rotates the starting contender each round', () => {
    expect(roundOrder(0, 3)).toEqual([0, 1, 2]);
    expect(roundOrder(1, 3)).toEqual([1, 2, 0]);
    expect(roundOrder(2, 3)).toEqual([2, 0, 1]);
    expect(roundOrder(3, 3)).toEqual([0, 1, 2]);
    expect(roundOrder(4, 1)).toEqual([0]);
  });

  it('times one batch of each contender per round, in rotated order, R batches each at its own calls per batch', async () => {
    const { calls, contenders, now } = fakes([1, 2, 4]);
    const order: [number, number][] = [];
    const results = await measureRounds(contenders, BUDGET, { now, onBatch: (round, index) => order.push([round, index]) });
    expect(order).toEqual([
      [0, 0], [0, 1], [0, 2],
      [1, 1], [1, 2], [1, 0],
      [2, 2], [2, 0], [2, 1],
      [3, 0], [3, 1], [3, 2],
      [4, 1], [4, 2], [4, 0],
    ]);
    // 8 ms batches: 8, 4 and 2 calls; 1 ms per call over 10 elements is 1e5 ns per element.
    expect(results.map((r) => r.timing!.callsPerBatch)).toEqual([8, 4, 2]);
    expect(results.map((r) => r.timing!.samples)).toEqual([5, 5, 5]);
    expect(results.map((r) => r.timing!.rounds)).toEqual([[1e5, 1e5, 1e5, 1e5, 1e5], Array(5).fill(2e5), Array(5).fill(4e5)]);
    expect(results.map((r) => r.timing!.median)).toEqual([1e5, 2e5, 4e5]);
    // Warm-up (10 ms: 10, 5 and 3 calls, at least MIN_WARMUP_CALLS = 4) plus 5 batches.
    expect(calls).toEqual([10 + 40, 5 + 20, 4 + 10]);
  });

  it('warms a contender up for MIN_WARMUP_CALLS calls when one call outlasts the warm-up time', async () => {
    const { calls, contenders, now } = fakes([500]);
    await measureRounds(contenders, BUDGET, { now });
    expect(MIN_WARMUP_CALLS).toBe(4);
    expect(calls).toEqual([MIN_WARMUP_CALLS + 3]); // then 3 batches of one call (maxCellMs 1000)
  });

  it('lets the slowest contender set the number of rounds, the same for all', async () => {
    const { contenders, now } = fakes([1, 300]);
    const results = await measureRounds(contenders, BUDGET, { now });
    expect(results.map((r) => r.timing!.samples)).toEqual([3, 3]);
    expect(results[1].timing!.callsPerBatch).toBe(1);
  });

  it('records each batch in its round, so that load during one round shows in every contender and cancels in their ratio', async () => {
    const { clock, contenders, now } = fakes([1, 2]);
    const loaded = contenders.map((c) => ({ ...c, run: () => { c.run!(); if (load) clock.t += loadCost.get(c)!; } }));
    const loadCost = new Map(contenders.map((c, i) => [c, [1, 2][i]])); // under load every call takes twice as long
    let load = false;
    const results = await measureRounds(loaded, BUDGET, { now, onBatch: (round) => { load = round === 2; } });
    expect(results[0].timing!.rounds).toEqual([1e5, 1e5, 2e5, 1e5, 1e5]);
    expect(results[1].timing!.rounds).toEqual([2e5, 2e5, 4e5, 2e5, 2e5]);
    const cell = (rounds: readonly number[]): Cell => ({ fn: 'f', size: 10, impl: 'x', unit: 'ns/element', maxUlp: 0, median: 1, rounds });
    expect(pairedRatio(cell(results[1].timing!.rounds), cell(results[0].timing!.rounds))).toBe(2);
  });

  it('awaits every call of an async contender, in the same rounds as the sync ones', async () => {
    const clock = { t: 0 };
    let running = false;
    let overlapped = false;
    const log: string[] = [];
    const contenders: Contender[] = [
      { elements: 1, run: () => { if (running) overlapped = true; clock.t += 1; log.push('sync'); } },
      {
        elements: 1,
        runAsync: async () => {
          if (running) overlapped = true;
          running = true;
          await new Promise((resolve) => setTimeout(resolve, 0));
          clock.t += 2;
          running = false;
          log.push('async');
        },
      },
    ];
    const order: number[] = [];
    const results = await measureRounds(contenders, BUDGET, { now: () => clock.t, onBatch: (_, index) => order.push(index) });
    expect(overlapped).toBe(false);
    expect(order).toEqual([0, 1, 1, 0, 0, 1, 1, 0, 0, 1]);
    expect(results.map((r) => r.timing!.callsPerBatch)).toEqual([8, 4]);
    expect(results[1].timing!.rounds).toEqual(Array(5).fill(2e6));
    expect(log.filter((e) => e === 'async')).toHaveLength(5 + 20); // warm-up 10 ms of 2 ms calls, then 5 batches of 4
  });

  it('reports a contender that throws as an error and goes on with the others', async () => {
    const { contenders, now } = fakes([1, 1, 1]);
    let calls = 0;
    const failing: Contender = {
      elements: 10,
      run: () => {
        if (++calls > 10 + 2 * 8) throw new Error('out of memory'); // in its third batch
        contenders[0].run!();
      },
    };
    const broken: Contender = { elements: 10, run: () => { throw new Error('no such op'); } };
    const order: [number, number][] = [];
    const results = await measureRounds([contenders[1], failing, broken, contenders[2]], BUDGET, { now, onBatch: (round, index) => order.push([round, index]) });
    expect((results[1].error as Error).message).toBe('out of memory');
    expect((results[2].error as Error).message).toBe('no such op');
    expect(results[1].timing).toBeUndefined();
    expect(results[0].timing!.samples).toBe(5);
    expect(results[3].timing!.samples).toBe(5);
    // The one that failed in warm-up is never scheduled; the other is dropped after its third batch.
    expect(order.filter(([, index]) => index === 2)).toEqual([]);
    expect(order.filter(([, index]) => index === 1).map(([round]) => round)).toEqual([0, 1, 2]);
    expect(order.filter(([round]) => round === 3).map(([, index]) => index)).toEqual([3, 0]);
  });

  it('times nothing when every contender fails', async () => {
    const results = await measureRounds([{ elements: 1, run: () => { throw new Error('x'); } }], BUDGET, { now: () => 0 });
    expect(results).toHaveLength(1);
    expect(results[0].error).toBeInstanceOf(Error);
  });
});

describe('pairedRatio: the median of the per-round ratio', () => {
  const cell = (median: number, rounds?: number[], extra: Partial<Cell> = {}): Cell =>
    ({ fn: 'sigmoid', size: 65536, impl: 'x', unit: 'ns/element', maxUlp: 0, median, q1: median, q3: median, ...(rounds ? { rounds } : {}), ...extra });

  it('pairs the batches of each round: load that starts mid-run cancels, where the quotient of the medians halves', () => {
    // Rounds 3 to 5 ran under load that doubled both times; round 3's "ours" batch was hit, its "theirs" not.
    const theirs = cell(10, [10, 10, 10, 20, 20]);
    const ours = cell(2, [1, 1, 2, 2, 2]);
    expect(pairedRatio(theirs, ours)).toBe(10); // ratios 10, 10, 5, 10, 10
    expect(theirs.median! / ours.median!).toBe(5);
  });

  it('sets aside a round where a burst hit one side only', () => {
    expect(pairedRatio(cell(10, [10, 10, 50, 10, 10]), cell(1, [1, 1, 1, 1, 1]))).toBe(10);
    expect(pairedRatio(cell(10, [10, 10, 10, 10]), cell(1, [1, 2, 1, 4]))).toBe(7.5); // ratios 10, 5, 10, 2.5: mean of the middle two
  });

  it('falls back to the quotient of the medians for cells without aligned rounds (runs before them)', () => {
    expect(pairedRatio(cell(9), cell(3))).toBe(3);
    expect(pairedRatio(cell(9, [9, 9, 9]), cell(3))).toBe(3);
    expect(pairedRatio(cell(9, [9, 9, 9]), cell(3, [1, 1]))).toBe(3);
  });

  it('is undefined for a missing, wrong or untimed cell', () => {
    expect(pairedRatio(undefined, cell(1))).toBeUndefined();
    expect(pairedRatio(cell(1), { ...cell(1), median: undefined })).toBeUndefined();
    expect(pairedRatio(cell(1, [1]), cell(1, [1], { error: 'max error 9 ULP' }))).toBeUndefined();
  });
});
