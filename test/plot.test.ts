// `wasm-activations plot` and bench/plot.ts: the curves are the kernels' outputs and match the
// float64 references; the SVGs have their axes, labels and one point per sample; the committed
// docs/plots/ and the README's gallery are those of the current registry and kernels.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { main } from '../bench/commands/index.js';
import { defaultParams, niceTicks, PLOT_POINTS, plotsSection, renderPlotsSection, renderPlotSvg, sampleActivation } from '../bench/plot.js';
import { createActivationsSync } from '../src/instance.js';
import { definitionList } from '../src/registry.js';
import { BACKENDS, channelwiseReference } from './helpers/activations.js';
import { maxUlp, describeWorst, ulpError } from './helpers/ulp.js';

const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');

describe('plot data', () => {
  for (const backend of BACKENDS) {
    const acts = createActivationsSync({ backend });
    for (const definition of definitionList) {
      it(`${definition.name} on ${backend}: the function and its derivative over the plot domain, as the references`, () => {
        const plot = sampleActivation(acts, definition);
        const [lo, hi] = definition.plotDomain;
        expect(plot.xs).toHaveLength(PLOT_POINTS);
        expect([plot.xs[0], plot.xs[PLOT_POINTS - 1]]).toEqual([lo, hi]);
        const [f, df] = plot.curves;
        const params = defaultParams(definition);
        if (definition.kind === 'elementwise') {
          const x = Float32Array.from(plot.xs);
          const exact = Array.from(x, (v) => definition.reference(v, params));
          const worst = maxUlp(Float32Array.from(f.ys), exact, x);
          expect(worst.ulp, describeWorst(worst)).toBeLessThanOrEqual(definition.ulp);
          const exactDerivative = Array.from(x, (v) => definition.derivative(v, params));
          const worstDerivative = maxUlp(Float32Array.from(df.ys), exactDerivative, x);
          expect(worstDerivative.ulp, describeWorst(worstDerivative)).toBeLessThanOrEqual(definition.backward.ulp);
        } else if (definition.kind === 'channelwise') {
          // One weight shared by all elements: the example (torch.nn.PReLU's 0.25).
          expect(params).toEqual({ weight: definition.exampleWeight });
          const x = Float32Array.from(plot.xs);
          const worst = maxUlp(Float32Array.from(f.ys), channelwiseReference(definition, x), x);
          expect(worst.ulp, describeWorst(worst)).toBeLessThanOrEqual(definition.ulp);
          const exactDerivative = Array.from(x, (v) => definition.derivative(v, definition.exampleWeight));
          const worstDerivative = maxUlp(Float32Array.from(df.ys), exactDerivative, x);
          expect(worstDerivative.ulp, describeWorst(worstDerivative)).toBeLessThanOrEqual(definition.backward.ulp);
          // Another weight (the demo's slider) changes both curves: at x = −4, −4w and w.
          const other = sampleActivation(acts, definition, { weight: -1.5 });
          expect(other.title).toBe(`${definition.name} (weight = -1.5)`);
          expect([other.curves[0].ys[0], other.curves[1].ys[0]]).toEqual([6, -1.5]);
        } else if (definition.kind === 'gated') {
          // glu([1, x]): a = 1, b = x, so y = σ(x) and ∂y/∂b = σ'(x), from the float64 references.
          expect(plot.title).toBe(definition.name);
          for (let i = 0; i < PLOT_POINTS; i++) {
            const b = plot.xs[i];
            expect(ulpError(f.ys[i], definition.reference(1, b)), `y at ${b}`).toBeLessThanOrEqual(definition.ulp);
            expect(ulpError(df.ys[i], definition.derivative.b(1, b)), `dy/db at ${b}`).toBeLessThanOrEqual(definition.backward.ulp);
          }
        } else {
          // f([x, 0])₀ and its backward pass with dy = [1, 0] from the float64 references (for
          // softmax: 1 / (1 + e^−x) and y₀(1 − y₀)); the kernels' y feeds the backward pass.
          for (let i = 0; i < PLOT_POINTS; i++) {
            const y = definition.reference([plot.xs[i], 0], params);
            expect(Math.abs(f.ys[i] - y[0])).toBeLessThan(1e-6 * Math.max(1, Math.abs(y[0])));
            const dx = definition.backward.reference([1, 0], y.map(Math.fround), params);
            expect(Math.abs(df.ys[i] - dx[0])).toBeLessThan(1e-6 * Math.max(1, Math.abs(dx[0])));
          }
          if (definition.name === 'softmax') {
            // The curve the tutorial shows: the logistic sigmoid and its slope.
            const y = 1 / (1 + Math.exp(-plot.xs[0]));
            expect(Math.abs(f.ys[0] - y)).toBeLessThan(1e-6);
          }
        }
      });
    }
  }
});

