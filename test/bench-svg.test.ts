// The benchmark's SVG chart (bench/svg.ts), parsed back: a well-formed document with a sized
// root, one bar per measured cell, a label per function, a legend entry per implementation and
// increasing log-scale ticks.
import { describe, expect, it } from 'vitest';
import type { BenchResults, Cell } from '../bench/results.js';
import { chartFromResults, decadeTicks, escapeXml, logScale, renderSvg } from '../bench/svg.js';

/** A synthetic run: medians chosen per implementation, some cells wrong or outside the bound. */
function fixture(overrides: Partial<BenchResults> = {}): BenchResults {
  const fns = ['relu', 'sigmoid', 'softmax'];
  const sizes = [4096, 65536];
  const impls = [
    { id: 'naive', label: 'naive JS loop', kind: 'naive', note: 'n' },
    { id: 'wasm-simd', label: 'wasm-activations wasm-simd', kind: 'package', note: 'c' },
    { id: 'zero-copy', label: 'wasm-activations wasm-simd zero-copy', kind: 'zero-copy', note: 'z' },
    { id: 'tfjs-wasm', label: 'tfjs <wasm> & "simd"', kind: 'peer', note: 'p' },
  ] as const;
  const base: Record<string, number> = { naive: 10, 'wasm-simd': 1, 'zero-copy': 0.05, 'tfjs-wasm': 2 };
  const cells: Cell[] = [];
  for (const size of sizes) {
    for (const [f, fn] of fns.entries()) {
      for (const impl of impls) {
        const median = base[impl.id] * (1 + f / 10);
        if (impl.id === 'zero-copy' && fn === 'softmax' && size === 4096) {
          cells.push({ fn, size, impl: impl.id, unit: 'ns/element', maxUlp: 40, boundUlp: 8, error: 'max error 40 ULP' });
          continue;
        }
        cells.push({
          fn, size, impl: impl.id, unit: 'ns/element', median, q1: median * 0.9, q3: median * 1.1, maxUlp: 0.5,
          ...(impl.id === 'tfjs-wasm' && fn === 'sigmoid' ? { outOfBound: true, maxUlp: 3 } : {}),
        });
      }
    }
    cells.push({ fn: 'limit', size, impl: 'memory.copy', unit: 'ns/element', median: 0.03, q1: 0.029, q3: 0.031, maxUlp: 0 });
  }
  for (const fn of fns) cells.push({ fn, size: 16, impl: 'wasm-simd', unit: 'ns/call', median: 120, q1: 110, q3: 130, maxUlp: 0 });
  return {
    schema: 1,
    date: '2026-01-02T03:04:05.000Z',
    durationSeconds: 12,
    args: ['--peers'],
    environment: {
      cpu: 'Test CPU', cores: 2, memoryGiB: 8, platform: 'linux', arch: 'x64', osRelease: '6', node: 'v20.0.0', v8: '11', loadAverage: 0.1,
      versions: { 'wasm-activations': '0.1.0' },
    },
    method: { input: 'uniform', seed: 1, rowLength: 1024, warmupMs: 1, batchMs: 1, batches: 5, maxCellMs: 10, minBatches: 5, perCallN: 16 },
    fns,
    sizes,
    implementations: [...impls],
    limits: [{ id: 'memory.copy', label: 'memory.copy', kind: 'limit', note: 'copy' }],
    peerSettings: {},
    cells,
    ...overrides,
  };
}

interface Element {
  readonly name: string;
  readonly attrs: Record<string, string>;
  readonly children: Element[];
  text: string;
}

/**
 * A strict little XML parser for what renderSvg writes: elements, quoted attributes, text with
 * entities. Throws on a mismatched or unclosed tag, a bad attribute, a raw '<' or '&'.
 */
