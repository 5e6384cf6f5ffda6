// The accuracy tool's core, and CI's share of it: a stratified sample of 2^22 inputs per function
// and backend (every sign and exponent, both ends of each binade) through the same code that
// sweeps all 2^32 patterns, failing when a bound is broken.
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { renderAccuracySection, passes, type AccuracyReport } from '../bench/accuracy/report.js';
import { accumulate, emptyStats, fromBits, mergeStats, mismatches, Sweeper, sweepVariants } from '../bench/accuracy/sweep.js';
import { defineElementwise } from '../src/spec.js';
import type { Backend } from '../src/spec.js';
import { BACKENDS, elementwiseDefinitions } from './helpers/activations.js';

const PER_STRATUM = 2 ** 22 / 512;

describe.each(BACKENDS)('%s', (backend) => {
  it.each(elementwiseDefinitions)('$name keeps its bound on a stratified sample of 2^22 inputs', (definition) => {
    const stats = new Sweeper(definition, backend).sample(PER_STRATUM, 0xc1);
    expect(stats.count).toBe(2 ** 22);
    expect(mismatches(stats), `mismatching inputs (bits): ${stats.mismatchBits.map((b) => b.toString(16)).join(', ')}`).toBe(0);
    expect(stats.maxUlp, `max at x = ${fromBits(stats.maxAtBits)}`).toBeLessThanOrEqual(definition.ulp);
    expect(stats.histogram.reduce((a, b) => a + b, 0)).toBe(stats.count);
  });

  it.each(elementwiseDefinitions)('$nameBackward (dy = 1) keeps its bound on a stratified sample of 2^22 inputs', (definition) => {
    const stats = new Sweeper(definition, backend, 'backward').sample(PER_STRATUM, 0xc2);
    expect(stats.count).toBe(2 ** 22);
    expect(mismatches(stats), `mismatching inputs (bits): ${stats.mismatchBits.map((b) => b.toString(16)).join(', ')}`).toBe(0);
    expect(stats.maxUlp, `max at x = ${fromBits(stats.maxAtBits)}`).toBeLessThanOrEqual(definition.backward.ulp);
    expect(stats.histogram.reduce((a, b) => a + b, 0)).toBe(stats.count);
  });
});

// The other values of choice params (gelu's approximate = 'tanh'), which the tests above leave at
// their defaults: the same sample and bounds.
const choiceVariants = elementwiseDefinitions.flatMap((definition) =>
  sweepVariants(definition).slice(1).map((variant) => ({ label: `${definition.name}${variant.suffix}`, definition, params: variant.params })));

describe.each(BACKENDS)('%s, choice variants', (backend) => {
  it.each(choiceVariants)('$label and its backward keep their bounds on a stratified sample of 2^22 inputs', ({ definition, params }) => {
    for (const direction of ['forward', 'backward'] as const) {
      const stats = new Sweeper(definition, backend, direction, params).sample(PER_STRATUM, direction === 'forward' ? 0xc1 : 0xc2);
      expect(stats.count).toBe(2 ** 22);
      expect(mismatches(stats), `${direction}: mismatching inputs (bits): ${stats.mismatchBits.map((b) => b.toString(16)).join(', ')}`).toBe(0);
      const bound = direction === 'forward' ? definition.ulp : definition.backward.ulp;
      expect(stats.maxUlp, `${direction}: max at x = ${fromBits(stats.maxAtBits)}`).toBeLessThanOrEqual(bound);
    }
  });
});

// Where a function's measured maximum (docs/accuracy.json, all 2^32 inputs) is within 15% of its
// bound, a slightly worse kernel breaks the bound on a handful of inputs that neither sample
// above meets: an exp-core coefficient 256 ULP off left sigmoid within 2 ULP on all but 6 of the
// 8.4M floats of [-8, -4] (found by a mutation audit). So every float32 of the binade holding
// the documented worst input is swept too, on both wasm backends.
const tight = (() => {
  const report = JSON.parse(readFileSync(new URL('../docs/accuracy.json', import.meta.url), 'utf8')) as AccuracyReport;
  return Object.entries(report.results).flatMap(([key, backends]) => {
    const direction = key.includes('Backward') ? 'backward' as const : 'forward' as const;
    const name = key.replace(/Backward|\(.*\)$/g, '');
    const definition = elementwiseDefinitions.find((d) => d.name === name);
    const variant = definition && sweepVariants(definition).find((v) => key.endsWith(v.suffix) && (v.suffix !== '' || !key.endsWith(')')));
    return Object.entries(backends)
      .filter(([backend, entry]) => backend !== 'js' && entry.bound > 0 && entry.maxUlp >= 0.85 * entry.bound)
      .map(([backend, entry]) => ({ label: `${key} on ${backend}`, definition: definition!, variant: variant!, direction, backend: backend as Backend, entry }));
  });
})();

