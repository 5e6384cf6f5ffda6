// Structural stand-ins for the WebAssembly types that appear in declarations this package
// publishes. The WebAssembly namespace is declared by TypeScript's DOM lib only (not by
// @types/node), and Node projects often compile with `lib: ["es2023"]` and no DOM: the shipped
// .d.ts must type-check there. The code that calls the WebAssembly API itself casts to these.

/** What the package uses of a WebAssembly.Memory (shared or not). */
export interface WasmMemory {
  readonly buffer: ArrayBuffer | SharedArrayBuffer;
  grow(delta: number): number;
}

/** A compiled WebAssembly.Module, passed around but never looked into. */
export type WasmModule = object;
