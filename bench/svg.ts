// The benchmark as an SVG bar chart: one panel per size side by side, a group of horizontal bars
// per function (one bar per implementation, ns per element on a shared log-scale x axis, the
// interquartile range as a whisker), the memory.copy limit as a dashed line, a legend and a
// title. Plain string building, no dependencies; every number is rounded to 0.1 px.
import { formatNumber, formatSize } from './report.js';
import { findCell, fnLabel, type BenchResults, type Direction } from './results.js';

/** One implementation drawn as a bar per function. */
export interface Series {
  readonly id: string;
  readonly label: string;
  readonly color: string;
}

/** A measured value of the chart (ns/element). */
export interface Bar {
  readonly fn: string;
  readonly size: number;
  readonly series: string;
  readonly median?: number;
  readonly q1?: number;
  readonly q3?: number;
  /** A peer outside our accuracy bound: drawn hatched-light and marked '*'. */
  readonly outOfBound?: boolean;
  /** A wrong answer: no bar, the word 'wrong'. */
  readonly wrong?: boolean;
}

/** Everything the chart shows. */
export interface BarChart {
  readonly title: string;
  readonly subtitle: string;
  readonly fns: readonly string[];
  readonly sizes: readonly number[];
  readonly series: readonly Series[];
  readonly bars: readonly Bar[];
  /** A vertical reference line per size (the memory.copy limit), ns/element. */
  readonly limit?: { readonly label: string; readonly values: ReadonlyMap<number, number> };
  /** The sweep, drawn below: every function at one size, a panel for forward and one for backward. */
  readonly sweep?: SweepChart;
}

/** The sweep's part of the chart. */
export interface SweepChart {
  readonly size: number;
  readonly fns: readonly string[];
  /** A subset of the chart's series (same colours). */
  readonly series: readonly Series[];
  readonly bars: readonly (Bar & { readonly direction: Direction })[];
}

/** Colours by implementation id; others take the fallback palette in order. */
const COLORS: Record<string, string> = {
  naive: '#9e9e9e',
  js: '#c7b8a1',
  'wasm-scalar': '#8fb8de',
  'wasm-simd': '#1f77b4',
  'zero-copy': '#0b3d6e',
  'tfjs-wasm': '#ff7f0e',
  'ort-web': '#d62728',
  'ort-node': '#9467bd',
};
const PALETTE = ['#2ca02c', '#8c564b', '#e377c2', '#17becf', '#bcbd22'];

/** Escapes text for XML content and attribute values. */
export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c]!);
}

/** Powers of ten from the one at or below `min` to the one at or above `max` (both > 0). */
export function decadeTicks(min: number, max: number): number[] {
  const lo = Math.floor(Math.log10(min) + 1e-9);
  const hi = Math.max(lo + 1, Math.ceil(Math.log10(max) - 1e-9));
  const ticks: number[] = [];
  for (let e = lo; e <= hi; e++) ticks.push(Number(`1e${e}`));
  return ticks;
}

/** A log-scale map from [lo, hi] (values) to [x0, x1] (pixels). */
export function logScale(lo: number, hi: number, x0: number, x1: number): (value: number) => number {
  const a = Math.log10(lo);
  const span = Math.log10(hi) - a;
  return (value) => x0 + ((Math.log10(Math.min(Math.max(value, lo), hi)) - a) / span) * (x1 - x0);
}

/** The chart of a benchmark run: every timed ns/element cell of the package's rows and the peers. */
export function chartFromResults(results: BenchResults): BarChart {
  let spare = 0;
  const series = results.implementations
    .filter((i) => results.cells.some((c) => c.impl === i.id && c.unit === 'ns/element'))
    .map((i) => ({ id: i.id, label: i.label, color: COLORS[i.id] ?? PALETTE[spare++ % PALETTE.length] }));
  const bars: Bar[] = [];
  for (const size of results.sizes) {
    for (const fn of results.fns) {
      for (const s of series) {
        const cell = findCell(results.cells, fn, size, s.id);
        if (!cell) continue;
        bars.push({ fn, size, series: s.id, median: cell.median, q1: cell.q1, q3: cell.q3, outOfBound: cell.outOfBound, wrong: !!cell.error });
      }
    }
  }
  let sweep: SweepChart | undefined;
  if (results.sweep) {
    const { size, fns, impls } = results.sweep;
    const sweepSeries = series.filter((s) => impls.includes(s.id));
    const sweepBars: (Bar & { direction: Direction })[] = [];
    for (const fn of fns) {
      for (const direction of ['forward', 'backward'] as const) {
        for (const s of sweepSeries) {
          const cell = findCell(results.cells, fn, size, s.id, 'ns/element', direction);
          if (!cell) continue;
          sweepBars.push({ fn, size, direction, series: s.id, median: cell.median, q1: cell.q1, q3: cell.q3, outOfBound: cell.outOfBound, wrong: !!cell.error });
        }
      }
    }
    sweep = { size, fns, series: sweepSeries, bars: sweepBars };
  }
  const limitValues = new Map<number, number>();
  for (const size of results.sizes) {
    const cell = findCell(results.cells, 'limit', size, 'memory.copy');
    if (cell?.median !== undefined) limitValues.set(size, cell.median);
  }
  const e = results.environment;
  return {
    title: 'wasm-activations benchmark: ns per element (log scale; shorter is faster)',
    subtitle: `${e.cpu}, ${e.cores} cores, Node ${e.node}, one thread per implementation, ${results.date.slice(0, 10)}`,
    fns: results.fns,
    sizes: results.sizes,
    series,
    bars,
    limit: limitValues.size ? { label: 'memory.copy of the same bytes (the limit)', values: limitValues } : undefined,
    ...(sweep ? { sweep } : {}),
  };
}

