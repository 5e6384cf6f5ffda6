// Finds out what this engine can run, and compiles and instantiates the inlined wasm builds.
// No @assemblyscript/loader and no generated bindings: the kernels take plain numbers (byte
// addresses and counts) and the module imports nothing, so `instantiate(module, {})` is all.
import { scalarWasmHex, simdWasmHex } from '../generated/wasm.js';
import { decodeHex } from './hex.js';
import type { Backend } from '../spec.js';
import type { WasmMemory, WasmModule } from './wasm-types.js';

/** Which wasm build. */
export type WasmBuild = 'simd' | 'scalar';

/** The exports of either build: kernels plus the memory the TypeScript side manages. */
export interface KernelExports {
  readonly memory: WasmMemory;
  readonly [kernel: string]: WasmMemory | ((...args: number[]) => void);
}

// The smallest module that uses a v128 instruction (i32.const 0; i8x16.splat; i8x16.popcnt),
// the probe wasm-feature-detect uses: validate() is false wherever SIMD is missing.
const SIMD_PROBE = new Uint8Array([
  0, 97, 115, 109, 1, 0, 0, 0, 1, 5, 1, 96, 0, 1, 123, 3, 2, 1, 0, 10, 10, 1, 8, 0, 65, 0, 253, 15, 253, 98, 11,
]);
// An empty module: validate() is true wherever WebAssembly works at all.
const EMPTY_MODULE = new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0]);

/** Whether this engine has WebAssembly at all. */
export function hasWebAssembly(): boolean {
  try {
    return typeof WebAssembly === 'object' && WebAssembly.validate(EMPTY_MODULE);
  } catch {
    return false;
  }
}

/** Whether this engine's WebAssembly has fixed-width SIMD (v128). */
export function hasWasmSimd(): boolean {
  try {
    return hasWebAssembly() && WebAssembly.validate(SIMD_PROBE);
  } catch {
    return false;
  }
}

/** The wasm build a wasm backend runs. */
export function buildOf(backend: Exclude<Backend, 'js'>): WasmBuild {
  return backend === 'wasm-simd' ? 'simd' : 'scalar';
}

/**
 * Why `backend` cannot run here, or null when it can. Checks features only; compiling can still
 * fail (e.g. a Content-Security-Policy without 'wasm-unsafe-eval').
 */
export function unavailableReason(backend: Backend): string | null {
  if (backend === 'js') return null;
  if (!hasWebAssembly()) return 'this JavaScript engine has no WebAssembly';
  if (backend === 'wasm-simd' && !hasWasmSimd()) {
    return "this engine's WebAssembly has no SIMD (WebAssembly.validate rejected a v128 probe module)";
  }
  return null;
}

/**
 * Why compiling or instantiating a build failed, in words: a Content-Security-Policy that
 * forbids compiling WebAssembly is named as such (browsers word it differently: Chromium and
 * Safari mention 'unsafe-eval' and the policy, Firefox "CSP"), with the fix.
 */
export function compileFailureReason(error: unknown): string {
  const message = (error as Error)?.message ?? String(error);
  if (/content.security.policy|\bCSP\b|unsafe-eval/i.test(message)) {
    return `the page's Content-Security-Policy forbids compiling WebAssembly (add 'wasm-unsafe-eval' to its script-src to allow it): ${message}`;
  }
  return `compiling or instantiating its wasm failed: ${message}`;
}

const sources: Record<WasmBuild, string> = { simd: simdWasmHex, scalar: scalarWasmHex };
// Compiled modules are cached per build: every instance shares the compiled code, and only
// instantiation (a new memory) is per instance.
const compiled = new Map<WasmBuild, WebAssembly.Module>();
const compiling = new Map<WasmBuild, Promise<WebAssembly.Module>>();

/** The compiled module of a build, compiled on first use (synchronously). */
export function compileSync(build: WasmBuild): WasmModule {
  let module = compiled.get(build);
  if (!module) {
    module = new WebAssembly.Module(decodeHex(sources[build]) as BufferSource);
    compiled.set(build, module);
  }
  return module;
}

/** The compiled module of a build, compiled on first use (off the main thread where possible). */
export function compile(build: WasmBuild): Promise<WasmModule> {
  const done = compiled.get(build);
  if (done) return Promise.resolve(done);
  let pending = compiling.get(build);
  if (!pending) {
    pending = WebAssembly.compile(decodeHex(sources[build]) as BufferSource).then(
      (module) => {
        compiled.set(build, module);
        compiling.delete(build);
        return module;
      },
      (error: unknown) => {
        compiling.delete(build);
        throw error;
      },
    );
    compiling.set(build, pending);
  }
  return pending;
}

/** A new instance (with its own memory) of a compiled build. */
export function instantiateSync(module: WasmModule): KernelExports {
  return new WebAssembly.Instance(module as WebAssembly.Module, {}).exports as unknown as KernelExports;
}

/** A new instance (with its own memory) of a compiled build, asynchronously. */
export async function instantiate(module: WasmModule): Promise<KernelExports> {
  const instance = await WebAssembly.instantiate(module as WebAssembly.Module, {});
  return instance.exports as unknown as KernelExports;
}
