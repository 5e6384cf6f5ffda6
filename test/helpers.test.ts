// The measuring tools themselves: if the ULP measure or the inputs were wrong, every accuracy
// test would be meaningless.
import { describe, expect, it } from 'vitest';
import { CHUNK_ELEMENTS, ELEMENTWISE_CHUNK_ELEMENTS } from '../src/runtime/engine.js';
import { boundaryLengths, CHUNK, ELEMENTWISE_CHUNK, neighbours, specialValues, TILE } from './helpers/inputs.js';
import { mulberry32, Rng } from './helpers/rng.js';
import {
  FLT_MAX, FLT_MIN_NORMAL, FLT_TRUE_MIN, float32Bits, float32FromBits, maxUlp, ulpError, ulpOf,
} from './helpers/ulp.js';

describe('ulpOf', () => {
  it('is 2^(floor(log2 |v|) − 23) for normal floats and 2^-149 below 2^-126', () => {
    expect(ulpOf(1)).toBe(2 ** -23);
    expect(ulpOf(1.5)).toBe(2 ** -23);
    expect(ulpOf(-1.9999999)).toBe(2 ** -23);
    expect(ulpOf(2)).toBe(2 ** -22);
    expect(ulpOf(0.5)).toBe(2 ** -24);
    expect(ulpOf(0.75)).toBe(2 ** -24);
    expect(ulpOf(FLT_MAX)).toBe(2 ** 104);
    expect(ulpOf(FLT_MIN_NORMAL)).toBe(2 ** -149);
    expect(ulpOf(FLT_MIN_NORMAL / 2)).toBe(2 ** -149);
    expect(ulpOf(0)).toBe(2 ** -149);
    expect(ulpOf(FLT_TRUE_MIN)).toBe(2 ** -149);
    expect(ulpOf(3 * 2 ** -126)).toBe(2 ** -148);
  });

  it('uses fround(v): a value that rounds up to the next binade takes its ulp', () => {
    expect(ulpOf(1 - 2 ** -30)).toBe(2 ** -23); // fround is 1
    expect(ulpOf(1 - 2 ** -20)).toBe(2 ** -24);
    expect(ulpOf(1e39)).toBe(2 ** 104); // overflows float32
  });
});

describe('ulpError', () => {
  it('measures |y − exact| in ULP of fround(exact)', () => {
    expect(ulpError(1, 1)).toBe(0);
    expect(ulpError(1 + 2 ** -23, 1)).toBe(1);
    expect(ulpError(1 + 2 * 2 ** -23, 1)).toBe(2);
    expect(ulpError(1, 1 + 2 ** -24)).toBeCloseTo(0.5, 12);
    expect(ulpError(-3, -3 - 3 * 2 ** -22)).toBeCloseTo(3, 12);
    expect(ulpError(0.5, 0.5 + 2 ** -26)).toBeCloseTo(0.25, 12);
  });

  it('lets results whose exact value is below 2^-126 flush to zero', () => {
    expect(ulpError(0, 1e-39)).toBe(0);
    expect(ulpError(0, -FLT_MIN_NORMAL / 2)).toBe(0);
    expect(ulpError(FLT_TRUE_MIN, 0)).toBe(0);
    // ... but not by more than 2^-126, and not for normal exact values.
    expect(ulpError(2 * FLT_MIN_NORMAL, 1e-39)).toBeGreaterThan(1e6);
    expect(ulpError(0, FLT_MIN_NORMAL)).toBe(2 ** 23);
  });

  it('requires NaN for NaN, the same infinity for an infinity, and never accepts NaN otherwise', () => {
    expect(ulpError(NaN, NaN)).toBe(0);
    expect(ulpError(0, NaN)).toBe(Infinity);
    expect(ulpError(NaN, 0)).toBe(Infinity);
    expect(ulpError(NaN, 1)).toBe(Infinity);
    expect(ulpError(Infinity, Infinity)).toBe(0);
    expect(ulpError(-Infinity, -Infinity)).toBe(0);
    expect(ulpError(FLT_MAX, Infinity)).toBe(Infinity);
    expect(ulpError(-Infinity, Infinity)).toBe(Infinity);
    expect(ulpError(Infinity, 1)).toBe(Infinity);
    expect(ulpError(Infinity, FLT_MAX)).toBe(Infinity);
  });

  it('accepts the overflow to ±Infinity of an exact value beyond float32', () => {
    expect(ulpError(-Infinity, -1.02e39)).toBe(0.5);
    expect(ulpError(Infinity, -1.02e39)).toBe(Infinity);
    expect(ulpError(FLT_MAX, 3.4028235e38 + 2 ** 100)).toBeLessThan(0.5);
  });
});