const FONT = 'font-family="system-ui, -apple-system, Segoe UI, Helvetica, Arial, sans-serif"';
const BAR_H = 7;
const BAR_GAP = 1;
const GROUP_GAP = 12;
const LABEL_W = 86;
const PANEL_W = 250;
const PANEL_GAP = 36;
const MARGIN = 16;

const r = (v: number) => Math.round(v * 10) / 10;

/** The width of `text` at 11 px in a sans-serif font, estimated (no font metrics here): 6.2 px per character. */
function textWidth(text: string): number {
  return Math.ceil([...text].length * 6.2);
}

/** The chart as a standalone SVG document. */
export function renderSvg(chart: BarChart): string {
  const timed = [...chart.bars, ...(chart.sweep?.bars ?? [])].filter((b) => !b.wrong && b.median !== undefined && b.median > 0);
  const values = [...timed.flatMap((b) => [b.median!, b.q1 ?? b.median!, b.q3 ?? b.median!]), ...(chart.limit ? chart.limit.values.values() : [])];
  const ticks = decadeTicks(values.length ? Math.min(...values) : 0.01, values.length ? Math.max(...values) : 100);
  const lo = ticks[0];
  const hi = ticks[ticks.length - 1];

  const panels = Math.max(chart.sizes.length, chart.sweep ? 2 : 0);
  const width = MARGIN * 2 + LABEL_W + panels * PANEL_W + (panels - 1) * PANEL_GAP;
  // Legend: entries flow left to right, wrapping where the next would not fit.
  const legendItems = [...chart.series.map((s) => ({ label: s.label, color: s.color, kind: 'swatch' as const })),
    ...(chart.limit ? [{ label: chart.limit.label, color: '#333', kind: 'line' as const }] : [])];
  const legendTop = 58;
  const placed: { x: number; y: number }[] = [];
  let cursor = MARGIN;
  let row = 0;
  for (const item of legendItems) {
    const w = 17 + textWidth(item.label) + 20;
    if (cursor > MARGIN && cursor + w > width - MARGIN) {
      cursor = MARGIN;
      row++;
    }
    placed.push({ x: cursor, y: legendTop + row * 18 });
    cursor += w;
  }
  const legendRows = row + 1;
  const plotTop = legendTop + legendRows * 18 + 30;
  const groupH = chart.series.length * (BAR_H + BAR_GAP) - BAR_GAP;
  const plotH = chart.fns.length * (groupH + GROUP_GAP) - GROUP_GAP + 8;
  const axisY = plotTop + plotH;
  const hasMarks = chart.bars.some((b) => b.outOfBound);
  const mainHeight = axisY + 44 + (hasMarks ? 16 : 0);
  // The sweep below: a title, then a forward and a backward panel of a group per function.
  const sweep = chart.sweep;
  const sweepTop = mainHeight + 12;
  const sweepPlotTop = sweepTop + 46;
  const sweepGroupH = sweep ? sweep.series.length * (BAR_H + BAR_GAP) - BAR_GAP : 0;
  const sweepAxisY = sweep ? sweepPlotTop + sweep.fns.length * (sweepGroupH + GROUP_GAP) - GROUP_GAP + 8 : 0;
  const height = sweep ? sweepAxisY + 40 : mainHeight;

  const out: string[] = [];
  out.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-labelledby="chart-title" ${FONT} font-size="11">`);
  out.push(`<title id="chart-title">${escapeXml(chart.title)}</title>`);
  out.push(`<rect class="background" x="0" y="0" width="${width}" height="${height}" fill="#ffffff"/>`);
  out.push(`<text class="title" x="${MARGIN}" y="24" font-size="15" font-weight="600" fill="#222">${escapeXml(chart.title)}</text>`);
  out.push(`<text class="subtitle" x="${MARGIN}" y="42" fill="#555">${escapeXml(chart.subtitle)}</text>`);

  // Legend.
  out.push('<g class="legend">');
  legendItems.forEach((item, i) => {
    const { x, y } = placed[i];
    if (item.kind === 'swatch') out.push(`<rect class="legend-swatch" x="${x}" y="${y}" width="12" height="10" fill="${item.color}"/>`);
    else out.push(`<line class="legend-limit" x1="${x}" y1="${y + 5}" x2="${x + 12}" y2="${y + 5}" stroke="${item.color}" stroke-dasharray="3 2"/>`);
    out.push(`<text class="legend-label" x="${x + 17}" y="${y + 9}" fill="#222">${escapeXml(item.label)}</text>`);
  });
  out.push('</g>');

  // Function labels, once, left of the first panel.
  chart.fns.forEach((fn, g) => {
    const y = plotTop + g * (groupH + GROUP_GAP) + groupH / 2 + 4;
    out.push(`<text class="fn-label" x="${MARGIN + LABEL_W - 8}" y="${r(y)}" text-anchor="end" font-weight="600" fill="#222">${escapeXml(fn)}</text>`);
  });

  chart.sizes.forEach((size, p) => {
    const x0 = MARGIN + LABEL_W + p * (PANEL_W + PANEL_GAP);
    const x1 = x0 + PANEL_W;
    const x = logScale(lo, hi, x0, x1);
    out.push(`<g class="panel" data-size="${size}">`);
    out.push(`<text class="panel-title" x="${r((x0 + x1) / 2)}" y="${plotTop - 10}" text-anchor="middle" font-weight="600" fill="#222">${escapeXml(`${formatSize(size)} elements`)}</text>`);
    // Grid and ticks.
    for (const t of ticks) {
      const tx = r(x(t));
      out.push(`<line class="grid" x1="${tx}" y1="${plotTop}" x2="${tx}" y2="${axisY}" stroke="#e3e3e3"/>`);
      out.push(`<text class="tick" data-value="${t}" x="${tx}" y="${axisY + 14}" text-anchor="middle" fill="#444">${escapeXml(formatNumber(t))}</text>`);
    }
    out.push(`<line class="axis" x1="${x0}" y1="${axisY}" x2="${x1}" y2="${axisY}" stroke="#444"/>`);
    // Bars.
    chart.fns.forEach((fn, g) => {
      const top = plotTop + g * (groupH + GROUP_GAP);
      chart.series.forEach((s, i) => {
        const bar = chart.bars.find((b) => b.fn === fn && b.size === size && b.series === s.id);
        if (!bar) return;
        const y = top + i * (BAR_H + BAR_GAP);
        if (bar.wrong || bar.median === undefined) {
          out.push(`<text class="wrong" x="${x0 + 2}" y="${y + BAR_H}" font-size="8" fill="#c00">wrong: ${escapeXml(s.id)}</text>`);
          return;
        }
        const w = Math.max(0.5, r(x(bar.median) - x0));
        const tip = `${fn} @ ${formatSize(size)}, ${s.label}: ${formatNumber(bar.median)} ns/element${bar.outOfBound ? ' (outside our accuracy bound)' : ''}`;
        out.push(`<rect class="bar" data-fn="${escapeXml(fn)}" data-size="${size}" data-impl="${escapeXml(s.id)}" data-median="${bar.median}" x="${x0}" y="${y}" width="${w}" height="${BAR_H}" fill="${s.color}"${bar.outOfBound ? ' fill-opacity="0.45"' : ''}><title>${escapeXml(tip)}</title></rect>`);
        if (bar.q1 !== undefined && bar.q3 !== undefined) {
          out.push(`<line class="iqr" x1="${r(x(bar.q1))}" y1="${y + BAR_H / 2}" x2="${r(x(bar.q3))}" y2="${y + BAR_H / 2}" stroke="#000" stroke-opacity="0.55"/>`);
        }
        if (bar.outOfBound) {
          const end = Math.max(x0 + w, bar.q3 !== undefined ? x(bar.q3) : 0);
          out.push(`<text class="mark" x="${r(end + 2)}" y="${y + BAR_H}" font-size="9" fill="#222">*</text>`);
        }
      });
    });
    const limit = chart.limit?.values.get(size);
    if (limit !== undefined) {
      const lx = r(x(limit));
      out.push(`<line class="limit" x1="${lx}" y1="${plotTop - 4}" x2="${lx}" y2="${axisY}" stroke="#333" stroke-dasharray="3 2"/>`);
    }
    out.push('</g>');
  });

  out.push(`<text class="axis-title" x="${r(MARGIN + LABEL_W + (width - 2 * MARGIN - LABEL_W) / 2)}" y="${axisY + 32}" text-anchor="middle" fill="#222">ns per element (log scale); whiskers: interquartile range</text>`);
  if (hasMarks) out.push(`<text class="note" x="${MARGIN}" y="${axisY + 50}" fill="#555">* a peer outside our accuracy bound (timed all the same; see the table)</text>`);
  if (sweep) renderSweep(out, sweep, { lo, hi, ticks, top: sweepTop, plotTop: sweepPlotTop, groupH: sweepGroupH, axisY: sweepAxisY });
  out.push('</svg>');
  return `${out.join('\n')}\n`;
}

/** Where the sweep goes and the log scale it shares with the chart above. */
interface SweepLayout {
  readonly lo: number;
  readonly hi: number;
  readonly ticks: readonly number[];
  readonly top: number;
  readonly plotTop: number;
  readonly groupH: number;
  readonly axisY: number;
}

/** The sweep's title, function labels (one per group) and its forward and backward panels, appended to `out`. */
function renderSweep(out: string[], sweep: SweepChart, layout: SweepLayout): void {
  const { lo, hi, ticks, top, plotTop, groupH, axisY } = layout;
  out.push('<g class="sweep">');
  out.push(`<text class="sweep-title" x="${MARGIN}" y="${top + 16}" font-size="13" font-weight="600" fill="#222">${escapeXml(`Every function at ${formatSize(sweep.size)} elements, forward and backward (ns per element, log scale)`)}</text>`);
  sweep.fns.forEach((fn, g) => {
    const y = plotTop + g * (groupH + GROUP_GAP) + groupH / 2 + 4;
    out.push(`<text class="sweep-fn-label" x="${MARGIN + LABEL_W - 8}" y="${r(y)}" text-anchor="end" font-weight="600" fill="#222">${escapeXml(fn)}</text>`);
  });
  (['forward', 'backward'] as const).forEach((direction, p) => {
    const x0 = MARGIN + LABEL_W + p * (PANEL_W + PANEL_GAP);
    const x1 = x0 + PANEL_W;
    const x = logScale(lo, hi, x0, x1);
    out.push(`<g class="sweep-panel" data-direction="${direction}">`);
    const title = direction === 'forward' ? 'forward: <name>(x)' : 'backward: <name>Backward(dy, x)';
    out.push(`<text class="panel-title" x="${r((x0 + x1) / 2)}" y="${plotTop - 10}" text-anchor="middle" font-weight="600" fill="#222">${escapeXml(title)}</text>`);
    for (const t of ticks) {
      const tx = r(x(t));
      out.push(`<line class="grid" x1="${tx}" y1="${plotTop}" x2="${tx}" y2="${axisY}" stroke="#e3e3e3"/>`);
      out.push(`<text class="tick" data-value="${t}" x="${tx}" y="${axisY + 14}" text-anchor="middle" fill="#444">${escapeXml(formatNumber(t))}</text>`);
    }
    out.push(`<line class="axis" x1="${x0}" y1="${axisY}" x2="${x1}" y2="${axisY}" stroke="#444"/>`);
    sweep.fns.forEach((fn, g) => {
      const groupTop = plotTop + g * (groupH + GROUP_GAP);
      sweep.series.forEach((s, i) => {
        const bar = sweep.bars.find((b) => b.fn === fn && b.direction === direction && b.series === s.id);
        if (!bar) return;
        const y = groupTop + i * (BAR_H + BAR_GAP);
        if (bar.wrong || bar.median === undefined) {
          out.push(`<text class="wrong" x="${x0 + 2}" y="${y + BAR_H}" font-size="8" fill="#c00">wrong: ${escapeXml(s.id)}</text>`);
          return;
        }
        const w = Math.max(0.5, r(x(bar.median) - x0));
        const tip = `${fnLabel(fn, direction)} @ ${formatSize(sweep.size)}, ${s.label}: ${formatNumber(bar.median)} ns/element${bar.outOfBound ? ' (outside our accuracy bound)' : ''}`;
        out.push(`<rect class="sweep-bar" data-fn="${escapeXml(fn)}" data-direction="${direction}" data-impl="${escapeXml(s.id)}" data-median="${bar.median}" x="${x0}" y="${y}" width="${w}" height="${BAR_H}" fill="${s.color}"${bar.outOfBound ? ' fill-opacity="0.45"' : ''}><title>${escapeXml(tip)}</title></rect>`);
        if (bar.q1 !== undefined && bar.q3 !== undefined) {
          out.push(`<line class="iqr" x1="${r(x(bar.q1))}" y1="${y + BAR_H / 2}" x2="${r(x(bar.q3))}" y2="${y + BAR_H / 2}" stroke="#000" stroke-opacity="0.55"/>`);
        }
        if (bar.outOfBound) out.push(`<text class="mark" x="${r(x0 + w + 2)}" y="${y + BAR_H}" font-size="9" fill="#222">*</text>`);
      });
    });
    out.push('</g>');
  });
  out.push('</g>');
}
