// The package as a browser app gets it: `npm pack`ed, unpacked into a temporary app's
// node_modules, bundled by esbuild and by Vite (test/browser/app: a page and a module worker),
// served on localhost and run in headless Chromium. Every registry function, forward and
// backward, on wasm-simd and on forced js, on the page (init()) and in a worker (initSync()),
// must equal Node's result on the same backend bit for bit; under a Content-Security-Policy
// without 'wasm-unsafe-eval', init() and initSync() must fall back to js and backendInfo() say why.
// Threads (test/browser/app/threads.ts): on a cross-origin isolated page a threaded instance
// splits large calls with a Web Worker, bit-identical to one thread; on a page that is not, it
// runs on one thread and says why; under a policy that blocks Blob workers its calls still
// succeed and, once the pool gives up, it says why.
// Chromium: see test/helpers/chromium.ts (fails in CI when missing, skips elsewhere).
import { execFileSync } from 'node:child_process';
import { copyFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { extname, join, normalize } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build as esbuild } from 'esbuild';
import type { Browser } from 'playwright-core';
import { build as viteBuild } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PageApi } from './browser/app/main.js';
import { runAll, type RunResult } from './browser/app/run-all.js';
import { haveChromium, launchChromium, requireChromium } from './helpers/chromium.js';
import { exponentSweep, specialValues } from './helpers/inputs.js';
import { Rng } from './helpers/rng.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const appSources = fileURLToPath(new URL('./browser/app/', import.meta.url));
const BUNDLERS = ['esbuild', 'vite'] as const;
const BACKENDS = ['wasm-simd', 'js'] as const;
// A page policy that allows the bundle's own scripts and nothing else: no 'wasm-unsafe-eval'.
const CSP = "default-src 'self'; script-src 'self'";
// What a cross-origin isolated page is served with (SharedArrayBuffer, shared wasm memory).
const ISOLATION = { 'cross-origin-opener-policy': 'same-origin', 'cross-origin-embedder-policy': 'require-corp' };
// A policy that allows wasm but no Blob workers (worker-src 'self' only): the threads' workers cannot start.
const NO_BLOB_WORKERS = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; worker-src 'self'";
/** Path prefixes and the headers they add: the same files under each. */
const PREFIXES: Record<string, Record<string, string>> = {
  '/csp/': { 'content-security-policy': CSP },
  '/isolated/': ISOLATION,
  '/isolated-no-blob-workers/': { ...ISOLATION, 'content-security-policy': NO_BLOB_WORKERS },
};

/** Fixed inputs: the special values, 4 random bit patterns per exponent and sign, [−20, 20]; a multiple of 8 long. */
function fixedInputs(): { xBits: number[]; dyBits: number[] } {
  const rng = new Rng(0xb0051e);
  const parts = [specialValues(), exponentSweep(rng, 4), rng.float32Array(2048, -20, 20)];
  const n = Math.ceil(parts.reduce((sum, p) => sum + p.length, 0) / 8) * 8;
  const x = new Float32Array(n);
  let offset = 0;
  for (const p of parts) {
    x.set(p, offset);
    offset += p.length;
  }
  const dy = rng.float32Array(n, -4, 4);
  return { xBits: Array.from(new Uint32Array(x.buffer)), dyBits: Array.from(new Uint32Array(dy.buffer)) };
}

/** Whether float32 bit patterns `bits` are a NaN. */
const isNaNBits = (bits: number): boolean => (bits & 0x7fffffff) > 0x7f800000;

/**
 * Whether two results are the same float32: the same bits, or both NaN. A NaN's sign and payload
 * are not part of the contract (NaN in, NaN out) and not even stable in one engine: V8 gives the
 * js backend's NaN either sign depending on which JIT tier ran the loop.
 */
const same = (a: number | undefined, e: number | undefined): boolean =>
  a === e || (a !== undefined && e !== undefined && isNaNBits(a) && isNaNBits(e));

