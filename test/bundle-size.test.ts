// The browser bundle: src/index.ts bundled by esbuild for the browser, minified and gzipped, must
// stay under the size budget the README states; and it must be browser-clean: built only from
// src/ (no `node:` module, no dependency), without top-level await (an IIFE build refuses it).
import { gzipSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';
import { build, type Metafile } from 'esbuild';
import { describe, expect, it } from 'vitest';

/** The budget for the minified, gzipped bundle with both wasm builds inlined (README: "Size"). */
const GZIP_BUDGET_BYTES = 40 * 1024;

const root = fileURLToPath(new URL('..', import.meta.url));

async function bundle(format: 'esm' | 'iife'): Promise<{ bytes: Uint8Array; metafile: Metafile }> {
  const result = await build({
    entryPoints: ['src/index.ts'], absWorkingDir: root, bundle: true, minify: true, format, platform: 'browser',
    target: 'es2022', write: false, metafile: true, logLevel: 'silent',
  });
  return { bytes: result.outputFiles[0].contents, metafile: result.metafile };
}

describe('browser bundle', () => {
  it(`is under its gzip budget (${GZIP_BUDGET_BYTES} bytes) with both wasm builds inlined`, async () => {
    const { bytes } = await bundle('esm');
    const gzipped = gzipSync(bytes, { level: 9 }).length;
    console.log(`browser bundle: ${bytes.length} bytes minified, ${gzipped} bytes gzipped (budget ${GZIP_BUDGET_BYTES})`);
    // Both builds are in it: the wasm magic number, base64-encoded, starts each string.
    expect(Buffer.from(bytes).toString('latin1').match(/AGFzbQEAAAA/g)).toHaveLength(2);
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

  it('has no top-level await (esbuild refuses one in an IIFE build)', async () => {
    const { bytes } = await bundle('iife');
    expect(bytes.length).toBeGreaterThan(0);
    await expect(build({
      stdin: { contents: 'await Promise.resolve(); export {};', loader: 'ts' }, bundle: true, format: 'iife', write: false, logLevel: 'silent',
    })).rejects.toThrow(/Top-level await/);
  });
});
