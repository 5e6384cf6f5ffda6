// The headless Chromium the browser tests drive: Debian's /usr/bin/chromium (CHROMIUM_PATH
// overrides), through playwright-core. In CI (env CI set) a missing Chromium is a failure, since
// .ci/run installs it and a browser test that silently skips proves nothing; elsewhere the browser
// tests skip with a message saying how to install it, so `npm test` works without a browser.
import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';
import { expect, it } from 'vitest';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const haveChromium = existsSync(CHROMIUM);
export const inCi = Boolean(process.env.CI);

/** Launches headless Chromium with the flags a container needs (no sandbox, no GPU, no updates). */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update'],
  });
}

/**
 * Declares, in the calling test file, the test that fails in CI without Chromium (a failed test,
 * not only a failed hook, so the count says so), and warns outside CI that `what` is skipped.
 */
export function requireChromium(what: string): void {
  if (!haveChromium && !inCi) {
    console.warn(`${what} skipped: no Chromium at ${CHROMIUM} (apt-get install chromium, or set CHROMIUM_PATH); in CI it fails instead`);
  }
  it.runIf(inCi)('CI has Chromium for the browser tests (.ci/run installs it)', () => {
    expect(haveChromium, `no Chromium at ${CHROMIUM}: .ci/run must apt-get install chromium`).toBe(true);
  });
}
