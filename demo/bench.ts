// The demo's in-browser benchmark: each activation at 64Ki elements through the package's
// copying API against the naive JavaScript loop of its formula (the definition's `<name>Naive`),
// timed with performance.now() as the median of calibrated batches; and its chart, as an SVG string.
import type { Activations, Definition } from '../src/index.js';
import { naiveOf } from '../bench/cases.js';

/** One function's timings, in ns per element. */
export interface BenchRow {
  readonly name: string;
  readonly naive: number;
  readonly kernel: number;
}

/** Elements per call; softmax-like functions run rows of {@link ROW}. */
export const SIZE = 65536;
export const ROW = 1024;
const BATCH_MS = 15;
const BATCHES = 5;

/** The median ns per element of `run` (one call over SIZE elements), in calibrated batches. */
function time(run: () => void): number {
  run(); // warm up (and compile) once
  // Calibrate: double the calls per batch until a batch takes BATCH_MS.
  let reps = 1;
  for (;;) {
    const start = performance.now();
    for (let i = 0; i < reps; i++) run();
    if (performance.now() - start >= BATCH_MS || reps >= 1 << 16) break;
    reps *= 2;
  }
  const samples: number[] = [];
  for (let b = 0; b < BATCHES; b++) {
    const start = performance.now();
    for (let i = 0; i < reps; i++) run();
    samples.push(((performance.now() - start) * 1e6) / (reps * SIZE));
  }
  samples.sort((a, b) => a - b);
  return samples[BATCHES >> 1];
}

/** Times one definition: its naive loop and the package's function (the same params, its defaults; prelu: one weight, 0.25). */
export function benchOne(acts: Activations, definition: Definition, x: Float32Array): BenchRow {
  const out = new Float32Array(SIZE);
  const params: Record<string, number> = {};
  for (const [name, spec] of Object.entries(definition.params as Record<string, { default: number }>)) params[name] = spec.default;
  const fn = (acts as unknown as Record<string, (x: Float32Array, options: object) => Float32Array>)[definition.name];
  if (definition.kind === 'channelwise') {
    // One weight shared by all elements (torch.nn.PReLU's default), as the plot shows it.
    const weights = Float32Array.of(definition.exampleWeight);
    const layout = { outer: SIZE, channels: 1, inner: 1, weights: 1 };
    const options = { weight: definition.exampleWeight, out };
    return {
      name: definition.name,
      naive: time(() => naiveOf(definition).forward(x, out, layout, weights)),
      kernel: time(() => fn(x, options)),
    };
  }
  if (definition.kind === 'gated') {
    // x of SIZE floats halved along its only dim: the output is SIZE / 2 floats.
    const half = out.subarray(0, SIZE / 2);
    const layout = { outer: 1, m: SIZE / 2 };
    return {
      name: definition.name,
      naive: time(() => naiveOf(definition).forward(x, half, layout)),
      kernel: time(() => fn(x, { out: half })),
    };
  }
  if (definition.kind === 'reduction') {
    const options = { ...params, out, shape: [SIZE / ROW, ROW], dim: 1 };
    return {
      name: definition.name,
      naive: time(() => naiveOf(definition).forward(x, out, ROW, params as never)),
      kernel: time(() => fn(x, options)),
    };
  }
  const options = { ...params, out };
  return {
    name: definition.name,
    naive: time(() => naiveOf(definition).forward(x, out, params as never)),
    kernel: time(() => fn(x, options)),
  };
}

const escapeXml = (text: string): string =>
  text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c]!);

/** Horizontal bars per function, ns per element on a log scale, with the speed-up written beside them. */
export function benchChartSvg(rows: readonly BenchRow[], backend: string): string {
  const left = 110;
  const plotW = 520;
  const barH = 10;
  const groupH = 2 * barH + 10;
  const top = 50;
  const width = left + plotW + 150;
  const height = top + rows.length * groupH + 36;
  const values = rows.flatMap((r) => [r.naive, r.kernel]).filter((v) => v > 0);
  const lo = 10 ** Math.floor(Math.log10(Math.min(...values)));
  const hi = 10 ** Math.ceil(Math.log10(Math.max(...values)));
  const sx = (v: number) => left + (Math.log10(Math.max(v, lo) / lo) / Math.log10(hi / lo)) * plotW;
  const out: string[] = [];
  out.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="system-ui, sans-serif" font-size="11" role="img" aria-label="benchmark">`);
  out.push(`<rect x="0" y="0" width="${width}" height="${height}" fill="#fff"/>`);
  out.push(`<text x="${left}" y="18" font-size="13" font-weight="600">ns per element at ${SIZE / 1024}Ki elements (log scale, lower is better)</text>`);
  out.push(`<rect x="${left}" y="28" width="12" height="10" fill="#9e9e9e"/><text x="${left + 17}" y="37">naive JS loop</text>`);
  out.push(`<rect x="${left + 110}" y="28" width="12" height="10" fill="#1f77b4"/><text x="${left + 127}" y="37">wasm-activations (${escapeXml(backend)}, copying API)</text>`);
  for (let t = lo; t <= hi * 1.001; t *= 10) {
    const x = Math.round(sx(t) * 10) / 10;
    out.push(`<line x1="${x}" y1="${top - 4}" x2="${x}" y2="${top + rows.length * groupH}" stroke="#e6e6e6"/>`);
    out.push(`<text x="${x}" y="${top + rows.length * groupH + 14}" text-anchor="middle" fill="#444">${Number(t.toPrecision(3))}</text>`);
  }
  rows.forEach((row, i) => {
    const y = top + i * groupH;
    out.push(`<g class="bench-row" data-name="${escapeXml(row.name)}">`);
    out.push(`<text x="${left - 8}" y="${y + barH + 4}" text-anchor="end" font-weight="600">${escapeXml(row.name)}</text>`);
    out.push(`<rect class="bar-naive" x="${left}" y="${y}" width="${Math.round((sx(row.naive) - left) * 10) / 10}" height="${barH}" fill="#9e9e9e"/>`);
    out.push(`<rect class="bar-kernel" x="${left}" y="${y + barH + 2}" width="${Math.round((sx(row.kernel) - left) * 10) / 10}" height="${barH}" fill="#1f77b4"/>`);
    out.push(`<text class="speedup" x="${left + plotW + 8}" y="${y + barH + 4}">${(row.naive / row.kernel).toFixed(1)}× faster</text>`);
    out.push('</g>');
  });
  out.push('</svg>');
  return out.join('\n');
}
