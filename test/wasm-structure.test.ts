// The built wasm against the registry (the registry-drift test) and the shape of its code: no
// indirect calls, no imports, v128 only in the simd build; and the inlined modules the package
// actually runs (src/generated/wasm.ts) export the same kernels.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { definitionList } from '../src/index.js';
import { scalarWasmHex, simdWasmHex } from '../src/generated/wasm.js';

const BUILDS = ['simd', 'scalar'] as const;

function wat(build: (typeof BUILDS)[number]): string {
  return readFileSync(fileURLToPath(new URL(`../build/${build}.wat`, import.meta.url)), 'utf8');
}

/** The kernels the registry calls, with the wasm parameter types each must take: the modules export nothing else. */
function expectedKernels(): Map<string, string[]> {
  const kernels = new Map<string, string[]>();
  for (const definition of definitionList) {
    if (definition.kind === 'elementwise') {
      // (src, dst, n, ...args): addresses and count as i32, params as f32.
      kernels.set(definition.wasm.export, ['i32', 'i32', 'i32', ...definition.wasm.args.map(() => 'f32')]);
      // Backward (dy, x, dx, n, ...args).
      kernels.set(definition.backward.wasm, ['i32', 'i32', 'i32', 'i32', ...definition.wasm.args.map(() => 'f32')]);
    } else if (definition.kind === 'channelwise') {
      kernels.set(definition.wasm.one, ['i32', 'i32', 'i32', 'f32']); // (src, dst, n, w)
      kernels.set(definition.wasm.blocks, ['i32', 'i32', 'i32', 'i32', 'i32', 'i32', 'i32']); // (src, dst, n, inner, weights, channels, start)
      kernels.set(definition.wasm.periodic, ['i32', 'i32', 'i32', 'i32', 'i32', 'i32']); // (src, dst, n, weights, period, phase)
      kernels.set(definition.backward.wasm.one, ['i32', 'i32', 'i32', 'i32', 'f32']); // (dy, x, dx, n, w) → f64
      kernels.set(definition.backward.wasm.blocks, ['i32', 'i32', 'i32', 'i32', 'i32', 'i32', 'i32', 'i32', 'i32']); // (+ start, sums)
      kernels.set(definition.backward.wasm.periodic, ['i32', 'i32', 'i32', 'i32', 'i32', 'i32', 'i32', 'i32']); // (+ phase, sums)
    } else if (definition.kind === 'gated') {
      kernels.set(definition.wasm.export, ['i32', 'i32', 'i32', 'i32']); // (src, dst, outer, m)
      kernels.set(definition.backward.wasm, ['i32', 'i32', 'i32', 'i32', 'i32']); // (dy, x, dx, outer, m)
    } else {
      kernels.set(definition.wasm.rows, ['i32', 'i32', 'i32', 'i32']); // (src, dst, rows, n)
      kernels.set(definition.wasm.strided, ['i32', 'i32', 'i32', 'i32', 'i32']); // (src, dst, outer, n, inner)
      kernels.set(definition.backward.wasm.rows, ['i32', 'i32', 'i32', 'i32', 'i32']); // (dy, y, dx, rows, n)
      kernels.set(definition.backward.wasm.strided, ['i32', 'i32', 'i32', 'i32', 'i32', 'i32']); // (dy, y, dx, outer, n, inner)
    }
  }
  return kernels;
}

/** Exported functions of a wat: export name → the function's parameter types. */
function exportedFunctions(text: string): Map<string, string[]> {
  const params = new Map<string, string[]>();
  for (const m of text.matchAll(/^ \(func (\$\S+)((?: \(param \$\w+ \w+\))*)/gm)) {
    params.set(m[1], [...m[2].matchAll(/\(param \$\w+ (\w+)\)/g)].map((p) => p[1]));
  }
  const exports = new Map<string, string[]>();
  for (const m of text.matchAll(/\(export "([^"]+)" \(func (\$\S+?)\)\)/g)) {
    const types = params.get(m[2]);
    if (!types) throw new Error(`exported function ${m[2]} has no definition in the wat`);
    exports.set(m[1], types);
  }
  return exports;
}

function decode(hex: string): Uint8Array<ArrayBuffer> {
  const bytes = Buffer.from(hex, 'hex');
  const copy = new Uint8Array(new ArrayBuffer(bytes.length));
  copy.set(bytes);
  return copy;
}

describe.each(BUILDS)('build/%s.wat', (build) => {
  const text = wat(build);

  it('is a module', () => {
    expect(text.startsWith('(module')).toBe(true);
    expect(text).toMatch(/\(func /);
  });

  it('has no data segment: the TypeScript allocator owns all of memory from address 0', () => {
    // AssemblyScript places static data (e.g. the lookup tables of its Math.exp and Math.log)
    // from address 1024; the allocator hands out buffers from 0 and would overwrite them. A kernel
    // that needs such a function must use a table-free one (see assembly/exp64.ts) instead.
    expect(text).not.toMatch(/\(data /);
  });

  it('has no call_indirect (every op is inlined into its loop)', () => {
    expect(text).not.toMatch(/call_indirect/);
  });

  it('imports nothing', () => {
    expect(text).not.toMatch(/\(import/);
  });

  // The TypeScript side owns all of linear memory, so static data would be overwritten (the
  // standard library's Math.exp, log and pow read lookup tables from a data segment).
  it('has no data segment', () => {
    expect(text).not.toMatch(/\(data /);
  });

  it('exports its memory and exactly the kernels of the registry, with the parameters the engine passes', () => {
    expect(text).toMatch(/\(export "memory" \(memory /);
    const exported = exportedFunctions(text);
    const expected = expectedKernels();
    expect([...exported.keys()].sort()).toEqual([...expected.keys()].sort());
    for (const [name, types] of expected) expect(exported.get(name), name).toEqual(types);
  });

  if (build === 'simd') {
    it('uses v128 operations', () => {
      expect(text).toMatch(/\bv128\.(load|store)\b/);
      expect(text).toMatch(/\bf32x4\.(mul|add)\b/);
    });
  } else {
    it('has no v128 at all', () => {
      expect(text).not.toMatch(/v128|f32x4|i32x4|f64x2/);
    });
  }
});

describe.each([
  ['simd', simdWasmHex],
  ['scalar', scalarWasmHex],
] as const)('the inlined %s module (src/generated/wasm.ts)', (build, hex) => {
  const bytes = decode(hex);

  it('is the built build/*.wasm', () => {
    const file = readFileSync(fileURLToPath(new URL(`../build/${build}.wasm`, import.meta.url)));
    expect(Buffer.from(bytes).equals(file)).toBe(true);
  });

  it('validates, imports nothing and exports the registry kernels and memory', () => {
    expect(WebAssembly.validate(bytes)).toBe(true);
    const module = new WebAssembly.Module(bytes);
    expect(WebAssembly.Module.imports(module)).toEqual([]);
    const exports = WebAssembly.Module.exports(module);
    expect(exports.filter((e) => e.kind === 'memory').map((e) => e.name)).toEqual(['memory']);
    expect(exports.filter((e) => e.kind === 'function').map((e) => e.name).sort()).toEqual([...expectedKernels().keys()].sort());
    expect(exports.every((e) => e.kind === 'function' || e.kind === 'memory')).toBe(true);
  });
});
