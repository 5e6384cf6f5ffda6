// Every `@example` of the generated JSDoc (each definition's forward, backward and module docs in
// src/activations/*.ts): the call runs on the default instance, and each number it states as a
// Float32Array's must be the float32 the call returns (the stated decimal rounds to exactly that
// float32; 8 significant digits name one float32). A doc that rounds its last digit wrongly, or
// that a kernel change made stale, fails here rather than in a user's editor.
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import * as api from '../src/index.js';
import type { ActivationDocs } from '../src/spec.js';

const dir = fileURLToPath(new URL('../src/activations/', import.meta.url));
const files = readdirSync(dir).filter((f) => f.endsWith('.ts'));
const examples: { label: string; call: string; stated: string }[] = [];
for (const file of files) {
  const module = (await import(`../src/activations/${file}`)) as Record<string, unknown>;
  for (const [name, value] of Object.entries(module)) {
    if (!name.endsWith('Docs')) continue;
    for (const part of ['forward', 'backward', 'module'] as const) {
      for (const line of (value as ActivationDocs)[part].examples) {
        const at = line.indexOf(' // ');
        if (at < 0) continue;
        examples.push({ label: `${file} ${part}: ${line}`, call: line.slice(0, at).replace(/;\s*$/, ''), stated: line.slice(at + 4).trim() });
      }
    }
  }
}

/** The numbers of a stated `Float32Array [a, b, ...]` (or `{ dx: Float32Array [...] ...`'s first array). */
function statedNumbers(stated: string): string[] | null {
  const match = /Float32Array \[([^\]]*)\]/.exec(stated);
  return match ? match[1].split(',').map((s) => s.trim()).filter((s) => s.length > 0) : null;
}

const names = Object.keys(api);
const values = names.map((name) => (api as Record<string, unknown>)[name]);

describe('the JSDoc examples', () => {
  it('are found (one at least per definition and part)', () => {
    expect(examples.length).toBeGreaterThanOrEqual(3 * api.definitionList.length);
  });

  it.each(examples)('$label', ({ call, stated }) => {
    const numbers = statedNumbers(stated);
    if (numbers === null) return; // a non-array result (e.g. a string): not checked here
    // eslint-disable-next-line @typescript-eslint/no-implied-eval
    // `a; b` (a statement, then the expression shown): run a, return b.
    const last = call.lastIndexOf('; ');
    const body = last < 0 ? `return ${call};` : `${call.slice(0, last + 1)} return ${call.slice(last + 2)};`;
    const result = new Function(...names, body)(...values) as Float32Array | { dx: Float32Array };
    const array = result instanceof Float32Array ? result : result.dx;
    expect(array.length).toBe(numbers.length);
    numbers.forEach((text, i) => {
      expect(array[i], `element ${i}: stated ${text}, got ${array[i]}`).toBe(Math.fround(Number(text)));
    });
  });
});
