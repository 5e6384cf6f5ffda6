// The demo page (`npm run demo`, scripts/demo.mjs + demo/): served on localhost and opened in
// headless Chromium, it must plot every registry function and its derivative, redraw a plot when
// its parameter slider moves, and finish the in-browser benchmark with a chart row per function.
// The screenshot goes to test-results/demo.png.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PLOT_POINTS } from '../bench/plot.js';
import { definitionList } from '../src/registry.js';
import { haveChromium, launchChromium, requireChromium } from './helpers/chromium.js';

const root = fileURLToPath(new URL('..', import.meta.url));

requireChromium('test/demo.test.ts');

/** Starts `npm run demo`'s script on a free port; resolves to the server process and its URL. */
function startDemo(): Promise<{ child: ChildProcess; url: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['scripts/demo.mjs', '--port', '0'], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = output.match(/http:\/\/127\.0\.0\.1:\d+\//);
      if (match) resolve({ child, url: match[0] });
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('exit', (code) => reject(new Error(`the demo server exited (${code}): ${output}`)));
  });
}

describe.skipIf(!haveChromium)('demo page in Chromium', () => {
  let demo: { child: ChildProcess; url: string };
  let browser: Browser;
  let page: Page;
  const errors: string[] = [];

  beforeAll(async () => {
    demo = await startDemo();
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1500, height: 1000 } });
    page.on('pageerror', (error) => errors.push(error.message));
    page.on('console', (message) => {
      if (message.type() === 'error') errors.push(message.text());
    });
    await page.goto(demo.url);
    await page.waitForSelector('body[data-plots]', { timeout: 30_000 });
  });

  afterAll(async () => {
    await browser?.close();
    demo?.child.kill();
  });

  it('plots every registry function and its derivative, each with one point per sample', async () => {
    expect(await page.textContent('#backend')).toBe('backend: wasm-simd');
    const cards = await page.$$eval('.card', (elements) => elements.map((card) => ({
      name: (card as HTMLElement).dataset.name,
      title: card.querySelector('svg title')?.textContent ?? '',
      curves: Array.from(card.querySelectorAll('polyline.curve'), (line) => line.getAttribute('points')!.split(' ').length),
      sliders: Array.from(card.querySelectorAll('input[type=range], select'), (input) => (input as HTMLInputElement).name),
    })));
    expect(cards.map((c) => c.name)).toEqual(definitionList.map((d) => d.name));
    for (const card of cards) {
      const definition = definitionList.find((d) => d.name === card.name)!;
      expect(card.title, card.name).toContain(definition.formula);
      // Two curves (a jump may split one into runs), PLOT_POINTS points each.
      expect(card.curves.reduce((a, b) => a + b, 0), card.name).toBe(2 * PLOT_POINTS);
      // A control per param (a menu for a choice such as gelu's approximate, a slider otherwise),
      // and prelu's slider for its one shared weight.
      const choices = Object.keys(definition.params).filter((name) => 'choices' in (definition.params as Record<string, object>)[name]);
      const numeric = Object.keys(definition.params).filter((name) => !choices.includes(name));
      expect(card.sliders, card.name).toEqual([...choices, ...numeric, ...(definition.kind === 'channelwise' ? ['weight'] : [])]);
    }
    expect(errors).toEqual([]);
  });

  it("a parameter slider redraws its plot from the kernels (leakyRelu's alpha)", async () => {
    const card = page.locator('.card[data-name="leakyRelu"]');
    const before = await card.locator('polyline.curve').first().getAttribute('points');
    await card.locator('input[name="alpha"]').fill('0.5');
    await expect.poll(() => card.locator('svg title').textContent()).toContain('alpha = 0.5');
    const after = await card.locator('polyline.curve').first().getAttribute('points');
    expect(after).not.toBe(before);
    // At x = −4 (the first point) the curve is now 0.5·(−4) = −2: the lowest y tick is −2.
    expect(await card.locator('.y-tick').first().textContent()).toBe('-2');
  });

  it("gelu's approximate menu redraws its plot in the tanh form", async () => {
    const card = page.locator('.card[data-name="gelu"]');
    await card.locator('select[name="approximate"]').selectOption('tanh');
    await expect.poll(() => card.locator('svg title').textContent()).toContain('approximate = tanh');
    expect(errors).toEqual([]);
  });

  it("prelu's weight slider redraws its plot from the kernels", async () => {
    const card = page.locator('.card[data-name="prelu"]');
    expect(await card.locator('svg title').textContent()).toContain('weight = 0.25');
    const before = await card.locator('polyline.curve').first().getAttribute('points');
    await card.locator('input[name="weight"]').fill('0.5');
    await expect.poll(() => card.locator('svg title').textContent()).toContain('weight = 0.5');
    const after = await card.locator('polyline.curve').first().getAttribute('points');
    expect(after).not.toBe(before);
    // At x = −4 (the first point) the curve is now 0.5·(−4) = −2 (it was −1): the lowest y tick is −2.
    expect(await card.locator('.y-tick').first().textContent()).toBe('-2');
  });

  it('runs the benchmark against a plain JS loop and charts every function', async () => {
    await page.click('#bench-run');
    await page.waitForSelector('body[data-bench="done"]', { timeout: 100_000 });
    const rows = await page.$$eval('#bench-chart .bench-row', (elements) => elements.map((row) => ({
      name: (row as HTMLElement).dataset.name,
      speedup: row.querySelector('.speedup')?.textContent ?? '',
      bars: [row.querySelector('.bar-naive'), row.querySelector('.bar-kernel')].map((bar) => Number(bar?.getAttribute('width'))),
    })));
    expect(rows.map((r) => r.name)).toEqual(definitionList.map((d) => d.name));
    for (const row of rows) {
      expect(row.speedup, row.name).toMatch(/^\d+(\.\d)?× faster$/);
      for (const width of row.bars) expect(width, row.name).toBeGreaterThan(0);
    }
    expect(await page.textContent('#bench-status')).toBe(`done: ${definitionList.length} functions`);
    mkdirSync(new URL('../test-results/', import.meta.url), { recursive: true });
    const path = fileURLToPath(new URL('../test-results/demo.png', import.meta.url));
    await page.screenshot({ path, fullPage: true });
    console.log(`demo screenshot: ${path}`);
    expect(errors).toEqual([]);
  });
});
