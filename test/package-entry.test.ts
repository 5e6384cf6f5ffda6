// The published entry points: the package imported and required by its own name (Node resolves a
// package's self-reference through its `exports` map), as a user's code would, from the built dist/.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('..', import.meta.url));
const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
const entry = pkg.exports['.'];

/** Runs `script` in a new Node process in the package's directory and parses what it prints. */
function runNode(args: string[], script: string): unknown {
  return JSON.parse(execFileSync(process.execPath, [...args, '-e', script], { cwd: root, encoding: 'utf8' }));
}

describe('package entry points', () => {
  it('main, module, types, both exports conditions and bin name files that the build writes', () => {
    const files = [
      pkg.main, pkg.module, pkg.types, entry.import.types, entry.import.default, entry.require.types, entry.require.default,
      ...Object.values(pkg.bin as Record<string, string>),
    ];
    for (const file of files) expect(existsSync(new URL(`../${file}`, import.meta.url)), file).toBe(true);
    // Each condition lists `types` first, as TypeScript requires.
    expect(Object.keys(entry.import)).toEqual(['types', 'default']);
    expect(Object.keys(entry.require)).toEqual(['types', 'default']);
    expect(pkg.sideEffects).toBe(false);
  });

  it('packs the README, the LICENSE and the built files, without source maps (their sources are not shipped) or tests', () => {
    const [pack] = JSON.parse(execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: root, encoding: 'utf8' })) as [{ files: { path: string }[] }];
    const paths = pack.files.map((f) => f.path);
    expect(paths).toContain('LICENSE');
    expect(paths).toContain('README.md');
    expect(paths).toContain('dist/src/index.js');
    expect(paths).toContain('dist/cjs/index.d.ts');
    expect(paths.filter((p) => p.endsWith('.map'))).toEqual([]);
    expect(paths.filter((p) => !p.startsWith('dist/') && !['LICENSE', 'README.md', 'package.json'].includes(p))).toEqual([]);
  });

  it('keeps the inlined wasm out of the type declarations (a string literal type would carry the whole hex)', () => {
    for (const build of ['src', 'cjs']) {
      for (const file of ['wasm', 'wasm-threads']) {
        const types = readFileSync(new URL(`../dist/${build}/generated/${file}.d.ts`, import.meta.url), 'utf8');
        expect(types.length, `dist/${build}/generated/${file}.d.ts`).toBeLessThan(1000);
        expect(types).toMatch(/WasmHex: string;/);
      }
    }
  });

  it('the CommonJS build is marked CommonJS and its JS and types are the ESM build\'s, in CommonJS form', () => {
    expect(JSON.parse(readFileSync(new URL('../dist/cjs/package.json', import.meta.url), 'utf8'))).toEqual({ type: 'commonjs' });
    const cjs = readFileSync(new URL(`../${entry.require.default}`, import.meta.url), 'utf8');
    expect(cjs).toContain('require("./default-instance.js")');
    expect(cjs).not.toMatch(/^\s*(import|export)\s/m);
    const esmTypes = readFileSync(new URL(`../${entry.import.types}`, import.meta.url), 'utf8');
    const cjsTypes = readFileSync(new URL(`../${entry.require.types}`, import.meta.url), 'utf8');
    expect(cjsTypes.replace(/\/\/# sourceMappingURL.*/, '')).toBe(esmTypes.replace(/\/\/# sourceMappingURL.*/, ''));
  });

  it("import('wasm-activations') works and computes the tutorial's example", () => {
    const script = "const m = await import('wasm-activations'); console.log(JSON.stringify([m.backend(), Array.from(m.sigmoid([-1, 0, 1])), m.backend()]));";
    const [before, values, after] = runNode(['--input-type=module'], script) as [unknown, number[], unknown];
    expect(before).toBe(null);
    expect(after).toBe('wasm-simd');
    expect(values).toEqual([Math.fround(0.2689414213699951), 0.5, Math.fround(0.7310585786300049)]);
  });

  it("require('wasm-activations') works (CommonJS build), with the same functions and results as import", () => {
    const script = [
      "const m = require('wasm-activations');",
      "const before = m.backend();",
      "const values = Array.from(m.sigmoid([-1, 0, 1]));",
      "import('wasm-activations').then((esm) => console.log(JSON.stringify({",
      "  before, values, after: m.backend(), info: m.backendInfo(),",
      "  file: require.resolve('wasm-activations'),",
      "  same: Object.keys(esm).filter((k) => k !== 'default').sort().join() === Object.keys(m).sort().join(),",
      "  bits: Array.from(new Uint32Array(m.tanh([0.3, -2, 7]).buffer)).join() === Array.from(new Uint32Array(esm.tanh([0.3, -2, 7]).buffer)).join(),",
      "})));",
    ].join('\n');
    const result = runNode(['--input-type=commonjs'], script) as Record<string, unknown>;
    expect(result.before).toBe(null);
    expect(result.after).toBe('wasm-simd');
    expect(result.info).toEqual({ backend: 'wasm-simd', requested: 'auto', skipped: [] });
    expect(result.values).toEqual([Math.fround(0.2689414213699951), 0.5, Math.fround(0.7310585786300049)]);
    expect(result.file).toBe(fileURLToPath(new URL(`../${entry.require.default}`, import.meta.url)));
    expect(result.same).toBe(true);
    expect(result.bits).toBe(true);
  });

  it('TypeScript finds the types of both builds: an ESM (.mts) and a CommonJS (.cts) consumer under node16 resolution', () => {
    // A consumer project with the package linked into its node_modules, type-checked by tsc; its
    // expected-error lines fail the check if the types resolved to `any` (or not at all).
    const dir = mkdtempSync(join(tmpdir(), 'wasm-activations-types-'));
    try {
      mkdirSync(join(dir, 'node_modules'));
      symlinkSync(root, join(dir, 'node_modules', 'wasm-activations'), 'dir');
      const consumer = [
        "import { sigmoid, backendInfo, createActivations, type BackendInfo } from 'wasm-activations';",
        'const y: Float32Array = sigmoid([1, 2]);',
        'const info: BackendInfo | null = backendInfo();',
        'const pending: Promise<unknown> = createActivations({ backend: "js" });',
        '// @ts-expect-error: the result is a Float32Array, not a string',
        'const wrong: string = sigmoid([1]);',
        '// @ts-expect-error: not a backend',
        'void createActivations({ backend: "gpu" });',
        'export { y, info, pending, wrong };',
      ].join('\n');
      writeFileSync(join(dir, 'esm.mts'), consumer);
      writeFileSync(join(dir, 'cjs.cts'), consumer);
      writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({
        // esnext.disposable: the declarations name Symbol.dispose (ActivationBuffer works with
        // `using`); a consumer needs that lib, @types/node >= 20 or skipLibCheck (README: CommonJS).
        // No DOM lib: the declarations must not need its WebAssembly namespace (a Node project's
        // lib: ['es2023'] with @types/node has none).
        compilerOptions: {
          module: 'node16', moduleResolution: 'node16', target: 'es2022', lib: ['es2022', 'esnext.disposable'],
          strict: true, noEmit: true, types: [], skipLibCheck: false,
        },
        files: ['esm.mts', 'cjs.cts'],
      }));
      const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
      const traced = execFileSync(process.execPath, [tsc, '-p', dir, '--traceResolution'], { encoding: 'utf8' });
      // Each consumer got its own build's types.
      expect(traced).toMatch(/'wasm-activations' was successfully resolved to '[^']*dist\/src\/index\.d\.ts'/);
      expect(traced).toMatch(/'wasm-activations' was successfully resolved to '[^']*dist\/cjs\/index\.d\.ts'/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
