// Plots of the activations: each function and its derivative over its plotDomain, computed by
// the package's own kernels (the derivative is the backward pass with dy = 1), drawn as a small
// standalone SVG (axes, ticks, grid, labels, legend). Plain string building and no Node module,
// so the CLI's `plot` command and the browser demo draw the same pictures.
import type { Activations } from '../src/instance.js';
import type { Definition } from '../src/spec.js';

/** One line of a plot. */
export interface Curve {
  readonly label: string;
  readonly color: string;
  /** An SVG stroke-dasharray, for the derivative. */
  readonly dash?: string;
  readonly ys: ArrayLike<number>;
}

/** What one plot shows. */
export interface PlotData {
  readonly name: string;
  readonly title: string;
  readonly subtitle: string;
  readonly xs: ArrayLike<number>;
  readonly curves: readonly Curve[];
}

/** Points per curve: 480 intervals put every multiple of 1/60 of the domain, 0 included, on the grid. */
export const PLOT_POINTS = 481;

const FUNCTION_COLOR = '#1f77b4';
const DERIVATIVE_COLOR = '#d62728';

/**
 * The params of `definition` at their defaults (a required param at its example value); for a
 * per-channel function (prelu), its one `weight` at the example value (torch.nn.PReLU's 0.25).
 */
export function defaultParams(definition: Definition): Record<string, number> {
  const params: Record<string, number> = {};
  for (const [name, spec] of Object.entries(definition.params as Record<string, { default: number }>)) params[name] = spec.default;
  if (definition.kind === 'channelwise') params.weight = definition.exampleWeight;
  return params;
}

/** `n` evenly spaced float32 points from lo to hi, both included. */
export function linspace(lo: number, hi: number, n: number): Float32Array {
  const xs = new Float32Array(n);
  for (let i = 0; i < n; i++) xs[i] = lo + ((hi - lo) * i) / (n - 1);
  return xs;
}

function paramText(params: Record<string, number>): string {
  return Object.entries(params).map(([name, value]) => `${name} = ${value}`).join(', ');
}

/**
 * `definition` and its derivative over its plotDomain on `acts` (any backend), with `params`
 * (default: the defaults). A softmax-like function is plotted along one logit: softmax([x, 0])₀
 * and its partial derivative ∂/∂x₀, both from the kernels over rows of two. A per-channel one
 * (prelu) is plotted with one weight shared by all elements, `params.weight`.
 */
export function sampleActivation(acts: Activations, definition: Definition, params = defaultParams(definition), points = PLOT_POINTS): PlotData {
  const [lo, hi] = definition.plotDomain;
  const xs = linspace(lo, hi, points);
  const functions = acts as unknown as Record<string, (...args: unknown[]) => Float32Array>;
  const forward = functions[definition.name];
  const backward = functions[`${definition.name}Backward`];
  const settings = paramText(params);
  let ys: Float32Array;
  let dys: Float32Array;
  let f: string;
  let df: string;
  if (definition.kind === 'reduction') {
    // Rows [x, 0]: component 0 of the output, and of the backward pass with dy = [1, 0], which
    // is y₀(1 − y₀) = ∂y₀/∂x₀ for softmax.
    const rows = new Float32Array(points * 2);
    const dy = new Float32Array(points * 2);
    for (let i = 0; i < points; i++) {
      rows[2 * i] = xs[i];
      dy[2 * i] = 1;
    }
    const layout = { ...params, shape: [points, 2], dim: 1 };
    const y = forward(rows, layout);
    const dx = backward(dy, y, layout);
    ys = new Float32Array(points);
    dys = new Float32Array(points);
    for (let i = 0; i < points; i++) {
      ys[i] = y[2 * i];
      dys[i] = dx[2 * i];
    }
    f = `${definition.name}([x, 0])₀`;
    df = `∂/∂x₀ (backward, dy = [1, 0])`;
  } else if (definition.kind === 'gated') {
    // Rows [1, x]: a = 1 and b = x, so y = σ(x), and the b half of the backward pass with dy = 1,
    // ∂y/∂b = σ'(x).
    const rows = new Float32Array(points * 2);
    for (let i = 0; i < points; i++) {
      rows[2 * i] = 1;
      rows[2 * i + 1] = xs[i];
    }
    const layout = { shape: [points, 2], dim: 1 };
    ys = forward(rows, layout);
    const dx = backward(new Float32Array(points).fill(1), rows, layout);
    dys = new Float32Array(points);
    for (let i = 0; i < points; i++) dys[i] = dx[2 * i + 1];
    f = `${definition.name}([1, x])`;
    df = `∂/∂b (backward, dy = 1)`;
  } else if (definition.kind === 'channelwise') {
    const weight = { weight: params.weight ?? definition.exampleWeight };
    ys = forward(xs, weight);
    dys = (backward(new Float32Array(points).fill(1), xs, weight) as unknown as { dx: Float32Array }).dx;
    f = `${definition.name}(x)`;
    df = `derivative (backward dx, dy = 1)`;
  } else {
    ys = forward(xs, params);
    dys = backward(new Float32Array(points).fill(1), xs, params);
    f = `${definition.name}(x)`;
    df = `derivative (backward, dy = 1)`;
  }
  return {
    name: definition.name,
    title: `${definition.name}${settings ? ` (${settings})` : ''}`,
    subtitle: definition.formula,
    xs,
    curves: [
      { label: f, color: FUNCTION_COLOR, ys },
      { label: df, color: DERIVATIVE_COLOR, dash: '5 3', ys: dys },
    ],
  };
}

