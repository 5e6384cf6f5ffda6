// Markdown tables generated from the registry, for the README (scripts/update-readme.mjs writes
// them between markers; test/readme.test.ts fails when the README is stale).
import { definitionList } from '../registry.js';
import { isChoiceParam, type Definition } from '../spec.js';

function params(definition: Definition): string {
  const entries = Object.entries(definition.params);
  const own = entries.map(([name, spec]) => (spec.required ? `\`${name}\` (required)`
    : isChoiceParam(spec) ? `\`${name}\` = '${spec.default}' (${spec.choices.map((c) => `'${c}'`).join(' or ')})`
    : `\`${name}\` = ${spec.default}`));
  if (definition.kind === 'reduction') own.push('`shape`', '`dim` = -1');
  if (definition.kind === 'gated') own.push('`shape`', '`dim` = -1 (its size even; the result is half as long)');
  if (definition.kind === 'channelwise') own.push('`weight` (required: 1 or one per channel)', '`shape`');
  return own.length ? own.join(', ') : '—';
}

/** The table of activations: name, PyTorch twin, formula, parameters, accuracy bound. */
export function activationTable(): string {
  const rows = definitionList.map((d) =>
    `| \`${d.name}\` | \`${d.torch}\` | ${d.formula} | ${params(d)} | ${d.ulp === 0 ? 'exact' : `≤ ${d.ulp} ULP`} | ${d.ulpNote} |`,
  );
  return [
    '| function | PyTorch | formula | options | max error (every backend) | how |',
    '|---|---|---|---|---|---|',
    ...rows,
  ].join('\n');
}

/** Every generated README section, by marker name. */
export const readmeSections: Record<string, () => string> = {
  activations: activationTable,
};

/** Replaces each `<!-- name:start -->…<!-- name:end -->` block of `readme` with its generated text. */
export function renderReadme(readme: string): string {
  let text = readme;
  for (const [name, generate] of Object.entries(readmeSections)) {
    const start = `<!-- ${name}:start -->`;
    const end = `<!-- ${name}:end -->`;
    const from = text.indexOf(start);
    const to = text.indexOf(end);
    if (from < 0 || to < from) throw new Error(`README has no ${start} … ${end} block`);
    text = `${text.slice(0, from + start.length)}\n${generate()}\n${text.slice(to)}`;
  }
  return text;
}