function parseXml(xml: string): Element {
  const root: Element = { name: '#document', attrs: {}, children: [], text: '' };
  const stack: Element[] = [root];
  const token = /<(\/?)([A-Za-z][\w:-]*)((?:\s+[\w:-]+="[^"<]*")*)\s*(\/?)>|([^<]+)/gy;
  let pos = 0;
  while (pos < xml.length) {
    token.lastIndex = pos;
    const m = token.exec(xml);
    if (!m) throw new Error(`not well-formed at ${pos}: ${xml.slice(pos, pos + 40)}`);
    pos = token.lastIndex;
    const top = stack[stack.length - 1];
    if (m[5] !== undefined) {
      if (/&(?!(amp|lt|gt|quot|apos);)/.test(m[5])) throw new Error(`raw & in text: ${m[5]}`);
      top.text += m[5];
      continue;
    }
    const [, closing, name, attrText, selfClosing] = m;
    if (closing) {
      if (top.name !== name) throw new Error(`</${name}> closes <${top.name}>`);
      stack.pop();
      continue;
    }
    const attrs: Record<string, string> = {};
    for (const a of attrText.matchAll(/([\w:-]+)="([^"]*)"/g)) {
      if (a[1] in attrs) throw new Error(`duplicate attribute ${a[1]} on <${name}>`);
      if (/&(?!(amp|lt|gt|quot|apos);)/.test(a[2])) throw new Error(`raw & in attribute ${a[1]}`);
      attrs[a[1]] = a[2];
    }
    const element: Element = { name, attrs, children: [], text: '' };
    top.children.push(element);
    if (!selfClosing) stack.push(element);
  }
  if (stack.length !== 1) throw new Error(`unclosed <${stack[stack.length - 1].name}>`);
  const elements = root.children;
  if (elements.length !== 1) throw new Error(`expected one root element, got ${elements.length}`);
  return elements[0];
}

function all(element: Element, predicate: (e: Element) => boolean): Element[] {
  const found: Element[] = [];
  const walk = (e: Element) => {
    if (predicate(e)) found.push(e);
    e.children.forEach(walk);
  };
  walk(element);
  return found;
}

const byClass = (root: Element, name: string, cls: string) => all(root, (e) => e.name === name && e.attrs.class === cls);