describe('the binade of the worst input, where the measured maximum is near the bound', () => {
  it('finds such functions (sigmoid and gelu among them)', () => {
    expect(tight.map((t) => t.label)).toEqual(expect.arrayContaining(['sigmoid on wasm-simd', 'gelu on wasm-simd']));
    for (const t of tight) expect(t.definition && t.variant, t.label).toBeTruthy();
  });
  it.each(tight)('$label: every float32 of the worst input\'s binade within the bound', ({ definition, variant, direction, backend, entry }) => {
    const binade = (entry.maxAtBits & 0xff800000) >>> 0;
    const stats = new Sweeper(definition, backend, direction, variant.params).range(binade, 2 ** 23);
    expect(mismatches(stats)).toBe(0);
    expect(stats.maxUlp, `max at x = ${fromBits(stats.maxAtBits)}`).toBeLessThanOrEqual(entry.bound);
    // The documented worst input is in it, so its maximum is the documented one.
    expect(stats.maxUlp).toBe(entry.maxUlp);
  }, 60_000);
});

describe('the sweep', () => {
  it('covers every pattern of a range exactly once', () => {
    const relu = elementwiseDefinitions.find((d) => d.name === 'relu')!;
    const stats = new Sweeper(relu, 'wasm-simd').range(0x7f7ffff0, 0x20); // FLT_MAX's neighbours, +Inf, NaNs
    expect(stats.count).toBe(0x20);
    expect(mismatches(stats)).toBe(0);
  });

  it('classifies NaN, infinity and sign mismatches, and keeps the worst error and its input', () => {
    // A deliberately wrong "activation": its float64 reference is x, and we feed it results.
    const identity = defineElementwise<{}>({
      name: 'identity', torch: '', formula: 'x', summary: '', params: {}, ulp: 0, ulpNote: '', plotDomain: [0, 1],
      reference: (x) => x, derivative: () => 1, js() {}, wasm: { export: 'identity', args: [] },
      backward: { ulp: 0, js() {}, wasm: 'identityBackward' },
    });
    const x = new Float32Array([1, NaN, 2, -3, 4, 5]);
    const y = new Float32Array([1, 0, NaN, 3, Infinity, Math.fround(5 + 2 ** -20)]);
    const stats = emptyStats();
    accumulate(identity, {}, x, y, stats);
    expect(stats.nanMismatch).toBe(2);
    expect(stats.signMismatch).toBe(1);
    expect(stats.infMismatch).toBe(1);
    expect(stats.maxUlp).toBe(2); // 2^-20 at 5 (ulp 2^-21)
    expect(fromBits(stats.maxAtBits)).toBe(5);
    expect(stats.histogram[0]).toBe(1); // the exact 1
    const merged = mergeStats(stats, stats);
    expect(merged.count).toBe(12);
    expect(merged.nanMismatch).toBe(4);
  });
});

describe('docs/accuracy.json and the README', () => {
  const path = new URL('../docs/accuracy.json', import.meta.url);
  const hasReport = existsSync(path);

  it.skipIf(!hasReport)('the committed report keeps every bound, and the README shows it', () => {
    const report = JSON.parse(readFileSync(path, 'utf8')) as AccuracyReport;
    for (const [fn, backends] of Object.entries(report.results)) {
      for (const [backend, entry] of Object.entries(backends)) expect(passes(entry), `${fn} on ${backend}`).toBe(true);
    }
    const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
    expect(renderAccuracySection(readme, report)).toBe(readme);
  });
});

describe('the accuracy command', () => {
  it('writes a report elsewhere (--out) without touching the README\'s table', async () => {
    const { mkdtempSync, rmSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    // From dist/: the command starts its workers from the compiled worker module beside it.
    const { accuracyCommand } = await import('../dist/bench/commands/accuracy.js');
    const readmePath = new URL('../README.md', import.meta.url);
    const before = readFileSync(readmePath, 'utf8');
    const dir = mkdtempSync(join(tmpdir(), 'accuracy-out-'));
    try {
      const out = join(dir, 'part.json');
      await accuracyCommand(['--fn', 'relu', '--backend', 'js', '--direction', 'forward', '--sample', '4096', '--workers', '1', '--out', out]);
      const report = JSON.parse(readFileSync(out, 'utf8')) as AccuracyReport;
      expect(Object.keys(report.results)).toEqual(['relu']);
      expect(report.results.relu.js.maxUlp).toBe(0);
      expect(readFileSync(readmePath, 'utf8')).toBe(before);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
