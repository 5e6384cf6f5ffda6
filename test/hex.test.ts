// decodeHex (src/runtime/hex.ts), which turns the inlined wasm builds back into bytes, against
// Node's own hex decoder: every byte value, in every position of a pair, and a whole build.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { decodeHex } from '../src/runtime/hex.js';

describe('decodeHex', () => {
  it('decodes every byte value, as Buffer.from(hex, "hex") does', () => {
    const all = Uint8Array.from({ length: 256 }, (_, i) => i);
    const hex = Buffer.from(all).toString('hex');
    expect(decodeHex(hex)).toEqual(all);
    // Reversed, so each value also sits beside a different neighbour.
    const reversed = all.slice().reverse();
    expect(decodeHex(Buffer.from(reversed).toString('hex'))).toEqual(reversed);
  });

  it('decodes the empty string to no bytes', () => {
    expect(decodeHex('')).toEqual(new Uint8Array(0));
  });

  it('gives back the built simd module byte for byte', () => {
    const built = readFileSync(new URL('../build/simd.wasm', import.meta.url));
    expect(Buffer.from(decodeHex(built.toString('hex'))).equals(built)).toBe(true);
  });
});