/** About `count` round tick values (1, 2 or 5 × 10^k apart) covering [lo, hi]. */
export function niceTicks(lo: number, hi: number, count = 6): number[] {
  const raw = (hi - lo) / Math.max(1, count - 1);
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * magnitude).find((s) => s >= raw) ?? 10 * magnitude;
  const ticks: number[] = [];
  for (let t = Math.ceil(lo / step - 1e-9) * step; t <= hi + step * 1e-9; t += step) ticks.push(Number(t.toPrecision(12)) || 0); // || 0: no -0 tick
  return ticks;
}

/** Escapes text for XML content and attribute values. */
function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c]!);
}

/** Rounds a pixel coordinate to 0.1 px (short, stable output). */
const r = (v: number): number => Math.round(v * 10) / 10;

const FONT = 'font-family="system-ui, -apple-system, Segoe UI, Helvetica, Arial, sans-serif"';

/** The plot as a standalone SVG document of `width` × `height` px. */
export function renderPlotSvg(plot: PlotData, width = 480, height = 320): string {
  const left = 46;
  const right = width - 14;
  const top = 78;
  const bottom = height - 38;
  const [xlo, xhi] = [plot.xs[0], plot.xs[plot.xs.length - 1]];
  // The y range: every finite value of every curve, and 0, with a little room.
  let ylo = 0;
  let yhi = 0;
  for (const curve of plot.curves) {
    for (let i = 0; i < curve.ys.length; i++) {
      const v = curve.ys[i];
      if (Number.isFinite(v)) {
        ylo = Math.min(ylo, v);
        yhi = Math.max(yhi, v);
      }
    }
  }
  if (yhi - ylo < 1e-6) yhi = ylo + 1;
  const pad = (yhi - ylo) * 0.06;
  ylo -= pad;
  yhi += pad;
  const sx = (x: number) => left + ((x - xlo) / (xhi - xlo)) * (right - left);
  const sy = (y: number) => bottom - ((y - ylo) / (yhi - ylo)) * (bottom - top);

  const out: string[] = [];
  out.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-labelledby="plot-${plot.name}-title" ${FONT} font-size="11">`);
  out.push(`<title id="plot-${plot.name}-title">${escapeXml(`${plot.title}: ${plot.subtitle}`)}</title>`);
  out.push(`<rect class="background" x="0" y="0" width="${width}" height="${height}" fill="#ffffff"/>`);
  out.push(`<text class="title" x="${left}" y="20" font-size="14" font-weight="600" fill="#222">${escapeXml(plot.title)}</text>`);
  out.push(`<text class="subtitle" x="${left}" y="37" fill="#555">${escapeXml(plot.subtitle)}</text>`);
  // Legend: one row under the subtitle.
  let lx = left;
  out.push('<g class="legend">');
  for (const curve of plot.curves) {
    out.push(`<line x1="${lx}" y1="54" x2="${lx + 18}" y2="54" stroke="${curve.color}" stroke-width="2"${curve.dash ? ` stroke-dasharray="${curve.dash}"` : ''}/>`);
    out.push(`<text class="legend-label" x="${lx + 23}" y="58" fill="#222">${escapeXml(curve.label)}</text>`);
    lx += 23 + Math.ceil([...curve.label].length * 6.2) + 18;
  }
  out.push('</g>');
  // Grid, ticks and axes (the axes through 0 where 0 is in range, else along the frame).
  out.push('<g class="grid">');
  for (const t of niceTicks(xlo, xhi, 8)) {
    out.push(`<line x1="${r(sx(t))}" y1="${top}" x2="${r(sx(t))}" y2="${bottom}" stroke="#ececec"/>`);
    out.push(`<text class="tick x-tick" x="${r(sx(t))}" y="${bottom + 14}" text-anchor="middle" fill="#444">${t}</text>`);
  }
  for (const t of niceTicks(ylo, yhi, 5)) {
    out.push(`<line x1="${left}" y1="${r(sy(t))}" x2="${right}" y2="${r(sy(t))}" stroke="#ececec"/>`);
    out.push(`<text class="tick y-tick" x="${left - 5}" y="${r(sy(t) + 4)}" text-anchor="end" fill="#444">${t}</text>`);
  }
  out.push('</g>');
  const x0 = xlo <= 0 && 0 <= xhi ? r(sx(0)) : left;
  out.push(`<line class="axis y-axis" x1="${x0}" y1="${top}" x2="${x0}" y2="${bottom}" stroke="#888"/>`);
  out.push(`<line class="axis x-axis" x1="${left}" y1="${r(sy(0))}" x2="${right}" y2="${r(sy(0))}" stroke="#888"/>`);
  out.push(`<rect class="frame" x="${left}" y="${top}" width="${r(right - left)}" height="${r(bottom - top)}" fill="none" stroke="#bbb"/>`);
  out.push(`<text class="axis-label" x="${r((left + right) / 2)}" y="${height - 8}" text-anchor="middle" fill="#222">x</text>`);
  // The curves: a polyline each, broken where a value is not finite.
  for (const curve of plot.curves) {
    const runs: string[][] = [[]];
    for (let i = 0; i < curve.ys.length; i++) {
      const y = curve.ys[i];
      if (Number.isFinite(y)) runs[runs.length - 1].push(`${r(sx(plot.xs[i]))},${r(sy(y))}`);
      else if (runs[runs.length - 1].length) runs.push([]);
    }
    for (const run of runs.filter((points) => points.length > 0)) {
      out.push(`<polyline class="curve" data-label="${escapeXml(curve.label)}" points="${run.join(' ')}" fill="none" stroke="${curve.color}" stroke-width="2"${curve.dash ? ` stroke-dasharray="${curve.dash}"` : ''} stroke-linejoin="round"/>`);
    }
  }
  out.push('</svg>');
  return `${out.join('\n')}\n`;
}

/** The README's gallery of plots (between `<!-- plots:start -->` and `<!-- plots:end -->`). */
export function plotsSection(names: readonly string[], dir = 'docs/plots'): string {
  return [
    '<!-- generated by `npx wasm-activations plot` from the registry; do not edit by hand -->',
    '',
    ...names.map((name) => `<img src="${dir}/${name}.svg" alt="${name} and its derivative" width="32%">`),
  ].join('\n');
}

/** Replaces the README's plots block with {@link plotsSection} of `names`. */
export function renderPlotsSection(readme: string, names: readonly string[]): string {
  const start = '<!-- plots:start -->';
  const end = '<!-- plots:end -->';
  const from = readme.indexOf(start);
  const to = readme.indexOf(end);
  if (from < 0 || to < from) throw new Error(`README has no ${start} … ${end} block`);
  return `${readme.slice(0, from + start.length)}\n${plotsSection(names)}\n${readme.slice(to)}`;
}
