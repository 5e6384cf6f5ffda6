// The published entry points: the package imported by its own name (Node resolves a package's
// self-reference through its `exports` map), as a user's code would, from the built dist/.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('..', import.meta.url));
const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));

describe('package entry points', () => {
  it('main, types, exports and bin name files that the build writes', () => {
    for (const file of [pkg.main, pkg.types, pkg.exports['.'].default, pkg.exports['.'].types, ...Object.values(pkg.bin as Record<string, string>)]) {
      expect(existsSync(new URL(`../${file}`, import.meta.url)), file).toBe(true);
    }
  });

  it("import('wasm-activations') works and computes the tutorial's example", () => {
    const script = "const m = await import('wasm-activations'); console.log(JSON.stringify([m.backend(), Array.from(m.sigmoid([-1, 0, 1])), m.backend()]));";
    const output = execFileSync(process.execPath, ['--input-type=module', '-e', script], { cwd: root, encoding: 'utf8' });
    const [before, values, after] = JSON.parse(output);
    expect(before).toBe(null);
    expect(after).toBe('wasm-simd');
    expect(values).toEqual([Math.fround(0.2689414213699951), 0.5, Math.fround(0.7310585786300049)]);
  });
});
