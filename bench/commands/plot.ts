// `wasm-activations plot`: one SVG per activation (the function and its derivative over its
// plotDomain, computed by the kernels) into a directory, and the README's gallery of them.
import { accessSync, constants, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { createActivationsSync } from '../../src/instance.js';
import { definitionList, definitions } from '../../src/registry.js';
import type { Backend } from '../../src/spec.js';
import { renderPlotsSection, renderPlotSvg, sampleActivation } from '../plot.js';
import { UsageError } from './bench.js';

const BACKENDS: readonly Backend[] = ['wasm-simd', 'wasm-scalar', 'js'];

/** The command's help text. */
export const PLOT_HELP = `Usage: wasm-activations plot [options]   (npm run plot -- [options])

Writes one SVG per activation: the function and its derivative (the backward pass with dy = 1)
over its plot domain, computed by the package's kernels, with axes, ticks and labels; softmax is
drawn along one logit, softmax([x, 0])₀. With the default --out, also rewrites the README's
gallery of plots (README.md beside docs/).

Options:
  --fn NAME        only this function (repeatable); default: every one (${definitionList.map((d) => d.name).join(', ')})
  --out DIR        where to write NAME.svg (default docs/plots)
  --backend NAME   the backend computing the curves (default wasm-simd; ${BACKENDS.join(', ')})
  -h, --help       this text`;

/** Runs `plot` on its arguments. */
export async function plotCommand(argv: readonly string[]): Promise<void> {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: {
        fn: { type: 'string', multiple: true },
        out: { type: 'string' },
        backend: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
    }));
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  if (values.help) {
    console.log(PLOT_HELP);
    return;
  }
  const names = values.fn ?? definitionList.map((d) => d.name);
  for (const name of names) {
    if (!Object.prototype.hasOwnProperty.call(definitions, name)) throw new UsageError(`unknown function '${name}'; functions: ${definitionList.map((d) => d.name).join(', ')}`);
  }
  const backend = (values.backend ?? 'wasm-simd') as Backend;
  if (!BACKENDS.includes(backend)) throw new UsageError(`unknown backend '${backend}'; backends: ${BACKENDS.join(', ')}`);
  const out = values.out ?? 'docs/plots';
  try {
    if (out === '') throw new Error('an empty path');
    mkdirSync(out, { recursive: true });
    accessSync(out, constants.W_OK);
  } catch (error) {
    throw new UsageError(`--out ${out}: cannot write there (${(error as Error).message})`);
  }
  const acts = createActivationsSync({ backend });
  for (const name of names) {
    const file = join(out, `${name}.svg`);
    writeFileSync(file, renderPlotSvg(sampleActivation(acts, definitions[name as keyof typeof definitions])));
    console.log(`wrote ${file}`);
  }
  // The README's gallery lists every activation; only the default location is the README's, and
  // only a README with the gallery's markers (this package's, not a user's) is touched.
  const readme = values.out === undefined && existsSync('README.md') ? readFileSync('README.md', 'utf8') : '';
  if (readme.includes('<!-- plots:start -->')) {
    const updated = renderPlotsSection(readme, definitionList.map((d) => d.name));
    if (updated !== readme) {
      writeFileSync('README.md', updated);
      console.log('updated the plots in README.md');
    }
  }
}
