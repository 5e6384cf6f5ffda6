// backendInfo(): which backend runs, what was asked for, and why each faster one was passed over,
// for a normal engine, one without SIMD, and one whose page policy refuses to compile wasm
// (simulated with the error Chromium throws under a CSP without 'wasm-unsafe-eval'; the real
// thing is checked in Chromium by test/browser.test.ts).
import { afterEach, describe, expect, it, vi } from 'vitest';
import type * as api from '../src/index.js';

/** A fresh copy of the package's module graph (default instance not yet created). */
async function freshApi(): Promise<typeof api> {
  vi.resetModules();
  return (await import('../src/index.js')) as typeof api;
}

// Chromium 156's words for a compile refused by `Content-Security-Policy: script-src 'self'`.
const CSP_MESSAGE = "WebAssembly.compile(): Compiling or instantiating WebAssembly module violates the following Content Security policy directive because 'unsafe-eval' is not an allowed source of script in the following Content Security Policy directive: \"script-src 'self'\".";

/** Makes every compile (async and sync) throw the CSP CompileError, as a browser does. */
function refuseCompiles(): void {
  // A function, not an arrow: `new WebAssembly.Module(bytes)` must reach the throw.
  const refuse = function refuse(): never {
    throw new WebAssembly.CompileError(CSP_MESSAGE);
  };
  vi.spyOn(WebAssembly, 'compile').mockImplementation(async () => refuse());
  vi.stubGlobal('WebAssembly', { ...WebAssembly, validate: WebAssembly.validate, compile: WebAssembly.compile, Module: refuse, CompileError: WebAssembly.CompileError });
}

afterEach(() => {
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
});

describe('backendInfo()', () => {
  it('is null before init, then names the backend with nothing skipped when the fastest runs', async () => {
    const fresh = await freshApi();
    expect(fresh.backendInfo()).toBeNull();
    await fresh.init();
    expect(fresh.backendInfo()).toEqual({ backend: 'wasm-simd', requested: 'auto', skipped: [] });
    fresh.initSync({ backend: 'js' });
    expect(fresh.backendInfo()).toEqual({ backend: 'js', requested: 'js', skipped: [] });
    const instance = await fresh.createActivations({ backend: 'wasm-scalar' });
    expect(instance.backendInfo).toEqual({ backend: 'wasm-scalar', requested: 'wasm-scalar', skipped: [] });
    expect(Object.isFrozen(instance.backendInfo)).toBe(true);
  });

  it('says SIMD is missing when auto picks wasm-scalar', async () => {
    const validate = WebAssembly.validate.bind(WebAssembly);
    vi.spyOn(WebAssembly, 'validate').mockImplementation((bytes: BufferSource) => (bytes.byteLength === 31 ? false : validate(bytes)));
    const fresh = await freshApi();
    expect(await fresh.init()).toBe('wasm-scalar');
    const info = fresh.backendInfo()!;
    expect(info.backend).toBe('wasm-scalar');
    expect(info.skipped.map((s) => s.backend)).toEqual(['wasm-simd']);
    expect(info.skipped[0].reason).toMatch(/no SIMD/);
  });

  it('says WebAssembly is missing when there is none', async () => {
    vi.stubGlobal('WebAssembly', undefined);
    const fresh = await freshApi();
    expect(fresh.initSync()).toBe('js');
    const info = fresh.backendInfo()!;
    expect(info.skipped.map((s) => s.backend)).toEqual(['wasm-simd', 'wasm-scalar']);
    for (const s of info.skipped) expect(s.reason).toMatch(/no WebAssembly/);
  });

  for (const how of ['init', 'initSync'] as const) {
    it(`${how}(): a Content-Security-Policy that refuses wasm falls back to js and says so`, async () => {
      refuseCompiles();
      const fresh = await freshApi();
      expect(await fresh[how]()).toBe('js');
      const info = fresh.backendInfo()!;
      expect(info.backend).toBe('js');
      expect(info.requested).toBe('auto');
      expect(info.skipped.map((s) => s.backend)).toEqual(['wasm-simd', 'wasm-scalar']);
      for (const s of info.skipped) {
        expect(s.reason).toMatch(/^the page's Content-Security-Policy forbids compiling WebAssembly \(add 'wasm-unsafe-eval'/);
        expect(s.reason).toContain(CSP_MESSAGE);
      }
      // The js backend computes: sigmoid(0) = 0.5.
      expect(Array.from(fresh.sigmoid([0]))).toEqual([0.5]);
      // Forcing a wasm backend under that policy is an Error with the same reason.
      if (how === 'init') await expect(fresh.init({ backend: 'wasm-simd' })).rejects.toThrow(/Content-Security-Policy forbids compiling WebAssembly/);
      else expect(() => fresh.initSync({ backend: 'wasm-scalar' })).toThrow(/Content-Security-Policy forbids compiling WebAssembly/);
    });
  }

  it('names any other compile failure as such', async () => {
    const { compileFailureReason } = await import('../src/runtime/loader.js');
    expect(compileFailureReason(new RangeError('out of memory'))).toBe('compiling or instantiating its wasm failed: out of memory');
    expect(compileFailureReason(new Error('call to WebAssembly.compile() blocked by CSP'))).toMatch(/^the page's Content-Security-Policy/);
  });
});
