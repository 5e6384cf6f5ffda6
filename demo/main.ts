// The demo page (`npm run demo`): every activation and its derivative plotted from the kernels'
// output, a slider per parameter (alpha, lambd, minVal, prelu's weight, …) that redraws it, and a benchmark of
// the kernels against a plain JS loop with a chart. Everything iterates the registry.
import { backendInfo, createActivations, definitionList, init, type Activations, type Definition } from '../src/index.js';
import { isChoiceParam, type AnyParamSpec } from '../src/spec.js';
import { defaultParams, renderPlotSvg, sampleActivation } from '../bench/plot.js';
import { benchChartSvg, benchOne, SIZE, type BenchRow } from './bench.js';

const byId = (id: string): HTMLElement => document.getElementById(id)!;

/** A slider's range for a param: around its default, within what the param allows, in round steps. */
function sliderRange(spec: { default: number; allows: (v: number) => boolean }): { min: number; max: number; step: number } {
  const span = 2 * Math.max(1, Math.abs(spec.default));
  const step = 10 ** Math.floor(Math.log10(span / 100)); // 0.01 for a span of 2
  const round = (v: number) => Number((Math.round(v / step) * step).toPrecision(12));
  let min = round(spec.default - span);
  const max = round(spec.default + span);
  if (!spec.allows(min)) min = spec.allows(0) ? 0 : spec.default;
  return { min, max, step };
}

type SliderSpec = { default: number; allows: (v: number) => boolean };

/** The sliders of a card: one per param, and for a per-channel function (prelu) one for its shared weight. */
function sliderSpecs(definition: Definition): [string, SliderSpec][] {
  const specs: [string, SliderSpec][] = [];
  for (const [name, spec] of Object.entries(definition.params as Record<string, AnyParamSpec>)) {
    if (!isChoiceParam(spec)) specs.push([name, spec]);
  }
  if (definition.kind === 'channelwise') specs.push(['weight', { default: definition.exampleWeight, allows: Number.isFinite }]);
  return specs;
}

/** One card: the plot and a slider per param; moving a slider recomputes the curves. */
function card(acts: Activations, definition: Definition): HTMLElement {
  const element = document.createElement('div');
  element.className = 'card';
  element.dataset.name = definition.name;
  const plot = document.createElement('div');
  plot.className = 'plot';
  const error = document.createElement('div');
  error.className = 'error';
  const params = defaultParams(definition);
  const draw = () => {
    try {
      plot.innerHTML = renderPlotSvg(sampleActivation(acts, definition, { ...params }));
      error.textContent = '';
    } catch (problem) {
      error.textContent = (problem as Error).message; // e.g. hardtanh's minVal > maxVal
    }
  };
  element.append(plot);
  // A choice param (gelu's approximate) gets a menu of its choices.
  for (const [name, spec] of Object.entries(definition.params as Record<string, AnyParamSpec>)) {
    if (!isChoiceParam(spec)) continue;
    const label = document.createElement('label');
    label.className = 'param';
    const select = document.createElement('select');
    select.name = name;
    for (const choice of spec.choices) select.append(Object.assign(document.createElement('option'), { value: choice, textContent: choice, selected: choice === spec.default }));
    select.addEventListener('change', () => {
      (params as Record<string, unknown>)[name] = select.value;
      draw();
    });
    label.append(`${name}`, select);
    element.append(label);
  }
  for (const [name, spec] of sliderSpecs(definition)) {
    const { min, max, step } = sliderRange(spec);
    const label = document.createElement('label');
    label.className = 'param';
    const input = Object.assign(document.createElement('input'), { type: 'range', min: String(min), max: String(max), step: String(step), value: String(spec.default), name });
    const value = document.createElement('output');
    value.textContent = String(spec.default);
    input.addEventListener('input', () => {
      params[name] = Number(input.value);
      value.textContent = Number(input.value).toPrecision(3);
      draw();
    });
    label.append(`${name}`, input, value);
    element.append(label);
  }
  element.append(error);
  draw();
  return element;
}

/** Runs the benchmark function by function, yielding between them so the page stays live. */
async function runBenchmark(acts: Activations): Promise<void> {
  const status = byId('bench-status');
  const button = byId('bench-run') as HTMLButtonElement;
  button.disabled = true;
  document.body.dataset.bench = 'running';
  const x = new Float32Array(SIZE);
  for (let i = 0; i < SIZE; i++) x[i] = Math.sin(i * 12.9898) * 6; // spread over [−6, 6]
  const rows: BenchRow[] = [];
  for (const definition of definitionList) {
    status.textContent = `timing ${definition.name}…`;
    await new Promise((resolve) => setTimeout(resolve, 0));
    rows.push(benchOne(acts, definition, x));
    byId('bench-chart').innerHTML = benchChartSvg(rows, acts.backend);
  }
  status.textContent = `done: ${rows.length} functions`;
  button.disabled = false;
  document.body.dataset.bench = 'done';
}

async function start(): Promise<void> {
  await init();
  const info = backendInfo()!;
  byId('backend').textContent = `backend: ${info.backend}${info.skipped.length ? ` (not ${info.skipped.map((s) => `${s.backend}: ${s.reason}`).join('; ')})` : ''}`;
  // The plots use their own instance: the same backend as init() picked.
  const acts = await createActivations({ backend: info.backend });
  const plots = byId('plots');
  for (const definition of definitionList) plots.append(card(acts, definition));
  document.body.dataset.plots = String(definitionList.length);
  const button = byId('bench-run') as HTMLButtonElement;
  button.disabled = false;
  button.addEventListener('click', () => void runBenchmark(acts));
  if (new URLSearchParams(location.search).has('bench')) void runBenchmark(acts);
}

start().catch((error: unknown) => {
  byId('backend').textContent = `failed: ${(error as Error).message}`;
  document.body.dataset.error = String(error);
});
