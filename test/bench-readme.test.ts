// The committed benchmark run (docs/bench/results.json) and what is generated from it: the
// README's "Benchmark results" section and docs/bench/results.svg. After a new run, `npm run
// bench:readme` regenerates both.
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { BENCH_END, BENCH_START, renderBenchReadme, RESULTS_JSON, RESULTS_SVG } from '../bench/readme.js';
import type { BenchResults } from '../bench/results.js';
import { chartFromResults, renderSvg } from '../bench/svg.js';
import { FEATURED } from '../bench/commands/bench.js';
import { definitionList } from '../src/registry.js';

const root = new URL('../', import.meta.url);
const readme = readFileSync(new URL('README.md', root), 'utf8');
const hasRun = existsSync(new URL(RESULTS_JSON, root));
/**
 * Whether the committed run has the sweep (every function forward and backward at 64Ki). A run
 * from before it timed every function at every size, forward only; the next committed run
 * replaces it, and the first check below then holds.
 */
const hasSweep = hasRun && (JSON.parse(readFileSync(new URL(RESULTS_JSON, root), 'utf8')) as BenchResults).sweep !== undefined;

describe('README benchmark results', () => {
  it('has the generated block under ## Benchmark', () => {
    const heading = readme.indexOf('## Benchmark');
    const start = readme.indexOf(BENCH_START);
    expect(heading).toBeGreaterThanOrEqual(0);
    expect(start).toBeGreaterThan(heading);
    expect(readme.indexOf(BENCH_END)).toBeGreaterThan(start);
    expect(readme.indexOf('\n## ', heading + 1)).toBeGreaterThan(readme.indexOf(BENCH_END));
  });

  it.skipIf(!hasRun)('matches the committed run (run `npm run bench:readme` after a new one)', () => {
    const results = JSON.parse(readFileSync(new URL(RESULTS_JSON, root), 'utf8')) as BenchResults;
    expect(renderBenchReadme(readme, results)).toBe(readme);
    expect(readFileSync(new URL(RESULTS_SVG, root), 'utf8')).toBe(renderSvg(chartFromResults(results)));
  });

  it.skipIf(!hasSweep)('the committed run is complete: the five at 4Ki to 16Mi on every row and peer, every function forward and backward at 64Ki, no wrong answer', () => {
    const results = JSON.parse(readFileSync(new URL(RESULTS_JSON, root), 'utf8')) as BenchResults;
    expect(results.schema).toBe(1);
    expect(results.fns).toEqual(FEATURED);
    expect(results.sizes).toEqual([4096, 65536, 1048576, 16777216]);
    const ids = results.implementations.map((i) => i.id);
    expect(ids).toEqual(['naive', 'js', 'wasm-scalar', 'wasm-simd', 'new-out', 'zero-copy', 'tfjs-wasm', 'ort-web', 'ort-node']);
    const has = (fn: string, size: number, impl: string, direction: string) =>
      results.cells.some((c) => c.fn === fn && c.size === size && c.impl === impl && c.unit === 'ns/element' && (c.direction ?? 'forward') === direction);
    for (const fn of results.fns) {
      for (const size of results.sizes) for (const impl of ids) expect(has(fn, size, impl, 'forward'), `${fn} ${size} ${impl}`).toBe(true);
    }
    expect(results.sweep!.size).toBe(65536);
    expect(results.sweep!.fns).toEqual(definitionList.map((d) => d.name));
    expect(results.sweep!.impls).toEqual(['naive', 'js', 'wasm-simd', 'new-out', 'tfjs-wasm', 'ort-web', 'ort-node']);
    for (const fn of results.sweep!.fns) {
      for (const direction of ['forward', 'backward']) {
        for (const impl of ['naive', 'js', 'wasm-simd', 'new-out']) expect(has(fn, 65536, impl, direction), `${fn} ${direction} ${impl}`).toBe(true);
      }
    }
    // None of ours is wrong. A peer's wrong answer is a finding about the peer, reported in its
    // cell (onnxruntime's Gelu loses relative accuracy in the negative tail: 1.7e7 ULP at x = −5.6).
    const peers = ['tfjs-wasm', 'ort-web', 'ort-node'];
    expect(results.cells.filter((c) => c.error && !peers.includes(c.impl))).toEqual([]);
    for (const cell of results.cells.filter((c) => c.error)) expect(cell.error, `${cell.fn} ${cell.impl}`).toMatch(/^max error .* ULP at x = /);
    expect(results.environment.versions).toMatchObject({
      '@tensorflow/tfjs-core': '4.22.0', '@tensorflow/tfjs-backend-wasm': '4.22.0', 'onnxruntime-web': '1.30.0', 'onnxruntime-node': '1.30.0',
    });
  });

  it.skipIf(!hasRun || hasSweep)('the committed run from before the sweep is complete: every function, 4Ki to 16Mi, every row and peer, no wrong answer', () => {
    const results = JSON.parse(readFileSync(new URL(RESULTS_JSON, root), 'utf8')) as BenchResults;
    expect(results.schema).toBe(1);
    expect(results.fns).toEqual(definitionList.map((d) => d.name));
    expect(results.sizes).toEqual([4096, 65536, 1048576, 16777216]);
    const ids = results.implementations.map((i) => i.id);
    expect(ids).toEqual(['naive', 'js', 'wasm-scalar', 'wasm-simd', 'zero-copy', 'tfjs-wasm', 'ort-web', 'ort-node']);
    // Every function has every row of ours; the peers have the functions the issue compares
    // them on (the later PyTorch activations are timed against a peer where its adapter has them).
    const ours = ['naive', 'js', 'wasm-scalar', 'wasm-simd', 'zero-copy'];
    const peerFns = ['relu', 'leakyRelu', 'sigmoid', 'tanh', 'softmax'];
    for (const fn of results.fns) {
      for (const size of results.sizes) {
        for (const impl of ids) {
          if (!ours.includes(impl) && !peerFns.includes(fn)) continue;
          expect(results.cells.some((c) => c.fn === fn && c.size === size && c.impl === impl), `${fn} ${size} ${impl}`).toBe(true);
        }
      }
    }
    expect(results.cells.filter((c) => c.error)).toEqual([]);
    expect(results.environment.versions).toMatchObject({
      '@tensorflow/tfjs-core': '4.22.0', '@tensorflow/tfjs-backend-wasm': '4.22.0', 'onnxruntime-web': '1.30.0', 'onnxruntime-node': '1.30.0',
    });
  });
});