describe('plot SVG', () => {
  const acts = createActivationsSync({ backend: 'wasm-simd' });
  const sigmoid = definitionList.find((d) => d.name === 'sigmoid')!;
  const svg = renderPlotSvg(sampleActivation(acts, sigmoid));

  it('has a title, the formula, a legend, ticks, both axes, the x label and one point per sample per curve', () => {
    expect(svg).toMatch(/^<svg xmlns="http:\/\/www.w3.org\/2000\/svg"/);
    expect(svg).toContain('<title id="plot-sigmoid-title">sigmoid: 1 / (1 + e^−x)</title>');
    expect(svg).toContain('>sigmoid(x)</text>');
    expect(svg).toContain('>derivative (backward, dy = 1)</text>');
    expect(svg).toContain('class="axis y-axis"');
    expect(svg).toContain('class="axis x-axis"');
    expect(svg).toContain('class="axis-label"');
    expect([...svg.matchAll(/class="tick x-tick"[^>]*>(-?[\d.]+)</g)].map((m) => m[1])).toEqual(['-5', '0', '5']);
    const curves = [...svg.matchAll(/<polyline class="curve"[^>]* points="([^"]+)"/g)].map((m) => m[1].split(' '));
    expect(curves.map((c) => c.length)).toEqual([PLOT_POINTS, PLOT_POINTS]);
  });

  it('draws sigmoid(0) = 0.5 halfway between its y ticks 0 and 1, and its derivative peak 0.25 at a quarter', () => {
    const tickY = (value: string) => Number(svg.match(new RegExp(`class="tick y-tick" x="[\\d.]+" y="([\\d.]+)"[^>]*>${value}<`))![1]) - 4;
    const [f, df] = [...svg.matchAll(/<polyline class="curve"[^>]* points="([^"]+)"/g)].map((m) => m[1].split(' '));
    const middle = (PLOT_POINTS - 1) / 2;
    const y0 = tickY('0');
    const y1 = tickY('1');
    expect(Number(f[middle].split(',')[1])).toBeCloseTo((y0 + y1) / 2, 0);
    expect(Number(df[middle].split(',')[1])).toBeCloseTo(y0 + (y1 - y0) / 4, 0);
  });

  it('nice ticks are 1, 2 or 5 × 10^k apart and cover the range', () => {
    expect(niceTicks(-4, 4, 8)).toEqual([-4, -2, 0, 2, 4]);
    expect(niceTicks(-0.06, 1.06, 5)).toEqual([0, 0.5, 1]);
    expect(niceTicks(-1.3, 4.3, 5)).toEqual([0, 2, 4]);
    expect(niceTicks(-4, 8, 8)).toEqual([-4, -2, 0, 2, 4, 6, 8]);
  });
});

describe('committed plots', () => {
  it('docs/plots/ holds the current SVG of every registry function (run `npm run build && npm run plot`)', () => {
    const acts = createActivationsSync({ backend: 'wasm-simd' });
    for (const definition of definitionList) {
      const committed = readFileSync(new URL(`../docs/plots/${definition.name}.svg`, import.meta.url), 'utf8');
      expect(committed, definition.name).toBe(renderPlotSvg(sampleActivation(acts, definition)));
    }
  });

  it("the README's gallery shows every plot (run `npm run build && npm run plot`)", () => {
    const names = definitionList.map((d) => d.name);
    expect(renderPlotsSection(readme, names)).toBe(readme);
    for (const name of names) expect(plotsSection(names)).toContain(`<img src="docs/plots/${name}.svg"`);
  });
});

describe('plot command', () => {
  it('writes one SVG per --fn into --out, and nothing else', async () => {
    const out = mkdtempSync(join(tmpdir(), 'wasm-activations-plot-'));
    const log = vi.spyOn(console, 'log').mockImplementation(() => {});
    try {
      expect(await main(['plot', '--fn', 'tanh', '--fn', 'softmax', '--out', out, '--backend', 'js'])).toBe(0);
      expect(readdirSync(out).sort()).toEqual(['softmax.svg', 'tanh.svg']);
      expect(readFileSync(join(out, 'tanh.svg'), 'utf8')).toContain('<title id="plot-tanh-title">');
    } finally {
      log.mockRestore();
      rmSync(out, { recursive: true, force: true });
    }
  });

  it('rejects an unknown function or backend with exit code 2', async () => {
    const error = vi.spyOn(console, 'error').mockImplementation(() => {});
    try {
      expect(await main(['plot', '--fn', 'nope'])).toBe(2);
      expect(await main(['plot', '--backend', 'gpu'])).toBe(2);
      expect(error.mock.calls.map((c) => String(c[0])).join('\n')).toMatch(/unknown function 'nope'[\s\S]*unknown backend 'gpu'/);
    } finally {
      error.mockRestore();
    }
  });
});