describe('bench/svg.ts', () => {
  const results = fixture();
  const svg = renderSvg(chartFromResults(results));
  const root = parseXml(svg.replace(/^<\?xml[^>]*>\s*/, ''));

  it('is a well-formed SVG document with width, height and a matching viewBox', () => {
    expect(root.name).toBe('svg');
    expect(root.attrs.xmlns).toBe('http://www.w3.org/2000/svg');
    const width = Number(root.attrs.width);
    const height = Number(root.attrs.height);
    expect(width).toBeGreaterThan(200);
    expect(height).toBeGreaterThan(100);
    expect(root.attrs.viewBox).toBe(`0 0 ${width} ${height}`);
  });

  it('draws one bar per measured cell, at its place, inside the document', () => {
    const measured = results.cells.filter((c) => c.unit === 'ns/element' && c.fn !== 'limit' && !c.error);
    const bars = byClass(root, 'rect', 'bar');
    expect(bars).toHaveLength(measured.length);
    const keys = new Set(bars.map((b) => `${b.attrs['data-fn']} ${b.attrs['data-size']} ${b.attrs['data-impl']}`));
    for (const c of measured) expect(keys.has(`${c.fn} ${c.size} ${c.impl}`)).toBe(true);
    for (const b of bars) {
      const x = Number(b.attrs.x);
      const w = Number(b.attrs.width);
      expect(w).toBeGreaterThan(0);
      expect(x + w).toBeLessThanOrEqual(Number(root.attrs.width));
      expect(Number(b.attrs.y) + Number(b.attrs.height)).toBeLessThanOrEqual(Number(root.attrs.height));
    }
  });

  it('makes a bar longer for a slower cell (log scale, same panel)', () => {
    const bars = byClass(root, 'rect', 'bar').filter((b) => b.attrs['data-size'] === '65536');
    const sorted = [...bars].sort((a, b) => Number(a.attrs['data-median']) - Number(b.attrs['data-median']));
    for (let i = 1; i < sorted.length; i++) {
      expect(Number(sorted[i].attrs.width)).toBeGreaterThanOrEqual(Number(sorted[i - 1].attrs.width));
    }
    const widthOf = (impl: string) => Number(bars.find((b) => b.attrs['data-fn'] === 'relu' && b.attrs['data-impl'] === impl)!.attrs.width);
    // naive is 10× wasm-simd, which is 20× zero-copy: equal ratios, nearly equal steps on a log axis.
    const decade = widthOf('naive') - widthOf('wasm-simd');
    expect(decade).toBeGreaterThan(10);
    expect((widthOf('wasm-simd') - widthOf('zero-copy')) / decade).toBeCloseTo(Math.log10(20), 1);
  });

  it('labels every function, every size and every implementation (legend)', () => {
    const fnLabels = byClass(root, 'text', 'fn-label').map((t) => t.text);
    expect(fnLabels).toEqual(results.fns);
    expect(byClass(root, 'text', 'panel-title').map((t) => t.text)).toEqual(['4Ki elements', '64Ki elements']);
    const legend = byClass(root, 'text', 'legend-label').map((t) => t.text);
    for (const impl of results.implementations) expect(legend).toContain(escapeXml(impl.label));
    expect(byClass(root, 'rect', 'legend-swatch')).toHaveLength(results.implementations.length);
    expect(all(root, (e) => e.name === 'title').length).toBeGreaterThan(0);
    expect(byClass(root, 'text', 'title')[0].text).toContain('log scale');
  });

  it('has log-scale ticks: powers of ten, increasing left to right in every panel', () => {
    for (const panel of byClass(root, 'g', 'panel')) {
      const ticks = byClass(panel, 'text', 'tick');
      expect(ticks.length).toBeGreaterThanOrEqual(3);
      const values = ticks.map((t) => Number(t.attrs['data-value']));
      const xs = ticks.map((t) => Number(t.attrs.x));
      for (let i = 1; i < ticks.length; i++) {
        expect(values[i] / values[i - 1]).toBeCloseTo(10, 9);
        expect(xs[i]).toBeGreaterThan(xs[i - 1]);
        expect(xs[i] - xs[i - 1]).toBeCloseTo(xs[1] - xs[0], 0); // equal spacing per decade
      }
      // The data range lies inside the ticks.
      expect(values[0]).toBeLessThanOrEqual(0.03);
      expect(values[values.length - 1]).toBeGreaterThanOrEqual(10 * 1.3);
    }
  });

  it('shows a wrong cell as text, not as a bar, and marks a peer outside the bound', () => {
    expect(byClass(root, 'text', 'wrong').map((t) => t.text)).toEqual(['wrong: zero-copy']);
    const marks = byClass(root, 'text', 'mark');
    expect(marks).toHaveLength(2); // tfjs-wasm sigmoid at both sizes
    expect(byClass(root, 'text', 'note')[0].text).toContain('outside our accuracy bound');
  });

  it('draws the memory.copy limit as one dashed line per panel', () => {
    expect(byClass(root, 'line', 'limit')).toHaveLength(results.sizes.length);
  });

  it('escapes labels (the peer label here holds < & ")', () => {
    expect(svg).toContain('tfjs &lt;wasm&gt; &amp; &quot;simd&quot;');
    expect(escapeXml(`a<b>&"c'`)).toBe('a&lt;b&gt;&amp;&quot;c&apos;');
  });

  it('stays well-formed with one size, one function and no limit', () => {
    const small = fixture({ sizes: [65536], fns: ['relu'] });
    const cells = small.cells.filter((c) => c.fn !== 'limit');
    const doc = parseXml(renderSvg(chartFromResults({ ...small, cells })));
    expect(byClass(doc, 'rect', 'bar')).toHaveLength(4);
    expect(byClass(doc, 'line', 'limit')).toHaveLength(0);
  });
});

describe('the test\'s XML checker', () => {
  it('rejects what is not well-formed', () => {
    expect(() => parseXml('<svg><g></svg>')).toThrow();
    expect(() => parseXml('<svg><text>a & b</text></svg>')).toThrow();
    expect(() => parseXml('<svg width=1></svg>')).toThrow();
    expect(() => parseXml('<svg><g>')).toThrow();
    expect(() => parseXml('<svg/><svg/>')).toThrow();
    expect(parseXml('<svg a="1"><t>x &amp; y</t><r/></svg>').children).toHaveLength(2);
  });
});