/** Where `actual` differs from `expected` (Node's), one line per function: empty when bit-identical. */
function differences(actual: RunResult, expected: RunResult): string[] {
  const lines: string[] = [];
  const names = new Set([...Object.keys(actual.results), ...Object.keys(expected.results)]);
  for (const name of names) {
    const a = actual.results[name];
    const e = expected.results[name];
    if (!a || !e) {
      lines.push(`${name}: ${a ? 'not run in Node' : 'not run in the browser'}`);
      continue;
    }
    const at = e.findIndex((bits, i) => !same(a[i], bits));
    if (a.length !== e.length || at >= 0) {
      const count = e.filter((bits, i) => !same(a[i], bits)).length;
      lines.push(`${name}: ${count} of ${e.length} differ, first at ${at}: 0x${a[at]?.toString(16)} vs Node's 0x${e[at]?.toString(16)}`);
    }
  }
  return lines;
}

/** Serves `dir` on 127.0.0.1; paths under a prefix of {@link PREFIXES} serve the same files with its headers. */
function serve(dir: string): Promise<Server> {
  const types: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.map': 'application/json' };
  const server = createServer((request, response) => {
    let path = decodeURIComponent(new URL(request.url ?? '/', 'http://localhost').pathname);
    const prefix = Object.keys(PREFIXES).find((p) => path.startsWith(p));
    if (prefix !== undefined) path = path.slice(prefix.length - 1);
    if (path === '/favicon.ico') {
      response.writeHead(204).end(); // the browser asks for it on every page
      return;
    }
    if (path.endsWith('/')) path += 'index.html';
    const file = normalize(join(dir, path));
    if (!file.startsWith(dir) || !existsSync(file)) {
      response.writeHead(404).end();
      return;
    }
    response.writeHead(200, {
      'content-type': types[extname(file)] ?? 'application/octet-stream',
      ...(prefix === undefined ? {} : PREFIXES[prefix]),
    });
    response.end(readFileSync(file));
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

requireChromium('test/browser.test.ts');

describe.skipIf(!haveChromium)('in Chromium: the packed package bundled by esbuild and by Vite', () => {
  let tmp: string;
  let server: Server;
  let browser: Browser;
  let origin: string;
  const inputs = fixedInputs();
  const node: Partial<Record<(typeof BACKENDS)[number], RunResult>> = {};
  let esbuildInputs: string[] = [];
  let definitionNames: string[] = [];

  beforeAll(async () => {
    tmp = mkdtempSync(join(tmpdir(), 'wasm-activations-browser-'));
    // The package as published: `npm pack` of the built tree (no scripts: dist/ is already built),
    // unpacked where an app's `npm install` would put it.
    const packed = JSON.parse(execFileSync('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', tmp], { cwd: root, encoding: 'utf8' }));
    const app = join(tmp, 'app');
    const installed = join(app, 'node_modules', 'wasm-activations');
    mkdirSync(installed, { recursive: true });
    execFileSync('tar', ['-xzf', join(tmp, packed[0].filename), '-C', installed, '--strip-components=1']);
    for (const file of readdirSync(appSources)) copyFileSync(join(appSources, file), join(app, file));
    const site = join(tmp, 'site');

    const built = await esbuild({
      entryPoints: [join(app, 'main.ts'), join(app, 'worker.ts')], absWorkingDir: app, outdir: join(site, 'esbuild'),
      bundle: true, format: 'esm', platform: 'browser', target: 'es2022', minify: true, metafile: true, logLevel: 'warning',
    });
    esbuildInputs = Object.keys(built.metafile.inputs);
    writeFileSync(join(site, 'esbuild', 'index.html'), readFileSync(join(app, 'index.html'), 'utf8').replace('./main.ts', './main.js'));
    // No bundler: the app transpiled file by file, the package's ESM build served as it is and
    // found through an import map, as a plain <script type="module"> page would use it.
    await esbuild({
      entryPoints: [join(app, 'main.ts'), join(app, 'run-all.ts'), join(app, 'threads.ts')], absWorkingDir: app, outdir: join(site, 'plain'),
      bundle: false, format: 'esm', target: 'es2022', logLevel: 'warning',
    });
    cpSync(join(installed, 'dist', 'src'), join(site, 'plain', 'wasm-activations'), { recursive: true });
    writeFileSync(join(site, 'plain', 'index.html'), readFileSync(join(app, 'index.html'), 'utf8').replace(
      '<script type="module" src="./main.ts"></script>',
      '<script type="importmap">{ "imports": { "wasm-activations": "./wasm-activations/index.js" } }</script>\n'
        + '    <script type="module" src="./main.js"></script>',
    ));
    await viteBuild({
      root: app, configFile: false, base: './', logLevel: 'warn',
      build: { outDir: join(site, 'vite'), emptyOutDir: true, target: 'es2022' },
      worker: { format: 'es' },
    });

    // Node's results, from the same unpacked package, through its ESM entry.
    const pkg = JSON.parse(readFileSync(join(installed, 'package.json'), 'utf8'));
    const api = await import(pathToFileURL(join(installed, pkg.exports['.'].import.default)).href);
    for (const backend of BACKENDS) node[backend] = await runAll(api, backend, inputs.xBits, inputs.dyBits, false);
    definitionNames = api.definitionList.map((definition: { name: string }) => definition.name);

    server = await serve(site);
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  });

  /**
   * Opens `path`, waits for the app, runs `body` with the page's API; page errors fail the test,
   * and so do console errors but those matching `expectedConsoleErrors` (a policy's own reports).
   */
  async function withPage<T>(
    path: string, body: (call: <R>(fn: (page: PageApi, arg: any) => Promise<R>, arg?: unknown) => Promise<R>) => Promise<T>,
    { expectedConsoleErrors }: { expectedConsoleErrors?: RegExp } = {},
  ): Promise<T> {
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    page.on('console', (message) => {
      if (message.type() === 'error' && !expectedConsoleErrors?.test(message.text())) errors.push(message.text());
    });
    try {
      await page.goto(`${origin}${path}`);
      await page.waitForFunction(() => document.title === 'ready', undefined, { timeout: 20_000 });
      const result = await body((fn, arg) => page.evaluate(
        ([source, a]) => (0, eval)(source as string)((globalThis as unknown as { wasmActivationsTest: PageApi }).wasmActivationsTest, a),
        [fn.toString(), arg] as const,
      ));
      expect(errors, `errors on ${path}`).toEqual([]);
      return result;
    } finally {
      await page.close();
    }
  }

  it("Node's reference runs cover every registry function forward and backward, and a differing bit is caught", () => {
    expect(definitionNames.length).toBeGreaterThan(0);
    for (const backend of BACKENDS) {
      const names = Object.keys(node[backend]!.results);
      for (const name of definitionNames) expect(names, backend).toEqual(expect.arrayContaining([name, `${name} backward`]));
    }
    const run = (bits: number[]): RunResult => ({ backend: 'js', info: null, results: { f: bits } });
    expect(differences(run([1, 0x7fc00000]), run([1, 0xffc00001]))).toEqual([]); // NaN is NaN
    expect(differences(run([1, 0x80000000]), run([1, 0]))).toHaveLength(1); // -0 is not +0
    expect(differences(run([1]), run([1, 2]))).toHaveLength(1);
  });

  it('bundles the ESM build of the package (not the CommonJS one)', () => {
    expect(esbuildInputs).toContain('node_modules/wasm-activations/dist/src/index.js');
    expect(esbuildInputs.filter((file) => file.includes('/dist/cjs/'))).toEqual([]);
  });

  it('plain <script type="module"> with an import map, no bundler: every function on wasm-simd and js equals Node bit for bit', async () => {
    // On the page only: module workers do not read the page's import map.
    await withPage('/plain/', async (call) => {
      for (const backend of BACKENDS) {
        const result: RunResult = await call((page, a) => page.main(a.backend, a.xBits, a.dyBits), { backend, ...inputs });
        expect(result.info).toEqual({ backend, requested: backend, skipped: [] });
        expect(differences(result, node[backend]!), `plain ${backend}`).toEqual([]);
      }
    });
  });

  for (const bundler of BUNDLERS) {
    it(`${bundler}: every function, forward and backward, on wasm-simd and js, on the page and in a worker, equals Node bit for bit`, async () => {
      await withPage(`/${bundler}/`, async (call) => {
        for (const backend of BACKENDS) {
          const expected = node[backend]!;
          expect(expected.backend).toBe(backend);
          for (const where of ['main', 'worker'] as const) {
            const result: RunResult = await call((page, a) => page[a.where as 'main'](a.backend, a.xBits, a.dyBits), { where, backend, ...inputs });
            expect(result.backend, `${where} ${backend}`).toBe(backend);
            expect(result.info, `${where} ${backend}`).toEqual({ backend, requested: backend, skipped: [] });
            expect(differences(result, expected), `${bundler} ${where} ${backend}`).toEqual([]);
          }
        }
        // 'auto' picks wasm-simd in this Chromium.
        const auto: RunResult = await call((page, a) => page.main(undefined, a.xBits, a.dyBits), inputs);
        expect(auto.info).toEqual({ backend: 'wasm-simd', requested: 'auto', skipped: [] });
      });
    });

    it(`${bundler}: under a CSP without 'wasm-unsafe-eval', init() and a worker's initSync() fall back to js and backendInfo() says why`, async () => {
      await withPage(`/csp/${bundler}/`, async (call) => {
        for (const where of ['main', 'worker'] as const) {
          const result: RunResult = await call((page, a) => page[a.where as 'main'](undefined, a.xBits, a.dyBits), { where, ...inputs });
          expect(result.backend, where).toBe('js');
          expect(result.info?.requested).toBe('auto');
          expect(result.info?.skipped.map((s) => s.backend), where).toEqual(['wasm-simd', 'wasm-scalar']);
          for (const { reason } of result.info!.skipped) {
            expect(reason).toMatch(/^the page's Content-Security-Policy forbids compiling WebAssembly \(add 'wasm-unsafe-eval'/);
          }
          expect(differences(result, node.js!), `${bundler} ${where} under CSP`).toEqual([]);
        }
        // Forcing wasm there is an Error that says why.
        const message = await call((page) => page.initError('wasm-simd'));
        expect(message).toMatch(/^the wasm-simd backend cannot run here: the page's Content-Security-Policy forbids compiling WebAssembly/);
      });
    });
  }
  for (const site of ['plain', ...BUNDLERS]) {
    it(`${site}: on a cross-origin isolated page, a threaded instance splits calls with a Web Worker, bit-identical to one thread`, async () => {
      const result = await withPage(`/isolated/${site}/`, (call) => call((page) => page.threads()));
      expect(result.crossOriginIsolated).toBe(true);
      expect(result.threadsReason).toBeNull();
      expect([result.threadsAtStart, result.threadsAfter]).toEqual([2, 2]);
      expect(result.dispatched, 'tasks handed to the worker').toBeGreaterThan(0);
      expect(Object.values(result.calls)).toHaveLength(5);
      for (const [label, outcome] of Object.entries(result.calls)) expect(outcome, label).toBe('same');
    });
  }

  it('esbuild: on a page that is not cross-origin isolated, a threaded instance runs on one thread, says why, and gives the same results', async () => {
    const result = await withPage('/esbuild/', (call) => call((page) => page.threads()));
    expect(result.crossOriginIsolated).toBe(false);
    expect([result.threadsAtStart, result.threadsAfter]).toEqual([1, 1]);
    expect(result.threadsReason).toMatch(/^the page is not cross-origin isolated/);
    expect(result.dispatched).toBe(0);
    for (const [label, outcome] of Object.entries(result.calls)) expect(outcome, label).toBe('same');
  });

  it('esbuild: under a policy that blocks Blob workers, every call succeeds (parts given to workers that never start are taken back) and the instance says why', async () => {
    const result = await withPage('/isolated-no-blob-workers/esbuild/', (call) => call((page) => page.threads(true)),
      { expectedConsoleErrors: /worker-src/ });
    expect(result.crossOriginIsolated).toBe(true);
    // (2, or already 1: the blocked workers' error events may all come before createActivations resolves.)
    expect([1, 2]).toContain(result.threadsAtStart);
    for (const [label, outcome] of Object.entries(result.calls)) expect(outcome, label).toBe('same');
    expect(result.threadsAfter).toBe(1);
    expect(result.threadsReason).toMatch(/^the worker pool is broken: 3 workers in a row died before they ran a task \(last: the worker could not start: .*worker-src blob:/);
  });
});
