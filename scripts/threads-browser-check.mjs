// A manual check of the browser path of threads (not part of npm test: it needs chromium on
// PATH). Run after `npm run build`: `node scripts/threads-browser-check.mjs` (page served with
// COOP/COEP: Web Workers on shared memory), `... plain` (not isolated: one thread, with the
// reason) and `... csp` (isolated, but a Content-Security-Policy without worker-src blob:: the
// workers cannot start; the calls that meet them take their parts back and succeed, and once
// the pool gives up calls run on the calling thread and threadsReason says why). Serves the checkout with COOP/COEP (or without, for
// 'plain'), opens a page in headless chromium that runs a threaded instance, and prints what the
// page posts back.
import { createServer } from 'node:http';
import { readFile } from 'node:fs/promises';
import { spawn } from 'node:child_process';
const root = new URL('..', import.meta.url).pathname.replace(/\/$/, '');
const mode = process.argv[2] ?? 'isolated';
const isolated = mode !== 'plain';
const cspPage = `<!doctype html><script type="module">
import { createActivations } from '/dist/src/index.js';
const report = (r) => fetch('/result', { method: 'POST', body: JSON.stringify(r) });
try {
  const t = await createActivations({ threads: 2 });
  const out = { crossOriginIsolated, threadsAtStart: t.threads, calls: [] };
  const x = new Float32Array(1 << 24).map((_, i) => Math.sin(i) * 8);
  for (let k = 0; k < 4; k++) out.calls.push(await t.sigmoid(x).then(() => 'resolved', (e) => 'rejected: ' + e.message));
  out.threadsAfter = t.threads;
  out.reason = t.threadsReason;
  report(out);
} catch (e) { report({ error: String(e && e.stack || e) }); }
</script>`;
const page = mode === 'csp' ? cspPage : `<!doctype html><script type="module">
import { createActivations, createActivationsSync } from '/dist/src/index.js';
const report = (r) => fetch('/result', { method: 'POST', body: JSON.stringify(r) });
try {
  const t = await createActivations({ threads: 2 });
  const s = await createActivations({ backend: 'wasm-simd' });
  const out = { crossOriginIsolated, threads: t.threads, reason: t.threadsReason };
  const n = 1 << 21;
  const x = new Float32Array(n).map((_, i) => Math.sin(i) * 8);
  const a = await t.sigmoid(x), b = s.sigmoid(x);
  out.sigmoidSame = a.every((v, i) => Object.is(v, b[i]));
  const y = await t.softmax(x, { shape: [2048, 1024] }), z = s.softmax(x, { shape: [2048, 1024] });
  out.softmaxSame = y.every((v, i) => Object.is(v, z[i]));
  const g = await t.tanhBackward(x, x), h = s.tanhBackward(x, x);
  out.backwardSame = g.every((v, i) => Object.is(v, h[i]));
  // Medians of 9 alternating calls on arrays (the calling thread computes chunks between the
  // worker's, turning the event loop through a MessageChannel): a look, not a benchmark.
  const ms = { single: [], threaded: [], threadedBuffers: [] };
  const o1 = new Float32Array(n), o2 = new Float32Array(n);
  const xb = t.allocate(n), ob = t.allocate(n);
  xb.array.set(x);
  for (let k = 0; k < 9; k++) {
    let t0 = performance.now(); s.sigmoid(x, { out: o1 }); ms.single.push(performance.now() - t0);
    t0 = performance.now(); await t.sigmoid(x, { out: o2 }); ms.threaded.push(performance.now() - t0);
    t0 = performance.now(); await t.sigmoid(xb, { out: ob }); ms.threadedBuffers.push(performance.now() - t0);
  }
  xb.free();
  ob.free();
  const median = (v) => v.sort((p, q) => p - q)[v.length >> 1];
  out.sigmoidMs = Object.fromEntries(Object.entries(ms).map(([k, v]) => [k, median(v)]));
  const pool = t[Object.getOwnPropertySymbols(t).find((s) => s.description === 'wasm-activations pool')];
  out.dispatched = pool ? pool.dispatched : 0;
  if (pool) {
    pool.killNext = 1;
    out.killed = await t.sigmoid(x).then(() => 'resolved', (e) => 'rejected: ' + e.message);
    const again = await t.sigmoid(x);
    out.afterKill = again.every((v, i) => Object.is(v, b[i]));
  }
  await t.destroy();
  out.afterDestroy = await t.sigmoid(x).then(() => 'resolved', (e) => 'rejected: ' + e.message);
  report(out);
} catch (e) { report({ error: String(e && e.stack || e) }); }
</script>`;
const server = createServer(async (req, res) => {
  const headers = isolated ? { 'Cross-Origin-Opener-Policy': 'same-origin', 'Cross-Origin-Embedder-Policy': 'require-corp' } : {};
  if (mode === 'csp') headers['Content-Security-Policy'] = "script-src 'self' 'unsafe-inline' 'wasm-unsafe-eval'; worker-src 'self'";
  if (req.method === 'POST') {
    let body = '';
    for await (const chunk of req) body += chunk;
    console.log(body);
    res.end();
    browser.kill();
    server.close();
    return;
  }
  if (req.url === '/') { res.writeHead(200, { 'Content-Type': 'text/html', ...headers }); res.end(page); return; }
  try {
    const data = await readFile(root + req.url.split('?')[0]);
    res.writeHead(200, { 'Content-Type': req.url.endsWith('.js') ? 'text/javascript' : 'application/octet-stream', ...headers });
    res.end(data);
  } catch { res.writeHead(404, headers); res.end(); }
});
await new Promise((r) => server.listen(0, '127.0.0.1', r));
const url = `http://127.0.0.1:${server.address().port}/`;
const browser = spawn('chromium', ['--headless=new', '--no-sandbox', '--disable-gpu', '--remote-debugging-port=0', url], { stdio: 'ignore' });
setTimeout(() => { console.log('timeout'); browser.kill(); server.close(); process.exit(1); }, 90000).unref();
