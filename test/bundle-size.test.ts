// The browser bundle: src/index.ts bundled by esbuild for the browser, minified and gzipped, must
// stay under the size budget the README states; and it must be browser-clean: built only from
// src/ (no `node:` module, no dependency), without top-level await (an IIFE build refuses it).
import { readdirSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';
import { build, type Metafile } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { definitionList } from '../src/index.js';
import type { ActivationDocs } from '../src/spec.js';

/** The budget for the minified, gzipped bundle with both wasm builds inlined (README: "Size"). */
const GZIP_BUDGET_BYTES = 85 * 1024;

const root = fileURLToPath(new URL('..', import.meta.url));

async function bundle(format: 'esm' | 'iife'): Promise<{ bytes: Uint8Array; metafile: Metafile }> {
  const result = await build({
    entryPoints: ['src/index.ts'], absWorkingDir: root, bundle: true, minify: true, format, platform: 'browser',
    target: 'es2022', write: false, metafile: true, logLevel: 'silent',
  });
  return { bytes: result.outputFiles[0].contents, metafile: result.metafile };
}

/**
 * The bundle as an app's bundler splits it (esbuild with splitting, as Vite and webpack split
 * dynamic imports): the entry chunk every page loads, and the chunks loaded on demand (the
 * threads build, behind createActivations({ threads })).
 */
async function splitBundle(): Promise<{ entry: Uint8Array[]; lazy: Uint8Array[] }> {
  const result = await build({
    entryPoints: ['src/index.ts'], absWorkingDir: root, bundle: true, minify: true, format: 'esm', platform: 'browser',
    target: 'es2022', write: false, splitting: true, outdir: 'out', logLevel: 'silent', entryNames: 'entry', metafile: true,
  });
  // The eager chunks: the entry and every chunk it imports statically, transitively.
  const outputs = result.metafile.outputs;
  const eager = new Set<string>();
  const visit = (path: string): void => {
    if (eager.has(path)) return;
    eager.add(path);
    for (const imported of outputs[path].imports) if (imported.kind === 'import-statement') visit(imported.path);
  };
  visit(Object.keys(outputs).find((path) => path.endsWith('entry.js'))!);
  const isEager = (file: { path: string }) => [...eager].some((path) => file.path.endsWith(path));
  return {
    entry: result.outputFiles.filter(isEager).map((file) => file.contents),
    lazy: result.outputFiles.filter((file) => !isEager(file)).map((file) => file.contents),
  };
}

describe('browser bundle', () => {
  it(`is under its gzip budget (${GZIP_BUDGET_BYTES} bytes) with both wasm builds inlined`, async () => {
    const { entry, lazy } = await splitBundle();
    const gzipped = entry.reduce((sum, chunk) => sum + gzipSync(chunk, { level: 9 }).length, 0);
    const minified = entry.reduce((sum, chunk) => sum + chunk.length, 0);
    const lazyGzipped = lazy.reduce((sum, chunk) => sum + gzipSync(chunk, { level: 9 }).length, 0);
    console.log(`browser bundle: ${minified} bytes minified, ${gzipped} bytes gzipped (budget ${GZIP_BUDGET_BYTES}); threads on demand: ${lazyGzipped} bytes gzipped`);
    // Both builds are in the entry chunk: the wasm magic number and version, hex-encoded, start
    // each string; the threads build is only in the chunks loaded on demand.
    const modules = (chunks: Uint8Array[]) => chunks.map((chunk) => Buffer.from(chunk).toString('latin1').match(/["'`]0061736d01000000/g)?.length ?? 0).reduce((a, b) => a + b, 0);
    expect(modules(entry)).toBe(2);
    expect(modules(lazy)).toBe(1);
    expect(gzipped).toBeLessThanOrEqual(GZIP_BUDGET_BYTES);
  });

  it('is made of src/ alone: no node: module, no dependency, nothing external', async () => {
    const { metafile } = await bundle('esm');
    const inputs = Object.keys(metafile.inputs);
    expect(inputs).toContain('src/index.ts');
    expect(inputs).toContain('src/generated/wasm.ts');
    for (const input of inputs) expect(input, input).toMatch(/^src\/[\w/.-]+\.ts$/);
    for (const input of Object.values(metafile.inputs)) {
      for (const imported of input.imports) {
        expect(imported.external ?? false, imported.path).toBe(false);
        expect(imported.path).not.toMatch(/^node:/);
      }
    }
  });

  it('leaves out the API docs (each definition file\'s <name>Docs, read only by scripts/generate-api.mjs)', async () => {
    const text = Buffer.from((await bundle('esm')).bytes).toString('utf8');
    // Lines esbuild copies into a string literal unchanged: ASCII, no quote or backslash.
    const verbatim = (line: string) => line.length >= 30 && /^[\x20-\x7e]+$/.test(line) && !/['"`\\]/.test(line);
    // The check can see text: a definition's summary is bundled (the README tables read it).
    const summaries = definitionList.map((d) => d.summary).filter(verbatim);
    expect(summaries.length).toBeGreaterThan(5);
    for (const summary of summaries) expect(text).toContain(summary);
    const files = readdirSync(new URL('../src/activations/', import.meta.url)).filter((file) => file.endsWith('.ts'));
    let docs = 0;
    for (const file of files) {
      const module = (await import(`../src/activations/${file}`)) as Record<string, unknown>;
      for (const [name, value] of Object.entries(module)) {
        if (!name.endsWith('Docs')) continue;
        docs++;
        const { forward, backward, module: moduleDoc } = value as ActivationDocs;
        const lines = [forward, backward, moduleDoc].flatMap((doc) => [...doc.text, ...doc.examples]).filter(verbatim);
        expect(lines.length, name).toBeGreaterThan(0);
        for (const line of lines) expect(text.includes(line), `${name}: "${line}" is in the bundle`).toBe(false);
      }
    }
    expect(docs).toBe(definitionList.length);
  });

  it('leaves out the benchmark\'s naive loops (each definition file\'s <name>Naive, imported only by bench/naive.ts)', async () => {
    // Unminified, the bundle keeps the top-level names of what it holds.
    const result = await build({
      entryPoints: ['src/index.ts'], absWorkingDir: root, bundle: true, minify: false, format: 'esm', platform: 'browser',
      target: 'es2022', write: false, logLevel: 'silent',
    });
    const text = result.outputFiles[0].text;
    for (const definition of definitionList) {
      expect(text, `${definition.name}'s definition`).toMatch(new RegExp(`\\b${definition.name}\\d* = define[A-Z]\\w*\\(`));
      expect(text, `${definition.name}Naive`).not.toMatch(new RegExp(`\\b${definition.name}Naive\\b`));
    }
  });

  it('has no top-level await (esbuild refuses one in an IIFE build)', async () => {
    const { bytes } = await bundle('iife');
    expect(bytes.length).toBeGreaterThan(0);
    await expect(build({
      stdin: { contents: 'await Promise.resolve(); export {};', loader: 'ts' }, bundle: true, format: 'iife', write: false, logLevel: 'silent',
    })).rejects.toThrow(/Top-level await/);
  });
});
