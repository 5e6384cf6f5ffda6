// `npm run demo [-- --port N]`: bundles demo/main.ts (with the package's TypeScript sources and
// the inlined wasm from `npm run build`) with esbuild, in memory, and serves the demo page on
// 127.0.0.1. Prints the URL; stops on Ctrl-C. `--port 0` picks a free port (the tests use it).
import { createServer } from 'node:http';
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { build } from 'esbuild';

const { values } = parseArgs({ options: { port: { type: 'string', default: process.env.PORT ?? '5180' } } });
const root = new URL('..', import.meta.url);
const bundle = await build({
  entryPoints: [new URL('demo/main.ts', root).pathname], bundle: true, format: 'esm', platform: 'browser', target: 'es2022',
  write: false, outdir: 'demo-out', sourcemap: 'inline', logLevel: 'warning',
});
const files = {
  '/': { type: 'text/html', body: readFileSync(new URL('demo/index.html', root)) },
  '/main.js': { type: 'text/javascript', body: bundle.outputFiles[0].contents },
};
const server = createServer((request, response) => {
  const path = new URL(request.url ?? '/', 'http://localhost').pathname;
  if (path === '/favicon.ico') {
    response.writeHead(204).end(); // none, but the browser asks
    return;
  }
  const file = files[path];
  if (!file) {
    response.writeHead(404).end();
    return;
  }
  response.writeHead(200, { 'content-type': file.type, 'cache-control': 'no-store' });
  response.end(file.body);
});
server.listen(Number(values.port), '127.0.0.1', () => {
  console.log(`wasm-activations demo: http://127.0.0.1:${server.address().port}/`);
});
