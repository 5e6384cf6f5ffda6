import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { activationTable, renderReadme } from '../src/docs/tables.js';
import { definitionList } from '../src/registry.js';

const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');

describe('README', () => {
  it('has the generated tables of the current registry (run `npm run readme` after changing a definition)', () => {
    expect(renderReadme(readme)).toBe(readme);
  });

  it('lists every activation with its bound', () => {
    const table = activationTable();
    for (const d of definitionList) expect(table).toContain(`| \`${d.name}\` |`);
    expect(readme).toContain(table);
  });

  it('shows the two commands of the contract', () => {
    expect(readme).toContain('npm ci && npm run bench');
    expect(readme).toContain('npm ci && npm test');
  });
});
