// The benchmark's statistics and timing loop (bench/harness.ts): quantiles, the batch plan, and
// the shape of what measure() returns. No assertion here depends on how fast anything runs.
import { describe, expect, it } from 'vitest';
import { measure, measureAsync, plan, quantile, summarize, type Budget } from '../bench/harness.js';

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