describe('maxUlp', () => {
  it('finds the worst element and its input', () => {
    const w = maxUlp([1, 2 + 2 ** -21, 3], [1, 2, 3], [10, 20, 30]);
    expect(w).toEqual({ ulp: 2, index: 1, input: 20, actual: 2 + 2 ** -21, exact: 2 });
    expect(maxUlp([NaN, 0], [0, 0]).ulp).toBe(Infinity);
    expect(maxUlp([], []).index).toBe(-1);
    expect(() => maxUlp([1], [])).toThrow(RangeError);
  });
});

describe('float32 bits and neighbours', () => {
  it('round-trip and step by one ULP', () => {
    expect(float32Bits(1)).toBe(0x3f800000);
    expect(float32FromBits(0x3f800001)).toBe(1 + 2 ** -23);
    expect(float32Bits(-0)).toBe(0x80000000);
    expect(neighbours(1, 1)).toEqual([1 - 2 ** -24, 1, 1 + 2 ** -23]);
    expect(neighbours(-0.625, 1)).toEqual([-0.625 + 2 ** -24, -0.625, -0.625 - 2 ** -24]);
  });

  it('special values hold the listed ones', () => {
    const s = Array.from(specialValues());
    for (const v of [0, -0, Infinity, -Infinity, FLT_TRUE_MIN, FLT_MIN_NORMAL - FLT_TRUE_MIN, FLT_MIN_NORMAL, FLT_MAX, -FLT_MAX,
      Math.fround(88.72), Math.fround(-87.33), Math.fround(1e30), Math.fround(-1e-20), 0.625, Math.fround(9.01)]) {
      expect(s.some((x) => Object.is(x, v)), `${v}`).toBe(true);
    }
    expect(s.some(Number.isNaN)).toBe(true);
  });

  it('boundary lengths cover 0…40, each tile count 2–9 ±1, and past the chunk', () => {
    const lengths = boundaryLengths();
    for (let n = 0; n <= 40; n++) expect(lengths).toContain(n);
    for (let k = 2; k <= 9; k++) for (const d of [-1, 0, 1]) expect(lengths).toContain(k * TILE + d);
    for (const n of [ELEMENTWISE_CHUNK, ELEMENTWISE_CHUNK + 1, CHUNK, CHUNK + 1, 40000]) expect(lengths).toContain(n);
  });

  it("the chunk sizes are the wasm engine's", () => {
    expect(CHUNK).toBe(CHUNK_ELEMENTS);
    expect(ELEMENTWISE_CHUNK).toBe(ELEMENTWISE_CHUNK_ELEMENTS);
  });
});

describe('Rng', () => {
  it('is seeded and reproducible', () => {
    const a = new Rng(42);
    const b = new Rng(42);
    const c = new Rng(43);
    const xa = Array.from({ length: 8 }, () => a.uint32());
    expect(Array.from({ length: 8 }, () => b.uint32())).toEqual(xa);
    expect(Array.from({ length: 8 }, () => c.uint32())).not.toEqual(xa);
    expect(mulberry32(1)()).toBe(mulberry32(1)());
    const r = new Rng(7);
    for (let i = 0; i < 1000; i++) {
      const u = r.uniform(-2, 3);
      expect(u >= -2 && u < 3).toBe(true);
    }
  });
});