describe('log scale helpers', () => {
  it('decadeTicks covers the range with powers of ten', () => {
    expect(decadeTicks(0.047, 18)).toEqual([0.01, 0.1, 1, 10, 100]);
    expect(decadeTicks(1, 10)).toEqual([1, 10]);
    expect(decadeTicks(2, 3)).toEqual([1, 10]);
  });

  it('logScale maps decades to equal steps and clamps', () => {
    const x = logScale(0.01, 100, 0, 400);
    expect(x(0.01)).toBe(0);
    expect(x(1)).toBeCloseTo(200, 9);
    expect(x(100)).toBeCloseTo(400, 9);
    expect(x(1e-9)).toBe(0);
    expect(x(1e9)).toBeCloseTo(400, 9);
  });
});

describe('the sweep in the chart', () => {
  const base = fixture();
  const cells: Cell[] = [...base.cells];
  for (const fn of ['relu', 'sigmoid', 'softsign']) {
    for (const direction of ['forward', 'backward'] as const) {
      for (const [impl, median] of [['naive', 10], ['wasm-simd', 1]] as const) {
        if (direction === 'forward' && fn !== 'softsign') continue; // the table's cells
        cells.push({ fn, direction, size: 65536, impl, unit: 'ns/element', median, q1: median * 0.9, q3: median * 1.1, maxUlp: 0.5 });
      }
    }
  }
  const results = fixture({ sweep: { size: 65536, fns: ['relu', 'sigmoid', 'softsign'], impls: ['naive', 'wasm-simd'] }, cells });
  const root = parseXml(renderSvg(chartFromResults(results)));

  it('draws every function forward and backward below the chart, one bar per sweep cell, inside the document', () => {
    const bars = byClass(root, 'rect', 'sweep-bar');
    const expected = 3 * 2 * 2; // functions × directions × implementations
    expect(bars).toHaveLength(expected);
    const keys = new Set(bars.map((b) => `${b.attrs['data-fn']} ${b.attrs['data-direction']} ${b.attrs['data-impl']}`));
    expect(keys.size).toBe(expected);
    expect(keys.has('relu backward wasm-simd')).toBe(true);
    expect(keys.has('sigmoid forward naive')).toBe(true);
    const mainBottom = Math.max(...byClass(root, 'rect', 'bar').map((b) => Number(b.attrs.y) + Number(b.attrs.height)));
    for (const b of bars) {
      expect(Number(b.attrs.y)).toBeGreaterThan(mainBottom);
      expect(Number(b.attrs.y) + Number(b.attrs.height)).toBeLessThanOrEqual(Number(root.attrs.height));
      expect(Number(b.attrs.x) + Number(b.attrs.width)).toBeLessThanOrEqual(Number(root.attrs.width));
    }
    expect(byClass(root, 'text', 'sweep-fn-label').map((t) => t.text)).toEqual(['relu', 'sigmoid', 'softsign']);
    expect(byClass(root, 'g', 'sweep-panel').map((g) => g.attrs['data-direction'])).toEqual(['forward', 'backward']);
    // The main chart is unchanged: its bars are the forward cells at its sizes only.
    expect(byClass(root, 'rect', 'bar')).toHaveLength(byClass(parseXml(renderSvg(chartFromResults(base))), 'rect', 'bar').length);
  });

  it('is as wide as two panels even when the main chart has one size', () => {
    const one = parseXml(renderSvg(chartFromResults({ ...results, sizes: [65536] })));
    const panels = byClass(one, 'g', 'sweep-panel');
    expect(panels).toHaveLength(2);
    for (const b of byClass(one, 'rect', 'sweep-bar')) expect(Number(b.attrs.x) + Number(b.attrs.width)).toBeLessThanOrEqual(Number(one.attrs.width));
  });
});
